use alloc::vec::Vec;
use core::mem;
use lamina_bytecode::Bytecode;
use lamina_context_interface::{JournalCheckpoint, JournalTr, TransferError};
use lamina_database_interface::Database;
use lamina_interpreter::{SStoreResult, SelfDestructResult, StateLoad};
use lamina_primitives::{
    Address, B256, HashMap, HashSet, KECCAK_EMPTY, Log, SpecId, U256,
    alloy_primitives::FixedBytesSliceExt, hash_map::Entry,
};
use lamina_state::{Account, AccountStatus, EvmState, StorageSlot};

/// The RIPEMD-160 precompile's address.
const RIPEMD160: Address = Address::with_last_byte(3);

/// One recorded change, with what is needed to undo it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalEntry {
    /// The account was warmed (undo: cold again).
    AccountWarmed {
        /// Account.
        address: Address,
    },
    /// The account was touched.
    AccountTouched {
        /// Account.
        address: Address,
    },
    /// SELFDESTRUCT moved `balance` to `target`.
    AccountDestroyed {
        /// The destroyed account.
        address: Address,
        /// The beneficiary.
        target: Address,
        /// Whether it was already destroyed before.
        was_destroyed: bool,
        /// The balance moved (or burned).
        balance: U256,
    },
    /// A value transfer.
    BalanceTransfer {
        /// Payer.
        from: Address,
        /// Payee.
        to: Address,
        /// Amount.
        balance: U256,
    },
    /// A balance increase.
    BalanceIncrease {
        /// Account.
        address: Address,
        /// Amount.
        balance: U256,
    },
    /// Nonce incremented.
    NonceChange {
        /// Account.
        address: Address,
    },
    /// Account created by CREATE.
    AccountCreated {
        /// Account.
        address: Address,
    },
    /// A storage write.
    StorageChanged {
        /// Account.
        address: Address,
        /// Slot.
        key: U256,
        /// Previous value.
        had_value: U256,
    },
    /// A slot warmed.
    StorageWarmed {
        /// Account.
        address: Address,
        /// Slot.
        key: U256,
    },
    /// A transient storage write.
    TransientStorageChange {
        /// Account.
        address: Address,
        /// Slot.
        key: U256,
        /// Previous value.
        had_value: U256,
    },
    /// Code set.
    CodeChange {
        /// Account.
        address: Address,
    },
}

/// The mainnet journal.
#[derive(Clone, Debug)]
pub struct Journal<DB> {
    /// The database below.
    pub database: DB,
    /// Accounts loaded or changed in this transaction.
    pub state: EvmState,
    /// EIP-1153 transient storage.
    pub transient_storage: HashMap<(Address, U256), U256>,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// Call depth.
    pub depth: usize,
    /// The change log.
    pub entries: Vec<JournalEntry>,
    /// The fork.
    pub spec: SpecId,
    /// Addresses warm for the whole transaction (coinbase, access list).
    pub warm_addresses: HashSet<Address>,
    /// The precompile addresses, kept across transactions.
    precompiles: WarmPrecompiles,
}

/// The precompile addresses of [`JournalTr::warm_precompiles`], kept across transactions:
/// the same set each time costs a comparison instead of a hash-set insert per precompile.
#[derive(Clone, Debug, Default)]
struct WarmPrecompiles {
    /// In the order given.
    addresses: Vec<Address>,
    /// The same, for lookups.
    set: HashSet<Address>,
    /// Whether every address is below 2^16 (mainnet's are): others skip the lookup.
    all_short: bool,
    /// Whether they are warm in this transaction.
    warm: bool,
}

impl WarmPrecompiles {
    fn set(&mut self, addresses: &[Address]) {
        // Lent as a slice and compared as bytes, in one `memcmp`: through a boxed iterator,
        // allocated and walked by dynamic calls at every transaction, this cost about 210
        // more machine instructions, of the 5,000 that committing a plain transfer took, and
        // comparing address by address about 250 more (callgrind).
        if self.addresses.as_flattened() != addresses.as_flattened() {
            self.addresses.clear();
            self.addresses.extend_from_slice(addresses);
            self.set = addresses.iter().copied().collect();
            self.all_short = addresses.iter().all(is_short);
        }
        self.warm = true;
    }

