use lamina_context_interface::{BlobExcessGasAndPrice, Block};
use lamina_primitives::{Address, B256, U256};

/// The block environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockEnv {
    /// NUMBER.
    pub number: U256,
    /// COINBASE.
    pub beneficiary: Address,
    /// TIMESTAMP.
    pub timestamp: U256,
    /// GASLIMIT.
    pub gas_limit: u64,
    /// BASEFEE.
    pub basefee: u64,
    /// DIFFICULTY.
    pub difficulty: U256,
    /// PREVRANDAO (set from the Merge).
    pub prevrandao: Option<B256>,
    /// Blob gas data (set from Cancun).
    pub blob_excess_gas_and_price: Option<BlobExcessGasAndPrice>,
}

impl Default for BlockEnv {
    /// Block 0, timestamp 1, gas limit 2⁶⁴−1, base fee 0, zero PREVRANDAO, excess blob gas 0.
    fn default() -> Self {
        Self {
            number: U256::ZERO,
            beneficiary: Address::ZERO,
            timestamp: U256::from(1),
            gas_limit: u64::MAX,
            basefee: 0,
            difficulty: U256::ZERO,
            prevrandao: Some(B256::ZERO),
            blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
                0,
                lamina_primitives::eip4844::PRAGUE_UPDATE_FRACTION,
            )),
        }
    }
}

impl BlockEnv {
    /// Sets the excess blob gas and derives the blob price with `update_fraction`.
    pub fn set_blob_excess_gas_and_price(&mut self, excess_blob_gas: u64, update_fraction: u64) {
        self.blob_excess_gas_and_price =
            Some(BlobExcessGasAndPrice::new(excess_blob_gas, update_fraction));
    }
}

impl Block for BlockEnv {
    fn number(&self) -> U256 {
        self.number
    }
    fn beneficiary(&self) -> Address {
        self.beneficiary
    }
    fn timestamp(&self) -> U256 {
        self.timestamp
    }
    fn gas_limit(&self) -> u64 {
        self.gas_limit
    }
    fn basefee(&self) -> u64 {
        self.basefee
    }
    fn difficulty(&self) -> U256 {
        self.difficulty
    }
    fn prevrandao(&self) -> Option<B256> {
        self.prevrandao
    }
    fn blob_excess_gas_and_price(&self) -> Option<BlobExcessGasAndPrice> {
        self.blob_excess_gas_and_price
    }
}
