//! Checking per basic block: when code is analysed, and that the gas is the same either way.
//! Gas figures are the Yellow Paper's per-opcode costs added by hand.

mod common;

use common::*;
use lamina_bytecode::{Bytecode, opcode::*};
use lamina_interpreter::{InstructionResult, InstructionTable};
use lamina_primitives::{Bytes, SpecId, U256};

/// Counts 100 down to 0: PUSH1 100; loop: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 2 JUMPI; STOP.
/// Gas: 3, then per iteration 1 + 3 + 3 + 3 + 3 + 3 + 10 = 26: 3 + 100 * 26 = 2,603.
const COUNTDOWN: [u8; 12] =
    [PUSH1, 100, JUMPDEST, PUSH1, 1, SWAP1, SUB, DUP1, PUSH1, 2, JUMPI, STOP];

fn is_analysed(frame: &Frame) -> bool {
    let key = frame.table.block_key().expect("a fork's table");
    frame.interp.code().block_cache().get(key).is_some()
}

#[test]
fn a_loop_warms_up_within_its_frame() {
    let mut frame = Frame::new(&COUNTDOWN, SpecId::CANCUN, LIMIT);
    let result = frame.finish();
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 2_603);
    assert_eq!(frame.stack(), [U256::ZERO]);
    // 12 bytes of code warm up after 12 bytes have run, in the second iteration of the loop
    // (11 bytes up to the first JUMPI, 9 per iteration); the jump after that enters the code checked per block, and
    // blocks are analysed as they are entered: the loop's (pc 2) and, when the JUMPI falls
    // through, the STOP's (pc 11), never the first one (pc 0), which ran before.
    assert!(is_analysed(&frame));
    let key = frame.table.block_key().unwrap();
    let blocks = frame.interp.code().block_cache().get(key).unwrap();
    let entered: Vec<usize> = (0..=COUNTDOWN.len()).filter(|&pc| blocks.is_start(pc)).collect();
    assert_eq!(entered, [2, 11]);
    // JUMPDEST .. JUMPI: 26 gas, needs one word, grows by two at most (PUSH1, DUP1).
    let check = blocks.at(2).unwrap();
    assert_eq!((check.gas, check.min_len, check.len_range), (26, 1, 1024 - 2 - 1));
}

#[test]
fn straight_code_is_never_analysed() {
    // Init code runs once: PUSH1 1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN, straight code
    // that never jumps, where warm code is analysed.
    let code = [PUSH1, 1, PUSH1, 0, MSTORE, PUSH1, 32, PUSH1, 0, RETURN];
    let mut frame = Frame::new(&code, SpecId::CANCUN, LIMIT);
    let result = frame.finish();
    assert_eq!(result.result, InstructionResult::Return);
    // 3 + 3 + (3 + 3 memory) + 3 + 3 + 0.
    assert_eq!(result.gas.spent(), 18);
    assert!(!is_analysed(&frame));
}

#[test]
fn code_run_adds_up_over_frames() {
    // PUSH1 1 PUSH1 2 ADD POP STOP, then 6 bytes never run: 13 bytes of code warm up after 13
    // bytes have run; each frame runs 7, so the third frame running the shared code finds it
    // warm and checks it per block from its start.
    let code = Bytecode::new_raw(Bytes::from_static(&[
        PUSH1, 1, PUSH1, 2, ADD, POP, STOP, PUSH1, 1, PUSH1, 2, ADD, POP,
    ]));
    let key = InstructionTable::<TestHost>::new(SpecId::CANCUN).block_key().unwrap();
    for run in 1..=5 {
        let mut frame = Frame::with_code(&code, InstructionTable::new(SpecId::CANCUN), LIMIT);
        let result = frame.finish();
        assert_eq!(result.result, InstructionResult::Stop);
        // 3 + 3 + 3 + 2, whichever way it was checked.
        assert_eq!(result.gas.spent(), 11, "run {run}");
        let analysed = code.legacy().unwrap().block_cache().get(key).is_some();
        assert_eq!(analysed, run >= 3, "run {run}");
    }
}

#[test]
fn a_failing_block_fails_at_the_exact_instruction() {
    // Analysed, then given too little gas for the loop's block: the block check fails and
    // the instructions are checked one by one, so the frame runs out of gas inside it
    // having spent everything, as the per-instruction checks would.
    for gas in [0, 2, 3, 4, 10, 29, 100] {
        let mut frame = Frame::new(&COUNTDOWN, SpecId::CANCUN, gas);
        let key = frame.table.block_key().unwrap();
        frame.interp.code().analysed_blocks(key, || frame.table.static_gas());
        assert_halt(&frame.finish(), InstructionResult::OutOfGas);
    }
    // A stack underflow in a block is named as such, not as out of gas.
    let code = [PUSH1, 0, JUMPDEST, ADD, PUSH1, 2, JUMP];
    let mut frame = Frame::new(&code, SpecId::CANCUN, LIMIT);
    let key = frame.table.block_key().unwrap();
    frame.interp.code().analysed_blocks(key, || frame.table.static_gas());
    assert_halt(&frame.finish(), InstructionResult::StackUnderflow);
}

