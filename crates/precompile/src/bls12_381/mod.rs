//! The BLS12-381 precompiles of EIP-2537 (Prague), at their final addresses and
//! prices, on top of blst.
//!
//! Encoding: a base-field element is 64 bytes, big-endian, the top 16 bytes zero and
//! the value below p; an F_p^2 element `c0 + c1 * v` is `c0 || c1`; a point is
//! `x || y`, and all zeros is the point at infinity; a scalar is 32 bytes big-endian
//! and may be any 256-bit value.

mod curve;
mod encoding;
pub mod g1;
pub mod g2;
pub mod map;
pub mod msm;
pub mod pairing;

use crate::Precompile;

pub use encoding::{
    FP_LENGTH, G1_LENGTH, G2_LENGTH, PADDED_FP_LENGTH, PADDED_FP2_LENGTH, SCALAR_LENGTH,
};

/// The seven precompiles, in address order 0x0b..=0x11.
pub const PRECOMPILES: [Precompile; 7] = [
    g1::ADD,
    g1::MSM,
    g2::ADD,
    g2::MSM,
    pairing::PAIRING_CHECK,
    map::MAP_FP_TO_G1,
    map::MAP_FP2_TO_G2,
];
