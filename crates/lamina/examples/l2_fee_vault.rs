//! An L2 rule as a handler stage override: a tenth of every fee that would go to the block's
//! coinbase goes to a fee vault instead.
//!
//! ```sh
//! cargo run -p lamina --example l2_fee_vault
//! ```
//!
//! `Handler` is a trait whose methods are the stages of a transaction, each with mainnet's
//! body. `FeeVaultHandler` writes one of them, `reward_beneficiary`, and inherits the rest
//! (validation, intrinsic gas, the frame loop, refunds, …).

use lamina::context_interface::{Block, ContextTr, EVMError, JournalTr, Transaction};
use lamina::handler::{DbErrorOf, EvmTr, TxGas};
use lamina::primitives::{Address, SpecId, U256};
use lamina::state::AccountInfo;
use lamina::{BlockEnv, Context, Handler, InMemoryDB, MainBuilder, ResultAndState, TxEnv};
use std::marker::PhantomData;

/// The fee vault.
pub const VAULT: Address = Address::repeat_byte(0xfe);
/// The block's coinbase.
pub const COINBASE: Address = Address::repeat_byte(0xc0);
/// The sender.
pub const ALICE: Address = Address::repeat_byte(0xa1);
/// The recipient.
pub const BOB: Address = Address::repeat_byte(0xb0);
/// ALICE's balance before the transaction: one ether.
pub const ALICE_BALANCE: u128 = 1_000_000_000_000_000_000;

/// Mainnet, except that the coinbase's reward is split 90/10 with [`VAULT`].
pub struct FeeVaultHandler<EVM>(PhantomData<EVM>);

impl<EVM> Default for FeeVaultHandler<EVM> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<EVM: EvmTr> Handler for FeeVaultHandler<EVM> {
    type Evm = EVM;

    fn reward_beneficiary(
        &self,
        evm: &mut EVM,
        gas: &TxGas,
    ) -> Result<(), EVMError<DbErrorOf<EVM::Context>>> {
        let ctx = evm.ctx();
        let basefee = ctx.block().basefee() as u128;
        // After London the coinbase gets the priority fee only: the base fee is burnt.
        let tip = ctx.tx().effective_gas_price(basefee) - basefee;
        let fee = U256::from(tip) * U256::from(gas.used());
        let to_vault = fee / U256::from(10);
        let coinbase = ctx.block().beneficiary();
        let journal = ctx.journal();
        journal.balance_incr(VAULT, to_vault).map_err(EVMError::Database)?;
        journal.balance_incr(coinbase, fee - to_vault).map_err(EVMError::Database)
    }
}

/// ALICE sends 1 gwei to BOB at a gas price of `gas_price` wei, on Cancun with a base fee of
/// `basefee`; the outcome is not committed.
pub fn transfer_with_fee_vault(gas_price: u128, basefee: u64) -> ResultAndState {
    let mut db = InMemoryDB::default();
    db.insert_account_info(ALICE, AccountInfo::from_balance(U256::from(ALICE_BALANCE)));
    let block = BlockEnv { beneficiary: COINBASE, basefee, ..Default::default() };
    let mut evm = Context::new(db, SpecId::CANCUN).with_block(block).build_mainnet();
    let tx = TxEnv::builder()
        .caller(ALICE)
        .to(BOB)
        .value(U256::from(1_000_000_000u64))
        .gas_limit(21_000)
        .gas_price(gas_price)
        .build();
    evm.ctx.set_tx(tx);
    FeeVaultHandler::default().run(&mut evm).expect("the transaction is valid")
}

fn main() {
    let outcome = transfer_with_fee_vault(100, 60);
    println!("gas used:  {}", outcome.result.gas_used());
    for (name, address) in
        [("alice", ALICE), ("bob", BOB), ("coinbase", COINBASE), ("vault", VAULT)]
    {
        println!("{name:9} {}", outcome.state[&address].info.balance);
    }
}
