#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

pub use lamina_bytecode as bytecode;
pub use lamina_context as context;
pub use lamina_context_interface as context_interface;
pub use lamina_database as database;
pub use lamina_database_interface as database_interface;
pub use lamina_handler as handler;
pub use lamina_inspector as inspector;
pub use lamina_interpreter as interpreter;
pub use lamina_precompile as precompile;
pub use lamina_primitives as primitives;
pub use lamina_state as state;

pub use lamina_context::{BlockEnv, CfgEnv, Context, Journal, TxEnv};
pub use lamina_context_interface::{
    EVMError, ExecutionResult, HaltReason, InvalidTransaction, Output, ResultAndState,
};
pub use lamina_database::{CacheDB, InMemoryDB};
pub use lamina_database_interface::{Database, DatabaseCommit, DatabaseRef, EmptyDB};
pub use lamina_handler::{
    EthPrecompiles, Evm, EvmTr, ExecuteCommitEvm, ExecuteEvm, Handler, MainBuilder, MainnetHandler,
    PrecompileProvider,
};
#[cfg(feature = "std")]
pub use lamina_inspector::TracerEip3155;
pub use lamina_inspector::{InspectEvm, Inspector, InspectorEvmExt};
pub use lamina_primitives::SpecId;