    #[inline]
    fn contains(&self, address: &Address) -> bool {
        self.warm && (!self.all_short || is_short(address)) && self.set.contains(address)
    }
}

/// A storage slot with what SSTORE changes beside it, borrowed together.
struct SlotLoad<'a> {
    slot: &'a mut StorageSlot,
    /// Whether the slot was cold before this access.
    is_cold: bool,
    /// The status of the account the slot belongs to (SSTORE touches it).
    status: &'a mut AccountStatus,
    entries: &'a mut Vec<JournalEntry>,
}

/// Whether `address` is below 2^16.
#[inline]
fn is_short(address: &Address) -> bool {
    address[..18].iter().all(|&byte| byte == 0)
}

impl<DB: Database> Journal<DB> {
    /// Loads the account into `state` and returns it with whether the access was cold.
    #[inline]
    fn load(&mut self, address: Address) -> Result<StateLoad<&mut Account>, DB::Error> {
        self.load_with(address, false, false)
    }

    /// [`Self::load`] that also loads the code (`code`) and touches the account (`touch`),
    /// with one look-up of the address.
    fn load_with(
        &mut self,
        address: Address,
        code: bool,
        touch: bool,
    ) -> Result<StateLoad<&mut Account>, DB::Error> {
        let Self { database, state, entries, warm_addresses, precompiles, .. } = self;
        let (account, is_cold) =
            Self::account_entry(state, database, entries, warm_addresses, precompiles, address)?;
        if code && account.info.code().is_none() {
            let hash = account.info.code_hash();
            let code =
                if hash == KECCAK_EMPTY { Bytecode::new() } else { database.code_by_hash(hash)? };
            account.info.set_code(code);
        }
        if touch {
            Self::touch(entries, address, account);
        }
        Ok(StateLoad::new(account, is_cold))
    }

