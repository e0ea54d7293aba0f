//! Run a piece of bytecode as a contract and print what it returned and what it cost.
//!
//! ```sh
//! cargo run -p lamina --example run_bytecode                       # 2 + 3, returned as a word
//! cargo run -p lamina --example run_bytecode -- 600160020160005260206000f3
//! ```
//!
//! The code is installed at an address and called by a plain transaction on the latest fork,
//! so the gas reported includes the 21,000 of the transaction itself.

use lamina::primitives::{Address, Bytes, U256, hex};
use lamina::state::AccountInfo;
use lamina::{
    Context, ExecuteEvm, ExecutionResult, InMemoryDB, MainBuilder, TxEnv, bytecode::Bytecode,
};

/// PUSH1 3, PUSH1 2, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: returns 5 as a word.
pub const ADD_AND_RETURN: [u8; 13] =
    [0x60, 0x03, 0x60, 0x02, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

/// The account that calls the code.
pub const CALLER: Address = Address::repeat_byte(0xa1);
/// Where the code lives.
pub const CONTRACT: Address = Address::repeat_byte(0xc0);

/// Calls `code` with a gas limit of `gas_limit` and returns the result of the transaction.
pub fn run_bytecode(code: &[u8], gas_limit: u64) -> ExecutionResult {
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let code = Bytecode::new_raw(Bytes::copy_from_slice(code));
    db.insert_account_info(CONTRACT, AccountInfo::default().with_code(code));

    let mut evm = Context::mainnet().with_db(db).build_mainnet();
    let tx = TxEnv::builder().caller(CALLER).to(CONTRACT).gas_limit(gas_limit).build();
    // `transact` leaves the database as it was; `transact_commit` would write the changes.
    evm.transact(tx).expect("the transaction is valid").result
}

fn main() {
    let code = match std::env::args().nth(1) {
        Some(arg) => hex::decode(arg.split_whitespace().collect::<String>())
            .expect("the argument is hex bytecode"),
        None => ADD_AND_RETURN.to_vec(),
    };
    let result = run_bytecode(&code, 1_000_000);
    match &result {
        ExecutionResult::Success { reason, output, .. } => {
            println!("success ({reason:?}): output 0x{}", hex::encode(output.data()))
        }
        ExecutionResult::Revert { output, .. } => {
            println!("reverted: output 0x{}", hex::encode(output))
        }
        ExecutionResult::Halt { reason, .. } => println!("halted: {reason:?}"),
    }
    println!("gas used: {} (21,000 of them for the transaction)", result.gas_used());
}
