//! Running one case: the fixture's pre-state, block and transaction turned into Lamina's
//! types, the transaction executed and committed, and the outcome checked against the post
//! entry.

use std::io::Write;

use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{
    AccessListItem, Authorization, BlobParams, EVMError, ExecutionResult, ResultAndState,
    SignedAuthorization, TxKind,
};
use lamina_database::AccountState;
use lamina_database_interface::Database;
use lamina_handler::{ExecuteCommitEvm, MainBuilder};
use lamina_primitives::{Address, B256, SpecId, U256, keccak256};
use lamina_state::AccountInfo;
use lamina_statetest_types::{
    Case, Config, Env, Indexes, PostEntry, StateTest, TransactionParts, logs_hash,
};
use secp256k1::{PublicKey, Secp256k1, SecretKey};

use super::{
    diff::{self, Difference, PostState},
    pre::{CaseDb, PreState},
};
use crate::exec::{self, ExecError};

/// Why a case could not be run at all. These are faults of the fixture (or of the runner),
/// never an expected outcome, so a case that hits one fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// The fork name is not one Lamina knows.
    #[error("unknown fork {0:?}")]
    UnknownFork(String),
    /// The post entry's indexes point past the transaction's variants.
    #[error("indexes (data {}, gas {}, value {}) out of range", .0.data, .0.gas, .0.value)]
    IndexOutOfRange(Indexes),
    /// Neither `sender` nor a valid `secretKey`.
    #[error("secretKey is not a valid secp256k1 key and no sender is given")]
    InvalidSecretKey,
    /// A block or chain value wider than Lamina's field for it.
    #[error("{field} {value:#x} does not fit in {bits} bits")]
    TooWide {
        /// The fixture's field name.
        field: &'static str,
        /// Its value.
        value: U256,
        /// The width of Lamina's field.
        bits: u32,
    },
}

/// What running a case's transaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Execution {
    /// The transaction is invalid: the EVM rejected it, or it cannot even be expressed (a value
    /// wider than 256 bits, a gas limit wider than 64 bits, …). The state is unchanged.
    Rejected(String),
    /// The transaction executed (successfully or not) and its changes were committed.
    Executed(ExecutionResult),
    /// The EVM failed for another reason (block header, database), or the trace could not be
    /// written.
    Error(String),
}

impl Execution {
    fn logs_hash(&self) -> B256 {
        match self {
            Self::Executed(result) => logs_hash(result.logs()),
            Self::Rejected(_) | Self::Error(_) => logs_hash(&[]),
        }
    }
}

/// Why a case failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The case could not be run.
    #[error("cannot run: {0}")]
    Setup(#[from] SetupError),
    /// The EVM failed outside the transaction's own validity.
    #[error("EVM error: {0}")]
    Evm(String),
    /// The post entry expects the transaction to be rejected, but it executed.
    #[error("expected exception {0}, but the transaction executed")]
    ExceptionExpected(String),
    /// The transaction was rejected, but the post entry expects it to execute.
    #[error("transaction rejected: {0}")]
    UnexpectedException(String),
    /// The state root, the logs hash or both differ from the post entry's.
    #[error("{}", mismatch_text(*.root, *.logs))]
    Mismatch {
        /// The state root differs.
        root: bool,
        /// The logs hash differs.
        logs: bool,
    },
}

fn mismatch_text(root: bool, logs: bool) -> &'static str {
    match (root, logs) {
        (true, true) => "state root and logs hash mismatch",
        (true, false) => "state root mismatch",
        _ => "logs hash mismatch",
    }
}

/// The full outcome of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseOutcome {
    /// What the transaction did; `None` if the case could not be set up.
    pub execution: Option<Execution>,
    /// The state root after the transaction; `None` if the case could not be set up.
    pub root: Option<B256>,
    /// The logs hash of the transaction; `None` if the case could not be set up.
    pub logs: Option<B256>,
    /// Why the case failed; `None` if it passed.
    pub failure: Option<Failure>,
    /// Where the state differs from the fixture's full expected post-state, if it has one and
    /// the state root differs.
    pub diff: Vec<Difference>,
    /// The post-state, kept when the state root differs and the fixture has no expected state
    /// to diff against (ethereum/tests fillings): the next best thing to look at.
    pub post_state: Option<PostState>,
}

impl CaseOutcome {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    fn setup_failed(error: SetupError) -> Self {
        Self {
            execution: None,
            root: None,
            logs: None,
            failure: Some(error.into()),
            diff: vec![],
            post_state: None,
        }
    }
}

