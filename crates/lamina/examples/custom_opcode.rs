//! Give an unused opcode a meaning: 0x0c becomes DOUBLE, which replaces the top stack word
//! with twice its value, at 5 gas.
//!
//! ```sh
//! cargo run -p lamina --example custom_opcode
//! ```
//!
//! An instruction is a plain function of the interpreter and the host; the fork's table maps
//! each opcode byte to one, with the static gas charged and the stack heights checked before
//! it runs. The EVM takes the table with `with_instructions`.

use lamina::interpreter::{Host, Instruction, InstructionResult, InstructionTable, Interpreter};
use lamina::primitives::{Address, Bytes, SpecId, U256};
use lamina::state::AccountInfo;
use lamina::{
    BlockEnv, CfgEnv, Context, ExecuteEvm, ExecutionResult, InMemoryDB, MainBuilder, TxEnv,
    bytecode::Bytecode,
};

/// The opcode byte given to DOUBLE (unassigned on every fork).
pub const DOUBLE: u8 = 0x0c;

/// PUSH1 21, DOUBLE, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
pub const CODE: [u8; 11] = [0x60, 21, DOUBLE, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

const CALLER: Address = Address::repeat_byte(0xa1);
const CONTRACT: Address = Address::repeat_byte(0xc0);

/// The mainnet context over an in-memory database: the host the instruction runs against.
type MainnetContext = Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>;

/// DOUBLE. The table entry says it needs one word and leaves one, so the loop has checked the
/// stack before this runs.
fn double<H: Host + ?Sized>(interpreter: &mut Interpreter, _host: &mut H) {
    let Some(top) = interpreter.stack.pop() else {
        interpreter.halt(InstructionResult::StackUnderflow);
        return;
    };
    interpreter.stack.push(top.wrapping_mul(U256::from(2)));
}

/// Runs [`CODE`] on Osaka, with DOUBLE installed when `with_double` is set.
pub fn run_custom_opcode(with_double: bool) -> ExecutionResult {
    let spec = SpecId::OSAKA;
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let code = Bytecode::new_raw(Bytes::from_static(&CODE));
    db.insert_account_info(CONTRACT, AccountInfo::default().with_code(code));

    let mut evm = Context::new(db, spec).build_mainnet();
    if with_double {
        let mut table = InstructionTable::<MainnetContext>::new(spec);
        // Pops one word, pushes one; 5 gas like MUL.
        table.insert(DOUBLE, Instruction::new(double::<MainnetContext>, 5, 1, 1));
        evm = evm.with_instructions(table);
    }
    let tx = TxEnv::builder().caller(CALLER).to(CONTRACT).gas_limit(100_000).build();
    evm.transact(tx).expect("the transaction is valid").result
}

fn main() {
    let result = run_custom_opcode(true);
    let output = result.output().expect("the code returns");
    println!(
        "with DOUBLE:    returned {}, gas used {}",
        U256::from_be_slice(output),
        result.gas_used()
    );
    let result = run_custom_opcode(false);
    println!("without DOUBLE: {result:?}");
}
