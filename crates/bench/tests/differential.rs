//! Differential testing in `cargo test`: random but structured scenarios (a fork, a block, a
//! small pre-state and a transaction of any of the five types, decoded by the reliability
//! suite's `Scenario`) run on Lamina and on revm, which must agree on status, gas used,
//! refund, output, logs and the state left behind (`fuzz/src/differential.rs`, the code the
//! `differential` fuzz target runs for longer under libFuzzer).
//!
//! This crate is the workspace's only one allowed to link revm, so the comparison that
//! `cargo test` runs lives here; both files are included as they are, so one scenario means
//! the same thing in the fuzz target, the proptest suite and this test.

#[allow(dead_code)] // the fault-injection suite uses the rest
#[path = "../../../tests/src/reliability/scenario.rs"]
mod scenario;

#[allow(dead_code)]
#[path = "../../../fuzz/src/differential.rs"]
mod differential;

use proptest::prelude::*;
use scenario::{Entropy, Scenario};

/// 2,000 cases in `cargo test`; `LAMINA_DIFF_CASES=N` runs N (for long runs by hand).
fn cases() -> u32 {
    std::env::var("LAMINA_DIFF_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// A difference panics inside `compare` with both outcomes and the scenario printed;
    /// proptest then shrinks the input bytes.
    #[test]
    fn lamina_and_revm_agree_on_random_transactions(
        bytes in proptest::collection::vec(any::<u8>(), 0..1200),
    ) {
        let scenario = Scenario::generate(&mut Entropy::new(&bytes));
        differential::compare(scenario);
    }
}

/// The decoder must reach the forks revm has and transactions that run code, or the property
/// above would compare nothing: over a fixed sample, at least half the scenarios are compared
/// (the rest are on Constantinople, which revm lacks, or need what `comparable` explains).
#[test]
fn most_scenarios_are_compared() {
    let mut compared = 0;
    for seed in 0u32..200 {
        let bytes: Vec<u8> = (0..600u32)
            .map(|i| (seed.wrapping_mul(2_654_435_761) ^ i.wrapping_mul(40_503)) as u8)
            .collect();
        if differential::compare(Scenario::generate(&mut Entropy::new(&bytes))) {
            compared += 1;
        }
    }
    assert!(compared >= 100, "only {compared} of 200 scenarios were comparable");
}
