//! BLS12_PAIRING_CHECK (0x0f): whether `e(P1, Q1) * ... * e(Pk, Qk)` is one.

use super::encoding::{G1_LENGTH, G2_LENGTH, Subgroup, read_g1, read_g2};
use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address, utilities::*};
use blst::{
    blst_final_exp, blst_fp12, blst_fp12_is_one, blst_fp12_mul, blst_fp12_one, blst_miller_loop,
    blst_p1_affine_is_inf, blst_p2_affine_is_inf,
};

/// BLS12_PAIRING_CHECK at 0x0f.
pub const PAIRING_CHECK: Precompile = Precompile::new(u64_to_address(0x0f), run);

/// Price per pair.
pub const PER_PAIR_GAS: u64 = 32_600;
/// Base price.
pub const BASE_GAS: u64 = 37_700;
/// Bytes of one (G1, G2) pair.
pub const PAIR_LENGTH: usize = G1_LENGTH + G2_LENGTH;

/// Checks the product of the pairings of `k >= 1` pairs, every point in its
/// subgroup; a 32-byte word 1 or 0. Pairs with a point at infinity contribute one.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    // usize -> u64 is lossless on every supported target.
    let k = (input.len() / PAIR_LENGTH) as u64;
    charged(PER_PAIR_GAS.saturating_mul(k).saturating_add(BASE_GAS), gas_limit, || {
        if k == 0 || !input.len().is_multiple_of(PAIR_LENGTH) {
            return Err(PrecompileError::Bls12381InvalidInputLength);
        }
        // SAFETY: every blst call gets live values of its own types.
        unsafe {
            let mut product = *blst_fp12_one();
            for pair in input.chunks_exact(PAIR_LENGTH) {
                let (g1, g2) = pair.split_at(G1_LENGTH);
                let p = read_g1(g1, Subgroup::Check)?;
                let q = read_g2(g2, Subgroup::Check)?;
                if blst_p1_affine_is_inf(&p) || blst_p2_affine_is_inf(&q) {
                    continue;
                }
                let mut term = blst_fp12::default();
                blst_miller_loop(&mut term, &q, &p);
                let previous = product;
                blst_fp12_mul(&mut product, &previous, &term);
            }
            let mut result = blst_fp12::default();
            blst_final_exp(&mut result, &product);
            Ok(bool_to_word(blst_fp12_is_one(&result)))
        }
    })
}
