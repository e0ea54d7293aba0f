//! MODEXP (0x05): `base ^ exp % modulus` on big-endian integers of any length.
//!
//! Input: three 32-byte big-endian lengths `Blen, Elen, Mlen`, then `base` (Blen
//! bytes), `exp` (Elen bytes) and `modulus` (Mlen bytes); call data shorter than that
//! reads as zeros. Output: the result left-padded to Mlen bytes.
//!
//! The price depends on the fork: EIP-198 (Byzantium), EIP-2565 (Berlin), EIP-7883
//! (Osaka, which also caps every length at 1024 bytes, EIP-7823). The lengths can
//! claim up to 2^256 - 1 bytes, so everything is priced from the header and at most
//! the first 32 bytes of the exponent before a single byte is allocated.
//!
//! The arithmetic ([`modexp`]) is this crate's own, on 64-bit limbs: Montgomery
//! multiplication for odd moduli, and for even ones a split into an odd part and a
//! power of two joined by the Chinese remainder theorem (see the crate README for
//! the benchmark that chose it).

mod arith;

use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::Bytes;

pub use arith::modexp;

/// MODEXP at 0x05 with EIP-198 pricing (Byzantium to Muir Glacier).
pub const BYZANTIUM: Precompile = Precompile::new(u64_to_address(5), byzantium_run);
/// MODEXP at 0x05 with EIP-2565 pricing (Berlin to Prague).
pub const BERLIN: Precompile = Precompile::new(u64_to_address(5), berlin_run);
/// MODEXP at 0x05 with EIP-7883 pricing and the EIP-7823 size cap (Osaka on).
pub const OSAKA: Precompile = Precompile::new(u64_to_address(5), osaka_run);

/// EIP-7823: the largest base, exponent or modulus length from Osaka on.
pub const EIP7823_MAX_LENGTH: u64 = 1024;

/// Lengths above this are refused before pricing finishes. Paying for one would take
/// more than 10^9 gas under every schedule (EIP-198 is the cheapest: an exponent of
/// 2^32 bytes costs 8 * 2^32 / 20 > 1.7 * 10^9), beyond any block gas limit, so no
/// call that could ever succeed is refused; it only keeps absurd gas limits given
/// by tests or tools from allocating gigabytes.
pub const MAX_LENGTH: u64 = 1 << 32;

/// The three lengths of the header and the bit length of the exponent's head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Length of the base in bytes, saturated at `u64::MAX`.
    pub base_len: u64,
    /// Length of the exponent in bytes, saturated at `u64::MAX`.
    pub exp_len: u64,
    /// Length of the modulus in bytes, saturated at `u64::MAX`.
    pub mod_len: u64,
    /// Bit length of the first `min(32, exp_len)` bytes of the exponent.
    pub exp_head_bits: u32,
}

impl Header {
    /// Reads the header of `input` and the head of its exponent; allocates nothing.
    pub fn parse(input: &[u8]) -> Self {
        let base_len = read_length(input, 0);
        let exp_len = read_length(input, 32);
        let mod_len = read_length(input, 64);
        let exp_start = usize::try_from(96u64.saturating_add(base_len)).unwrap_or(usize::MAX);
        let head = right_pad_at::<32>(input, exp_start);
        // Only the exponent's own bytes count, not the modulus bytes after it.
        let head = &head[..exp_len.min(32) as usize];
        let exp_head_bits = match head.iter().position(|&b| b != 0) {
            // At most 32 bytes of 8 bits: the casts cannot truncate.
            Some(i) => ((head.len() - 1 - i) * 8) as u32 + (8 - head[i].leading_zeros()),
            None => 0,
        };
        Self { base_len, exp_len, mod_len, exp_head_bits }
    }

    /// The larger of the base and modulus lengths, which sets the multiplication cost.
    pub fn max_len(&self) -> u64 {
        self.base_len.max(self.mod_len)
    }

    /// The "iteration count" of EIP-2565 (EIP-198's adjusted exponent length) at
    /// least 1, with `multiplier` per exponent byte past the first 32 (8 before
    /// Osaka, 16 from EIP-7883 on).
    pub fn iterations(&self, multiplier: u64) -> u128 {
        let head = u128::from(self.exp_head_bits.saturating_sub(1));
        let count = if self.exp_len <= 32 {
            head
        } else {
            u128::from(multiplier) * u128::from(self.exp_len - 32) + head
        };
        count.max(1)
    }
}

/// A header length field as `u64`, saturating (a length of 2^64 or more can never be
/// paid for).
fn read_length(input: &[u8], offset: usize) -> u64 {
    let word = right_pad_at::<32>(input, offset);
    let (high, low) = word.split_at(24);
    if high.iter().any(|&b| b != 0) {
        return u64::MAX;
    }
    let mut be = [0u8; 8];
    be.copy_from_slice(low);
    u64::from_be_bytes(be)
}

