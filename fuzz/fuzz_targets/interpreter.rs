//! Arbitrary bytes as code and calldata, with an arbitrary gas limit, run by the interpreter
//! alone on every fork with a `DummyHost`: every run ends in a frame result; calls and
//! creates are answered with failed outcomes (a revert that hands the gas back, or a halt
//! that keeps it), so the code goes on after them.

#![no_main]

use arbitrary::Arbitrary;
use lamina_bytecode::Bytecode;
use lamina_interpreter::{
    CallOutcome, CreateOutcome, DummyHost, FrameContext, FrameInput, Gas, InstructionResult,
    InstructionTable, Interpreter, InterpreterAction, InterpreterResult, SharedMemory, Stack,
};
use lamina_primitives::{Bytes, SpecId};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Input {
    code: Vec<u8>,
    calldata: Vec<u8>,
    gas_limit: u32,
    /// Whether calls and creates revert (gas handed back) or halt (gas kept).
    children_revert: bool,
    /// Whether the code is analysed before it runs (checks per basic block from the first
    /// instruction) rather than after warming up.
    analysed: bool,
}

/// Enough gas for any opcode's worst case many times over, little enough that a program
/// that loops ends in milliseconds on each of the 18 forks.
const MAX_GAS: u64 = 1 << 22;
/// 1 MiB: more than 2^22 gas can pay for (about 1.4 MiB costs 2^22), so the limit is hit
/// only by programs that could otherwise pay past it.
const MEMORY_LIMIT: u64 = 1 << 20;

fn run(table: &InstructionTable<DummyHost>, input: &Input) {
    let code = Bytecode::new_raw(Bytes::copy_from_slice(&input.code));
    if input.analysed
        && let (Some(key), Some(legacy)) = (table.block_key(), code.legacy())
    {
        legacy.analysed_blocks(key, || table.static_gas());
    }
    let gas_limit = u64::from(input.gas_limit) % (MAX_GAS + 1);
    let context = FrameContext {
        input: Bytes::copy_from_slice(&input.calldata).into(),
        ..Default::default()
    };
    let mut interpreter =
        Interpreter::new(&code, context, gas_limit, table.gas, SharedMemory::new(), Stack::new());
    interpreter.memory_limit = MEMORY_LIMIT;
    let mut host = DummyHost::default();
    let failed = |gas_limit: u64| {
        if input.children_revert {
            InterpreterResult::new(InstructionResult::Revert, Bytes::new(), Gas::new(gas_limit))
        } else {
            InterpreterResult::new(
                InstructionResult::OutOfGas,
                Bytes::new(),
                Gas::new_spent(gas_limit),
            )
        }
    };
    let result = loop {
        match interpreter.run(table, &mut host) {
            InterpreterAction::Return(result) => break result,
            InterpreterAction::NewFrame(FrameInput::Call(call)) => {
                let result = failed(call.gas_limit);
                let outcome = CallOutcome { result, memory_offset: call.return_memory_offset };
                interpreter.insert_call_outcome(outcome);
            }
            InterpreterAction::NewFrame(FrameInput::Create(create)) => {
                let result = failed(create.gas_limit);
                interpreter.insert_create_outcome(CreateOutcome { result, address: None });
            }
            InterpreterAction::None => {
                panic!("{}: the interpreter stopped with no action", table.spec)
            }
        }
    };
    let spec = table.spec;
    assert!(
        !matches!(
            result.result,
            InstructionResult::Continue
                | InstructionResult::CallOrCreate
                | InstructionResult::ChecksChanged
        ),
        "{spec}: a frame ended with {:?}",
        result.result
    );
    assert!(result.gas.spent() <= gas_limit, "{spec}: spent {} of {gas_limit}", result.gas.spent());
    if result.result.is_error() {
        assert_eq!(result.gas.remaining(), 0, "{spec}: {:?} kept gas", result.result);
    }
    assert!(
        interpreter.memory.total_len() as u64 <= MEMORY_LIMIT,
        "{spec}: memory {} past the limit",
        interpreter.memory.total_len()
    );
}

fuzz_target!(|input: Input| {
    static TABLES: OnceLock<Vec<InstructionTable<DummyHost>>> = OnceLock::new();
    let tables =
        TABLES.get_or_init(|| SpecId::ALL.iter().map(|&s| InstructionTable::new(s)).collect());
    for table in tables {
        run(table, &input);
    }
});
