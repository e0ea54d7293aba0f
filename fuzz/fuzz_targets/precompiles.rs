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

/// Gas buys work: MODEXP before Osaka takes any operand size, and 10^15 gas buys a second of
/// arithmetic (found by this target as a "timeout", which it is not). No call can have more
/// gas than a block, so the gas given is held to 2^30, above any block gas limit.
const MAX_GAS: u64 = 1 << 30;
/// BLAKE2F charges one gas per round and runs it: held to 2^20 rounds. Each input runs on
/// every fork that has BLAKE2F (ten of them), and the coverage instrumentation makes a round
/// about four times slower, so 2^25 rounds took 28 s per input (a CI smoke-run "timeout";
/// the rounds loop is the same at any count).
const BLAKE2F: Address = Address::with_last_byte(9);
const BLAKE2F_MAX_GAS: u64 = 1 << 20;
/// MODEXP prices schoolbook multiplication, so a gas unit buys the same work at any size:
/// a 64 KiB modulus with a 15-bit exponent costs 2.25 * 10^8 gas under EIP-198 and ran
/// for seconds on each of the ten forks before Osaka (a CI smoke-run "timeout"); a
/// one-limb modulus gets 20 squarings per gas there. Held to 2^18 gas per call, which
/// still reaches every operand shape and the even/odd modulus paths.
const MODEXP: Address = Address::with_last_byte(5);
const MODEXP_MAX_GAS: u64 = 1 << 18;

fuzz_target!(|input: Input| {
    static SETS: OnceLock<Vec<(SpecId, Precompiles)>> = OnceLock::new();
    let sets = SETS.get_or_init(|| SpecId::ALL.iter().map(|&s| (s, Precompiles::new(s))).collect());
    for (spec, set) in sets {
        for address in set.addresses() {
            let f = set.get(address).expect("listed addresses resolve");
            let cap = match *address {
                BLAKE2F => BLAKE2F_MAX_GAS,
                MODEXP => MODEXP_MAX_GAS,
                _ => MAX_GAS,
            };
            let gas_limit = input.gas_limit.min(cap);
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
