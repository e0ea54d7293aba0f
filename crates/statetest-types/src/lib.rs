//! The Ethereum state-test format (`GeneralStateTests`, execution-spec-tests `state_test`) as
//! serde types, plus the two commitments a post entry checks: [`state_root`] and [`logs_hash`].
//!
//! Both dialects parse into the same types: ethereum/tests fillings (retesteth; post entries
//! with `hash`, `logs`, `indexes`, maybe `txbytes` and `expectException`) and
//! execution-spec-tests output (which adds `config` and the full post `state`).
//!
//! ```
//! use lamina_statetest_types::{TestFile, TrieAccount, state_root};
//! use lamina_primitives::{SpecId, U256, address};
//!
//! let json = r#"{
//!   "transfer": {
//!     "_info": { "comment": "ignored" },
//!     "env": {
//!       "currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
//!       "currentDifficulty": "0x020000",
//!       "currentGasLimit": "0x05f5e100",
//!       "currentNumber": "0x01",
//!       "currentTimestamp": "0x03e8"
//!     },
//!     "pre": {
//!       "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": {
//!         "balance": "0x0de0b6b3a7640000", "nonce": "0x00", "code": "0x", "storage": {}
//!       }
//!     },
//!     "transaction": {
//!       "data": ["0x", "0x01"], "gasLimit": ["0x5208"], "value": ["0x01"],
//!       "gasPrice": "0x0a", "nonce": "0x00", "to": "",
//!       "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"
//!     },
//!     "post": {
//!       "Berlin": [{
//!         "hash": "0x0000000000000000000000000000000000000000000000000000000000000000",
//!         "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
//!         "indexes": { "data": 1, "gas": 0, "value": 0 }
//!       }]
//!     }
//!   }
//! }"#;
//!
//! let file: TestFile = serde_json::from_str(json).unwrap();
//! let test = &file["transfer"];
//! assert_eq!(test.transaction.to, None); // "" means contract creation
//!
//! let case = test.cases().next().unwrap();
//! assert_eq!(case.spec(), Ok(SpecId::BERLIN));
//! let tx = test.transaction.select(&case.entry.indexes).unwrap();
//! assert_eq!(tx.data.as_ref(), [1]);
//! assert_eq!(tx.value, Some(U256::from(1)));
//!
//! // The pre-state's root, as a runner would compute it after executing the transaction.
//! let root = state_root(test.pre.iter().map(|(address, account)| (*address, account.into())));
//! let sender = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
//! let sender = TrieAccount::from(&test.pre[&sender]);
//! assert_ne!(root, state_root([]));
//! assert_eq!(sender.storage_root(), lamina_primitives::EMPTY_ROOT_HASH);
//! ```
#![warn(missing_docs)]

mod de;
pub mod fixtures;
mod hash;
mod types;

pub use hash::{
    AccountLeaf, TrieAccount, address_key, logs_hash, slot_key, state_root, state_root_hashed,
    storage_root_hashed,
};
pub use types::{
    AccessList, AccessListItem, Authorization, BlobScheduleEntry, Case, Config, Env, Indexes,
    PostEntry, SelectedTx, StateTest, TestAccount, TestFile, TransactionParts,
};