    /// The account at `address` in `state`, loaded and warmed if needed, with whether it was
    /// cold: one look-up. Takes the journal's fields apart, so that the caller can go on
    /// using the others while it holds the account.
    #[inline(always)]
    fn account_entry<'a>(
        state: &'a mut EvmState,
        database: &mut DB,
        entries: &mut Vec<JournalEntry>,
        warm_addresses: &HashSet<Address>,
        precompiles: &WarmPrecompiles,
        address: Address,
    ) -> Result<(&'a mut Account, bool), DB::Error> {
        Ok(match state.entry(address) {
            Entry::Occupied(entry) => {
                let account = entry.into_mut();
                let is_cold = account.is_cold();
                if is_cold {
                    account.status.remove(AccountStatus::COLD);
                    entries.push(JournalEntry::AccountWarmed { address });
                }
                (account, is_cold)
            }
            Entry::Vacant(entry) => {
                let account = match database.basic(address)? {
                    Some(info) => Account::from(info),
                    None => Account::new_not_existing(),
                };
                let is_cold = !warm_addresses.contains(&address) && !precompiles.contains(&address);
                if is_cold {
                    entries.push(JournalEntry::AccountWarmed { address });
                }
                (entry.insert(account), is_cold)
            }
        })
    }

    /// The slot `key` of `address`'s storage, the account and the slot loaded if needed (a
    /// slot loaded now is cold, and warmed in the change log): one look-up of each, where
    /// SSTORE took five.
    #[inline]
    fn load_slot(&mut self, address: Address, key: U256) -> Result<SlotLoad<'_>, DB::Error> {
        let Self { database, state, entries, warm_addresses, precompiles, .. } = self;
        let (account, _) =
            Self::account_entry(state, database, entries, warm_addresses, precompiles, address)?;
        let storage_is_empty = account.is_created() || account.is_loaded_as_not_existing();
        let Account { storage, status, .. } = account;
        let (slot, is_cold) = match storage.entry(key) {
            Entry::Occupied(entry) => {
                let slot = entry.into_mut();
                let is_cold = slot.is_cold;
                if is_cold {
                    slot.is_cold = false;
                    entries.push(JournalEntry::StorageWarmed { address, key });
                }
                (slot, is_cold)
            }
            Entry::Vacant(entry) => {
                let value =
                    if storage_is_empty { U256::ZERO } else { database.storage(address, key)? };
                entries.push(JournalEntry::StorageWarmed { address, key });
                (entry.insert(StorageSlot::new(value)), true)
            }
        };
        Ok(SlotLoad { slot, is_cold, status, entries })
    }

    fn account_mut(&mut self, address: Address) -> &mut Account {
        self.state.entry(address).or_insert_with(Account::new_not_existing)
    }

    fn touch(entries: &mut Vec<JournalEntry>, address: Address, account: &mut Account) {
        Self::touch_status(entries, address, &mut account.status);
    }

    /// [`Self::touch`] given the account's status alone (SSTORE holds a slot of the account).
    fn touch_status(entries: &mut Vec<JournalEntry>, address: Address, status: &mut AccountStatus) {
        if !status.contains(AccountStatus::TOUCHED) {
            status.insert(AccountStatus::TOUCHED);
            entries.push(JournalEntry::AccountTouched { address });
        }
    }

    fn revert_entry(&mut self, entry: JournalEntry) {
        match entry {
            JournalEntry::AccountWarmed { address } => {
                self.account_mut(address).status.insert(AccountStatus::COLD);
            }
            // Mainnet keeps the touch of the RIPEMD-160 precompile through a revert, so an
            // empty one is still cleared (the consensus quirk of block 2,675,119, kept by
            // every client since). Before EIP-161 a touch clears nothing, so no quirk.
            JournalEntry::AccountTouched { address }
                if address == RIPEMD160 && self.spec.is_enabled_in(SpecId::SPURIOUS_DRAGON) => {}
            JournalEntry::AccountTouched { address } => self.account_mut(address).unmark_touch(),
            JournalEntry::AccountDestroyed { address, target, was_destroyed, balance } => {
                let account = self.account_mut(address);
                if !was_destroyed {
                    account.unmark_selfdestruct();
                }
                account.info.balance += balance;
                if address != target {
                    let target = self.account_mut(target);
                    target.info.balance -= balance;
                }
            }
            JournalEntry::BalanceTransfer { from, to, balance } => {
                self.account_mut(from).info.balance += balance;
                self.account_mut(to).info.balance -= balance;
            }
            JournalEntry::BalanceIncrease { address, balance } => {
                self.account_mut(address).info.balance -= balance;
            }
            JournalEntry::NonceChange { address } => {
                let account = self.account_mut(address);
                account.info.nonce = account.info.nonce.saturating_sub(1);
            }
            JournalEntry::AccountCreated { address } => {
                let account = self.account_mut(address);
                account.unmark_created();
                account.info.nonce = 0;
            }
            JournalEntry::StorageChanged { address, key, had_value } => {
                if let Some(slot) = self.account_mut(address).storage.get_mut(&key) {
                    slot.present_value = had_value;
                }
            }
            JournalEntry::StorageWarmed { address, key } => {
                if let Some(slot) = self.account_mut(address).storage.get_mut(&key) {
                    slot.is_cold = true;
                }
            }
            JournalEntry::TransientStorageChange { address, key, had_value } => {
                if had_value.is_zero() {
                    self.transient_storage.remove(&(address, key));
                } else {
                    self.transient_storage.insert((address, key), had_value);
                }
            }
            JournalEntry::CodeChange { address } => {
                let account = self.account_mut(address);
                account.info.set_code(Bytecode::new());
            }
        }
    }

    fn reset(&mut self) {
        self.state.clear();
        self.transient_storage.clear();
        self.logs.clear();
        self.entries.clear();
        self.warm_addresses.clear();
        self.precompiles.warm = false;
        self.depth = 0;
    }
}

/// The most accounts a state map handed back by [`JournalTr::reuse_state`] may have room for
/// and be kept.
const REUSED_STATE_CAPACITY: usize = 256;

impl<DB: Database> JournalTr for Journal<DB> {
    type Database = DB;

