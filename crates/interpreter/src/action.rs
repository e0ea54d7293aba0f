//! What a frame asks of the frame loop when it stops.

use crate::{Gas, InstructionResult, SharedMemory};
use core::ops::Range;
use lamina_primitives::{Address, B256, Bytes, U256, keccak256};

/// The kind of message call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallScheme {
    /// CALL.
    Call,
    /// CALLCODE: the callee's code in the caller's context, with value.
    CallCode,
    /// DELEGATECALL: the callee's code in the caller's context, caller and value kept.
    DelegateCall,
    /// STATICCALL: no state changes allowed.
    StaticCall,
}

/// The value of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallValue {
    /// Value moved from caller to target.
    Transfer(U256),
    /// Value seen by CALLVALUE but not moved (DELEGATECALL).
    Apparent(U256),
}

impl CallValue {
    /// The value CALLVALUE reports.
    #[inline]
    pub fn get(&self) -> U256 {
        match *self {
            Self::Transfer(v) | Self::Apparent(v) => v,
        }
    }

    /// The value to transfer, if any is moved.
    #[inline]
    pub fn transfer(&self) -> Option<U256> {
        match *self {
            Self::Transfer(v) if !v.is_zero() => Some(v),
            _ => None,
        }
    }
}

/// The call data of a message call: bytes of its own, or a range of the caller's memory.
///
/// CALL and its kin lend the callee the caller's memory instead of copying it: the caller
/// cannot run (or change its memory) until the callee returns, and its memory stays in the
/// [`SharedMemory`] buffer below the callee's. Call data that was copied (a transaction's, or
/// one an inspector was shown) is held as [`Bytes`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallInput(Source);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Source {
    Bytes(Bytes),
    /// Absolute offsets into the shared memory buffer (all frames' memory).
    CallerMemory(Range<usize>),
}

impl CallInput {
    /// `len` bytes at `offset` of the current frame's memory in `memory`, lent, not copied.
    /// Valid while that frame's memory is: its callee's frame (run on the same memory after
    /// [`SharedMemory::new_context`]), or the frame loop before the callee starts. A range past
    /// the memory reads as empty call data.
    pub fn caller_memory(memory: &SharedMemory, offset: usize, len: usize) -> Self {
        let start = memory.context_start().saturating_add(offset);
        Self(Source::CallerMemory(start..start.saturating_add(len)))
    }

    /// The length of the call data.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            Source::Bytes(bytes) => bytes.len(),
            Source::CallerMemory(range) => range.len(),
        }
    }

    /// Whether the call data is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The call data, read from `memory` when it is lent from the caller's memory. A range
    /// that `memory` does not hold (a `CallInput` kept past its caller's frame, or read with
    /// another transaction's memory) reads as empty call data rather than panicking.
    #[inline]
    pub fn bytes<'a>(&'a self, memory: &'a SharedMemory) -> &'a [u8] {
        self.read(memory.whole())
    }

    /// The call data, with `buffer` the shared memory buffer or its part below the reading
    /// frame (which holds every range a frame can be lent).
    #[inline]
    pub(crate) fn read<'a>(&'a self, buffer: &'a [u8]) -> &'a [u8] {
        match &self.0 {
            Source::Bytes(bytes) => bytes,
            Source::CallerMemory(range) => buffer.get(range.clone()).unwrap_or_default(),
        }
    }

    /// The call data as [`Bytes`] of its own, if it has them (it is not lent memory).
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            Source::Bytes(bytes) => Some(bytes),
            Source::CallerMemory(_) => None,
        }
    }

    /// Makes lent call data owned: copies the range out of `memory` (see
    /// [`CallInput::bytes`]). Owned call data is left as it is.
    pub fn make_owned(&mut self, memory: &SharedMemory) {
        if let Source::CallerMemory(_) = self.0 {
            let bytes = Bytes::copy_from_slice(self.bytes(memory));
            self.0 = Source::Bytes(bytes);
        }
    }
}

impl Default for CallInput {
    fn default() -> Self {
        Self(Source::Bytes(Bytes::new()))
    }
}

impl From<Bytes> for CallInput {
    fn from(bytes: Bytes) -> Self {
        Self(Source::Bytes(bytes))
    }
}

/// Everything needed to run a message call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInputs {
    /// Call data: read it with [`CallInput::bytes`] and the frame loop's memory. An
    /// inspector's `call` hook always sees it owned ([`CallInput::as_bytes`]).
    pub input: CallInput,
    /// Where in the caller's memory the output goes.
    pub return_memory_offset: Range<usize>,
    /// Gas given to the callee (stipend included).
    pub gas_limit: u64,
    /// Whose code runs.
    pub bytecode_address: Address,
    /// Whose storage and balance the code acts on (ADDRESS).
    pub target_address: Address,
    /// CALLER inside the callee.
    pub caller: Address,
    /// The value.
    pub value: CallValue,
    /// The call kind.
    pub scheme: CallScheme,
    /// Whether the callee runs static.
    pub is_static: bool,
}

/// How a created contract's address is derived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CreateScheme {
    /// CREATE: from the creator and its nonce.
    Create,
    /// CREATE2: from the creator, a salt and the init code hash.
    Create2 {
        /// The salt.
        salt: U256,
    },
}

/// Everything needed to run a contract creation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateInputs {
    /// The creator.
    pub caller: Address,
    /// CREATE or CREATE2.
    pub scheme: CreateScheme,
    /// Endowment.
    pub value: U256,
    /// Init code.
    pub init_code: Bytes,
    /// Gas given to the init code.
    pub gas_limit: u64,
}

impl CreateInputs {
    /// The new contract's address, given the creator's nonce before the creation.
    pub fn created_address(&self, nonce: u64) -> Address {
        match self.scheme {
            CreateScheme::Create => self.caller.create(nonce),
            CreateScheme::Create2 { salt } => {
                self.caller.create2(B256::from(salt), keccak256(&self.init_code))
            }
        }
    }
}

/// A request for a new frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameInput {
    /// A message call.
    Call(CallInputs),
    /// A contract creation.
    Create(CreateInputs),
}

/// How a frame ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpreterResult {
    /// Why it ended.
    pub result: InstructionResult,
    /// RETURN or REVERT data.
    pub output: Bytes,
    /// Its gas (on an exceptional halt nothing is left and nothing is refunded).
    pub gas: Gas,
}

impl InterpreterResult {
    /// A result.
    pub fn new(result: InstructionResult, output: Bytes, gas: Gas) -> Self {
        Self { result, output, gas }
    }
}

/// What the interpreter hands the frame loop when it stops running.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum InterpreterAction {
    /// Run this frame, then resume me with its outcome.
    NewFrame(FrameInput),
    /// I am done.
    Return(InterpreterResult),
    /// Nothing (only before the interpreter has run).
    #[default]
    None,
}

/// The outcome of a call frame, handed back to its caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallOutcome {
    /// The callee's result.
    pub result: InterpreterResult,
    /// Where the output goes in the caller's memory.
    pub memory_offset: Range<usize>,
}

/// The outcome of a create frame, handed back to its creator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateOutcome {
    /// The init code's result.
    pub result: InterpreterResult,
    /// The new contract's address on success.
    pub address: Option<Address>,
}
