//! `base ^ exp mod m` on little-endian `u64` limbs, the arithmetic behind MODEXP.
//!
//! An odd modulus uses Montgomery multiplication (CIOS). An even modulus `q * 2^k`
//! (q odd) is split by the Chinese remainder theorem into a Montgomery
//! exponentiation mod q and one mod 2^k, where reduction is truncation. Tiny
//! exponents skip Montgomery form altogether. All share one sliding-window
//! exponentiation. Nothing here allocates more than a
//! small multiple of the operand sizes, and no loop runs longer than the exponent's
//! bit length times the square of the modulus's limb count.

use alloc::{vec, vec::Vec};

/// `base ^ exp mod modulus` for big-endian operands; the result is big-endian,
/// exactly `modulus.len()` bytes.
pub fn modexp(base: &[u8], exp: &[u8], modulus: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; modulus.len()];
    let m = from_be_bytes(modulus);
    if m.is_empty() {
        // Modulus zero: the result is defined as zero.
        return out;
    }
    let base = from_be_bytes(base);
    let exp = Exponent::new(exp);
    let twos = trailing_zeros(&m);
    let result = if exp.bits <= PLAIN_MAX_EXP_BITS && m.len() > 1 {
        pow(&mut Plain { m: &m }, rem(&base, &m), &exp)
    } else if twos == 0 {
        modpow_odd(&base, &exp, &m)
    } else {
        let odd = shift_right(&m, twos);
        let low = modpow_pow2(&base, &exp, twos);
        if odd == [1] { low } else { crt(&modpow_odd(&base, &exp, &odd), &odd, &low, twos) }
    };
    write_be(&result, &mut out);
    out
}

/// Up to this exponent length a handful of plain products and divisions beat
/// Montgomery's conversions in and out (a square or a cube of a large number).
const PLAIN_MAX_EXP_BITS: usize = 4;

/// The exponent as big-endian bytes with bit access.
struct Exponent<'a> {
    bytes: &'a [u8],
    bits: usize,
}

impl<'a> Exponent<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let bits = match bytes.iter().position(|&b| b != 0) {
            Some(i) => (bytes.len() - 1 - i) * 8 + (8 - bytes[i].leading_zeros() as usize),
            None => 0,
        };
        Self { bytes, bits }
    }

    /// Bit `i`, counted from the least significant.
    fn bit(&self, i: usize) -> bool {
        let byte = self.bytes[self.bytes.len() - 1 - i / 8];
        (byte >> (i % 8)) & 1 == 1
    }

    /// The exponent mod 2^k.
    fn low_bits(&self, k: usize) -> Self {
        let bits = (0..self.bits.min(k)).rev().find(|&i| self.bit(i)).map_or(0, |i| i + 1);
        Self { bytes: self.bytes, bits }
    }

    /// Whether the exponent is at least `k`.
    fn at_least(&self, k: usize) -> bool {
        if self.bits > 32 {
            return true;
        }
        let value = (0..self.bits).fold(0usize, |acc, i| acc | (usize::from(self.bit(i)) << i));
        value >= k
    }
}

/// Big-endian bytes to limbs without high zero limbs (zero is the empty vector).
fn from_be_bytes(bytes: &[u8]) -> Vec<u64> {
    let mut limbs: Vec<u64> = bytes
        .rchunks(8)
        .map(|chunk| {
            let mut be = [0u8; 8];
            be[8 - chunk.len()..].copy_from_slice(chunk);
            u64::from_be_bytes(be)
        })
        .collect();
    trim(&mut limbs);
    limbs
}

/// Writes `limbs` big-endian, right-aligned, into the zeroed `out`; the value fits
/// because it is below the modulus that `out` was sized for.
fn write_be(limbs: &[u64], out: &mut [u8]) {
    for (chunk, limb) in out.rchunks_mut(8).zip(limbs) {
        let be = limb.to_be_bytes();
        chunk.copy_from_slice(&be[8 - chunk.len()..]);
    }
}

fn trim(limbs: &mut Vec<u64>) {
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
}

/// Number of trailing zero bits of the non-zero `m`.
fn trailing_zeros(m: &[u64]) -> usize {
    let zero_limbs = m.iter().take_while(|&&l| l == 0).count();
    zero_limbs * 64 + m.get(zero_limbs).map_or(0, |l| l.trailing_zeros() as usize)
}

