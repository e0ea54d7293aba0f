//! In-memory databases.
//!
//! ```
//! use lamina_database::InMemoryDB;
//! use lamina_database_interface::Database;
//! use lamina_primitives::{Address, U256};
//! use lamina_state::AccountInfo;
//!
//! let mut db = InMemoryDB::default();
//! let alice = Address::repeat_byte(0xa1);
//! db.insert_account_info(alice, AccountInfo::from_balance(U256::from(100)));
//! db.insert_account_storage(alice, U256::from(1), U256::from(7));
//! assert_eq!(db.basic(alice).unwrap().unwrap().balance, U256::from(100));
//! assert_eq!(db.storage(alice, U256::from(1)).unwrap(), U256::from(7));
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use lamina_bytecode::Bytecode;
use lamina_database_interface::{Database, DatabaseCommit, DatabaseRef, EmptyDB};
use lamina_primitives::{Address, B256, HashMap, U256, hash_map::Entry};
use lamina_state::{Account, AccountInfo};

/// A [`CacheDB`] over nothing.
pub type InMemoryDB = CacheDB<EmptyDB>;

/// What the cache knows of an account's existence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccountState {
    /// Known not to exist.
    NotExisting,
    /// Its storage was wiped (created or destroyed here): slots not in the cache are zero.
    StorageCleared,
    /// Present; slots not in the cache come from the underlying database.
    #[default]
    Present,
}

/// A cached account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbAccount {
    /// Balance, nonce and code (or its hash, for code in `contracts` or below).
    pub info: AccountInfo,
    /// Existence and storage status.
    pub state: AccountState,
    /// Cached slots.
    pub storage: HashMap<U256, U256>,
}

impl DbAccount {
    fn info(&self) -> Option<AccountInfo> {
        (self.state != AccountState::NotExisting).then(|| self.info.clone())
    }
}

/// A cache over a [`DatabaseRef`] that also takes commits.
#[derive(Clone, Debug, Default)]
pub struct CacheDB<D> {
    /// Cached accounts.
    pub accounts: HashMap<Address, DbAccount>,
    /// Code by hash.
    pub contracts: HashMap<B256, Bytecode>,
    /// Block hashes by number.
    pub block_hashes: HashMap<u64, B256>,
    /// The database below.
    pub db: D,
}

impl<D> CacheDB<D> {
    /// A cache over `db`.
    pub fn new(db: D) -> Self {
        Self {
            accounts: HashMap::default(),
            contracts: HashMap::default(),
            block_hashes: HashMap::default(),
            db,
        }
    }

    /// Indexes the code of `info` in `contracts` by its hash, hashing it now. Accounts keep
    /// their code without this ([`Self::code_by_hash`] finds it there too); it is for code
    /// that many look-ups by hash will ask for.
    pub fn insert_contract(&mut self, info: &AccountInfo) {
        if let Some(code) = info.code().filter(|code| !code.is_empty()) {
            self.contracts.entry(code.hash()).or_insert_with(|| code.clone());
        }
    }

    /// Inserts or replaces an account's info (its storage is kept). The code stays with
    /// the account, unhashed until someone asks for its hash.
    pub fn insert_account_info(&mut self, address: Address, info: AccountInfo) {
        let account = self.accounts.entry(address).or_default();
        account.info = info;
        if account.state == AccountState::NotExisting {
            account.state = AccountState::StorageCleared;
        }
    }

    /// The code with hash `code_hash` that an account of the cache holds. Only a miss in
    /// `contracts` gets here: code whose account came without it, from the database below,
    /// is found there and then kept in `contracts`.
    fn account_code(&self, code_hash: B256) -> Option<&Bytecode> {
        self.accounts
            .values()
            .filter_map(|account| account.info.code())
            .find(|code| !code.is_empty() && code.hash() == code_hash)
    }

    /// Sets a block hash.
    pub fn insert_block_hash(&mut self, number: u64, hash: B256) {
        self.block_hashes.insert(number, hash);
    }
}

