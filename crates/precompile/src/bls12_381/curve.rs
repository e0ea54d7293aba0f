//! What G1 and G2 have in common: addition and MSM are the same procedure on either
//! group, written once here over [`Curve`].

use super::{
    encoding::{SCALAR_LENGTH, Subgroup, read_scalar},
    msm::msm_gas,
};
use crate::{PrecompileError, PrecompileResult, utilities::charged};
use alloc::vec::Vec;
use lamina_primitives::Bytes;

/// One of the two groups, as blst provides it.
pub(super) trait Curve {
    /// Affine point.
    type Affine: Copy;
    /// Projective point.
    type Projective;
    /// Bytes of an encoded point.
    const POINT_LENGTH: usize;
    /// Decodes a point, checking that it is on the curve and, if asked, in the
    /// subgroup.
    fn read(bytes: &[u8], subgroup: Subgroup) -> Result<Self::Affine, PrecompileError>;
    /// Whether `p` is the point at infinity.
    fn is_infinity(p: &Self::Affine) -> bool;
    /// `a + b`.
    fn add(a: &Self::Affine, b: &Self::Affine) -> Self::Projective;
    /// `sum(scalars[i] * points[i])` for scalars given as little-endian bytes; the
    /// inputs hold no point at infinity and no zero scalar.
    fn msm(points: &[Self::Affine], scalars: &[[u8; SCALAR_LENGTH]]) -> Self::Projective;
    /// The point at infinity.
    fn infinity() -> Self::Projective;
    /// Encodes a point.
    fn encode(p: &Self::Projective) -> Bytes;
}

/// The addition precompile of `C`: two points without subgroup check (EIP-2537 asks
/// for none), input exactly two encoded points.
pub(super) fn add<C: Curve>(input: &[u8], gas_limit: u64, gas: u64) -> PrecompileResult {
    charged(gas, gas_limit, || {
        if input.len() != 2 * C::POINT_LENGTH {
            return Err(PrecompileError::Bls12381InvalidInputLength);
        }
        let (a, b) = input.split_at(C::POINT_LENGTH);
        let (a, b) = (C::read(a, Subgroup::Skip)?, C::read(b, Subgroup::Skip)?);
        Ok(C::encode(&C::add(&a, &b)))
    })
}

/// The MSM precompile of `C`: `k >= 1` pairs of (point, scalar), every point checked
/// to be in the subgroup, priced with `mult_cost` and `discounts`.
pub(super) fn msm<C: Curve>(
    input: &[u8],
    gas_limit: u64,
    mult_cost: u64,
    discounts: &[u16],
) -> PrecompileResult {
    let pair_length = C::POINT_LENGTH + SCALAR_LENGTH;
    let k = input.len() / pair_length;
    charged(msm_gas(k, mult_cost, discounts), gas_limit, || {
        if k == 0 || !input.len().is_multiple_of(pair_length) {
            return Err(PrecompileError::Bls12381InvalidInputLength);
        }
        let mut points = Vec::with_capacity(k);
        let mut scalars = Vec::with_capacity(k);
        for pair in input.chunks_exact(pair_length) {
            let (point, scalar) = pair.split_at(C::POINT_LENGTH);
            // Every point is validated, even those whose term vanishes.
            let point = C::read(point, Subgroup::Check)?;
            let scalar = read_scalar(scalar);
            if !C::is_infinity(&point) && scalar.iter().any(|&b| b != 0) {
                points.push(point);
                scalars.push(scalar);
            }
        }
        if points.is_empty() {
            return Ok(C::encode(&C::infinity()));
        }
        Ok(C::encode(&C::msm(&points, &scalars)))
    })
}