    fn new(database: DB) -> Self {
        Self {
            database,
            state: HashMap::default(),
            transient_storage: HashMap::default(),
            logs: Vec::new(),
            depth: 0,
            entries: Vec::new(),
            spec: SpecId::LATEST,
            warm_addresses: HashSet::default(),
            precompiles: WarmPrecompiles::default(),
        }
    }

    fn db(&mut self) -> &mut DB {
        &mut self.database
    }

    fn db_ref(&self) -> &DB {
        &self.database
    }

    fn set_spec(&mut self, spec: SpecId) {
        self.spec = spec;
    }

    fn spec(&self) -> SpecId {
        self.spec
    }

    fn warm_addresses(&mut self, addresses: impl IntoIterator<Item = Address>) {
        self.warm_addresses.extend(addresses);
    }

    fn warm_precompiles(&mut self, addresses: &[Address]) {
        self.precompiles.set(addresses);
    }

    fn warm_storage(&mut self, address: Address, key: U256) -> Result<(), DB::Error> {
        self.sload(address, key).map(|_| ())
    }

    fn depth(&self) -> usize {
        self.depth
    }

    fn checkpoint(&mut self) -> JournalCheckpoint {
        let checkpoint =
            JournalCheckpoint { journal_len: self.entries.len(), logs_len: self.logs.len() };
        self.depth += 1;
        checkpoint
    }

    fn checkpoint_commit(&mut self) {
        self.depth -= 1;
    }

    fn checkpoint_revert(&mut self, checkpoint: JournalCheckpoint) {
        self.depth -= 1;
        while self.entries.len() > checkpoint.journal_len {
            if let Some(entry) = self.entries.pop() {
                self.revert_entry(entry);
            }
        }
        self.logs.truncate(checkpoint.logs_len);
    }

    fn load_account(&mut self, address: Address) -> Result<StateLoad<&mut Account>, DB::Error> {
        self.load(address)
    }

    fn load_account_code(
        &mut self,
        address: Address,
    ) -> Result<StateLoad<&mut Account>, DB::Error> {
        self.load_with(address, true, false)
    }

    fn load_account_code_touched(
        &mut self,
        address: Address,
    ) -> Result<StateLoad<&mut Account>, DB::Error> {
        self.load_with(address, true, true)
    }

    fn touch_account(&mut self, address: Address) {
        if let Some(account) = self.state.get_mut(&address) {
            Self::touch(&mut self.entries, address, account);
        }
    }

