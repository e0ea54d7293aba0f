//! Stack: POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16.

use crate::{Host, Interpreter};
use lamina_primitives::U256;

/// POP.
pub fn pop<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop!(interp, _value);
}

/// PUSH0 (EIP-3855).
pub fn push0<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    push!(interp, U256::ZERO);
}

/// PUSH1..PUSH32: `N` immediate bytes as a big-endian word. Bytes past the end of the code
/// read as zero (the padding).
pub fn push<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let value = U256::from_be_slice(interp.immediate(N));
    push!(interp, value);
    interp.skip(N);
}

/// DUP1..DUP16.
pub fn dup<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    // SAFETY: the dispatch loop checked `N` words are present and one more fits.
    unsafe { interp.stack.dup_unchecked(N) };
}

/// SWAP1..SWAP16.
pub fn swap<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    // SAFETY: the dispatch loop checked `N + 1` words are present.
    unsafe { interp.stack.swap_unchecked(N) };
}
