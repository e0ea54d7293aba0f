//! Core types shared by every Lamina crate: the Ethereum value types, hash maps,
//! [`SpecId`] and protocol constants.
//!
//! ```
//! use lamina_primitives::{SpecId, U256, keccak256};
//!
//! let spec: SpecId = "ConstantinopleFix".parse().unwrap();
//! assert_eq!(spec, SpecId::PETERSBURG);
//! assert!(SpecId::CANCUN.is_enabled_in(SpecId::BERLIN));
//! assert_eq!(U256::from(2).pow(U256::from(8)), U256::from(256));
//! assert_eq!(keccak256([]), lamina_primitives::KECCAK_EMPTY);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod constants;
pub mod hash;
mod spec;

pub use alloy_primitives::{
    self, Address, B256, Bytes, FixedBytes, I256, Log, LogData, U256, address, b256, bytes,
    fixed_bytes, hex, keccak256, uint,
};
pub use constants::*;
pub use spec::{SpecId, UnknownSpec};

/// Hash map used throughout Lamina (hashbrown with [`hash::FastHashBuilder`]; works without
/// `std`). Build one with `HashMap::default()`.
pub type HashMap<K, V> = hashbrown::HashMap<K, V, hash::FastHashBuilder>;
/// Hash set used throughout Lamina.
pub type HashSet<K> = hashbrown::HashSet<K, hash::FastHashBuilder>;
/// Entry API of [`HashMap`].
pub use hashbrown::hash_map;
