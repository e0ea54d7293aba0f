//! What an L2 does from its own crate: override one handler stage and add a precompile,
//! without editing Lamina.

mod common;

use common::*;
use lamina_context::TxEnv;
use lamina_context_interface::{
    Block, ContextTr, EVMError, ExecutionResult, JournalTr, Transaction,
};
use lamina_handler::{DbErrorOf, EthPrecompiles, EvmTr, Handler, PrecompileProvider, TxGas};
use lamina_interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use lamina_primitives::{Address, Bytes, SpecId, U256, address};
use std::{borrow::Cow, marker::PhantomData};

const VAULT: Address = address!("00000000000000000000000000000000000fee11");

/// Sends 10% of the coinbase's fee to a vault.
struct FeeVaultHandler<EVM>(PhantomData<EVM>);

impl<EVM: EvmTr> Handler for FeeVaultHandler<EVM> {
    type Evm = EVM;

    fn reward_beneficiary(
        &self,
        evm: &mut EVM,
        tx_gas: &TxGas,
    ) -> Result<(), EVMError<DbErrorOf<EVM::Context>>> {
        let context = evm.ctx();
        let price = context.tx().effective_gas_price(context.block().basefee() as u128);
        let fee = U256::from(price) * U256::from(tx_gas.used());
        let to_vault = fee / U256::from(10);
        let coinbase = context.block().beneficiary();
        let journal = context.journal();
        journal.balance_incr(VAULT, to_vault).map_err(EVMError::Database)?;
        journal.balance_incr(coinbase, fee - to_vault).map_err(EVMError::Database)
    }
}

#[test]
fn a_handler_stage_override_splits_the_fee() {
    let mut evm = evm(db_with_code(&[]), SpecId::CANCUN);
    evm.ctx.set_tx(TxEnv::builder().caller(ALICE).to(BOB).gas_limit(21_000).gas_price(100).build());
    let result = FeeVaultHandler(PhantomData).run(&mut evm).unwrap();
    assert_eq!(result.result.gas_used(), 21_000);
    let fee = 21_000u64 * 100;
    assert_eq!(result.state[&VAULT].info.balance, U256::from(fee / 10));
    assert_eq!(result.state[&COINBASE].info.balance, U256::from(fee - fee / 10));
}

const BALANCE_PRECOMPILE: Address = address!("000000000000000000000000000000000000ba1a");

/// Mainnet's precompiles plus one at a new address that reads state: it returns the caller's
/// balance, costs 100 gas, and refuses static calls.
#[derive(Default)]
struct WithBalancePrecompile(EthPrecompiles);

impl<CTX: ContextTr> PrecompileProvider<CTX> for WithBalancePrecompile {
    fn set_spec(&mut self, spec: SpecId) {
        PrecompileProvider::<CTX>::set_spec(&mut self.0, spec);
    }

    fn run(
        &mut self,
        context: &mut CTX,
        inputs: &CallInputs,
        call_data: &[u8],
    ) -> Result<Option<InterpreterResult>, EVMError<DbErrorOf<CTX>>> {
        if inputs.bytecode_address != BALANCE_PRECOMPILE {
            return self.0.run(context, inputs, call_data);
        }
        let mut gas = Gas::new(inputs.gas_limit);
        if inputs.is_static || !gas.record_cost(100) {
            return Ok(Some(InterpreterResult::new(
                InstructionResult::PrecompileError,
                Bytes::new(),
                Gas::new_spent(inputs.gas_limit),
            )));
        }
        let account = context.journal().load_account(inputs.caller).map_err(EVMError::Database)?;
        let balance = account.data.info.balance;
        let output = Bytes::copy_from_slice(&balance.to_be_bytes::<32>());
        Ok(Some(InterpreterResult::new(InstructionResult::Return, output, gas)))
    }

    fn contains(&self, address: &Address) -> bool {
        *address == BALANCE_PRECOMPILE || PrecompileProvider::<CTX>::contains(&self.0, address)
    }

    fn warm_addresses(&self) -> Cow<'_, [Address]> {
        let mainnet = PrecompileProvider::<CTX>::warm_addresses(&self.0);
        Cow::Owned([&mainnet[..], &[BALANCE_PRECOMPILE]].concat())
    }
}

#[test]
fn a_custom_precompile_reads_state() {
    use lamina_handler::ExecuteEvm;
    let mut evm =
        evm(db_with_code(&[]), SpecId::CANCUN).with_precompiles(WithBalancePrecompile::default());
    let tx = TxEnv::builder().caller(ALICE).to(BALANCE_PRECOMPILE).gas_limit(30_000).build();
    let result = evm.transact(tx).unwrap().result;
    match result {
        ExecutionResult::Success { gas_used, output, .. } => {
            assert_eq!(gas_used, 21_100);
            assert_eq!(output.data()[..], U256::from(ETHER).to_be_bytes::<32>()[..]);
        }
        other => panic!("{other:?}"),
    }
    // Still mainnet everywhere else: SHA-256 at 0x02 (60 + 12 per word).
    let tx =
        TxEnv::builder().caller(ALICE).to(Address::with_last_byte(2)).gas_limit(30_000).build();
    assert_eq!(evm.transact(tx).unwrap().result.gas_used(), 21_060);
}
