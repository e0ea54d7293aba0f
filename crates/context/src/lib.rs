//! The mainnet context: environment types, the journal and the `Host` implementation.
//!
//! ```
//! use lamina_context::{Context, TxEnv};
//! use lamina_context_interface::{ContextTr, Transaction};
//! use lamina_primitives::{Address, U256};
//!
//! let tx = TxEnv::builder().caller(Address::repeat_byte(1)).to(Address::repeat_byte(2))
//!     .value(U256::from(5)).gas_limit(21_000).build();
//! let ctx = Context::mainnet().with_tx(tx);
//! assert_eq!(ctx.tx().value(), U256::from(5));
//! assert_eq!(ctx.tx().tx_type(), 0);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod block;
mod cfg;
mod context;
mod journal;
mod tx;

pub use block::BlockEnv;
pub use cfg::CfgEnv;
pub use context::Context;
pub use journal::{Journal, JournalEntry};
pub use tx::{TxEnv, TxEnvBuilder};