/// `u128` gas saturated into `u64`.
fn saturate(gas: u128) -> u64 {
    u64::try_from(gas).unwrap_or(u64::MAX)
}

/// EIP-198 price: `mult_complexity(max_len) * iterations / 20`.
pub fn byzantium_gas(header: &Header) -> u64 {
    let x = u128::from(header.max_len());
    let complexity = if x <= 64 {
        x * x
    } else if x <= 1024 {
        x * x / 4 + 96 * x - 3072
    } else {
        x * x / 16 + 480 * x - 199_680
    };
    saturate(complexity.saturating_mul(header.iterations(8)) / 20)
}

/// EIP-2565 price: `max(200, ceil(max_len / 8)^2 * iterations / 3)`.
pub fn berlin_gas(header: &Header) -> u64 {
    let words = u128::from(header.max_len().div_ceil(8));
    saturate((words * words).saturating_mul(header.iterations(8)) / 3).max(200)
}

/// EIP-7883 price: `max(500, complexity * iterations)` with complexity 16 up to 32
/// bytes and `2 * ceil(max_len / 8)^2` above, and 16 iterations per exponent byte
/// past the first 32.
pub fn osaka_gas(header: &Header) -> u64 {
    let max_len = header.max_len();
    let complexity = if max_len <= 32 {
        16
    } else {
        let words = u128::from(max_len.div_ceil(8));
        2 * words * words
    };
    saturate(complexity.saturating_mul(header.iterations(16))).max(500)
}

/// MODEXP with EIP-198 pricing (Byzantium to Muir Glacier).
pub fn byzantium_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    run(input, gas_limit, byzantium_gas, false)
}

/// MODEXP with EIP-2565 pricing (Berlin to Prague).
pub fn berlin_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    run(input, gas_limit, berlin_gas, false)
}

/// MODEXP with EIP-7883 pricing and the EIP-7823 length cap (Osaka on).
pub fn osaka_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    run(input, gas_limit, osaka_gas, true)
}

