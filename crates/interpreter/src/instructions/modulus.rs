//! MULMOD by a modulus prepared once.
//!
//! Contracts multiply modulo the same number over and over: elliptic-curve and pairing code
//! works in one prime field. Dividing a 512-bit product by a 256-bit modulus (Knuth's long
//! division, one 64-bit quotient limb at a time, each estimated with a reciprocal) first
//! shifts the modulus until its top bit is set and works out the reciprocal of its top two
//! limbs. ruint does that on every call, and the reciprocal's 128-by-64 hardware division
//! alone was a fifth of MULMOD's time in weierstrudel (perf, on a Xeon of this machine's
//! kind). [`PreparedModulus`] keeps that work for the last modulus seen.

use crate::stack::load_word;
use lamina_primitives::U256;

/// A MULMOD modulus whose top limb is not zero, with what dividing by it needs: the modulus
/// shifted left until its top bit is set, and the reciprocal of that shifted modulus' top
/// two limbs (Möller and Granlund, "Improved division by invariant integers", 2011).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PreparedModulus {
    modulus: [u64; 4],
    shift: u32,
    divisor: [u64; 4],
    reciprocal: u64,
    /// Whether this CPU has BMI2 (x86-64), so that [`Self::mul_mod_bmi2`] can run: found
    /// out with each new modulus, so that each MULMOD needs no more than this flag.
    #[cfg_attr(not(all(feature = "std", target_arch = "x86_64")), allow(dead_code))]
    bmi2: bool,
}

impl PreparedModulus {
    /// Prepared for no modulus yet. A modulus with a zero top limb never reaches the
    /// comparison with it, so the zeros never match.
    pub(crate) const NONE: Self =
        Self { modulus: [0; 4], shift: 0, divisor: [0; 4], reciprocal: 0, bmi2: false };

    /// Replaces `n` by `a · b mod n` as MULMOD defines it (zero for a zero modulus), from
    /// the prepared modulus when `n` is the last one seen. The operands are borrowed where
    /// they are, on the EVM stack: passed by value, each was copied to the native stack
    /// first (24 moves per MULMOD).
    ///
    /// On an x86-64 CPU with BMI2 (every one since 2013-2015) this runs a copy compiled for
    /// it: its flag-free multiplication (`mulx`) and shifts save the register moves that
    /// the portable build's `mul` needs, 14% of MULMOD's machine instructions (callgrind on
    /// weierstrudel). Which copy runs is a flag of the prepared modulus: the first MULMOD
    /// runs the portable one, which prepares its modulus and finds out.
    #[inline(always)]
    pub(crate) fn mul_mod(&mut self, a: &U256, b: &U256, n: &mut U256) {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if self.bmi2 {
            // SAFETY: `bmi2` is set only where this CPU was found to have BMI2 (`new`).
            return unsafe { self.mul_mod_bmi2(a, b, n) };
        }
        self.mul_mod_portable(a, b, n)
    }

    /// [`Self::mul_mod`] for any CPU. Never inlined, like its BMI2 copy: inside the
    /// per-block loop its many registers would crowd the loop's own
    /// (loop_with_many_jumpdests ran 0.45 → 0.53 of revm's time with it inlined, in
    /// alternating runs).
    #[inline(never)]
    fn mul_mod_portable(&mut self, a: &U256, b: &U256, n: &mut U256) {
        self.mul_mod_body(a, b, n)
    }

    /// [`Self::mul_mod`] compiled for CPUs with BMI2.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[target_feature(enable = "bmi2")]
    #[inline(never)]
    fn mul_mod_bmi2(&mut self, a: &U256, b: &U256, n: &mut U256) {
        self.mul_mod_body(a, b, n)
    }

