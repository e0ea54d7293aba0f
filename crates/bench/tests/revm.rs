//! revm run by this crate (feature `revm`) must reproduce every outcome recorded in
//! `revm_outcomes.jsonl`, through the very path the `side-by-side` binary times
//! (`Suite::compare`, one warm-up and one timed run per EVM), which also checks Lamina against
//! revm. That both agree with the record is what makes their timings comparable. No test here
//! looks at a duration.

use lamina_bench::{Case, Error, Evm, Lamina, Outcome, Revm, Suite, shared_bench_dir};
use lamina_context_interface::SignedAuthorization;
use lamina_primitives::SpecId;
use std::sync::OnceLock;

fn suite() -> &'static Suite {
    static SUITE: OnceLock<Suite> = OnceLock::new();
    SUITE.get_or_init(|| {
        let dir = shared_bench_dir();
        Suite::load(&dir).unwrap_or_else(|error| {
            panic!("cannot load the shared benchmarks from {}: {error}", dir.display())
        })
    })
}

/// Compares every case of the benchmarks whose names start with `prefix` (optional ones
/// included); fails listing every case that went wrong.
fn compare_all(prefix: &str) {
    let suite = suite();
    let cases: Vec<&Case> = suite.cases().filter(|case| case.name.starts_with(prefix)).collect();
    assert!(!cases.is_empty(), "no case starts with {prefix}");
    let mut failures = Vec::new();
    for case in cases {
        match suite.compare(case, 1) {
            Ok(comparison) => {
                assert_eq!(&comparison.revm.outcome, suite.expected(&case.name).unwrap());
                assert_eq!((comparison.revm.evm, comparison.lamina.evm), ("revm", "lamina"));
                println!("ok   {}", case.name);
            }
            Err(error) => {
                println!("FAIL {error}");
                failures.push(error.to_string());
            }
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

// Split by group so that the test harness runs them in parallel.

#[test]
fn revm_benchmarks_match_the_record() {
    compare_all("revm/");
}

#[test]
fn lamina_benchmarks_match_the_record() {
    compare_all("lamina/");
}

#[test]
fn evmone_benchmarks_match_the_record() {
    compare_all("evmone/");
}

#[test]
fn gas_cost_estimator_programs_match_the_record() {
    compare_all("revm-gce/");
}

#[test]
fn every_recorded_case_is_compared() {
    let suite = suite();
    let prefixes = ["revm/", "lamina/", "evmone/", "revm-gce/"];
    for name in suite.expected.keys() {
        assert!(prefixes.iter().any(|prefix| name.starts_with(prefix)), "{name} is not compared");
        assert!(suite.cases().any(|case| &case.name == name), "no case {name}");
    }
}

#[test]
fn a_mismatch_names_the_evm() {
    let mut suite = suite().clone();
    let case = suite.select(&["revm/transfer"]).unwrap()[0].clone();
    let record = suite.expected.get_mut("revm/transfer").unwrap();
    *record = Outcome { gas_used: record.gas_used + 1, ..record.clone() };
    match suite.compare(&case, 1) {
        Err(Error::On { evm: "revm", source }) => {
            assert!(matches!(*source, Error::Mismatch { .. }), "{source}");
        }
        other => panic!("expected a mismatch on revm, got {other:?}"),
    }
    // Lamina on its own against the same wrong record.
    assert!(matches!(suite.check_on::<Lamina>(&case), Err(Error::Mismatch { .. })));
}

#[test]
fn invalid_transactions_are_errors_on_revm() {
    let mut case = suite().select(&["revm/transfer"]).unwrap()[0].clone();
    // The BenchmarkDB caller has 10^16 wei.
    case.txs[0].value = lamina_primitives::U256::from(10u64).pow(lamina_primitives::U256::from(18));
    let input = Revm::prepare(&case).unwrap();
    assert!(matches!(Revm::execute(&input), Err(Error::InvalidTransaction { index: 0, .. })));
    assert!(matches!(Lamina::execute(&&case), Err(Error::InvalidTransaction { index: 0, .. })));
}

#[test]
fn what_revm_cannot_express_is_refused() {
    let case = suite().select(&["revm/transfer"]).unwrap()[0];
    let refused = |change: &dyn Fn(&mut Case)| {
        let mut changed = case.clone();
        change(&mut changed);
        let error = Revm::prepare(&changed).map(|_| ()).unwrap_err();
        assert!(matches!(error, Error::Setup { .. }), "{error}");
    };
    refused(&|case| case.cfg.disable_balance_check = true);
    refused(&|case| case.cfg.memory_limit = 1 << 20);
    refused(&|case| case.cfg.spec = SpecId::MUIR_GLACIER);
    refused(&|case| case.txs[0].authorization_list.push(SignedAuthorization::default()));
    // What it can express is converted.
    let mut limited = case.clone();
    limited.cfg.limit_contract_code_size = Some(100);
    assert!(Revm::prepare(&limited).is_ok());
}
