//! The frame's own context: KECCAK256, call data, code, return data, GAS.

use crate::{Host, InstructionResult, Interpreter, memory::copy_padded};
use lamina_primitives::{B256, U256};

/// KECCAK256.
pub fn keccak256_op<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, offset, len);
    let (offset, len) = memory_range!(interp, offset, len);
    charge!(interp, interp.params.keccak_cost(len as u64));
    let hash = interp.memory.keccak256(offset, len);
    push!(interp, hash.into());
}

/// ADDRESS.
pub fn address<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, interp.context.target_address.into_word().into());
}

/// CALLER.
pub fn caller<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, interp.context.caller.into_word().into());
}

/// CALLVALUE.
pub fn callvalue<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, interp.context.value);
}

/// CALLDATALOAD: 32 bytes of call data at an offset, zero-padded past the end.
pub fn calldataload<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, offset);
    let input = interp.context.input.bytes(&interp.memory);
    *offset = match usize::try_from(*offset) {
        Ok(start) if start < input.len() => {
            let mut word = B256::ZERO;
            let available = (input.len() - start).min(32);
            word[..available].copy_from_slice(&input[start..start + available]);
            word.into()
        }
        _ => U256::ZERO,
    };
}

/// CALLDATASIZE.
pub fn calldatasize<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.context.input.len()));
}

/// Where a copy instruction reads from.
#[derive(Clone, Copy)]
enum CopySource {
    CallData,
    Code,
    ReturnData,
}

/// Shared body of the copy instructions: memory, copy gas, then the zero-padded copy.
#[inline(always)]
fn copy_to_memory(
    interp: &mut Interpreter,
    memory_offset: U256,
    data_offset: U256,
    len: U256,
    source: CopySource,
) {
    let (memory_offset, len) = memory_range!(interp, memory_offset, len);
    charge!(interp, interp.params.copy_cost(len as u64));
    if len == 0 {
        return;
    }
    let data_offset = usize::try_from(data_offset).unwrap_or(usize::MAX);
    let data: &[u8] = match source {
        CopySource::CallData => {
            // Call data lent by the caller lies in the memory below this frame's.
            let (below, memory) = interp.memory.split_at_context_mut();
            let data = interp.context.input.read(below);
            copy_padded(&mut memory[memory_offset..memory_offset + len], data, data_offset);
            return;
        }
        CopySource::Code => {
            let (code, memory) = interp.code_and_memory();
            memory.set_data(memory_offset, data_offset, len, code.original_bytes());
            return;
        }
        CopySource::ReturnData => &interp.return_data,
    };
    interp.memory.set_data(memory_offset, data_offset, len, data);
}

/// CALLDATACOPY.
pub fn calldatacopy<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, memory_offset, data_offset, len);
    copy_to_memory(interp, memory_offset, data_offset, len, CopySource::CallData);
}

/// CODESIZE.
pub fn codesize<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.code().original_bytes().len()));
}

/// CODECOPY.
pub fn codecopy<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, memory_offset, code_offset, len);
    copy_to_memory(interp, memory_offset, code_offset, len, CopySource::Code);
}

/// RETURNDATASIZE (EIP-211).
pub fn returndatasize<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.return_data.len()));
}

/// RETURNDATACOPY (EIP-211): reading past the end halts.
pub fn returndatacopy<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, memory_offset, data_offset, len);
    let len_usize = as_usize_or_fail!(interp, len);
    let data_offset = usize::try_from(data_offset).unwrap_or(usize::MAX);
    if data_offset.checked_add(len_usize).is_none_or(|end| end > interp.return_data.len()) {
        interp.halt(InstructionResult::OutOfOffset);
        return;
    }
    copy_to_memory(interp, memory_offset, U256::from(data_offset), len, CopySource::ReturnData);
}

/// GAS: gas left after this instruction's own cost.
pub fn gas<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.gas.remaining()));
    // The gas left is exact only at a block's end; the next instruction starts one.
    interp.enter_block();
}