    /// What both copies of [`Self::mul_mod`] run.
    #[inline(always)]
    fn mul_mod_body(&mut self, a: &U256, b: &U256, n: &mut U256) {
        let modulus = *load_word(n).as_limbs();
        if modulus[3] == 0 {
            // Smaller moduli (and zero) take ruint's general path: they are rare, and a
            // divisor of fewer limbs is a different long division.
            *n = a.mul_mod(*b, *n);
            return;
        }
        if !same_limbs(&modulus, &self.modulus) {
            *self = Self::new(modulus);
        }
        *n = self.remainder(&product(a.as_limbs(), b.as_limbs()));
    }

    /// Prepares `modulus`, whose top limb is not zero.
    #[cold]
    #[inline(never)]
    fn new(modulus: [u64; 4]) -> Self {
        debug_assert_ne!(modulus[3], 0);
        let shift = modulus[3].leading_zeros();
        let divisor = *(U256::from_limbs(modulus) << shift).as_limbs();
        // The reciprocal is ⌊(2¹⁹² − 1) / d⌋ − 2⁶⁴ for the top two limbs `d`: at least 2⁶⁴
        // and below 2⁶⁵ as d ≥ 2¹²⁷, so it is the quotient's low limb. Once per modulus,
        // the plain 256-bit division does.
        let quotient: U256 = (U256::MAX >> 64) / U256::from(join(divisor[3], divisor[2]));
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        let bmi2 = std::arch::is_x86_feature_detected!("bmi2");
        #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
        let bmi2 = false;
        Self { modulus, shift, divisor, reciprocal: quotient.as_limbs()[0], bmi2 }
    }

    /// Replaces `u[j..=j + 4]`, below 2⁶⁴ times the divisor, by its remainder by the
    /// divisor (in `u[j..j + 4]`).
    #[inline(always)]
    fn divide_step(&self, u: &mut [u64; 9], j: usize) {
        let [d0, d1, d2, d3] = self.divisor;
        let top = join(d3, d2);
        let high = join(u[j + 4], u[j + 3]);
        if high == top {
            let remainder = self.quotient_limb_all_ones(u[j], u[j + 1], u[j + 2]);
            u[j..j + 4].copy_from_slice(&remainder);
            return;
        }
        // The estimate from the top limbs is exact or one too large: subtract it times the
        // two low limbs, and add the divisor back if that went below zero.
        let (quotient, mut rem_high) = div_3x2(high, u[j + 2], top, self.reciprocal);
        let below = u128::from(quotient) * u128::from(d0);
        let above = u128::from(quotient) * u128::from(d1) + (below >> 64);
        let times_low = join(above as u64, below as u64);
        let (mut rem_low, borrow) = join(u[j + 1], u[j]).overflowing_sub(times_low);
        let borrow = (above >> 64) as u64 + u64::from(borrow);
        let negative;
        (rem_high, negative) = rem_high.overflowing_sub(u128::from(borrow));
        if negative {
            let carry;
            (rem_low, carry) = rem_low.overflowing_add(join(d1, d0));
            rem_high = rem_high.wrapping_add(top).wrapping_add(u128::from(carry));
        }
        u[j] = rem_low as u64;
        u[j + 1] = (rem_low >> 64) as u64;
        u[j + 2] = rem_high as u64;
        u[j + 3] = (rem_high >> 64) as u64;
    }

    /// The remainder for a step whose top two limbs equal the divisor's, given the three
    /// below them. The remainder below the divisor makes the quotient limb 2⁶⁴ − 1 then, too
    /// large for the estimate; it is exact, so the remainder is u − (2⁶⁴ − 1)·divisor =
    /// u − 2⁶⁴·divisor + divisor, whose top two limbs cancel.
    #[cold]
    #[inline(never)]
    fn quotient_limb_all_ones(&self, u0: u64, u1: u64, u2: u64) -> [u64; 4] {
        let [d0, d1, ..] = self.divisor;
        let rest = U256::from_limbs([u0, u1, u2, 0]);
        let remainder = rest
            .wrapping_sub(U256::from_limbs([0, d0, d1, 0]))
            .wrapping_add(U256::from_limbs(self.divisor));
        *remainder.as_limbs()
    }