impl<D: DatabaseRef> CacheDB<D> {
    /// Loads an account into the cache.
    fn load_account(&mut self, address: Address) -> Result<&mut DbAccount, D::Error> {
        match self.accounts.entry(address) {
            Entry::Occupied(entry) => Ok(entry.into_mut()),
            Entry::Vacant(entry) => {
                let account = match self.db.basic_ref(address)? {
                    Some(info) => DbAccount { info, ..Default::default() },
                    None => DbAccount { state: AccountState::NotExisting, ..Default::default() },
                };
                Ok(entry.insert(account))
            }
        }
    }

    /// Sets a storage slot (loading the account first).
    pub fn insert_account_storage(
        &mut self,
        address: Address,
        slot: U256,
        value: U256,
    ) -> Result<(), D::Error> {
        let account = self.load_account(address)?;
        if account.state == AccountState::NotExisting {
            account.state = AccountState::StorageCleared;
        }
        account.storage.insert(slot, value);
        Ok(())
    }

    /// Replaces all storage of an account.
    pub fn replace_account_storage(
        &mut self,
        address: Address,
        storage: HashMap<U256, U256>,
    ) -> Result<(), D::Error> {
        let account = self.load_account(address)?;
        account.state = AccountState::StorageCleared;
        account.storage = storage;
        Ok(())
    }
}

impl<D> DatabaseCommit for CacheDB<D> {
    fn commit(&mut self, mut changes: HashMap<Address, Account>) {
        self.commit_drain(&mut changes);
    }

    fn commit_drain(&mut self, changes: &mut HashMap<Address, Account>) {
        for (address, account) in changes.drain() {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() {
                let entry = self.accounts.entry(address).or_default();
                entry.storage.clear();
                entry.state = AccountState::NotExisting;
                entry.info = AccountInfo::default();
                continue;
            }
            let entry = self.accounts.entry(address).or_default();
            entry.info = account.info;
            if account.status.contains(lamina_state::AccountStatus::CREATED) {
                entry.storage.clear();
                entry.state = AccountState::StorageCleared;
            } else if entry.state == AccountState::NotExisting {
                entry.state = AccountState::StorageCleared;
            }
            entry
                .storage
                .extend(account.storage.into_iter().map(|(key, slot)| (key, slot.present_value)));
        }
    }
}

impl<D: DatabaseRef> Database for CacheDB<D> {
    type Error = D::Error;

    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        Ok(self.load_account(address)?.info())
    }

    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        if let Some(code) = self.contracts.get(&code_hash) {
            return Ok(code.clone());
        }
        let code = match self.account_code(code_hash) {
            Some(code) => code.clone(),
            None => self.db.code_by_hash_ref(code_hash)?,
        };
        self.contracts.insert(code_hash, code.clone());
        Ok(code)
    }

    fn storage(&mut self, address: Address, index: U256) -> Result<U256, Self::Error> {
        let account = match self.accounts.entry(address) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let account = match self.db.basic_ref(address)? {
                    Some(info) => DbAccount { info, ..Default::default() },
                    None => DbAccount { state: AccountState::NotExisting, ..Default::default() },
                };
                entry.insert(account)
            }
        };
        if let Some(value) = account.storage.get(&index) {
            return Ok(*value);
        }
        if account.state != AccountState::Present {
            return Ok(U256::ZERO);
        }
        let value = self.db.storage_ref(address, index)?;
        account.storage.insert(index, value);
        Ok(value)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, Self::Error> {
        match self.block_hashes.entry(number) {
            Entry::Occupied(entry) => Ok(*entry.get()),
            Entry::Vacant(entry) => Ok(*entry.insert(self.db.block_hash_ref(number)?)),
        }
    }

    fn has_storage(&mut self, address: Address) -> Result<bool, Self::Error> {
        self.has_storage_ref(address)
    }
}

