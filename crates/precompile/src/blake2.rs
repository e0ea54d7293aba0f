//! BLAKE2F (0x09, EIP-152): the BLAKE2b compression function F with a caller-chosen
//! number of rounds.

use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::Bytes;

/// BLAKE2F at 0x09, active since Istanbul.
pub const BLAKE2F: Precompile = Precompile::new(u64_to_address(9), run);

/// Exact input length: rounds(4) || h(64) || m(128) || t(16) || f(1).
pub const INPUT_LENGTH: usize = 213;
/// Price of one round.
pub const GAS_PER_ROUND: u64 = 1;

/// Runs F on `rounds || h || m || t || f` and returns the new state `h` (64 bytes,
/// little-endian words). Costs one gas per round.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    let input: &[u8; INPUT_LENGTH] =
        input.try_into().map_err(|_| PrecompileError::Blake2WrongLength)?;
    let rounds = u32::from_be_bytes([input[0], input[1], input[2], input[3]]);
    charged(u64::from(rounds) * GAS_PER_ROUND, gas_limit, || {
        let last_block = match input[212] {
            0 => false,
            1 => true,
            _ => return Err(PrecompileError::Blake2WrongFinalFlag),
        };
        let mut h = [0u64; 8];
        read_words(&input[4..68], &mut h);
        let mut m = [0u64; 16];
        read_words(&input[68..196], &mut m);
        let mut t = [0u64; 2];
        read_words(&input[196..212], &mut t);

        compress(rounds, &mut h, &m, t, last_block);

        let mut out = [0u8; 64];
        for (chunk, word) in out.chunks_exact_mut(8).zip(h) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        Ok(Bytes::copy_from_slice(&out))
    })
}

/// Reads little-endian u64 words; `bytes.len()` is `8 * words.len()`.
fn read_words(bytes: &[u8], words: &mut [u64]) {
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(chunk);
        *word = u64::from_le_bytes(le);
    }
}

/// BLAKE2b initialisation vector (RFC 7693 §2.6).
const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// Message word schedule (RFC 7693 §2.7); round `i` uses row `i % 10`.
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// The mixing function G (RFC 7693 §3.1).
#[inline(always)]
fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// One round with the message schedule `s`. Inlined where `s` is a constant row of
/// `SIGMA`, every message index becomes a constant.
#[inline(always)]
fn round(v: &mut [u64; 16], m: &[u64; 16], s: &[usize; 16]) {
    mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
}

/// The compression function F (RFC 7693 §3.2) with `rounds` rounds instead of 12.
///
/// Rounds go ten at a time, the period of the message schedule, so that each is unrolled
/// with constant indices: 10% faster than indexing `SIGMA[round % 10]` each round, which
/// counts when a transaction buys 2^32 - 1 rounds (ethereum/tests `CALLBlake2f_MaxRounds`,
/// about a minute). An AVX2 version measured no faster: a round is bound by the latency of
/// its two dependent half-rounds, which the scalar code already overlaps across columns.
pub fn compress(rounds: u32, h: &mut [u64; 8], m: &[u64; 16], t: [u64; 2], last_block: bool) {
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= t[0];
    v[13] ^= t[1];
    if last_block {
        v[14] = !v[14];
    }
    for _ in 0..rounds / 10 {
        for s in &SIGMA {
            round(&mut v, m, s);
        }
    }
    for s in &SIGMA[..(rounds % 10) as usize] {
        round(&mut v, m, s);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::hex;

    /// EIP-152 test vector 5: BLAKE2b-512("abc") as one F call of 12 rounds.
    const VECTOR_5: &str = "0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b61626300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000300000000000000000000000000000001";
    const VECTOR_5_OUT: &str = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

    #[test]
    fn eip152_vector_5() {
        let input = hex::decode(VECTOR_5).unwrap();
        let out = run(&input, 12).unwrap();
        assert_eq!(out.gas_used, 12);
        assert_eq!(out.bytes[..], hex::decode(VECTOR_5_OUT).unwrap()[..]);
        assert_eq!(run(&input, 11), Err(PrecompileError::OutOfGas));
    }

    #[test]
    fn wrong_length_and_flag() {
        let input = hex::decode(VECTOR_5).unwrap();
        assert_eq!(run(&[], u64::MAX), Err(PrecompileError::Blake2WrongLength));
        assert_eq!(run(&input[..212], u64::MAX), Err(PrecompileError::Blake2WrongLength));
        let mut long = input.clone();
        long.push(0);
        assert_eq!(run(&long, u64::MAX), Err(PrecompileError::Blake2WrongLength));
        for flag in [2u8, 0x10, 0xff] {
            let mut bad = input.clone();
            bad[212] = flag;
            assert_eq!(run(&bad, u64::MAX), Err(PrecompileError::Blake2WrongFinalFlag));
        }
    }
}
