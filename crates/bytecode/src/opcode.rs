//! Opcode constants and the opcode information table.
//!
//! [`OPCODE_INFO`] is the one place that says, for every opcode, its name, how many stack
//! words it takes and pushes, how many immediate bytes follow it, and whether it ends a basic
//! block. Which fork has which opcode, and at what gas, is the interpreter's per-fork table.

use core::fmt;

/// Static facts about one opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpCodeInfo {
    name: &'static str,
    inputs: u8,
    outputs: u8,
    immediate_size: u8,
    terminating: bool,
}

impl OpCodeInfo {
    /// The mnemonic, e.g. `"PUSH1"`.
    #[inline]
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// Stack words the opcode reads (pops, or for DUP/SWAP, needs present).
    #[inline]
    pub const fn inputs(&self) -> u8 {
        self.inputs
    }
    /// Stack words present after it for the ones it read (DUPn: n + 1).
    #[inline]
    pub const fn outputs(&self) -> u8 {
        self.outputs
    }
    /// Bytes of immediate data after the opcode (PUSHn: n).
    #[inline]
    pub const fn immediate_size(&self) -> u8 {
        self.immediate_size
    }
    /// Whether the opcode ends a basic block (STOP, JUMP, JUMPI, RETURN, REVERT, INVALID,
    /// SELFDESTRUCT).
    #[inline]
    pub const fn is_terminating(&self) -> bool {
        self.terminating
    }
    /// Net change of the stack height.
    #[inline]
    pub const fn stack_change(&self) -> i16 {
        self.outputs as i16 - self.inputs as i16
    }
}

/// An opcode byte with a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpCode(u8);

impl OpCode {
    /// The opcode for `byte`, if it is one.
    #[inline]
    pub const fn new(byte: u8) -> Option<Self> {
        match OPCODE_INFO[byte as usize] {
            Some(_) => Some(Self(byte)),
            None => None,
        }
    }
    /// The byte.
    #[inline]
    pub const fn get(self) -> u8 {
        self.0
    }
    /// Its entry in [`OPCODE_INFO`].
    #[inline]
    pub const fn info(self) -> OpCodeInfo {
        match OPCODE_INFO[self.0 as usize] {
            Some(info) => info,
            None => unreachable!(),
        }
    }
    /// Whether it is PUSH1..PUSH32.
    #[inline]
    pub const fn is_push(self) -> bool {
        self.0 >= PUSH1 && self.0 <= PUSH32
    }
}

impl fmt::Display for OpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name())
    }
}

macro_rules! opcodes {
    ($($byte:literal => $name:ident, $inputs:literal, $outputs:literal, $imm:literal, $term:literal;)*) => {
        $(
            #[doc = concat!("The `", stringify!($name), "` opcode.")]
            pub const $name: u8 = $byte;
        )*

        /// Information on every opcode byte; `None` for bytes that are no opcode.
        pub const OPCODE_INFO: [Option<OpCodeInfo>; 256] = {
            let mut table = [None; 256];
            $(
                table[$byte] = Some(OpCodeInfo {
                    name: stringify!($name),
                    inputs: $inputs,
                    outputs: $outputs,
                    immediate_size: $imm,
                    terminating: $term,
                });
            )*
            table
        };
    };
}