/// A test made ready to run its cases: the pre-state (built once, shared by the cases) and
/// the sender.
pub struct PreparedTest<'a> {
    /// The test.
    pub test: &'a StateTest,
    pre: PreState,
    sender: Result<Address, SetupError>,
}

impl<'a> PreparedTest<'a> {
    /// Loads the pre-state and finds the sender.
    pub fn new(test: &'a StateTest) -> Self {
        Self { test, pre: PreState::new(&test.pre), sender: sender(&test.transaction) }
    }
}

/// The sender: `sender` when the filler wrote it, else the address of `secretKey`'s public key.
fn sender(parts: &TransactionParts) -> Result<Address, SetupError> {
    if let Some(sender) = parts.sender {
        return Ok(sender);
    }
    let key =
        SecretKey::from_byte_array(parts.secret_key.0).map_err(|_| SetupError::InvalidSecretKey)?;
    let public = PublicKey::from_secret_key(&Secp256k1::signing_only(), &key);
    // The uncompressed encoding is 0x04 ‖ x ‖ y; the address hashes x ‖ y.
    let hash = keccak256(&public.serialize_uncompressed()[1..]);
    Ok(Address::from_slice(&hash[12..]))
}

/// Runs one case of `test` and checks it against its post entry. With `trace`, an EIP-3155
/// trace of the transaction is written there.
pub fn run_case(
    test: &PreparedTest<'_>,
    case: Case<'_>,
    trace: Option<&mut dyn Write>,
) -> CaseOutcome {
    let Ok(spec) = case.spec() else {
        return CaseOutcome::setup_failed(SetupError::UnknownFork(case.fork.to_owned()));
    };
    let env = match Environment::new(test.test, spec) {
        Ok(env) => env,
        Err(error) => return CaseOutcome::setup_failed(error),
    };
    let sender = match &test.sender {
        Ok(sender) => *sender,
        Err(error) => return CaseOutcome::setup_failed(error.clone()),
    };
    let tx = match tx_env(&test.test.transaction, sender, &case.entry.indexes, env.cfg.chain_id) {
        Ok(tx) => Ok(tx),
        Err(TxError::Setup(error)) => return CaseOutcome::setup_failed(error),
        Err(TxError::Invalid(reason)) => Err(reason),
    };

    let beneficiary = env.block.beneficiary;
    let (mut db, execution) = match tx {
        Err(reason) => (test.pre.db(), Execution::Rejected(reason)),
        Ok(tx) => {
            let mut evm = Context::new(test.pre.db(), spec)
                .with_block(env.block)
                .with_cfg(env.cfg)
                .with_tx(tx)
                .build_mainnet();
            let execution = match exec::replay(&mut evm, trace) {
                Ok(ResultAndState { result, state }) => {
                    evm.commit(state);
                    Execution::Executed(result)
                }
                Err(ExecError::Evm(EVMError::Transaction(invalid))) => {
                    Execution::Rejected(invalid.to_string())
                }
                Err(error) => Execution::Error(error.to_string()),
            };
            (evm.ctx.journaled_state.database, execution)
        }
    };

    // Only ethereum/tests fillings: execution-spec-tests (the files with `config`) leave the
    // state of a rejected transaction alone.
    if matches!(execution, Execution::Rejected(_)) && test.test.config.is_none() {
        touch_beneficiary(&mut db, beneficiary, spec);
    }
    let root = test.pre.state_root(&db);
    let logs = execution.logs_hash();
    let failure = check(case.entry, &execution, root, logs);
    let (diff, post_state) = match &case.entry.state {
        _ if failure.is_none() || root == case.entry.hash => (vec![], None),
        Some(expected) => (diff::diff(expected, &test.pre.post_state(&db)), None),
        None => (vec![], Some(test.pre.post_state(&db))),
    };
    CaseOutcome {
        execution: Some(execution),
        root: Some(root),
        logs: Some(logs),
        failure,
        diff,
        post_state,
    }
}

