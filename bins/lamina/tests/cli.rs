//! The `lamina` binary against small real fixtures (see `tests/data/README.md`): passing cases
//! pass, a wrong expectation fails with a state diff, a malformed file is reported and the run
//! goes on, and the exit codes say so.

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Output, Stdio},
};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn lamina(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_lamina"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("lamina runs");
    eprintln!("stdout:\n{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn statetest(args: &[&str], files: &[&str]) -> Output {
    let paths: Vec<String> = files.iter().map(|f| data(f).display().to_string()).collect();
    let mut all = vec!["statetest"];
    all.extend_from_slice(args);
    all.extend(paths.iter().map(String::as_str));
    lamina(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn real_fixtures_pass() {
    let output = statetest(&[], &["pass", "no_sender.json"]);
    let text = stdout(&output);
    // CREATE_ContractSSTOREDuringInit: 1 case; ValueOverflowParis: 1 and ValueOverflow: 10
    // (invalid transactions, Frontier to London); test_eip2930_tx_validity_frontier: 1 (an
    // invalid transaction); test_basic_tload_works: Cancun, Prague, Osaka; no_sender: 1.
    assert_eq!(last_line(&text), "17 passed, 0 failed, 0 skipped");
    assert_eq!(output.status.code(), Some(0));
    assert!(!text.contains("FAIL"));
    for fork in ["Frontier", "EIP158", "London", "Cancun", "Prague", "Osaka"] {
        assert!(text.lines().any(|line| line.starts_with(fork)), "no {fork} row in the table");
    }
}

#[test]
fn wrong_expectation_fails_with_a_state_diff() {
    let output = statetest(&[], &["wrong_root.json"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_line(&text), "0 passed, 1 failed, 0 skipped");
    assert!(text.contains("FAIL "), "{text}");
    assert!(text.contains("wrong_root.json :: "), "{text}");
    assert!(text.contains("error:    state root mismatch"), "{text}");
    assert!(
        text.contains(
            "root:     expected 0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01230, \
             actual 0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01229"
        ),
        "{text}"
    );
    assert!(text.contains("result:   success"), "{text}");
    assert!(text.contains("state diff (1 differences):"), "{text}");
    let diff = text.lines().find(|line| line.contains("storage[")).expect("a storage difference");
    assert!(diff.ends_with(" storage[0x2]: expected 0x2, actual 0x1"), "{diff}");
    assert!(diff.to_lowercase().contains("0x7ca8fc12a0791ab121001400ced804d5823ff86d"), "{diff}");
}

#[test]
fn malformed_file_is_reported_and_the_run_goes_on() {
    let output = statetest(&[], &["malformed.json", "pass/CREATE_ContractSSTOREDuringInit.json"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_line(&text), "1 passed, 1 failed, 0 skipped");
    let path = data("malformed.json").display().to_string();
    let line = text.lines().find(|line| line.contains(&path)).expect("the path is reported");
    assert!(line.starts_with("FAIL "), "{line}");
    assert!(line.contains("EOF") || line.contains("line"), "no parse error in {line:?}");
}

#[test]
fn missing_file_is_reported() {
    let output = statetest(&[], &["no-such-file.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("no-such-file.json"), "{text}");
    assert_eq!(last_line(&text), "0 passed, 1 failed, 0 skipped");
}

#[test]
fn unknown_fork_is_skipped_and_named() {
    let output = statetest(&[], &["unknown_fork.json"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(last_line(&text), "0 passed, 0 failed, 1 skipped");
    assert!(text.contains("skipped forks unknown to Lamina: FutureFork (1 cases)"), "{text}");
}

#[test]
fn filters_select_cases() {
    let tload = "pass/test_basic_tload_works.json";
    let by_fork = statetest(&["--fork", "prague"], &[tload]);
    assert_eq!(last_line(&stdout(&by_fork)), "1 passed, 0 failed, 0 skipped");
    let by_name = statetest(&["--run", "fork_(Cancun|Osaka)"], &[tload]);
    assert_eq!(last_line(&stdout(&by_name)), "2 passed, 0 failed, 0 skipped");
    let by_index = statetest(&["--index", "1"], &[tload]);
    assert_eq!(last_line(&stdout(&by_index)), "0 passed, 0 failed, 0 skipped");
    let bad_fork = statetest(&["--fork", "Atlantis"], &[tload]);
    assert_eq!(bad_fork.status.code(), Some(2));
}

#[test]
fn fail_fast_still_reports() {
    let output = statetest(&["--fail-fast", "-j", "1"], &["wrong_root.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(last_line(&stdout(&output)), "0 passed, 1 failed, 0 skipped");
}

#[test]
fn json_lines_per_case() {
    let output = statetest(&["--json"], &["wrong_root.json", "pass/ValueOverflowParis.json"]);
    assert_eq!(output.status.code(), Some(1));
    let records: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(records.len(), 2);
    let wrong = &records[0];
    assert_eq!(wrong["pass"], false);
    assert_eq!(wrong["fork"], "Cancun");
    assert_eq!(wrong["index"], 0);
    assert_eq!(wrong["error"], "state root mismatch");
    assert_eq!(
        wrong["actualRoot"],
        "0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01229"
    );
    assert_eq!(wrong["diff"].as_array().map(Vec::len), Some(1));
    let overflow = &records[1];
    assert_eq!(overflow["pass"], true);
    assert_eq!(overflow["expectException"], "TransactionException.RLP_INVALID_VALUE");
    assert!(overflow["result"].as_str().unwrap_or_default().starts_with("rejected: "));
    // The human report moved to standard error, closing line included.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(last_line(&stderr), "1 passed, 1 failed, 0 skipped");
}

#[test]
fn batch_mode_answers_a_state_root_per_case() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lamina"))
        .arg("statetest")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lamina runs");
    let input = format!(
        "{}\n\n{}\n{}\n",
        data("pass/CREATE_ContractSSTOREDuringInit.json").display(),
        data("pass/ValueOverflowParis.json").display(),
        data("malformed.json").display(),
    );
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input.as_bytes()).expect("lamina reads its input");
    drop(stdin);
    let output = child.wait_with_output().expect("lamina finishes");
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0],
        serde_json::json!({"stateRoot": "0xc25f51e620014da045455a8bce999a36f7e65494d86abbbdcf5b73f1f9ea98fd"})
    );
    // An invalid transaction leaves the pre-state.
    assert_eq!(
        lines[1],
        serde_json::json!({"stateRoot": "0xecd1cea72bd1224b1d7a28a577170c00dd480b26b5b0f353e3d4ad2bb542cc09"})
    );
    assert_eq!(lines[2]["stateRoot"], serde_json::Value::Null);
    assert!(lines[2]["error"].as_str().is_some_and(|error| error.contains("malformed.json")));
}

#[test]
fn trace_is_refused_until_the_inspector_lands() {
    for args in [&["statetest", "--trace", "x.json"][..], &["run", "--code", "00", "--trace"][..]] {
        let output = lamina(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("lamina-inspector"));
    }
}

#[test]
fn run_executes_bytecode() {
    // MSTORE 1 at 0, RETURN 32 bytes: 4 pushes (12) + MSTORE (3 + 3 for one memory word).
    let output = lamina(&["run", "--code", "0x600160005260206000f3"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("status:   success (Return)"), "{text}");
    assert!(text.contains(&format!("output:   0x{}01", "00".repeat(31))), "{text}");
    assert!(text.contains("gas used: 21018"), "{text}");

    let output =
        lamina(&["run", "--code", "60003534016000526020 6000f3", "--input", "05", "--value", "7"]);
    assert_eq!(output.status.code(), Some(2), "spaces are not hex");
    let output = lamina(&[
        "run",
        "--code",
        "600035340160005260206000f3",
        "--input",
        "0500000000000000000000000000000000000000000000000000000000000000",
        "--value",
        "0x07",
        "--fork",
        "Berlin",
    ]);
    assert_eq!(output.status.code(), Some(0));
    // Returns its calldata's first word plus the call value.
    let want = format!("output:   0x05{}07", "00".repeat(30));
    assert!(stdout(&output).contains(&want));

    let revert = lamina(&["run", "--code", "60006000fd"]);
    assert_eq!(revert.status.code(), Some(1));
    assert!(stdout(&revert).contains("status:   revert"));

    let too_little_gas = lamina(&["run", "--code", "00", "--gas", "20000"]);
    assert_eq!(too_little_gas.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&too_little_gas.stderr).contains("intrinsic"));
}