opcodes! {
    0x00 => STOP, 0, 0, 0, true;
    0x01 => ADD, 2, 1, 0, false;
    0x02 => MUL, 2, 1, 0, false;
    0x03 => SUB, 2, 1, 0, false;
    0x04 => DIV, 2, 1, 0, false;
    0x05 => SDIV, 2, 1, 0, false;
    0x06 => MOD, 2, 1, 0, false;
    0x07 => SMOD, 2, 1, 0, false;
    0x08 => ADDMOD, 3, 1, 0, false;
    0x09 => MULMOD, 3, 1, 0, false;
    0x0a => EXP, 2, 1, 0, false;
    0x0b => SIGNEXTEND, 2, 1, 0, false;
    0x10 => LT, 2, 1, 0, false;
    0x11 => GT, 2, 1, 0, false;
    0x12 => SLT, 2, 1, 0, false;
    0x13 => SGT, 2, 1, 0, false;
    0x14 => EQ, 2, 1, 0, false;
    0x15 => ISZERO, 1, 1, 0, false;
    0x16 => AND, 2, 1, 0, false;
    0x17 => OR, 2, 1, 0, false;
    0x18 => XOR, 2, 1, 0, false;
    0x19 => NOT, 1, 1, 0, false;
    0x1a => BYTE, 2, 1, 0, false;
    0x1b => SHL, 2, 1, 0, false;
    0x1c => SHR, 2, 1, 0, false;
    0x1d => SAR, 2, 1, 0, false;
    0x1e => CLZ, 1, 1, 0, false;
    0x20 => KECCAK256, 2, 1, 0, false;
    0x30 => ADDRESS, 0, 1, 0, false;
    0x31 => BALANCE, 1, 1, 0, false;
    0x32 => ORIGIN, 0, 1, 0, false;
    0x33 => CALLER, 0, 1, 0, false;
    0x34 => CALLVALUE, 0, 1, 0, false;
    0x35 => CALLDATALOAD, 1, 1, 0, false;
    0x36 => CALLDATASIZE, 0, 1, 0, false;
    0x37 => CALLDATACOPY, 3, 0, 0, false;
    0x38 => CODESIZE, 0, 1, 0, false;
    0x39 => CODECOPY, 3, 0, 0, false;
    0x3a => GASPRICE, 0, 1, 0, false;
    0x3b => EXTCODESIZE, 1, 1, 0, false;
    0x3c => EXTCODECOPY, 4, 0, 0, false;
    0x3d => RETURNDATASIZE, 0, 1, 0, false;
    0x3e => RETURNDATACOPY, 3, 0, 0, false;
    0x3f => EXTCODEHASH, 1, 1, 0, false;
    0x40 => BLOCKHASH, 1, 1, 0, false;
    0x41 => COINBASE, 0, 1, 0, false;
    0x42 => TIMESTAMP, 0, 1, 0, false;
    0x43 => NUMBER, 0, 1, 0, false;
    0x44 => DIFFICULTY, 0, 1, 0, false;
    0x45 => GASLIMIT, 0, 1, 0, false;
    0x46 => CHAINID, 0, 1, 0, false;
    0x47 => SELFBALANCE, 0, 1, 0, false;
    0x48 => BASEFEE, 0, 1, 0, false;
    0x49 => BLOBHASH, 1, 1, 0, false;
    0x4a => BLOBBASEFEE, 0, 1, 0, false;
    0x50 => POP, 1, 0, 0, false;
    0x51 => MLOAD, 1, 1, 0, false;
    0x52 => MSTORE, 2, 0, 0, false;
    0x53 => MSTORE8, 2, 0, 0, false;
    0x54 => SLOAD, 1, 1, 0, false;
    0x55 => SSTORE, 2, 0, 0, false;
    0x56 => JUMP, 1, 0, 0, true;
    0x57 => JUMPI, 2, 0, 0, true;
    0x58 => PC, 0, 1, 0, false;
    0x59 => MSIZE, 0, 1, 0, false;
    0x5a => GAS, 0, 1, 0, false;
    0x5b => JUMPDEST, 0, 0, 0, false;
    0x5c => TLOAD, 1, 1, 0, false;
    0x5d => TSTORE, 2, 0, 0, false;
    0x5e => MCOPY, 3, 0, 0, false;
    0x5f => PUSH0, 0, 1, 0, false;
    0x60 => PUSH1, 0, 1, 1, false;
    0x61 => PUSH2, 0, 1, 2, false;
    0x62 => PUSH3, 0, 1, 3, false;
    0x63 => PUSH4, 0, 1, 4, false;
    0x64 => PUSH5, 0, 1, 5, false;
    0x65 => PUSH6, 0, 1, 6, false;
    0x66 => PUSH7, 0, 1, 7, false;
    0x67 => PUSH8, 0, 1, 8, false;
    0x68 => PUSH9, 0, 1, 9, false;
    0x69 => PUSH10, 0, 1, 10, false;
    0x6a => PUSH11, 0, 1, 11, false;
    0x6b => PUSH12, 0, 1, 12, false;
    0x6c => PUSH13, 0, 1, 13, false;
    0x6d => PUSH14, 0, 1, 14, false;
    0x6e => PUSH15, 0, 1, 15, false;
    0x6f => PUSH16, 0, 1, 16, false;
    0x70 => PUSH17, 0, 1, 17, false;
    0x71 => PUSH18, 0, 1, 18, false;
    0x72 => PUSH19, 0, 1, 19, false;
    0x73 => PUSH20, 0, 1, 20, false;
    0x74 => PUSH21, 0, 1, 21, false;
    0x75 => PUSH22, 0, 1, 22, false;
    0x76 => PUSH23, 0, 1, 23, false;
    0x77 => PUSH24, 0, 1, 24, false;
    0x78 => PUSH25, 0, 1, 25, false;
    0x79 => PUSH26, 0, 1, 26, false;
    0x7a => PUSH27, 0, 1, 27, false;
    0x7b => PUSH28, 0, 1, 28, false;
    0x7c => PUSH29, 0, 1, 29, false;
    0x7d => PUSH30, 0, 1, 30, false;
    0x7e => PUSH31, 0, 1, 31, false;
    0x7f => PUSH32, 0, 1, 32, false;
    0x80 => DUP1, 1, 2, 0, false;
    0x81 => DUP2, 2, 3, 0, false;
    0x82 => DUP3, 3, 4, 0, false;
    0x83 => DUP4, 4, 5, 0, false;
    0x84 => DUP5, 5, 6, 0, false;
    0x85 => DUP6, 6, 7, 0, false;
    0x86 => DUP7, 7, 8, 0, false;
    0x87 => DUP8, 8, 9, 0, false;
    0x88 => DUP9, 9, 10, 0, false;
    0x89 => DUP10, 10, 11, 0, false;
    0x8a => DUP11, 11, 12, 0, false;
    0x8b => DUP12, 12, 13, 0, false;
    0x8c => DUP13, 13, 14, 0, false;
    0x8d => DUP14, 14, 15, 0, false;
    0x8e => DUP15, 15, 16, 0, false;
    0x8f => DUP16, 16, 17, 0, false;
    0x90 => SWAP1, 2, 2, 0, false;
    0x91 => SWAP2, 3, 3, 0, false;
    0x92 => SWAP3, 4, 4, 0, false;
    0x93 => SWAP4, 5, 5, 0, false;
    0x94 => SWAP5, 6, 6, 0, false;
    0x95 => SWAP6, 7, 7, 0, false;
    0x96 => SWAP7, 8, 8, 0, false;
    0x97 => SWAP8, 9, 9, 0, false;
    0x98 => SWAP9, 10, 10, 0, false;
    0x99 => SWAP10, 11, 11, 0, false;
    0x9a => SWAP11, 12, 12, 0, false;
    0x9b => SWAP12, 13, 13, 0, false;
    0x9c => SWAP13, 14, 14, 0, false;
    0x9d => SWAP14, 15, 15, 0, false;
    0x9e => SWAP15, 16, 16, 0, false;
    0x9f => SWAP16, 17, 17, 0, false;
    0xa0 => LOG0, 2, 0, 0, false;
    0xa1 => LOG1, 3, 0, 0, false;
    0xa2 => LOG2, 4, 0, 0, false;
    0xa3 => LOG3, 5, 0, 0, false;
    0xa4 => LOG4, 6, 0, 0, false;
    0xf0 => CREATE, 3, 1, 0, false;
    0xf1 => CALL, 7, 1, 0, false;
    0xf2 => CALLCODE, 7, 1, 0, false;
    0xf3 => RETURN, 2, 0, 0, true;
    0xf4 => DELEGATECALL, 6, 1, 0, false;
    0xf5 => CREATE2, 4, 1, 0, false;
    0xfa => STATICCALL, 6, 1, 0, false;
    0xfd => REVERT, 2, 0, 0, true;
    0xfe => INVALID, 0, 0, 0, true;
    0xff => SELFDESTRUCT, 1, 0, 0, true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_facts() {
        assert_eq!(OPCODE_INFO.iter().filter(|info| info.is_some()).count(), 150);
        assert_eq!(OpCode::new(PUSH32).unwrap().info().immediate_size(), 32);
        assert_eq!(OpCode::new(DUP16).unwrap().info().stack_change(), 1);
        assert_eq!(OpCode::new(SWAP16).unwrap().info().inputs(), 17);
        assert_eq!(OpCode::new(CALL).unwrap().info().inputs(), 7);
        assert_eq!(OpCode::new(LOG4).unwrap().info().inputs(), 6);
        assert!(OpCode::new(JUMPI).unwrap().info().is_terminating());
        assert!(OpCode::new(0x0c).is_none());
        assert!(OpCode::new(0xef).is_none());
        assert_eq!(OpCode::new(KECCAK256).unwrap().to_string(), "KECCAK256");
    }
}
