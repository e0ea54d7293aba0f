//! A test's pre-state, built once and shared read-only by all its cases.
//!
//! Each case runs over its own [`CaseDb`], a cache over the shared [`PreState`] that holds only
//! the accounts the transaction loaded or changed, so no case copies the pre-state. The
//! pre-state keeps, for every account, the trie key of its address and its storage root (and
//! the trie key of each slot): a case's state root then hashes again only what its transaction
//! changed.

use std::{collections::BTreeMap, convert::Infallible};

use lamina_bytecode::Bytecode;
use lamina_database::{AccountState, CacheDB, DbAccount};
use lamina_database_interface::{DatabaseRef, EmptyDB};
use lamina_primitives::{Address, B256, HashMap, U256};
use lamina_state::AccountInfo;
use lamina_statetest_types::{
    AccountLeaf, TestAccount, address_key, slot_key, state_root_hashed, storage_root_hashed,
};

use super::diff::{PostAccount, PostState};

/// The database a case runs over: its own cache over the shared pre-state.
pub type CaseDb<'a> = CacheDB<&'a PreState>;

/// A slot of the pre-state.
#[derive(Clone, Copy, Debug)]
struct PreSlot {
    value: U256,
    /// Its key in the storage trie.
    key: B256,
}

/// An account of the pre-state.
#[derive(Clone, Debug)]
struct PreAccount {
    info: AccountInfo,
    /// Its key in the state trie.
    key: B256,
    storage: HashMap<U256, PreSlot>,
    /// Root of `storage`.
    storage_root: B256,
    /// Whether a slot is non-zero (EIP-7610's collision test).
    has_storage: bool,
}

impl PreAccount {
    fn leaf(&self, info: &AccountInfo, storage_root: B256) -> AccountLeaf {
        AccountLeaf {
            nonce: info.nonce,
            balance: info.balance,
            storage_root,
            code_hash: info.code_hash(),
        }
    }

    /// The value of `slot` before the transaction.
    fn value(&self, slot: &U256) -> U256 {
        self.storage.get(slot).map_or(U256::ZERO, |slot| slot.value)
    }
}

/// The accounts of a test's `pre`, with their trie keys and storage roots.
#[derive(Clone, Debug, Default)]
pub struct PreState {
    accounts: HashMap<Address, PreAccount>,
    /// Code by hash (non-empty code only).
    contracts: HashMap<B256, Bytecode>,
}

impl PreState {
    /// Loads `pre`.
    pub fn new(pre: &BTreeMap<Address, TestAccount>) -> Self {
        let mut state = Self::default();
        for (address, account) in pre {
            let code = Bytecode::new_raw(account.code.clone());
            let code_hash = code.hash();
            if !code.is_empty() {
                state.contracts.entry(code_hash).or_insert_with(|| code.clone());
            }
            let storage: HashMap<U256, PreSlot> = account
                .storage
                .iter()
                .map(|(slot, value)| (*slot, PreSlot { value: *value, key: slot_key(*slot) }))
                .collect();
            let storage_root =
                storage_root_hashed(storage.values().map(|slot| (slot.key, slot.value)));
            let has_storage = storage.values().any(|slot| !slot.value.is_zero());
            let info = AccountInfo::new(account.balance, account.nonce, code);
            let account =
                PreAccount { info, key: address_key(address), storage, storage_root, has_storage };
            state.accounts.insert(*address, account);
        }
        state
    }

