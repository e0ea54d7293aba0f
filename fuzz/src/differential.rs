//! One scenario, two EVMs: Lamina and revm 43 run the same pre-state, block and transaction,
//! and their outcomes are compared field by field (status, gas used, refund, output, logs)
//! and by the state each leaves in its database after committing.
//!
//! Both EVMs use alloy-primitives, so addresses, words, bytes and logs compare directly; the
//! environment is converted here, the only place that knows revm.

use crate::scenario::{PreAccount, Scenario, WorldAccount, world};
use lamina_bench::revm_tx_env;
use lamina_context_interface::{
    BlobExcessGasAndPrice, BlobParams, EVMError, ExecutionResult, Output,
};
use lamina_handler::{ExecuteCommitEvm, ExecuteEvm};
use lamina_primitives::{Address, B256, Bytes, KECCAK_EMPTY, Log, SpecId, U256, eip4844};
use revm::{
    Context, ExecuteCommitEvm as _, ExecuteEvm as _, MainBuilder, MainContext,
    context::{BlockEnv as RevmBlockEnv, CfgEnv as RevmCfgEnv},
    context_interface::{
        block::BlobExcessGasAndPrice as RevmBlobExcessGasAndPrice,
        result::{ExecutionResult as RevmResult, HaltReason as RevmHalt, Output as RevmOutput},
    },
    database::{AccountState, CacheDB, EmptyDB},
    primitives::hardfork::SpecId as RevmSpecId,
    state::{AccountInfo, Bytecode},
};
use std::collections::BTreeMap;

/// What is compared of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The transaction (or header) is invalid. The reason is kept for the report only: when a
    /// transaction breaks several rules, which one an EVM checks first is not consensus.
    Invalid(String),
    /// The transaction ran.
    Ran {
        /// `success:<reason>`, `revert` or `halt:<reason>`.
        status: String,
        /// Gas used, as the receipt has it (after the refund, at least the EIP-7623 floor).
        gas_used: u64,
        /// The refund applied (successes only; zero otherwise).
        refunded: u64,
        /// Return or revert data (deployed code for a create).
        output: Bytes,
        /// The address a create made.
        created: Option<Address>,
        /// The logs.
        logs: Vec<Log>,
        /// Every account that exists after the commit, with its non-zero slots (from Spurious
        /// Dragon, empty accounts count as absent, EIP-161).
        state: BTreeMap<Address, WorldAccount>,
    },
}

impl Outcome {
    /// Equal in everything consensus sees. Which rule rejects a transaction that breaks
    /// several, and which kind of exceptional halt ends a frame (out of gas on memory or on
    /// the base cost, say), are not: every halt consumes the frame's gas and reverts alike.
    fn agrees_with(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Self::Invalid(_), Self::Invalid(_)) => true,
            (Self::Ran { status: a, .. }, Self::Ran { status: b, .. })
                if a.starts_with("halt:") && b.starts_with("halt:") =>
            {
                self.with_status("halt") == other.with_status("halt")
            }
            _ => self == other,
        }
    }

    fn with_status(&self, status: &str) -> Outcome {
        let mut outcome = self.clone();
        if let Self::Ran { status: s, .. } = &mut outcome {
            *s = status.to_string();
        }
        outcome
    }
}

/// revm has no Constantinople (the fork withdrawn for EIP-1283 before it activated) and
/// names no glacier fork (difficulty-bomb delays that change nothing an EVM executes).
fn revm_spec(spec: SpecId) -> Option<RevmSpecId> {
    Some(match spec {
        SpecId::FRONTIER => RevmSpecId::FRONTIER,
        SpecId::HOMESTEAD => RevmSpecId::HOMESTEAD,
        SpecId::TANGERINE => RevmSpecId::TANGERINE,
        SpecId::SPURIOUS_DRAGON => RevmSpecId::SPURIOUS_DRAGON,
        SpecId::BYZANTIUM => RevmSpecId::BYZANTIUM,
        SpecId::CONSTANTINOPLE => return None,
        SpecId::PETERSBURG => RevmSpecId::PETERSBURG,
        SpecId::ISTANBUL | SpecId::MUIR_GLACIER => RevmSpecId::ISTANBUL,
        SpecId::BERLIN => RevmSpecId::BERLIN,
        SpecId::LONDON | SpecId::ARROW_GLACIER | SpecId::GRAY_GLACIER => RevmSpecId::LONDON,
        SpecId::MERGE => RevmSpecId::MERGE,
        SpecId::SHANGHAI => RevmSpecId::SHANGHAI,
        SpecId::CANCUN => RevmSpecId::CANCUN,
        SpecId::PRAGUE => RevmSpecId::PRAGUE,
        SpecId::OSAKA => RevmSpecId::OSAKA,
    })
}

