//! The Ethereum precompiled contracts, Frontier to Osaka, as pure functions, and
//! [`Precompiles`]: the set of them that a fork activates.
//!
//! Every precompile is a [`PrecompileFn`]: it takes the call data and the gas
//! forwarded to it and either returns the exact gas it used with its output, or an
//! error, after which the caller burns all the gas it forwarded.
//!
//! ```
//! use lamina_precompile::{Precompiles, u64_to_address};
//! use lamina_primitives::{SpecId, hex};
//!
//! let precompiles = Precompiles::new(SpecId::OSAKA);
//! let sha256 = precompiles.get(&u64_to_address(2)).expect("SHA256 is active in Osaka");
//! let out = sha256(b"abc", 1_000).expect("enough gas");
//! // 60 base + 12 for the one 32-byte word of input.
//! assert_eq!(out.gas_used, 72);
//! assert_eq!(
//!     out.bytes[..],
//!     hex!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
//! );
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

/// The code blocks of README.md, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod blake2;
pub mod bls12_381;
pub mod bn254;
pub mod hash;
pub mod identity;
pub mod kzg;
pub mod modexp;
pub mod p256;
pub mod secp256k1;
mod set;
pub mod utilities;

use lamina_primitives::{Address, Bytes};

pub use set::Precompiles;

/// What a precompile returns when it succeeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecompileOutput {
    /// Gas the call costs; never more than the gas limit it was given.
    pub gas_used: u64,
    /// Return data of the call.
    pub bytes: Bytes,
}

impl PrecompileOutput {
    /// An output of `bytes` that cost `gas_used`.
    pub fn new(gas_used: u64, bytes: Bytes) -> Self {
        Self { gas_used, bytes }
    }
}

/// Why a precompile call failed. Whatever the variant, the call consumes all the gas
/// forwarded to it; the variants exist for tracing and tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrecompileError {
    /// The price of the call exceeds the gas limit.
    #[error("out of gas")]
    OutOfGas,
    /// BLAKE2F input is not exactly 213 bytes.
    #[error("blake2f: input must be exactly 213 bytes")]
    Blake2WrongLength,
    /// BLAKE2F final-block flag is neither 0 nor 1.
    #[error("blake2f: final block flag must be 0 or 1")]
    Blake2WrongFinalFlag,
    /// MODEXP operand length above the EIP-7823 limit of 1024 bytes.
    #[error("modexp: base, exponent and modulus must each be at most 1024 bytes")]
    ModexpEip7823LimitSize,
    /// MODEXP operand length so large that no gas limit reachable on Ethereum could
    /// pay for it (see [`modexp::MAX_LENGTH`]).
    #[error("modexp: operand length too large")]
    ModexpLengthOverflow,
    /// BN254 coordinate is not below the field modulus.
    #[error("bn254: coordinate is not a field element")]
    Bn254FieldPointNotAMember,
    /// BN254 point is not on the curve (or, for G2, not in the subgroup).
    #[error("bn254: point is not on the curve or not in the subgroup")]
    Bn254AffineGFailedToCreate,
    /// BN254 pairing input length is not a multiple of 192.
    #[error("bn254: pairing input length must be a multiple of 192")]
    Bn254PairLength,
    /// KZG input is not 192 bytes, its versioned hash does not match the
    /// commitment, or a field element or point is malformed.
    #[error("kzg: invalid input")]
    KzgInvalidInput,
    /// The KZG proof does not verify.
    #[error("kzg: proof verification failed")]
    KzgVerifyFailed,
    /// BLS12-381 input has the wrong length for the precompile.
    #[error("bls12-381: invalid input length")]
    Bls12381InvalidInputLength,
    /// BLS12-381 field element is not canonical (not below p) or its 16 padding
    /// bytes are not zero.
    #[error("bls12-381: invalid field element encoding")]
    Bls12381InvalidFieldElement,
    /// BLS12-381 point is not on the curve.
    #[error("bls12-381: point is not on the curve")]
    Bls12381PointNotOnCurve,
    /// BLS12-381 point is on the curve but not in the prime-order subgroup.
    #[error("bls12-381: point is not in the subgroup")]
    Bls12381PointNotInSubgroup,
    /// Something other than the above went wrong in a precompile that a custom
    /// chain supplied.
    #[error("{0}")]
    Other(alloc::string::String),
}

/// Result of a precompile call.
pub type PrecompileResult = Result<PrecompileOutput, PrecompileError>;

/// A precompiled contract: `(input, gas_limit)`.
pub type PrecompileFn = fn(&[u8], u64) -> PrecompileResult;

/// A precompiled contract at its address.
#[derive(Clone, Copy, Debug)]
pub struct Precompile {
    /// Address the precompile is called at.
    pub address: Address,
    /// Its implementation.
    pub function: PrecompileFn,
}

impl Precompile {
    /// The precompile `function` at `address`.
    pub const fn new(address: Address, function: PrecompileFn) -> Self {
        Self { address, function }
    }
}

/// The address whose last 8 bytes are `x` big-endian, the rest zero: `u64_to_address(5)`
/// is MODEXP's `0x…05`.
pub const fn u64_to_address(x: u64) -> Address {
    let b = x.to_be_bytes();
    Address::new([
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
    ])
}