    /// A fresh database for one case.
    pub fn db(&self) -> CaseDb<'_> {
        CacheDB::new(self)
    }

    /// Root of the state after a case: the accounts of `db`'s cache that exist, and the
    /// pre-state's accounts it does not hold.
    pub fn state_root(&self, db: &CaseDb<'_>) -> B256 {
        let untouched =
            self.accounts.iter().filter(|(address, _)| !db.accounts.contains_key(*address)).map(
                |(_, account)| (account.key, account.leaf(&account.info, account.storage_root)),
            );
        let touched = db.accounts.iter().filter_map(|(address, cached)| {
            if cached.state == AccountState::NotExisting {
                return None;
            }
            let pre = self.accounts.get(address);
            let key = pre.map_or_else(|| address_key(address), |pre| pre.key);
            let info = &cached.info;
            let storage_root = self.storage_root(pre, cached);
            let leaf = AccountLeaf {
                nonce: info.nonce,
                balance: info.balance,
                storage_root,
                code_hash: info.code_hash(),
            };
            Some((key, leaf))
        });
        state_root_hashed(untouched.chain(touched))
    }

    /// Root of the storage of an existing account of the cache.
    fn storage_root(&self, pre: Option<&PreAccount>, cached: &DbAccount) -> B256 {
        // Created or re-created here: its slots are the cached ones alone.
        let pre = pre.filter(|_| cached.state == AccountState::Present);
        let Some(pre) = pre else {
            return storage_root_hashed(
                cached.storage.iter().map(|(slot, value)| (slot_key(*slot), *value)),
            );
        };
        // Mostly the cache holds slots read, not changed: the pre-state's root stands.
        if cached.storage.iter().all(|(slot, value)| pre.value(slot) == *value) {
            return pre.storage_root;
        }
        let kept = pre
            .storage
            .iter()
            .filter(|(slot, _)| !cached.storage.contains_key(*slot))
            .map(|(_, slot)| (slot.key, slot.value));
        let cached = cached.storage.iter().map(|(slot, value)| {
            let key = pre.storage.get(slot).map_or_else(|| slot_key(*slot), |slot| slot.key);
            (key, *value)
        });
        storage_root_hashed(kept.chain(cached))
    }

    /// The state after a case, account by account, for reports.
    pub fn post_state(&self, db: &CaseDb<'_>) -> PostState {
        let code_len = |info: &AccountInfo| match info.code() {
            Some(code) => Some(code.original_bytes().len()),
            None => db
                .contracts
                .get(&info.code_hash())
                .or_else(|| self.contracts.get(&info.code_hash()))
                .map(|code| code.original_bytes().len()),
        };
        let non_zero = |(slot, value): (&U256, U256)| (!value.is_zero()).then_some((*slot, value));
        let account = |info: &AccountInfo, storage| PostAccount {
            nonce: info.nonce,
            balance: info.balance,
            code_hash: info.code_hash(),
            code_len: code_len(info),
            storage,
        };
        let mut accounts = BTreeMap::new();
        for (address, pre) in &self.accounts {
            if db.accounts.contains_key(address) {
                continue;
            }
            let storage =
                pre.storage.iter().filter_map(|(slot, pre)| non_zero((slot, pre.value))).collect();
            accounts.insert(*address, account(&pre.info, storage));
        }
        for (address, cached) in &db.accounts {
            if cached.state == AccountState::NotExisting {
                continue;
            }
            let mut storage: BTreeMap<U256, U256> = BTreeMap::new();
            if let Some(pre) =
                self.accounts.get(address).filter(|_| cached.state == AccountState::Present)
            {
                storage.extend(pre.storage.iter().map(|(slot, pre)| (*slot, pre.value)));
            }
            storage.extend(cached.storage.iter().map(|(slot, value)| (*slot, *value)));
            storage.retain(|_, value| !value.is_zero());
            accounts.insert(*address, account(&cached.info, storage));
        }
        PostState(accounts)
    }
}

impl DatabaseRef for PreState {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        Ok(self.accounts.get(&address).map(|account| account.info.clone()))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        match self.contracts.get(&code_hash) {
            Some(code) => Ok(code.clone()),
            None => EmptyDB.code_by_hash_ref(code_hash),
        }
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Self::Error> {
        Ok(self.accounts.get(&address).map_or(U256::ZERO, |account| account.value(&index)))
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        EmptyDB.block_hash_ref(number)
    }

    fn has_storage_ref(&self, address: Address) -> Result<bool, Self::Error> {
        Ok(self.accounts.get(&address).is_some_and(|account| account.has_storage))
    }
}

#[cfg(test)]
mod tests {
    use lamina_database::InMemoryDB;
    use lamina_database_interface::{Database, DatabaseCommit};
    use lamina_primitives::{Bytes, hex};
    use lamina_state::{Account, StorageSlot};
    use lamina_statetest_types::state_root;

    use super::*;

    const A: Address = Address::repeat_byte(0xa);
    const B: Address = Address::repeat_byte(0xb);
    const C: Address = Address::repeat_byte(0xc);
    const NEW: Address = Address::repeat_byte(0xe);

    fn slots(pairs: &[(u64, u64)]) -> BTreeMap<U256, U256> {
        pairs.iter().map(|&(slot, value)| (U256::from(slot), U256::from(value))).collect()
    }

    /// A with code and storage (a zero slot among them), B with storage, C empty.
    fn pre() -> BTreeMap<Address, TestAccount> {
        let account = |balance: u64, code: &[u8], storage| TestAccount {
            balance: U256::from(balance),
            nonce: 1,
            code: Bytes::copy_from_slice(code),
            storage,
        };
        BTreeMap::from([
            (A, account(10, &hex!("600160005500"), slots(&[(1, 1), (2, 2), (3, 0)]))),
            (B, account(20, &[], slots(&[(7, 7)]))),
            (C, account(0, &[], slots(&[]))),
        ])
    }

    /// The pre-state as a plain in-memory database holding every account, the way the runner
    /// built each case's state before the shared pre-state: the reference.
    fn reference(pre: &BTreeMap<Address, TestAccount>) -> InMemoryDB {
        let mut db = InMemoryDB::default();
        for (address, account) in pre {
            let code = Bytecode::new_raw(account.code.clone());
            let info = AccountInfo::new(account.balance, account.nonce, code);
            db.insert_account_info(*address, info);
            for (slot, value) in &account.storage {
                let Ok(()) = db.insert_account_storage(*address, *slot, *value);
            }
        }
        db
    }