/// revm computes the blob base fee with u128 arithmetic that overflows (a panic with debug
/// assertions) once an intermediate product passes 2^128, from an excess of about 54 times
/// the update fraction; Lamina saturates. Past 50 times the fraction (a blob base fee of
/// e^50 wei, which no transaction can pay) the scenario's excess is lowered to that, for
/// both EVMs.
const MAX_EXCESS_PER_FRACTION: u64 = 50;

/// Lowers what revm cannot take (see [`MAX_EXCESS_PER_FRACTION`]); `None` for a fork revm
/// does not have, and for a pre-state that holds an EIP-7702 delegation designator
/// (`0xef0100 ‖ address`) before Prague: revm reads it as a delegation on every fork (a
/// sender with it is an EOA to revm), where before Prague it is plain code (EIP-3607 rejects
/// such a sender, as Lamina does). No mainnet state before Prague has such code: EIP-3541
/// forbids deploying code that starts with 0xEF from London on, and none was deployed before.
/// Also `None` for a transaction type above 4: revm leaves types it does not know to the
/// chains that define them and runs them unchecked, where a mainnet EVM rejects them.
/// And `None` when the gas limit times the fee cap passes 2^128: revm computes the upfront
/// cost in u128 and rejects the transaction (`OverflowPaymentInTransaction`), where
/// go-ethereum and Lamina compute it in 256 bits and charge a sender rich enough.
pub fn comparable(mut scenario: Scenario) -> Option<Scenario> {
    revm_spec(scenario.spec)?;
    if scenario.tx.tx_type > 4 {
        return None;
    }
    let blob_gas = eip4844::GAS_PER_BLOB as u128 * scenario.tx.blob_hashes.len() as u128;
    (scenario.tx.gas_limit as u128)
        .checked_mul(scenario.tx.gas_price)?
        .checked_add(blob_gas.checked_mul(scenario.tx.max_fee_per_blob_gas)?)?;
    // A transaction carries only the lists of its type (EIP-2718 payloads): revm reads a
    // list set on a `TxEnv` of another type (charging for authorizations on a type-2
    // transaction, say), Lamina ignores it. The scenario is given to both without them.
    let tx = &mut scenario.tx;
    if tx.tx_type == 0 {
        tx.access_list.clear();
    }
    if tx.tx_type != 3 {
        tx.blob_hashes.clear();
    }
    if tx.tx_type != 4 {
        tx.authorization_list.clear();
    }
    // No balance comes near 2^256 (all the ether there is is below 2^87 wei). Where a
    // transfer would overflow the recipient, revm halts the frame (`OverflowPayment`) and
    // Lamina fails the transfer as one the sender cannot fund; neither can happen on a real
    // chain, so balances are held below 2^200.
    for account in &mut scenario.accounts {
        account.balance = account.balance.min(U256::from(1) << 200);
    }
    // A block before London has no base fee: Lamina ignores the field there, revm checks the
    // gas price against it on every fork. Zero means the same to both.
    if !scenario.spec.is_enabled_in(SpecId::LONDON) {
        scenario.block.basefee = 0;
    }
    if !scenario.spec.is_enabled_in(SpecId::PRAGUE)
        && scenario.accounts.iter().any(|account| account.code.starts_with(&[0xef, 0x01, 0x00]))
    {
        return None;
    }
    // revm cannot hold code that starts with 0xef01 but is no designator (it panics on
    // loading it); no chain has such code (EIP-3541, then EIP-7702 writes only designators).
    let malformed_designator =
        |code: &Bytes| code.starts_with(&[0xef, 0x01]) && !(code.len() == 23 && code[2] == 0);
    if scenario.accounts.iter().any(|account| malformed_designator(&account.code)) {
        return None;
    }
    let fraction = BlobParams::for_spec(scenario.spec).update_fraction;
    if let Some(blob) = &mut scenario.block.blob_excess_gas_and_price {
        let excess = blob.excess_blob_gas.min(fraction * MAX_EXCESS_PER_FRACTION);
        *blob = BlobExcessGasAndPrice::new(excess, fraction);
    }
    Some(scenario)
}

