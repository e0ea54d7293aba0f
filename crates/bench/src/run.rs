//! Running a case on Lamina from a fresh pre-state, and computing its outcome.

use crate::{Benchmark, Case, Error, Exec, Outcome, PreAccount};
use lamina_bytecode::Bytecode;
use lamina_context::Context;
use lamina_context_interface::ExecutionResult;
use lamina_database::{AccountState, InMemoryDB};
use lamina_handler::{ExecuteCommitEvm, MainBuilder};
use lamina_primitives::{
    Address, B256, Bytes, KECCAK_EMPTY, Log, U256, alloy_primitives::Keccak256, keccak256,
};
use lamina_state::AccountInfo;
use std::fmt;

/// A finished run of a case: each transaction's result and the committed final state.
#[derive(Debug)]
pub struct Execution {
    /// The result of each transaction, in order.
    pub results: Vec<ExecutionResult>,
    /// The state after every transaction was committed: the pre-state accounts and
    /// everything the transactions loaded, created or changed.
    pub state: InMemoryDB,
    exec: Exec,
    expected_output: Option<Bytes>,
}

/// Runs every case of `benchmark`, each from its fresh pre-state; returns the outcomes by
/// case name, in the benchmark's order.
pub fn run(benchmark: &Benchmark) -> Result<Vec<(String, Outcome)>, Error> {
    benchmark.cases.iter().map(|case| Ok((case.name.clone(), run_case(case)?))).collect()
}

/// Runs `case` from its fresh pre-state and computes its outcome.
pub fn run_case(case: &Case) -> Result<Outcome, Error> {
    Ok(execute(case)?.outcome())
}

/// Builds `case`'s pre-state and EVM, then runs its transactions, committing each. This is
/// the work a benchmark times; [`Execution::outcome`] (hashing the state) is not part of it.
///
/// A transaction Lamina rejects as invalid is an [`Error::InvalidTransaction`]: every
/// shared benchmark consists of valid transactions.
pub fn execute(case: &Case) -> Result<Execution, Error> {
    let context = Context::new(pre_state(&case.pre), case.cfg.spec)
        .with_block(case.block.clone())
        .with_cfg(case.cfg.clone());
    let mut evm = context.build_mainnet();
    let mut results = Vec::with_capacity(case.txs.len());
    for (index, tx) in case.txs.iter().enumerate() {
        let result = evm.transact_commit(tx.clone()).map_err(|error| {
            Error::InvalidTransaction { case: case.name.clone(), index, message: error.to_string() }
        })?;
        results.push(result);
    }
    Ok(Execution {
        results,
        state: evm.ctx.journaled_state.database,
        exec: case.exec,
        expected_output: case.expected_output.clone(),
    })
}

/// The database holding exactly the pre-state accounts (code analysed here, as part of
/// building the state).
fn pre_state(pre: &[PreAccount]) -> InMemoryDB {
    let mut db = InMemoryDB::default();
    for account in pre {
        let mut info = AccountInfo::from_balance(account.balance).with_nonce(account.nonce);
        if !account.code.is_empty() {
            info = info.with_code(Bytecode::new_raw(account.code.clone()));
        }
        db.insert_account_info(account.address, info);
        for &(key, value) in &account.storage {
            // Over `EmptyDB` inserting storage cannot fail (its error type is `Infallible`).
            let Ok(()) = db.insert_account_storage(account.address, key, value);
        }
    }
    db
}

impl Execution {
    /// The output: the return or revert data of a single transaction (empty after a halt);
    /// a batch has none.
    pub fn output(&self) -> Bytes {
        match (self.exec, self.results.as_slice()) {
            (Exec::Single, [result]) => result.output().cloned().unwrap_or_default(),
            _ => Bytes::new(),
        }
    }

    /// Every log, in order.
    pub fn logs(&self) -> impl Iterator<Item = &Log> {
        self.results.iter().flat_map(ExecutionResult::logs)
    }

    /// The outcome, as `MANIFEST.md` section 1 defines it.
    pub fn outcome(&self) -> Outcome {
        let txs: Vec<TxSummary<'_>> = self
            .results
            .iter()
            .map(|result| match result {
                ExecutionResult::Success { reason, gas_used, gas_refunded, logs, output } => {
                    TxSummary {
                        status: TxStatus::Success(reason),
                        gas_used: *gas_used,
                        gas_refunded: *gas_refunded,
                        output: Some(output.data()),
                        logs: logs.len(),
                    }
                }
                ExecutionResult::Revert { gas_used, output } => TxSummary {
                    status: TxStatus::Revert,
                    gas_used: *gas_used,
                    gas_refunded: 0,
                    output: Some(output),
                    logs: 0,
                },
                ExecutionResult::Halt { reason, gas_used } => TxSummary {
                    status: TxStatus::Halt(reason),
                    gas_used: *gas_used,
                    gas_refunded: 0,
                    output: None,
                    logs: 0,
                },
            })
            .collect();
        outcome_of(self.exec, &txs, self.expected_output.as_ref(), state_digest(&self.state))
    }
}

/// How a transaction ended, with the EVM's own reason (printed by its `Debug` name, as
/// `revm_outcomes.jsonl` records it).
pub(crate) enum TxStatus<'a> {
    Success(&'a dyn fmt::Debug),
    Revert,
    Halt(&'a dyn fmt::Debug),
}

impl fmt::Display for TxStatus<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Success(reason) => write!(f, "success:{reason:?}"),
            Self::Revert => f.write_str("revert"),
            Self::Halt(reason) => write!(f, "halt:{reason:?}"),
        }
    }
}