/// Does to the state what the fillers' zero block reward does after a rejected transaction.
///
/// The ethereum/tests fillers (retesteth driving geth) credit the coinbase with a zero reward
/// after the transaction, valid or not. After a valid one the EVM has touched the coinbase
/// already by paying it the fee; after a rejected one the reward is the only touch, and it
/// shows in the expected root: before Spurious Dragon it creates a missing coinbase as an empty
/// account, from Spurious Dragon on (EIP-161) it deletes an existing empty one.
/// execution-spec-tests fills without that reward.
fn touch_beneficiary(db: &mut CaseDb<'_>, beneficiary: Address, spec: SpecId) {
    // Into the case's cache, so that it can be changed there.
    let Ok(_) = db.basic(beneficiary);
    let account = db.accounts.get_mut(&beneficiary);
    let exists = account.as_ref().is_some_and(|account| account.state != AccountState::NotExisting);
    if spec.is_enabled_in(SpecId::SPURIOUS_DRAGON) {
        if let Some(account) = account
            && exists
            && account.info.is_empty()
        {
            account.state = AccountState::NotExisting;
            account.storage.clear();
        }
    } else if !exists {
        db.insert_account_info(beneficiary, AccountInfo::default());
    }
}

/// Checks what happened against the post entry.
fn check(entry: &PostEntry, execution: &Execution, root: B256, logs: B256) -> Option<Failure> {
    match (&entry.expect_exception, execution) {
        (_, Execution::Error(error)) => Some(Failure::Evm(error.clone())),
        (Some(expected), Execution::Executed(_)) => {
            Some(Failure::ExceptionExpected(expected.clone()))
        }
        (None, Execution::Rejected(reason)) => Some(Failure::UnexpectedException(reason.clone())),
        // Executed as expected, or rejected as expected: a rejected transaction leaves the
        // pre-state, whose root the post entry then holds.
        _ => {
            let (root, logs) = (root != entry.hash, logs != entry.logs);
            (root || logs).then_some(Failure::Mismatch { root, logs })
        }
    }
}

/// The block and chain configuration of a test under one fork.
struct Environment {
    block: BlockEnv,
    cfg: CfgEnv,
}

impl Environment {
    fn new(test: &StateTest, spec: SpecId) -> Result<Self, SetupError> {
        let env = &test.env;
        let mut cfg = CfgEnv::new_with_spec(spec);
        if let Some(chain_id) = test.config.as_ref().and_then(|config| config.chain_id) {
            cfg.chain_id = narrow(chain_id, "config.chainid")?;
        }
        cfg.blob_params = blob_params(test.config.as_ref(), spec)?;
        Ok(Self { block: block_env(env, spec, cfg.blob_params)?, cfg })
    }
}

fn block_env(
    env: &Env,
    spec: SpecId,
    blob_params: Option<BlobParams>,
) -> Result<BlockEnv, SetupError> {
    let mut block = BlockEnv {
        number: env.current_number,
        beneficiary: env.current_coinbase,
        timestamp: env.current_timestamp,
        gas_limit: narrow(env.current_gas_limit, "currentGasLimit")?,
        // A block before London has no base fee, whatever the fixture writes.
        basefee: match env.current_base_fee {
            Some(fee) if spec.is_enabled_in(SpecId::LONDON) => narrow(fee, "currentBaseFee")?,
            _ => 0,
        },
        difficulty: env.current_difficulty,
        // From the Merge the DIFFICULTY opcode reads PREVRANDAO instead.
        prevrandao: spec
            .is_enabled_in(SpecId::MERGE)
            .then(|| env.current_random.unwrap_or(env.current_difficulty.into())),
        blob_excess_gas_and_price: None,
    };
    if let Some(params) = blob_params {
        let excess =
            narrow(env.current_excess_blob_gas.unwrap_or_default(), "currentExcessBlobGas")?;
        block.set_blob_excess_gas_and_price(excess, params.update_fraction);
    }
    Ok(block)
}

/// The fork's blob parameters (from Cancun on): the file's `blobSchedule` entry for the fork if
/// it has one, else mainnet's.
fn blob_params(config: Option<&Config>, spec: SpecId) -> Result<Option<BlobParams>, SetupError> {
    if !spec.is_enabled_in(SpecId::CANCUN) {
        return Ok(None);
    }
    let mainnet = BlobParams::for_spec(spec);
    let schedule = config.and_then(|config| config.blob_schedule.as_ref());
    // Keys are fork names; parse them rather than compare text, for "Paris"/"Merge"-style
    // spellings.
    let entry = schedule.into_iter().flatten().find(|(fork, _)| fork.parse() == Ok(spec));
    let Some((_, entry)) = entry else { return Ok(Some(mainnet)) };
    let max = narrow(entry.max, "blobSchedule.max")?;
    Ok(Some(BlobParams {
        target_blobs_per_block: narrow(entry.target, "blobSchedule.target")?,
        max_blobs_per_block: max,
        update_fraction: narrow(
            entry.base_fee_update_fraction,
            "blobSchedule.baseFeeUpdateFraction",
        )?,
        // Before Osaka a transaction may fill the block; from Osaka EIP-7594 caps it further,
        // and the schedule (a per-block table) does not say by how much.
        max_blobs_per_tx: if spec.is_enabled_in(SpecId::OSAKA) {
            max.min(BlobParams::OSAKA.max_blobs_per_tx)
        } else {
            max
        },
    }))
}

