//! The block a transaction runs in.

use lamina_primitives::{Address, B256, U256, eip4844::MIN_BLOB_GASPRICE};

/// Excess blob gas of the block and the blob gas price it implies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlobExcessGasAndPrice {
    /// Excess blob gas (EIP-4844).
    pub excess_blob_gas: u64,
    /// The blob base fee derived from it.
    pub blob_gasprice: u128,
}

impl BlobExcessGasAndPrice {
    /// Derives the price from `excess_blob_gas` with the fork's update fraction.
    pub fn new(excess_blob_gas: u64, update_fraction: u64) -> Self {
        Self {
            excess_blob_gas,
            blob_gasprice: calc_blob_gasprice(excess_blob_gas, update_fraction),
        }
    }
}

/// EIP-4844 blob base fee.
pub fn calc_blob_gasprice(excess_blob_gas: u64, update_fraction: u64) -> u128 {
    fake_exponential(MIN_BLOB_GASPRICE, excess_blob_gas, update_fraction)
}

/// EIP-4844's integer approximation of `factor * e^(numerator / denominator)`.
/// Saturates instead of overflowing.
pub fn fake_exponential(factor: u64, numerator: u64, denominator: u64) -> u128 {
    if denominator == 0 {
        return u128::MAX;
    }
    let factor = U256::from(factor);
    let numerator = U256::from(numerator);
    let denominator = U256::from(denominator);
    // `output / denominator` past u128::MAX saturates: stop summing as soon as it must. This
    // also bounds every product below (accumulator ≤ output < 2^192, numerator < 2^64), and
    // the loop, which otherwise wraps around and runs for hours on a huge numerator.
    let saturated = denominator << 128;
    let mut i = U256::from(1);
    let mut output = U256::ZERO;
    let mut accumulator = factor * denominator;
    while !accumulator.is_zero() {
        output += accumulator;
        if output >= saturated {
            return u128::MAX;
        }
        accumulator = (accumulator * numerator) / (denominator * i);
        i += U256::from(1);
    }
    u128::try_from(output / denominator).unwrap_or(u128::MAX)
}

/// Block fields the EVM reads.
#[auto_impl::auto_impl(&, &mut, Box)]
pub trait Block {
    /// NUMBER.
    fn number(&self) -> U256;
    /// COINBASE.
    fn beneficiary(&self) -> Address;
    /// TIMESTAMP.
    fn timestamp(&self) -> U256;
    /// GASLIMIT.
    fn gas_limit(&self) -> u64;
    /// BASEFEE (EIP-1559).
    fn basefee(&self) -> u64;
    /// DIFFICULTY (before the Merge).
    fn difficulty(&self) -> U256;
    /// PREVRANDAO (from the Merge).
    fn prevrandao(&self) -> Option<B256>;
    /// Blob gas data (from Cancun).
    fn blob_excess_gas_and_price(&self) -> Option<BlobExcessGasAndPrice>;
    /// The blob base fee, if the block has blob data.
    fn blob_gasprice(&self) -> Option<u128> {
        self.blob_excess_gas_and_price().map(|b| b.blob_gasprice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values from the EIP-4844 reference `fake_exponential` examples.
    #[test]
    fn fake_exponential_matches_the_eip() {
        assert_eq!(fake_exponential(1, 0, 1), 1);
        assert_eq!(fake_exponential(38493, 0, 1000), 38493);
        assert_eq!(fake_exponential(0, 1234, 2345), 0);
        assert_eq!(fake_exponential(1, 2, 1), 6); // e^2 = 7.389
        assert_eq!(fake_exponential(1, 4, 2), 6);
        assert_eq!(fake_exponential(1, 3, 1), 16); // e^3 = 20.08
        assert_eq!(fake_exponential(1, 6, 2), 18);
        assert_eq!(fake_exponential(1, 4, 1), 49); // e^4 = 54.598
        assert_eq!(fake_exponential(1, 8, 2), 50);
        assert_eq!(fake_exponential(10, 8, 2), 542);
        assert_eq!(fake_exponential(11, 8, 2), 596);
        assert_eq!(fake_exponential(1, 5, 1), 136);
        assert_eq!(fake_exponential(1, 5, 2), 11);
        assert_eq!(fake_exponential(2, 5, 2), 23);
        assert_eq!(fake_exponential(1, 50000000, 2225652), 5709098764);
    }
}
