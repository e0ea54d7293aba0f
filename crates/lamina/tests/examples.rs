//! Runs the code of every example in `examples/` and checks what it computes. The expected
//! gas comes from the opcode gas table (worked out in the comments) or, for the ERC-20, from
//! the outcomes recorded on revm 43 for the project's shared benchmarks
//! (`shared/bench/revm_outcomes.jsonl`, `lamina/erc20_*`).

#[allow(dead_code)]
#[path = "../examples/run_bytecode.rs"]
mod run_bytecode;

#[allow(dead_code)]
#[path = "../examples/custom_opcode.rs"]
mod custom_opcode;

#[allow(dead_code)]
#[path = "../examples/custom_precompile.rs"]
mod custom_precompile;

#[allow(dead_code)]
#[path = "../examples/l2_fee_vault.rs"]
mod l2_fee_vault;

#[allow(dead_code)]
#[path = "../examples/erc20_transfer.rs"]
mod erc20_transfer;

#[allow(dead_code)]
#[path = "../examples/trace_transaction.rs"]
mod trace_transaction;

#[allow(dead_code)]
#[path = "../examples/fork_with_one_eip.rs"]
mod fork_with_one_eip;

use lamina::primitives::{Address, U256, hex};
use lamina::{ExecutionResult, HaltReason};

/// The 32-byte big-endian word of `value`.
fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

#[test]
fn run_bytecode_adds_and_returns() {
    let result = run_bytecode::run_bytecode(&run_bytecode::ADD_AND_RETURN, 1_000_000);
    assert!(result.is_success(), "{result:?}");
    assert_eq!(result.output().unwrap()[..], word(5));
    // 21,000 for the transaction (no call data); five PUSH1 and ADD at 3 each, MSTORE 3 plus
    // 3 for the first word of memory; RETURN 0 (memory already paid for).
    assert_eq!(result.gas_used(), 21_000 + 5 * 3 + 3 + 3 + 3);
}

#[test]
fn run_bytecode_reports_a_halt() {
    // 0xfe, INVALID: every unit of the gas limit is consumed.
    let result = run_bytecode::run_bytecode(&[0xfe], 50_000);
    assert_eq!(
        result,
        ExecutionResult::Halt { reason: HaltReason::InvalidFEOpcode, gas_used: 50_000 }
    );
}

#[test]
fn custom_opcode_doubles() {
    let result = custom_opcode::run_custom_opcode(true);
    assert!(result.is_success(), "{result:?}");
    assert_eq!(result.output().unwrap()[..], word(42));
    // Four PUSH1 at 3, DOUBLE at 5, MSTORE 3 plus one memory word 3.
    assert_eq!(result.gas_used(), 21_000 + 4 * 3 + 5 + 3 + 3);

    // Mainnet's table has nothing at 0x0c: the frame halts and the whole limit is used.
    let result = custom_opcode::run_custom_opcode(false);
    assert_eq!(
        result,
        ExecutionResult::Halt { reason: HaltReason::OpcodeNotFound, gas_used: 100_000 }
    );
}

#[test]
fn custom_precompile_reverses() {
    use custom_precompile::{REVERSE, call_with_reverse, reverse};

    let direct = reverse(b"lamina", 1_000).unwrap();
    assert_eq!((direct.gas_used, &direct.bytes[..]), (103, &b"animal"[..]));
    assert_eq!(reverse(&[0; 33], 105), Err(lamina::precompile::PrecompileError::OutOfGas));

    let result = call_with_reverse(REVERSE, b"lamina");
    assert!(result.is_success(), "{result:?}");
    assert_eq!(result.output().unwrap()[..], b"animal"[..]);
    // Six non-zero bytes of call data: 21,000 + 6 * 16 = 21,096 intrinsic, plus 100 + 3 for
    // REVERSE is 21,199; but Osaka (since Prague, EIP-7623) charges at least the floor of
    // 21,000 + 10 per token, a non-zero byte being 4 tokens: 21,000 + 10 * 24 = 21,240.
    assert_eq!(result.gas_used(), 21_240);

    // Mainnet's IDENTITY still answers at 0x04.
    let result = call_with_reverse(Address::with_last_byte(4), b"lamina");
    assert_eq!(result.output().unwrap()[..], b"lamina"[..]);
    assert_eq!(result.gas_used(), 21_240);
}

#[test]
fn l2_fee_vault_takes_a_tenth() {
    use l2_fee_vault::*;

    let outcome = transfer_with_fee_vault(100, 60);
    assert!(outcome.result.is_success(), "{:?}", outcome.result);
    assert_eq!(outcome.result.gas_used(), 21_000);
    let balance = |address: Address| outcome.state[&address].info.balance;
    // The priority fee is 100 - 60 = 40 per gas: 840,000 wei, of which 84,000 to the vault.
    // The base fee, 60 * 21,000 = 1,260,000 wei, is burnt.
    assert_eq!(balance(VAULT), U256::from(84_000));
    assert_eq!(balance(COINBASE), U256::from(756_000));
    assert_eq!(balance(BOB), U256::from(1_000_000_000u64));
    assert_eq!(balance(ALICE), U256::from(ALICE_BALANCE - 100 * 21_000 - 1_000_000_000));
}