fn narrow<T: TryFrom<U256>>(value: U256, field: &'static str) -> Result<T, SetupError> {
    T::try_from(value).map_err(|_| SetupError::TooWide { field, value, bits: bits_of::<T>() })
}

fn bits_of<T>() -> u32 {
    (size_of::<T>() * 8) as u32
}

/// Why a transaction variant could not be turned into a [`TxEnv`].
enum TxError {
    /// A fault of the fixture.
    Setup(SetupError),
    /// The transaction cannot exist on chain: it is invalid.
    Invalid(String),
}

/// A transaction field narrowed to Lamina's width; a wider value makes the transaction invalid.
fn tx_field<T: TryFrom<U256>>(value: U256, field: &str) -> Result<T, TxError> {
    T::try_from(value).map_err(|_| {
        TxError::Invalid(format!("{field} {value:#x} does not fit in {} bits", bits_of::<T>()))
    })
}

/// The transaction variant `indexes` selects, as a [`TxEnv`]. Its type follows from the fields
/// present: an authorization list → 4, blob hashes → 3, a fee cap → 2, an access list → 1.
fn tx_env(
    parts: &TransactionParts,
    caller: Address,
    indexes: &Indexes,
    chain_id: u64,
) -> Result<TxEnv, TxError> {
    let selected =
        parts.select(indexes).ok_or(TxError::Setup(SetupError::IndexOutOfRange(*indexes)))?;
    let value = selected
        .value
        .ok_or_else(|| TxError::Invalid("value does not fit in 256 bits".to_owned()))?;
    let (gas_price, gas_priority_fee) = match parts.max_fee_per_gas {
        Some(max_fee) => (
            tx_field(max_fee, "maxFeePerGas")?,
            Some(tx_field(
                parts.max_priority_fee_per_gas.unwrap_or_default(),
                "maxPriorityFeePerGas",
            )?),
        ),
        None => (tx_field(parts.gas_price.unwrap_or_default(), "gasPrice")?, None),
    };
    let access_list: Vec<AccessListItem> = selected
        .access_list
        .into_iter()
        .flatten()
        .map(|item| AccessListItem {
            address: item.address,
            storage_keys: item.storage_keys.clone(),
        })
        .collect();
    let authorization_list: Vec<SignedAuthorization> = parts
        .authorization_list
        .iter()
        .flatten()
        .map(|auth| SignedAuthorization {
            inner: Authorization {
                chain_id: auth.chain_id,
                address: auth.address,
                nonce: auth.nonce,
            },
            y_parity: auth.y_parity,
            r: auth.r,
            s: auth.s,
        })
        .collect();
    let tx_type = if parts.authorization_list.is_some() {
        4
    } else if parts.blob_versioned_hashes.is_some() {
        3
    } else if parts.max_fee_per_gas.is_some() {
        2
    } else if selected.access_list.is_some() {
        1
    } else {
        0
    };
    Ok(TxEnv {
        tx_type,
        caller,
        gas_limit: tx_field(selected.gas_limit, "gasLimit")?,
        gas_price,
        kind: parts.to.map_or(TxKind::Create, TxKind::Call),
        value,
        data: selected.data.clone(),
        nonce: tx_field(parts.nonce, "nonce")?,
        chain_id: Some(chain_id),
        access_list,
        gas_priority_fee,
        blob_hashes: parts.blob_versioned_hashes.clone().unwrap_or_default(),
        max_fee_per_blob_gas: tx_field(
            parts.max_fee_per_blob_gas.unwrap_or_default(),
            "maxFeePerBlobGas",
        )?,
        authorization_list,
    })
}

#[cfg(test)]
mod tests {
    use lamina_primitives::{address, b256};

    use super::*;

