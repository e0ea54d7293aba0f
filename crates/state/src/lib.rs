//! Accounts and storage as the EVM sees and changes them.
//!
//! ```
//! use lamina_state::{Account, AccountInfo};
//! use lamina_primitives::U256;
//!
//! let mut account = Account::from(AccountInfo::from_balance(U256::from(10)));
//! assert!(!account.info.is_empty());
//! account.mark_touch();
//! assert!(account.is_touched());
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use lamina_bytecode::Bytecode;
use lamina_primitives::{Address, B256, HashMap, KECCAK_EMPTY, U256};

/// Balance, nonce and code of an account.
///
/// The code hash is asked of the code when the code is here, so it is computed only when
/// someone needs it (EXTCODEHASH, a state root, a database keyed by hash): an account
/// built with [`Self::with_code`] and called once never hashes its code. Without the code
/// (a database that loads code by hash), the account holds the hash it was given.
///
/// ```
/// use lamina_bytecode::Bytecode;
/// use lamina_primitives::{KECCAK_EMPTY, U256, b256, bytes};
/// use lamina_state::AccountInfo;
///
/// let info = AccountInfo::from_balance(U256::from(1)).with_code(Bytecode::new_raw(bytes!("00")));
/// // keccak256(0x00), computed here, on the first request.
/// let stop = b256!("bc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a");
/// assert_eq!(info.code_hash(), stop);
/// assert!(!info.has_no_code());
///
/// let unloaded = AccountInfo::default().with_code_hash(stop);
/// assert_eq!((unloaded.code(), unloaded.code_hash()), (None, stop));
/// assert_eq!(AccountInfo::default().code_hash(), KECCAK_EMPTY);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    code: Code,
}

/// An account's code as far as it is known: the code itself (which carries its own hash), or
/// only its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Code {
    Loaded(Bytecode),
    ByHash(B256),
}

impl Default for AccountInfo {
    fn default() -> Self {
        Self { balance: U256::ZERO, nonce: 0, code: Code::Loaded(Bytecode::new()) }
    }
}

impl AccountInfo {
    /// An account with all fields given.
    pub fn new(balance: U256, nonce: u64, code: Bytecode) -> Self {
        Self { balance, nonce, code: Code::Loaded(code) }
    }

    /// An account with only a balance.
    pub fn from_balance(balance: U256) -> Self {
        Self { balance, ..Default::default() }
    }

    /// With `code` (hashed only when its hash is asked for).
    pub fn with_code(mut self, code: Bytecode) -> Self {
        self.set_code(code);
        self
    }

    /// With code not loaded, known by its hash: a database that serves code by hash
    /// gives accounts this way, and the code is loaded when it runs.
    pub fn with_code_hash(mut self, code_hash: B256) -> Self {
        self.code = Code::ByHash(code_hash);
        self
    }

    /// With a nonce.
    pub fn with_nonce(mut self, nonce: u64) -> Self {
        self.nonce = nonce;
        self
    }

    /// The code, when loaded.
    #[inline]
    pub fn code(&self) -> Option<&Bytecode> {
        match &self.code {
            Code::Loaded(code) => Some(code),
            Code::ByHash(_) => None,
        }
    }

    /// Replaces the code (its hash follows it).
    #[inline]
    pub fn set_code(&mut self, code: Bytecode) {
        self.code = Code::Loaded(code);
    }

    /// keccak256 of the code ([`KECCAK_EMPTY`] for none): the code's own hash when it is
    /// loaded (computed on the first request, then kept by the code), else the hash given.
    #[inline]
    pub fn code_hash(&self) -> B256 {
        match &self.code {
            Code::Loaded(code) => code.hash(),
            Code::ByHash(hash) => *hash,
        }
    }

    /// EIP-161 emptiness: no code, zero nonce, zero balance.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.balance.is_zero() && self.nonce == 0 && self.has_no_code()
    }

    /// Whether there is no code. A database may mark that with a zero hash, as well as
    /// with [`KECCAK_EMPTY`].
    #[inline]
    pub fn has_no_code(&self) -> bool {
        match &self.code {
            Code::Loaded(code) => code.is_empty(),
            Code::ByHash(hash) => *hash == KECCAK_EMPTY || *hash == B256::ZERO,
        }
    }
}

/// A storage slot as the transaction sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorageSlot {
    /// Value at the start of the transaction.
    pub original_value: U256,
    /// Current value.
    pub present_value: U256,
    /// Not yet accessed in this transaction (EIP-2929).
    pub is_cold: bool,
}

impl StorageSlot {
    /// A slot loaded with `value`, unchanged.
    pub fn new(value: U256) -> Self {
        Self { original_value: value, present_value: value, is_cold: false }
    }

    /// A slot whose value changed from `original` to `present`.
    pub fn new_changed(original_value: U256, present_value: U256) -> Self {
        Self { original_value, present_value, is_cold: false }
    }

    /// Whether the value differs from the original.
    #[inline]
    pub fn is_changed(&self) -> bool {
        self.original_value != self.present_value
    }
}

/// Storage slots of one account.
pub type EvmStorage = HashMap<U256, StorageSlot>;

/// Account status flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccountStatus(u8);

impl AccountStatus {
    /// Changed (or touched) in this transaction; committed at its end.
    pub const TOUCHED: Self = Self(1);
    /// Created in this transaction (storage starts empty).
    pub const CREATED: Self = Self(1 << 1);
    /// Self-destructed, or to be deleted as an empty touched account (EIP-161).
    pub const SELF_DESTRUCTED: Self = Self(1 << 2);
    /// The database did not have it.
    pub const LOADED_AS_NOT_EXISTING: Self = Self(1 << 3);
    /// Not yet accessed in this transaction (EIP-2929).
    pub const COLD: Self = Self(1 << 4);

