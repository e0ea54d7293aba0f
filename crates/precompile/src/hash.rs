//! SHA256 (0x02) and RIPEMD160 (0x03).

use crate::{Precompile, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::Bytes;
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

/// SHA256 at 0x02, active since Frontier.
pub const SHA256: Precompile = Precompile::new(u64_to_address(2), sha256_run);
/// RIPEMD160 at 0x03, active since Frontier.
pub const RIPEMD160: Precompile = Precompile::new(u64_to_address(3), ripemd160_run);

/// Base price of SHA256.
pub const SHA256_BASE: u64 = 60;
/// SHA256 price per 32-byte word of input.
pub const SHA256_PER_WORD: u64 = 12;
/// Base price of RIPEMD160.
pub const RIPEMD160_BASE: u64 = 600;
/// RIPEMD160 price per 32-byte word of input.
pub const RIPEMD160_PER_WORD: u64 = 120;

/// SHA-256 digest of `input`, for `60 + 12 * words(input)` gas.
pub fn sha256_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(linear_cost(input.len(), SHA256_BASE, SHA256_PER_WORD), gas_limit, || {
        Ok(Bytes::copy_from_slice(&Sha256::digest(input)))
    })
}

/// RIPEMD-160 digest of `input` left-padded to 32 bytes, for
/// `600 + 120 * words(input)` gas.
pub fn ripemd160_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(linear_cost(input.len(), RIPEMD160_BASE, RIPEMD160_PER_WORD), gas_limit, || {
        let mut word = [0u8; 32];
        word[12..].copy_from_slice(&Ripemd160::digest(input));
        Ok(Bytes::copy_from_slice(&word))
    })
}
