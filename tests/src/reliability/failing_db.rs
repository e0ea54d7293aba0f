//! A database that fails on its Nth call, for fault injection.
//!
//! Included with `#[path]` by `tests/tests/reliability_faults.rs` (the `lamina-tests`
//! library has no dependencies of its own).

use lamina_bytecode::Bytecode;
use lamina_database_interface::{Database, DatabaseCommit};
use lamina_primitives::{Address, B256, HashMap, U256};
use lamina_state::{Account, AccountInfo};

/// The error a [`FailingDb`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultError<E> {
    /// The injected failure: the `call`th call (from 0), to `method`.
    Injected {
        /// Index of the failing call.
        call: usize,
        /// The `Database` method that failed.
        method: &'static str,
    },
    /// An error of the database below.
    Inner(E),
}

impl<E: core::fmt::Display> core::fmt::Display for FaultError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected { call, method } => {
                write!(f, "injected failure of call {call} ({method})")
            }
            Self::Inner(error) => error.fmt(f),
        }
    }
}

/// Passes every call to `inner` and counts it; the call numbered `fail_at` (from 0) fails,
/// and so does every later one (a database that broke stays broken). Commits pass through.
#[derive(Clone, Debug)]
pub struct FailingDb<D> {
    /// The database below.
    pub inner: D,
    /// Index of the first call that fails (`usize::MAX`: none).
    pub fail_at: usize,
    /// Calls made so far.
    pub calls: usize,
    /// Answer `basic` without the code, so that it is fetched with `code_by_hash` as a
    /// database on disk would (an in-memory one hands out the code with the account).
    pub code_by_hash: bool,
}

impl<D> FailingDb<D> {
    /// `inner`, failing from call `fail_at` on.
    pub fn new(inner: D, fail_at: usize) -> Self {
        Self { inner, fail_at, calls: 0, code_by_hash: false }
    }

    /// Counts a call; `Err` if it is one that must fail.
    fn enter<E>(&mut self, method: &'static str) -> Result<(), FaultError<E>> {
        let call = self.calls;
        self.calls += 1;
        if call >= self.fail_at {
            return Err(FaultError::Injected { call, method });
        }
        Ok(())
    }
}

impl<D: Database> Database for FailingDb<D> {
    type Error = FaultError<D::Error>;

    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        self.enter("basic")?;
        let mut info = self.inner.basic(address).map_err(FaultError::Inner)?;
        if self.code_by_hash
            && let Some(info) = &mut info
        {
            let code_hash = info.code_hash();
            *info = core::mem::take(info).with_code_hash(code_hash);
        }
        Ok(info)
    }

    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        self.enter("code_by_hash")?;
        self.inner.code_by_hash(code_hash).map_err(FaultError::Inner)
    }

    fn storage(&mut self, address: Address, index: U256) -> Result<U256, Self::Error> {
        self.enter("storage")?;
        self.inner.storage(address, index).map_err(FaultError::Inner)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, Self::Error> {
        self.enter("block_hash")?;
        self.inner.block_hash(number).map_err(FaultError::Inner)
    }

    fn has_storage(&mut self, address: Address) -> Result<bool, Self::Error> {
        self.enter("has_storage")?;
        self.inner.has_storage(address).map_err(FaultError::Inner)
    }
}

impl<D: DatabaseCommit> DatabaseCommit for FailingDb<D> {
    fn commit(&mut self, changes: HashMap<Address, Account>) {
        self.inner.commit(changes);
    }
}
