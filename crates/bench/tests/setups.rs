//! The loader and runner on small hand-written setups: every outcome status, batches, and
//! malformed input ending in an error rather than a panic.

use lamina_bench::{Error, Exec, load_benchmarks, run};
use std::path::{Path, PathBuf};

const ALICE: &str = "0x1111111111111111111111111111111111111111";
const CODE: &str = "0xcccccccccccccccccccccccccccccccccccccccc";

/// A temporary folder, removed when dropped.
struct Folder(PathBuf);

impl AsRef<Path> for Folder {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh folder holding `benchmarks.json` = `json` and the given extra files.
fn folder(test: &str, json: &str, files: &[(&str, &str)]) -> Folder {
    let dir = std::env::temp_dir().join(format!("lamina-bench-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("benchmarks.json"), json).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    Folder(dir)
}

/// One benchmark calling `code` at CODE from ALICE, with `extra` fields spliced in.
fn call(code: &str, extra: &str) -> String {
    format!(
        r#"{{"benchmarks": [{{"name": "t", "spec": "Osaka", {extra}
            "pre": {{"accounts": [
                {{"address": "{ALICE}", "balance": "0x3b9aca00"}},
                {{"address": "{CODE}", "nonce": 1, "code": "{code}"}}]}},
            "tx": {{"caller": "{ALICE}", "to": "{CODE}", "gas_limit": 100000}}}}]}}"#
    )
}

fn statuses(test: &str, json: &str) -> Vec<(String, String, u64)> {
    let benchmarks = load_benchmarks(folder(test, json, &[])).unwrap();
    run(&benchmarks[0])
        .unwrap()
        .into_iter()
        .map(|(name, outcome)| (name, outcome.status, outcome.gas_used))
        .collect()
}

#[test]
fn every_status() {
    let stop = statuses("stop", &call("0x00", ""));
    assert_eq!(stop, [("t".into(), "success:Stop".into(), 21_000)]);
    let ret = statuses("return", &call("0x60206000f3", ""));
    assert_eq!(ret[0].1, "success:Return");
    let revert = statuses("revert", &call("0x60006000fd", ""));
    assert_eq!(revert[0].1, "revert");
    let halt = statuses("halt", &call("0xfe", ""));
    assert_eq!(halt[0], ("t".into(), "halt:InvalidFEOpcode".into(), 100_000));
}

#[test]
fn batches() {
    // Three callers in a row (ALICE + i), each calling code that reverts: the batch names
    // the first transaction that did not succeed.
    let json = format!(
        r#"{{"benchmarks": [{{"name": "b", "spec": "Osaka", "exec": "commit_each",
            "cfg": {{"disable_nonce_check": true}},
            "pre": {{"account_ranges": [{{"base": "{ALICE}", "count": 3, "balance": 1}}],
                     "accounts": [{{"address": "{CODE}", "code": "0x60006000fd"}}]}},
            "tx": {{"caller": "{ALICE}", "to": "{CODE}", "value": 0, "gas_limit": 50000}},
            "tx_range": {{"count": 3, "caller_step": 1, "to_step": 0}}}}]}}"#
    );
    let benchmarks = load_benchmarks(folder("batch", &json, &[])).unwrap();
    let case = &benchmarks[0].cases[0];
    assert_eq!((case.exec, case.txs.len(), case.pre.len()), (Exec::CommitEach, 3, 4));
    let outcome = &run(&benchmarks[0]).unwrap()[0].1;
    assert_eq!(outcome.status, "tx 0: revert");
    assert_eq!(outcome.txs, 3);
    assert_eq!(outcome.output_len, 0);
}

#[test]
fn files_and_evmone_inputs() {
    let json = format!(
        r#"{{"benchmarks": [{{"name": "e", "kind": "evmone_inputs", "spec": "Osaka",
            "code": "@e.bin-runtime", "inputs": "@e.inputs", "contract": "{CODE}",
            "pre": {{"accounts": [{{"address": "{ALICE}", "balance": "1"}}]}},
            "tx": {{"caller": "{ALICE}", "gas_limit": "0x186a0"}}}}]}}"#
    );
    // CALLDATASIZE, PUSH0, MSTORE, PUSH1 32, PUSH0, RETURN: returns the input length.
    let code = "365f52 60205ff3\n";
    let inputs = "\nnone\n\n(31x00)00\n\nthree\n(3x00)\n0000000000000000000000000000000000000000000000000000000000000003\n";
    let dir = folder("evmone", &json, &[("e.bin-runtime", code), ("e.inputs", inputs)]);
    let benchmarks = load_benchmarks(&dir).unwrap();
    let outcomes = run(&benchmarks[0]).unwrap();
    let names: Vec<_> = outcomes.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["e/none", "e/three"]);
    assert!(outcomes.iter().all(|(_, outcome)| outcome.expected_output_match == Some(true)));
}

#[test]
fn malformed_setups_are_errors() {
    let missing = std::env::temp_dir().join("lamina-bench-no-such-folder");
    assert!(matches!(load_benchmarks(&missing), Err(Error::Io { .. })));

    let cases: &[(&str, String)] = &[
        ("not-json", "{".into()),
        ("unknown-field", call("0x00", r#""gas": 1,"#)),
        ("bad-spec", call("0x00", "").replace("Osaka", "Atlantis")),
        ("bad-hex", call("0x0g", "")),
        ("odd-hex", call("0x000", "")),
        ("missing-file", call("@nowhere.hex", "")),
        ("absolute-path", call("@/etc/hostname", "")),
        ("not-bytes", call("00", "")),
        ("bad-number", call("0x00", "").replace("0x3b9aca00", "12e3")),
        ("too-big", call("0x00", "").replace("100000", r#""0x10000000000000000""#)),
        ("twice", call("0x00", "").replace(CODE, ALICE)),
        ("no-to", call("0x00", "").replace(&format!(r#", "to": "{CODE}""#), "")),
        (
            "range-single",
            call("0x00", r#""tx_range": {"count": 2, "caller_step": 0, "to_step": 0},"#),
        ),
        ("csv-field", call("0x00", r#""csv": "@x.csv","#)),
        ("bad-kind", call("0x00", r#""kind": "fuzz","#)),
    ];
    for (test, json) in cases {
        match load_benchmarks(folder(test, json, &[])) {
            Ok(_) => panic!("{test} should not load"),
            Err(error) => println!("{test}: {error}"),
        }
    }
}

#[test]
fn invalid_transactions_are_errors() {
    // ALICE cannot pay 10^18 wei of value.
    let json = call("0x00", "").replace(
        r#""gas_limit": 100000"#,
        r#""gas_limit": 100000, "value": "1000000000000000000""#,
    );
    let benchmarks = load_benchmarks(folder("poor", &json, &[])).unwrap();
    assert!(matches!(run(&benchmarks[0]), Err(Error::InvalidTransaction { index: 0, .. })));
}
