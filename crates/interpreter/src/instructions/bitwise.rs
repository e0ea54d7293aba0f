//! Comparison and bitwise operations: LT..CLZ, KECCAK256 lives in `system`.

use super::arithmetic::i256_lt;
use crate::{Host, Interpreter, stack::load_word};
use lamina_primitives::U256;

#[inline(always)]
fn word(flag: bool) -> U256 {
    U256::from(flag as u8)
}

/// LT.
pub fn lt<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = word(a < *b);
}

/// GT.
pub fn gt<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = word(a > *b);
}

/// SLT.
pub fn slt<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = word(i256_lt(a, *b));
}

/// SGT.
pub fn sgt<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = word(i256_lt(*b, a));
}

/// EQ.
pub fn eq<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = word(super::equal(&a, &load_word(b)));
}

/// ISZERO.
pub fn iszero<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a);
    *a = word(super::is_zero(&load_word(a)));
}

/// AND.
pub fn bitand<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a & *b;
}

/// OR.
pub fn bitor<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a | *b;
}

/// XOR.
pub fn bitxor<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a ^ *b;
}

/// NOT.
pub fn not<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a);
    *a = !load_word(a);
}

/// BYTE: byte `i` of `x` counted from the most significant; zero when `i` ≥ 32.
pub fn byte<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, i; x);
    *x = if i < U256::from(32) {
        U256::from(x.byte(31 - i.as_limbs()[0] as usize))
    } else {
        U256::ZERO
    };
}

/// The shift amount, saturated: anything ≥ 256 shifts everything out.
#[inline(always)]
fn shift_amount(shift: U256) -> usize {
    if shift < U256::from(256) { shift.as_limbs()[0] as usize } else { 256 }
}

/// SHL (EIP-145).
pub fn shl<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, shift; value);
    let shift = shift_amount(shift);
    *value = if shift < 256 { *value << shift } else { U256::ZERO };
}

/// SHR (EIP-145).
pub fn shr<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, shift; value);
    let shift = shift_amount(shift);
    *value = if shift < 256 { *value >> shift } else { U256::ZERO };
}

/// SAR (EIP-145): arithmetic shift; shifting a negative value by ≥ 256 gives −1.
pub fn sar<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, shift; value);
    let shift = shift_amount(shift);
    *value = if shift < 256 {
        value.arithmetic_shr(shift)
    } else if value.bit(255) {
        U256::MAX
    } else {
        U256::ZERO
    };
}

/// CLZ (EIP-7939): leading zero bits; 256 for zero.
pub fn clz<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a);
    *a = U256::from(a.leading_zeros());
}