    /// Whether all flags of `other` are set.
    #[inline]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    /// Sets `other`'s flags.
    #[inline]
    pub fn insert(&mut self, other: Self) {
        self.0 |= other.0;
    }
    /// Clears `other`'s flags.
    #[inline]
    pub fn remove(&mut self, other: Self) {
        self.0 &= !other.0;
    }
}

/// An account as loaded and changed by a transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// Balance, nonce, code.
    pub info: AccountInfo,
    /// Slots accessed or changed.
    pub storage: EvmStorage,
    /// Status flags.
    pub status: AccountStatus,
}

impl From<AccountInfo> for Account {
    fn from(info: AccountInfo) -> Self {
        Self { info, storage: HashMap::default(), status: AccountStatus::default() }
    }
}

impl Account {
    /// An account the database did not have.
    pub fn new_not_existing() -> Self {
        Self {
            info: AccountInfo::default(),
            storage: HashMap::default(),
            status: AccountStatus::LOADED_AS_NOT_EXISTING,
        }
    }

    /// Marks the account touched.
    #[inline]
    pub fn mark_touch(&mut self) {
        self.status.insert(AccountStatus::TOUCHED);
    }
    /// Clears the touched mark (journal revert).
    #[inline]
    pub fn unmark_touch(&mut self) {
        self.status.remove(AccountStatus::TOUCHED);
    }
    /// Whether it was touched.
    #[inline]
    pub fn is_touched(&self) -> bool {
        self.status.contains(AccountStatus::TOUCHED)
    }
    /// Marks it created in this transaction.
    #[inline]
    pub fn mark_created(&mut self) {
        self.status.insert(AccountStatus::CREATED);
    }
    /// Clears the created mark.
    #[inline]
    pub fn unmark_created(&mut self) {
        self.status.remove(AccountStatus::CREATED);
    }
    /// Whether it was created in this transaction.
    #[inline]
    pub fn is_created(&self) -> bool {
        self.status.contains(AccountStatus::CREATED)
    }
    /// Marks it self-destructed (to be removed at commit).
    #[inline]
    pub fn mark_selfdestruct(&mut self) {
        self.status.insert(AccountStatus::SELF_DESTRUCTED);
    }
    /// Clears the self-destructed mark.
    #[inline]
    pub fn unmark_selfdestruct(&mut self) {
        self.status.remove(AccountStatus::SELF_DESTRUCTED);
    }
    /// Whether it self-destructed (or is an empty account to delete).
    #[inline]
    pub fn is_selfdestructed(&self) -> bool {
        self.status.contains(AccountStatus::SELF_DESTRUCTED)
    }
    /// Whether the database did not have it.
    #[inline]
    pub fn is_loaded_as_not_existing(&self) -> bool {
        self.status.contains(AccountStatus::LOADED_AS_NOT_EXISTING)
    }
    /// Whether it exists in state: in the database, or brought into being in this
    /// transaction (before EIP-161 even an empty account exists once touched).
    #[inline]
    pub fn exists(&self) -> bool {
        !self.is_loaded_as_not_existing() || self.is_touched()
    }
    /// EIP-161 emptiness.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.info.is_empty()
    }
    /// Whether it is still cold in this transaction.
    #[inline]
    pub fn is_cold(&self) -> bool {
        self.status.contains(AccountStatus::COLD)
    }
    /// The storage slots whose value changed.
    pub fn changed_storage_slots(&self) -> impl Iterator<Item = (&U256, &StorageSlot)> {
        self.storage.iter().filter(|(_, slot)| slot.is_changed())
    }
}

/// The accounts a transaction loaded or changed.
pub type EvmState = HashMap<Address, Account>;

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::Bytes;

    #[test]
    fn emptiness_follows_eip161() {
        assert!(AccountInfo::default().is_empty());
        assert!(!AccountInfo::default().with_nonce(1).is_empty());
        assert!(!AccountInfo::from_balance(U256::from(1)).is_empty());
        let code = Bytecode::new_raw(Bytes::from_static(&[0x00]));
        assert!(!AccountInfo::default().with_code(code).is_empty());
    }

    #[test]
    fn the_hash_comes_from_the_code_when_loaded_and_is_kept_when_not() {
        // keccak256(0x00), the hash of code that is a single STOP.
        let stop: B256 =
            "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a".parse().unwrap();
        let loaded = AccountInfo::default().with_code(Bytecode::new_raw(Bytes::from_static(&[0])));
        assert_eq!(loaded.code_hash(), stop);
        // Without its code, an account holds the hash it was given; whether it has code is
        // read from that hash (zero and KECCAK_EMPTY both mean none).
        let unloaded = AccountInfo::default().with_code_hash(stop);
        assert_eq!((unloaded.code(), unloaded.code_hash()), (None, stop));
        assert!(!unloaded.has_no_code());
        for none in [KECCAK_EMPTY, B256::ZERO] {
            assert!(AccountInfo::default().with_code_hash(none).has_no_code());
        }
        // Loading the code (as the journal does) makes the code's hash the account's.
        let mut info = unloaded.clone();
        info.set_code(Bytecode::new_raw(Bytes::from_static(&[0])));
        assert_eq!(info, loaded);
        assert_ne!(unloaded.with_code_hash(B256::repeat_byte(1)), loaded);
    }

    #[test]
    fn status_flags() {
        let mut account = Account::new_not_existing();
        assert!(!account.exists());
        account.mark_touch();
        assert!(account.exists());
        account.mark_selfdestruct();
        assert!(account.is_selfdestructed() && account.is_touched());
        account.unmark_touch();
        assert!(!account.is_touched() && account.is_selfdestructed());
    }
}
