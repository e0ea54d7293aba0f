//! Try one EIP on a fork that lacks it: Cancun plus EIP-7939 (CLZ, count leading zeros, an
//! Osaka opcode at 0x1e).
//!
//! ```sh
//! cargo run -p lamina --example fork_with_one_eip
//! ```
//!
//! The instruction table of every fork is its parent's plus one public function per EIP the
//! fork applies (`InstructionTable::cancun()` is `shanghai().eip1153().eip4844().eip5656()
//! .eip7516()`), so `cancun().eip7939()` is Cancun with CLZ and nothing else of Osaka.

use lamina::interpreter::InstructionTable;
use lamina::primitives::{Address, Bytes, SpecId, U256};
use lamina::state::AccountInfo;
use lamina::{
    BlockEnv, CfgEnv, Context, ExecuteEvm, ExecutionResult, InMemoryDB, MainBuilder, TxEnv,
    bytecode::Bytecode,
};

/// PUSH1 1, CLZ, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: returns clz(1) = 255.
pub const CODE: [u8; 11] = [0x60, 0x01, 0x1e, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

const CALLER: Address = Address::repeat_byte(0xa1);
const CONTRACT: Address = Address::repeat_byte(0xc0);

type MainnetContext = Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>;

/// Runs [`CODE`] on Cancun, with EIP-7939 applied when `with_clz` is set.
pub fn run_on_cancun(with_clz: bool) -> ExecutionResult {
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let code = Bytecode::new_raw(Bytes::from_static(&CODE));
    db.insert_account_info(CONTRACT, AccountInfo::default().with_code(code));

    // Everything else (intrinsic gas, precompiles, transaction types) stays Cancun's: the
    // context says Cancun and the table is a Cancun table, so the EVM keeps it.
    let mut evm = Context::new(db, SpecId::CANCUN).build_mainnet();
    if with_clz {
        evm = evm.with_instructions(InstructionTable::<MainnetContext>::cancun().eip7939());
    }
    let tx = TxEnv::builder().caller(CALLER).to(CONTRACT).gas_limit(100_000).build();
    evm.transact(tx).expect("valid").result
}

fn main() {
    let result = run_on_cancun(true);
    let output = U256::from_be_slice(result.output().expect("the code returns"));
    println!("Cancun + EIP-7939: clz(1) = {output}, gas used {}", result.gas_used());
    println!("Cancun:            {:?}", run_on_cancun(false));
}
