//! The transaction being executed.

use alloc::vec::Vec;
use lamina_primitives::{Address, B256, Bytes, U256};

/// Call or create.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TxKind {
    /// Contract creation.
    #[default]
    Create,
    /// Message call to an address.
    Call(Address),
}

impl TxKind {
    /// The callee, for a call.
    pub fn to(&self) -> Option<Address> {
        match self {
            Self::Call(to) => Some(*to),
            Self::Create => None,
        }
    }
}

/// The transaction types Ethereum knows.
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TransactionType {
    /// Type 0: legacy (with or without EIP-155).
    #[default]
    Legacy = 0,
    /// Type 1: EIP-2930 access list.
    Eip2930 = 1,
    /// Type 2: EIP-1559 fee market.
    Eip1559 = 2,
    /// Type 3: EIP-4844 blobs.
    Eip4844 = 3,
    /// Type 4: EIP-7702 authorizations.
    Eip7702 = 4,
}

/// One entry of an EIP-2930 access list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccessListItem {
    /// The account.
    pub address: Address,
    /// Its slots.
    pub storage_keys: Vec<B256>,
}

/// An EIP-7702 authorization: let `address`'s code run for the signer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Authorization {
    /// Chain id (0 = any chain).
    pub chain_id: U256,
    /// The delegate.
    pub address: Address,
    /// The signer's nonce.
    pub nonce: u64,
}

/// A signed EIP-7702 authorization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SignedAuthorization {
    /// What was signed.
    pub inner: Authorization,
    /// Signature y parity (0 or 1 to be valid).
    pub y_parity: U256,
    /// Signature r.
    pub r: U256,
    /// Signature s.
    pub s: U256,
}

/// Transaction fields the EVM reads.
#[auto_impl::auto_impl(&, &mut, Box)]
pub trait Transaction {
    /// The type byte (see [`TransactionType`]; a chain may add its own).
    fn tx_type(&self) -> u8;
    /// The sender.
    fn caller(&self) -> Address;
    /// Gas limit.
    fn gas_limit(&self) -> u64;
    /// Value.
    fn value(&self) -> U256;
    /// Call data or init code.
    fn input(&self) -> &Bytes;
    /// Nonce.
    fn nonce(&self) -> u64;
    /// Call or create.
    fn kind(&self) -> TxKind;
    /// Chain id (`None` for a pre-EIP-155 legacy transaction).
    fn chain_id(&self) -> Option<u64>;
    /// Legacy gas price, or the max fee per gas of a fee-market transaction.
    fn gas_price(&self) -> u128;
    /// Max priority fee per gas (types 2, 3, 4).
    fn max_priority_fee_per_gas(&self) -> Option<u128>;
    /// EIP-2930 access list.
    fn access_list(&self) -> &[AccessListItem];
    /// EIP-4844 versioned hashes.
    fn blob_versioned_hashes(&self) -> &[B256];
    /// EIP-4844 max fee per blob gas.
    fn max_fee_per_blob_gas(&self) -> u128;
    /// EIP-7702 authorizations.
    fn authorization_list(&self) -> &[SignedAuthorization];

    /// Max fee per gas (the gas price for legacy and EIP-2930).
    fn max_fee_per_gas(&self) -> u128 {
        self.gas_price()
    }

    /// The price paid per gas with `base_fee`: legacy pays its gas price, fee-market
    /// transactions `min(max_fee, base_fee + priority_fee)`.
    fn effective_gas_price(&self, base_fee: u128) -> u128 {
        match self.max_priority_fee_per_gas() {
            None => self.gas_price(),
            Some(priority) => self.gas_price().min(base_fee.saturating_add(priority)),
        }
    }

    /// Blob gas used (EIP-4844): only a blob transaction (type 3) has any, whatever hashes
    /// another type carries.
    fn total_blob_gas(&self) -> u64 {
        if self.tx_type() != TransactionType::Eip4844 as u8 {
            return 0;
        }
        lamina_primitives::eip4844::GAS_PER_BLOB
            .saturating_mul(self.blob_versioned_hashes().len() as u64)
    }
}