/// Runs `code` analysed up front (checked per block from its first instruction).
fn run_analysed(code: &[u8], gas: u64) -> (Frame, lamina_interpreter::InterpreterResult) {
    let mut frame = Frame::new(code, SpecId::CANCUN, gas);
    let key = frame.table.block_key().unwrap();
    frame.interp.code().analysed_blocks(key, || frame.table.static_gas());
    let result = frame.finish();
    (frame, result)
}

#[test]
fn push2_then_jump_runs_as_one_in_checked_blocks() {
    // PUSH2 0x0006 JUMP, INVALID, INVALID, JUMPDEST, PUSH1 7, STOP: 3 + 8 + 1 + 3 = 15.
    let code = [PUSH2, 0, 6, JUMP, INVALID, INVALID, JUMPDEST, PUSH1, 7, STOP];
    let (frame, result) = run_analysed(&code, LIMIT);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 15);
    assert_eq!(frame.stack(), [U256::from(7)]);

    // JUMPI taken and not: PUSH1 c, PUSH2 0x0009, JUMPI, PUSH1 1, STOP, JUMPDEST, PUSH1 2,
    // STOP. Taken: 3 + 3 + 10 + 1 + 3 = 20; not taken: 3 + 3 + 10 + 3 = 19.
    for (condition, gas, top) in [(1, 20, 2), (0, 19, 1)] {
        let code = [PUSH1, condition, PUSH2, 0, 9, JUMPI, PUSH1, 1, STOP, JUMPDEST, PUSH1, 2, STOP];
        let (frame, result) = run_analysed(&code, LIMIT);
        assert_eq!(result.result, InstructionResult::Stop, "condition {condition}");
        assert_eq!(result.gas.spent(), gas, "condition {condition}");
        assert_eq!(frame.stack(), [U256::from(top)], "condition {condition}");
    }

    // A PUSH2 before anything else only pushes: PUSH2 0x0102, STOP.
    let (frame, result) = run_analysed(&[PUSH2, 1, 2, STOP], LIMIT);
    assert_eq!(result.gas.spent(), 3);
    assert_eq!(frame.stack(), [U256::from(0x0102)]);
}

#[test]
fn push2_then_mload_or_mstore_runs_as_the_two_instructions() {
    // PUSH1 42, PUSH2 0x0020, MSTORE, PUSH2 0x0020, MLOAD, STOP: five instructions of 3 gas,
    // and memory grown to 64 bytes, 2 words: 2 * 3 + 2² / 512 = 6. In all 21.
    let code = [PUSH1, 42, PUSH2, 0, 0x20, MSTORE, PUSH2, 0, 0x20, MLOAD, STOP];
    let (frame, result) = run_analysed(&code, LIMIT);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 21);
    assert_eq!(frame.stack(), [U256::from(42)]);
    // MLOAD past memory's end grows it: 0x40 + 32 bytes = 3 words, 9 gas; 3 + 3 + 9 = 15.
    let (frame, result) = run_analysed(&[PUSH2, 0, 0x40, MLOAD, STOP], LIMIT);
    assert_eq!(result.gas.spent(), 15);
    assert_eq!(frame.stack(), [U256::ZERO]);
    // The block's 15 static gas paid, not the 6 of growing memory: MSTORE runs out of gas
    // for memory.
    let (_, result) = run_analysed(&code, 20);
    assert_halt(&result, InstructionResult::MemoryOOG);
}

#[test]
fn push2_then_jump_fails_as_the_two_instructions_would() {
    // Into PUSH data (pc 2 is the immediate's second byte, a 0x5b): an invalid jump.
    let (_, result) = run_analysed(&[PUSH2, 0, JUMPDEST, JUMP], LIMIT);
    assert_halt(&result, InstructionResult::InvalidJump);
    // Past the code's end.
    let (_, result) = run_analysed(&[PUSH2, 0xff, 0xff, JUMP], LIMIT);
    assert_halt(&result, InstructionResult::InvalidJump);
    // Into a block that needs two words with none there: JUMPI with no condition on the
    // stack underflows instead (its own block needs the condition).
    let (_, result) = run_analysed(&[PUSH2, 0, 4, JUMPI, JUMPDEST, STOP], LIMIT);
    assert_halt(&result, InstructionResult::StackUnderflow);
    // Gas for PUSH2 and JUMP (11) but not for the JUMPDEST: out of gas at the JUMPDEST.
    let code = [PUSH2, 0, 4, JUMP, JUMPDEST, STOP];
    let (_, result) = run_analysed(&code, 11);
    assert_halt(&result, InstructionResult::OutOfGas);
    let (_, result) = run_analysed(&code, 12);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 12);
}

