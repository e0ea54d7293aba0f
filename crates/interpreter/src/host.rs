//! The `Host`: everything an instruction needs from outside its frame.

use alloc::vec::Vec;
use lamina_primitives::{Address, B256, Bytes, HashMap, KECCAK_EMPTY, Log, U256};

/// A value loaded from state with its EIP-2929 access status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateLoad<T> {
    /// The value.
    pub data: T,
    /// Whether this was the first access in the transaction (cold).
    pub is_cold: bool,
}

impl<T> StateLoad<T> {
    /// A loaded value.
    pub const fn new(data: T, is_cold: bool) -> Self {
        Self { data, is_cold }
    }
}

/// What a CALL needs to know about its target account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountLoad {
    /// The account is in state (before EIP-161 this decides the new-account cost).
    pub exists: bool,
    /// The account is empty by EIP-161: no code, zero nonce, zero balance (or absent).
    pub is_empty: bool,
    /// From Prague, when the account's code is an EIP-7702 delegation: whether the delegate
    /// account was cold. `None` when there is no delegation.
    pub delegate_is_cold: Option<bool>,
}

/// Values an SSTORE needs to be priced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SStoreResult {
    /// The value at the start of the transaction.
    pub original: U256,
    /// The value before this write.
    pub present: U256,
    /// The value written.
    pub new: U256,
}

/// What a SELFDESTRUCT did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SelfDestructResult {
    /// The destroyed account held a balance.
    pub had_value: bool,
    /// The beneficiary was in state.
    pub target_exists: bool,
    /// The beneficiary was empty by EIP-161 (or absent).
    pub target_is_empty: bool,
    /// The account had already self-destructed in this transaction.
    pub previously_destroyed: bool,
}

/// The outside world of a frame: block and transaction fields, and state.
///
/// Methods that read state return `None` when the host cannot answer (a database error);
/// the instruction then halts with
/// [`FatalExternalError`](crate::InstructionResult::FatalExternalError) and the host keeps
/// the error for its caller.
#[auto_impl::auto_impl(&mut, Box)]
pub trait Host {
    // Block.
    /// COINBASE.
    fn beneficiary(&self) -> Address;
    /// TIMESTAMP.
    fn timestamp(&self) -> U256;
    /// NUMBER.
    fn block_number(&self) -> U256;
    /// DIFFICULTY (before the Merge).
    fn difficulty(&self) -> U256;
    /// PREVRANDAO (from the Merge).
    fn prevrandao(&self) -> B256;
    /// GASLIMIT.
    fn block_gas_limit(&self) -> U256;
    /// BASEFEE.
    fn basefee(&self) -> U256;
    /// BLOBBASEFEE.
    fn blob_basefee(&self) -> U256;
    /// CHAINID.
    fn chain_id(&self) -> U256;

    // Transaction.
    /// ORIGIN.
    fn origin(&self) -> Address;
    /// GASPRICE: the effective gas price.
    fn effective_gas_price(&self) -> U256;
    /// BLOBHASH: the transaction's versioned hash at `index`.
    fn blob_hash(&self, index: usize) -> Option<B256>;

    // Configuration.
    /// The largest init code CREATE accepts (EIP-3860).
    fn max_initcode_size(&self) -> usize {
        lamina_primitives::MAX_INITCODE_SIZE
    }

    // State.
    /// BLOCKHASH of `number` (the caller has checked it is one of the 256 before the current).
    fn block_hash(&mut self, number: u64) -> Option<B256>;
    /// BALANCE, with warm/cold status.
    fn balance(&mut self, address: Address) -> Option<StateLoad<U256>>;
    /// The account a CALL targets, with delegation information.
    fn load_account_delegated(&mut self, address: Address) -> Option<StateLoad<AccountLoad>>;
    /// EXTCODESIZE/EXTCODECOPY: the code as stored (a delegation designator, not followed).
    fn code(&mut self, address: Address) -> Option<StateLoad<Bytes>>;
    /// EXTCODEHASH: the code hash, or zero for an empty or absent account.
    fn code_hash(&mut self, address: Address) -> Option<StateLoad<B256>>;
    /// SLOAD.
    fn sload(&mut self, address: Address, key: U256) -> Option<StateLoad<U256>>;
    /// SSTORE.
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>>;
    /// TLOAD.
    fn tload(&mut self, address: Address, key: U256) -> U256;
    /// TSTORE.
    fn tstore(&mut self, address: Address, key: U256, value: U256);
    /// LOG0..LOG4.
    fn log(&mut self, log: Log);
    /// SELFDESTRUCT of `address` in favour of `target`.
    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Option<StateLoad<SelfDestructResult>>;
}

