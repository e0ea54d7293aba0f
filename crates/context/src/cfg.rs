use lamina_context_interface::{BlobParams, Cfg};
use lamina_primitives::{MAX_CODE_SIZE, MAX_INITCODE_SIZE, SpecId, TX_GAS_LIMIT_CAP};

/// Chain configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgEnv {
    /// Chain id.
    pub chain_id: u64,
    /// Fork.
    pub spec: SpecId,
    /// Overrides the EIP-170 code size limit.
    pub limit_contract_code_size: Option<usize>,
    /// Overrides the EIP-3860 init code size limit.
    pub limit_initcode_size: Option<usize>,
    /// Skip the nonce check (the nonce is still incremented).
    pub disable_nonce_check: bool,
    /// Skip the balance check.
    pub disable_balance_check: bool,
    /// Skip the base fee check.
    pub disable_base_fee: bool,
    /// Skip the block gas limit check.
    pub disable_block_gas_limit: bool,
    /// Skip EIP-3607.
    pub disable_eip3607: bool,
    /// Most bytes of shared memory a transaction may use (default 2³²−1).
    pub memory_limit: u64,
    /// Overrides the EIP-7825 transaction gas cap (`u64::MAX` lifts it).
    pub tx_gas_limit_cap: Option<u64>,
    /// Overrides the fork's blob schedule.
    pub blob_params: Option<BlobParams>,
}

impl Default for CfgEnv {
    fn default() -> Self {
        Self::new_with_spec(SpecId::LATEST)
    }
}

impl CfgEnv {
    /// Mainnet (chain id 1) at `spec`.
    pub fn new_with_spec(spec: SpecId) -> Self {
        Self {
            chain_id: 1,
            spec,
            limit_contract_code_size: None,
            limit_initcode_size: None,
            disable_nonce_check: false,
            disable_balance_check: false,
            disable_base_fee: false,
            disable_block_gas_limit: false,
            disable_eip3607: false,
            memory_limit: (1 << 32) - 1,
            tx_gas_limit_cap: None,
            blob_params: None,
        }
    }

    /// With another fork.
    pub fn with_spec(mut self, spec: SpecId) -> Self {
        self.spec = spec;
        self
    }

    /// With another chain id.
    pub fn with_chain_id(mut self, chain_id: u64) -> Self {
        self.chain_id = chain_id;
        self
    }
}

impl Cfg for CfgEnv {
    fn chain_id(&self) -> u64 {
        self.chain_id
    }
    fn spec(&self) -> SpecId {
        self.spec
    }
    fn max_code_size(&self) -> usize {
        self.limit_contract_code_size.unwrap_or(MAX_CODE_SIZE)
    }
    fn max_initcode_size(&self) -> usize {
        self.limit_initcode_size
            .or(self.limit_contract_code_size.map(|size| size * 2))
            .unwrap_or(MAX_INITCODE_SIZE)
    }
    fn is_nonce_check_disabled(&self) -> bool {
        self.disable_nonce_check
    }
    fn is_balance_check_disabled(&self) -> bool {
        self.disable_balance_check
    }
    fn is_base_fee_check_disabled(&self) -> bool {
        self.disable_base_fee
    }
    fn is_block_gas_limit_disabled(&self) -> bool {
        self.disable_block_gas_limit
    }
    fn is_eip3607_disabled(&self) -> bool {
        self.disable_eip3607
    }
    fn memory_limit(&self) -> u64 {
        self.memory_limit
    }
    fn tx_gas_limit_cap(&self) -> u64 {
        self.tx_gas_limit_cap.unwrap_or(if self.spec.is_enabled_in(SpecId::OSAKA) {
            TX_GAS_LIMIT_CAP
        } else {
            u64::MAX
        })
    }
    fn blob_params(&self) -> BlobParams {
        self.blob_params.unwrap_or_else(|| BlobParams::for_spec(self.spec))
    }
}
