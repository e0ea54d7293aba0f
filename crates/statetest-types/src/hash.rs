//! The two commitments a post entry checks: the state root and the logs hash.

use alloy_trie::root::{state_root_unsorted, storage_root_unsorted};
use lamina_primitives::{Address, B256, Log, U256, keccak256};

use crate::TestAccount;

/// An account as it enters the state trie, before its storage is folded into a root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrieAccount {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// keccak256 of the code.
    pub code_hash: B256,
    /// Storage slots, in any order, each at most once. Zero values are skipped: a zero slot is
    /// not in the trie.
    pub storage: Vec<(U256, U256)>,
}

impl From<&TestAccount> for TrieAccount {
    fn from(account: &TestAccount) -> Self {
        Self {
            nonce: account.nonce,
            balance: account.balance,
            code_hash: keccak256(&account.code),
            storage: account.storage.iter().map(|(slot, value)| (*slot, *value)).collect(),
        }
    }
}

impl TrieAccount {
    /// Root of the account's storage trie ([`EMPTY_ROOT_HASH`](lamina_primitives::EMPTY_ROOT_HASH)
    /// when every slot is zero).
    pub fn storage_root(&self) -> B256 {
        storage_root_hashed(self.storage.iter().map(|(slot, value)| (slot_key(*slot), *value)))
    }
}

/// An account as a leaf of the state trie holds it: its storage already folded into a root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountLeaf {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Root of its storage trie.
    pub storage_root: B256,
    /// keccak256 of the code.
    pub code_hash: B256,
}

impl From<AccountLeaf> for alloy_trie::TrieAccount {
    fn from(leaf: AccountLeaf) -> Self {
        Self::new(leaf.nonce, leaf.balance, leaf.storage_root, leaf.code_hash)
    }
}

/// The key of an account in the state trie: keccak256 of its address.
pub fn address_key(address: &Address) -> B256 {
    keccak256(address)
}

/// The key of a slot in a storage trie: keccak256 of the slot as 32 big-endian bytes.
pub fn slot_key(slot: U256) -> B256 {
    keccak256(B256::from(slot))
}

/// Root of a storage trie from slots already keyed by [`slot_key`], in any order, each at most
/// once. Zero values are skipped: a zero slot is not in the trie.
pub fn storage_root_hashed(slots: impl IntoIterator<Item = (B256, U256)>) -> B256 {
    storage_root_unsorted(slots.into_iter().filter(|(_, value)| !value.is_zero()))
}

/// Root of the state trie from accounts already keyed by [`address_key`], in any order, each
/// at most once: for a runner that keeps the keys and storage roots of accounts a transaction
/// left alone.
pub fn state_root_hashed(accounts: impl IntoIterator<Item = (B256, AccountLeaf)>) -> B256 {
    state_root_unsorted::<alloy_trie::TrieAccount>(
        accounts.into_iter().map(|(key, leaf)| (key, leaf.into())),
    )
}

/// Root of the state trie holding exactly `accounts` (in any order, each address at most once).
///
/// Every account given is included, so the caller decides which empty accounts exist
/// (EIP-161 removes touched empty accounts from Spurious Dragon on).
pub fn state_root(accounts: impl IntoIterator<Item = (Address, TrieAccount)>) -> B256 {
    state_root_hashed(accounts.into_iter().map(|(address, account)| {
        let leaf = AccountLeaf {
            nonce: account.nonce,
            balance: account.balance,
            storage_root: account.storage_root(),
            code_hash: account.code_hash,
        };
        (address_key(&address), leaf)
    }))
}

/// keccak256 of the RLP list of `logs`, each encoded as `[address, [topics…], data]`: the
/// `logs` value of a post entry.
pub fn logs_hash(logs: &[Log]) -> B256 {
    let mut encoded = Vec::new();
    alloy_rlp::encode_list::<_, Log>(logs, &mut encoded);
    keccak256(encoded)
}

#[cfg(test)]
mod tests {
    use lamina_primitives::{EMPTY_ROOT_HASH, KECCAK_EMPTY, LogData, b256, hex};

    use super::*;

    #[test]
    fn logs_hash_of_no_logs() {
        assert_eq!(
            logs_hash(&[]),
            b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        );
    }

    #[test]
    fn logs_hash_matches_hand_encoding() {
        // Yellow Paper: a log is [address, [topics…], data]; the hash covers the list of logs.
        // Log: payload 0x94‖address (21) + 0xc0 (no topics) + 0x01 (one byte < 0x80 is itself)
        // = 23 bytes → 0xd7; the one-element outer list is 24 bytes → 0xd8.
        let address = Address::repeat_byte(0x11);
        let log = Log { address, data: LogData::new_unchecked(vec![], vec![1].into()) };
        let mut expected = hex!("d8d794").to_vec();
        expected.extend_from_slice(address.as_slice());
        expected.extend_from_slice(&hex!("c001"));
        assert_eq!(logs_hash(&[log]), keccak256(expected));
    }

    #[test]
    fn zero_slots_are_not_in_the_trie() {
        let account =
            |storage| TrieAccount { code_hash: KECCAK_EMPTY, storage, ..Default::default() };
        assert_eq!(account(vec![(U256::from(1), U256::ZERO)]).storage_root(), EMPTY_ROOT_HASH);
        let set = account(vec![(U256::from(1), U256::from(2))]);
        let with_zero = account(vec![(U256::from(3), U256::ZERO), (U256::from(1), U256::from(2))]);
        assert_ne!(set.storage_root(), EMPTY_ROOT_HASH);
        assert_eq!(set.storage_root(), with_zero.storage_root());
        let address = Address::repeat_byte(1);
        assert_eq!(state_root([(address, set)]), state_root([(address, with_zero)]));
    }

    #[test]
    fn hashed_forms_agree_with_the_plain_ones() {
        let address = Address::repeat_byte(9);
        let account = TrieAccount {
            nonce: 3,
            balance: U256::from(1000),
            code_hash: KECCAK_EMPTY,
            storage: vec![(U256::from(1), U256::from(2)), (U256::from(5), U256::ZERO)],
        };
        // The keys are the Yellow Paper's: keccak256 of the address, of the 32-byte slot.
        assert_eq!(address_key(&address), keccak256(address.as_slice()));
        assert_eq!(slot_key(U256::from(1)), keccak256(B256::with_last_byte(1)));
        let storage_root = storage_root_hashed([
            (keccak256(B256::with_last_byte(5)), U256::ZERO),
            (keccak256(B256::with_last_byte(1)), U256::from(2)),
        ]);
        assert_eq!(storage_root, account.storage_root());
        let leaf = AccountLeaf {
            nonce: 3,
            balance: U256::from(1000),
            storage_root,
            code_hash: KECCAK_EMPTY,
        };
        let other = Address::repeat_byte(1);
        let empty = AccountLeaf {
            code_hash: KECCAK_EMPTY,
            storage_root: EMPTY_ROOT_HASH,
            ..Default::default()
        };
        assert_eq!(
            state_root_hashed([(keccak256(other), empty), (keccak256(address), leaf)]),
            state_root([
                (address, account),
                (other, TrieAccount { code_hash: KECCAK_EMPTY, ..Default::default() })
            ])
        );
        assert_eq!(storage_root_hashed([]), EMPTY_ROOT_HASH);
    }

    #[test]
    fn empty_state() {
        assert_eq!(state_root([]), EMPTY_ROOT_HASH);
    }
}
