//! Jump destination analysis: a 0x5b byte is a JUMPDEST only where an instruction starts,
//! never inside PUSH data (Yellow Paper, section 9.4.3, D(c)).

mod common;

use common::*;
use lamina_bytecode::{Bytecode, opcode::*};
use lamina_interpreter::InstructionResult as IR;
use lamina_primitives::{Bytes, SpecId, U256};

/// The destinations the analysis finds in `code`, checked against a run of JUMP to each.
fn destinations(code: &[u8]) -> Vec<usize> {
    let bytecode = Bytecode::new_raw(Bytes::copy_from_slice(code));
    let found: Vec<usize> = (0..code.len() + 40).filter(|&pc| bytecode.is_valid_jump(pc)).collect();
    // Run `PUSH2 dest JUMP` placed after the code (so the code's offsets are unchanged) and
    // jumped to first: 0: PUSH2 tail, 3: JUMP, 4: code, then 32 STOPs so that a PUSH cut
    // short at the end of the code cannot swallow the tail, tail: JUMPDEST PUSH2 dest JUMP.
    for dest in 0..code.len() {
        let prefix_len = 4;
        let mut program = vec![PUSH2, 0, 0, JUMP];
        program.extend_from_slice(code);
        program.extend([STOP; 32]);
        let tail = program.len();
        program[1..3].copy_from_slice(&(tail as u16).to_be_bytes());
        program.extend([JUMPDEST, PUSH2]);
        program.extend(((dest + prefix_len) as u16).to_be_bytes());
        program.extend([JUMP]);
        let (result, _) = run(&program, SpecId::OSAKA, LIMIT);
        let jumped = result.result != IR::InvalidJump;
        assert_eq!(jumped, found.contains(&dest), "jump to {dest} in {code:02x?}: {result:?}");
    }
    found
}

#[test]
fn push_data_hides_jumpdest_bytes() {
    // PUSH1 0x5b, JUMPDEST
    assert_eq!(destinations(&[PUSH1, JUMPDEST, JUMPDEST]), vec![2]);
    // PUSH2 0x5b5b, then a real JUMPDEST
    assert_eq!(destinations(&[PUSH2, JUMPDEST, JUMPDEST, JUMPDEST, STOP]), vec![3]);
    // PUSH32 of 0x5b bytes hides all 32; the next byte is an instruction.
    let mut code = vec![PUSH32];
    code.extend([JUMPDEST; 33]);
    assert_eq!(destinations(&code), vec![33]);
}

#[test]
fn a_push_opcode_inside_push_data_is_data() {
    // 0: PUSH2 [0x60 0x60], 3: JUMPDEST. Were offset 1 or 2 read as PUSH1 it would swallow
    // the JUMPDEST.
    assert_eq!(destinations(&[PUSH2, PUSH1, PUSH1, JUMPDEST]), vec![3]);
    // 0: PUSH1 [0x61], 2: JUMPDEST, 3: JUMPDEST
    assert_eq!(destinations(&[PUSH1, PUSH2, JUMPDEST, JUMPDEST]), vec![2, 3]);
}

#[test]
fn truncated_push_at_the_end_hides_the_rest() {
    // PUSH4 with only three bytes left, all 0x5b: none is a destination.
    assert_eq!(destinations(&[JUMPDEST, PUSH4, JUMPDEST, JUMPDEST, JUMPDEST]), vec![0]);
}

#[test]
fn bytes_without_immediates_do_not_hide_the_next_byte() {
    // PUSH0 (no immediate), an undefined byte and INVALID are one byte long.
    assert_eq!(destinations(&[PUSH0, JUMPDEST, 0x0c, JUMPDEST, INVALID, JUMPDEST]), vec![1, 3, 5]);
    assert_eq!(destinations(&[]), Vec::<usize>::new());
}

#[test]
fn every_push_width() {
    for n in 1..=32u8 {
        // PUSHn of n 0x5b bytes, then JUMPDEST at n + 1.
        let mut code = vec![PUSH1 + n - 1];
        code.extend(std::iter::repeat_n(JUMPDEST, n as usize + 1));
        assert_eq!(destinations(&code), vec![n as usize + 1], "PUSH{n}");
    }
}

#[test]
fn jumping_to_a_data_0x5b_fails_at_run_time() {
    // 0: PUSH1 4, 2: JUMP, 3: PUSH1 0x5b — dest 4 is push data.
    let (result, _) = run(&[PUSH1, 4, JUMP, PUSH1, JUMPDEST], SpecId::FRONTIER, LIMIT);
    assert_halt(&result, IR::InvalidJump);
    // Same layout, but JUMPI with a true condition, and the same destination as a word with
    // high bits set (it must not be truncated to 4).
    let dest = (U256::from(1) << 64) + U256::from(4);
    let code = Asm::new().push(1).push_word(dest).op(JUMPI).bytes(&[PUSH1, JUMPDEST]).build();
    let (result, _) = run(&code, SpecId::FRONTIER, LIMIT);
    assert_halt(&result, IR::InvalidJump);
}
