//! IDENTITY (0x04): returns its input.

use crate::{Precompile, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::Bytes;

/// IDENTITY at 0x04, active since Frontier.
pub const IDENTITY: Precompile = Precompile::new(u64_to_address(4), run);

/// Base price of IDENTITY.
pub const BASE: u64 = 15;
/// Price per 32-byte word of input.
pub const PER_WORD: u64 = 3;

/// Copies `input` to the output for `15 + 3 * words(input)` gas.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(linear_cost(input.len(), BASE, PER_WORD), gas_limit, || {
        Ok(Bytes::copy_from_slice(input))
    })
}
