//! The Lamina interpreter: runs one frame of EVM code against a [`Host`].
//!
//! It needs no database and no handler: give it code, a host and a fork's
//! [`InstructionTable`], and it runs until the code ends or asks for a call or create
//! ([`InterpreterAction`]).
//!
//! ```
//! use lamina_interpreter::{
//!     DummyHost, FrameContext, GasParams, InstructionResult, InstructionTable, Interpreter,
//!     InterpreterAction, SharedMemory, Stack,
//! };
//! use lamina_bytecode::Bytecode;
//! use lamina_primitives::{Bytes, SpecId};
//!
//! // PUSH1 2, PUSH1 3, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
//! let code = Bytecode::new_raw(Bytes::from_static(&[
//!     0x60, 0x02, 0x60, 0x03, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3,
//! ]));
//! let table = InstructionTable::<DummyHost>::new(SpecId::OSAKA);
//! let mut interpreter = Interpreter::new(
//!     &code, FrameContext::default(), 100_000, table.gas, SharedMemory::new(), Stack::new(),
//! );
//! let mut host = DummyHost::default();
//! let InterpreterAction::Return(result) = interpreter.run(&table, &mut host) else { panic!() };
//! assert_eq!(result.result, InstructionResult::Return);
//! assert_eq!(result.output[31], 5);
//! assert_eq!(result.gas.spent(), 3 * 6 + 3 + 3); // six pushes and ADD at 3, one memory word
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

/// The code blocks of README.md, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod action;
pub mod gas;
pub mod host;
mod instruction_result;
pub mod instructions;
mod interpreter;
pub mod memory;
mod stack;
pub mod table;

pub use action::{
    CallInput, CallInputs, CallOutcome, CallScheme, CallValue, CreateInputs, CreateOutcome,
    CreateScheme, FrameInput, InterpreterAction, InterpreterResult,
};
pub use gas::{Gas, GasParams, SstoreRule};
pub use host::{AccountLoad, DummyHost, Host, SStoreResult, SelfDestructResult, StateLoad};
pub use instruction_result::InstructionResult;
pub use interpreter::{FrameContext, Interpreter};
pub use memory::SharedMemory;
pub use stack::Stack;
pub use table::{Instruction, InstructionFn, InstructionTable};
