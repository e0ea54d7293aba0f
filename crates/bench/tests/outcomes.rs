//! Every shared benchmark case, run on Lamina, must have exactly the outcome recorded on
//! revm 43.0.3 (`revm_outcomes.jsonl`), field by field; on top of that, the values that
//! `MANIFEST.md` states in prose are checked against the final state.
//!
//! Nothing passes silently: a missing data folder, a `benchmarks.json` without cases, a
//! recorded name that no case produces, or a benchmark no test here runs is a failure.

use lamina_bench::{Error, Execution, Outcome, Suite, execute, shared_bench_dir, time_case};
use lamina_database::DbAccount;
use lamina_primitives::{Address, B256, Bytes, U256, keccak256};
use std::{
    collections::{BTreeMap, BTreeSet},
    sync::OnceLock,
    time::Instant,
};

/// The benchmarks of `benchmarks.json` that the tests below run, each by `check_benchmark`.
const TESTED: &[&str] = &[
    "revm/analysis",
    "revm/snailtracer",
    "revm/burntpix",
    "revm/transfer",
    "revm/transfer_multi_1000",
    "revm/subcall_1000_transfer_1wei",
    "revm/subcall_1000_same_account",
    "revm/subcall_1000_nested",
    "revm-gce",
    "lamina/subcall_call_value0",
    "lamina/subcall_call_value1",
    "lamina/subcall_delegatecall",
    "lamina/subcall_staticcall",
    "lamina/transfer_single",
    "lamina/transfers_10k",
    "lamina/erc20_transfer",
    "lamina/erc20_mint_and_5000_transfers",
    "evmone/main/blake2b_huff",
    "evmone/main/blake2b_shifts",
    "evmone/main/sha1_divs",
    "evmone/main/sha1_shifts",
    "evmone/main/weierstrudel",
    "evmone/micro/jump_around",
    "evmone/micro/loop_with_many_jumpdests",
    "evmone/micro/memory_grow_mload",
    "evmone/micro/memory_grow_mstore",
    "evmone/micro/signextend",
];

fn suite() -> &'static Suite {
    static SUITE: OnceLock<Suite> = OnceLock::new();
    SUITE.get_or_init(|| {
        let dir = shared_bench_dir();
        Suite::load(&dir).unwrap_or_else(|error| {
            panic!("cannot load the shared benchmarks from {}: {error}", dir.display())
        })
    })
}

