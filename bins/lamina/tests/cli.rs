//! The `lamina` binary against small real fixtures (see `tests/data/README.md`): passing cases
//! pass, a wrong expectation fails with a state diff and a trace, a malformed file is reported
//! and the run goes on, and the exit codes say so. EIP-3155 traces are checked against lines
//! worked out by hand and against go-ethereum's (`../shared/vectors/eip3155`), `lamina bench`
//! against revm's recorded outcomes (`../shared/bench`).

use std::{
    fs,
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

/// The folder of shared read-only data next to the workspace (`../shared`).
fn shared(path: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path);
    assert!(path.exists(), "{} is missing: these tests need the shared data", path.display());
    path
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

/// The EIP-3155 lines of `lamina run --trace`, worked out by hand: four pushes (3 gas), an
/// MSTORE of one word into empty memory (3 + 3 for the word; `memSize` grows on the next
/// line), a RETURN of that word (0). The frame starts with 30,000,000 − 21,000 = 0x1c97178
/// gas and uses 18 = 0x12.
#[test]
fn run_trace_writes_eip3155_lines_to_stderr() {
    let output = lamina(&["run", "--code", "0x600160005260206000f3", "--trace"]);
    assert_eq!(output.status.code(), Some(0));
    let one = format!("{}01", "00".repeat(31));
    let expected = [
        r#"{"pc":0,"op":96,"gas":"0x1c97178","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#.to_owned(),
        r#"{"pc":2,"op":96,"gas":"0x1c97175","gasCost":"0x3","memSize":0,"stack":["0x1"],"depth":1,"refund":0,"opName":"PUSH1"}"#.to_owned(),
        r#"{"pc":4,"op":82,"gas":"0x1c97172","gasCost":"0x6","memSize":0,"stack":["0x1","0x0"],"depth":1,"refund":0,"opName":"MSTORE"}"#.to_owned(),
        r#"{"pc":5,"op":96,"gas":"0x1c9716c","gasCost":"0x3","memSize":32,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#.to_owned(),
        r#"{"pc":7,"op":96,"gas":"0x1c97169","gasCost":"0x3","memSize":32,"stack":["0x20"],"depth":1,"refund":0,"opName":"PUSH1"}"#.to_owned(),
        r#"{"pc":9,"op":243,"gas":"0x1c97166","gasCost":"0x0","memSize":32,"stack":["0x20","0x0"],"depth":1,"refund":0,"opName":"RETURN"}"#.to_owned(),
        format!(r#"{{"output":"{one}","gasUsed":"0x12"}}"#),
    ];
    assert_eq!(stderr(&output).lines().collect::<Vec<_>>(), expected);
    // The result still goes to standard output.
    let text = stdout(&output);
    assert!(text.contains("status:   success (Return)"), "{text}");
    assert!(text.contains("gas used: 21018"), "{text}");
}

/// go-ethereum's `evm run --trace 6040` (`shared/vectors/eip3155/02-geth-evm-run`) starts the
/// frame with 10,000,000,000 gas: `run` gives it that with the intrinsic 21,000 on top.
#[test]
fn run_trace_is_go_ethereums() {
    let output = lamina(&["run", "--code", "6040", "--gas", "10000021000", "--trace"]);
    assert_eq!(output.status.code(), Some(0));
    let expected = fs::read_to_string(shared("vectors/eip3155/02-geth-evm-run/stderr.jsonl"))
        .expect("readable vector");
    assert_eq!(stderr(&output), expected);
}

/// The example of EIP-3155 itself (`01`, Besu, Istanbul): every instruction line has the
/// EIP's fields and values, less `memory` and `returnData`, which `--trace` leaves out as
/// go-ethereum does by default.
#[test]
fn run_trace_matches_the_eip_example() {
    let dir = shared("vectors/eip3155/01-eip3155-spec-example");
    let code = fs::read_to_string(dir.join("code.hex")).expect("readable vector");
    let output =
        lamina(&["run", "--code", &code, "--fork", "Istanbul", "--gas", "10000021000", "--trace"]);
    assert_eq!(output.status.code(), Some(0));
    let instructions = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .filter(|line| line.starts_with(r#"{"pc""#))
            .map(|line| {
                let mut value: serde_json::Value = serde_json::from_str(line).expect("JSON");
                let object = value.as_object_mut().expect("an object");
                object.remove("memory");
                object.remove("returnData");
                value
            })
            .collect()
    };
    let expected = fs::read_to_string(dir.join("trace.jsonl")).expect("readable vector");
    let (ours, theirs) = (instructions(&stderr(&output)), instructions(&expected));
    assert_eq!(ours.len(), 15);
    assert_eq!(ours, theirs);
    // The EIP's summary has `"gasUsed":"0x515c"`: the top frame's, the last line here.
    assert_eq!(last_line(&stderr(&output)), r#"{"output":"40","gasUsed":"0x515c"}"#);
}

/// `statetest --trace` on the Cancun case of `test_basic_tload_works`: the code
/// `JUMPDEST PUSH1 0x58 PUSH1 2 TSTORE PUSH1 2 TLOAD PUSH1 0 SSTORE PUSH1 2 TLOAD PUSH1 1
/// SSTORE PUSH1 1 PUSH1 2 SSTORE` and the implicit STOP: 16 instruction lines, the summary and
/// the state root line. The summary's gasUsed follows from the fixture: the sender pays
/// 0x6124fee993bc0000 − 0x6124fee993b3d916 = 534,250 wei at gas price 10, so the transaction
/// used 53,425 gas, of which 21,000 are intrinsic and none refunded (no slot is cleared or
/// restored): the frame used 32,425 = 0x7ea9. The frame starts with the gas limit 0x4c4b40 less
/// 21,000, and the stateRoot line carries the fixture's `hash`.
#[test]
fn statetest_trace_writes_eip3155_lines_to_stderr() {
    let output = statetest(&["--trace", "--fork", "Cancun"], &["pass/test_basic_tload_works.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(last_line(&stdout(&output)), "1 passed, 0 failed, 0 skipped");
    let trace = stderr(&output);
    let lines: Vec<&str> = trace.lines().collect();
    assert_eq!(lines.len(), 18, "{trace}");
    assert_eq!(
        lines[0],
        r#"{"pc":0,"op":91,"gas":"0x4bf938","gasCost":"0x1","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"JUMPDEST"}"#
    );
    // A cold SSTORE of a zero slot: 2,100 + 20,000.
    assert_eq!(
        lines[14],
        r#"{"pc":22,"op":85,"gas":"0x4bd0e3","gasCost":"0x5654","memSize":0,"stack":["0x1","0x2"],"depth":1,"refund":0,"opName":"SSTORE"}"#
    );
    let names: Vec<String> = lines[..16]
        .iter()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            value["opName"].as_str().expect("opName").to_owned()
        })
        .collect();
    assert_eq!(
        names.join(" "),
        "JUMPDEST PUSH1 PUSH1 TSTORE PUSH1 TLOAD PUSH1 SSTORE PUSH1 TLOAD PUSH1 SSTORE PUSH1 \
         PUSH1 SSTORE STOP"
    );
    assert_eq!(lines[16], r#"{"output":"","gasUsed":"0x7ea9"}"#);
    assert_eq!(
        lines[17],
        r#"{"stateRoot": "0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01229"}"#
    );
}

/// Standard error of `statetest --trace` is byte for byte go-ethereum's `evm statetest --trace`
/// on the state test of `shared/vectors/eip3155/03-geth-statetest` (909 instruction lines,
/// six frame exits, the state root) and on those of `06`.
#[test]
fn statetest_trace_is_go_ethereums() {
    let dir = shared("vectors/eip3155/03-geth-statetest");
    let path = dir.join("statetest.json").display().to_string();
    let output = lamina(&["statetest", "--trace", &path]);
    // The fixture expects a dummy root: the case fails, the trace is what matters.
    assert_eq!(output.status.code(), Some(1));
    let expected = fs::read_to_string(dir.join("stderr.jsonl")).expect("readable vector");
    assert!(stderr(&output) == expected, "the trace differs from go-ethereum's");

    // goevmlab's cases, traced by go-ethereum: gas overflow, stack underflow, out of gas at
    // several depths, return data out of bounds, a refund that drops.
    let dir = shared("vectors/eip3155/06-goevmlab-multiclient");
    for case in [
        "statetest1.json",
        "statetest_filled.json",
        "stackUnderflow_nonzeroMem.json",
        "00003656-naivefuzz-0.json",
        "00000936-mixed-1.json",
        "negative_refund.json",
    ] {
        let path = dir.join("cases").join(case).display().to_string();
        let output = lamina(&["statetest", "--trace", &path]);
        let expected = fs::read_to_string(dir.join(format!("traces/{case}.geth.stderr.txt")))
            .expect("readable vector");
        assert!(stderr(&output) == expected, "{case}: the trace differs from go-ethereum's");
    }
}

/// A failing case is run again traced and its trace is in the report, here in full (18
/// lines), ending with the summary and the actual state root.
#[test]
fn a_failure_report_includes_the_trace() {
    let output = statetest(&[], &["wrong_root.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("    trace (EIP-3155, 18 lines):\n"), "{text}");
    let trace: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("    trace "))
        .skip(1)
        .take_while(|line| line.starts_with("        {"))
        .map(str::trim)
        .collect();
    assert_eq!(trace.len(), 18, "{text}");
    assert!(trace[0].starts_with(r#"{"pc":0,"op":91,"gas":"0x4bf938""#), "{text}");
    assert_eq!(trace[16], r#"{"output":"","gasUsed":"0x7ea9"}"#);
    assert_eq!(
        trace[17],
        r#"{"stateRoot": "0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01229"}"#
    );
    // The rest of the description is still there, and the closing line still last.
    assert!(text.contains("state diff (1 differences):"), "{text}");
    assert_eq!(last_line(&text), "0 passed, 1 failed, 0 skipped");
}

/// A trace too long for the report goes to a file in the temporary directory, whose path the
/// report gives with the last lines.
#[test]
fn a_long_failure_trace_goes_to_a_file() {
    let path = shared("vectors/eip3155/03-geth-statetest/statetest.json");
    let output = lamina(&["statetest", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|line| line.starts_with("    trace (EIP-3155, 916 lines): "))
        .unwrap_or_else(|| panic!("no trace line in {text}"));
    let file = PathBuf::from(line.split_once("): ").expect("a path").1);
    assert!(file.starts_with(std::env::temp_dir()), "{}", file.display());
    let written = fs::read_to_string(&file).expect("the trace file");
    fs::remove_file(&file).expect("removable");
    let expected = fs::read_to_string(path.with_file_name("stderr.jsonl")).expect("vector");
    assert!(written == expected, "the trace file differs from go-ethereum's trace");
    assert!(text.contains("    last 5 lines of the trace:\n"), "{text}");
    assert!(text.contains(r#"        {"output":"","gasUsed":"0xb2e6d"}"#), "{text}");
}

#[test]
fn batch_mode_traces_to_stderr_and_answers_on_stdout() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lamina"))
        .args(["statetest", "--trace", "--fork", "Cancun"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lamina runs");
    let input = format!("{}\n", data("pass/test_basic_tload_works.json").display());
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input.as_bytes()).expect("lamina reads its input");
    drop(stdin);
    let output = child.wait_with_output().expect("lamina finishes");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "{\"stateRoot\":\"0xb9bd09d0c0ea760c95e6ada87012a0db5c40b2e18e5376aa3c88109097f01229\"}\n"
    );
    let trace = stderr(&output);
    assert_eq!(trace.lines().count(), 17, "{trace}");
    assert_eq!(last_line(&trace), r#"{"output":"","gasUsed":"0x7ea9"}"#);
}

/// revm's recorded outcome of a benchmark input (`revm_outcomes.jsonl`).
fn revm_outcome(name: &str) -> serde_json::Value {
    let text = fs::read_to_string(shared("bench/revm_outcomes.jsonl")).expect("readable");
    text.lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON line"))
        .find(|record| record["name"] == name)
        .unwrap_or_else(|| panic!("no record of {name}"))
}

#[test]
fn bench_prints_a_json_line_per_input() {
    shared("bench");
    let output = lamina(&["bench", "revm/transfer", "--repeat", "1", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<serde_json::Value> =
        text.lines().map(|line| serde_json::from_str(line).expect("JSON line")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    let line = lines[0].as_object().expect("an object");
    let mut keys: Vec<&str> = line.keys().map(String::as_str).collect();
    // Exactly these keys, in this order on the line.
    keys.sort_by_key(|key| text.find(&format!("\"{key}\":")));
    assert_eq!(keys, ["name", "status", "gas_used", "median_ns", "min_ns"]);
    let recorded = revm_outcome("revm/transfer");
    assert_eq!(line["name"], "revm/transfer");
    assert_eq!(line["status"], recorded["status"]);
    assert_eq!(line["gas_used"], recorded["gas_used"]);
    assert_eq!(line["gas_used"], 21_000);
    let (median, min) = (line["median_ns"].as_u64(), line["min_ns"].as_u64());
    assert!(median.is_some_and(|median| median > 0) && median == min, "{text}");
}

#[test]
fn bench_table_and_bad_arguments() {
    let dir = shared("bench").display().to_string();
    let output = lamina(&["bench", "revm/transfer", "--repeat", "2", "--bench-dir", &dir]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let row = text.lines().find(|line| line.starts_with("revm/transfer ")).expect("a row");
    // input, median and min (each a number and a unit), gas used, Mgas/s, status.
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(fields.len(), 8, "{row}");
    assert_eq!((fields[5], fields[7]), ("21000", "success:Stop"), "{row}");

    assert_eq!(lamina(&["bench", "no/such/input"]).status.code(), Some(2));
    assert_eq!(lamina(&["bench", "--repeat", "0", "revm/transfer"]).status.code(), Some(2));
    let missing = lamina(&["bench", "--bench-dir", "/no/such/dir", "revm/transfer"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/no/such/dir"));
}

/// An outcome other than revm's recorded one is an error: here the record of `revm/transfer`
/// is altered in a copy of the data folder (the inputs linked, not copied).
#[cfg(unix)]
#[test]
fn bench_rejects_a_wrong_outcome() {
    let shared_dir = shared("bench");
    let dir = std::env::temp_dir().join(format!("lamina-cli-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a temporary folder");
    for entry in fs::read_dir(&shared_dir).expect("readable folder") {
        let name = entry.expect("an entry").file_name();
        if name != "revm_outcomes.jsonl" {
            std::os::unix::fs::symlink(shared_dir.join(&name), dir.join(&name)).expect("link");
        }
    }
    let records = fs::read_to_string(shared_dir.join("revm_outcomes.jsonl")).expect("readable");
    let altered: String = records
        .lines()
        .map(|line| {
            if line.contains(r#""name":"revm/transfer","#) {
                line.replace(r#""gas_used":21000,"#, r#""gas_used":21001,"#)
            } else {
                line.to_owned()
            }
        })
        .map(|line| line + "\n")
        .collect();
    assert_ne!(altered, records);
    fs::write(dir.join("revm_outcomes.jsonl"), altered).expect("writable");
    let output = lamina(&[
        "bench",
        "revm/transfer",
        "--repeat",
        "1",
        "--json",
        "--bench-dir",
        &dir.display().to_string(),
    ]);
    fs::remove_dir_all(&dir).expect("removable");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let text = stderr(&output);
    assert!(text.contains("revm/transfer: outcome differs from revm's"), "{text}");
    assert!(text.contains("gas_used"), "{text}");
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
