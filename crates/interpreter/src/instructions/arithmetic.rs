//! Arithmetic: ADD..SIGNEXTEND.

use crate::{Host, Interpreter};
use lamina_primitives::U256;

/// ADD.
pub fn add<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a.wrapping_add(*b);
}

/// MUL.
pub fn mul<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a.wrapping_mul(*b);
}

/// SUB.
pub fn sub<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = a.wrapping_sub(*b);
}

/// DIV (division by zero gives zero).
pub fn div<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = if super::is_zero(b) { U256::ZERO } else { quotient(a, *b) };
}

/// SDIV (two's complement; −2²⁵⁵ / −1 = −2²⁵⁵).
pub fn sdiv<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = i256_div(a, *b);
}

/// MOD.
pub fn rem<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = if super::is_zero(b) { U256::ZERO } else { remainder(a, *b) };
}

/// SMOD (the result takes the dividend's sign).
pub fn smod<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a; b);
    *b = i256_mod(a, *b);
}

/// ADDMOD (modulus zero gives zero; the sum does not wrap).
pub fn addmod<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a, b; n);
    *n = a.add_mod(b, *n);
}

/// MULMOD (the product does not wrap).
pub fn mulmod<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, a, b; n);
    *n = a.mul_mod(b, *n);
}

/// EXP: dynamic gas per byte of the exponent.
pub fn exp<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, base; exponent);
    let exponent_bytes = exponent.bit_len().div_ceil(8) as u64;
    let cost = interp.params.exp_byte * exponent_bytes;
    let exponent_value = *exponent;
    charge!(interp, cost);
    // SAFETY: the slot is still the stack top; nothing was pushed or popped since.
    let top = unsafe { interp.stack.top_unchecked() };
    *top = base.wrapping_pow(exponent_value);
}

/// SIGNEXTEND: extends the sign bit of byte `b` (counted from the right) of `x`.
pub fn signextend<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    pop_top!(interp, b; x);
    if b < U256::from(31) {
        // Limb by limb: the sign bit's limb keeps its bits up to the sign bit and takes the
        // sign above it; the limbs above are all sign. (A 256-bit mask costs shifts and a
        // subtraction across all four limbs.)
        let bit = b.as_limbs()[0] as usize * 8 + 7;
        let (limb, shift) = (bit / 64, bit % 64);
        let mut limbs = *x.as_limbs();
        let fill = if (limbs[limb] >> shift) & 1 == 1 { u64::MAX } else { 0 };
        let low = u64::MAX >> (63 - shift);
        limbs[limb] = (limbs[limb] & low) | (fill & !low);
        for above in &mut limbs[limb + 1..] {
            *above = fill;
        }
        *x = U256::from_limbs(limbs);
    }
}

/// Splits a two's complement word into sign and magnitude.
#[inline]
fn sign_abs(x: U256) -> (bool, U256) {
    let negative = x.bit(255);
    (negative, if negative { x.wrapping_neg() } else { x })
}

/// The word as `u128`, if it fits.
#[inline(always)]
fn as_u128(x: &U256) -> Option<u128> {
    let [low, high, rest @ ..] = *x.as_limbs();
    (rest == [0, 0]).then_some((u128::from(high) << 64) | u128::from(low))
}

/// `a / b` for `b` not zero. Operands that fit in 128 bits take the native division: in
/// snailtracer's fixed-point arithmetic nearly every SDIV has magnitudes that fit, and ruint's
/// general division of them cost about 145 machine instructions.
#[inline(always)]
fn quotient(a: U256, b: U256) -> U256 {
    match (as_u128(&a), as_u128(&b)) {
        (Some(a), Some(b)) => U256::from(a / b),
        _ => a / b,
    }
}

/// `a % b` for `b` not zero, as [`quotient`].
#[inline(always)]
fn remainder(a: U256, b: U256) -> U256 {
    match (as_u128(&a), as_u128(&b)) {
        (Some(a), Some(b)) => U256::from(a % b),
        _ => a % b,
    }
}

/// Signed division as the EVM defines it.
pub fn i256_div(a: U256, b: U256) -> U256 {
    if super::is_zero(&b) {
        return U256::ZERO;
    }
    let (a_neg, a_abs) = sign_abs(a);
    let (b_neg, b_abs) = sign_abs(b);
    let quotient = quotient(a_abs, b_abs);
    if a_neg != b_neg { quotient.wrapping_neg() } else { quotient }
}

/// Signed remainder as the EVM defines it.
pub fn i256_mod(a: U256, b: U256) -> U256 {
    if super::is_zero(&b) {
        return U256::ZERO;
    }
    let (a_neg, a_abs) = sign_abs(a);
    let (_, b_abs) = sign_abs(b);
    let remainder = remainder(a_abs, b_abs);
    if a_neg { remainder.wrapping_neg() } else { remainder }
}

/// Signed comparison `a < b`.
#[inline]
pub fn i256_lt(a: U256, b: U256) -> bool {
    match (a.bit(255), b.bit(255)) {
        (true, false) => true,
        (false, true) => false,
        _ => a < b,
    }
}

#[cfg(test)]
mod tests {
    use super::{quotient, remainder};
    use lamina_primitives::U256;
    use proptest::prelude::*;

    /// Words of 0 to 4 limbs, so both sides of the 128-bit fast path are drawn often.
    fn word() -> impl Strategy<Value = U256> {
        (prop::array::uniform4(any::<u64>()), 0..=4usize).prop_map(|(mut limbs, used)| {
            limbs[used..].fill(0);
            U256::from_limbs(limbs)
        })
    }

    proptest! {
        #[test]
        fn native_division_agrees_with_ruint(a in word(), b in word()) {
            prop_assume!(!b.is_zero());
            prop_assert_eq!(quotient(a, b), a / b);
            prop_assert_eq!(remainder(a, b), a % b);
        }
    }
}
