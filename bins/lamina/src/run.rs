//! `lamina run`: executes bytecode on an otherwise empty in-memory state.
//!
//! The code is installed at [`CONTRACT`] and called by a legacy transaction from [`CALLER`],
//! an account with nonce 0 and the largest balance, at gas price 0, in a default block
//! (number 0, timestamp 1, base fee 0, PREVRANDAO 0, excess blob gas 0). The EIP-7825
//! transaction gas cap is lifted so that `--gas` may exceed it.

use std::{
    io::{self, Write},
    process::ExitCode,
};

use lamina_bytecode::Bytecode;
use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::TxKind;
use lamina_database::InMemoryDB;
use lamina_handler::MainBuilder;
use lamina_primitives::{Address, Bytes, SpecId, U256, address, hex};
use lamina_state::AccountInfo;

use crate::{EXIT_FAILED, EXIT_OK, exec, statetest::parse_fork};

/// Where the code runs: outside every fork's precompile range (0x01–0x11, 0x100).
pub const CONTRACT: Address = address!("000000000000000000000000000000000000c0de");
/// Who calls it.
pub const CALLER: Address = address!("00000000000000000000000000000000000ca11e");

/// Arguments of `lamina run`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The code is placed at 0x000000000000000000000000000000000000c0de and called from \
0x00000000000000000000000000000000000ca11e (nonce 0, balance 2^256-1) at gas price 0 in a \
default block. Gas used includes the transaction's intrinsic gas (21,000 plus calldata).

With --trace, the EIP-3155 lines (go-ethereum's JSON tracer format) go to standard error; the \
code's frame starts with the gas limit less the intrinsic gas (so --gas 10000021000 without \
calldata starts it with the 10,000,000,000 gas of go-ethereum's `evm run`).

Exit status: 0 if the call succeeded, 1 if it reverted, halted or was rejected, 2 on bad \
arguments.")]
pub struct Args {
    /// The bytecode, in hex (0x optional).
    #[arg(long, value_name = "HEX", value_parser = parse_hex)]
    pub code: Bytes,
    /// Calldata, in hex (0x optional).
    #[arg(long, value_name = "HEX", value_parser = parse_hex, default_value = "")]
    pub input: Bytes,
    /// Gas limit of the transaction.
    #[arg(long, value_name = "N", default_value_t = 30_000_000)]
    pub gas: u64,
    /// Fork to execute under.
    #[arg(long, value_name = "NAME", value_parser = parse_fork, default_value_t = SpecId::LATEST)]
    pub fork: SpecId,
    /// Wei sent with the call (decimal, or hex with 0x).
    #[arg(long, value_name = "N", default_value_t = U256::ZERO)]
    pub value: U256,
    /// Write an EIP-3155 trace of the execution to standard error (go-ethereum's JSON lines:
    /// one per instruction, one per frame that ends; the top frame's, last, is the summary).
    #[arg(long)]
    pub trace: bool,
}

fn parse_hex(text: &str) -> Result<Bytes, String> {
    hex::decode(text.trim()).map(Bytes::from).map_err(|error| format!("invalid hex: {error}"))
}

/// Entry point of `lamina run`.
pub fn main(args: Args) -> ExitCode {
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::MAX));
    db.insert_account_info(
        CONTRACT,
        AccountInfo::default().with_code(Bytecode::new_raw(args.code)),
    );
    let mut cfg = CfgEnv::new_with_spec(args.fork);
    cfg.tx_gas_limit_cap = Some(u64::MAX);
    let tx = TxEnv {
        caller: CALLER,
        gas_limit: args.gas,
        kind: TxKind::Call(CONTRACT),
        value: args.value,
        data: args.input,
        nonce: 0,
        ..TxEnv::default()
    };
    let mut evm = Context::new(db, args.fork)
        .with_block(BlockEnv::default())
        .with_cfg(cfg)
        .with_tx(tx)
        .build_mainnet();
    let mut stderr = io::stderr();
    let trace: Option<&mut dyn Write> = if args.trace { Some(&mut stderr) } else { None };
    let result = match exec::replay(&mut evm, trace) {
        Ok(result_and_state) => result_and_state.result,
        Err(error) => {
            eprintln!("lamina: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let output = result.output().map(hex::encode_prefixed).unwrap_or_else(|| "0x".to_owned());
    println!("status:   {}", exec::status(&result));
    println!("output:   {output}");
    println!("gas used: {}", result.gas_used());
    if !result.logs().is_empty() {
        println!("logs:     {}", result.logs().len());
    }
    ExitCode::from(if result.is_success() { EXIT_OK } else { EXIT_FAILED })
}
