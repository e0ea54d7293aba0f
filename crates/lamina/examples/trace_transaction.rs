//! Trace a transaction: one EIP-3155 JSON line per instruction on standard output, in
//! go-ethereum's dialect, so the trace can be diffed line by line with `evm run --trace` or
//! `evm statetest --trace` of another client.
//!
//! ```sh
//! cargo run -p lamina --example trace_transaction
//! ```
//!
//! The EVM is built without an inspector, so its other transactions run the plain loop.
//! `InspectEvm::inspect_replay` runs the transaction already in the context once under
//! `TracerEip3155`, without committing it.

use lamina::primitives::{Address, Bytes, U256};
use lamina::state::AccountInfo;
use lamina::{
    Context, ExecuteEvm, InMemoryDB, InspectEvm, MainBuilder, ResultAndState, TracerEip3155, TxEnv,
    bytecode::Bytecode,
};
use std::io::Write;

/// PUSH1 3, PUSH1 2, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: returns 5 as a word.
pub const CODE: [u8; 13] =
    [0x60, 0x03, 0x60, 0x02, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

const CALLER: Address = Address::repeat_byte(0xa1);
const CONTRACT: Address = Address::repeat_byte(0xc0);

/// Calls [`CODE`] with a gas limit of 100,000, writing its EIP-3155 trace to `out`.
pub fn trace_transaction(out: impl Write) -> ResultAndState {
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let code = Bytecode::new_raw(Bytes::from_static(&CODE));
    db.insert_account_info(CONTRACT, AccountInfo::default().with_code(code));
    let mut evm = Context::mainnet().with_db(db).build_mainnet();

    // Without a trace, as usual.
    let tx = TxEnv::builder().caller(CALLER).to(CONTRACT).gas_limit(100_000).build();
    let plain = evm.transact(tx).expect("valid");

    // The same transaction again (`transact` did not commit), this time traced. Pass
    // `&mut tracer` instead to keep the tracer, for `flush` or `take_error`.
    let traced = evm.inspect_replay(TracerEip3155::new(out)).expect("valid");
    assert_eq!(plain.result, traced.result, "tracing changes nothing");
    traced
}

fn main() {
    let outcome = trace_transaction(std::io::stdout().lock());
    eprintln!("gas used (with the transaction's 21,000): {}", outcome.result.gas_used());
}
