//! Comparison and bitwise operations: LT..CLZ, KECCAK256 lives in `system`.

use super::arithmetic::i256_lt;
use super::{equal, is_zero};
use crate::stack::load_word;
use lamina_primitives::U256;

#[inline(always)]
fn word(flag: bool) -> U256 {
    U256::from(flag as u8)
}

stack_only! {
    /// LT.
    fn lt(interp) {
        pop_top!(interp, a; b);
        *b = word(a < *b);
    }

    /// GT.
    fn gt(interp) {
        pop_top!(interp, a; b);
        *b = word(a > *b);
    }

    /// SLT.
    fn slt(interp) {
        pop_top!(interp, a; b);
        *b = word(i256_lt(a, *b));
    }

    /// SGT.
    fn sgt(interp) {
        pop_top!(interp, a; b);
        *b = word(i256_lt(*b, a));
    }

    /// EQ.
    fn eq(interp) {
        pop_top!(interp, a; b);
        *b = word(equal(&a, &load_word(b)));
    }

    /// ISZERO.
    fn iszero(interp) {
        pop_top!(interp, a);
        *a = word(is_zero(&load_word(a)));
    }

    /// AND.
    fn bitand(interp) {
        pop_top!(interp, a; b);
        *b = a & *b;
    }

    /// OR.
    fn bitor(interp) {
        pop_top!(interp, a; b);
        *b = a | *b;
    }

    /// XOR.
    fn bitxor(interp) {
        pop_top!(interp, a; b);
        *b = a ^ *b;
    }

    /// NOT.
    fn not(interp) {
        pop_top!(interp, a);
        *a = !load_word(a);
    }

    /// BYTE: byte `i` of `x` counted from the most significant; zero when `i` ≥ 32.
    fn byte(interp) {
        pop_top!(interp, i; x);
        *x = if i < U256::from(32) {
            U256::from(x.byte(31 - i.as_limbs()[0] as usize))
        } else {
            U256::ZERO
        };
    }

    /// SHL (EIP-145).
    fn shl(interp) {
        pop_top!(interp, shift; value);
        let shift = shift_amount(shift);
        *value = if shift < 256 { *value << shift } else { U256::ZERO };
    }

    /// SHR (EIP-145).
    fn shr(interp) {
        pop_top!(interp, shift; value);
        let shift = shift_amount(shift);
        *value = if shift < 256 { *value >> shift } else { U256::ZERO };
    }

    /// SAR (EIP-145): arithmetic shift; shifting a negative value by ≥ 256 gives −1.
    fn sar(interp) {
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
    fn clz(interp) {
        pop_top!(interp, a);
        *a = U256::from(a.leading_zeros());
    }
}

/// The shift amount, saturated: anything ≥ 256 shifts everything out.
#[inline(always)]
fn shift_amount(shift: U256) -> usize {
    if shift < U256::from(256) { shift.as_limbs()[0] as usize } else { 256 }
}
