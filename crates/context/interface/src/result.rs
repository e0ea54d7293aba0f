//! What executing a transaction returns.

use alloc::{string::String, vec::Vec};
use lamina_primitives::{Address, Bytes, Log, U256};
use lamina_state::EvmState;

/// Why a successful execution stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuccessReason {
    /// STOP or end of code.
    Stop,
    /// RETURN.
    Return,
    /// SELFDESTRUCT.
    SelfDestruct,
}

/// Which out-of-gas it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutOfGasError {
    /// Plain out of gas.
    Basic,
    /// Memory expansion.
    Memory,
    /// Past the memory limit.
    MemoryLimit,
    /// In a precompile.
    Precompile,
    /// An operand too large to pay for.
    InvalidOperand,
    /// SSTORE with no more than the stipend (EIP-2200).
    ReentrancySentry,
}

/// Why execution halted exceptionally (all gas consumed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HaltReason {
    /// Out of gas.
    OutOfGas(OutOfGasError),
    /// An opcode the fork lacks.
    OpcodeNotFound,
    /// 0xFE.
    InvalidFEOpcode,
    /// Jump to a non-JUMPDEST.
    InvalidJump,
    /// Stack underflow.
    StackUnderflow,
    /// Stack overflow.
    StackOverflow,
    /// RETURNDATACOPY out of bounds.
    OutOfOffset,
    /// CREATE onto an existing contract.
    CreateCollision,
    /// A precompile failed.
    PrecompileError,
    /// Nonce overflow.
    NonceOverflow,
    /// Deployed code too large (EIP-170).
    CreateContractSizeLimit,
    /// Deployed code starting with 0xEF (EIP-3541).
    CreateContractStartingWithEF,
    /// Init code too large (EIP-3860).
    CreateInitCodeSizeLimit,
    /// State change in a static call.
    StateChangeDuringStaticCall,
    /// CALL with value in a static call.
    CallNotAllowedInsideStatic,
    /// Not enough funds for a transfer.
    OutOfFunds,
    /// Call depth over 1024.
    CallTooDeep,
}

/// The output of a call or create.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// Return data of a call.
    Call(Bytes),
    /// Deployed code and the new address of a create.
    Create(Bytes, Option<Address>),
}

impl Output {
    /// The bytes.
    pub fn data(&self) -> &Bytes {
        match self {
            Self::Call(data) | Self::Create(data, _) => data,
        }
    }
}

/// The outcome of a transaction that was valid.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionResult<H = HaltReason> {
    /// Success.
    Success {
        /// How it stopped.
        reason: SuccessReason,
        /// Gas used, after refund (the receipt's value).
        gas_used: u64,
        /// The refund applied.
        gas_refunded: u64,
        /// Logs.
        logs: Vec<Log>,
        /// Output.
        output: Output,
    },
    /// REVERT: changes undone, remaining gas returned.
    Revert {
        /// Gas used.
        gas_used: u64,
        /// Revert data.
        output: Bytes,
    },
    /// Exceptional halt: all gas consumed.
    Halt {
        /// Why.
        reason: H,
        /// Gas used (the whole limit, or the EIP-7623 floor).
        gas_used: u64,
    },
}

impl<H> ExecutionResult<H> {
    /// Whether it succeeded.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success { .. })
    }
    /// Whether it halted exceptionally.
    pub fn is_halt(&self) -> bool {
        matches!(self, Self::Halt { .. })
    }
    /// Gas used.
    pub fn gas_used(&self) -> u64 {
        match self {
            Self::Success { gas_used, .. }
            | Self::Revert { gas_used, .. }
            | Self::Halt { gas_used, .. } => *gas_used,
        }
    }
    /// Output (return data or revert data); `None` on a halt.
    pub fn output(&self) -> Option<&Bytes> {
        match self {
            Self::Success { output, .. } => Some(output.data()),
            Self::Revert { output, .. } => Some(output),
            Self::Halt { .. } => None,
        }
    }
    /// Logs (empty unless successful).
    pub fn logs(&self) -> &[Log] {
        match self {
            Self::Success { logs, .. } => logs,
            _ => &[],
        }
    }
}

/// A result and the state it changed, not yet committed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultAndState<R = ExecutionResult> {
    /// The result.
    pub result: R,
    /// The changed accounts.
    pub state: EvmState,
}

