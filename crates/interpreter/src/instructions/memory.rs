//! Memory: MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY.

use super::StackOnly;
use crate::{Host, Interpreter, SharedMemory, stack::load_word};
use lamina_primitives::U256;

/// MLOAD. Inlined where it is called directly (the fused PUSH2): the covered word is one
/// bounds check, and growing is out of line.
#[inline]
pub fn mload<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let mut stack = StackOnly { stack: interp.stack.top };
    if !mload_covered(&interp.memory, &mut stack) {
        mload_growing(interp);
    }
}

/// MLOAD when the memory covers the word (nearly always), on the memory and the stack's top
/// alone, so that the per-block loop runs it inline; `false`, with nothing done, otherwise.
#[inline(always)]
pub(crate) fn mload_covered(memory: &SharedMemory, interp: &mut StackOnly) -> bool {
    pop_top!(interp, top);
    match memory.word(&load_word(top)) {
        Some(word) => {
            *top = U256::from_be_bytes(*word);
            true
        }
        None => false,
    }
}

/// MLOAD of a word the memory does not cover yet. Out of line, so that the common path
/// (one bounds check) saves no registers for the call that grows memory: MLOAD went from
/// 45 to 30 machine instructions in snailtracer.
#[cold]
#[inline(never)]
fn mload_growing(interp: &mut Interpreter) {
    pop_top!(interp, top);
    let (offset, _) = memory_range!(interp, *top, U256::from(32));
    // Read again: growing the memory needs the interpreter, which `top` borrows.
    pop_top!(interp, top);
    *top = interp.memory.get_word(offset);
}

/// MSTORE, shaped as [`mload`].
#[inline]
pub fn mstore<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let mut stack = StackOnly { stack: interp.stack.top };
    if mstore_covered(&mut interp.memory, &mut stack) {
        interp.stack.top = stack.stack;
    } else {
        mstore_growing(interp);
    }
}

/// MSTORE of a word the memory does not cover yet, out of line as [`mload_growing`] (inline,
/// it kept MSTORE from being inlined into the fused PUSH2, which called it: 6.7% of
/// blake2b_huff's time).
#[cold]
#[inline(never)]
fn mstore_growing(interp: &mut Interpreter) {
    pop!(interp, offset, value);
    let (offset, _) = memory_range!(interp, offset, U256::from(32));
    interp.memory.set_word(offset, value);
}

/// MSTORE when the memory covers the word, as [`mload_covered`].
#[inline(always)]
pub(crate) fn mstore_covered(memory: &mut SharedMemory, interp: &mut StackOnly) -> bool {
    // SAFETY: the dispatch loop checked the stack holds the opcode's inputs.
    let offset = unsafe { interp.stack.top_unchecked() };
    let Some(word) = memory.word_mut(&load_word(offset)) else { return false };
    pop!(interp, _offset, value);
    *word = value.to_be_bytes();
    true
}

/// MSTORE8.
pub fn mstore8<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, offset, value);
    let (offset, _) = memory_range!(interp, offset, U256::from(1));
    interp.memory.set_byte(offset, value.byte(0));
}

/// MSIZE.
pub fn msize<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::from(interp.memory.len()));
}

/// MCOPY (EIP-5656).
pub fn mcopy<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, dst, src, len);
    let len = as_usize_or_fail!(interp, len);
    charge!(interp, interp.params.copy_cost(len as u64));
    if len == 0 {
        return;
    }
    let dst = as_usize_or_fail!(interp, dst);
    let src = as_usize_or_fail!(interp, src);
    if !interp.resize_memory(dst.max(src), len) {
        return;
    }
    interp.memory.copy(dst, src, len);
}
