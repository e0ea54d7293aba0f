//! A chain-specific opcode added to a stock table from outside the interpreter crate.

use lamina_bytecode::Bytecode;
use lamina_interpreter::{
    DummyHost, FrameContext, Host, Instruction, InstructionResult, InstructionTable, Interpreter,
    InterpreterAction, InterpreterResult, SharedMemory, Stack,
};
use lamina_primitives::{Bytes, SpecId, U256};

/// 0x0c, unassigned on Ethereum.
const PUSH42: u8 = 0x0c;

fn push_42<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    // The loop already checked there is room (outputs − inputs = 1), so this cannot fail.
    if !interp.stack.push(U256::from(42)) {
        interp.halt(InstructionResult::StackOverflow);
    }
}

/// ADD that saturates instead of wrapping, with 1 gas per non-zero byte of the sum on top.
fn saturating_add<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let (Some(a), Some(b)) = (interp.stack.pop(), interp.stack.pop()) else {
        interp.halt(InstructionResult::StackUnderflow);
        return;
    };
    let sum = a.saturating_add(b);
    let bytes = sum.to_be_bytes::<32>().iter().filter(|&&b| b != 0).count() as u64;
    if interp.charge(bytes) {
        interp.stack.push(sum);
    }
}

fn table() -> InstructionTable<DummyHost> {
    let mut table = InstructionTable::new(SpecId::OSAKA);
    table.insert(PUSH42, Instruction::new(push_42, 7, 0, 1));
    table.insert(0x01, Instruction::new(saturating_add, 4, 2, 1));
    table
}

fn run(table: &InstructionTable<DummyHost>, code: &[u8], gas: u64) -> InterpreterResult {
    let code = Bytecode::new_raw(Bytes::copy_from_slice(code));
    let mut interpreter = Interpreter::new(
        &code,
        FrameContext::default(),
        gas,
        table.gas,
        SharedMemory::new(),
        Stack::new(),
    );
    match interpreter.run(table, &mut DummyHost::default()) {
        InterpreterAction::Return(result) => result,
        other => panic!("no calls here, got {other:?}"),
    }
}

/// PUSH42, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
const RETURN_42: [u8; 9] = [PUSH42, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

#[test]
fn custom_opcode_runs_at_its_gas() {
    let result = run(&table(), &RETURN_42, 100);
    assert_eq!(result.result, InstructionResult::Return);
    assert_eq!(result.output[..], U256::from(42).to_be_bytes::<32>());
    // PUSH42 7, three PUSH1 at 3, MSTORE 3 + one word 3, RETURN 0.
    assert_eq!(result.gas.spent(), 7 + 9 + 6);
    // Its static gas is charged before it runs.
    let result = run(&table(), &RETURN_42, 6);
    assert_eq!(result.result, InstructionResult::OutOfGas);
}

#[test]
fn the_stock_table_is_untouched() {
    let stock = InstructionTable::<DummyHost>::new(SpecId::OSAKA);
    let result = run(&stock, &RETURN_42, 100);
    assert_eq!(result.result, InstructionResult::OpcodeNotFound);
    assert_eq!(result.gas.remaining(), 0);
}

#[test]
fn the_loop_enforces_the_declared_stack_shape() {
    // 1024 pushes fill the stack; PUSH42 declared one output, so it overflows.
    let mut code = [0x60, 0x01].repeat(1024);
    code.push(PUSH42);
    assert_eq!(run(&table(), &code, 1_000_000).result, InstructionResult::StackOverflow);
    // The replaced ADD declared two inputs.
    let result = run(&table(), &[0x60, 0x01, 0x01], 100);
    assert_eq!(result.result, InstructionResult::StackUnderflow);
}

#[test]
fn a_replaced_opcode_with_dynamic_gas() {
    // PUSH32 2^256 − 1, PUSH1 1, ADD: saturates at 2^256 − 1, 32 non-zero bytes. Then the
    // result is stored and returned.
    let mut code = vec![0x7f];
    code.extend([0xff; 32]);
    code.extend([0x60, 0x01, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    let result = run(&table(), &code, 1000);
    assert_eq!(result.output[..], [0xff; 32]);
    // Two pushes 6, ADD 4 + 32, then PUSH1 3, MSTORE 3 + 3, two PUSH1 6.
    assert_eq!(result.gas.spent(), 6 + 36 + 3 + 6 + 6);
}