    fn parts(extra: &str) -> TransactionParts {
        serde_json::from_str(&format!(
            r#"{{"data": ["0x"], "gasLimit": ["0x5208"], "value": ["0x01"], "nonce": "0x00",
                "to": "0x1000000000000000000000000000000000000000",
                "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"
                {extra}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn sender_from_secret_key() {
        // The key every ethereum/tests filler uses, and the address they all write for it.
        assert_eq!(
            sender(&parts(", \"gasPrice\": \"0x0a\"")),
            Ok(address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b"))
        );
        let mut bad = parts("");
        bad.secret_key = B256::ZERO;
        assert_eq!(sender(&bad), Err(SetupError::InvalidSecretKey));
        bad.sender = Some(Address::repeat_byte(7));
        assert_eq!(sender(&bad), Ok(Address::repeat_byte(7)));
    }

    #[test]
    fn tx_type_follows_fields() {
        let ty = |extra: &str| {
            let parts = parts(extra);
            tx_env(&parts, Address::ZERO, &Indexes::default(), 1).ok().unwrap().tx_type
        };
        assert_eq!(ty(r#", "gasPrice": "0x0a""#), 0);
        assert_eq!(ty(r#", "gasPrice": "0x0a", "accessLists": [[]]"#), 1);
        assert_eq!(ty(r#", "gasPrice": "0x0a", "accessLists": [null]"#), 0);
        assert_eq!(ty(r#", "maxFeePerGas": "0x0a", "maxPriorityFeePerGas": "0x01""#), 2);
        let blob = b256!("0100000000000000000000000000000000000000000000000000000000000000");
        assert_eq!(
            ty(&format!(r#", "maxFeePerGas": "0x0a", "blobVersionedHashes": ["{blob}"]"#)),
            3
        );
        assert_eq!(ty(r#", "maxFeePerGas": "0x0a", "authorizationList": []"#), 4);
    }

    #[test]
    fn too_wide_transaction_fields_are_invalid_not_panics() {
        let wide = "0x010000000000000000000000000000000000";
        for extra in [
            format!(r#", "gasPrice": "{wide}""#),
            format!(r#", "maxFeePerGas": "{wide}""#),
            format!(r#", "maxFeePerGas": "0x01", "maxPriorityFeePerGas": "{wide}""#),
            format!(r#", "gasPrice": "0x01", "maxFeePerBlobGas": "{wide}""#),
        ] {
            let parts = parts(&extra);
            let tx = tx_env(&parts, Address::ZERO, &Indexes::default(), 1);
            assert!(matches!(tx, Err(TxError::Invalid(_))), "{extra}");
        }
        let mut parts = parts(r#", "gasPrice": "0x01""#);
        parts.nonce = U256::from(u64::MAX) + U256::from(1);
        assert!(matches!(
            tx_env(&parts, Address::ZERO, &Indexes::default(), 1),
            Err(TxError::Invalid(_))
        ));
        parts.nonce = U256::ZERO;
        parts.gas_limit[0] = U256::MAX;
        assert!(matches!(
            tx_env(&parts, Address::ZERO, &Indexes::default(), 1),
            Err(TxError::Invalid(_))
        ));
        parts.value[0] = None;
        assert!(matches!(
            tx_env(&parts, Address::ZERO, &Indexes::default(), 1),
            Err(TxError::Invalid(_))
        ));
        let out = Indexes { data: 1, ..Default::default() };
        assert!(matches!(
            tx_env(&parts, Address::ZERO, &out, 1),
            Err(TxError::Setup(SetupError::IndexOutOfRange(_)))
        ));
    }

    #[test]
    fn blob_schedule_from_config() {
        let config: Config = serde_json::from_str(
            r#"{"chainid": "0x01", "blobSchedule": {
                "Cancun": {"target": "0x03", "max": "0x06", "baseFeeUpdateFraction": "0x32f0ed"},
                "Osaka": {"target": "0x06", "max": "0x09", "baseFeeUpdateFraction": "0x4c6964"}}}"#,
        )
        .unwrap();
        assert_eq!(blob_params(Some(&config), SpecId::SHANGHAI), Ok(None));
        let cancun = blob_params(Some(&config), SpecId::CANCUN).unwrap().unwrap();
        assert_eq!((cancun.max_blobs_per_block, cancun.max_blobs_per_tx), (6, 6));
        assert_eq!(cancun.update_fraction, 0x32f0ed);
        let osaka = blob_params(Some(&config), SpecId::OSAKA).unwrap().unwrap();
        assert_eq!((osaka.max_blobs_per_block, osaka.max_blobs_per_tx), (9, 6));
        // Not in the schedule: mainnet's.
        assert_eq!(blob_params(Some(&config), SpecId::PRAGUE), Ok(Some(BlobParams::PRAGUE)));
        assert_eq!(blob_params(None, SpecId::PRAGUE), Ok(Some(BlobParams::PRAGUE)));
    }
}
