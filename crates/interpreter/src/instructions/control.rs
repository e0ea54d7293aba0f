//! Control flow: STOP, JUMP, JUMPI, JUMPDEST, PC, RETURN, REVERT, INVALID.

use crate::{Host, InstructionResult, Interpreter};
use lamina_primitives::{Bytes, U256};

/// STOP.
pub fn stop<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    interp.halt(InstructionResult::Stop);
}

/// JUMP.
pub fn jump<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, dest);
    interp.jump(dest);
}

/// JUMPI.
pub fn jumpi<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, dest, condition);
    if !super::is_zero(&condition) {
        interp.jump(dest);
    } else {
        interp.enter_block();
    }
}

/// JUMPDEST.
pub fn jumpdest<H: Host + ?Sized>(_interp: &mut Interpreter, _host: &mut H) {}

/// PC: the offset of this instruction.
pub fn pc<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.pc() - 1));
}

fn return_with(interp: &mut Interpreter, result: InstructionResult) {
    pop!(interp, offset, len);
    let (offset, len) = memory_range!(interp, offset, len);
    let output = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(interp.memory.slice(offset, len))
    };
    interp.halt_with_output(result, output);
}

/// RETURN.
pub fn ret<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    return_with(interp, InstructionResult::Return);
}

/// REVERT (EIP-140).
pub fn revert<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    return_with(interp, InstructionResult::Revert);
}

/// INVALID, 0xFE.
pub fn invalid<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    interp.halt(InstructionResult::InvalidFEOpcode);
}

/// Any byte that is no opcode in the fork.
pub fn unknown<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    interp.halt(InstructionResult::OpcodeNotFound);
}
