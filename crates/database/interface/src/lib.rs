//! The database traits.
//!
//! ```
//! use lamina_database_interface::{Database, EmptyDB};
//! use lamina_primitives::{Address, U256};
//!
//! let mut db = EmptyDB::default();
//! assert_eq!(db.basic(Address::ZERO).unwrap(), None);
//! assert_eq!(db.storage(Address::ZERO, U256::from(1)).unwrap(), U256::ZERO);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use core::{convert::Infallible, fmt};
use lamina_bytecode::Bytecode;
use lamina_primitives::{Address, B256, HashMap, U256, keccak256};
use lamina_state::{Account, AccountInfo};

/// What a database error must be: printable, for `EVMError`'s messages.
pub trait DBErrorMarker: fmt::Debug + fmt::Display + 'static {}
impl<T: fmt::Debug + fmt::Display + 'static> DBErrorMarker for T {}

/// State read through `&mut self` (a cache may fill itself).
#[auto_impl::auto_impl(&mut, Box)]
pub trait Database {
    /// The error type.
    type Error: DBErrorMarker;
    /// The account at `address`, or `None` if it does not exist.
    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Self::Error>;
    /// Code by its hash (for accounts returned without code).
    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Self::Error>;
    /// A storage slot (zero when absent).
    fn storage(&mut self, address: Address, index: U256) -> Result<U256, Self::Error>;
    /// The hash of block `number`.
    fn block_hash(&mut self, number: u64) -> Result<B256, Self::Error>;
    /// Whether the account has a non-zero storage slot. CREATE onto such an account is a
    /// collision (EIP-7610). The default says no: override it where storage is known.
    fn has_storage(&mut self, _address: Address) -> Result<bool, Self::Error> {
        Ok(false)
    }
}

/// State read through `&self`.
#[auto_impl::auto_impl(&, &mut, Box)]
pub trait DatabaseRef {
    /// The error type.
    type Error: DBErrorMarker;
    /// See [`Database::basic`].
    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error>;
    /// See [`Database::code_by_hash`].
    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error>;
    /// See [`Database::storage`].
    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Self::Error>;
    /// See [`Database::block_hash`].
    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error>;
    /// See [`Database::has_storage`].
    fn has_storage_ref(&self, _address: Address) -> Result<bool, Self::Error> {
        Ok(false)
    }
}

/// Writes a transaction's changed state.
#[auto_impl::auto_impl(&mut, Box)]
pub trait DatabaseCommit {
    /// Applies `changes`: touched accounts are written, self-destructed ones removed.
    fn commit(&mut self, changes: HashMap<Address, Account>);

    /// As [`DatabaseCommit::commit`], but leaves `changes` empty and keeps its allocation
    /// for the caller to fill again (the EVM hands it back to its journal for the next
    /// transaction). The default takes the map, allocation and all; a database that walks
    /// the changes can drain them instead.
    fn commit_drain(&mut self, changes: &mut HashMap<Address, Account>) {
        self.commit(core::mem::take(changes));
    }
}

/// A [`DatabaseRef`] used as a [`Database`].
#[derive(Clone, Debug, Default)]
pub struct WrapDatabaseRef<T>(pub T);

impl<T: DatabaseRef> Database for WrapDatabaseRef<T> {
    type Error = T::Error;
    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        self.0.basic_ref(address)
    }
    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        self.0.code_by_hash_ref(code_hash)
    }
    fn storage(&mut self, address: Address, index: U256) -> Result<U256, Self::Error> {
        self.0.storage_ref(address, index)
    }
    fn block_hash(&mut self, number: u64) -> Result<B256, Self::Error> {
        self.0.block_hash_ref(number)
    }
    fn has_storage(&mut self, address: Address) -> Result<bool, Self::Error> {
        self.0.has_storage_ref(address)
    }
}

/// A state with no accounts. The hash of block `n` is keccak256 of `n` written in decimal,
/// the convention of the Ethereum state tests (go-ethereum's test block hashes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmptyDB;

impl DatabaseRef for EmptyDB {
    type Error = Infallible;
    fn basic_ref(&self, _address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        Ok(None)
    }
    fn code_by_hash_ref(&self, _code_hash: B256) -> Result<Bytecode, Self::Error> {
        Ok(Bytecode::new())
    }
    fn storage_ref(&self, _address: Address, _index: U256) -> Result<U256, Self::Error> {
        Ok(U256::ZERO)
    }
    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        Ok(keccak256(alloc::format!("{number}").as_bytes()))
    }
}

impl Database for EmptyDB {
    type Error = Infallible;
    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        self.basic_ref(address)
    }
    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        self.code_by_hash_ref(code_hash)
    }
    fn storage(&mut self, address: Address, index: U256) -> Result<U256, Self::Error> {
        self.storage_ref(address, index)
    }
    fn block_hash(&mut self, number: u64) -> Result<B256, Self::Error> {
        self.block_hash_ref(number)
    }
}