    /// The remainder of a 512-bit `product` by the modulus. Always inlined, so that each
    /// copy of [`Self::mul_mod`] has its own, compiled as it is.
    #[inline(always)]
    pub(crate) fn remainder(&self, product: &[u64; 8]) -> U256 {
        let shift = self.shift;

        // The product shifted as the modulus was, into one more limb. `x >> 1 >> (63 − s)` is
        // `x >> (64 − s)` that is also defined (zero) for s = 0.
        let mut u = [0u64; 9];
        u[8] = product[7] >> 1 >> (63 - shift);
        for i in (1..8).rev() {
            u[i] = (product[i] << shift) | (product[i - 1] >> 1 >> (63 - shift));
        }
        u[0] = product[0] << shift;

        // One quotient limb per step, from the top: step j divides u[j..=j+4] by the divisor
        // and leaves the remainder in u[j..j+4]. When the top three limbs are already below
        // the divisor's top two, the first step's quotient limb is zero and changes nothing.
        // The steps are written out so that every index is a constant and the limbs can stay
        // in registers.
        if u[8] != 0 || join(u[7], u[6]) >= join(self.divisor[3], self.divisor[2]) {
            self.divide_step(&mut u, 4);
        }
        self.divide_step(&mut u, 3);
        self.divide_step(&mut u, 2);
        self.divide_step(&mut u, 1);
        self.divide_step(&mut u, 0);

        // Shifted back.
        let mut result = [0u64; 4];
        for i in 0..3 {
            result[i] = (u[i] >> shift) | (u[i + 1] << 1 << (63 - shift));
        }
        result[3] = u[3] >> shift;
        U256::from_limbs(result)
    }
}

/// Whether two words' limbs are equal, limb by limb: comparing the arrays loads two limbs
/// at once, which stalls on the four stores that just wrote the modulus (6% of MULMOD's
/// time in weierstrudel, by perf).
#[inline(always)]
fn same_limbs(a: &[u64; 4], b: &[u64; 4]) -> bool {
    (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) == 0
}

/// `high · 2⁶⁴ + low`.
#[inline(always)]
fn join(high: u64, low: u64) -> u128 {
    (u128::from(high) << 64) | u128::from(low)
}

/// The 512-bit product of two words, schoolbook, a row at a time: each row `a[i] · b` is
/// formed on its own (its four high halves added to the next low halves in one carry
/// chain) and then added into the product in a second chain. Multiply-accumulating limb by
/// limb instead (`a · b + product + carry` in 128 bits) carries twice per limb product, and
/// took 98 machine instructions where this takes about 70 (callgrind, the BMI2 copy).
#[inline(always)]
fn product(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut product = [0u64; 8];
    for (i, &a) in a.iter().enumerate() {
        let row = row(a, b);
        if i == 0 {
            product[..5].copy_from_slice(&row);
            continue;
        }
        let mut carry = false;
        for (k, limb) in row.into_iter().enumerate() {
            (product[i + k], carry) = add_with_carry(product[i + k], limb, carry);
        }
    }
    product
}

/// `a · b` for one limb `a`: five limbs.
#[inline(always)]
fn row(a: u64, b: &[u64; 4]) -> [u64; 5] {
    let halves = b.map(|b| {
        let wide = u128::from(a) * u128::from(b);
        (wide as u64, (wide >> 64) as u64)
    });
    let mut row = [0u64; 5];
    row[0] = halves[0].0;
    let mut carry = false;
    for k in 1..4 {
        (row[k], carry) = add_with_carry(halves[k].0, halves[k - 1].1, carry);
    }
    // Below 2⁶⁴: the row is below 2³²⁰.
    row[4] = halves[3].1 + u64::from(carry);
    row
}

/// `a + b + carry` and whether it carried out: one add-with-carry instruction.
#[inline(always)]
fn add_with_carry(a: u64, b: u64, carry: bool) -> (u64, bool) {
    let (sum, first) = a.overflowing_add(b);
    let (sum, second) = sum.overflowing_add(u64::from(carry));
    (sum, first | second)
}

