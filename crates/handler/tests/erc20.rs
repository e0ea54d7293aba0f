//! A real compiled ERC-20 (OpenZeppelin 4.7 via solc 0.8.25, the `ERC20Transfer` contract of
//! the shared benchmarks) deployed with a CREATE transaction, then used.

mod common;

use common::*;
use lamina_context::TxEnv;
use lamina_context_interface::{ExecutionResult, Output};
use lamina_handler::ExecuteCommitEvm;
use lamina_primitives::{Address, B256, Bytes, SpecId, U256, b256, hex, keccak256};

const RUNTIME_HEX: &str =
    include_str!("../../../../shared/bench/lamina/erc20/erc20_transfer.rt.hex");
/// keccak256 of the runtime code, from the benchmark MANIFEST.
const RUNTIME_HASH: B256 =
    b256!("cb8994194c52f6e0cdf7093618abcfcbd1a51903d5fe023859fa9010d6caa1b6");
/// keccak256("Transfer(address,address,uint256)").
const TRANSFER_TOPIC: B256 =
    b256!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

/// Init code that copies the runtime that follows it and returns it:
/// PUSH2 len DUP1 PUSH1 12 PUSH1 0 CODECOPY PUSH1 0 RETURN ‖ runtime.
fn init_code(runtime: &[u8]) -> Bytes {
    let len = (runtime.len() as u16).to_be_bytes();
    let mut code = vec![0x61, len[0], len[1], 0x80, 0x60, 12, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
    code.extend_from_slice(runtime);
    code.into()
}

/// OpenZeppelin's `_balances` mapping is at slot 0: keccak256(pad32(owner) ‖ pad32(0)).
fn balance_slot(owner: Address) -> U256 {
    let mut preimage = [0u8; 64];
    preimage[12..32].copy_from_slice(owner.as_slice());
    keccak256(preimage).into()
}

fn word(value: U256) -> [u8; 32] {
    value.to_be_bytes()
}

#[test]
fn deploy_mint_and_transfer() {
    let runtime = hex::decode(RUNTIME_HEX.trim()).unwrap();
    let mut evm = evm(db_with_code(&[]), SpecId::CANCUN);

    // 1. Deploy.
    let deploy = TxEnv::builder()
        .caller(ALICE)
        .create()
        .data(init_code(&runtime))
        .gas_limit(2_000_000)
        .build();
    let token = ALICE.create(0);
    match evm.transact_commit(deploy).unwrap() {
        ExecutionResult::Success { output: Output::Create(code, Some(address)), .. } => {
            assert_eq!(address, token);
            assert_eq!(keccak256(&code), RUNTIME_HASH);
        }
        other => panic!("deploy failed: {other:?}"),
    }

    // 2. Benchmark(): mint 10,000 tokens (18 decimals) to the caller, then transfer i to
    // address(1) for i = 0..5000.
    let bench = TxEnv::builder()
        .caller(ALICE)
        .to(token)
        .nonce(1)
        .data(Bytes::from_static(&[0x30, 0x62, 0x7b, 0x7c]))
        .gas_limit(1_000_000_000)
        .build();
    let result = evm.transact_commit(bench).unwrap();
    assert!(result.is_success(), "{result:?}");
    assert_eq!(result.logs().len(), 5001);
    let minted = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18));
    let sent: U256 = U256::from((0..5000u64).sum::<u64>());
    assert_eq!(storage(&mut evm, token, balance_slot(ALICE)), minted - sent);
    assert_eq!(storage(&mut evm, token, balance_slot(Address::with_last_byte(1))), sent);
    assert_eq!(storage(&mut evm, token, U256::from(2)), minted, "totalSupply");

    // 3. transfer(BOB, 1000).
    let mut data = vec![0xa9, 0x05, 0x9c, 0xbb];
    data.extend_from_slice(BOB.into_word().as_slice());
    data.extend_from_slice(&word(U256::from(1000)));
    let transfer = TxEnv::builder()
        .caller(ALICE)
        .to(token)
        .nonce(2)
        .data(data.into())
        .gas_limit(100_000)
        .build();
    let result = evm.transact_commit(transfer).unwrap();
    let ExecutionResult::Success { logs, output, .. } = result else { panic!("{result:?}") };
    assert_eq!(output.data()[..], word(U256::from(1))[..], "transfer returns true");
    assert_eq!(logs.len(), 1);
    let log = &logs[0];
    assert_eq!(log.address, token);
    assert_eq!(log.topics(), &[TRANSFER_TOPIC, ALICE.into_word(), BOB.into_word()]);
    assert_eq!(log.data.data[..], word(U256::from(1000))[..]);
    assert_eq!(storage(&mut evm, token, balance_slot(BOB)), U256::from(1000));
    assert_eq!(storage(&mut evm, token, balance_slot(ALICE)), minted - sent - U256::from(1000));
}
