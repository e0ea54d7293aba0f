//! Running a case on Lamina from a fresh pre-state, and computing its outcome.

use crate::{Benchmark, Case, Error, Exec, Outcome, PreAccount};
use lamina_bytecode::Bytecode;
use lamina_context::Context;
use lamina_context_interface::ExecutionResult;
use lamina_database::{AccountState, InMemoryDB};
use lamina_handler::{ExecuteCommitEvm, MainBuilder};
use lamina_primitives::{
    B256, Bytes, KECCAK_EMPTY, Log, U256, alloy_primitives::Keccak256, keccak256,
};
use lamina_state::AccountInfo;

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
        let status = match self.exec {
            Exec::Single => self.results.first().map(status).unwrap_or_default(),
            Exec::CommitEach => self
                .results
                .iter()
                .enumerate()
                .find(|(_, result)| !result.is_success())
                .map_or_else(
                    || "success".into(),
                    |(i, result)| format!("tx {i}: {}", status(result)),
                ),
        };
        let gas_used: u64 = self.results.iter().map(ExecutionResult::gas_used).sum();
        let gas_refunded: u64 = self.results.iter().map(refunded).sum();
        let output = self.output();
        let digest = state_digest(&self.state);
        Outcome {
            status,
            gas_used,
            gas_spent: gas_used + gas_refunded,
            gas_refunded,
            output_len: output.len() as u64,
            output_keccak: keccak256(&output),
            logs: self.logs().count() as u64,
            txs: self.results.len() as u64,
            expected_output_match: self
                .expected_output
                .as_ref()
                .map(|expected| *expected == output),
            post_state_digest: digest.digest,
            post_accounts: digest.accounts,
        }
    }
}

fn status(result: &ExecutionResult) -> String {
    match result {
        ExecutionResult::Success { reason, .. } => format!("success:{reason:?}"),
        ExecutionResult::Revert { .. } => "revert".into(),
        ExecutionResult::Halt { reason, .. } => format!("halt:{reason:?}"),
    }
}

fn refunded(result: &ExecutionResult) -> u64 {
    match result {
        ExecutionResult::Success { gas_refunded, .. } => *gas_refunded,
        _ => 0,
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
    let mut accounts: Vec<_> = state
        .accounts
        .iter()
        .filter(|(_, account)| account.state != AccountState::NotExisting)
        .collect();
    accounts.sort_unstable_by_key(|(address, _)| **address);
    let mut hasher = Keccak256::new();
    let mut count = 0;
    let mut slots: Vec<(U256, U256)> = Vec::new();
    for (address, account) in accounts {
        let info = &account.info;
        slots.clear();
        slots.extend(
            account.storage.iter().filter(|(_, value)| !value.is_zero()).map(|(k, v)| (*k, *v)),
        );
        if info.is_empty() && slots.is_empty() {
            continue;
        }
        slots.sort_unstable();
        let code_hash = if info.has_no_code() { KECCAK_EMPTY } else { info.code_hash };
        hasher.update(address);
        hasher.update(info.nonce.to_be_bytes());
        hasher.update(info.balance.to_be_bytes::<32>());
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
