//! The state after a case, as the trie holds it, and where it differs from the fixture's
//! expected post-state.

use std::{collections::BTreeMap, fmt};

#[cfg(test)]
use lamina_database::{AccountState, InMemoryDB};
use lamina_primitives::{Address, B256, U256, keccak256};
use lamina_statetest_types::TestAccount;
#[cfg(test)]
use lamina_statetest_types::TrieAccount;
use serde::Serialize;

/// An account of the post-state: what goes into the state trie, plus the code's length for
/// reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostAccount {
    /// Nonce.
    pub nonce: u64,
    /// Balance.
    pub balance: U256,
    /// Hash of the code.
    pub code_hash: B256,
    /// Length of the code, if the database holds it.
    pub code_len: Option<usize>,
    /// Non-zero storage slots.
    pub storage: BTreeMap<U256, U256>,
}

/// Every existing account of a database after a case, in address order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostState(pub BTreeMap<Address, PostAccount>);

impl PostState {
    /// The accounts of `db` that exist, with their non-zero slots. The database below the cache
    /// is empty, so the cache holds the whole state. (The reference the tests hold
    /// [`PreState`](super::pre::PreState)'s overlay to.)
    #[cfg(test)]
    pub fn from_db(db: &InMemoryDB) -> Self {
        let accounts = db
            .accounts
            .iter()
            .filter(|(_, account)| account.state != AccountState::NotExisting)
            .map(|(address, account)| {
                let info = &account.info;
                let code_len = match info.code() {
                    Some(code) => Some(code.original_bytes().len()),
                    None => db.contracts.get(&info.code_hash()).map(|code| code.len()),
                };
                let storage = account
                    .storage
                    .iter()
                    .filter(|(_, value)| !value.is_zero())
                    .map(|(slot, value)| (*slot, *value))
                    .collect();
                let account = PostAccount {
                    nonce: info.nonce,
                    balance: info.balance,
                    code_hash: info.code_hash(),
                    code_len,
                    storage,
                };
                (*address, account)
            })
            .collect();
        Self(accounts)
    }

    /// The accounts as [`state_root`](lamina_statetest_types::state_root) takes them.
    #[cfg(test)]
    pub fn trie_accounts(&self) -> impl Iterator<Item = (Address, TrieAccount)> + '_ {
        self.0.iter().map(|(address, account)| {
            let trie = TrieAccount {
                nonce: account.nonce,
                balance: account.balance,
                code_hash: account.code_hash,
                storage: account.storage.iter().map(|(slot, value)| (*slot, *value)).collect(),
            };
            (*address, trie)
        })
    }
}

impl fmt::Display for PostState {
    /// One line per account, then one per storage slot, indented.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (address, account) in &self.0 {
            let code = describe_code(account.code_hash, account.code_len);
            let slots = account.storage.len();
            writeln!(
                f,
                "{address} {}",
                describe_account(account.balance, account.nonce, code, slots)
            )?;
            for (slot, value) in &account.storage {
                writeln!(f, "    [{slot:#x}] = {value:#x}")?;
            }
        }
        Ok(())
    }
}

/// Which part of an account differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// The whole account: expected but missing, or present but not expected.
    Account,
    /// Balance.
    Balance,
    /// Nonce.
    Nonce,
    /// Code (compared by hash).
    Code,
    /// One storage slot (absent = zero).
    Storage(U256),
}

/// One difference between the expected and the actual post-state. `expected` or `actual` is
/// `None` for an account that exists on one side only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The account.
    pub address: Address,
    /// What differs.
    pub field: Field,
    /// The expected value.
    pub expected: Option<String>,
    /// The actual value.
    pub actual: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = "-";
        let (expected, actual) =
            (self.expected.as_deref().unwrap_or(none), self.actual.as_deref().unwrap_or(none));
        match self.field {
            Field::Account if self.actual.is_none() => {
                write!(f, "{} missing; expected {expected}", self.address)
            }
            Field::Account => write!(f, "{} unexpected; actual {actual}", self.address),
            Field::Balance => {
                write!(f, "{} balance: expected {expected}, actual {actual}", self.address)
            }
            Field::Nonce => {
                write!(f, "{} nonce: expected {expected}, actual {actual}", self.address)
            }
            Field::Code => write!(f, "{} code: expected {expected}, actual {actual}", self.address),
            Field::Storage(slot) => {
                write!(
                    f,
                    "{} storage[{slot:#x}]: expected {expected}, actual {actual}",
                    self.address
                )
            }
        }
    }
}

fn describe_code(hash: B256, len: Option<usize>) -> String {
    match len {
        Some(len) => format!("{hash} ({len} bytes)"),
        None => hash.to_string(),
    }
}

fn describe_account(balance: U256, nonce: u64, code: String, slots: usize) -> String {
    format!("balance {balance:#x}, nonce {nonce}, code {code}, {slots} storage slots")
}