/// `a >> shift`, trimmed.
fn shift_right(a: &[u64], shift: usize) -> Vec<u64> {
    let (limbs, bits) = (shift / 64, shift % 64);
    let src = a.get(limbs..).unwrap_or_default();
    let mut out: Vec<u64> = if bits == 0 {
        src.to_vec()
    } else {
        (0..src.len())
            .map(|i| (src[i] >> bits) | src.get(i + 1).map_or(0, |&hi| hi << (64 - bits)))
            .collect()
    };
    trim(&mut out);
    out
}

/// `a << bits` for `bits < 64`, one limb longer than `a`.
fn shift_left_small(a: &[u64], bits: u32) -> Vec<u64> {
    let mut out = vec![0u64; a.len() + 1];
    for (i, &limb) in a.iter().enumerate() {
        out[i] |= limb << bits;
        if bits > 0 {
            out[i + 1] = limb >> (64 - bits);
        }
    }
    out
}

/// `a mod m` for a trimmed, non-zero `m`, as exactly `m.len()` limbs (Knuth's
/// algorithm D, keeping only the remainder).
fn rem(a: &[u64], m: &[u64]) -> Vec<u64> {
    let n = m.len();
    if a.len() < n {
        let mut out = a.to_vec();
        out.resize(n, 0);
        return out;
    }
    if n == 1 {
        let d = u128::from(m[0]);
        let r = a.iter().rev().fold(0u128, |r, &limb| ((r << 64) | u128::from(limb)) % d);
        return vec![r as u64];
    }
    // Normalise so that the divisor's top bit is set: quotient digit estimates are
    // then off by at most two.
    let shift = m[n - 1].leading_zeros();
    let v = shift_left_small(m, shift);
    let v = &v[..n];
    let mut u = shift_left_small(a, shift);
    let (v_top, v_next) = (u128::from(v[n - 1]), u128::from(v[n - 2]));
    for j in (0..u.len() - n).rev() {
        let numerator = (u128::from(u[j + n]) << 64) | u128::from(u[j + n - 1]);
        let mut qhat = numerator / v_top;
        let mut rhat = numerator % v_top;
        while qhat > u128::from(u64::MAX)
            || qhat * v_next > ((rhat << 64) | u128::from(u[j + n - 2]))
        {
            qhat -= 1;
            rhat += v_top;
            if rhat > u128::from(u64::MAX) {
                break;
            }
        }
        // u[j..=j+n] -= qhat * v
        let (mut carry, mut borrow) = (0u128, 0u64);
        for i in 0..n {
            let product = qhat * u128::from(v[i]) + carry;
            carry = product >> 64;
            let (t, b1) = u[i + j].overflowing_sub(product as u64);
            let (t, b2) = t.overflowing_sub(borrow);
            u[i + j] = t;
            borrow = u64::from(b1) + u64::from(b2);
        }
        let (t, b1) = u[j + n].overflowing_sub(carry as u64);
        let (t, b2) = t.overflowing_sub(borrow);
        u[j + n] = t;
        if b1 || b2 {
            // qhat was one too large: add v back.
            let mut carry = 0u128;
            for i in 0..n {
                let sum = u128::from(u[i + j]) + u128::from(v[i]) + carry;
                u[i + j] = sum as u64;
                carry = sum >> 64;
            }
            u[j + n] = u[j + n].wrapping_add(carry as u64);
        }
    }
    let mut r = shift_right(&u[..n], shift as usize);
    r.resize(n, 0);
    r
}

/// A ring in which the exponentiation runs: Montgomery form mod an odd modulus,
/// integers mod 2^k, or plain residues. Elements are limb vectors of one length.
trait Ring {
    /// `a * b` into `out`.
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]);
    /// `a * a` into `out`.
    fn sqr(&mut self, a: &[u64], out: &mut [u64]) {
        self.mul(a, a, out);
    }
    /// The unit.
    fn one(&self) -> Vec<u64>;
}

