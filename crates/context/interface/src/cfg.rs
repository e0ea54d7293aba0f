//! Chain configuration.

use lamina_primitives::{SpecId, eip4844};

/// Blob limits and pricing of a fork (EIP-4844, EIP-7691, EIP-7594, EIP-7918).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobParams {
    /// Target blobs per block.
    pub target_blobs_per_block: u64,
    /// Maximum blobs per block (and per transaction before Osaka).
    pub max_blobs_per_block: u64,
    /// Blob base fee update fraction.
    pub update_fraction: u64,
    /// Maximum blobs per transaction (EIP-7594 from Osaka).
    pub max_blobs_per_tx: u64,
}

impl BlobParams {
    /// Cancun's schedule.
    pub const CANCUN: Self = Self {
        target_blobs_per_block: eip4844::CANCUN_TARGET_BLOBS,
        max_blobs_per_block: eip4844::CANCUN_MAX_BLOBS,
        update_fraction: eip4844::CANCUN_UPDATE_FRACTION,
        max_blobs_per_tx: eip4844::CANCUN_MAX_BLOBS,
    };
    /// Prague's schedule (EIP-7691).
    pub const PRAGUE: Self = Self {
        target_blobs_per_block: eip4844::PRAGUE_TARGET_BLOBS,
        max_blobs_per_block: eip4844::PRAGUE_MAX_BLOBS,
        update_fraction: eip4844::PRAGUE_UPDATE_FRACTION,
        max_blobs_per_tx: eip4844::PRAGUE_MAX_BLOBS,
    };
    /// Osaka's schedule (Prague's, with EIP-7594's per-transaction limit).
    pub const OSAKA: Self =
        Self { max_blobs_per_tx: eip4844::OSAKA_MAX_BLOBS_PER_TX, ..Self::PRAGUE };

    /// The mainnet schedule of `spec`.
    pub fn for_spec(spec: SpecId) -> Self {
        if spec.is_enabled_in(SpecId::OSAKA) {
            Self::OSAKA
        } else if spec.is_enabled_in(SpecId::PRAGUE) {
            Self::PRAGUE
        } else {
            Self::CANCUN
        }
    }
}

/// Configuration the handler consults.
#[auto_impl::auto_impl(&, &mut, Box)]
pub trait Cfg {
    /// Chain id (EIP-155, CHAINID).
    fn chain_id(&self) -> u64;
    /// The fork.
    fn spec(&self) -> SpecId;
    /// Largest deployable code (EIP-170).
    fn max_code_size(&self) -> usize;
    /// Largest init code (EIP-3860).
    fn max_initcode_size(&self) -> usize;
    /// Skip the nonce check.
    fn is_nonce_check_disabled(&self) -> bool;
    /// Skip the balance check (the caller is credited what it lacks).
    fn is_balance_check_disabled(&self) -> bool;
    /// Skip the base fee check.
    fn is_base_fee_check_disabled(&self) -> bool;
    /// Skip the block gas limit check.
    fn is_block_gas_limit_disabled(&self) -> bool;
    /// Skip EIP-3607 (sender with code).
    fn is_eip3607_disabled(&self) -> bool;
    /// Most bytes of memory a transaction may use.
    fn memory_limit(&self) -> u64;
    /// EIP-7825 transaction gas limit cap (from Osaka).
    fn tx_gas_limit_cap(&self) -> u64;
    /// Blob schedule.
    fn blob_params(&self) -> BlobParams;
}
