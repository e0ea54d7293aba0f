//! The BLS12-381 precompiles of EIP-2537 (Prague), at their final addresses and
//! prices, on top of blst.
//!
//! Encoding: a base-field element is 64 bytes, big-endian, the top 16 bytes zero and
//! the value below p; an F_p^2 element `c0 + c1 * v` is `c0 || c1`; a point is
//! `x || y`, and all zeros is the point at infinity; a scalar is 32 bytes big-endian
//! and may be any 256-bit value.

//!
//! Everything but the price tables ([`msm`]) needs the `blst` feature (on with `std`).
//! Without it [`PRECOMPILES`] holds the same seven addresses, and every call to them fails
//! with [`PrecompileError::Other`](crate::PrecompileError::Other), burning the gas given:
//! the addresses stay precompiles (warm, never code) so that no other rule changes.

#[cfg(feature = "blst")]
mod curve;
#[cfg(feature = "blst")]
mod encoding;
#[cfg(feature = "blst")]
pub mod g1;
#[cfg(feature = "blst")]
pub mod g2;
#[cfg(feature = "blst")]
pub mod map;
pub mod msm;
#[cfg(feature = "blst")]
pub mod pairing;

use crate::Precompile;

#[cfg(feature = "blst")]
pub use encoding::{
    FP_LENGTH, G1_LENGTH, G2_LENGTH, PADDED_FP_LENGTH, PADDED_FP2_LENGTH, SCALAR_LENGTH,
};

/// The seven precompiles, in address order 0x0b..=0x11.
#[cfg(feature = "blst")]
pub const PRECOMPILES: [Precompile; 7] = [
    g1::ADD,
    g1::MSM,
    g2::ADD,
    g2::MSM,
    pairing::PAIRING_CHECK,
    map::MAP_FP_TO_G1,
    map::MAP_FP2_TO_G2,
];

/// The seven addresses 0x0b..=0x11, each failing every call: this build has no `blst`.
#[cfg(not(feature = "blst"))]
pub const PRECOMPILES: [Precompile; 7] = {
    use crate::u64_to_address;
    [
        Precompile::new(u64_to_address(0x0b), unavailable),
        Precompile::new(u64_to_address(0x0c), unavailable),
        Precompile::new(u64_to_address(0x0d), unavailable),
        Precompile::new(u64_to_address(0x0e), unavailable),
        Precompile::new(u64_to_address(0x0f), unavailable),
        Precompile::new(u64_to_address(0x10), unavailable),
        Precompile::new(u64_to_address(0x11), unavailable),
    ]
};

/// What a BLS12-381 precompile does in a build without the `blst` feature: fail.
#[cfg(not(feature = "blst"))]
fn unavailable(_input: &[u8], _gas_limit: u64) -> crate::PrecompileResult {
    Err(crate::PrecompileError::Other("bls12-381: built without the `blst` feature".into()))
}

#[cfg(all(test, feature = "blst"))]
mod tests {
    use super::*;
    use crate::PrecompileError;

    #[test]
    fn msm_of_one_and_of_many_pairs() {
        // k = 1: infinity times any scalar is infinity, for one multiplication's price.
        let mut one = [0u8; G1_LENGTH + SCALAR_LENGTH];
        one[G1_LENGTH..].fill(0xff);
        let out = g1::msm_run(&one, 12_000).unwrap();
        assert_eq!((out.gas_used, &out.bytes[..]), (12_000, &[0u8; G1_LENGTH][..]));
        assert_eq!(g1::msm_run(&one, 11_999), Err(PrecompileError::OutOfGas));

        // k = 200 (past the 128-entry table): discount 519 for G1 and 524 for G2.
        let many = [0u8; 200 * (G1_LENGTH + SCALAR_LENGTH)];
        let out = g1::msm_run(&many, u64::MAX).unwrap();
        assert_eq!(out.gas_used, 200 * 12_000 * 519 / 1000);
        assert!(out.bytes.iter().all(|&b| b == 0));
        let many = [0u8; 200 * (G2_LENGTH + SCALAR_LENGTH)];
        let out = g2::msm_run(&many, u64::MAX).unwrap();
        assert_eq!((out.gas_used, out.bytes.len()), (200 * 22_500 * 524 / 1000, G2_LENGTH));
    }

    #[test]
    fn lengths() {
        let cases: [(crate::PrecompileFn, usize); 7] = [
            (g1::add_run, 2 * G1_LENGTH),
            (g1::msm_run, G1_LENGTH + SCALAR_LENGTH),
            (g2::add_run, 2 * G2_LENGTH),
            (g2::msm_run, G2_LENGTH + SCALAR_LENGTH),
            (pairing::run, G1_LENGTH + G2_LENGTH),
            (map::map_fp_to_g1_run, PADDED_FP_LENGTH),
            (map::map_fp2_to_g2_run, PADDED_FP2_LENGTH),
        ];
        for (f, len) in cases {
            // Empty input and one byte short or long are all invalid lengths.
            for wrong in [0, len - 1, len + 1] {
                let input = alloc::vec![0u8; wrong];
                assert_eq!(
                    f(&input, u64::MAX),
                    Err(PrecompileError::Bls12381InvalidInputLength),
                    "length {wrong} of {len}"
                );
            }
            assert!(f(&alloc::vec![0u8; len], u64::MAX).is_ok(), "length {len}");
        }
    }

    #[test]
    fn pairing_prices() {
        // One pair of infinities: 32600 + 37700, and the empty product is one.
        let out = pairing::run(&[0u8; G1_LENGTH + G2_LENGTH], 70_300).unwrap();
        assert_eq!((out.gas_used, out.bytes[31]), (70_300, 1));
        assert_eq!(
            pairing::run(&[0u8; 2 * (G1_LENGTH + G2_LENGTH)], 102_899),
            Err(PrecompileError::OutOfGas)
        );
    }
}

#[cfg(all(test, not(feature = "blst")))]
mod without_blst_tests {
    use super::*;
    use crate::{PrecompileError, u64_to_address};

    #[test]
    fn every_address_stays_and_every_call_fails() {
        for (precompile, address) in PRECOMPILES.iter().zip(0x0b..=0x11) {
            assert_eq!(precompile.address, u64_to_address(address));
            assert!(matches!((precompile.function)(&[], u64::MAX), Err(PrecompileError::Other(_))));
        }
    }
}