/// The quotient and remainder of the three limbs `high · 2⁶⁴ + low` by the two limbs `d`,
/// for `d` with its top bit set, `high < d` and `reciprocal` = ⌊(2¹⁹² − 1) / d⌋ − 2⁶⁴:
/// three multiplications instead of a division (Möller and Granlund, algorithm 5).
#[inline(always)]
fn div_3x2(high: u128, low: u64, d: u128, reciprocal: u64) -> (u64, u128) {
    let (high_top, high_bottom) = ((high >> 64) as u64, high as u64);
    let (d_top, d_bottom) = ((d >> 64) as u64, d as u64);
    let estimate = (u128::from(reciprocal) * u128::from(high_top)).wrapping_add(high);
    let (mut quotient, fraction) = ((estimate >> 64) as u64, estimate as u64);
    let remainder_top = high_bottom.wrapping_sub(quotient.wrapping_mul(d_top));
    let mut remainder = join(remainder_top, low)
        .wrapping_sub(u128::from(quotient) * u128::from(d_bottom))
        .wrapping_sub(d);
    quotient = quotient.wrapping_add(1);
    if (remainder >> 64) as u64 >= fraction {
        quotient = quotient.wrapping_sub(1);
        remainder = remainder.wrapping_add(d);
    }
    if remainder >= d {
        return one_more(quotient, remainder, d);
    }
    (quotient, remainder)
}