/// Whether an account counts in the compared state: from Spurious Dragon an empty account is
/// the same as no account (EIP-161), and the two EVMs may leave one or not in their caches.
fn counts(spec: SpecId, account: &WorldAccount) -> bool {
    !spec.is_enabled_in(SpecId::SPURIOUS_DRAGON)
        || account.nonce != 0
        || !account.balance.is_zero()
        || account.code_hash != KECCAK_EMPTY
}

/// Lamina's run of `scenario`.
pub fn lamina(scenario: &Scenario) -> Outcome {
    let mut evm = scenario.evm();
    let result = match evm.transact(scenario.tx.clone()) {
        Ok(result) => result,
        Err(EVMError::Database(never)) => match never {},
        Err(error) => return Outcome::Invalid(format!("{error:?}")),
    };
    evm.commit(result.state);
    let mut state = world(&evm.ctx.journaled_state.database);
    state.retain(|_, account| counts(scenario.spec, account));
    let (status, refunded, output, created) = match result.result.clone() {
        ExecutionResult::Success { reason, gas_refunded, output, .. } => {
            let (output, created) = match output {
                Output::Call(data) => (data, None),
                Output::Create(data, address) => (data, address),
            };
            (format!("success:{reason:?}"), gas_refunded, output, created)
        }
        ExecutionResult::Revert { output, .. } => ("revert".to_string(), 0, output, None),
        ExecutionResult::Halt { reason, .. } => (format!("halt:{reason:?}"), 0, Bytes::new(), None),
    };
    Outcome::Ran {
        status,
        gas_used: result.result.gas_used(),
        refunded,
        output,
        created,
        logs: result.result.logs().to_vec(),
        state,
    }
}

fn revm_db(accounts: &[PreAccount]) -> CacheDB<EmptyDB> {
    let mut db = CacheDB::new(EmptyDB::default());
    for account in accounts {
        let mut info = AccountInfo::from_balance(account.balance).with_nonce(account.nonce);
        if !account.code.is_empty() {
            info = info.with_code(Bytecode::new_raw(account.code.clone()));
        }
        db.insert_account_info(account.address, info);
        for &(key, value) in &account.storage {
            // Over `EmptyDB`, inserting storage cannot fail (its error type is `Infallible`).
            let Ok(()) = db.insert_account_storage(account.address, key, value);
        }
    }
    db
}