#[test]
fn erc20_deploy_mint_and_transfer() {
    use erc20_transfer::*;

    let run = run_erc20();
    assert_eq!(run.token, ALICE.create(0));
    assert_eq!(run.code_hash, RUNTIME_HASH);
    // revm 43 on `lamina/erc20_mint_and_5000_transfers` (the same call on a token with empty
    // storage): 13,529,850 gas, 5,001 logs (the mint and 5,000 transfers).
    assert_eq!(run.benchmark_gas, 13_529_850);
    assert_eq!(run.benchmark_logs, 5_001);
    // revm 43 on `lamina/erc20_transfer`: the same call data (10^18 to 0x22…22) from a
    // sender whose balance slot is non-zero to a recipient whose slot is zero: 51,361 gas.
    assert_eq!(run.transfer_gas, 51_361);
    assert_eq!(run.transfer_output[..], word(1), "transfer returns true");
    let minted = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18));
    let sent_by_benchmark = U256::from((0..5_000u64).sum::<u64>());
    let one_token = U256::from(10u64.pow(18));
    assert_eq!(run.balances, (minted - sent_by_benchmark - one_token, one_token));
}

#[test]
fn trace_transaction_matches_go_ethereum() {
    let mut trace = Vec::new();
    let outcome = trace_transaction::trace_transaction(&mut trace);
    assert_eq!(outcome.result.gas_used(), 21_024);
    let trace = String::from_utf8(trace).unwrap();
    // Written by hand from go-ethereum's JSON logger: the frame starts with 100,000 - 21,000
    // = 79,000 = 0x13498 gas; the stack is listed bottom first; a line's gas is before the
    // instruction and its gasCost includes memory expansion (MSTORE: 3 + 3); the last line
    // has the output and the gas the frame used (24 = 0x18).
    let expected = [
        r#"{"pc":0,"op":96,"gas":"0x13498","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        r#"{"pc":2,"op":96,"gas":"0x13495","gasCost":"0x3","memSize":0,"stack":["0x3"],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        r#"{"pc":4,"op":1,"gas":"0x13492","gasCost":"0x3","memSize":0,"stack":["0x3","0x2"],"depth":1,"refund":0,"opName":"ADD"}"#,
        r#"{"pc":5,"op":96,"gas":"0x1348f","gasCost":"0x3","memSize":0,"stack":["0x5"],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        r#"{"pc":7,"op":82,"gas":"0x1348c","gasCost":"0x6","memSize":0,"stack":["0x5","0x0"],"depth":1,"refund":0,"opName":"MSTORE"}"#,
        r#"{"pc":8,"op":96,"gas":"0x13486","gasCost":"0x3","memSize":32,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        r#"{"pc":10,"op":96,"gas":"0x13483","gasCost":"0x3","memSize":32,"stack":["0x20"],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        r#"{"pc":12,"op":243,"gas":"0x13480","gasCost":"0x0","memSize":32,"stack":["0x20","0x0"],"depth":1,"refund":0,"opName":"RETURN"}"#,
        r#"{"output":"0000000000000000000000000000000000000000000000000000000000000005","gasUsed":"0x18"}"#,
    ];
    assert_eq!(trace.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn fork_with_one_eip_has_clz() {
    let result = fork_with_one_eip::run_on_cancun(true);
    assert!(result.is_success(), "{result:?}");
    // clz(1) = 255.
    assert_eq!(result.output().unwrap()[..], word(255));
    // Four PUSH1 at 3, CLZ at 5, MSTORE 3 plus one memory word 3.
    assert_eq!(result.gas_used(), 21_000 + 4 * 3 + 5 + 3 + 3);

    // Plain Cancun has no opcode 0x1e.
    let result = fork_with_one_eip::run_on_cancun(false);
    assert_eq!(
        result,
        ExecutionResult::Halt { reason: HaltReason::OpcodeNotFound, gas_used: 100_000 }
    );
}

#[test]
fn the_erc20_runtime_is_the_benchmark_s() {
    // The copy in examples/data is the shared benchmark's bytecode: its hash is the manifest's.
    let runtime = hex::decode(erc20_transfer::RUNTIME_HEX.trim()).unwrap();
    assert_eq!(runtime.len(), 3_446);
    assert_eq!(lamina::primitives::keccak256(&runtime), erc20_transfer::RUNTIME_HASH);
}
