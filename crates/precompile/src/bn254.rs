//! BN254 (alt_bn128) point addition (0x06), scalar multiplication (0x07) and
//! pairing check (0x08): EIP-196 and EIP-197, repriced by EIP-1108 in Istanbul.
//!
//! Coordinates are 32-byte big-endian integers that must be below the field modulus;
//! the point at infinity is encoded as all zeros. An F_p^2 element `a * i + b` is
//! encoded as `a || b` (imaginary part first).

use crate::{PrecompileError, PrecompileResult, utilities::*};
use alloc::vec::Vec;
use bn::{AffineG1, AffineG2, Fq, Fq2, Fr, G1, G2, Group, Gt};
use lamina_primitives::Bytes;

/// Encoded size of a G1 point (x, y).
const G1_LEN: usize = 64;
/// Encoded size of a G2 point (x.im, x.re, y.im, y.re).
const G2_LEN: usize = 128;
/// Encoded size of a scalar.
const SCALAR_LEN: usize = 32;
/// Size of one (G1, G2) pair of the pairing input.
pub const PAIR_LEN: usize = G1_LEN + G2_LEN;

/// Point addition at 0x06.
pub mod add {
    use super::*;
    use crate::{Precompile, u64_to_address};

    /// 0x06 at its Byzantium price (EIP-196).
    pub const BYZANTIUM: Precompile = Precompile::new(u64_to_address(6), byzantium_run);
    /// 0x06 at its Istanbul price (EIP-1108).
    pub const ISTANBUL: Precompile = Precompile::new(u64_to_address(6), istanbul_run);

    /// Price before Istanbul.
    pub const BYZANTIUM_GAS: u64 = 500;
    /// Price from Istanbul on.
    pub const ISTANBUL_GAS: u64 = 150;

    /// Addition at the Byzantium price.
    pub fn byzantium_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        charged(BYZANTIUM_GAS, gas_limit, || run(input))
    }

    /// Addition at the Istanbul price.
    pub fn istanbul_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        charged(ISTANBUL_GAS, gas_limit, || run(input))
    }

    /// `P1 + P2` for input `P1(64) || P2(64)`, right-padded; extra bytes ignored.
    fn run(input: &[u8]) -> Result<Bytes, PrecompileError> {
        let input = right_pad::<{ 2 * G1_LEN }>(input);
        let (a, b) = input.split_at(G1_LEN);
        Ok(encode_g1(read_g1(a)? + read_g1(b)?))
    }
}

/// Scalar multiplication at 0x07.
pub mod mul {
    use super::*;
    use crate::{Precompile, u64_to_address};

    /// 0x07 at its Byzantium price (EIP-196).
    pub const BYZANTIUM: Precompile = Precompile::new(u64_to_address(7), byzantium_run);
    /// 0x07 at its Istanbul price (EIP-1108).
    pub const ISTANBUL: Precompile = Precompile::new(u64_to_address(7), istanbul_run);

    /// Price before Istanbul.
    pub const BYZANTIUM_GAS: u64 = 40_000;
    /// Price from Istanbul on.
    pub const ISTANBUL_GAS: u64 = 6_000;

    /// Multiplication at the Byzantium price.
    pub fn byzantium_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        charged(BYZANTIUM_GAS, gas_limit, || run(input))
    }

    /// Multiplication at the Istanbul price.
    pub fn istanbul_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        charged(ISTANBUL_GAS, gas_limit, || run(input))
    }

    /// `s * P` for input `P(64) || s(32)`, right-padded; extra bytes ignored. The
    /// scalar may be any 256-bit value (it is not required to be below the order).
    fn run(input: &[u8]) -> Result<Bytes, PrecompileError> {
        let input = right_pad::<{ G1_LEN + SCALAR_LEN }>(input);
        let (point, scalar) = input.split_at(G1_LEN);
        let point = read_g1(point)?;
        let scalar =
            Fr::from_slice(scalar).map_err(|_| PrecompileError::Bn254FieldPointNotAMember)?;
        Ok(encode_g1(point * scalar))
    }
}

/// Pairing check at 0x08.
pub mod pair {
    use super::*;
    use crate::{Precompile, u64_to_address};

    /// 0x08 at its Byzantium price (EIP-197).
    pub const BYZANTIUM: Precompile = Precompile::new(u64_to_address(8), byzantium_run);
    /// 0x08 at its Istanbul price (EIP-1108).
    pub const ISTANBUL: Precompile = Precompile::new(u64_to_address(8), istanbul_run);

    /// Base price before Istanbul.
    pub const BYZANTIUM_BASE: u64 = 100_000;
    /// Price per pair before Istanbul.
    pub const BYZANTIUM_PER_PAIR: u64 = 80_000;
    /// Base price from Istanbul on.
    pub const ISTANBUL_BASE: u64 = 45_000;
    /// Price per pair from Istanbul on.
    pub const ISTANBUL_PER_PAIR: u64 = 34_000;

