//! BLS12_MAP_FP_TO_G1 (0x10) and BLS12_MAP_FP2_TO_G2 (0x11): the simplified SWU
//! map of RFC 9380 followed by cofactor clearing.

use super::encoding::{
    PADDED_FP_LENGTH, PADDED_FP2_LENGTH, encode_g1, encode_g2, read_fp, read_fp2,
};
use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address, utilities::*};
use blst::{blst_map_to_g1, blst_map_to_g2, blst_p1, blst_p2};
use lamina_primitives::Bytes;

/// BLS12_MAP_FP_TO_G1 at 0x10.
pub const MAP_FP_TO_G1: Precompile = Precompile::new(u64_to_address(0x10), map_fp_to_g1_run);
/// BLS12_MAP_FP2_TO_G2 at 0x11.
pub const MAP_FP2_TO_G2: Precompile = Precompile::new(u64_to_address(0x11), map_fp2_to_g2_run);

/// Price of MAP_FP_TO_G1.
pub const MAP_FP_TO_G1_GAS: u64 = 5_500;
/// Price of MAP_FP2_TO_G2.
pub const MAP_FP2_TO_G2_GAS: u64 = 23_800;

/// Maps one base-field element (64 bytes) to a G1 point.
pub fn map_fp_to_g1_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(MAP_FP_TO_G1_GAS, gas_limit, || {
        if input.len() != PADDED_FP_LENGTH {
            return Err(PrecompileError::Bls12381InvalidInputLength);
        }
        let u = read_fp(input)?;
        let mut p = blst_p1::default();
        // SAFETY: live blst values; a null second element asks for the single-element
        // map (map_to_curve then clear_cofactor), which is what EIP-2537 specifies.
        unsafe { blst_map_to_g1(&mut p, &u, core::ptr::null()) };
        Ok(Bytes::copy_from_slice(&encode_g1(&p)))
    })
}

/// Maps one F_p^2 element (128 bytes) to a G2 point.
pub fn map_fp2_to_g2_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(MAP_FP2_TO_G2_GAS, gas_limit, || {
        if input.len() != PADDED_FP2_LENGTH {
            return Err(PrecompileError::Bls12381InvalidInputLength);
        }
        let u = read_fp2(input)?;
        let mut p = blst_p2::default();
        // SAFETY: as for G1 above.
        unsafe { blst_map_to_g2(&mut p, &u, core::ptr::null()) };
        Ok(Bytes::copy_from_slice(&encode_g2(&p)))
    })
}