/// Left-to-right sliding-window exponentiation; `base` is an element of `ring`.
fn pow<R: Ring>(ring: &mut R, base: Vec<u64>, exp: &Exponent<'_>) -> Vec<u64> {
    if exp.bits == 0 {
        return ring.one();
    }
    // Overwritten by the first window before it is read.
    let mut acc = vec![0u64; base.len()];
    let window = match exp.bits {
        0..=24 => 1,
        25..=80 => 3,
        81..=240 => 4,
        241..=672 => 5,
        _ => 6,
    };
    // Odd powers base^1, base^3, ..., base^(2^window - 1).
    let mut table = vec![base];
    if window > 1 {
        let mut square = vec![0u64; acc.len()];
        ring.sqr(&table[0], &mut square);
        for i in 1..1usize << (window - 1) {
            let mut next = vec![0u64; acc.len()];
            ring.mul(&table[i - 1], &square, &mut next);
            table.push(next);
        }
    }
    let mut tmp = vec![0u64; acc.len()];
    let mut started = false;
    let mut i = exp.bits;
    while i > 0 {
        let top = i - 1;
        if !exp.bit(top) {
            if started {
                ring.sqr(&acc, &mut tmp);
                core::mem::swap(&mut acc, &mut tmp);
            }
            i -= 1;
            continue;
        }
        // The longest window of at most `window` bits from `top` down that ends in 1.
        let mut low = top.saturating_sub(window - 1);
        while !exp.bit(low) {
            low += 1;
        }
        let value = (low..=top).rev().fold(0usize, |v, b| (v << 1) | usize::from(exp.bit(b)));
        if started {
            for _ in low..=top {
                ring.sqr(&acc, &mut tmp);
                core::mem::swap(&mut acc, &mut tmp);
            }
            ring.mul(&acc, &table[value >> 1], &mut tmp);
            core::mem::swap(&mut acc, &mut tmp);
        } else {
            acc.copy_from_slice(&table[value >> 1]);
            started = true;
        }
        i = low;
    }
    acc
}

/// Montgomery arithmetic mod an odd `m` with `R = 2^(64 n)`.
struct Montgomery<'a> {
    m: &'a [u64],
    /// `-m^-1 mod 2^64`.
    m_inv: u64,
    /// Scratch of `n + 2` limbs for products.
    t: Vec<u64>,
    /// Scratch of `2n + 1` limbs for squares.
    wide: Vec<u64>,
}

/// `x^-1 mod 2^64` for odd `x`, by Newton's iteration (each step doubles the
/// number of correct low bits; `x * x = 1 mod 8` gives the first three).
fn inverse_mod_2_64(x: u64) -> u64 {
    let mut y = x;
    for _ in 0..5 {
        y = y.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(y)));
    }
    y
}

impl<'a> Montgomery<'a> {
    fn new(m: &'a [u64]) -> Self {
        Self {
            m,
            m_inv: inverse_mod_2_64(m[0]).wrapping_neg(),
            t: vec![0; m.len() + 2],
            wide: vec![0; 2 * m.len() + 1],
        }
    }

    /// `a` (any length) in Montgomery form: `a * R mod m`.
    fn enter(&mut self, a: &[u64]) -> Vec<u64> {
        let n = self.m.len();
        let mut r2 = vec![0u64; 2 * n + 1];
        r2[2 * n] = 1;
        let r2 = rem(&r2, self.m);
        let a = rem(a, self.m);
        let mut out = vec![0u64; n];
        self.mul(&a, &r2, &mut out);
        out
    }

    /// `a` back from Montgomery form: a reduction alone, no product needed.
    fn leave(&mut self, a: &[u64]) -> Vec<u64> {
        let n = self.m.len();
        self.wide.fill(0);
        self.wide[..n].copy_from_slice(&a[..n]);
        let mut out = vec![0u64; n];
        self.reduce_wide(&mut out);
        out
    }
}