/// Why a transaction is invalid. An invalid transaction changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InvalidTransaction {
    /// EIP-1559: max priority fee above max fee.
    #[error("priority fee is greater than max fee")]
    PriorityFeeGreaterThanMaxFee,
    /// Max fee per gas below the block's base fee.
    #[error("gas price is less than basefee")]
    GasPriceLessThanBasefee,
    /// Gas limit above the block's.
    #[error("caller gas limit exceeds the block gas limit")]
    CallerGasLimitMoreThanBlock,
    /// EIP-7825: gas limit above the transaction cap.
    #[error("transaction gas limit {gas_limit} exceeds the cap {cap}")]
    TxGasLimitGreaterThanCap {
        /// The transaction's limit.
        gas_limit: u64,
        /// The cap.
        cap: u64,
    },
    /// Gas limit below the intrinsic gas.
    #[error("call gas cost ({gas_limit}) exceeds the intrinsic gas ({initial_gas})")]
    CallGasCostMoreThanGasLimit {
        /// Intrinsic gas.
        initial_gas: u64,
        /// The limit.
        gas_limit: u64,
    },
    /// EIP-7623: gas limit below the calldata floor.
    #[error("gas floor ({gas_floor}) exceeds the gas limit ({gas_limit})")]
    GasFloorMoreThanGasLimit {
        /// The floor.
        gas_floor: u64,
        /// The limit.
        gas_limit: u64,
    },
    /// EIP-3607: the sender has code.
    #[error("reject transactions from senders with deployed code")]
    RejectCallerWithCode,
    /// The sender cannot pay.
    #[error("lack of funds ({balance}) for max fee ({fee})")]
    LackOfFundForMaxFee {
        /// What it must afford.
        fee: U256,
        /// What it has.
        balance: U256,
    },
    /// Overflow computing the fee.
    #[error("overflow payment in transaction")]
    OverflowPaymentInTransaction,
    /// Nonce overflow.
    #[error("nonce overflow in transaction")]
    NonceOverflowInTransaction,
    /// Nonce above the account's.
    #[error("nonce {tx} too high, expected {state}")]
    NonceTooHigh {
        /// The transaction's.
        tx: u64,
        /// The account's.
        state: u64,
    },
    /// Nonce below the account's.
    #[error("nonce {tx} too low, expected {state}")]
    NonceTooLow {
        /// The transaction's.
        tx: u64,
        /// The account's.
        state: u64,
    },
    /// EIP-3860: init code too large.
    #[error("create initcode size limit")]
    CreateInitCodeSizeLimit,
    /// Chain id mismatch.
    #[error("invalid chain id")]
    InvalidChainId,
    /// A typed transaction (EIP-2718, types 1 to 4) without a chain id: every typed
    /// transaction signs one; only a legacy transaction may go without (pre-EIP-155).
    #[error("missing chain id")]
    MissingChainId,
    /// The transaction type is not in this fork.
    #[error("transaction type not supported")]
    TxTypeNotSupported,
    /// Blob transaction with max fee per blob gas below the blob base fee.
    #[error("blob gas price is greater than max fee per blob gas")]
    BlobGasPriceGreaterThanMax,
    /// Blob transaction without blobs.
    #[error("empty blobs")]
    EmptyBlobs,
    /// Blob transaction that creates.
    #[error("blob create transaction")]
    BlobCreateTransaction,
    /// Too many blobs.
    #[error("too many blobs, have {have}, max {max}")]
    TooManyBlobs {
        /// Blobs in the transaction.
        have: usize,
        /// Allowed.
        max: usize,
    },
    /// A versioned hash with the wrong version byte.
    #[error("blob version not supported")]
    BlobVersionNotSupported,
    /// EIP-7702 transaction with an empty authorization list.
    #[error("empty authorization list")]
    EmptyAuthorizationList,
    /// EIP-7702 transaction that creates.
    #[error("EIP-7702 create transaction")]
    Eip7702CreateTransaction,
}

/// Why a block header is unusable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InvalidHeader {
    /// From the Merge, PREVRANDAO must be set.
    #[error("prevrandao not set")]
    PrevrandaoNotSet,
    /// From Cancun, excess blob gas must be set.
    #[error("excess blob gas not set")]
    ExcessBlobGasNotSet,
}

/// Any error of executing a transaction.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EVMError<DbError, TxError = InvalidTransaction> {
    /// The transaction is invalid; nothing changed.
    #[error("transaction validation error: {0}")]
    Transaction(TxError),
    /// The block header is unusable.
    #[error("header validation error: {0}")]
    Header(InvalidHeader),
    /// The database failed.
    #[error("database error: {0}")]
    Database(DbError),
    /// Anything else (a chain's own errors).
    #[error("{0}")]
    Custom(String),
}

impl<DbError, TxError> From<InvalidHeader> for EVMError<DbError, TxError> {
    fn from(value: InvalidHeader) -> Self {
        Self::Header(value)
    }
}

impl<DbError> From<InvalidTransaction> for EVMError<DbError, InvalidTransaction> {
    fn from(value: InvalidTransaction) -> Self {
        Self::Transaction(value)
    }
}