/// The quotient one larger and the remainder one divisor smaller: rare enough that a branch
/// beats the conditional moves the compiler otherwise puts on every step's path.
#[cold]
#[inline(never)]
fn one_more(quotient: u64, remainder: u128, d: u128) -> (u64, u128) {
    (quotient.wrapping_add(1), remainder - d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use lamina_primitives::alloy_primitives::ruint::Uint;

    type U512 = Uint<512, 8>;

    /// The expected remainder, by ruint's 512-bit division.
    fn expected(product: &[u64; 8], modulus: U256) -> U256 {
        let remainder = U512::from_limbs(*product) % U512::from(modulus);
        U256::from_limbs(remainder.as_limbs()[..4].try_into().unwrap())
    }

    /// `a · b mod n` by [`PreparedModulus::mul_mod`], having checked that each copy this
    /// CPU can run gives the same from the same prepared state.
    fn mul_mod(prepared: &mut PreparedModulus, a: U256, b: U256, n: U256) -> U256 {
        let mut portable = n;
        let mut copy = *prepared;
        copy.mul_mod_portable(&a, &b, &mut portable);
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if std::arch::is_x86_feature_detected!("bmi2") {
            let mut bmi2 = n;
            let mut copy = *prepared;
            // SAFETY: this CPU has BMI2, checked just now.
            unsafe { copy.mul_mod_bmi2(&a, &b, &mut bmi2) };
            assert_eq!(bmi2, portable, "BMI2 copy: {a} {b} {n}");
        }
        let mut result = n;
        prepared.mul_mod(&a, &b, &mut result);
        assert_eq!(result, portable, "{a} {b} {n}");
        result
    }

    /// [`PreparedModulus::remainder`] by each copy this CPU can run, which must agree.
    fn remainder(prepared: &PreparedModulus, product: &[u64; 8]) -> U256 {
        let portable = prepared.remainder(product);
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if std::arch::is_x86_feature_detected!("bmi2") {
            #[target_feature(enable = "bmi2")]
            fn remainder_bmi2(prepared: &PreparedModulus, product: &[u64; 8]) -> U256 {
                prepared.remainder(product)
            }
            // SAFETY: this CPU has BMI2, checked just now.
            assert_eq!(unsafe { remainder_bmi2(prepared, product) }, portable);
        }
        portable
    }

    /// The BMI2 copy runs wherever the CPU has BMI2, from the first modulus prepared on.
    #[test]
    fn the_flag_follows_the_cpu() {
        let mut prepared = PreparedModulus::NONE;
        assert!(!prepared.bmi2);
        let mut n = U256::MAX;
        prepared.mul_mod(&U256::from(3), &U256::from(5), &mut n);
        assert_eq!(n, U256::from(15));
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        assert_eq!(prepared.bmi2, std::arch::is_x86_feature_detected!("bmi2"));
    }

    /// A small deterministic generator (xorshift), so the cases are the same on every run.
    struct Limbs(u64);
    impl Limbs {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn four(&mut self) -> [u64; 4] {
            [self.next(), self.next(), self.next(), self.next()]
        }
        fn word(&mut self) -> U256 {
            U256::from_limbs(self.four())
        }
    }

    #[test]
    fn matches_ruint_over_every_shift_and_changing_moduli() {
        let mut limbs = Limbs(0x9e37_79b9_7f4a_7c15);
        let mut prepared = PreparedModulus::NONE;
        for shift in 0..64 {
            for _ in 0..50 {
                let mut modulus = limbs.four();
                modulus[3] = (limbs.next() >> shift).max(1);
                let modulus = U256::from_limbs(modulus);
                // Reduced operands, as field code has them, and arbitrary ones.
                let (a, b) = (limbs.word(), limbs.word());
                for (a, b) in [(a % modulus, b % modulus), (a, b), (U256::MAX, U256::MAX)] {
                    assert_eq!(
                        mul_mod(&mut prepared, a, b, modulus),
                        a.mul_mod(b, modulus),
                        "{a} {b} {modulus}"
                    );
                }
            }
        }
    }

    #[test]
    fn known_values() {
        let mut prepared = PreparedModulus::NONE;
        // The BN254 base field: p − 1 squared is 1.
        let p = U256::from_str_radix(
            "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47",
            16,
        )
        .unwrap();
        let minus_one = p - U256::from(1);
        assert_eq!(mul_mod(&mut prepared, minus_one, minus_one, p), U256::from(1));
        // 2²⁵⁵ · 2 mod (2²⁵⁵ + 1) = 2²⁵⁶ mod (2²⁵⁵ + 1) = 2²⁵⁵ − 1.
        let big = U256::from(1) << 255;
        let modulus = big + U256::from(1);
        assert_eq!(mul_mod(&mut prepared, big, U256::from(2), modulus), big - U256::from(1));
        // (2²⁵⁶ − 1)² mod (2²⁵⁶ − 1) = 0, and a modulus below 2¹⁹² still works.
        assert_eq!(mul_mod(&mut prepared, U256::MAX, U256::MAX, U256::MAX), U256::ZERO);
        assert_eq!(mul_mod(&mut prepared, U256::MAX, U256::MAX, U256::from(12)), U256::from(9));
        assert_eq!(mul_mod(&mut prepared, U256::MAX, U256::MAX, U256::ZERO), U256::ZERO);
    }

    /// A remainder whose top two limbs equal the divisor's takes the path where the quotient
    /// limb is 2⁶⁴ − 1: a product whose top limbs are the modulus' top limbs (the top bit
    /// set, so no shift) and whose next limb is below the modulus' second limb reaches it on
    /// the second step.
    #[test]
    fn top_limbs_equal_to_the_divisors() {
        let mut limbs = Limbs(0x2545_f491_4f6c_dd1d);
        let mut cases = Vec::new();
        for _ in 0..200 {
            let mut m = limbs.four();
            m[3] |= 1 << 63;
            m[1] |= 1 << 63;
            let modulus = U256::from_limbs(m);
            let mut product = [0u64; 8];
            for limb in &mut product[..5] {
                *limb = limbs.next();
            }
            product[5] = limbs.next() % m[1];
            (product[6], product[7]) = (m[2], m[3]);
            cases.push((product, modulus));
        }
        for (product, modulus) in cases {
            let mut prepared = PreparedModulus::NONE;
            mul_mod(&mut prepared, U256::from(1), U256::from(1), modulus);
            assert_eq!(remainder(&prepared, &product), expected(&product, modulus));
        }
    }
}
