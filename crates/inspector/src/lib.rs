//! Inspection for Lamina: the [`Inspector`] trait, the inspecting frame loop
//! ([`InspectorHooks`]) and an EIP-3155 tracer ([`TracerEip3155`]) whose output is byte for
//! byte go-ethereum's.
//!
//! An inspector is attached to an [`Evm`](lamina_handler::Evm) as its frame-loop hooks; the
//! EVM then runs every frame in an inspecting interpreter loop, while an EVM without an
//! inspector keeps the plain loop and pays nothing. After running, the inspector is at
//! `evm.hooks.0`. To inspect one transaction on an EVM built without an inspector (through
//! `&mut`), use [`InspectEvm::inspect_tx`] or [`InspectEvm::inspect_replay`] instead.
//!
//! ```
//! use lamina_bytecode::Bytecode;
//! use lamina_context::{Context, TxEnv};
//! use lamina_database::InMemoryDB;
//! use lamina_handler::{ExecuteEvm, MainBuilder};
//! use lamina_inspector::{InspectorEvmExt, TracerEip3155};
//! use lamina_primitives::{Address, Bytes, U256};
//! use lamina_state::AccountInfo;
//!
//! let (alice, contract) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xc0));
//! let mut db = InMemoryDB::default();
//! db.insert_account_info(alice, AccountInfo::from_balance(U256::from(10u64.pow(18))));
//! // PUSH1 0x40, then the implicit STOP at the end of the code.
//! let code = Bytecode::new_raw(Bytes::from_static(&[0x60, 0x40]));
//! db.insert_account_info(contract, AccountInfo::default().with_code(code));
//!
//! let mut evm = Context::mainnet()
//!     .with_db(db)
//!     .build_mainnet()
//!     .with_inspector(TracerEip3155::new(Vec::new()));
//! let tx = TxEnv::builder().caller(alice).to(contract).gas_limit(100_000).build();
//! evm.transact(tx).unwrap();
//!
//! let trace = String::from_utf8(evm.hooks.0.into_writer()).unwrap();
//! assert_eq!(
//!     trace,
//!     concat!(
//!         r#"{"pc":0,"op":96,"gas":"0x13498","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#,
//!         "\n",
//!         r#"{"pc":2,"op":0,"gas":"0x13495","gasCost":"0x0","memSize":0,"stack":["0x40"],"depth":1,"refund":0,"opName":"STOP"}"#,
//!         "\n",
//!         r#"{"output":"","gasUsed":"0x3"}"#,
//!         "\n",
//!     )
//! );
//! ```
//!
//! `lamina run` (go-ethereum's `evm run`: one call frame, no transaction checks and no
//! intrinsic gas) runs the frame itself with
//! [`EvmTr::run_frames`](lamina_handler::EvmTr::run_frames) on the same EVM.
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

/// The code blocks of README.md, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(feature = "std")]
mod eip3155;
mod hooks;
mod inspect;
mod inspector;

#[cfg(feature = "std")]
pub use eip3155::{TracerEip3155, write_state_root};
pub use hooks::{InspectorEvmExt, InspectorHooks};
pub use inspect::InspectEvm;
pub use inspector::Inspector;
