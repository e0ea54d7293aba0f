//! The journal: state changes with checkpoints.

use alloc::vec::Vec;
use lamina_bytecode::Bytecode;
use lamina_database_interface::Database;
use lamina_interpreter::{SStoreResult, SelfDestructResult, StateLoad};
use lamina_primitives::{Address, B256, Log, SpecId, U256};
use lamina_state::{Account, EvmState};

/// A point to revert to: lengths of the change log and of the logs at that time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalCheckpoint {
    /// Entries in the change log.
    pub journal_len: usize,
    /// Logs emitted.
    pub logs_len: usize,
}

/// Why a value transfer or account creation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// The payer lacks the balance.
    OutOfFunds,
    /// The payee's balance would overflow.
    OverflowPayment,
    /// The account to create already has code or a nonce.
    CreateCollision,
}

/// Checkpointed state for one transaction. Every change is recorded so a frame's changes
/// can be undone from its checkpoint without copying state.
pub trait JournalTr {
    /// The database below.
    type Database: Database;

    /// A journal over `database`.
    fn new(database: Self::Database) -> Self;
    /// The database.
    fn db(&mut self) -> &mut Self::Database;
    /// The database, shared.
    fn db_ref(&self) -> &Self::Database;
    /// Sets the fork (EIP-161 clearing, EIP-6780, EIP-7702 rules).
    fn set_spec(&mut self, spec: SpecId);
    /// The fork.
    fn spec(&self) -> SpecId;

    /// Marks addresses warm for the whole transaction without loading them (precompiles,
    /// coinbase, access list).
    fn warm_addresses(&mut self, addresses: impl IntoIterator<Item = Address>);
    /// Marks the precompile addresses warm for the whole transaction (EIP-2929). The same as
    /// [`warm_addresses`](Self::warm_addresses), but the set rarely changes between
    /// transactions, so a journal may keep it and only check that it is still the same.
    fn warm_precompiles(&mut self, addresses: &[Address]) {
        self.warm_addresses(addresses.iter().copied());
    }
    /// Loads and warms a storage slot (access list).
    fn warm_storage(
        &mut self,
        address: Address,
        key: U256,
    ) -> Result<(), <Self::Database as Database>::Error>;

    /// Call depth of the running frame.
    fn depth(&self) -> usize;
    /// Opens a frame: a checkpoint and one level deeper.
    fn checkpoint(&mut self) -> JournalCheckpoint;
    /// Closes a frame keeping its changes.
    fn checkpoint_commit(&mut self);
    /// Closes a frame undoing its changes.
    fn checkpoint_revert(&mut self, checkpoint: JournalCheckpoint);

    /// Loads an account (warming it).
    fn load_account(
        &mut self,
        address: Address,
    ) -> Result<StateLoad<&mut Account>, <Self::Database as Database>::Error>;
    /// Loads an account and its code.
    fn load_account_code(
        &mut self,
        address: Address,
    ) -> Result<StateLoad<&mut Account>, <Self::Database as Database>::Error>;
    /// Marks a loaded account touched.
    fn touch_account(&mut self, address: Address);
    /// [`Self::load_account_code`], then [`Self::touch_account`]: what a zero-value call
    /// does to the account whose code it runs. A journal does both with one look-up of the
    /// address; this default takes three.
    fn load_account_code_touched(
        &mut self,
        address: Address,
    ) -> Result<StateLoad<&mut Account>, <Self::Database as Database>::Error> {
        let is_cold = self.load_account_code(address)?.is_cold;
        self.touch_account(address);
        let mut load = self.load_account_code(address)?;
        load.is_cold = is_cold;
        Ok(load)
    }
    /// Moves `value` from `from` to `to`, touching both. A zero value loads and touches `to`
    /// only: the EVM's payer is the transaction's sender (its nonce already raised) or the
    /// running frame's address (with code, or a nonce while its init code runs), loaded and
    /// not empty wherever touches matter (EIP-161), so a touch of it could not change the
    /// state.
    fn transfer(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<Option<TransferError>, <Self::Database as Database>::Error>;
    /// Adds to a balance (fee payments), touching the account.
    fn balance_incr(
        &mut self,
        address: Address,
        value: U256,
    ) -> Result<(), <Self::Database as Database>::Error>;
    /// Increments a loaded account's nonce; `None` when it would overflow.
    fn inc_nonce(&mut self, address: Address) -> Option<u64>;
    /// Sets the code of a loaded account.
    fn set_code(&mut self, address: Address, code: Bytecode);
    /// Starts a contract creation at `address`: checks collision (code, nonce, or storage by
    /// EIP-7610), moves `value` from `caller`, sets the nonce to 1 from Spurious Dragon, and
    /// returns the checkpoint to revert to if the init code fails. The outer error is the
    /// database's.
    #[allow(clippy::type_complexity)]
    fn create_account_checkpoint(
        &mut self,
        caller: Address,
        address: Address,
        value: U256,
    ) -> Result<Result<JournalCheckpoint, TransferError>, <Self::Database as Database>::Error>;

    /// SLOAD.
    fn sload(
        &mut self,
        address: Address,
        key: U256,
    ) -> Result<StateLoad<U256>, <Self::Database as Database>::Error>;
    /// SSTORE.
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Result<StateLoad<SStoreResult>, <Self::Database as Database>::Error>;
    /// TLOAD.
    fn tload(&mut self, address: Address, key: U256) -> U256;
    /// TSTORE.
    fn tstore(&mut self, address: Address, key: U256, value: U256);
    /// Records a log.
    fn log(&mut self, log: Log);
    /// SELFDESTRUCT (EIP-6780 rules from Cancun).
    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Result<StateLoad<SelfDestructResult>, <Self::Database as Database>::Error>;
    /// The hash of block `number`.
    fn block_hash(&mut self, number: u64) -> Result<B256, <Self::Database as Database>::Error>;

    /// Logs emitted so far.
    fn logs(&self) -> &[Log];
    /// Ends the transaction: returns the changed state and the logs, and resets the
    /// journal for the next transaction.
    fn finalize(&mut self) -> (EvmState, Vec<Log>);
    /// Takes back a state map that [`JournalTr::finalize`] returned and the caller emptied
    /// (committed with [`DatabaseCommit::commit_drain`]), so that the next transaction fills
    /// it instead of growing a new one. The default drops it.
    ///
    /// [`DatabaseCommit::commit_drain`]: lamina_database_interface::DatabaseCommit::commit_drain
    fn reuse_state(&mut self, state: EvmState) {
        drop(state);
    }
    /// Drops everything of the current transaction (invalid transaction or fatal error).
    fn discard_tx(&mut self);
}
