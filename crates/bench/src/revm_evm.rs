//! revm (feature `revm`): a [`Case`] converted to revm's types and run exactly as Lamina runs
//! it, for the side-by-side comparison. This module is the only place that knows revm.
//!
//! Both EVMs share alloy-primitives, so addresses, words, bytes and logs need no conversion;
//! the environment (fork, configuration, block, transactions) does.

use crate::{
    Case, Error, Evm, Exec, Outcome, PreAccount,
    run::{DigestAccount, TxStatus, TxSummary, digest_accounts, outcome_of},
};
use lamina_context::{BlockEnv, CfgEnv, TxEnv};
use lamina_context_interface::TxKind;
use lamina_primitives::{Bytes, SpecId};
use revm::{
    Context, ExecuteCommitEvm, MainBuilder, MainContext,
    context::{
        BlockEnv as RevmBlockEnv, CfgEnv as RevmCfgEnv, TxEnv as RevmTxEnv,
        result::ExecutionResult as RevmResult,
    },
    context_interface::{
        block::BlobExcessGasAndPrice,
        either::Either,
        transaction::{AccessList, AccessListItem, Authorization, SignedAuthorization},
    },
    database::{AccountState, CacheDB, EmptyDB},
    primitives::{TxKind as RevmTxKind, hardfork::SpecId as RevmSpecId},
    state::{AccountInfo, Bytecode},
};

/// revm 43, with the state in a `CacheDB<EmptyDB>` (revm's in-memory database, as
/// `revm_outcomes.jsonl` was recorded on), built with `Context::mainnet()` and run with
/// `transact_commit`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Revm;

/// A case in revm's types. The pre-state stays as [`PreAccount`]s (alloy types, shared):
/// building revm's database from them, code analysis included, is part of each timed run, as
/// it is for Lamina.
#[derive(Debug)]
pub struct RevmCase<'a> {
    case: &'a Case,
    cfg: RevmCfgEnv,
    block: RevmBlockEnv,
    txs: Vec<RevmTxEnv>,
}

/// A finished revm run: each transaction's result and the committed final state.
#[derive(Debug)]
pub struct RevmExecution {
    /// The result of each transaction, in order.
    pub results: Vec<RevmResult>,
    /// The state after every transaction was committed.
    pub state: CacheDB<EmptyDB>,
    exec: Exec,
    expected_output: Option<Bytes>,
}

impl Evm for Revm {
    const NAME: &'static str = "revm";
    type Input<'a> = RevmCase<'a>;
    type Run = RevmExecution;

    fn prepare(case: &Case) -> Result<RevmCase<'_>, Error> {
        Ok(RevmCase {
            case,
            cfg: cfg_env(&case.cfg, &case.name)?,
            block: block_env(&case.block),
            txs: case.txs.iter().map(|tx| tx_env(tx, &case.name)).collect::<Result<_, _>>()?,
        })
    }

    fn execute(input: &RevmCase<'_>) -> Result<RevmExecution, Error> {
        let mut evm = Context::mainnet()
            .with_db(pre_state(&input.case.pre))
            .with_block(input.block.clone())
            .with_cfg(input.cfg.clone())
            .build_mainnet();
        let mut results = Vec::with_capacity(input.txs.len());
        for (index, tx) in input.txs.iter().enumerate() {
            let result =
                evm.transact_commit(tx.clone()).map_err(|error| Error::InvalidTransaction {
                    case: input.case.name.clone(),
                    index,
                    message: error.to_string(),
                })?;
            results.push(result);
        }
        Ok(RevmExecution {
            results,
            state: evm.ctx.journaled_state.database,
            exec: input.case.exec,
            expected_output: input.case.expected_output.clone(),
        })
    }

    fn outcome(run: &RevmExecution) -> Outcome {
        let txs: Vec<TxSummary<'_>> = run
            .results
            .iter()
            .map(|result| TxSummary {
                status: match result {
                    RevmResult::Success { reason, .. } => TxStatus::Success(reason),
                    RevmResult::Revert { .. } => TxStatus::Revert,
                    RevmResult::Halt { reason, .. } => TxStatus::Halt(reason),
                },
                gas_used: result.tx_gas_used(),
                gas_refunded: result.gas().final_refunded(),
                output: result.output(),
                logs: result.logs().len(),
            })
            .collect();
        let accounts = run
            .state
            .cache
            .accounts
            .iter()
            .filter(|(_, account)| account.account_state != AccountState::NotExisting)
            .map(|(address, account)| DigestAccount {
                address: *address,
                nonce: account.info.nonce,
                balance: account.info.balance,
                code_hash: account.info.code_hash,
                storage: account.storage.iter().map(|(key, value)| (*key, *value)),
            });
        outcome_of(run.exec, &txs, run.expected_output.as_ref(), digest_accounts(accounts))
    }
}

