//! Protocol constants. Values a chain may want to change per fork (gas prices) live in the
//! interpreter's gas table instead; these are the fixed ones.

use alloy_primitives::{Address, B256, address, b256};

/// keccak256 of the empty byte string: the code hash of an account without code.
pub const KECCAK_EMPTY: B256 =
    b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

/// Root of an empty Merkle-Patricia trie (keccak256 of RLP of the empty string).
pub const EMPTY_ROOT_HASH: B256 =
    b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

/// Maximum number of words on the EVM stack.
pub const STACK_LIMIT: usize = 1024;

/// Maximum call depth.
pub const CALL_STACK_LIMIT: usize = 1024;

/// EIP-170: maximum size of deployed code.
pub const MAX_CODE_SIZE: usize = 0x6000;

/// EIP-3860: maximum size of initcode (twice the code size limit).
pub const MAX_INITCODE_SIZE: usize = 2 * MAX_CODE_SIZE;

/// Number of past blocks whose hash BLOCKHASH can read.
pub const BLOCK_HASH_HISTORY: u64 = 256;

/// EIP-7825 (Osaka): the largest gas limit a single transaction may carry.
pub const TX_GAS_LIMIT_CAP: u64 = 1 << 24;

/// The caller of system calls (EIP-4788, EIP-2935).
pub const SYSTEM_ADDRESS: Address = address!("fffffffffffffffffffffffffffffffffffffffe");

/// EIP-4788: the beacon roots contract.
pub const BEACON_ROOTS_ADDRESS: Address = address!("000F3df6D732807Ef1319fB7B8bB8522d0Beac02");

/// EIP-2935: the history storage contract that serves block hashes.
pub const HISTORY_STORAGE_ADDRESS: Address = address!("0000F90827F1C53a10cb7A02335B175320002935");

/// EIP-2935: how many block hashes the history contract keeps.
pub const HISTORY_SERVE_WINDOW: u64 = 8191;

/// EIP-4844 blob constants.
pub mod eip4844 {
    /// Gas consumed by one blob.
    pub const GAS_PER_BLOB: u64 = 1 << 17;
    /// The only versioned-hash version in use: KZG commitments.
    pub const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;
    /// The smallest blob base fee.
    pub const MIN_BLOB_GASPRICE: u64 = 1;
    /// Cancun: target blobs per block.
    pub const CANCUN_TARGET_BLOBS: u64 = 3;
    /// Cancun: maximum blobs per block.
    pub const CANCUN_MAX_BLOBS: u64 = 6;
    /// Cancun: blob base fee update fraction.
    pub const CANCUN_UPDATE_FRACTION: u64 = 3_338_477;
    /// Prague (EIP-7691): target blobs per block.
    pub const PRAGUE_TARGET_BLOBS: u64 = 6;
    /// Prague (EIP-7691): maximum blobs per block.
    pub const PRAGUE_MAX_BLOBS: u64 = 9;
    /// Prague (EIP-7691): blob base fee update fraction.
    pub const PRAGUE_UPDATE_FRACTION: u64 = 5_007_716;
    /// Osaka (EIP-7594): maximum blobs in one transaction.
    pub const OSAKA_MAX_BLOBS_PER_TX: u64 = 6;
    /// Osaka (EIP-7918): the execution cost a blob's price is bound to.
    pub const BLOB_BASE_COST: u64 = 1 << 13;
}

/// EIP-7702 constants.
pub mod eip7702 {
    /// Prefix of a delegation designator: `0xef0100 ‖ address`.
    pub const DELEGATION_PREFIX: [u8; 3] = [0xef, 0x01, 0x00];
    /// Intrinsic gas per authorization tuple (charged as for a new account).
    pub const PER_EMPTY_ACCOUNT_COST: u64 = 25_000;
    /// Base cost of one authorization; the rest is refunded when the authority exists.
    pub const PER_AUTH_BASE_COST: u64 = 12_500;
    /// The magic byte prefixed to the signed authorization payload.
    pub const MAGIC: u8 = 0x05;
}