    fn account(
        db: &mut dyn Database<Error = Infallible>,
        address: Address,
        edit: impl FnOnce(&mut Account),
    ) -> Account {
        let Ok(info) = db.basic(address);
        let mut account = Account::from(info.unwrap_or_default());
        account.mark_touch();
        edit(&mut account);
        account
    }

    fn set(account: &mut Account, slot: u64, original: u64, present: u64) {
        let slot_value = StorageSlot::new_changed(U256::from(original), U256::from(present));
        account.storage.insert(U256::from(slot), slot_value);
    }

    /// Runs `changes` (loading the accounts first, as the EVM does) over both the shared
    /// pre-state and the reference, and checks that the roots and post-states agree; returns
    /// the root.
    fn check(
        changes: impl Fn(&mut dyn Database<Error = Infallible>) -> Vec<(Address, Account)>,
    ) -> B256 {
        let fixture = pre();
        let shared = PreState::new(&fixture);
        let mut db = shared.db();
        let mut plain = reference(&fixture);
        let changed = changes(&mut db);
        db.commit(changed.into_iter().collect());
        let changed = changes(&mut plain);
        plain.commit(changed.into_iter().collect());
        let expected = PostState::from_db(&plain);
        assert_eq!(shared.post_state(&db), expected);
        let root = shared.state_root(&db);
        assert_eq!(root, state_root(expected.trie_accounts()));
        root
    }

    #[test]
    fn untouched_state_has_the_pre_states_root() {
        let fixture = pre();
        let shared = PreState::new(&fixture);
        let plain = reference(&fixture);
        let root = shared.state_root(&shared.db());
        assert_eq!(
            root,
            state_root(fixture.iter().map(|(address, account)| (*address, account.into())))
        );
        assert_eq!(root, state_root(PostState::from_db(&plain).trie_accounts()));
        // Only read: still the same root.
        let mut db = shared.db();
        let Ok(_) = db.basic(A);
        let Ok(one) = db.storage(A, U256::from(1));
        let Ok(missing) = db.storage(A, U256::from(9));
        assert_eq!((one, missing), (U256::from(1), U256::ZERO));
        assert_eq!(check(|_| vec![]), root);
        assert_eq!(shared.state_root(&db), root);
    }

    #[test]
    fn changes_agree_with_a_full_copy() {
        let untouched = check(|_| vec![]);
        // A balance, a slot changed, one cleared, one added, one written with its own value.
        let changed = check(|db| {
            vec![
                (
                    A,
                    account(db, A, |a| {
                        a.info.balance = U256::from(11);
                        set(a, 1, 1, 5);
                        set(a, 2, 2, 0);
                        set(a, 4, 0, 4);
                    }),
                ),
                (B, account(db, B, |b| set(b, 7, 7, 7))),
            ]
        });
        assert_ne!(changed, untouched);
        // A new account with storage; C, empty, removed (EIP-161); B destroyed.
        check(|db| {
            vec![
                (
                    NEW,
                    account(db, NEW, |new| {
                        new.info.nonce = 1;
                        new.mark_created();
                        set(new, 1, 0, 3);
                    }),
                ),
                (C, account(db, C, Account::mark_selfdestruct)),
                (B, account(db, B, Account::mark_selfdestruct)),
            ]
        });
        // A created again over its old self (its old storage gone).
        check(|db| {
            vec![(
                A,
                account(db, A, |a| {
                    a.mark_created();
                    a.info.set_code(Bytecode::new());
                    set(a, 9, 0, 9);
                }),
            )]
        });
    }

    #[test]
    fn reads_come_from_the_pre_state() {
        let shared = PreState::new(&pre());
        let Ok(Some(a)) = shared.basic_ref(A) else { panic!("A is in the pre-state") };
        assert_eq!((a.balance, a.nonce), (U256::from(10), 1));
        let Ok(code) = shared.code_by_hash_ref(a.code_hash());
        assert_eq!(code.original_bytes(), hex!("600160005500"));
        assert_eq!(shared.basic_ref(NEW), Ok(None));
        assert_eq!(shared.storage_ref(B, U256::from(7)), Ok(U256::from(7)));
        assert_eq!(shared.storage_ref(B, U256::from(8)), Ok(U256::ZERO));
        // EIP-7610: a zero slot is no storage.
        assert_eq!(shared.has_storage_ref(A), Ok(true));
        assert_eq!(shared.has_storage_ref(C), Ok(false));
        assert_eq!(shared.has_storage_ref(NEW), Ok(false));
        assert_eq!(shared.block_hash_ref(1), EmptyDB.block_hash_ref(1));
    }
}
