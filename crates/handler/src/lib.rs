//! The transaction handler: validation, pre-execution, the frame loop and post-execution,
//! for every fork from Frontier to Osaka.
//!
//! ```
//! use lamina_context::{Context, TxEnv};
//! use lamina_database::InMemoryDB;
//! use lamina_handler::{ExecuteCommitEvm, MainBuilder};
//! use lamina_primitives::{Address, U256};
//! use lamina_state::AccountInfo;
//!
//! let alice = Address::repeat_byte(0xa1);
//! let bob = Address::repeat_byte(0xb0);
//! let mut db = InMemoryDB::default();
//! db.insert_account_info(alice, AccountInfo::from_balance(U256::from(10u64.pow(18))));
//! let mut evm = Context::mainnet().with_db(db).build_mainnet();
//! let tx = TxEnv::builder().caller(alice).to(bob).value(U256::from(1000)).gas_limit(21_000)
//!     .build();
//! let result = evm.transact_commit(tx).unwrap();
//! assert!(result.is_success());
//! assert_eq!(result.gas_used(), 21_000);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

/// The code blocks of README.md, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod evm;
mod frame;
mod handler;
mod precompile_provider;
pub mod validation;

pub use evm::{Evm, EvmTr, ExecuteCommitEvm, ExecuteEvm, MainBuilder};
pub use frame::{FrameHooks, FrameLoop, FrameResult, FrameStack};
pub use handler::{Handler, MainnetHandler, TxGas, halt_reason, recover_authority};
pub use precompile_provider::{DbErrorOf, EthPrecompiles, PrecompileProvider, run_precompile_fn};
pub use validation::InitialAndFloorGas;