/// What [`outcome_of`] needs of one transaction's result. Each EVM maps its own result type
/// to this, so that the outcome is defined once and Lamina's and revm's cannot drift apart.
pub(crate) struct TxSummary<'a> {
    pub(crate) status: TxStatus<'a>,
    /// Receipt gas (after the refund).
    pub(crate) gas_used: u64,
    /// The refund applied.
    pub(crate) gas_refunded: u64,
    /// Return or revert data; `None` after a halt.
    pub(crate) output: Option<&'a Bytes>,
    pub(crate) logs: usize,
}

/// The outcome of `MANIFEST.md` section 1 from a run's transactions and final state.
pub(crate) fn outcome_of(
    exec: Exec,
    txs: &[TxSummary<'_>],
    expected_output: Option<&Bytes>,
    digest: StateDigest,
) -> Outcome {
    let status = match exec {
        Exec::Single => txs.first().map(|tx| tx.status.to_string()).unwrap_or_default(),
        Exec::CommitEach => txs
            .iter()
            .enumerate()
            .find(|(_, tx)| !matches!(tx.status, TxStatus::Success(_)))
            .map_or_else(|| "success".into(), |(i, tx)| format!("tx {i}: {}", tx.status)),
    };
    let output = match (exec, txs) {
        (Exec::Single, [tx]) => tx.output.cloned().unwrap_or_default(),
        _ => Bytes::new(),
    };
    let gas_used: u64 = txs.iter().map(|tx| tx.gas_used).sum();
    let gas_refunded: u64 = txs.iter().map(|tx| tx.gas_refunded).sum();
    Outcome {
        status,
        gas_used,
        gas_spent: gas_used + gas_refunded,
        gas_refunded,
        output_len: output.len() as u64,
        output_keccak: keccak256(&output),
        logs: txs.iter().map(|tx| tx.logs as u64).sum(),
        txs: txs.len() as u64,
        expected_output_match: expected_output.map(|expected| *expected == output),
        post_state_digest: digest.digest,
        post_accounts: digest.accounts,
    }
}

/// The post-state digest of a state and how many accounts it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateDigest {
    /// keccak256 of the serialised non-empty accounts.
    pub digest: B256,
    /// How many accounts were serialised.
    pub accounts: u64,
}

/// The post-state digest of `MANIFEST.md` section 1: every non-empty account (nonce, balance,
/// code or a non-zero slot) sorted by address, each serialised as address ‖ nonce (8 BE) ‖
/// balance (32 BE) ‖ code hash ‖ n (8 BE) ‖ n × (key ‖ value) over its non-zero slots sorted
/// by key; keccak256 of the concatenation.
///
/// `state` must hold the whole state, as the [`Execution::state`] of a run does (an
/// `InMemoryDB` has nothing below its cache).
pub fn state_digest(state: &InMemoryDB) -> StateDigest {
    digest_accounts(
        state
            .accounts
            .iter()
            .filter(|(_, account)| account.state != AccountState::NotExisting)
            .map(|(address, account)| DigestAccount {
                address: *address,
                nonce: account.info.nonce,
                balance: account.info.balance,
                code_hash: account.info.code_hash(),
                storage: account.storage.iter().map(|(key, value)| (*key, *value)),
            }),
    )
}

/// An existing account of a final state, as the digest reads it, whichever EVM's database
/// holds it.
pub(crate) struct DigestAccount<S> {
    pub(crate) address: Address,
    pub(crate) nonce: u64,
    pub(crate) balance: U256,
    /// `KECCAK_EMPTY` or zero for an account without code.
    pub(crate) code_hash: B256,
    /// Its slots, zero ones included (they are left out here).
    pub(crate) storage: S,
}

/// The digest of [`state_digest`] over `accounts`, in any order.
pub(crate) fn digest_accounts<S: IntoIterator<Item = (U256, U256)>>(
    accounts: impl IntoIterator<Item = DigestAccount<S>>,
) -> StateDigest {
    let mut accounts: Vec<_> = accounts.into_iter().collect();
    accounts.sort_unstable_by_key(|account| account.address);
    let mut hasher = Keccak256::new();
    let mut count = 0;
    let mut slots: Vec<(U256, U256)> = Vec::new();
    for account in accounts {
        slots.clear();
        slots.extend(account.storage.into_iter().filter(|(_, value)| !value.is_zero()));
        let code_hash =
            if account.code_hash == B256::ZERO { KECCAK_EMPTY } else { account.code_hash };
        let empty = account.nonce == 0 && account.balance.is_zero() && code_hash == KECCAK_EMPTY;
        if empty && slots.is_empty() {
            continue;
        }
        slots.sort_unstable();
        hasher.update(account.address);
        hasher.update(account.nonce.to_be_bytes());
        hasher.update(account.balance.to_be_bytes::<32>());
        hasher.update(code_hash);
        hasher.update((slots.len() as u64).to_be_bytes());
        for (key, value) in &slots {
            hasher.update(key.to_be_bytes::<32>());
            hasher.update(value.to_be_bytes::<32>());
        }
        count += 1;
    }
    StateDigest { digest: hasher.finalize(), accounts: count }
}