    /// Pairing check at the Byzantium price.
    pub fn byzantium_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        run(input, gas_limit, BYZANTIUM_BASE, BYZANTIUM_PER_PAIR)
    }

    /// Pairing check at the Istanbul price.
    pub fn istanbul_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
        run(input, gas_limit, ISTANBUL_BASE, ISTANBUL_PER_PAIR)
    }

    /// Whether the product of the pairings of `k` pairs `G1(64) || G2(128)` is one;
    /// 32-byte word 1 or 0. No pairs at all is an empty product: 1.
    fn run(input: &[u8], gas_limit: u64, base: u64, per_pair: u64) -> PrecompileResult {
        // usize -> u64 is lossless on every supported target.
        let pairs = (input.len() / PAIR_LEN) as u64;
        let cost = base.saturating_add(per_pair.saturating_mul(pairs));
        charged(cost, gas_limit, || {
            if !input.len().is_multiple_of(PAIR_LEN) {
                return Err(PrecompileError::Bn254PairLength);
            }
            let mut terms = Vec::with_capacity(input.len() / PAIR_LEN);
            for pair in input.chunks_exact(PAIR_LEN) {
                let (g1, g2) = pair.split_at(G1_LEN);
                let (p, q) = (read_g1(g1)?, read_g2(g2)?);
                // A pairing with the identity on either side is one: drop the term.
                if !p.is_zero() && !q.is_zero() {
                    terms.push((p, q));
                }
            }
            let one = terms.is_empty() || bn::pairing_batch(&terms) == Gt::one();
            Ok(bool_to_word(one))
        })
    }
}

/// A field element from 32 big-endian bytes, refusing values not below the modulus.
fn read_fq(bytes: &[u8]) -> Result<Fq, PrecompileError> {
    Fq::from_slice(bytes).map_err(|_| PrecompileError::Bn254FieldPointNotAMember)
}

/// A G1 point from `x(32) || y(32)`; all zeros is the point at infinity.
fn read_g1(bytes: &[u8]) -> Result<G1, PrecompileError> {
    let (x, y) = bytes.split_at(32);
    let (x, y) = (read_fq(x)?, read_fq(y)?);
    if x.is_zero() && y.is_zero() {
        return Ok(G1::zero());
    }
    AffineG1::new(x, y).map(G1::from).map_err(|_| PrecompileError::Bn254AffineGFailedToCreate)
}

/// A G2 point from `x.im || x.re || y.im || y.re` (32 bytes each); all zeros is the
/// point at infinity. `AffineG2::new` also checks the subgroup, which EIP-197
/// requires for G2.
fn read_g2(bytes: &[u8]) -> Result<G2, PrecompileError> {
    let mut c = [Fq::zero(); 4];
    for (coordinate, chunk) in c.iter_mut().zip(bytes.chunks_exact(32)) {
        *coordinate = read_fq(chunk)?;
    }
    let x = Fq2::new(c[1], c[0]);
    let y = Fq2::new(c[3], c[2]);
    if x.is_zero() && y.is_zero() {
        return Ok(G2::zero());
    }
    AffineG2::new(x, y).map(G2::from).map_err(|_| PrecompileError::Bn254AffineGFailedToCreate)
}

/// `x(32) || y(32)` of `p`, or 64 zero bytes for the point at infinity.
fn encode_g1(p: G1) -> Bytes {
    let mut out = [0u8; G1_LEN];
    if let Some(p) = AffineG1::from_jacobian(p) {
        let (x, y) = out.split_at_mut(32);
        // Both slices are exactly 32 bytes, the only length these calls refuse.
        let written = p.x().to_big_endian(x).and_then(|()| p.y().to_big_endian(y));
        debug_assert!(written.is_ok());
    }
    Bytes::copy_from_slice(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_of_no_pairs_is_one() {
        // bn256Pairing.json `empty_data`: 45000 gas, output 1; Byzantium: 100000.
        let out = pair::istanbul_run(&[], 45_000).unwrap();
        assert_eq!((out.gas_used, out.bytes[..].to_vec()), (45_000, bool_to_word(true).to_vec()));
        let out = pair::byzantium_run(&[], 100_000).unwrap();
        assert_eq!(out.gas_used, 100_000);
        assert_eq!(out.bytes[31], 1);
        assert_eq!(pair::istanbul_run(&[], 44_999), Err(PrecompileError::OutOfGas));
    }

    #[test]
    fn pairing_length_and_prices() {
        assert_eq!(pair::istanbul_run(&[0; 191], u64::MAX), Err(PrecompileError::Bn254PairLength));
        assert_eq!(pair::istanbul_run(&[0; 193], u64::MAX), Err(PrecompileError::Bn254PairLength));
        // Two pairs of infinities: 45000 + 2 * 34000, product of nothing is one.
        let out = pair::istanbul_run(&[0; 384], u64::MAX).unwrap();
        assert_eq!((out.gas_used, out.bytes[31]), (113_000, 1));
        let out = pair::byzantium_run(&[0; 384], u64::MAX).unwrap();
        assert_eq!(out.gas_used, 260_000);
    }

    #[test]
    fn add_and_mul_prices() {
        assert_eq!(add::istanbul_run(&[], 150).unwrap().bytes[..], [0u8; 64]);
        assert_eq!(add::byzantium_run(&[], 499), Err(PrecompileError::OutOfGas));
        assert_eq!(mul::istanbul_run(&[], 6_000).unwrap().gas_used, 6_000);
        assert_eq!(mul::byzantium_run(&[], 40_000).unwrap().gas_used, 40_000);
        // x = p (the field modulus) is not a field element.
        let mut bad = [0u8; 64];
        bad[..32].copy_from_slice(&lamina_primitives::hex!(
            "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
        ));
        assert_eq!(add::istanbul_run(&bad, 150), Err(PrecompileError::Bn254FieldPointNotAMember));
        // (1, 1) is not on y^2 = x^3 + 3.
        let mut off_curve = [0u8; 64];
        off_curve[31] = 1;
        off_curve[63] = 1;
        assert_eq!(
            mul::istanbul_run(&off_curve, 6_000),
            Err(PrecompileError::Bn254AffineGFailedToCreate)
        );
    }
}