/// revm's run of `scenario`, which [`comparable`] accepted.
pub fn revm(scenario: &Scenario) -> Outcome {
    let spec = revm_spec(scenario.spec).expect("a comparable scenario");
    let fraction = BlobParams::for_spec(scenario.spec).update_fraction;
    let block = &scenario.block;
    let block = RevmBlockEnv {
        number: block.number,
        beneficiary: block.beneficiary,
        timestamp: block.timestamp,
        gas_limit: block.gas_limit,
        basefee: block.basefee,
        difficulty: block.difficulty,
        prevrandao: block.prevrandao,
        blob_excess_gas_and_price: block
            .blob_excess_gas_and_price
            .map(|blob| RevmBlobExcessGasAndPrice::new(blob.excess_blob_gas, fraction)),
        ..RevmBlockEnv::default()
    };
    let mut cfg = RevmCfgEnv::new_with_spec(spec).with_chain_id(scenario.cfg.chain_id);
    // A transaction holds at most the fork's blobs per block (Cancun, Prague), and six from
    // Osaka (EIP-7594); revm leaves the cap to its user.
    if scenario.spec.is_enabled_in(SpecId::CANCUN) {
        cfg.set_max_blobs_per_tx(BlobParams::for_spec(scenario.spec).max_blobs_per_tx);
    }
    let mut evm = Context::mainnet()
        .with_db(revm_db(&scenario.accounts))
        .with_block(block)
        .with_cfg(cfg)
        .build_mainnet();
    let result = match evm.transact(revm_tx_env(&scenario.tx)) {
        Ok(result) => result,
        Err(error) => return Outcome::Invalid(format!("{error:?}")),
    };
    evm.commit(result.state);
    let state = evm
        .ctx
        .journaled_state
        .database
        .cache
        .accounts
        .iter()
        .filter(|(_, account)| account.account_state != AccountState::NotExisting)
        .map(|(address, account)| {
            let code_hash = match account.info.code_hash {
                B256::ZERO => KECCAK_EMPTY,
                hash => hash,
            };
            let storage = account.storage.iter().filter(|(_, v)| !v.is_zero());
            let account = WorldAccount {
                nonce: account.info.nonce,
                balance: account.info.balance,
                code_hash,
                storage: storage.map(|(k, v)| (*k, *v)).collect(),
            };
            (*address, account)
        })
        .filter(|(_, account)| counts(scenario.spec, account))
        .collect();
    let result = result.result;
    let (status, refunded, output, created) = match &result {
        RevmResult::Success { reason, gas, output, .. } => {
            let (output, created) = match output {
                RevmOutput::Call(data) => (data.clone(), None),
                RevmOutput::Create(data, address) => (data.clone(), *address),
            };
            (format!("success:{reason:?}"), gas.final_refunded(), output, created)
        }
        RevmResult::Revert { output, .. } => ("revert".to_string(), 0, output.clone(), None),
        RevmResult::Halt { reason, .. } => {
            (format!("halt:{}", halt_name(reason)), 0, Bytes::new(), None)
        }
    };
    Outcome::Ran {
        status,
        gas_used: result.tx_gas_used(),
        refunded,
        output,
        created,
        logs: result.logs().to_vec(),
        state,
    }
}

/// revm's halt reason under Lamina's name where the two name one thing differently. Halt
/// reasons are not consensus (every exceptional halt consumes all gas and reverts alike);
/// they are compared so that a different path through the EVM still shows.
fn halt_name(reason: &RevmHalt) -> String {
    match reason {
        RevmHalt::PrecompileErrorWithContext(_) => "PrecompileError".to_string(),
        // An opcode of a later fork: revm names it apart, Lamina's fork table has no such
        // opcode at all.
        RevmHalt::NotActivated => "OpcodeNotFound".to_string(),
        other => format!("{other:?}"),
    }
}

/// Runs `scenario` on both EVMs and panics, printing both outcomes and the scenario, if they
/// differ. Returns whether the scenario could be compared (revm lacks Constantinople).
pub fn compare(scenario: Scenario) -> bool {
    let Some(scenario) = comparable(scenario) else { return false };
    let lamina = lamina(&scenario);
    let revm = revm(&scenario);
    if !lamina.agrees_with(&revm) {
        panic!(
            "Lamina and revm differ\n\nLamina: {lamina:#?}\n\nrevm: {revm:#?}\n\n{}\n\nscenario: {scenario:#?}",
            describe_difference(&lamina, &revm)
        );
    }
    true
}

/// The fields that differ, for the panic message.
fn describe_difference(lamina: &Outcome, revm: &Outcome) -> String {
    let (
        Outcome::Ran { status, gas_used, refunded, output, created, logs, state },
        Outcome::Ran {
            status: r_status,
            gas_used: r_gas_used,
            refunded: r_refunded,
            output: r_output,
            created: r_created,
            logs: r_logs,
            state: r_state,
        },
    ) = (lamina, revm)
    else {
        return "one ran, the other found the transaction invalid".into();
    };
    let mut out = Vec::new();
    if status != r_status {
        out.push(format!("status {status} / {r_status}"));
    }
    if gas_used != r_gas_used {
        out.push(format!("gas used {gas_used} / {r_gas_used}"));
    }
    if refunded != r_refunded {
        out.push(format!("refund {refunded} / {r_refunded}"));
    }
    if output != r_output || created != r_created {
        out.push(format!("output {output} {created:?} / {r_output} {r_created:?}"));
    }
    if logs != r_logs {
        out.push("logs".into());
    }
    for address in state.keys().chain(r_state.keys()) {
        if state.get(address) != r_state.get(address) {
            out.push(format!(
                "account {address}: {:?} / {:?}",
                state.get(address),
                r_state.get(address)
            ));
        }
    }
    out.dedup();
    format!("differences (Lamina / revm): {}", out.join("; "))
}