impl Ring for Montgomery<'_> {
    /// `a * b * R^-1 mod m` for `a, b < m` (coarsely integrated operand scanning).
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let n = self.m.len();
        // Equal lengths up front let the compiler drop the bounds checks below.
        let (m, a, b, out) = (&self.m[..n], &a[..n], &b[..n], &mut out[..n]);
        let t = &mut self.t[..n + 2];
        t.fill(0);
        for &bi in b {
            let mut carry = 0u64;
            for (tj, &aj) in t.iter_mut().zip(a) {
                let s = u128::from(*tj) + u128::from(aj) * u128::from(bi) + u128::from(carry);
                *tj = s as u64;
                carry = (s >> 64) as u64;
            }
            let (sum, overflow) = t[n].overflowing_add(carry);
            t[n] = sum;
            t[n + 1] = u64::from(overflow);

            // Add q * m, which makes t divisible by 2^64, and shift down one limb.
            let q = t[0].wrapping_mul(self.m_inv);
            let s = u128::from(t[0]) + u128::from(q) * u128::from(m[0]);
            let mut carry = (s >> 64) as u64;
            for j in 1..n {
                let s = u128::from(t[j]) + u128::from(q) * u128::from(m[j]) + u128::from(carry);
                t[j - 1] = s as u64;
                carry = (s >> 64) as u64;
            }
            let (sum, overflow) = t[n].overflowing_add(carry);
            t[n - 1] = sum;
            t[n] = t[n + 1] + u64::from(overflow);
        }
        reduce_once(&t[..n], t[n], m, out);
    }

    fn one(&self) -> Vec<u64> {
        let n = self.m.len();
        let mut r = vec![0u64; n + 1];
        r[n] = 1;
        rem(&r, self.m)
    }

    /// `a * a * R^-1 mod m`: the full square first (each cross product computed
    /// once and doubled), then Montgomery reduction, about a quarter fewer limb
    /// products than [`Ring::mul`].
    fn sqr(&mut self, a: &[u64], out: &mut [u64]) {
        let n = self.m.len();
        let a = &a[..n];
        let p = &mut self.wide[..2 * n + 1];
        p.fill(0);
        for i in 0..n {
            let mut carry = 0u64;
            for j in i + 1..n {
                let s =
                    u128::from(p[i + j]) + u128::from(a[i]) * u128::from(a[j]) + u128::from(carry);
                p[i + j] = s as u64;
                carry = (s >> 64) as u64;
            }
            p[i + n] = carry;
        }
        // Double the cross products; they are below 2^(128n - 1), so nothing is lost.
        let mut high_bit = 0u64;
        for limb in p[..2 * n].iter_mut() {
            let next = *limb >> 63;
            *limb = (*limb << 1) | high_bit;
            high_bit = next;
        }
        let mut carry = 0u64;
        for i in 0..n {
            let square = u128::from(a[i]) * u128::from(a[i]);
            let low = u128::from(p[2 * i]) + (square & u128::from(u64::MAX)) + u128::from(carry);
            p[2 * i] = low as u64;
            let high = u128::from(p[2 * i + 1]) + (square >> 64) + (low >> 64);
            p[2 * i + 1] = high as u64;
            carry = (high >> 64) as u64;
        }
        self.reduce_wide(out);
    }
}

impl Montgomery<'_> {
    /// Montgomery reduction of the `2n + 1`-limb value in `wide` (below `mR`):
    /// `out = wide * R^-1 mod m`.
    fn reduce_wide(&mut self, out: &mut [u64]) {
        let n = self.m.len();
        let (m, out) = (&self.m[..n], &mut out[..n]);
        let p = &mut self.wide[..2 * n + 1];
        for i in 0..n {
            let q = p[i].wrapping_mul(self.m_inv);
            let mut carry = 0u64;
            for j in 0..n {
                let s = u128::from(p[i + j]) + u128::from(q) * u128::from(m[j]) + u128::from(carry);
                p[i + j] = s as u64;
                carry = (s >> 64) as u64;
            }
            // The total stays below 2mR, so the carry dies out by limb 2n.
            let mut k = i + n;
            while carry != 0 && k <= 2 * n {
                let (sum, overflow) = p[k].overflowing_add(carry);
                p[k] = sum;
                carry = u64::from(overflow);
                k += 1;
            }
        }
        reduce_once(&p[n..2 * n], p[2 * n], m, out);
    }
}

/// `out = t - m` if `top * R + t >= m`, else `t`; the input is below `2m`.
fn reduce_once(t: &[u64], top: u64, m: &[u64], out: &mut [u64]) {
    if top != 0 || !less_than(t, m) {
        let mut borrow = false;
        for ((o, &tj), &mj) in out.iter_mut().zip(t).zip(m) {
            let (d, b1) = tj.overflowing_sub(mj);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *o = d;
            borrow = b1 || b2;
        }
    } else {
        out.copy_from_slice(t);
    }
}

/// `a < b` for equal-length limb slices.
fn less_than(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// Arithmetic mod any `m`: the full product, then its remainder.
struct Plain<'a> {
    m: &'a [u64],
}

impl Ring for Plain<'_> {
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let mut product = vec![0u64; a.len() + b.len()];
        for (i, &ai) in a.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &bj) in b.iter().enumerate() {
                let s = u128::from(product[i + j])
                    + u128::from(ai) * u128::from(bj)
                    + u128::from(carry);
                product[i + j] = s as u64;
                carry = (s >> 64) as u64;
            }
            product[i + b.len()] = carry;
        }
        out.copy_from_slice(&rem(&product, self.m));
    }

    fn one(&self) -> Vec<u64> {
        rem(&[1], self.m)
    }
}

