//! Shared setup for the handler's integration tests.
#![allow(dead_code)]

use lamina_bytecode::Bytecode;
use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_database::InMemoryDB;
use lamina_handler::{Evm, MainBuilder};
use lamina_primitives::{Address, Bytes, SpecId, U256};
use lamina_state::AccountInfo;

pub type TestEvm = Evm<Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>>;

pub const ALICE: Address = Address::repeat_byte(0xa1);
pub const BOB: Address = Address::repeat_byte(0xb0);
pub const CONTRACT: Address = Address::repeat_byte(0xcc);
pub const COINBASE: Address = Address::repeat_byte(0xc0);
pub const ETHER: u128 = 1_000_000_000_000_000_000;

/// A state where ALICE holds 1 ether and CONTRACT holds `code`.
pub fn db_with_code(code: &[u8]) -> InMemoryDB {
    let mut db = InMemoryDB::default();
    db.insert_account_info(ALICE, AccountInfo::from_balance(U256::from(ETHER)));
    if !code.is_empty() {
        db.insert_account_info(
            CONTRACT,
            AccountInfo::default().with_code(Bytecode::new_raw(Bytes::copy_from_slice(code))),
        );
    }
    db
}

/// An EVM at `spec` over `db` with COINBASE as beneficiary.
pub fn evm(db: InMemoryDB, spec: SpecId) -> TestEvm {
    let block = BlockEnv { beneficiary: COINBASE, ..Default::default() };
    Context::new(db, spec).with_block(block).with_cfg(CfgEnv::new_with_spec(spec)).build_mainnet()
}

/// Balance of `address` in the committed state.
pub fn balance(evm: &mut TestEvm, address: Address) -> U256 {
    use lamina_database_interface::Database;
    evm.ctx.journaled_state.database.basic(address).unwrap().map(|a| a.balance).unwrap_or_default()
}

/// Storage slot of `address` in the committed state.
pub fn storage(evm: &mut TestEvm, address: Address, slot: U256) -> U256 {
    use lamina_database_interface::Database;
    evm.ctx.journaled_state.database.storage(address, slot).unwrap()
}

/// Nonce of `address` in the committed state.
pub fn nonce(evm: &mut TestEvm, address: Address) -> u64 {
    use lamina_database_interface::Database;
    evm.ctx.journaled_state.database.basic(address).unwrap().map(|a| a.nonce).unwrap_or_default()
}
