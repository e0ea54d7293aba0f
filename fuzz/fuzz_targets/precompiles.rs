//! Arbitrary input and gas limit to every precompile of every fork: each call returns an
//! output or an error, and an output never costs more than the gas given.

#![no_main]

use arbitrary::Arbitrary;
use lamina_precompile::Precompiles;
use lamina_primitives::{Address, SpecId};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Input {
    input: Vec<u8>,
    gas_limit: u64,
}

/// BLAKE2F charges one gas per round and runs it: with a gas limit near 2^64 a 2^32-round
/// call is valid and takes minutes, which libFuzzer would report as a hang. Its gas is held
/// to 2^25, above any block gas limit.
const BLAKE2F: Address = Address::with_last_byte(9);
const BLAKE2F_MAX_GAS: u64 = 1 << 25;

fuzz_target!(|input: Input| {
    static SETS: OnceLock<Vec<(SpecId, Precompiles)>> = OnceLock::new();
    let sets = SETS.get_or_init(|| SpecId::ALL.iter().map(|&s| (s, Precompiles::new(s))).collect());
    for (spec, set) in sets {
        for address in set.addresses() {
            let f = set.get(address).expect("listed addresses resolve");
            let gas_limit = if *address == BLAKE2F {
                input.gas_limit.min(BLAKE2F_MAX_GAS)
            } else {
                input.gas_limit
            };
            if let Ok(output) = f(&input.input, gas_limit) {
                assert!(
                    output.gas_used <= gas_limit,
                    "{spec} {address}: {} gas used of {gas_limit}",
                    output.gas_used
                );
            }
        }
    }
});