/// Every difference between `expected` (a fixture's post `state`) and `actual`, in address order,
/// then field order.
pub fn diff(expected: &BTreeMap<Address, TestAccount>, actual: &PostState) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut push = |address, field, expected: Option<String>, actual: Option<String>| {
        differences.push(Difference { address, field, expected, actual })
    };
    for (address, want) in expected {
        let want_code = keccak256(&want.code);
        let want_slots = want.storage.iter().filter(|(_, value)| !value.is_zero());
        let Some(have) = actual.0.get(address) else {
            let code = describe_code(want_code, Some(want.code.len()));
            let slots = want_slots.count();
            push(
                *address,
                Field::Account,
                Some(describe_account(want.balance, want.nonce, code, slots)),
                None,
            );
            continue;
        };
        if want.balance != have.balance {
            push(
                *address,
                Field::Balance,
                Some(format!("{:#x}", want.balance)),
                Some(format!("{:#x}", have.balance)),
            );
        }
        if want.nonce != have.nonce {
            push(
                *address,
                Field::Nonce,
                Some(want.nonce.to_string()),
                Some(have.nonce.to_string()),
            );
        }
        if want_code != have.code_hash {
            push(
                *address,
                Field::Code,
                Some(describe_code(want_code, Some(want.code.len()))),
                Some(describe_code(have.code_hash, have.code_len)),
            );
        }
        let want_slots: BTreeMap<U256, U256> =
            want_slots.map(|(slot, value)| (*slot, *value)).collect();
        let slots: std::collections::BTreeSet<&U256> =
            want_slots.keys().chain(have.storage.keys()).collect();
        for slot in slots {
            let want_value = want_slots.get(slot).copied().unwrap_or_default();
            let have_value = have.storage.get(slot).copied().unwrap_or_default();
            if want_value != have_value {
                push(
                    *address,
                    Field::Storage(*slot),
                    Some(format!("{want_value:#x}")),
                    Some(format!("{have_value:#x}")),
                );
            }
        }
    }
    for (address, have) in &actual.0 {
        if !expected.contains_key(address) {
            let code = describe_code(have.code_hash, have.code_len);
            let description = describe_account(have.balance, have.nonce, code, have.storage.len());
            push(*address, Field::Account, None, Some(description));
        }
    }
    differences.sort_by_key(|difference| (difference.address, difference.field));
    differences
}

#[cfg(test)]
mod tests {
    use lamina_primitives::{Bytes, KECCAK_EMPTY};

    use super::*;

    fn post(accounts: &[(Address, PostAccount)]) -> PostState {
        PostState(accounts.iter().cloned().collect())
    }

    fn account(balance: u64, storage: &[(u64, u64)]) -> PostAccount {
        PostAccount {
            nonce: 1,
            balance: U256::from(balance),
            code_hash: KECCAK_EMPTY,
            code_len: Some(0),
            storage: storage.iter().map(|&(k, v)| (U256::from(k), U256::from(v))).collect(),
        }
    }

    fn test_account(balance: u64, storage: &[(u64, u64)]) -> TestAccount {
        TestAccount {
            balance: U256::from(balance),
            nonce: 1,
            code: Bytes::new(),
            storage: storage.iter().map(|&(k, v)| (U256::from(k), U256::from(v))).collect(),
        }
    }

    #[test]
    fn equal_states_have_no_difference() {
        let a = Address::repeat_byte(0xa);
        // An explicit zero slot in the fixture equals an absent one.
        let expected = BTreeMap::from([(a, test_account(5, &[(1, 2), (3, 0)]))]);
        assert_eq!(diff(&expected, &post(&[(a, account(5, &[(1, 2)]))])), vec![]);
    }

    #[test]
    fn lists_fields_slots_and_accounts() {
        let (a, b, c) =
            (Address::repeat_byte(0xa), Address::repeat_byte(0xb), Address::repeat_byte(0xc));
        let expected =
            BTreeMap::from([(a, test_account(5, &[(1, 2), (2, 2)])), (b, test_account(1, &[]))]);
        let mut changed = account(6, &[(1, 3), (4, 4)]);
        changed.code_hash = B256::repeat_byte(1);
        changed.code_len = Some(3);
        let actual = post(&[(a, changed), (c, account(0, &[]))]);
        let fields: Vec<(Address, Field)> =
            diff(&expected, &actual).iter().map(|d| (d.address, d.field)).collect();
        assert_eq!(
            fields,
            [
                (a, Field::Balance),
                (a, Field::Code),
                (a, Field::Storage(U256::from(1))),
                (a, Field::Storage(U256::from(2))),
                (a, Field::Storage(U256::from(4))),
                (b, Field::Account),
                (c, Field::Account),
            ]
        );
        let text: Vec<String> = diff(&expected, &actual).iter().map(|d| d.to_string()).collect();
        assert!(text[0].ends_with("balance: expected 0x5, actual 0x6"), "{}", text[0]);
        assert!(text[3].ends_with("storage[0x2]: expected 0x2, actual 0x0"), "{}", text[3]);
        assert!(text[5].contains("missing"), "{}", text[5]);
        assert!(text[6].contains("unexpected"), "{}", text[6]);
    }
}
