//! Memory: MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY.

use crate::{Host, Interpreter, stack::load_word};
use lamina_primitives::U256;

/// MLOAD.
pub fn mload<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, top);
    match interp.memory.word(&load_word(top)) {
        Some(word) => *top = U256::from_be_bytes(*word),
        None => mload_growing(interp),
    }
}

/// MLOAD of a word the memory does not cover yet. Out of line, so that the common path
/// (one bounds check) saves no registers for the call that grows memory: MLOAD went from
/// 45 to 30 machine instructions in snailtracer. MSTORE keeps both paths inline: there two
/// thirds of its runs grow memory (215k of 329k a run), and splitting it cost more on those.
#[cold]
#[inline(never)]
fn mload_growing(interp: &mut Interpreter) {
    pop_top!(interp, top);
    let (offset, _) = memory_range!(interp, *top, U256::from(32));
    // Read again: growing the memory needs the interpreter, which `top` borrows.
    pop_top!(interp, top);
    *top = interp.memory.get_word(offset);
}

/// MSTORE.
pub fn mstore<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, offset, value);
    let (offset, _) = memory_range!(interp, offset, U256::from(32));
    interp.memory.set_word(offset, value);
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
