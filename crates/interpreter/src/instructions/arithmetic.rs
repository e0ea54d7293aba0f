//! Arithmetic: ADD..SIGNEXTEND.

use super::{StackOnly, as_u64, is_zero, modulus::PreparedModulus};
use crate::{Host, Interpreter, stack::load_word};
use lamina_primitives::U256;

stack_only! {
    /// ADD.
    fn add(interp) {
        pop_top!(interp, a; b);
        *b = a.wrapping_add(*b);
    }

    /// MUL.
    fn mul(interp) {
        pop_top!(interp, a; b);
        *b = a.wrapping_mul(*b);
    }

    /// SUB.
    fn sub(interp) {
        pop_top!(interp, a; b);
        *b = a.wrapping_sub(*b);
    }

    /// DIV (division by zero gives zero).
    fn div(interp) {
        pop_top!(interp, a; b);
        let divisor = load_word(b);
        *b = if is_zero(&divisor) { U256::ZERO } else { quotient(a, divisor) };
    }

    /// SDIV (two's complement; −2²⁵⁵ / −1 = −2²⁵⁵).
    fn sdiv(interp) {
        pop_top!(interp, a; b);
        *b = i256_div(a, load_word(b));
    }

    /// MOD.
    fn rem(interp) {
        pop_top!(interp, a; b);
        let divisor = load_word(b);
        *b = if is_zero(&divisor) { U256::ZERO } else { remainder(a, divisor) };
    }

    /// SMOD (the result takes the dividend's sign).
    fn smod(interp) {
        pop_top!(interp, a; b);
        *b = i256_mod(a, load_word(b));
    }

    /// ADDMOD (modulus zero gives zero; the sum does not wrap).
    fn addmod(interp) {
        pop_top!(interp, a, b; n);
        *n = load_word(&a.add_mod(b, load_word(n)));
    }

    /// SIGNEXTEND: extends the sign bit of byte `b` (counted from the right) of `x`.
    fn signextend(interp) {
        pop_top!(interp, b; x);
        if b < U256::from(31) {
            // Limb by limb: the sign bit's limb keeps its bits up to the sign bit and takes the
            // sign above it; the limbs above are all sign. (A 256-bit mask costs shifts and a
            // subtraction across all four limbs.)
            let bit = b.as_limbs()[0] as usize * 8 + 7;
            let (limb, shift) = (bit / 64, bit % 64);
            let mut limbs = *load_word(x).as_limbs();
            let fill = if (limbs[limb] >> shift) & 1 == 1 { u64::MAX } else { 0 };
            let low = u64::MAX >> (63 - shift);
            limbs[limb] = (limbs[limb] & low) | (fill & !low);
            for above in &mut limbs[limb + 1..] {
                *above = fill;
            }
            *x = U256::from_limbs(limbs);
        }
    }
}

/// MULMOD (the product does not wrap), by the interpreter's prepared modulus, which is kept
/// from one MULMOD to the next.
pub fn mulmod<H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let mut stack = StackOnly { stack: interp.stack.top };
    mulmod_on_stack(&mut stack, &mut interp.modulus);
    interp.stack.top = stack.stack;
}

/// MULMOD on the stack's top and the prepared modulus, which the per-block loop runs inline.
#[inline(always)]
pub(crate) fn mulmod_on_stack(interp: &mut StackOnly, modulus: &mut PreparedModulus) {
    // SAFETY: the dispatch loop checked the stack holds the opcode's inputs.
    let ([a, b], n) = unsafe { interp.stack.popn_top_in_place() };
    modulus.mul_mod(a, b, n);
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

/// Splits a two's complement word into sign and magnitude.
#[inline]
fn sign_abs(x: U256) -> (bool, U256) {
    let negative = x.bit(255);
    (negative, if negative { x.wrapping_neg() } else { x })
}

/// The word as `u128`, if it fits.
#[inline(always)]
fn as_u128(x: &U256) -> Option<u128> {
    let [low, high, a, b] = *x.as_limbs();
    (a | b == 0).then_some((u128::from(high) << 64) | u128::from(low))
}

/// The exponent of `b` if it is a power of two (`b` not zero). Contracts compiled before
/// Constantinople shift with DIV and MUL by powers of two (sha1_divs spends 40% of its time
/// in DIV, nearly all by powers of two), and a shift is a few instructions where ruint's
/// general division is a hundred and more.
#[inline(always)]
fn power_of_two_exponent(b: &U256) -> Option<usize> {
    let exponent = b.trailing_zeros();
    (b.leading_zeros() + exponent == 255).then_some(exponent)
}

/// `a / b` for `b` not zero, by the cheapest exact way the operands allow: the native
/// 64-bit division, a shift for a power of two, the native 128-bit division (in
/// snailtracer's fixed-point arithmetic nearly every SDIV has magnitudes that fit, where
/// ruint's general division cost about 145 machine instructions), else ruint's.
#[inline(always)]
fn quotient(a: U256, b: U256) -> U256 {
    if let (Some(a), Some(b)) = (as_u64(&a), as_u64(&b)) {
        return U256::from(a / b);
    }
    if let Some(exponent) = power_of_two_exponent(&b) {
        return a >> exponent;
    }
    match (as_u128(&a), as_u128(&b)) {
        (Some(a), Some(b)) => U256::from(a / b),
        _ => load_word(&(a / b)),
    }
}

/// `a % b` for `b` not zero, as [`quotient`].
#[inline(always)]
fn remainder(a: U256, b: U256) -> U256 {
    if let (Some(a), Some(b)) = (as_u64(&a), as_u64(&b)) {
        return U256::from(a % b);
    }
    if power_of_two_exponent(&b).is_some() {
        return a & b.wrapping_sub(U256::from(1));
    }
    match (as_u128(&a), as_u128(&b)) {
        (Some(a), Some(b)) => U256::from(a % b),
        _ => load_word(&(a % b)),
    }
}

/// Signed division as the EVM defines it.
pub fn i256_div(a: U256, b: U256) -> U256 {
    if is_zero(&b) {
        return U256::ZERO;
    }
    let (a_neg, a_abs) = sign_abs(a);
    let (b_neg, b_abs) = sign_abs(b);
    let quotient = quotient(a_abs, b_abs);
    if a_neg != b_neg { quotient.wrapping_neg() } else { quotient }
}

/// Signed remainder as the EVM defines it.
pub fn i256_mod(a: U256, b: U256) -> U256 {
    if is_zero(&b) {
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
