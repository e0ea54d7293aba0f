//! BLS12_G2ADD (0x0d) and BLS12_G2MSM (0x0e).

use super::{
    curve::{self, Curve},
    encoding::{G2_LENGTH, SCALAR_LENGTH, Subgroup, encode_g2, read_g2},
    msm::G2_DISCOUNTS,
};
use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address};
use alloc::{vec, vec::Vec};
use blst::{
    blst_p2, blst_p2_add_or_double_affine, blst_p2_affine, blst_p2_affine_is_inf,
    blst_p2_from_affine, blst_p2_mult, blst_p2s_mult_pippenger,
    blst_p2s_mult_pippenger_scratch_sizeof, limb_t,
};
use lamina_primitives::Bytes;

/// BLS12_G2ADD at 0x0d.
pub const ADD: Precompile = Precompile::new(u64_to_address(0x0d), add_run);
/// BLS12_G2MSM at 0x0e.
pub const MSM: Precompile = Precompile::new(u64_to_address(0x0e), msm_run);

/// Price of G2 addition.
pub const ADD_GAS: u64 = 600;
/// Price of one G2 multiplication, the unit of MSM pricing.
pub const MUL_GAS: u64 = 22_500;

/// `P + Q` for two G2 points (512 bytes of input, no subgroup check).
pub fn add_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    curve::add::<G2>(input, gas_limit, ADD_GAS)
}

/// `sum(s_i * P_i)` for `k >= 1` pairs of a G2 point and a scalar (288 bytes each).
pub fn msm_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    curve::msm::<G2>(input, gas_limit, MUL_GAS, &G2_DISCOUNTS)
}

/// G2 as blst provides it.
pub(super) struct G2;

/// `p` in projective form.
fn projective(p: &blst_p2_affine) -> blst_p2 {
    let mut out = blst_p2::default();
    // SAFETY: both are live blst values.
    unsafe { blst_p2_from_affine(&mut out, p) };
    out
}

impl Curve for G2 {
    type Affine = blst_p2_affine;
    type Projective = blst_p2;
    const POINT_LENGTH: usize = G2_LENGTH;

    fn read(bytes: &[u8], subgroup: Subgroup) -> Result<blst_p2_affine, PrecompileError> {
        read_g2(bytes, subgroup)
    }

    fn is_infinity(p: &blst_p2_affine) -> bool {
        // SAFETY: `p` is a live affine point.
        unsafe { blst_p2_affine_is_inf(p) }
    }

    fn add(a: &blst_p2_affine, b: &blst_p2_affine) -> blst_p2 {
        let mut out = blst_p2::default();
        // SAFETY: all three are live blst values; blst handles infinity on either side.
        unsafe { blst_p2_add_or_double_affine(&mut out, &projective(a), b) };
        out
    }

    fn msm(points: &[blst_p2_affine], scalars: &[[u8; SCALAR_LENGTH]]) -> blst_p2 {
        let mut out = blst_p2::default();
        if let ([point], [scalar]) = (points, scalars) {
            // SAFETY: `scalar` holds the 256 bits that blst reads.
            unsafe { blst_p2_mult(&mut out, &projective(point), scalar.as_ptr(), 256) };
            return out;
        }
        let point_ptrs: Vec<*const blst_p2_affine> = points.iter().map(|p| p as *const _).collect();
        let scalar_ptrs: Vec<*const u8> = scalars.iter().map(|s| s.as_ptr()).collect();
        // SAFETY: plain size query.
        let scratch_bytes = unsafe { blst_p2s_mult_pippenger_scratch_sizeof(points.len()) };
        let mut scratch: Vec<limb_t> = vec![0; scratch_bytes.div_ceil(size_of::<limb_t>())];
        // SAFETY: `points.len()` pointers to live points and as many to 32-byte
        // scalars, and a scratch area of the size blst asked for.
        unsafe {
            blst_p2s_mult_pippenger(
                &mut out,
                point_ptrs.as_ptr(),
                points.len(),
                scalar_ptrs.as_ptr(),
                256,
                scratch.as_mut_ptr(),
            );
        }
        out
    }

    fn infinity() -> blst_p2 {
        blst_p2::default()
    }

    fn encode(p: &blst_p2) -> Bytes {
        Bytes::copy_from_slice(&encode_g2(p))
    }
}
