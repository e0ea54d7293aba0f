//! BLS12_G1ADD (0x0b) and BLS12_G1MSM (0x0c).

use super::{
    curve::{self, Curve},
    encoding::{G1_LENGTH, SCALAR_LENGTH, Subgroup, encode_g1, read_g1},
    msm::G1_DISCOUNTS,
};
use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address};
use alloc::{vec, vec::Vec};
use blst::{
    blst_p1, blst_p1_add_or_double_affine, blst_p1_affine, blst_p1_affine_is_inf,
    blst_p1_from_affine, blst_p1_mult, blst_p1s_mult_pippenger,
    blst_p1s_mult_pippenger_scratch_sizeof, limb_t,
};
use lamina_primitives::Bytes;

/// BLS12_G1ADD at 0x0b.
pub const ADD: Precompile = Precompile::new(u64_to_address(0x0b), add_run);
/// BLS12_G1MSM at 0x0c.
pub const MSM: Precompile = Precompile::new(u64_to_address(0x0c), msm_run);

/// Price of G1 addition.
pub const ADD_GAS: u64 = 375;
/// Price of one G1 multiplication, the unit of MSM pricing.
pub const MUL_GAS: u64 = 12_000;

/// `P + Q` for two G1 points (256 bytes of input, no subgroup check).
pub fn add_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    curve::add::<G1>(input, gas_limit, ADD_GAS)
}

/// `sum(s_i * P_i)` for `k >= 1` pairs of a G1 point and a scalar (160 bytes each).
pub fn msm_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    curve::msm::<G1>(input, gas_limit, MUL_GAS, &G1_DISCOUNTS)
}

/// G1 as blst provides it.
pub(super) struct G1;

/// `p` in projective form.
fn projective(p: &blst_p1_affine) -> blst_p1 {
    let mut out = blst_p1::default();
    // SAFETY: both are live blst values.
    unsafe { blst_p1_from_affine(&mut out, p) };
    out
}

impl Curve for G1 {
    type Affine = blst_p1_affine;
    type Projective = blst_p1;
    const POINT_LENGTH: usize = G1_LENGTH;

    fn read(bytes: &[u8], subgroup: Subgroup) -> Result<blst_p1_affine, PrecompileError> {
        read_g1(bytes, subgroup)
    }

    fn is_infinity(p: &blst_p1_affine) -> bool {
        // SAFETY: `p` is a live affine point.
        unsafe { blst_p1_affine_is_inf(p) }
    }

    fn add(a: &blst_p1_affine, b: &blst_p1_affine) -> blst_p1 {
        let mut out = blst_p1::default();
        // SAFETY: all three are live blst values; blst handles infinity on either side.
        unsafe { blst_p1_add_or_double_affine(&mut out, &projective(a), b) };
        out
    }

    fn msm(points: &[blst_p1_affine], scalars: &[[u8; SCALAR_LENGTH]]) -> blst_p1 {
        let mut out = blst_p1::default();
        if let ([point], [scalar]) = (points, scalars) {
            // SAFETY: `scalar` holds the 256 bits that blst reads.
            unsafe { blst_p1_mult(&mut out, &projective(point), scalar.as_ptr(), 256) };
            return out;
        }
        let point_ptrs: Vec<*const blst_p1_affine> = points.iter().map(|p| p as *const _).collect();
        let scalar_ptrs: Vec<*const u8> = scalars.iter().map(|s| s.as_ptr()).collect();
        // SAFETY: plain size query.
        let scratch_bytes = unsafe { blst_p1s_mult_pippenger_scratch_sizeof(points.len()) };
        let mut scratch: Vec<limb_t> = vec![0; scratch_bytes.div_ceil(size_of::<limb_t>())];
        // SAFETY: `points.len()` pointers to live points and as many to 32-byte
        // scalars, and a scratch area of the size blst asked for.
        unsafe {
            blst_p1s_mult_pippenger(
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

    fn infinity() -> blst_p1 {
        blst_p1::default()
    }

    fn encode(p: &blst_p1) -> Bytes {
        Bytes::copy_from_slice(&encode_g1(p))
    }
}
