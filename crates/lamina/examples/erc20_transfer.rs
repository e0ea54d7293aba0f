//! Deploy a real compiled ERC-20 with a CREATE transaction, mint with it and transfer.
//!
//! ```sh
//! cargo run -p lamina --example erc20_transfer
//! ```
//!
//! The token is `data/erc20_transfer.rt.hex`: OpenZeppelin's ERC20 4.7 compiled with solc
//! 0.8.25 (the `ERC20Transfer` contract of evm-bench, the project's shared ERC-20 benchmark).
//! Besides the standard functions it has `Benchmark()`, which mints 10,000 tokens to the
//! caller and then transfers `i` tokens to `address(1)` for `i` in 0..5000.

use lamina::primitives::{Address, B256, Bytes, SpecId, U256, b256, hex, keccak256};
use lamina::state::AccountInfo;
use lamina::{Context, ExecuteCommitEvm, ExecutionResult, InMemoryDB, MainBuilder, Output, TxEnv};

/// The token's runtime code, hex.
pub const RUNTIME_HEX: &str = include_str!("data/erc20_transfer.rt.hex");
/// keccak256 of the runtime code (from the benchmark's manifest).
pub const RUNTIME_HASH: B256 =
    b256!("cb8994194c52f6e0cdf7093618abcfcbd1a51903d5fe023859fa9010d6caa1b6");
/// The deployer, minter and sender.
pub const ALICE: Address = Address::repeat_byte(0x11);
/// The recipient of the transfer.
pub const BOB: Address = Address::repeat_byte(0x22);

/// What the three transactions did.
#[derive(Debug)]
pub struct Erc20Run {
    /// Where the token was deployed.
    pub token: Address,
    /// keccak256 of the code the deployment left there.
    pub code_hash: B256,
    /// Gas used by `Benchmark()`.
    pub benchmark_gas: u64,
    /// Logs emitted by `Benchmark()`.
    pub benchmark_logs: usize,
    /// Gas used by `transfer(BOB, 10^18)`.
    pub transfer_gas: u64,
    /// What `transfer` returned.
    pub transfer_output: Bytes,
    /// The token balances of ALICE and BOB afterwards (read with `balanceOf`).
    pub balances: (U256, U256),
}

/// Init code that copies the runtime appended to it into memory and returns it:
/// PUSH2 len, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN, then the runtime.
fn init_code(runtime: &[u8]) -> Bytes {
    let len = u16::try_from(runtime.len()).expect("runtime under 64 KiB").to_be_bytes();
    let mut code = vec![0x61, len[0], len[1], 0x80, 0x60, 12, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
    code.extend_from_slice(runtime);
    code.into()
}

/// ABI call data: a selector followed by 32-byte words.
fn calldata(selector: [u8; 4], words: &[B256]) -> Bytes {
    let mut data = selector.to_vec();
    for word in words {
        data.extend_from_slice(word.as_slice());
    }
    data.into()
}

/// Deploys the token on Osaka, runs `Benchmark()`, transfers 1 token (10^18 units) from ALICE
/// to BOB and reads both balances, committing each transaction.
pub fn run_erc20() -> Erc20Run {
    let runtime = hex::decode(RUNTIME_HEX.trim()).expect("the runtime is hex");
    let mut db = InMemoryDB::default();
    db.insert_account_info(ALICE, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let mut evm = Context::new(db, SpecId::OSAKA).build_mainnet();

    // 1. Deploy: a CREATE transaction (no `to`) whose data is the init code.
    let deploy =
        TxEnv::builder().caller(ALICE).create().data(init_code(&runtime)).gas_limit(2_000_000);
    let (token, code_hash) = match evm.transact_commit(deploy.build()).expect("valid") {
        ExecutionResult::Success { output: Output::Create(code, Some(address)), .. } => {
            (address, keccak256(&code))
        }
        other => panic!("deployment failed: {other:?}"),
    };

    // 2. Benchmark(): selector 0x30627b7c.
    let benchmark = TxEnv::builder()
        .caller(ALICE)
        .to(token)
        .nonce(1)
        .data(calldata([0x30, 0x62, 0x7b, 0x7c], &[]))
        .gas_limit(16_000_000);
    let result = evm.transact_commit(benchmark.build()).expect("valid");
    assert!(result.is_success(), "Benchmark() failed: {result:?}");
    let (benchmark_gas, benchmark_logs) = (result.gas_used(), result.logs().len());

    // 3. transfer(address,uint256): selector 0xa9059cbb.
    let amount = U256::from(10u64.pow(18));
    let transfer = TxEnv::builder()
        .caller(ALICE)
        .to(token)
        .nonce(2)
        .data(calldata([0xa9, 0x05, 0x9c, 0xbb], &[BOB.into_word(), amount.into()]))
        .gas_limit(1_000_000);
    let result = evm.transact_commit(transfer.build()).expect("valid");
    assert!(result.is_success(), "transfer failed: {result:?}");
    let (transfer_gas, transfer_output) = (result.gas_used(), result.output().unwrap().clone());

    // 4. balanceOf(address): selector 0x70a08231, read with calls that are committed too (they
    // change nothing but ALICE's nonce).
    let mut balance_of = |owner: Address, nonce: u64| {
        let call = TxEnv::builder()
            .caller(ALICE)
            .to(token)
            .nonce(nonce)
            .data(calldata([0x70, 0xa0, 0x82, 0x31], &[owner.into_word()]))
            .gas_limit(100_000);
        let result = evm.transact_commit(call.build()).expect("valid");
        U256::from_be_slice(result.output().expect("balanceOf returns"))
    };
    let balances = (balance_of(ALICE, 3), balance_of(BOB, 4));

    Erc20Run {
        token,
        code_hash,
        benchmark_gas,
        benchmark_logs,
        transfer_gas,
        transfer_output,
        balances,
    }
}

fn main() {
    let run = run_erc20();
    println!("token deployed at {} (code hash {})", run.token, run.code_hash);
    println!("Benchmark(): {} gas, {} logs", run.benchmark_gas, run.benchmark_logs);
    println!(
        "transfer(bob, 10^18): {} gas, returned 0x{}",
        run.transfer_gas,
        hex::encode(&run.transfer_output)
    );
    println!("balanceOf(alice) = {}", run.balances.0);
    println!("balanceOf(bob)   = {}", run.balances.1);
}