/// A host with no world: empty block and transaction fields, and storage, transient
/// storage and logs kept in memory. Every account access is warm. Useful to run code alone,
/// in tests and in examples.
#[derive(Clone, Debug, Default)]
pub struct DummyHost {
    /// Storage written by SSTORE.
    pub storage: HashMap<(Address, U256), U256>,
    /// Transient storage.
    pub transient_storage: HashMap<(Address, U256), U256>,
    /// Emitted logs.
    pub logs: Vec<Log>,
}

impl Host for DummyHost {
    fn beneficiary(&self) -> Address {
        Address::ZERO
    }
    fn timestamp(&self) -> U256 {
        U256::ZERO
    }
    fn block_number(&self) -> U256 {
        U256::ZERO
    }
    fn difficulty(&self) -> U256 {
        U256::ZERO
    }
    fn prevrandao(&self) -> B256 {
        B256::ZERO
    }
    fn block_gas_limit(&self) -> U256 {
        U256::ZERO
    }
    fn basefee(&self) -> U256 {
        U256::ZERO
    }
    fn blob_basefee(&self) -> U256 {
        U256::ZERO
    }
    fn chain_id(&self) -> U256 {
        U256::from(1)
    }
    fn origin(&self) -> Address {
        Address::ZERO
    }
    fn effective_gas_price(&self) -> U256 {
        U256::ZERO
    }
    fn blob_hash(&self, _index: usize) -> Option<B256> {
        None
    }
    fn block_hash(&mut self, _number: u64) -> Option<B256> {
        Some(B256::ZERO)
    }
    fn balance(&mut self, _address: Address) -> Option<StateLoad<U256>> {
        Some(StateLoad::new(U256::ZERO, false))
    }
    fn load_account_delegated(&mut self, _address: Address) -> Option<StateLoad<AccountLoad>> {
        Some(StateLoad::new(
            AccountLoad { exists: false, is_empty: true, delegate_is_cold: None },
            false,
        ))
    }
    fn code(&mut self, _address: Address) -> Option<StateLoad<Bytes>> {
        Some(StateLoad::new(Bytes::new(), false))
    }
    fn code_hash(&mut self, _address: Address) -> Option<StateLoad<B256>> {
        Some(StateLoad::new(B256::ZERO, false))
    }
    fn sload(&mut self, address: Address, key: U256) -> Option<StateLoad<U256>> {
        Some(StateLoad::new(self.storage.get(&(address, key)).copied().unwrap_or_default(), false))
    }
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>> {
        let present = self.storage.insert((address, key), value).unwrap_or_default();
        Some(StateLoad::new(SStoreResult { original: present, present, new: value }, false))
    }
    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.transient_storage.get(&(address, key)).copied().unwrap_or_default()
    }
    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.transient_storage.insert((address, key), value);
    }
    fn log(&mut self, log: Log) {
        self.logs.push(log);
    }
    fn selfdestruct(
        &mut self,
        _address: Address,
        _target: Address,
    ) -> Option<StateLoad<SelfDestructResult>> {
        Some(StateLoad::new(SelfDestructResult::default(), false))
    }
}

/// The code hash EXTCODEHASH reports for an account with `code_hash` that is `empty`.
#[inline]
pub fn extcodehash_value(code_hash: B256, empty: bool) -> B256 {
    if empty {
        B256::ZERO
    } else if code_hash == B256::ZERO {
        KECCAK_EMPTY
    } else {
        code_hash
    }
}