fn run(input: &[u8], gas_limit: u64, gas: fn(&Header) -> u64, eip7823: bool) -> PrecompileResult {
    let header = Header::parse(input);
    let lengths = [header.base_len, header.exp_len, header.mod_len];
    if eip7823 && lengths.iter().any(|&len| len > EIP7823_MAX_LENGTH) {
        return Err(PrecompileError::ModexpEip7823LimitSize);
    }
    charged(gas(&header), gas_limit, || {
        // With a zero-length modulus the output is empty whatever the other operands
        // are, and they are not even read (the exponent may claim any length here).
        if header.mod_len == 0 {
            return Ok(Bytes::new());
        }
        if lengths.iter().any(|&len| len > MAX_LENGTH) {
            return Err(PrecompileError::ModexpLengthOverflow);
        }
        // Bounded by MAX_LENGTH just above, so these fit in usize on 64-bit targets;
        // elsewhere a failing conversion is the same refusal.
        let to_usize =
            |len: u64| usize::try_from(len).map_err(|_| PrecompileError::ModexpLengthOverflow);
        let (base_len, exp_len, mod_len) =
            (to_usize(header.base_len)?, to_usize(header.exp_len)?, to_usize(header.mod_len)?);
        let exp_start = 96usize.saturating_add(base_len);
        let mod_start = exp_start.saturating_add(exp_len);
        let base = right_pad_vec(input, 96, base_len);
        let exp = right_pad_vec(input, exp_start, exp_len);
        let modulus = right_pad_vec(input, mod_start, mod_len);
        Ok(modexp(&base, &exp, &modulus).into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use lamina_primitives::hex;

    /// A header with the given lengths followed by `rest`.
    fn input(base_len: [u8; 32], exp_len: [u8; 32], mod_len: [u8; 32], rest: &[u8]) -> Vec<u8> {
        [&base_len[..], &exp_len[..], &mod_len[..], rest].concat()
    }

    fn len(n: u64) -> [u8; 32] {
        let mut w = [0u8; 32];
        w[24..].copy_from_slice(&n.to_be_bytes());
        w
    }

    /// 2^255 as a 32-byte length.
    const HUGE: [u8; 32] = {
        let mut w = [0u8; 32];
        w[0] = 0x80;
        w
    };

    #[test]
    fn zero_lengths() {
        // All three lengths zero: EIP-198 complexity 0 -> 0 gas; EIP-2565 floor 200;
        // EIP-7883 floor 500. Output is empty.
        let empty = input(len(0), len(0), len(0), &[]);
        for (f, gas) in
            [(byzantium_run as fn(&[u8], u64) -> _, 0), (berlin_run, 200), (osaka_run, 500)]
        {
            let out = f(&empty, gas).unwrap();
            assert_eq!((out.gas_used, out.bytes.len()), (gas, 0));
            if gas > 0 {
                assert_eq!(f(&empty, gas - 1), Err(PrecompileError::OutOfGas));
            }
        }
        assert_eq!(byzantium_run(&[], 0).unwrap().gas_used, 0);
        // Zero-length base and exponent, one-byte modulus 7: 0^0 = 1 mod 7.
        let one = input(len(0), len(0), len(1), &[7]);
        assert_eq!(berlin_run(&one, 200).unwrap().bytes[..], [1]);
        // Zero-length modulus with operands present: empty output.
        let no_mod = input(len(1), len(1), len(0), &[2, 3]);
        assert!(osaka_run(&no_mod, 500).unwrap().bytes.is_empty());
    }

    #[test]
    fn eip_example_formulas() {
        // EIP-198 example 1: 3^(p-2) mod p with p = secp256k1's field prime;
        // Blen 1, Elen 32, Mlen 32; the MANIFEST works its price per schedule:
        // 13056 (EIP-198), 1360 (EIP-2565), 4080 (EIP-7883).
        let example = hex::decode(concat!(
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000020",
            "0000000000000000000000000000000000000000000000000000000000000020",
            "03",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"
        ))
        .unwrap();
        let header = Header::parse(&example);
        assert_eq!(header.exp_head_bits, 256);
        assert_eq!(byzantium_gas(&header), 13056);
        assert_eq!(berlin_gas(&header), 1360);
        assert_eq!(osaka_gas(&header), 4080);
        let out = osaka_run(&example, 4080).unwrap();
        assert_eq!(out.bytes[31], 1);
        assert!(out.bytes[..31].iter().all(|&b| b == 0));
    }

    #[test]
    fn exponent_longer_than_32_bytes() {
        // EIP-7883 vectors `large-exponent-80bytes` style: Elen = 80 and an exponent
        // head of all zero bits except... here the head is zero: iterations are
        // 8 * (80 - 32) = 384 before Osaka and 16 * 48 = 768 from Osaka on.
        let header = Header { base_len: 8, exp_len: 80, mod_len: 8, exp_head_bits: 0 };
        assert_eq!(header.iterations(8), 384);
        assert_eq!(header.iterations(16), 768);
        // EIP-2565: words 1, 1 * 384 / 3 = 128 -> floor 200. EIP-7883: 16 * 768.
        assert_eq!(berlin_gas(&header), 200);
        assert_eq!(osaka_gas(&header), 12288);
        // EIP-198: 8^2 * 384 / 20 = 1228.
        assert_eq!(byzantium_gas(&header), 1228);
        // With the top bit of the head set the head adds 255 iterations.
        let header = Header { exp_head_bits: 256, ..header };
        assert_eq!(header.iterations(8), 384 + 255);
    }

    #[test]
    fn nagydani_5_pow0x10001_prices() {
        // Worked in the vectors' MANIFEST: 285900 / 87381 / 524288.
        let header = Header { base_len: 1024, exp_len: 3, mod_len: 1024, exp_head_bits: 17 };
        assert_eq!(byzantium_gas(&header), 285_900);
        assert_eq!(berlin_gas(&header), 87_381);
        assert_eq!(osaka_gas(&header), 524_288);
    }

    #[test]
    fn huge_lengths_fail_fast() {
        for (b, e, m) in [(HUGE, len(1), len(1)), (len(1), HUGE, len(1)), (len(1), len(1), HUGE)] {
            let huge = input(b, e, m, &[1, 2, 3]);
            for f in [byzantium_run as fn(&[u8], u64) -> PrecompileResult, berlin_run] {
                assert_eq!(f(&huge, 1 << 40), Err(PrecompileError::OutOfGas));
                assert!(f(&huge, u64::MAX).is_err());
            }
            assert_eq!(osaka_run(&huge, u64::MAX), Err(PrecompileError::ModexpEip7823LimitSize));
        }
        // A huge exponent with base and modulus of length zero is cheap before Osaka
        // (no multiplication to do) and returns empty output without reading it.
        let free = input(len(0), HUGE, len(0), &[]);
        assert_eq!(byzantium_run(&free, 0).unwrap().bytes.len(), 0);
        assert_eq!(berlin_run(&free, 200).unwrap().gas_used, 200);
        assert_eq!(osaka_run(&free, u64::MAX), Err(PrecompileError::ModexpEip7823LimitSize));
        // Affordable only with an absurd gas limit: refused instead of allocating.
        let big = input(len(0), len(MAX_LENGTH + 1), len(1), &[]);
        assert_eq!(byzantium_run(&big, u64::MAX), Err(PrecompileError::ModexpLengthOverflow));
    }

    #[test]
    fn eip7823_boundary() {
        let at = input(len(1024), len(1), len(1024), &[]);
        assert!(osaka_run(&at, u64::MAX).is_ok());
        let over = input(len(1025), len(1), len(1), &[]);
        assert_eq!(osaka_run(&over, u64::MAX), Err(PrecompileError::ModexpEip7823LimitSize));
        assert!(berlin_run(&over, u64::MAX).is_ok());
    }
}