/// Montgomery arithmetic mod an odd one-limb `m`: the common small-modulus case
/// without the loops and scratch of the general one.
struct Montgomery64 {
    m: u64,
    m_inv: u64,
}

impl Montgomery64 {
    /// `t * 2^-64 mod m` for `t < m * 2^64`.
    #[inline]
    fn redc(&self, t: u128) -> u64 {
        let q = (t as u64).wrapping_mul(self.m_inv);
        let (sum, overflow) = t.overflowing_add(u128::from(q) * u128::from(self.m));
        let high = (sum >> 64) as u64;
        // The true sum is below 2 * m * 2^64; one subtraction brings it below m.
        if overflow || high >= self.m { high.wrapping_sub(self.m) } else { high }
    }
}

impl Ring for Montgomery64 {
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        out[0] = self.redc(u128::from(a[0]) * u128::from(b[0]));
    }

    fn one(&self) -> Vec<u64> {
        // R mod m with R = 2^64.
        vec![((1u128 << 64) % u128::from(self.m)) as u64]
    }
}

/// `base ^ exp mod m` for odd `m`, as `m.len()` limbs.
fn modpow_odd(base: &[u64], exp: &Exponent<'_>, m: &[u64]) -> Vec<u64> {
    if let [m] = *m {
        let mut ring = Montgomery64 { m, m_inv: inverse_mod_2_64(m).wrapping_neg() };
        let r2 = ((1u128 << 64) % u128::from(m)).pow(2) % u128::from(m);
        let base = rem(base, &[m])[0];
        let base = ring.redc(u128::from(base) * r2);
        let result = pow(&mut ring, vec![base], exp);
        return vec![ring.redc(u128::from(result[0]))];
    }
    let mut ring = Montgomery::new(m);
    let base = ring.enter(base);
    let result = pow(&mut ring, base, exp);
    ring.leave(&result)
}

/// Integers mod 2^k: products are truncated to k bits.
struct PowerOfTwo {
    limbs: usize,
    top_mask: u64,
}

impl PowerOfTwo {
    fn new(k: usize) -> Self {
        let top_bits = k % 64;
        Self {
            limbs: k.div_ceil(64),
            top_mask: if top_bits == 0 { u64::MAX } else { (1u64 << top_bits) - 1 },
        }
    }

    /// `a mod 2^k` as `limbs` limbs.
    fn reduce(&self, a: &[u64]) -> Vec<u64> {
        let mut out = vec![0u64; self.limbs];
        let n = a.len().min(self.limbs);
        out[..n].copy_from_slice(&a[..n]);
        if let Some(top) = out.last_mut() {
            *top &= self.top_mask;
        }
        out
    }
}

impl Ring for PowerOfTwo {
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let n = self.limbs;
        out.fill(0);
        for i in 0..n {
            let mut carry = 0u128;
            for j in 0..n - i {
                let s = u128::from(out[i + j]) + u128::from(a[i]) * u128::from(b[j]) + carry;
                out[i + j] = s as u64;
                carry = s >> 64;
            }
        }
        if let Some(top) = out.last_mut() {
            *top &= self.top_mask;
        }
    }

    fn one(&self) -> Vec<u64> {
        let mut one = vec![0u64; self.limbs];
        one[0] = 1;
        one
    }
}

/// `base ^ exp mod 2^k` for `k >= 1`, as `ceil(k / 64)` limbs.
fn modpow_pow2(base: &[u64], exp: &Exponent<'_>, k: usize) -> Vec<u64> {
    let mut ring = PowerOfTwo::new(k);
    let base = ring.reduce(base);
    // An even base to a power of at least k is 0 mod 2^k; skipping the work keeps
    // huge exponents of even bases cheap.
    if base[0] & 1 == 0 {
        if exp.at_least(k) {
            return vec![0u64; ring.limbs];
        }
        return pow(&mut ring, base, exp);
    }
    // The odd residues mod 2^k form a group whose order 2^(k-1) is a power of two
    // dividing 2^k, so only the exponent's low k bits matter.
    pow(&mut ring, base, &exp.low_bits(k))
}

