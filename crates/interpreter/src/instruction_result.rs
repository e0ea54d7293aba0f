//! How a frame's execution ends.

/// The outcome of running a frame, or why it stopped for now.
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InstructionResult {
    /// Still running (internal; never returned as a frame's result).
    #[default]
    Continue = 0,
    /// STOP, or ran off the end of the code.
    Stop,
    /// RETURN.
    Return,
    /// SELFDESTRUCT.
    SelfDestruct,
    /// REVERT: state changes undone, remaining gas returned.
    Revert,
    /// Paused to run a call or create frame (internal).
    CallOrCreate,
    /// Leaving the running loop because how instructions are checked changed: per block to
    /// per instruction, or after a warm-up, per instruction to per block (internal to
    /// [`crate::Interpreter::execute`]; never seen outside it).
    ChecksChanged,
    /// A CREATE whose init code was too large (EIP-3860): the creating frame halts.
    CreateInitCodeSizeLimit,
    /// Out of gas.
    OutOfGas,
    /// Out of gas while expanding memory.
    MemoryOOG,
    /// Memory would grow past the configured limit.
    MemoryLimitOOG,
    /// A precompile ran out of gas.
    PrecompileOOG,
    /// An operand too large to be paid for (for example a huge memory offset).
    InvalidOperandOOG,
    /// SSTORE with no more than the call stipend left (EIP-2200).
    ReentrancySentryOOG,
    /// An opcode the fork does not have.
    OpcodeNotFound,
    /// The designated INVALID opcode, 0xFE.
    InvalidFEOpcode,
    /// CALL with value inside a static call.
    CallNotAllowedInsideStatic,
    /// A state change (SSTORE, LOG, CREATE, SELFDESTRUCT, TSTORE) inside a static call.
    StateChangeDuringStaticCall,
    /// JUMP or JUMPI to a byte that is not a JUMPDEST.
    InvalidJump,
    /// Too few stack items.
    StackUnderflow,
    /// More than 1024 stack items.
    StackOverflow,
    /// RETURNDATACOPY past the end of the return data.
    OutOfOffset,
    /// CREATE onto an account that already has code or nonce.
    CreateCollision,
    /// A value transfer the payer cannot afford (internal to the handler).
    OutOfFunds,
    /// A precompile failed.
    PrecompileError,
    /// The creator's nonce would overflow.
    NonceOverflow,
    /// Deployed code over the EIP-170 limit.
    CreateContractSizeLimit,
    /// Deployed code starting with 0xEF (EIP-3541).
    CreateContractStartingWithEF,
    /// Call depth above 1024.
    CallTooDeep,
    /// The host failed (a database error); the transaction is aborted.
    FatalExternalError,
}

impl InstructionResult {
    /// Stop, Return or SelfDestruct.
    #[inline]
    pub const fn is_ok(self) -> bool {
        matches!(self, Self::Stop | Self::Return | Self::SelfDestruct)
    }

    /// Revert, or a call or create that failed before running code (too deep, value not
    /// affordable, nonce overflow): state undone, gas handed back.
    #[inline]
    pub const fn is_revert(self) -> bool {
        matches!(self, Self::Revert | Self::CallTooDeep | Self::OutOfFunds | Self::NonceOverflow)
    }

    /// An exceptional halt: all gas of the frame is consumed.
    #[inline]
    pub const fn is_error(self) -> bool {
        !self.is_ok()
            && !self.is_revert()
            && !matches!(self, Self::Continue | Self::CallOrCreate | Self::ChecksChanged)
    }

    /// Success or revert: the frame hands back its remaining gas.
    #[inline]
    pub const fn is_ok_or_revert(self) -> bool {
        self.is_ok() || self.is_revert()
    }
}
