//! The serde model of a state-test file.
//!
//! Unknown fields are ignored everywhere (`_info`, and whatever future fillers add), so the types
//! hold only what a runner needs.

use std::collections::BTreeMap;

use lamina_primitives::{Address, B256, Bytes, SpecId, U256, UnknownSpec};
use serde::Deserialize;

use crate::de;

/// A whole fixture file: test name → test.
pub type TestFile = BTreeMap<String, StateTest>;

/// One state test: a pre-state, a block environment, a transaction template with several data,
/// gas and value variants, and the expected outcome per fork and variant.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StateTest {
    /// The block the transaction runs in.
    pub env: Env,
    /// Accounts that exist before the transaction.
    pub pre: BTreeMap<Address, TestAccount>,
    /// The transaction variants.
    pub transaction: TransactionParts,
    /// Expected outcomes: fork name (as the test suites spell it) → one entry per variant tested.
    pub post: BTreeMap<String, Vec<PostEntry>>,
    /// Chain configuration; only execution-spec-tests output has it.
    pub config: Option<Config>,
}

impl StateTest {
    /// Every case of the test: each post entry together with its fork, in fork-name order.
    pub fn cases(&self) -> impl Iterator<Item = Case<'_>> {
        self.post.iter().flat_map(|(fork, entries)| {
            entries.iter().map(move |entry| Case { fork: fork.as_str(), entry })
        })
    }
}

/// One case of a [`StateTest`]: a post entry and the fork it is expected under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case<'a> {
    /// The fork name as written in the file (`"EIP150"`, `"ConstantinopleFix"`, `"Paris"`, …).
    pub fork: &'a str,
    /// The expected outcome.
    pub entry: &'a PostEntry,
}

impl Case<'_> {
    /// The fork as a [`SpecId`].
    pub fn spec(&self) -> Result<SpecId, UnknownSpec> {
        self.fork.parse()
    }
}

/// The block environment (`env`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    /// Beneficiary of the block.
    pub current_coinbase: Address,
    /// Difficulty; zero-valued after the Merge, where `current_random` takes its place.
    pub current_difficulty: U256,
    /// PREVRANDAO (Paris and later).
    pub current_random: Option<B256>,
    /// EIP-1559 base fee (London and later).
    pub current_base_fee: Option<U256>,
    /// EIP-4844 excess blob gas (Cancun and later).
    pub current_excess_blob_gas: Option<U256>,
    /// Block gas limit.
    pub current_gas_limit: U256,
    /// Block number.
    pub current_number: U256,
    /// Block timestamp.
    pub current_timestamp: U256,
    /// Hash of the parent block (older retesteth fillings only).
    pub previous_hash: Option<B256>,
    /// EIP-4788 parent beacon block root; none of the bundled fixtures sets it.
    #[serde(alias = "currentBeaconRoot")]
    pub parent_beacon_block_root: Option<B256>,
}

/// An account as the fixtures write it, both in `pre` and in a post entry's `state`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct TestAccount {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    #[serde(deserialize_with = "de::u64")]
    pub nonce: u64,
    /// Code.
    pub code: Bytes,
    /// Storage slots. The fixtures list only non-zero values, but zeros are accepted.
    pub storage: BTreeMap<U256, U256>,
}

/// The transaction template: one transaction per choice of [`Indexes`] into `data`, `gas_limit`
/// and `value`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionParts {
    /// Calldata (or initcode for a creation) variants.
    pub data: Vec<Bytes>,
    /// Gas limit variants.
    pub gas_limit: Vec<U256>,
    /// Value variants. `None` stands for a value wider than 256 bits, which no valid
    /// transaction can carry: a runner must treat such a case as an invalid transaction.
    #[serde(deserialize_with = "de::tx_values")]
    pub value: Vec<Option<U256>>,
    /// Gas price of a legacy or EIP-2930 transaction.
    pub gas_price: Option<U256>,
    /// EIP-1559 fee cap.
    pub max_fee_per_gas: Option<U256>,
    /// EIP-1559 priority fee cap.
    pub max_priority_fee_per_gas: Option<U256>,
    /// Sender nonce.
    pub nonce: U256,
    /// Recipient; `None` creates a contract (the fixtures write `""`).
    #[serde(default, deserialize_with = "de::to")]
    pub to: Option<Address>,
    /// The sender, when the filler wrote it down (every bundled fixture does). Otherwise it
    /// must be recovered from `secret_key`.
    pub sender: Option<Address>,
    /// The sender's private key.
    pub secret_key: B256,
    /// EIP-2930 access lists, one per `data` variant; an entry is `null` where that variant
    /// has none.
    pub access_lists: Option<Vec<Option<AccessList>>>,
    /// EIP-4844 blob versioned hashes.
    pub blob_versioned_hashes: Option<Vec<B256>>,
    /// EIP-4844 blob fee cap.
    pub max_fee_per_blob_gas: Option<U256>,
    /// EIP-7702 authorizations.
    pub authorization_list: Option<Vec<Authorization>>,
}

impl TransactionParts {
    /// The transaction variant `indexes` picks, or `None` if an index is out of range.
    pub fn select(&self, indexes: &Indexes) -> Option<SelectedTx<'_>> {
        let access_list = match &self.access_lists {
            None => None,
            // Access lists follow the data index: each calldata variant has its own.
            Some(lists) => lists.get(indexes.data)?.as_ref(),
        };
        Some(SelectedTx {
            data: self.data.get(indexes.data)?,
            gas_limit: *self.gas_limit.get(indexes.gas)?,
            value: *self.value.get(indexes.value)?,
            access_list,
        })
    }
}