#[test]
fn push1_then_a_shift_runs_as_the_two_instructions() {
    // PUSH32 0x0102…1f20, PUSH1 4, SHR, PUSH1 8, SHL, STOP: five instructions of 3 gas.
    let word: Vec<u8> = (1..=32).collect();
    let code = Asm::new().bytes(&[PUSH32]).bytes(&word).bytes(&[PUSH1, 4, SHR, PUSH1, 8, SHL]);
    let (frame, result) = run_analysed(&code.op(STOP).build(), LIMIT);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 15);
    let expected: U256 =
        "0x102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f200".parse().unwrap();
    assert_eq!(frame.stack(), [expected]);

    // By 255, both ways: PUSH1 1, PUSH1 255, SHL, PUSH1 255, SHR, STOP gives 1 back, and the
    // top bit on the way (DUP1 keeps it): 2^255.
    let code = [PUSH1, 1, PUSH1, 255, SHL, DUP1, PUSH1, 255, SHR, STOP];
    let (frame, result) = run_analysed(&code, LIMIT);
    assert_eq!(result.gas.spent(), 18);
    assert_eq!(frame.stack(), [U256::from(1) << 255, U256::from(1)]);

    // An immediate that is itself SHR's byte is only data: PUSH1 0x1c (SHR) shifts by 28.
    let code = [PUSH2, 0x12, 0x34, PUSH1, SHR, SHR, STOP];
    let (frame, _) = run_analysed(&code, LIMIT);
    assert_eq!(frame.stack(), [U256::ZERO]);
    let code = [PUSH4, 0x12, 0x34, 0x56, 0x78, PUSH1, SHR, SHR, STOP];
    let (frame, _) = run_analysed(&code, LIMIT);
    assert_eq!(frame.stack(), [U256::from(1)]);

    // A shift with nothing to shift underflows, as SHR alone does.
    let (_, result) = run_analysed(&[PUSH1, 4, SHR, STOP], LIMIT);
    assert_halt(&result, InstructionResult::StackUnderflow);
    // Out of gas at the shift, not before: 6 for the PUSH1s, not 3 more for SHR.
    let (_, result) = run_analysed(&[PUSH1, 1, PUSH1, 4, SHR, STOP], 8);
    assert_halt(&result, InstructionResult::OutOfGas);
}

#[test]
fn push1_then_a_shift_byte_is_no_shift_before_constantinople() {
    // 0x1c is not an instruction in Byzantium: PUSH1 1, PUSH1 4, SHR halts at the SHR.
    let mut frame = Frame::new(&[PUSH1, 1, PUSH1, 4, SHR, STOP], SpecId::BYZANTIUM, LIMIT);
    let key = frame.table.block_key().unwrap();
    frame.interp.code().analysed_blocks(key, || frame.table.static_gas());
    assert_halt(&frame.finish(), InstructionResult::OpcodeNotFound);
}

#[test]
fn swap1_then_pop_runs_as_the_two_instructions() {
    // PUSH1 1, PUSH1 2, PUSH1 3, SWAP1, POP, STOP: 3 * 3 + 3 + 2 = 14, and the 2 dropped.
    let (frame, result) = run_analysed(&[PUSH1, 1, PUSH1, 2, PUSH1, 3, SWAP1, POP, STOP], LIMIT);
    assert_eq!(result.result, InstructionResult::Stop);
    assert_eq!(result.gas.spent(), 14);
    assert_eq!(frame.stack(), [U256::from(1), U256::from(3)]);
    // SWAP1 followed by anything else only swaps.
    let (frame, result) = run_analysed(&[PUSH1, 1, PUSH1, 2, SWAP1, STOP], LIMIT);
    assert_eq!(result.gas.spent(), 9);
    assert_eq!(frame.stack(), [U256::from(2), U256::from(1)]);
    // A POP that is PUSH data is no POP: PUSH1 1, PUSH1 2, SWAP1, PUSH1 0x50, STOP.
    let (frame, _) = run_analysed(&[PUSH1, 1, PUSH1, 2, SWAP1, PUSH1, POP, STOP], LIMIT);
    assert_eq!(frame.stack(), [U256::from(2), U256::from(1), U256::from(0x50)]);
    // One word: SWAP1 underflows before the POP runs.
    let (_, result) = run_analysed(&[PUSH1, 1, SWAP1, POP, STOP], LIMIT);
    assert_halt(&result, InstructionResult::StackUnderflow);
}