    fn transfer(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<Option<TransferError>, DB::Error> {
        if value.is_zero() {
            // Only the payee is loaded and touched. The payer is the transaction's sender,
            // whose nonce the transaction raised, or the address of the frame that is
            // running: loaded and warm already, and never empty in EIP-161's sense (it has
            // code, or as a contract being created a nonce of 1 from Spurious Dragon on, when
            // touches begin to matter), so touching it would change nothing.
            self.load_with(to, false, true)?;
            return Ok(None);
        }
        // Both accounts are loaded (warmed) before any check, as a failed transfer leaves
        // them warm.
        let from_balance = self.load(from)?.data.info.balance;
        let to_account = self.load(to)?.data;
        let Some(from_balance) = from_balance.checked_sub(value) else {
            return Ok(Some(TransferError::OutOfFunds));
        };
        // The payee first (still borrowed), so one more look-up (of the payer) suffices.
        let to_touched = !to_account.is_touched();
        if from != to {
            let Some(to_balance) = to_account.info.balance.checked_add(value) else {
                return Ok(Some(TransferError::OverflowPayment));
            };
            to_account.info.balance = to_balance;
        }
        // To oneself the balance covers the value and does not change.
        if to_touched {
            to_account.mark_touch();
            self.entries.push(JournalEntry::AccountTouched { address: to });
        }
        if from != to {
            let from_account = self.state.get_mut(&from).expect("loaded above");
            from_account.info.balance = from_balance;
            Self::touch(&mut self.entries, from, from_account);
        }
        self.entries.push(JournalEntry::BalanceTransfer { from, to, balance: value });
        Ok(None)
    }

    fn balance_incr(&mut self, address: Address, value: U256) -> Result<(), DB::Error> {
        let account = self.load_with(address, false, true)?.data;
        account.info.balance = account.info.balance.saturating_add(value);
        self.entries.push(JournalEntry::BalanceIncrease { address, balance: value });
        Ok(())
    }

    fn inc_nonce(&mut self, address: Address) -> Option<u64> {
        let account = self.state.get_mut(&address)?;
        let nonce = account.info.nonce.checked_add(1)?;
        account.info.nonce = nonce;
        Self::touch(&mut self.entries, address, account);
        self.entries.push(JournalEntry::NonceChange { address });
        Some(nonce)
    }

    fn set_code(&mut self, address: Address, code: Bytecode) {
        if let Some(account) = self.state.get_mut(&address) {
            account.info.set_code(code);
            Self::touch(&mut self.entries, address, account);
            self.entries.push(JournalEntry::CodeChange { address });
        }
    }

    fn create_account_checkpoint(
        &mut self,
        caller: Address,
        address: Address,
        value: U256,
    ) -> Result<Result<JournalCheckpoint, TransferError>, DB::Error> {
        let has_storage =
            !self.account_mut(address).is_created() && self.database.has_storage(address)?;
        let checkpoint = self.checkpoint();
        let spec = self.spec;
        let caller_balance = self.state.get(&caller).map(|a| a.info.balance).unwrap_or_default();
        if caller_balance < value {
            self.checkpoint_revert(checkpoint);
            return Ok(Err(TransferError::OutOfFunds));
        }
        let account = self.account_mut(address);
        if !account.info.has_no_code() || account.info.nonce != 0 || has_storage {
            self.checkpoint_revert(checkpoint);
            return Ok(Err(TransferError::CreateCollision));
        }
        account.mark_created();
        // No storage to clear: EIP-7610 refused accounts with storage, and slots already
        // here were warmed by the access list (EIP-2930), which must stay warm.
        if spec.is_enabled_in(SpecId::SPURIOUS_DRAGON) {
            account.info.nonce = 1;
        }
        let Some(balance) = account.info.balance.checked_add(value) else {
            self.checkpoint_revert(checkpoint);
            return Ok(Err(TransferError::OverflowPayment));
        };
        account.info.balance = balance;
        Self::touch(&mut self.entries, address, self.state.get_mut(&address).expect("present"));
        self.entries.push(JournalEntry::AccountCreated { address });
        let caller_account = self.account_mut(caller);
        caller_account.info.balance -= value;
        Self::touch(&mut self.entries, caller, self.state.get_mut(&caller).expect("present"));
        // The balance moved is recorded as a transfer (the target already held `value`
        // added above, so undoing it restores both sides).
        self.entries.push(JournalEntry::BalanceTransfer {
            from: caller,
            to: address,
            balance: value,
        });
        Ok(Ok(checkpoint))
    }

    fn sload(&mut self, address: Address, key: U256) -> Result<StateLoad<U256>, DB::Error> {
        let slot = self.load_slot(address, key)?;
        Ok(StateLoad::new(slot.slot.present_value, slot.is_cold))
    }

    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        new: U256,
    ) -> Result<StateLoad<SStoreResult>, DB::Error> {
        let SlotLoad { slot, is_cold, status, entries } = self.load_slot(address, key)?;
        let result =
            SStoreResult { original: slot.original_value, present: slot.present_value, new };
        if result.present != new {
            slot.present_value = new;
            entries.push(JournalEntry::StorageChanged { address, key, had_value: result.present });
            Self::touch_status(entries, address, status);
        }
        Ok(StateLoad::new(result, is_cold))
    }

    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.transient_storage.get(&(address, key)).copied().unwrap_or_default()
    }

    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        let had_value = if value.is_zero() {
            self.transient_storage.remove(&(address, key))
        } else {
            self.transient_storage.insert((address, key), value)
        }
        .unwrap_or_default();
        if had_value != value {
            self.entries.push(JournalEntry::TransientStorageChange { address, key, had_value });
        }
    }

    fn log(&mut self, log: Log) {
        self.logs.push(log);
    }

    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Result<StateLoad<SelfDestructResult>, DB::Error> {
        let spec = self.spec;
        let target_load = self.load(target)?;
        let is_cold = target_load.is_cold;
        let target_exists = target_load.data.exists();
        let target_is_empty = target_load.data.is_empty();
        let account = self.state.get_mut(&address).expect("the running account is loaded");
        let balance = account.info.balance;
        let previously_destroyed = account.is_selfdestructed();
        // EIP-6780: from Cancun only an account created in this transaction is deleted.
        let destroys = !spec.is_enabled_in(SpecId::CANCUN) || account.is_created();
        let moved = if destroys || address != target { balance } else { U256::ZERO };
        account.info.balance -= moved;
        if destroys {
            account.mark_selfdestruct();
        }
        Self::touch(&mut self.entries, address, account);
        if address != target {
            let target_account = self.state.get_mut(&target).expect("loaded above");
            target_account.info.balance = target_account.info.balance.saturating_add(moved);
            Self::touch(&mut self.entries, target, target_account);
        }
        self.entries.push(JournalEntry::AccountDestroyed {
            address,
            target,
            was_destroyed: previously_destroyed,
            balance: moved,
        });
        Ok(StateLoad::new(
            SelfDestructResult {
                had_value: !balance.is_zero(),
                target_exists,
                target_is_empty,
                previously_destroyed,
            },
            is_cold,
        ))
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, DB::Error> {
        self.database.block_hash(number)
    }

    fn logs(&self) -> &[Log] {
        &self.logs
    }

    fn finalize(&mut self) -> (EvmState, Vec<Log>) {
        let clear_empty = self.spec.is_enabled_in(SpecId::SPURIOUS_DRAGON);
        let mut state = mem::take(&mut self.state);
        if clear_empty {
            for account in state.values_mut() {
                if account.is_touched() && account.is_empty() {
                    account.mark_selfdestruct();
                }
            }
        }
        let logs = mem::take(&mut self.logs);
        self.reset();
        (state, logs)
    }

    fn discard_tx(&mut self) {
        self.reset();
    }

    fn reuse_state(&mut self, state: EvmState) {
        // Not a map that a large transaction grew: clearing a map and walking it take time
        // in its capacity, which every later transaction would pay.
        if state.is_empty() && self.state.is_empty() && state.capacity() <= REUSED_STATE_CAPACITY {
            self.state = state;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_database::InMemoryDB;
    use lamina_state::AccountInfo;

    fn journal() -> (Journal<InMemoryDB>, Address, Address) {
        let mut db = InMemoryDB::default();
        let a = Address::repeat_byte(0xa);
        let b = Address::repeat_byte(0xb);
        db.insert_account_info(a, AccountInfo::from_balance(U256::from(100)));
        db.insert_account_storage(a, U256::from(1), U256::from(11)).unwrap();
        (Journal::new(db), a, b)
    }

    #[test]
    fn reuse_state_keeps_only_a_small_emptied_map() {
        let (mut journal, a, b) = journal();
        journal.load_account(a).unwrap();
        journal.load_account(b).unwrap();
        let (mut state, _) = journal.finalize();
        assert_eq!(state.len(), 2);
        let capacity = state.capacity();
        // Still holding accounts: dropped, the journal's map stays as `finalize` left it.
        journal.reuse_state(state.clone());
        assert_eq!(journal.state.capacity(), 0);
        state.clear();
        journal.reuse_state(state);
        assert_eq!(journal.state.capacity(), capacity);
        // The next transaction fills it, loading afresh (cold) from the database.
        let load = journal.load_account(a).unwrap();
        assert!(load.is_cold);
        assert_eq!(load.data.info.balance, U256::from(100));
        assert_eq!(journal.state.capacity(), capacity);
        // A map with room for more accounts than a transaction usually touches is dropped.
        journal.finalize();
        let mut large = EvmState::default();
        large.reserve(REUSED_STATE_CAPACITY + 1);
        journal.reuse_state(large);
        assert_eq!(journal.state.capacity(), 0);
    }

    #[test]
    fn revert_undoes_balance_storage_transient_and_logs() {
        let (mut journal, a, b) = journal();
        journal.load_account(a).unwrap();
        let checkpoint = journal.checkpoint();
        assert_eq!(journal.transfer(a, b, U256::from(40)).unwrap(), None);
        journal.sstore(a, U256::from(1), U256::from(12)).unwrap();
        journal.tstore(a, U256::from(2), U256::from(3));
        journal.log(Log::new_unchecked(a, vec![], Default::default()));
        assert_eq!(journal.state[&b].info.balance, U256::from(40));
        journal.checkpoint_revert(checkpoint);
        assert_eq!(journal.state[&a].info.balance, U256::from(100));
        assert_eq!(journal.state[&b].info.balance, U256::ZERO);
        assert_eq!(journal.sload(a, U256::from(1)).unwrap().data, U256::from(11));
        assert_eq!(journal.tload(a, U256::from(2)), U256::ZERO);
        assert!(journal.logs().is_empty());
        assert_eq!(journal.depth(), 0);
    }

    #[test]
    fn warm_and_cold_bookkeeping() {
        let (mut journal, a, b) = journal();
        journal.warm_addresses([b]);
        assert!(journal.load_account(a).unwrap().is_cold);
        assert!(!journal.load_account(a).unwrap().is_cold);
        assert!(!journal.load_account(b).unwrap().is_cold);
        let checkpoint = journal.checkpoint();
        let c = Address::repeat_byte(0xc);
        assert!(journal.load_account(c).unwrap().is_cold);
        assert!(journal.sload(a, U256::from(5)).unwrap().is_cold);
        journal.checkpoint_revert(checkpoint);
        // Reverting a frame makes what it warmed cold again (EIP-2929).
        assert!(journal.load_account(c).unwrap().is_cold);
        assert!(journal.sload(a, U256::from(5)).unwrap().is_cold);
        assert!(!journal.sload(a, U256::from(5)).unwrap().is_cold);
    }

    /// The call path's single look-up does what loading the code and then touching the
    /// account do: the same account, code and change log, undone alike by a revert.
    #[test]
    fn load_account_code_touched_is_the_code_load_then_the_touch() {
        let code = Bytecode::new_raw(lamina_primitives::Bytes::from_static(&[0x60, 0x01, 0x00]));
        let c = Address::repeat_byte(0xc);
        let (mut fused, _, _) = journal();
        fused.database.insert_account_info(c, AccountInfo::new(U256::ZERO, 1, code.clone()));
        let mut apart = Journal::new(fused.database.clone());
        for journal in [&mut fused, &mut apart] {
            journal.load_account(Address::repeat_byte(0xa)).unwrap();
        }
        let checkpoint = fused.checkpoint();
        let load = fused.load_account_code_touched(c).unwrap();
        assert!(load.is_cold);
        assert!(load.data.is_touched());
        assert_eq!(
            load.data.info.code().map(Bytecode::original_bytes),
            Some(code.original_bytes())
        );
        apart.checkpoint();
        assert!(apart.load_account_code(c).unwrap().is_cold);
        apart.touch_account(c);
        assert_eq!(fused.entries, apart.entries);
        assert_eq!(fused.state, apart.state);
        // Warm and touched are undone together.
        fused.checkpoint_revert(checkpoint);
        assert!(!fused.state[&c].is_touched());
        assert!(fused.load_account(c).unwrap().is_cold);
    }

    #[test]
    fn precompiles_are_warm_for_the_transaction_that_warms_them() {
        let (mut journal, _, _) = journal();
        let one = Address::with_last_byte(1);
        let two = Address::with_last_byte(2);
        let far = Address::repeat_byte(0xf);
        journal.warm_precompiles(&[one, two]);
        assert!(!journal.load_account(one).unwrap().is_cold);
        assert!(journal.load_account(Address::with_last_byte(3)).unwrap().is_cold);
        journal.discard_tx();
        // Not warmed in this transaction: cold.
        assert!(journal.load_account(one).unwrap().is_cold);
        journal.discard_tx();
        // A shorter set, then a longer one with an address above 2^16.
        journal.warm_precompiles(&[one]);
        assert!(journal.load_account(two).unwrap().is_cold);
        journal.discard_tx();
        journal.warm_precompiles(&[one, two, far]);
        assert!(!journal.load_account(two).unwrap().is_cold);
        assert!(!journal.load_account(far).unwrap().is_cold);
        journal.discard_tx();
        journal.warm_precompiles(&[two]);
        assert!(journal.load_account(one).unwrap().is_cold);
        assert!(journal.load_account(far).unwrap().is_cold);
        assert!(!journal.load_account(two).unwrap().is_cold);
    }

    #[test]
    fn sstore_reports_original_and_present() {
        let (mut journal, a, _) = journal();
        journal.load_account(a).unwrap();
        let first = journal.sstore(a, U256::from(1), U256::from(20)).unwrap();
        assert_eq!((first.data.original, first.data.present), (U256::from(11), U256::from(11)));
        assert!(first.is_cold);
        let second = journal.sstore(a, U256::from(1), U256::from(30)).unwrap();
        assert_eq!((second.data.original, second.data.present), (U256::from(11), U256::from(20)));
        assert!(!second.is_cold);
    }

    #[test]
    fn eip6780_selfdestruct_deletes_only_new_accounts() {
        let (mut journal, a, b) = journal();
        journal.set_spec(SpecId::CANCUN);
        journal.load_account(a).unwrap();
        let result = journal.selfdestruct(a, b).unwrap().data;
        assert!(result.had_value && !result.target_exists);
        assert!(!journal.state[&a].is_selfdestructed());
        assert_eq!(journal.state[&a].info.balance, U256::ZERO);
        assert_eq!(journal.state[&b].info.balance, U256::from(100));

        // Created in this transaction: deleted.
        let c = Address::repeat_byte(0xc);
        journal.load_account(c).unwrap();
        journal.create_account_checkpoint(b, c, U256::from(10)).unwrap().unwrap();
        journal.checkpoint_commit();
        journal.selfdestruct(c, b).unwrap();
        assert!(journal.state[&c].is_selfdestructed());

        // Before Cancun any account is deleted.
        let (mut journal, a, b) = self::journal();
        journal.set_spec(SpecId::SHANGHAI);
        journal.load_account(a).unwrap();
        journal.selfdestruct(a, b).unwrap();
        assert!(journal.state[&a].is_selfdestructed());
    }

    #[test]
    fn finalize_clears_touched_empty_accounts_from_spurious_dragon() {
        for (spec, deleted) in [(SpecId::TANGERINE, false), (SpecId::SPURIOUS_DRAGON, true)] {
            let (mut journal, a, b) = journal();
            journal.set_spec(spec);
            journal.transfer(a, b, U256::ZERO).unwrap();
            let (state, _) = journal.finalize();
            assert!(state[&b].is_touched());
            assert_eq!(state[&b].is_selfdestructed(), deleted, "{spec}");
            assert!(journal.state.is_empty());
        }
    }

    #[test]
    fn create_collision_and_nonce() {
        let (mut journal, a, b) = journal();
        journal.load_account(a).unwrap();
        journal.load_account(b).unwrap();
        journal.set_spec(SpecId::LONDON);
        let checkpoint = journal.create_account_checkpoint(a, b, U256::from(5)).unwrap().unwrap();
        assert_eq!(journal.state[&b].info.nonce, 1);
        assert_eq!(journal.state[&b].info.balance, U256::from(5));
        assert_eq!(journal.state[&a].info.balance, U256::from(95));
        journal.checkpoint_revert(checkpoint);
        assert_eq!(journal.state[&b].info.nonce, 0);
        assert_eq!(journal.state[&a].info.balance, U256::from(100));
        journal.state.get_mut(&b).unwrap().info.nonce = 1;
        assert_eq!(
            journal.create_account_checkpoint(a, b, U256::ZERO).unwrap(),
            Err(TransferError::CreateCollision)
        );
        // EIP-7610: storage alone makes a collision too.
        let c = Address::repeat_byte(0xc);
        journal.database.insert_account_storage(c, U256::from(1), U256::from(1)).unwrap();
        journal.load_account(c).unwrap();
        assert_eq!(
            journal.create_account_checkpoint(a, c, U256::ZERO).unwrap(),
            Err(TransferError::CreateCollision)
        );
        assert_eq!(journal.depth(), 0);
    }
}