impl<D: DatabaseRef> DatabaseRef for CacheDB<D> {
    type Error = D::Error;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        match self.accounts.get(&address) {
            Some(account) => Ok(account.info()),
            None => self.db.basic_ref(address),
        }
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        match self.contracts.get(&code_hash).or_else(|| self.account_code(code_hash)) {
            Some(code) => Ok(code.clone()),
            None => self.db.code_by_hash_ref(code_hash),
        }
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Self::Error> {
        match self.accounts.get(&address) {
            Some(account) => match account.storage.get(&index) {
                Some(value) => Ok(*value),
                None if account.state != AccountState::Present => Ok(U256::ZERO),
                None => self.db.storage_ref(address, index),
            },
            None => self.db.storage_ref(address, index),
        }
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        match self.block_hashes.get(&number) {
            Some(hash) => Ok(*hash),
            None => self.db.block_hash_ref(number),
        }
    }

    fn has_storage_ref(&self, address: Address) -> Result<bool, Self::Error> {
        match self.accounts.get(&address) {
            Some(account) if account.storage.values().any(|value| !value.is_zero()) => Ok(true),
            Some(account) if account.state != AccountState::Present => Ok(false),
            _ => self.db.has_storage_ref(address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::Bytes;
    use lamina_state::StorageSlot;

    /// A database holding `b` (balance 5, slot 1 = 1), and changes that write `a` (balance 9,
    /// slot 3 = 4) and destroy `b`.
    fn db_and_changes() -> (InMemoryDB, HashMap<Address, Account>, Address, Address) {
        let mut db = InMemoryDB::default();
        let a = Address::repeat_byte(1);
        let b = Address::repeat_byte(2);
        db.insert_account_info(b, AccountInfo::from_balance(U256::from(5)));
        db.insert_account_storage(b, U256::from(1), U256::from(1)).unwrap();

        let mut changes = HashMap::default();
        let mut account_a = Account::from(AccountInfo::from_balance(U256::from(9)));
        account_a
            .storage
            .insert(U256::from(3), StorageSlot::new_changed(U256::ZERO, U256::from(4)));
        account_a.mark_touch();
        changes.insert(a, account_a);
        let mut account_b = Account::from(AccountInfo::default());
        account_b.mark_touch();
        account_b.mark_selfdestruct();
        changes.insert(b, account_b);
        (db, changes, a, b)
    }

    fn assert_committed(db: &mut InMemoryDB, a: Address, b: Address) {
        assert_eq!(db.basic(a).unwrap().unwrap().balance, U256::from(9));
        assert_eq!(db.storage(a, U256::from(3)).unwrap(), U256::from(4));
        assert_eq!(db.basic(b).unwrap(), None);
        assert_eq!(db.storage(b, U256::from(1)).unwrap(), U256::ZERO);
    }

    #[test]
    fn commit_writes_touched_and_removes_destroyed() {
        let (mut db, changes, a, b) = db_and_changes();
        db.commit(changes);
        assert_committed(&mut db, a, b);
    }

    #[test]
    fn commit_drain_commits_the_same_and_keeps_the_emptied_map_room() {
        let (mut db, mut changes, a, b) = db_and_changes();
        let capacity = changes.capacity();
        db.commit_drain(&mut changes);
        assert_committed(&mut db, a, b);
        assert!(changes.is_empty());
        assert_eq!(changes.capacity(), capacity);
    }

    #[test]
    fn code_is_kept_by_hash() {
        // keccak256(0x00), the hash of code that is a single STOP.
        let stop: B256 =
            "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a".parse().unwrap();
        let code = Bytecode::new_raw(Bytes::from_static(&[0x00]));
        let mut db = InMemoryDB::default();
        db.insert_account_info(Address::ZERO, AccountInfo::default().with_code(code.clone()));
        assert!(db.contracts.is_empty());
        assert_eq!(db.code_by_hash_ref(stop).unwrap(), code);
        assert_eq!(db.code_by_hash(stop).unwrap(), code);
        assert_eq!(db.basic(Address::ZERO).unwrap().unwrap().code_hash(), stop);
        // A hash no account has: the empty database below answers with no code.
        assert!(db.code_by_hash_ref(B256::repeat_byte(7)).unwrap().is_empty());
        // Indexing by hash up front, for code that many look-ups will ask for.
        let mut indexed = InMemoryDB::default();
        indexed.insert_contract(&AccountInfo::default().with_code(code.clone()));
        assert_eq!(indexed.contracts.get(&stop), Some(&code));
    }
}