/// revm's database holding exactly the pre-state accounts, built as Lamina's `pre_state`
/// builds Lamina's (the code analysed by `Bytecode::new_raw`).
fn pre_state(pre: &[PreAccount]) -> CacheDB<EmptyDB> {
    let mut db = CacheDB::new(EmptyDB::default());
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

/// revm's fork of the same rules. revm does not name the forks that changed nothing an EVM
/// executes (the glaciers) nor Constantinople before its fix; a case on one of them cannot be
/// compared.
fn spec_id(spec: SpecId, name: &str) -> Result<RevmSpecId, Error> {
    Ok(match spec {
        SpecId::FRONTIER => RevmSpecId::FRONTIER,
        SpecId::HOMESTEAD => RevmSpecId::HOMESTEAD,
        SpecId::TANGERINE => RevmSpecId::TANGERINE,
        SpecId::SPURIOUS_DRAGON => RevmSpecId::SPURIOUS_DRAGON,
        SpecId::BYZANTIUM => RevmSpecId::BYZANTIUM,
        SpecId::PETERSBURG => RevmSpecId::PETERSBURG,
        SpecId::ISTANBUL => RevmSpecId::ISTANBUL,
        SpecId::BERLIN => RevmSpecId::BERLIN,
        SpecId::LONDON => RevmSpecId::LONDON,
        SpecId::MERGE => RevmSpecId::MERGE,
        SpecId::SHANGHAI => RevmSpecId::SHANGHAI,
        SpecId::CANCUN => RevmSpecId::CANCUN,
        SpecId::PRAGUE => RevmSpecId::PRAGUE,
        SpecId::OSAKA => RevmSpecId::OSAKA,
        SpecId::CONSTANTINOPLE
        | SpecId::MUIR_GLACIER
        | SpecId::ARROW_GLACIER
        | SpecId::GRAY_GLACIER => {
            return Err(Error::setup(name, format!("revm has no fork {spec}")));
        }
    })
}

/// revm's configuration: its default for the fork (as the outcomes were recorded) with the
/// knobs a case may set. A case that sets a knob the revm build here lacks (those behind
/// revm's `optional_*` and `memory_limit` features, blob parameters) is refused rather than
/// compared on different rules.
fn cfg_env(cfg: &CfgEnv, name: &str) -> Result<RevmCfgEnv, Error> {
    let expressible = CfgEnv {
        chain_id: cfg.chain_id,
        spec: cfg.spec,
        limit_contract_code_size: cfg.limit_contract_code_size,
        limit_initcode_size: cfg.limit_initcode_size,
        disable_nonce_check: cfg.disable_nonce_check,
        tx_gas_limit_cap: cfg.tx_gas_limit_cap,
        ..CfgEnv::new_with_spec(cfg.spec)
    };
    if expressible != *cfg {
        return Err(Error::setup(name, "the configuration sets a knob revm is built without"));
    }
    let mut revm_cfg = RevmCfgEnv::new_with_spec(spec_id(cfg.spec, name)?);
    revm_cfg.chain_id = cfg.chain_id;
    revm_cfg.limit_contract_code_size = cfg.limit_contract_code_size;
    revm_cfg.limit_contract_initcode_size = cfg.limit_initcode_size;
    revm_cfg.disable_nonce_check = cfg.disable_nonce_check;
    revm_cfg.tx_gas_limit_cap = cfg.tx_gas_limit_cap;
    Ok(revm_cfg)
}

fn block_env(block: &BlockEnv) -> RevmBlockEnv {
    RevmBlockEnv {
        number: block.number,
        beneficiary: block.beneficiary,
        timestamp: block.timestamp,
        gas_limit: block.gas_limit,
        basefee: block.basefee,
        difficulty: block.difficulty,
        prevrandao: block.prevrandao,
        // The price as Lamina derived it, so that both see the same BLOBBASEFEE.
        blob_excess_gas_and_price: block.blob_excess_gas_and_price.map(|blob| {
            BlobExcessGasAndPrice {
                excess_blob_gas: blob.excess_blob_gas,
                blob_gasprice: blob.blob_gasprice,
            }
        }),
        ..RevmBlockEnv::default()
    }
}

/// revm's transaction for a benchmark. EIP-7702 authorizations are refused: no shared
/// benchmark has one, so a case with one is a setup error rather than an untimed surprise.
fn tx_env(tx: &TxEnv, name: &str) -> Result<RevmTxEnv, Error> {
    if !tx.authorization_list.is_empty() {
        return Err(Error::setup(name, "EIP-7702 authorizations are not converted for revm"));
    }
    Ok(revm_tx_env(tx))
}

/// revm's transaction for Lamina's, field by field (the one conversion the side-by-side
/// runs and the differential test against revm share). Authorizations go over as signed,
/// unrecovered ones: revm recovers each authority itself, as Lamina does.
pub fn revm_tx_env(tx: &TxEnv) -> RevmTxEnv {
    RevmTxEnv {
        tx_type: tx.tx_type,
        caller: tx.caller,
        gas_limit: tx.gas_limit,
        gas_price: tx.gas_price,
        kind: match tx.kind {
            TxKind::Call(to) => RevmTxKind::Call(to),
            TxKind::Create => RevmTxKind::Create,
        },
        value: tx.value,
        data: tx.data.clone(),
        nonce: tx.nonce,
        chain_id: tx.chain_id,
        access_list: AccessList(
            tx.access_list
                .iter()
                .map(|item| AccessListItem {
                    address: item.address,
                    storage_keys: item.storage_keys.clone(),
                })
                .collect(),
        ),
        gas_priority_fee: tx.gas_priority_fee,
        blob_hashes: tx.blob_hashes.clone(),
        max_fee_per_blob_gas: tx.max_fee_per_blob_gas,
        authorization_list: tx
            .authorization_list
            .iter()
            .map(|auth| {
                let inner = Authorization {
                    chain_id: auth.inner.chain_id,
                    address: auth.inner.address,
                    nonce: auth.inner.nonce,
                };
                Either::Left(SignedAuthorization::new_unchecked(
                    inner,
                    auth.y_parity.saturating_to::<u8>(),
                    auth.r,
                    auth.s,
                ))
            })
            .collect(),
    }
}
