//! Decoding and encoding of EIP-2537 field elements, points and scalars.
//!
//! blst is a C library: every call below passes pointers to live, properly sized
//! values of blst's own types, which is all its functions require.

use crate::PrecompileError;
use blst::{
    blst_bendian_from_fp, blst_fp, blst_fp_from_bendian, blst_fp2, blst_p1, blst_p1_affine,
    blst_p1_affine_in_g1, blst_p1_affine_is_inf, blst_p1_affine_on_curve, blst_p1_to_affine,
    blst_p2, blst_p2_affine, blst_p2_affine_in_g2, blst_p2_affine_is_inf, blst_p2_affine_on_curve,
    blst_p2_to_affine,
};

/// Bytes of a field element's value (381 bits round up to 48 bytes).
pub const FP_LENGTH: usize = 48;
/// Bytes of an encoded field element: 16 zero bytes then the value.
pub const PADDED_FP_LENGTH: usize = 64;
/// Bytes of an encoded G1 point.
pub const G1_LENGTH: usize = 2 * PADDED_FP_LENGTH;
/// Bytes of an encoded F_p^2 element.
pub const PADDED_FP2_LENGTH: usize = 2 * PADDED_FP_LENGTH;
/// Bytes of an encoded G2 point.
pub const G2_LENGTH: usize = 2 * PADDED_FP2_LENGTH;
/// Bytes of an encoded scalar.
pub const SCALAR_LENGTH: usize = 32;

/// The base-field modulus p, big-endian.
const MODULUS: [u8; FP_LENGTH] = lamina_primitives::hex!(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
);

/// Whether a point must also be checked to lie in the prime-order subgroup (MSM and
/// pairing) or only on the curve (addition).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Subgroup {
    Check,
    Skip,
}

/// A field element from its 64-byte encoding; refuses non-zero padding and values
/// not below p (blst itself would silently reduce them).
pub(super) fn read_fp(bytes: &[u8]) -> Result<blst_fp, PrecompileError> {
    let (padding, value) = bytes.split_at(PADDED_FP_LENGTH - FP_LENGTH);
    if padding.iter().any(|&b| b != 0) || value.len() != FP_LENGTH || value >= &MODULUS[..] {
        return Err(PrecompileError::Bls12381InvalidFieldElement);
    }
    let mut fp = blst_fp::default();
    // SAFETY: `value` holds exactly the 48 bytes blst reads.
    unsafe { blst_fp_from_bendian(&mut fp, value.as_ptr()) };
    Ok(fp)
}

/// An F_p^2 element from `c0(64) || c1(64)`.
pub(super) fn read_fp2(bytes: &[u8]) -> Result<blst_fp2, PrecompileError> {
    let (c0, c1) = bytes.split_at(PADDED_FP_LENGTH);
    Ok(blst_fp2 { fp: [read_fp(c0)?, read_fp(c1)?] })
}

/// A G1 point from 128 bytes; all zeros is infinity, which blst represents the same
/// way in affine form.
pub(super) fn read_g1(bytes: &[u8], subgroup: Subgroup) -> Result<blst_p1_affine, PrecompileError> {
    let (x, y) = bytes.split_at(PADDED_FP_LENGTH);
    let p = blst_p1_affine { x: read_fp(x)?, y: read_fp(y)? };
    // SAFETY: `p` is a live affine point.
    unsafe {
        if blst_p1_affine_is_inf(&p) {
            return Ok(p);
        }
        if !blst_p1_affine_on_curve(&p) {
            return Err(PrecompileError::Bls12381PointNotOnCurve);
        }
        if subgroup == Subgroup::Check && !blst_p1_affine_in_g1(&p) {
            return Err(PrecompileError::Bls12381PointNotInSubgroup);
        }
    }
    Ok(p)
}

/// A G2 point from 256 bytes; all zeros is infinity.
pub(super) fn read_g2(bytes: &[u8], subgroup: Subgroup) -> Result<blst_p2_affine, PrecompileError> {
    let (x, y) = bytes.split_at(PADDED_FP2_LENGTH);
    let p = blst_p2_affine { x: read_fp2(x)?, y: read_fp2(y)? };
    // SAFETY: `p` is a live affine point.
    unsafe {
        if blst_p2_affine_is_inf(&p) {
            return Ok(p);
        }
        if !blst_p2_affine_on_curve(&p) {
            return Err(PrecompileError::Bls12381PointNotOnCurve);
        }
        if subgroup == Subgroup::Check && !blst_p2_affine_in_g2(&p) {
            return Err(PrecompileError::Bls12381PointNotInSubgroup);
        }
    }
    Ok(p)
}

/// A 32-byte big-endian scalar as the little-endian bytes blst multiplies by.
pub(super) fn read_scalar(bytes: &[u8]) -> [u8; SCALAR_LENGTH] {
    let mut le = [0u8; SCALAR_LENGTH];
    le.copy_from_slice(bytes);
    le.reverse();
    le
}

/// Writes the 64-byte encoding of `fp` into `out`.
fn write_fp(fp: &blst_fp, out: &mut [u8]) {
    let (padding, value) = out.split_at_mut(PADDED_FP_LENGTH - FP_LENGTH);
    padding.fill(0);
    // SAFETY: `value` has room for the 48 bytes blst writes.
    unsafe { blst_bendian_from_fp(value.as_mut_ptr(), fp) };
}

/// The 128-byte encoding of a projective G1 point (infinity becomes all zeros).
pub(super) fn encode_g1(p: &blst_p1) -> [u8; G1_LENGTH] {
    let mut affine = blst_p1_affine::default();
    // SAFETY: both are live blst values.
    unsafe { blst_p1_to_affine(&mut affine, p) };
    let mut out = [0u8; G1_LENGTH];
    let (x, y) = out.split_at_mut(PADDED_FP_LENGTH);
    write_fp(&affine.x, x);
    write_fp(&affine.y, y);
    out
}

/// The 256-byte encoding of a projective G2 point (infinity becomes all zeros).
pub(super) fn encode_g2(p: &blst_p2) -> [u8; G2_LENGTH] {
    let mut affine = blst_p2_affine::default();
    // SAFETY: both are live blst values.
    unsafe { blst_p2_to_affine(&mut affine, p) };
    let mut out = [0u8; G2_LENGTH];
    for (chunk, fp) in out.chunks_exact_mut(PADDED_FP_LENGTH).zip([
        &affine.x.fp[0],
        &affine.x.fp[1],
        &affine.y.fp[0],
        &affine.y.fp[1],
    ]) {
        write_fp(fp, chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_element_rules() {
        let mut bytes = [0u8; PADDED_FP_LENGTH];
        bytes[16..].copy_from_slice(&MODULUS);
        assert_eq!(read_fp(&bytes).err(), Some(PrecompileError::Bls12381InvalidFieldElement));
        bytes[63] -= 1; // p - 1 is the largest element
        assert!(read_fp(&bytes).is_ok());
        bytes[0] = 1; // non-zero padding
        assert_eq!(read_fp(&bytes).err(), Some(PrecompileError::Bls12381InvalidFieldElement));
    }
}
