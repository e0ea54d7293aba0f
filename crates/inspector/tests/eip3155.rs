//! The EIP-3155 tracer against the traces shipped in `shared/vectors/eip3155` (see its
//! README), compared byte for byte and line for line.
//!
//! Reproduced: `01` (the instruction lines of the EIP's example), `02` (`evm run`), `03`
//! (`evm statetest`, including the state root line), `04` and `05` (`evm t8n`, with call
//! frame lines in `05`) and every go-ethereum trace of `06`.
//!
//! Not reproduced: `07`, go-ethereum's 2019 format (always-present `memory` and `error`,
//! `memSize` after expansion, a `time` field) traced on a state test that was not preserved;
//! and the traces of other clients in `06`, which use formats of their own. `01`'s summary
//! line is the EIP's own format (Besu), not go-ethereum's; its values are checked instead.

use std::{fs, path::PathBuf};

use lamina_bytecode::Bytecode;
use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{ContextTr, JournalTr, TxKind};
use lamina_database::{AccountState, InMemoryDB};
use lamina_handler::{EvmTr, ExecuteCommitEvm, ExecuteEvm, MainBuilder};
use lamina_inspector::{InspectorEvmExt, TracerEip3155, write_state_root};
use lamina_interpreter::{CallInputs, CallScheme, CallValue, FrameInput};
use lamina_primitives::{Address, B256, Bytes, SpecId, U256, address, keccak256};
use lamina_state::AccountInfo;
use lamina_statetest_types::{StateTest, TrieAccount, fixtures, state_root};
use serde_json::Value;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/eip3155")
}

