//! Traits between the handler and the world, and the result and error types.
//!
//! ```
//! use lamina_context_interface::{ExecutionResult, Output, SuccessReason};
//! use lamina_primitives::Bytes;
//!
//! let result: ExecutionResult = ExecutionResult::Success {
//!     reason: SuccessReason::Stop,
//!     gas_used: 21_000,
//!     gas_refunded: 0,
//!     logs: vec![],
//!     output: Output::Call(Bytes::new()),
//! };
//! assert!(result.is_success());
//! assert_eq!(result.gas_used(), 21_000);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod block;
pub mod cfg;
pub mod context;
pub mod journal;
pub mod result;
pub mod transaction;

pub use block::{BlobExcessGasAndPrice, Block, calc_blob_gasprice, fake_exponential};
pub use cfg::{BlobParams, Cfg};
pub use context::{ContextError, ContextTr};
pub use journal::{JournalCheckpoint, JournalTr, TransferError};
pub use result::{
    EVMError, ExecutionResult, HaltReason, InvalidHeader, InvalidTransaction, OutOfGasError,
    Output, ResultAndState, SuccessReason,
};
pub use transaction::{
    AccessListItem, Authorization, SignedAuthorization, Transaction, TransactionType, TxKind,
};