/// The `x < q * 2^k` with `x = a mod q` and `x = b mod 2^k` (Garner's formula:
/// `x = a + q * ((b - a) * q^-1 mod 2^k)`).
fn crt(a: &[u64], q: &[u64], b: &[u64], k: usize) -> Vec<u64> {
    let mut ring = PowerOfTwo::new(k);
    let n = ring.limbs;
    // q^-1 mod 2^k by Newton's iteration from the inverse mod 2^64.
    let q_low = ring.reduce(q);
    let mut inverse = ring.reduce(&[inverse_mod_2_64(q[0])]);
    let mut tmp = vec![0u64; n];
    let mut correct_bits = 64;
    while correct_bits < k {
        ring.mul(&q_low, &inverse, &mut tmp);
        // tmp = 2 - q * y mod 2^k
        let negated = negate(&tmp);
        let two_minus = add_small(&negated, 2);
        let two_minus = ring.reduce(&two_minus);
        ring.mul(&inverse, &two_minus, &mut tmp);
        inverse.copy_from_slice(&tmp);
        correct_bits *= 2;
    }
    // (b - a) mod 2^k
    let a_low = ring.reduce(a);
    let difference = ring.reduce(&add(&ring.reduce(b), &negate(&a_low)));
    let mut h = vec![0u64; n];
    ring.mul(&difference, &inverse, &mut h);
    // a + q * h
    let mut x = vec![0u64; q.len() + n + 1];
    x[..a.len()].copy_from_slice(a);
    for (i, &qi) in q.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &hj) in h.iter().enumerate() {
            let s = u128::from(x[i + j]) + u128::from(qi) * u128::from(hj) + carry;
            x[i + j] = s as u64;
            carry = s >> 64;
        }
        let mut at = i + n;
        while carry != 0 {
            let s = u128::from(x[at]) + carry;
            x[at] = s as u64;
            carry = s >> 64;
            at += 1;
        }
    }
    trim(&mut x);
    x
}

/// Two's complement negation (mod 2^(64 len)).
fn negate(a: &[u64]) -> Vec<u64> {
    let inverted: Vec<u64> = a.iter().map(|l| !l).collect();
    add_small(&inverted, 1)
}

/// `a + small` (mod 2^(64 len)).
fn add_small(a: &[u64], small: u64) -> Vec<u64> {
    let mut out = a.to_vec();
    let mut carry = small;
    for limb in &mut out {
        let (s, c) = limb.overflowing_add(carry);
        *limb = s;
        carry = u64::from(c);
        if carry == 0 {
            break;
        }
    }
    out
}

/// `a + b` (mod 2^(64 len)) for equal lengths.
fn add(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut carry = false;
    a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            let (s, c1) = x.overflowing_add(y);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference square-and-multiply on u128 for small operands.
    fn small(base: u128, exp: u32, m: u128) -> u128 {
        let mut acc = 1 % m;
        let mut b = base % m;
        let mut e = exp;
        while e > 0 {
            if e & 1 == 1 {
                acc = acc * b % m;
            }
            b = b * b % m;
            e >>= 1;
        }
        acc
    }

    fn be(x: u128, len: usize) -> Vec<u8> {
        x.to_be_bytes()[16 - len..].to_vec()
    }

    #[test]
    fn matches_reference_on_small_values() {
        // Moduli: odd, powers of two, even with an odd part; below 2^64 so that the
        // reference's products fit in u128.
        let moduli = [
            1u128,
            2,
            3,
            4,
            7,
            8,
            12,
            97,
            96,
            1 << 40,
            3 << 40,
            (1 << 59) - 1,
            6 << 50,
            u64::MAX as u128,
            (1 << 64) - 59,
            1 << 63,
        ];
        let bases = [0u128, 1, 2, 3, 5, 255, 1 << 33, (1 << 60) - 3];
        let exps = [0u32, 1, 2, 3, 17, 64, 65, 1000, 65537, u32::MAX];
        for &m in &moduli {
            for &b in &bases {
                for &e in &exps {
                    let got = modexp(&be(b, 8), &e.to_be_bytes(), &be(m, 8));
                    assert_eq!(got, be(small(b, e, m), 8), "{b}^{e} mod {m}");
                }
            }
        }
    }

    #[test]
    fn remainder_of_long_values() {
        // (2^128 + 5) mod (2^64 + 3): 2^128 = (2^64 + 3)(2^64 - 3) + 9, so 14.
        let a = [5u64, 0, 1];
        let m = [3u64, 1];
        assert_eq!(rem(&a, &m), [14, 0]);
        assert_eq!(rem(&[7], &m), [7, 0]);
    }
}
