//! The dispatch loop: a tight arithmetic loop, and evmone's `jump_around` micro benchmark;
//! KECCAK256 of a new input each time and of the same input each time (the cost and the gain
//! of remembering short inputs' hashes).

use criterion::{Criterion, criterion_group, criterion_main};
use lamina_bytecode::{Bytecode, opcode::*};
use lamina_interpreter::{
    DummyHost, FrameContext, InstructionResult, InstructionTable, Interpreter, InterpreterAction,
    InterpreterResult, SharedMemory, Stack,
};
use lamina_primitives::{Bytes, SpecId, hex};
use std::hint::black_box;

const ITERATIONS: u32 = 50_000;

/// `acc = (acc + n) * 3` for n from ITERATIONS down to 1. One iteration is JUMPDEST 1,
/// SWAP1 DUP2 ADD PUSH1 3·4, MUL 5, SWAP1 PUSH1 SWAP1 SUB DUP1 PUSH1 3·6, JUMPI 10 = 46 gas;
/// the two pushes before the loop cost 6.
fn counter_loop() -> (Bytecode, u64) {
    let [_, n2, n1, n0] = ITERATIONS.to_be_bytes();
    #[rustfmt::skip]
    let code = [
        PUSH1, 0,              // 0: acc
        PUSH3, n2, n1, n0,     // 2: n
        JUMPDEST,              // 6
        SWAP1, DUP2, ADD,      // n, acc + n
        PUSH1, 3, MUL,         // n, (acc + n) * 3
        SWAP1, PUSH1, 1, SWAP1, SUB, // acc, n − 1
        DUP1, PUSH1, 6, JUMPI, // loop while n − 1 ≠ 0
        STOP,
    ];
    let gas = 6 + 46 * ITERATIONS as u64;
    (Bytecode::new_raw(Bytes::copy_from_slice(&code)), gas)
}

/// KECCAK256 over memory's first 64 bytes, KECCAK_ITERATIONS times: with `distinct`, the
/// first word is the loop counter (DUP1), so no input repeats; otherwise it is CALLVALUE (0)
/// every time.
fn keccak_loop(distinct: bool) -> Bytecode {
    let [_, n2, n1, n0] = KECCAK_ITERATIONS.to_be_bytes();
    let word = if distinct { DUP1 } else { CALLVALUE };
    #[rustfmt::skip]
    let code = [
        PUSH3, n2, n1, n0,          // 0: n
        JUMPDEST,                   // 4
        word, PUSH1, 0, MSTORE,
        PUSH1, 64, PUSH1, 0, KECCAK256, POP,
        PUSH1, 1, SWAP1, SUB,       // n − 1
        DUP1, PUSH1, 4, JUMPI,      // loop while n − 1 ≠ 0
        STOP,
    ];
    Bytecode::new_raw(Bytes::copy_from_slice(&code))
}

const KECCAK_ITERATIONS: u32 = 10_000;

/// evmone's `jump_around.bin-runtime` from the shared benchmark inputs (hex), if present.
fn jump_around() -> Option<Bytecode> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/evmone/micro/jump_around.bin-runtime"
    );
    let text = std::fs::read_to_string(path).ok()?;
    let raw = hex::decode(text.trim()).expect("jump_around is hex");
    Some(Bytecode::new_raw(raw.into()))
}

fn run(code: &Bytecode, table: &InstructionTable<DummyHost>, gas: u64) -> InterpreterResult {
    let mut interpreter = Interpreter::new(
        code,
        FrameContext::default(),
        gas,
        table.gas,
        SharedMemory::new(),
        Stack::new(),
    );
    match interpreter.run(table, &mut DummyHost::default()) {
        InterpreterAction::Return(result) => result,
        other => panic!("unexpected {other:?}"),
    }
}

fn bench(c: &mut Criterion) {
    let table = InstructionTable::<DummyHost>::new(SpecId::OSAKA);

    let (code, gas) = counter_loop();
    // Measuring the wrong program would be worse than measuring none.
    let result = run(&code, &table, gas);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.remaining(), 0, "the hand-counted gas is exact");
    c.bench_function("counter_loop_50k", |b| {
        b.iter(|| black_box(run(black_box(&code), &table, gas)))
    });

    for (name, distinct) in [("keccak256_distinct_10k", true), ("keccak256_same_10k", false)] {
        let code = keccak_loop(distinct);
        let gas = 10_000_000;
        assert_eq!(run(&code, &table, gas).result, InstructionResult::Stop);
        c.bench_function(name, |b| b.iter(|| black_box(run(black_box(&code), &table, gas))));
    }

    match jump_around() {
        Some(code) => {
            let gas = 100_000_000;
            let result = run(&code, &table, gas);
            assert!(result.result.is_ok(), "jump_around ended with {:?}", result.result);
            c.bench_function("jump_around", |b| {
                b.iter(|| black_box(run(black_box(&code), &table, gas)))
            });
        }
        None => eprintln!("jump_around.bin-runtime not found; skipping that benchmark"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