/// Runs every case of benchmark `name` from its fresh pre-state and compares its outcome
/// with revm's; fails listing every differing case. Returns the runs by case name.
fn check_benchmark(name: &str) -> BTreeMap<String, Execution> {
    let suite = suite();
    let benchmark = suite.benchmark(name).unwrap_or_else(|| panic!("no benchmark {name}"));
    let mut failures = Vec::new();
    let mut runs = BTreeMap::new();
    for case in &benchmark.cases {
        let checked = execute(case).and_then(|execution| {
            execution.outcome().check(&case.name, suite.expected(&case.name)?)?;
            Ok(execution)
        });
        match checked {
            Ok(execution) => {
                println!("ok   {}", case.name);
                runs.insert(case.name.clone(), execution);
            }
            Err(error) => {
                println!("FAIL {error}");
                failures.push(error.to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases of {name} differ from revm:\n{}",
        failures.len(),
        benchmark.cases.len(),
        failures.join("\n")
    );
    runs
}

/// The single run of a one-case benchmark.
fn check_single(name: &str) -> Execution {
    let mut runs = check_benchmark(name);
    runs.remove(name).unwrap_or_else(|| panic!("{name} is not a single case"))
}

fn account(run: &Execution, address: Address) -> &DbAccount {
    run.state.accounts.get(&address).unwrap_or_else(|| panic!("{address} is not in the state"))
}

fn balance(run: &Execution, address: Address) -> U256 {
    account(run, address).info.balance
}

fn slot(run: &Execution, address: Address, key: U256) -> U256 {
    account(run, address).storage.get(&key).copied().unwrap_or_default()
}

/// An address as a left-padded 32-byte word.
fn word(address: Address) -> Bytes {
    Bytes::copy_from_slice(address.into_word().as_slice())
}

fn u(n: u128) -> U256 {
    U256::from(n)
}

const ETHER: u128 = 1_000_000_000_000_000_000;

#[test]
fn every_recorded_outcome_has_a_case() {
    let suite = suite();
    let cases: BTreeSet<&str> = suite.cases().map(|case| case.name.as_str()).collect();
    assert!(!cases.is_empty(), "benchmarks.json yields no case");
    let recorded: BTreeSet<&str> = suite.expected.keys().map(String::as_str).collect();
    assert_eq!(recorded.len(), 191, "revm_outcomes.jsonl should record 191 outcomes");
    let not_produced: Vec<_> = recorded.difference(&cases).collect();
    assert!(not_produced.is_empty(), "recorded but no case produces them: {not_produced:?}");
    let not_recorded: Vec<_> = cases.difference(&recorded).collect();
    assert!(not_recorded.is_empty(), "cases without a revm outcome: {not_recorded:?}");

    let benchmarks: BTreeSet<&str> = suite.benchmarks.iter().map(|b| b.name.as_str()).collect();
    let tested: BTreeSet<&str> = TESTED.iter().copied().collect();
    assert_eq!(benchmarks, tested, "every benchmark of benchmarks.json needs a test here");

    let gce = suite.benchmark("revm-gce").unwrap();
    assert_eq!(gce.cases.len(), 139);
    assert_eq!(gce.skipped, ["CODECOPY_50"], "only the odd-length row is skipped");
    // MANIFEST.md section 4 says "37 cases", but its table lists 36 (5 + 4 + 5 + 5 + 5 + 1
    // + 1 + 4 + 4 + 2), and 36 are recorded: 16 + 139 + 36 = 191.
    let evmone = suite.cases().filter(|case| case.name.starts_with("evmone/")).count();
    assert_eq!(evmone, 36);
}

// ---- revm's `revme bench` inputs ----

#[test]
fn revm_analysis() {
    let run = check_single("revm/analysis");
    let outcome = run.outcome();
    assert_eq!(outcome.status, "success:Return");
    assert_eq!(outcome.gas_used, 33_749);
    // The constructor returns the token's runtime code.
    assert_eq!(run.output().len(), 3_130);
}

#[test]
fn revm_snailtracer() {
    let outcome = check_single("revm/snailtracer").outcome();
    assert_eq!(outcome.gas_used, 161_088_532);
    assert_eq!(outcome.gas_spent, 165_983_932);
    assert_eq!(outcome.gas_refunded, 4_895_400);
}

#[test]
fn revm_burntpix() {
    let outcome = check_single("revm/burntpix").outcome();
    assert_eq!(outcome.gas_used, 159_033_567);
    assert_eq!(outcome.logs, 11);
    assert_eq!(outcome.gas_refunded, 0);
    assert_eq!(outcome.output_len, 192_288);
}

#[test]
fn revm_transfer() {
    let run = check_single("revm/transfer");
    assert_eq!(run.outcome().gas_used, 21_000);
    // Gas price 1 wei over basefee 0: the coinbase gets 21,000 wei.
    assert_eq!(balance(&run, Address::ZERO), u(21_000));
    assert_eq!(balance(&run, Address::repeat_byte(0xff)), u(10_000_000_000_000_001));
}

#[test]
fn revm_transfer_multi_1000() {
    let run = check_single("revm/transfer_multi_1000");
    let outcome = run.outcome();
    assert_eq!((outcome.status.as_str(), outcome.txs), ("success", 1_000));
    assert_eq!(outcome.gas_used, 21_000_000);
    for i in [0u64, 999] {
        let address = Address::left_padding_from(&(10_000 + i).to_be_bytes());
        assert_eq!(balance(&run, address), u(3_000_000_001));
    }
    let untouched = Address::left_padding_from(&11_000u64.to_be_bytes());
    assert_eq!(balance(&run, untouched), u(3_000_000_000));
}

#[test]
fn revm_subcalls() {
    let expected = [
        ("revm/subcall_1000_transfer_1wei", 6_871_505),
        ("revm/subcall_1000_same_account", 171_505),
        ("revm/subcall_1000_nested", 296_005),
    ];
    for (name, gas) in expected {
        let run = check_single(name);
        let outcome = run.outcome();
        assert_eq!((outcome.status.as_str(), outcome.gas_used), ("success:Stop", gas), "{name}");
    }
}

// ---- Lamina's benchmarks ----

#[test]
fn lamina_subcalls() {
    let loop_contract = Address::repeat_byte(0xcc);
    let callee = Address::repeat_byte(0xdd);
    let sender = Address::repeat_byte(0x11);
    let expected = [
        ("lamina/subcall_call_value0", 202_514, loop_contract),
        ("lamina/subcall_call_value1", 6_902_514, loop_contract),
        ("lamina/subcall_delegatecall", 199_514, sender),
        ("lamina/subcall_staticcall", 199_514, loop_contract),
    ];
    for (name, gas, returned) in expected {
        let run = check_single(name);
        let outcome = run.outcome();
        assert_eq!((outcome.status.as_str(), outcome.gas_used), ("success:Return", gas), "{name}");
        // CALL and STATICCALL run the callee in its own context, so its CALLER is the loop
        // contract; DELEGATECALL keeps the loop's context, whose caller is the sender.
        assert_eq!(run.output(), word(returned), "{name}");
        let callee_balance = if name.ends_with("value1") { 1_000 } else { 0 };
        assert_eq!(balance(&run, callee), u(callee_balance), "{name}");
    }
}

#[test]
fn lamina_transfer_single() {
    let run = check_single("lamina/transfer_single");
    let s0: Address = "0x1000000000000000000000000000000000000000".parse().unwrap();
    let r0: Address = "0x2000000000000000000000000000000000000000".parse().unwrap();
    let coinbase = Address::repeat_byte(0xc0);
    assert_eq!(balance(&run, s0), u(998_958_000_000_000_000));
    assert_eq!(account(&run, s0).info.nonce, 1);
    assert_eq!(balance(&run, r0), u(1_000_000_000_000_000));
    // The tip: 21,000 gas × (2 gwei − 1 gwei basefee); the basefee part is burned.
    assert_eq!(balance(&run, coinbase), u(21_000_000_000_000));
}

#[test]
fn lamina_transfers_10k() {
    let run = check_single("lamina/transfers_10k");
    let outcome = run.outcome();
    assert_eq!((outcome.status.as_str(), outcome.txs), ("success", 10_000));
    assert_eq!(outcome.gas_used, 210_000_000);
    assert_eq!(outcome.post_accounts, 20_001);
    assert_eq!(balance(&run, Address::repeat_byte(0xc0)), u(210_000_000_000_000_000));
    let base = |first: u8, i: u16| {
        let mut bytes = [0u8; 20];
        bytes[0] = first;
        bytes[18..].copy_from_slice(&i.to_be_bytes());
        Address::from(bytes)
    };
    for i in [0, 1, 9_999] {
        assert_eq!(balance(&run, base(0x10, i)), u(998_958_000_000_000_000));
        assert_eq!(account(&run, base(0x10, i)).info.nonce, 1);
        assert_eq!(balance(&run, base(0x20, i)), u(1_000_000_000_000_000));
    }
}

#[test]
fn lamina_erc20_transfer() {
    let run = check_single("lamina/erc20_transfer");
    let token = Address::repeat_byte(0xcc);
    let outcome = run.outcome();
    assert_eq!((outcome.status.as_str(), outcome.gas_used), ("success:Return", 51_361));
    let sender_slot: U256 =
        "0xf043c50fe795c69f30b8ff78b84032dc53a9d87ca283ae10a1dacfbb648e83ef".parse().unwrap();
    let recipient_slot: U256 =
        "0x56136bdb02b44e818120154143c922d9485e19e5b7288e7176da184391d4457c".parse().unwrap();
    // `_balances` is at slot 0: the balance of `a` is at keccak256(pad32(a) ‖ pad32(0)).
    let recipient = Address::repeat_byte(0x22);
    let derived = keccak256([recipient.into_word().as_slice(), &[0u8; 32]].concat());
    assert_eq!(U256::from_be_bytes(derived.0), recipient_slot);
    assert_eq!(slot(&run, token, recipient_slot), u(ETHER));
    assert_eq!(slot(&run, token, sender_slot), u(1_000_000 * ETHER - ETHER));
    let logs: Vec<_> = run.logs().collect();
    assert_eq!(logs.len(), 1);
    let transfer_topic = keccak256("Transfer(address,address,uint256)");
    assert_eq!(logs[0].topics()[0], transfer_topic);
    assert_eq!(run.output(), Bytes::copy_from_slice(B256::with_last_byte(1).as_slice()));
}

#[test]
fn lamina_erc20_mint_and_5000_transfers() {
    let outcome = check_single("lamina/erc20_mint_and_5000_transfers").outcome();
    assert_eq!(outcome.gas_used, 13_529_850);
    // One mint plus 5,000 transfers.
    assert_eq!(outcome.logs, 5_001);
}

// ---- evmone's benchmarks ----

fn check_evmone(names: &[&str]) {
    for name in names {
        for (case, run) in check_benchmark(name) {
            assert_eq!(run.outcome().expected_output_match, Some(true), "{case}");
        }
    }
}

#[test]
fn evmone_main_blake2b() {
    check_evmone(&["evmone/main/blake2b_huff", "evmone/main/blake2b_shifts"]);
}

#[test]
fn evmone_main_sha1() {
    check_evmone(&["evmone/main/sha1_divs", "evmone/main/sha1_shifts"]);
}

#[test]
fn evmone_main_weierstrudel() {
    check_evmone(&["evmone/main/weierstrudel"]);
}

#[test]
fn evmone_micro() {
    check_evmone(&[
        "evmone/micro/jump_around",
        "evmone/micro/loop_with_many_jumpdests",
        "evmone/micro/memory_grow_mload",
        "evmone/micro/memory_grow_mstore",
        "evmone/micro/signextend",
    ]);
}

// ---- revme's gas-cost-estimator programs (optional in the CLI, always tested) ----

#[test]
fn revm_gas_cost_estimator() {
    let start = Instant::now();
    let runs = check_benchmark("revm-gce");
    println!("139 gas-cost-estimator programs in {:?}", start.elapsed());
    assert_eq!(runs.len(), 139);
    for (case, run) in &runs {
        assert_eq!(run.outcome().status, "success:Stop", "{case}");
    }
}

// ---- selection and timing, for `lamina bench` ----

#[test]
fn selection_by_name() {
    let suite = suite();
    let names = |selected: Vec<&lamina_bench::Case>| -> Vec<String> {
        selected.into_iter().map(|case| case.name.clone()).collect()
    };
    let all = names(suite.select::<&str>(&[]).unwrap());
    assert_eq!(all.len(), 16 + 36, "no names: every case but the optional programs");
    assert!(all.iter().all(|name| !name.starts_with("revm-gce/")));
    assert_eq!(names(suite.select(&["revm"]).unwrap()).len(), 8);
    assert_eq!(names(suite.select(&["revm-gce"]).unwrap()).len(), 139);
    let some =
        names(suite.select(&["evmone/main/sha1_divs/1351", "revm/transfer", "revm"]).unwrap());
    assert_eq!(some.len(), 9, "each case once: {some:?}");
    assert!(
        matches!(suite.select(&["revm/trans"]), Err(Error::UnknownName(name)) if name == "revm/trans")
    );
}

#[test]
fn timing_checks_every_run() {
    let suite = suite();
    let case = suite.select(&["revm/transfer"]).unwrap()[0];
    let timing = suite.time(case, 3).unwrap();
    assert_eq!((timing.name.as_str(), timing.repeat), ("revm/transfer", 3));
    assert!(timing.min <= timing.median);
    assert_eq!(&timing.outcome, suite.expected("revm/transfer").unwrap());
    let json = serde_json::to_value(&timing).unwrap();
    assert!(json["median_ns"].is_u64() && json["min_ns"].is_u64());

    assert!(matches!(suite.time(case, 0), Err(Error::ZeroRepeat)));
    let wrong = Outcome { gas_used: 1, ..timing.outcome.clone() };
    match time_case(case, &wrong, 1) {
        Err(Error::Mismatch { case, diffs }) => {
            assert_eq!(case, "revm/transfer");
            assert_eq!(diffs.len(), 1);
            assert_eq!(diffs[0].field, "gas_used");
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
}
