use alloc::vec::Vec;
use lamina_context_interface::{
    AccessListItem, SignedAuthorization, Transaction, TransactionType, TxKind,
};
use lamina_primitives::{Address, B256, Bytes, U256};

/// The transaction environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxEnv {
    /// Type byte (0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702).
    pub tx_type: u8,
    /// Sender.
    pub caller: Address,
    /// Gas limit.
    pub gas_limit: u64,
    /// Legacy gas price, or max fee per gas.
    pub gas_price: u128,
    /// Call or create.
    pub kind: TxKind,
    /// Value.
    pub value: U256,
    /// Call data or init code.
    pub data: Bytes,
    /// Nonce.
    pub nonce: u64,
    /// Chain id (`None`: legacy without EIP-155).
    pub chain_id: Option<u64>,
    /// Access list.
    pub access_list: Vec<AccessListItem>,
    /// Max priority fee per gas.
    pub gas_priority_fee: Option<u128>,
    /// Blob versioned hashes.
    pub blob_hashes: Vec<B256>,
    /// Max fee per blob gas.
    pub max_fee_per_blob_gas: u128,
    /// EIP-7702 authorizations.
    pub authorization_list: Vec<SignedAuthorization>,
}

impl Default for TxEnv {
    /// A legacy call to the zero address with a 16,777,216 gas limit and price 0.
    fn default() -> Self {
        Self {
            tx_type: 0,
            caller: Address::ZERO,
            gas_limit: lamina_primitives::TX_GAS_LIMIT_CAP,
            gas_price: 0,
            kind: TxKind::Call(Address::ZERO),
            value: U256::ZERO,
            data: Bytes::new(),
            nonce: 0,
            chain_id: Some(1),
            access_list: Vec::new(),
            gas_priority_fee: None,
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: 0,
            authorization_list: Vec::new(),
        }
    }
}

impl TxEnv {
    /// A builder; the type is derived from the fields set unless given.
    pub fn builder() -> TxEnvBuilder {
        TxEnvBuilder::default()
    }

    /// The type implied by the fields: authorizations → 4, blobs → 3, a priority fee → 2,
    /// an access list → 1, else 0.
    pub fn derive_tx_type(&self) -> u8 {
        let ty = if !self.authorization_list.is_empty() {
            TransactionType::Eip7702
        } else if !self.blob_hashes.is_empty() {
            TransactionType::Eip4844
        } else if self.gas_priority_fee.is_some() {
            TransactionType::Eip1559
        } else if !self.access_list.is_empty() {
            TransactionType::Eip2930
        } else {
            TransactionType::Legacy
        };
        ty as u8
    }
}

/// Builds a [`TxEnv`].
#[derive(Clone, Debug, Default)]
pub struct TxEnvBuilder {
    tx: TxEnv,
    tx_type: Option<u8>,
}

impl TxEnvBuilder {
    /// Sender.
    pub fn caller(mut self, caller: Address) -> Self {
        self.tx.caller = caller;
        self
    }
    /// Call `to`.
    pub fn to(mut self, to: Address) -> Self {
        self.tx.kind = TxKind::Call(to);
        self
    }
    /// Create a contract.
    pub fn create(mut self) -> Self {
        self.tx.kind = TxKind::Create;
        self
    }
    /// Call or create.
    pub fn kind(mut self, kind: TxKind) -> Self {
        self.tx.kind = kind;
        self
    }
    /// Value.
    pub fn value(mut self, value: U256) -> Self {
        self.tx.value = value;
        self
    }
    /// Call data or init code.
    pub fn data(mut self, data: Bytes) -> Self {
        self.tx.data = data;
        self
    }
    /// Gas limit.
    pub fn gas_limit(mut self, gas_limit: u64) -> Self {
        self.tx.gas_limit = gas_limit;
        self
    }
    /// Gas price (or max fee per gas).
    pub fn gas_price(mut self, gas_price: u128) -> Self {
        self.tx.gas_price = gas_price;
        self
    }
    /// Max priority fee per gas (makes it type 2 unless set otherwise).
    pub fn gas_priority_fee(mut self, fee: Option<u128>) -> Self {
        self.tx.gas_priority_fee = fee;
        self
    }
    /// Nonce.
    pub fn nonce(mut self, nonce: u64) -> Self {
        self.tx.nonce = nonce;
        self
    }
    /// Chain id.
    pub fn chain_id(mut self, chain_id: Option<u64>) -> Self {
        self.tx.chain_id = chain_id;
        self
    }
    /// Access list.
    pub fn access_list(mut self, access_list: Vec<AccessListItem>) -> Self {
        self.tx.access_list = access_list;
        self
    }
    /// Blob hashes.
    pub fn blob_hashes(mut self, hashes: Vec<B256>) -> Self {
        self.tx.blob_hashes = hashes;
        self
    }
    /// Max fee per blob gas.
    pub fn max_fee_per_blob_gas(mut self, fee: u128) -> Self {
        self.tx.max_fee_per_blob_gas = fee;
        self
    }
    /// Authorizations.
    pub fn authorization_list(mut self, list: Vec<SignedAuthorization>) -> Self {
        self.tx.authorization_list = list;
        self
    }
    /// Sets the type explicitly.
    pub fn tx_type(mut self, tx_type: u8) -> Self {
        self.tx_type = Some(tx_type);
        self
    }
    /// The transaction.
    pub fn build(mut self) -> TxEnv {
        self.tx.tx_type = self.tx_type.unwrap_or_else(|| self.tx.derive_tx_type());
        self.tx
    }
}

impl Transaction for TxEnv {
    fn tx_type(&self) -> u8 {
        self.tx_type
    }
    fn caller(&self) -> Address {
        self.caller
    }
    fn gas_limit(&self) -> u64 {
        self.gas_limit
    }
    fn value(&self) -> U256 {
        self.value
    }
    fn input(&self) -> &Bytes {
        &self.data
    }
    fn nonce(&self) -> u64 {
        self.nonce
    }
    fn kind(&self) -> TxKind {
        self.kind
    }
    fn chain_id(&self) -> Option<u64> {
        self.chain_id
    }
    fn gas_price(&self) -> u128 {
        self.gas_price
    }
    fn max_priority_fee_per_gas(&self) -> Option<u128> {
        match self.tx_type {
            0 | 1 => None,
            _ => Some(self.gas_priority_fee.unwrap_or_default()),
        }
    }
    // A transaction has only the fields of its type: a list set on a `TxEnv` of a type
    // without it (by hand, not by the builder, which derives the type) is not part of it.
    fn access_list(&self) -> &[AccessListItem] {
        if self.tx_type == TransactionType::Legacy as u8 { &[] } else { &self.access_list }
    }
    fn blob_versioned_hashes(&self) -> &[B256] {
        if self.tx_type == TransactionType::Eip4844 as u8 { &self.blob_hashes } else { &[] }
    }
    fn max_fee_per_blob_gas(&self) -> u128 {
        self.max_fee_per_blob_gas
    }
    fn authorization_list(&self) -> &[SignedAuthorization] {
        if self.tx_type == TransactionType::Eip7702 as u8 { &self.authorization_list } else { &[] }
    }
}