/// The variant-dependent parts of one transaction, from [`TransactionParts::select`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SelectedTx<'a> {
    /// Calldata or initcode.
    pub data: &'a Bytes,
    /// Gas limit.
    pub gas_limit: U256,
    /// Value; `None` if wider than 256 bits (see [`TransactionParts::value`]).
    pub value: Option<U256>,
    /// The access list, if the transaction has one.
    pub access_list: Option<&'a AccessList>,
}

/// An EIP-2930 access list.
pub type AccessList = Vec<AccessListItem>;

/// One address of an access list with the storage keys it pre-warms.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessListItem {
    /// The account.
    pub address: Address,
    /// Its storage slots.
    pub storage_keys: Vec<B256>,
}

/// An EIP-7702 authorization tuple, signature included.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// Chain id the authorization is valid on (0: any). Tests use values up to 2^256 − 1.
    pub chain_id: U256,
    /// The account whose code the authority delegates to.
    pub address: Address,
    /// The authority's nonce.
    #[serde(deserialize_with = "de::u64")]
    pub nonce: u64,
    /// Signature parity. Not narrowed to a bit: tests use invalid values such as 2 and 255.
    pub y_parity: U256,
    /// The same parity under its legacy name, when the filler wrote both.
    pub v: Option<U256>,
    /// Signature `r`.
    pub r: U256,
    /// Signature `s`.
    pub s: U256,
    /// The recovered authority, when the filler wrote it down (absent for invalid signatures).
    pub signer: Option<Address>,
}

/// An expected outcome (`post` entry).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostEntry {
    /// State root after the transaction (the pre-state root if the transaction is invalid).
    pub hash: B256,
    /// [`logs_hash`](crate::logs_hash) of the logs the transaction emitted.
    pub logs: B256,
    /// Which transaction variant this entry is about.
    pub indexes: Indexes,
    /// Why the transaction is invalid, e.g. `"TransactionException.INTRINSIC_GAS_TOO_LOW"`;
    /// `None` for a valid transaction.
    pub expect_exception: Option<String>,
    /// The signed transaction's encoding (absent from the oldest fillings).
    pub txbytes: Option<Bytes>,
    /// The full expected post-state (execution-spec-tests output only).
    pub state: Option<BTreeMap<Address, TestAccount>>,
}

/// Indexes into [`TransactionParts`]' `data`, `gas_limit` and `value`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
pub struct Indexes {
    /// Index into `data` (and `access_lists`).
    pub data: usize,
    /// Index into `gas_limit`.
    pub gas: usize,
    /// Index into `value`.
    pub value: usize,
}

/// Chain configuration written by execution-spec-tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Chain id.
    #[serde(rename = "chainid")]
    pub chain_id: Option<U256>,
    /// EIP-7840 blob parameters per fork name (tests filled for Cancun or later).
    pub blob_schedule: Option<BTreeMap<String, BlobScheduleEntry>>,
}

/// The blob parameters of one fork.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobScheduleEntry {
    /// Target blobs per block.
    pub target: U256,
    /// Maximum blobs per block.
    pub max: U256,
    /// Denominator of the blob base fee update.
    pub base_fee_update_fraction: U256,
}

#[cfg(test)]
mod tests {
    use lamina_primitives::address;

    use super::*;

    fn parts() -> TransactionParts {
        serde_json::from_str(
            r#"{
              "data": ["0x01", "0x02"], "gasLimit": ["0x10", "0x20"], "value": ["0x00"],
              "nonce": "0x00", "to": "0x1000000000000000000000000000000000000000",
              "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8",
              "accessLists": [null, [{"address": "0x1000000000000000000000000000000000000000",
                "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000001"]}]]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn select_follows_indexes() {
        let parts = parts();
        let first = parts.select(&Indexes { data: 0, gas: 1, value: 0 }).unwrap();
        assert_eq!(
            (first.data.as_ref(), first.gas_limit, first.access_list),
            (&[1][..], U256::from(0x20), None)
        );
        let second = parts.select(&Indexes { data: 1, gas: 0, value: 0 }).unwrap();
        let list = second.access_list.unwrap();
        assert_eq!(list[0].address, address!("1000000000000000000000000000000000000000"));
        assert_eq!(list[0].storage_keys, [B256::with_last_byte(1)]);
        for out_of_range in [
            Indexes { data: 2, ..Default::default() },
            Indexes { gas: 2, ..Default::default() },
            Indexes { value: 1, ..Default::default() },
        ] {
            assert_eq!(parts.select(&out_of_range), None, "{out_of_range:?}");
        }
    }

    #[test]
    fn malformed_json_is_an_error() {
        let bad = [
            "",
            "{",
            "[]",
            r#"{"t": {}}"#,
            r#"{"t": {"env": 5}}"#,
            r#"{"t": {"env": {}, "pre": {}, "transaction": {}, "post": {}}}"#,
            r#"{"t": {"pre": {"0xzz": {}}}}"#,
            r#"{"t": {"pre": {"0x1000000000000000000000000000000000000000": {"balance": "0xg"}}}}"#,
            r#"{"t": {"post": {"Cancun": [{"hash": "0x01"}]}}}"#,
            "\u{0}\u{ff}",
        ];
        for text in bad {
            assert!(serde_json::from_str::<TestFile>(text).is_err(), "{text:?}");
        }
        assert!(serde_json::from_slice::<TestFile>(&[0xff, 0xfe, b'{']).is_err());
        assert_eq!(serde_json::from_str::<TestFile>("{}").unwrap(), TestFile::new());
    }
}
