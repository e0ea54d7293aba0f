//! Helpers shared by the precompiles: zero-padded reads of call data and gas
//! formulas that several families use.

use crate::{PrecompileError, PrecompileOutput, PrecompileResult};
use alloc::vec::Vec;
use lamina_primitives::Bytes;

/// `N` bytes of `data` starting at `offset`; bytes past the end of `data` read as
/// zero, which is how the EVM treats call data shorter than a precompile expects.
#[inline]
pub fn right_pad_at<const N: usize>(data: &[u8], offset: usize) -> [u8; N] {
    let mut out = [0u8; N];
    let src = data.get(offset..).unwrap_or_default();
    let n = src.len().min(N);
    out[..n].copy_from_slice(&src[..n]);
    out
}

/// The first `N` bytes of `data`, zero-padded on the right.
#[inline]
pub fn right_pad<const N: usize>(data: &[u8]) -> [u8; N] {
    right_pad_at(data, 0)
}

/// `len` bytes of `data` starting at `offset`, zero-padded on the right. The caller
/// must have bounded `len` (by gas or by a size limit) before calling: this
/// allocates `len` bytes.
pub fn right_pad_vec(data: &[u8], offset: usize, len: usize) -> Vec<u8> {
    let mut out = alloc::vec![0u8; len];
    let src = data.get(offset..).unwrap_or_default();
    let n = src.len().min(len);
    out[..n].copy_from_slice(&src[..n]);
    out
}

/// `base + word * ceil(len / 32)`, the price of the hashing and copying precompiles.
#[inline]
pub const fn linear_cost(len: usize, base: u64, word: u64) -> u64 {
    // usize -> u64 is lossless on every supported target.
    let words = (len as u64).div_ceil(32);
    base.saturating_add(word.saturating_mul(words))
}

/// `Err(OutOfGas)` if `cost` exceeds `gas_limit`.
#[inline]
pub const fn charge(cost: u64, gas_limit: u64) -> Result<(), PrecompileError> {
    if cost > gas_limit { Err(PrecompileError::OutOfGas) } else { Ok(()) }
}

/// A successful result that cost `cost`, after checking it against `gas_limit`;
/// `compute` runs only if the gas suffices.
#[inline]
pub fn charged<F>(cost: u64, gas_limit: u64, compute: F) -> PrecompileResult
where
    F: FnOnce() -> Result<Bytes, PrecompileError>,
{
    charge(cost, gas_limit)?;
    compute().map(|bytes| PrecompileOutput::new(cost, bytes))
}

/// A 32-byte big-endian word holding 1 for `true` and 0 for `false`.
#[inline]
pub fn bool_to_word(value: bool) -> Bytes {
    let mut word = [0u8; 32];
    word[31] = u8::from(value);
    Bytes::copy_from_slice(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding() {
        assert_eq!(right_pad::<4>(&[1, 2]), [1, 2, 0, 0]);
        assert_eq!(right_pad::<2>(&[1, 2, 3]), [1, 2]);
        assert_eq!(right_pad_at::<3>(&[1, 2, 3], 2), [3, 0, 0]);
        assert_eq!(right_pad_at::<3>(&[1, 2, 3], usize::MAX), [0, 0, 0]);
        assert_eq!(right_pad_vec(&[1, 2, 3], 1, 4), [2, 3, 0, 0]);
        assert_eq!(right_pad_vec(&[1, 2, 3], 9, 2), [0, 0]);
    }

    #[test]
    fn linear() {
        assert_eq!(linear_cost(0, 60, 12), 60);
        assert_eq!(linear_cost(32, 60, 12), 72);
        assert_eq!(linear_cost(33, 60, 12), 84);
        assert_eq!(linear_cost(usize::MAX, 60, 12), (usize::MAX as u64).div_ceil(32) * 12 + 60);
    }
}