fn read(path: &str) -> String {
    let path = vectors().join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares line by line first, so that a failure names the first line that differs.
fn assert_same_trace(ours: &str, theirs: &str, what: &str) {
    for (n, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        assert_eq!(a, b, "{what}: line {} differs", n + 1);
    }
    assert_eq!(ours.lines().count(), theirs.lines().count(), "{what}: number of lines");
    assert_eq!(ours, theirs, "{what}: bytes");
}

fn code_account(code: &[u8]) -> AccountInfo {
    AccountInfo::default().with_code(Bytecode::new_raw(Bytes::copy_from_slice(code)))
}

/// go-ethereum's `evm run`: one call frame with the given gas, no transaction around it (no
/// validation, no intrinsic gas), sender and receiver named "sender" and "receiver".
fn evm_run(code: &[u8], gas: u64, spec: SpecId, tracer: TracerEip3155<Vec<u8>>) -> String {
    let sender = Address::left_padding_from(b"sender");
    let receiver = Address::left_padding_from(b"receiver");
    let mut db = InMemoryDB::default();
    db.insert_account_info(receiver, code_account(code));
    let ctx = Context::mainnet().with_db(db).with_cfg(CfgEnv::new_with_spec(spec));
    let mut evm = ctx.build_mainnet().with_inspector(tracer);
    evm.ctx.journal().set_spec(spec);
    evm.run_frames(FrameInput::Call(CallInputs {
        input: Bytes::new().into(),
        return_memory_offset: 0..0,
        gas_limit: gas,
        bytecode_address: receiver,
        target_address: receiver,
        caller: sender,
        value: CallValue::Transfer(U256::ZERO),
        scheme: CallScheme::Call,
        is_static: false,
    }))
    .unwrap();
    String::from_utf8(evm.hooks.0.into_writer()).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    let text = text.trim();
    let text = text.strip_prefix("0x").unwrap_or(text);
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn evm_run_02() {
    let code = hex(&read("02-geth-evm-run/code.hex"));
    let trace = evm_run(&code, 10_000_000_000, SpecId::LATEST, TracerEip3155::new(Vec::new()));
    assert_same_trace(&trace, &read("02-geth-evm-run/stderr.jsonl"), "02");
}

#[test]
fn eip_example_01() {
    let code = hex(&read("01-eip3155-spec-example/code.hex"));
    let tracer = TracerEip3155::new(Vec::new()).with_memory(true).with_return_data(true);
    let trace = evm_run(&code, 10_000_000_000, SpecId::ISTANBUL, tracer);
    let expected = read("01-eip3155-spec-example/trace.jsonl");
    // The EIP's (Besu's) trace has no frame exit lines: compare the instruction lines.
    let instructions = |text: &str| {
        text.lines().filter(|l| l.starts_with("{\"pc\"")).map(|l| format!("{l}\n")).collect()
    };
    let ours: String = instructions(&trace);
    assert_same_trace(&ours, &instructions(&expected), "01");
    // Its summary `{"stateRoot":…,"output":"0x40","gasUsed":"0x515c",…}` is go-ethereum's
    // exit line of the top frame, in another format.
    assert!(expected.lines().last().unwrap().contains(r#""output":"0x40","gasUsed":"0x515c""#));
    assert_eq!(trace.lines().last().unwrap(), r#"{"output":"40","gasUsed":"0x515c"}"#);
}

/// Runs the only case of a state test under the tracer; returns the trace with the state
/// root line `evm statetest` adds.
fn statetest(path: &str) -> String {
    let file = fixtures::load(&vectors().join(path)).unwrap();
    let test: &StateTest = file.values().next().unwrap();
    let case = test.cases().next().unwrap();
    let spec = case.spec().unwrap();
    let parts = test.transaction.select(&case.entry.indexes).unwrap();

    let mut db = InMemoryDB::default();
    for (address, account) in &test.pre {
        let info = AccountInfo::from_balance(account.balance)
            .with_nonce(account.nonce)
            .with_code(Bytecode::new_raw(account.code.clone()));
        db.insert_account_info(*address, info);
        for (slot, value) in &account.storage {
            db.insert_account_storage(*address, *slot, *value).unwrap();
        }
    }
    let env = &test.env;
    let block = BlockEnv {
        number: env.current_number,
        beneficiary: env.current_coinbase,
        timestamp: env.current_timestamp,
        gas_limit: env.current_gas_limit.to(),
        basefee: env.current_base_fee.unwrap_or_default().to(),
        difficulty: env.current_difficulty,
        prevrandao: env.current_random,
        ..BlockEnv::default()
    };
    let tx = TxEnv::builder()
        .caller(test.transaction.sender.unwrap())
        .kind(test.transaction.to.map_or(TxKind::Create, TxKind::Call))
        .data(parts.data.clone())
        .gas_limit(parts.gas_limit.to())
        .gas_price(test.transaction.gas_price.unwrap().to())
        .value(parts.value.unwrap())
        .nonce(test.transaction.nonce.to())
        .chain_id(Some(1))
        .build();
    let ctx = Context::mainnet()
        .with_db(db)
        .with_block(block)
        .with_cfg(CfgEnv::new_with_spec(spec))
        .with_tx(tx);
    let mut evm = ctx.build_mainnet().with_inspector(TracerEip3155::new(Vec::new()));
    let state = evm.replay().unwrap().state;
    evm.commit(state);

    let accounts =
        evm.ctx.db().accounts.iter().filter(|(_, a)| a.state != AccountState::NotExisting);
    let root = state_root(accounts.map(|(address, account)| {
        let storage = account.storage.iter().map(|(k, v)| (*k, *v)).collect();
        let info = &account.info;
        (
            *address,
            TrieAccount {
                nonce: info.nonce,
                balance: info.balance,
                code_hash: info.code_hash(),
                storage,
            },
        )
    }));
    let mut trace = evm.hooks.0.into_writer();
    write_state_root(&mut trace, &root).unwrap();
    String::from_utf8(trace).unwrap()
}

#[test]
fn statetest_03() {
    let trace = statetest("03-geth-statetest/statetest.json");
    assert_same_trace(&trace, &read("03-geth-statetest/stderr.jsonl"), "03");
}

#[test]
fn goevmlab_geth_traces_06() {
    for case in [
        "statetest1.json",
        "statetest_filled.json",
        "stackUnderflow_nonzeroMem.json",
        "00003656-naivefuzz-0.json",
        "00000936-mixed-1.json",
        "negative_refund.json",
    ] {
        let trace = statetest(&format!("06-goevmlab-multiclient/cases/{case}"));
        let expected = read(&format!("06-goevmlab-multiclient/traces/{case}.geth.stderr.txt"));
        assert_same_trace(&trace, &expected, case);
    }
}

/// A number as `evm t8n` reads it: hex with `0x`, decimal otherwise.
fn number(value: &Value) -> U256 {
    let text = value.as_str().unwrap();
    match text.strip_prefix("0x") {
        Some(hex) => U256::from_str_radix(hex, 16).unwrap(),
        None => U256::from_str_radix(text, 10).unwrap(),
    }
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// `evm t8n --trace`: runs the transactions of `dir` one after the other and returns one
/// trace per transaction. The senders are the ones the fixtures were signed with.
fn t8n(dir: &str, spec: SpecId, call_frames: bool) -> Vec<String> {
    let alloc = json(&format!("{dir}/alloc.json"));
    let env = json(&format!("{dir}/env.json"));
    let txs = json(&format!("{dir}/txs.json"));
    let mut db = InMemoryDB::default();
    for (address, account) in alloc.as_object().unwrap() {
        let address: Address = address.parse().unwrap();
        let code = hex(account["code"].as_str().unwrap());
        let info = AccountInfo::from_balance(number(&account["balance"]))
            .with_nonce(number(&account["nonce"]).to())
            .with_code(Bytecode::new_raw(code.into()));
        db.insert_account_info(address, info);
        for (slot, value) in account["storage"].as_object().unwrap() {
            db.insert_account_storage(address, number(&Value::from(slot.as_str())), number(value))
                .unwrap();
        }
    }
    let block = BlockEnv {
        number: number(&env["currentNumber"]),
        beneficiary: env["currentCoinbase"].as_str().unwrap().parse().unwrap(),
        timestamp: number(&env["currentTimestamp"]),
        gas_limit: number(&env["currentGasLimit"]).to(),
        // `04` gives the parent's base fee (8) instead, from which t8n derives 7.
        basefee: env.get("currentBaseFee").map_or(7, |fee| number(fee).to()),
        prevrandao: env.get("currentRandom").map(|r| B256::from(number(r))),
        ..BlockEnv::default()
    };
    let ctx = Context::mainnet()
        .with_db(db)
        .with_block(block)
        .with_cfg(CfgEnv::new_with_spec(spec))
        .with_tx(TxEnv::default());
    let tracer = TracerEip3155::new(Vec::new()).with_call_frames(call_frames);
    let mut evm = ctx.build_mainnet().with_inspector(tracer);
    let sender = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    let mut traces = Vec::new();
    for tx in txs.as_array().unwrap() {
        let tx = TxEnv::builder()
            .caller(sender)
            .to(tx["to"].as_str().unwrap().parse().unwrap())
            .data(hex(tx["input"].as_str().unwrap()).into())
            .gas_limit(number(&tx["gas"]).to())
            .gas_price(number(&tx["gasPrice"]).to())
            .value(number(&tx["value"]))
            .nonce(number(&tx["nonce"]).to())
            .build();
        evm.transact_commit(tx).unwrap();
        traces.push(String::from_utf8(std::mem::take(evm.hooks.0.writer())).unwrap());
    }
    traces
}

fn t8n_trace_files(dir: &str) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(vectors().join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("trace-"))
        .collect();
    // trace-<index>-<hash>.jsonl, fewer than ten per folder.
    names.sort();
    names.into_iter().map(|name| read(&format!("{dir}/{name}"))).collect()
}

#[test]
fn t8n_basic_04() {
    let traces = t8n("04-geth-t8n-basic", SpecId::CANCUN, false);
    let expected = t8n_trace_files("04-geth-t8n-basic");
    assert_eq!(traces.len(), expected.len());
    for (i, (ours, theirs)) in traces.iter().zip(&expected).enumerate() {
        assert_same_trace(ours, theirs, &format!("04 tx {i}"));
    }
}

#[test]
fn t8n_call_frames_05() {
    let traces = t8n("05-geth-t8n-callframes", SpecId::MERGE, true);
    let expected = t8n_trace_files("05-geth-t8n-callframes");
    assert_eq!(traces.len(), 1);
    assert_same_trace(&traces[0], &expected[0], "05");
}

#[test]
fn state_root_line_has_gos_spacing() {
    let mut out = Vec::new();
    write_state_root(&mut out, &keccak256([])).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"stateRoot\": \"0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470\"}\n"
    );
}

/// Failures go-ethereum reports while "executing" the instruction get two lines; the
/// traces shipped have none for these opcodes.
#[test]
fn invalid_opcodes_get_two_lines() {
    for (code, name) in [(0xfe, "INVALID"), (0x0c, "opcode 0xc not defined")] {
        let trace = evm_run(&[code], 0x1000, SpecId::LATEST, TracerEip3155::new(Vec::new()));
        let line = format!(
            r#"{{"pc":0,"op":{code},"gas":"0x1000","gasCost":"0x0","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"{name}""#
        );
        let error = format!("invalid opcode: {name}");
        let expected = format!(
            "{line}}}\n{line},\"error\":\"{error}\"}}\n{{\"output\":\"\",\"gasUsed\":\"0x1000\",\"error\":\"{error}\"}}\n"
        );
        assert_eq!(trace, expected);
    }
}

#[test]
fn stack_overflow_costs_the_constant_gas() {
    // 1025 × PUSH0: the last one finds 1024 words.
    let trace = evm_run(&[0x5f; 1025], 0x10000, SpecId::LATEST, TracerEip3155::new(Vec::new()));
    let lines: Vec<&str> = trace.lines().collect();
    assert_eq!(lines.len(), 1026);
    let failing = lines[1024];
    assert!(failing.starts_with(
        r#"{"pc":1024,"op":95,"gas":"0xf800","gasCost":"0x2","memSize":0,"stack":["0x0","#
    ));
    assert!(failing.ends_with(
        r#""depth":1,"refund":0,"opName":"PUSH0","error":"stack limit reached 1024 (1023)"}"#
    ));
    assert_eq!(
        lines[1025],
        r#"{"output":"","gasUsed":"0x10000","error":"stack limit reached 1024 (1023)"}"#
    );
}
