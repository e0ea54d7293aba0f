//! Analysed EVM bytecode and the opcode table.
//!
//! ```
//! use lamina_bytecode::{Bytecode, opcode};
//!
//! // PUSH1 0x5b (a JUMPDEST byte inside push data) JUMPDEST STOP
//! let code = Bytecode::new_raw([0x60, 0x5b, 0x5b, 0x00].into());
//! assert!(!code.is_valid_jump(1));
//! assert!(code.is_valid_jump(2));
//! assert_eq!(opcode::OPCODE_INFO[0x60].unwrap().name(), "PUSH1");
//! assert_eq!(code.to_string(), "0000: PUSH1 0x5b\n0002: JUMPDEST\n0003: STOP\n");
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod blocks;
mod bytecode;
pub mod opcode;

pub use blocks::{BlockCheck, Blocks, static_gas_key};
pub use bytecode::{Bytecode, Eip7702Code, JumpTable, LegacyCode, PADDING};
pub use opcode::{OPCODE_INFO, OpCode, OpCodeInfo};
