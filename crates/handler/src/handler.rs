//! The `Handler`: a transaction's stages, each a method with mainnet's behaviour.

use crate::{DbErrorOf, EvmTr, FrameResult, InitialAndFloorGas, PrecompileProvider, validation};
use alloy_rlp::Encodable;
use core::marker::PhantomData;
use lamina_bytecode::Bytecode;
use lamina_context_interface::{
    Block, Cfg, ContextTr, EVMError, ExecutionResult, HaltReason, JournalTr, OutOfGasError, Output,
    ResultAndState, SignedAuthorization, SuccessReason, Transaction, TxKind,
};
use lamina_interpreter::{
    CallInputs, CallScheme, CallValue, CreateInputs, CreateScheme, FrameInput, InstructionResult,
};
use lamina_precompile::secp256k1::ec_recover_run;
use lamina_primitives::{Address, B256, SpecId, U256, eip7702, keccak256, uint};

/// The gas of a finished transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TxGas {
    /// The transaction's gas limit.
    pub limit: u64,
    /// Gas spent before the refund.
    pub spent: u64,
    /// The refund applied.
    pub refunded: u64,
}

impl TxGas {
    /// Gas used: spent minus refund (the receipt's value).
    pub fn used(&self) -> u64 {
        self.spent - self.refunded
    }
}

/// Upper half of secp256k1's order: a larger `s` is malleable (EIP-2).
const SECP256K1N_HALF: U256 =
    uint!(0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0_U256);

type Error<EVM> = EVMError<DbErrorOf<<EVM as EvmTr>::Context>>;

/// A transaction's life: validate → pre_execution → execution → post_execution → result.
///
/// Every stage and sub-stage is a method with mainnet's behaviour; a chain implements
/// `Handler` for a type of its own, overrides what differs and inherits the rest. The
/// crate README lists the stages.
pub trait Handler {
    /// The EVM it drives.
    type Evm: EvmTr;

    /// Runs the transaction in the context; on error the journal is discarded.
    fn run(&mut self, evm: &mut Self::Evm) -> Result<ResultAndState, Error<Self::Evm>> {
        let result = self.run_without_catch(evm);
        if result.is_err() {
            evm.ctx().journal().discard_tx();
        }
        result
    }

    /// The stages in order.
    fn run_without_catch(
        &mut self,
        evm: &mut Self::Evm,
    ) -> Result<ResultAndState, Error<Self::Evm>> {
        let gas = self.validate(evm)?;
        let auth_refund = self.pre_execution(evm)?;
        let frame = self.execution(evm, &gas)?;
        let tx_gas = self.post_execution(evm, &frame, &gas, auth_refund)?;
        self.execution_result(evm, frame, tx_gas)
    }

    // ---- validate ----

    /// Validation: environment, transaction, intrinsic gas, sender. Nothing changes state.
    fn validate(&self, evm: &mut Self::Evm) -> Result<InitialAndFloorGas, Error<Self::Evm>> {
        self.validate_env(evm)?;
        let gas = self.validate_initial_tx_gas(evm)?;
        self.validate_tx_against_state(evm)?;
        Ok(gas)
    }

    /// Header and transaction checks against fork, chain and block.
    fn validate_env(&self, evm: &mut Self::Evm) -> Result<(), Error<Self::Evm>> {
        validation::validate_env(evm.ctx_ref())?;
        validation::validate_tx_against_block(evm.ctx_ref())?;
        Ok(())
    }

    /// Intrinsic gas and the EIP-7623 floor.
    fn validate_initial_tx_gas(
        &self,
        evm: &mut Self::Evm,
    ) -> Result<InitialAndFloorGas, Error<Self::Evm>> {
        Ok(validation::validate_initial_tx_gas(evm.ctx_ref())?)
    }

    /// Sender checks: code (EIP-3607), nonce, funds.
    fn validate_tx_against_state(&self, evm: &mut Self::Evm) -> Result<(), Error<Self::Evm>> {
        validation::validate_tx_against_state(evm.ctx())
    }

    // ---- pre_execution ----

    /// Warming, fee deduction and nonce, EIP-7702 authorizations. Returns the refund the
    /// authorizations earned.
    fn pre_execution(&self, evm: &mut Self::Evm) -> Result<u64, Error<Self::Evm>> {
        self.load_accounts(evm)?;
        self.deduct_caller(evm)?;
        self.apply_eip7702_auth_list(evm)
    }

    /// Warms precompiles (EIP-2929), the coinbase (EIP-3651) and the access list (EIP-2930).
    fn load_accounts(&self, evm: &mut Self::Evm) -> Result<(), Error<Self::Evm>> {
        let spec = evm.ctx_ref().cfg().spec();
        evm.precompiles().set_spec(spec);
        if spec.is_enabled_in(SpecId::BERLIN) {
            evm.warm_precompiles();
        }
        if spec.is_enabled_in(SpecId::SHANGHAI) {
            let coinbase = evm.ctx_ref().block().beneficiary();
            evm.ctx().journal().warm_addresses([coinbase]);
        }
        // Copied out of the transaction (the journal is borrowed from the same context), so
        // only when there is something to copy.
        if spec.is_enabled_in(SpecId::BERLIN) && !evm.ctx_ref().tx().access_list().is_empty() {
            let access_list = evm.ctx_ref().tx().access_list().to_vec();
            let journal = evm.ctx().journal();
            for item in access_list {
                journal.warm_addresses([item.address]);
                for key in item.storage_keys {
                    journal.warm_storage(item.address, key.into()).map_err(EVMError::Database)?;
                }
            }
        }
        Ok(())
    }

    /// Takes the gas (at the effective price) and blob fees from the sender and bumps its
    /// nonce for a call (a create bumps it when the contract address is derived).
    fn deduct_caller(&self, evm: &mut Self::Evm) -> Result<(), Error<Self::Evm>> {
        let context = evm.ctx();
        let tx = context.tx();
        let caller = tx.caller();
        let basefee = context.block().basefee() as u128;
        let blob_price = context.block().blob_gasprice().unwrap_or_default();
        let gas_cost = U256::from(tx.gas_limit())
            .saturating_mul(U256::from(tx.effective_gas_price(basefee)))
            .saturating_add(U256::from(tx.total_blob_gas()).saturating_mul(U256::from(blob_price)));
        let is_call = tx.kind() != TxKind::Create;
        let journal = context.journal();
        // Loaded with its code by the validation already, so the code costs nothing here,
        // and the touch needs no second look-up.
        let account = journal.load_account_code_touched(caller).map_err(EVMError::Database)?.data;
        // The fee and the nonce change the account in place, with no change-log entry: this
        // runs outside every frame's checkpoint, so no revert undoes them, and a discarded
        // transaction drops the whole state. (`inc_nonce` would look the sender up again.)
        account.info.balance = account.info.balance.saturating_sub(gas_cost);
        if is_call && let Some(nonce) = account.info.nonce.checked_add(1) {
            account.info.nonce = nonce;
        }
        Ok(())
    }

    /// EIP-7702: applies each valid authorization; invalid ones are skipped.
    fn apply_eip7702_auth_list(&self, evm: &mut Self::Evm) -> Result<u64, Error<Self::Evm>> {
        let context = evm.ctx();
        if !context.cfg().spec().is_enabled_in(SpecId::PRAGUE) {
            return Ok(0);
        }
        let chain_id = U256::from(context.cfg().chain_id());
        let authorizations = context.tx().authorization_list().to_vec();
        let journal = context.journal();
        let mut refund = 0;
        for auth in &authorizations {
            let inner = &auth.inner;
            if !(inner.chain_id.is_zero() || inner.chain_id == chain_id) || inner.nonce == u64::MAX
            {
                continue;
            }
            let Some(authority) = recover_authority(auth) else { continue };
            let account = journal.load_account_code(authority).map_err(EVMError::Database)?.data;
            let code_ok =
                account.info.code().is_none_or(|code| code.is_empty() || code.eip7702().is_some());
            if !code_ok || account.info.nonce != inner.nonce {
                continue;
            }
            if account.exists() {
                refund += eip7702::PER_EMPTY_ACCOUNT_COST - eip7702::PER_AUTH_BASE_COST;
            }
            let code = if inner.address.is_zero() {
                Bytecode::new()
            } else {
                Bytecode::new_eip7702(inner.address)
            };
            journal.set_code(authority, code);
            journal.inc_nonce(authority);
        }
        Ok(refund)
    }

    // ---- execution ----

    /// Runs the first frame and everything it spawns.
    fn execution(
        &mut self,
        evm: &mut Self::Evm,
        gas: &InitialAndFloorGas,
    ) -> Result<FrameResult, Error<Self::Evm>> {
        let input = self.first_frame_input(evm, gas)?;
        evm.run_frames(input)
    }

    /// The first frame: a call to `to` or a create.
    fn first_frame_input(
        &self,
        evm: &mut Self::Evm,
        gas: &InitialAndFloorGas,
    ) -> Result<FrameInput, Error<Self::Evm>> {
        let tx = evm.ctx_ref().tx();
        let gas_limit = tx.gas_limit() - gas.initial_gas;
        Ok(match tx.kind() {
            TxKind::Call(to) => FrameInput::Call(CallInputs {
                input: tx.input().clone().into(),
                return_memory_offset: 0..0,
                gas_limit,
                bytecode_address: to,
                target_address: to,
                caller: tx.caller(),
                value: CallValue::Transfer(tx.value()),
                scheme: CallScheme::Call,
                is_static: false,
            }),
            TxKind::Create => FrameInput::Create(CreateInputs {
                caller: tx.caller(),
                scheme: CreateScheme::Create,
                value: tx.value(),
                init_code: tx.input().clone(),
                gas_limit,
            }),
        })
    }

    // ---- post_execution ----

    /// Refund, EIP-7623 floor, reimbursement and coinbase reward. Returns the final gas.
    fn post_execution(
        &self,
        evm: &mut Self::Evm,
        frame: &FrameResult,
        gas: &InitialAndFloorGas,
        auth_refund: u64,
    ) -> Result<TxGas, Error<Self::Evm>> {
        let mut tx_gas = self.refund(evm, frame, gas, auth_refund);
        self.apply_floor(evm, &mut tx_gas, gas);
        self.reimburse_caller(evm, &tx_gas)?;
        self.reward_beneficiary(evm, &tx_gas)?;
        Ok(tx_gas)
    }

    /// Gas spent and the refund, capped at half (a fifth from London, EIP-3529) of it.
    fn refund(
        &self,
        evm: &mut Self::Evm,
        frame: &FrameResult,
        gas: &InitialAndFloorGas,
        auth_refund: u64,
    ) -> TxGas {
        let limit = evm.ctx_ref().tx().gas_limit();
        let result = frame.interpreter_result();
        let remaining = if result.result.is_ok_or_revert() { result.gas.remaining() } else { 0 };
        let frame_refund =
            if result.result.is_ok() { result.gas.refunded().max(0) as u64 } else { 0 };
        let spent = limit - remaining;
        debug_assert!(spent >= gas.initial_gas);
        // Each division by its constant (a multiplication), not by a quotient chosen at run
        // time (a hardware division, once per transaction).
        let cap = if evm.ctx_ref().cfg().spec().is_enabled_in(SpecId::LONDON) {
            spent / 5
        } else {
            spent / 2
        };
        let refunded = (frame_refund + auth_refund).min(cap);
        TxGas { limit, spent, refunded }
    }

    /// EIP-7623: a transaction pays at least its calldata floor.
    fn apply_floor(&self, _evm: &mut Self::Evm, tx_gas: &mut TxGas, gas: &InitialAndFloorGas) {
        if tx_gas.used() < gas.floor_gas {
            tx_gas.spent = gas.floor_gas;
            tx_gas.refunded = 0;
        }
    }

    /// Returns the unused gas to the sender at the effective price.
    fn reimburse_caller(
        &self,
        evm: &mut Self::Evm,
        tx_gas: &TxGas,
    ) -> Result<(), Error<Self::Evm>> {
        let context = evm.ctx();
        let price = context.tx().effective_gas_price(context.block().basefee() as u128);
        let caller = context.tx().caller();
        let amount = U256::from(price) * U256::from(tx_gas.limit - tx_gas.used());
        // Nothing to return changes nothing: the sender was loaded and touched when it paid
        // (`deduct_caller`, outside every frame's checkpoint, so no revert undid that). A
        // transaction whose gas limit is what it used, or whose price is zero, saves a
        // look-up and a change-log entry.
        if amount.is_zero() {
            return Ok(());
        }
        context.journal().balance_incr(caller, amount).map_err(EVMError::Database)
    }

    /// Pays the coinbase: the whole price before London, the priority fee after (the base
    /// fee is burned).
    fn reward_beneficiary(
        &self,
        evm: &mut Self::Evm,
        tx_gas: &TxGas,
    ) -> Result<(), Error<Self::Evm>> {
        let context = evm.ctx();
        let basefee = context.block().basefee() as u128;
        let price = context.tx().effective_gas_price(basefee);
        let per_gas = if context.cfg().spec().is_enabled_in(SpecId::LONDON) {
            price.saturating_sub(basefee)
        } else {
            price
        };
        let beneficiary = context.block().beneficiary();
        let reward = U256::from(per_gas) * U256::from(tx_gas.used());
        context.journal().balance_incr(beneficiary, reward).map_err(EVMError::Database)
    }

    // ---- result ----

    /// Finalizes the journal and builds the result.
    fn execution_result(
        &mut self,
        evm: &mut Self::Evm,
        frame: FrameResult,
        tx_gas: TxGas,
    ) -> Result<ResultAndState, Error<Self::Evm>> {
        let (state, logs) = evm.ctx().journal().finalize();
        let gas_used = tx_gas.used();
        let result = match &frame {
            FrameResult::Call(outcome) => &outcome.result,
            FrameResult::Create(outcome) => &outcome.result,
        };
        let output = result.output.clone();
        let execution = match result.result {
            InstructionResult::Stop
            | InstructionResult::Return
            | InstructionResult::SelfDestruct => {
                let reason = match result.result {
                    InstructionResult::Stop => SuccessReason::Stop,
                    InstructionResult::Return => SuccessReason::Return,
                    _ => SuccessReason::SelfDestruct,
                };
                let output = match &frame {
                    FrameResult::Call(_) => Output::Call(output),
                    FrameResult::Create(outcome) => Output::Create(output, outcome.address),
                };
                ExecutionResult::Success {
                    reason,
                    gas_used,
                    gas_refunded: tx_gas.refunded,
                    logs,
                    output,
                }
            }
            InstructionResult::Revert => ExecutionResult::Revert { gas_used, output },
            InstructionResult::FatalExternalError => {
                return Err(EVMError::Custom("the host failed without an error".into()));
            }
            other => ExecutionResult::Halt { reason: halt_reason(other), gas_used },
        };
        Ok(ResultAndState { result: execution, state })
    }
}

/// The signer of an EIP-7702 authorization, if the signature is valid.
pub fn recover_authority(auth: &SignedAuthorization) -> Option<Address> {
    if auth.y_parity > U256::from(1) || auth.s > SECP256K1N_HALF {
        return None;
    }
    let inner = &auth.inner;
    let payload_length = inner.chain_id.length() + inner.address.length() + inner.nonce.length();
    let mut message = alloc::vec::Vec::with_capacity(payload_length + 8);
    message.push(eip7702::MAGIC);
    alloy_rlp::Header { list: true, payload_length }.encode(&mut message);
    inner.chain_id.encode(&mut message);
    inner.address.encode(&mut message);
    inner.nonce.encode(&mut message);
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(keccak256(&message).as_slice());
    input[63] = 27 + auth.y_parity.to::<u8>();
    input[64..96].copy_from_slice(&auth.r.to_be_bytes::<32>());
    input[96..].copy_from_slice(&auth.s.to_be_bytes::<32>());
    let output = ec_recover_run(&input, u64::MAX).ok()?.bytes;
    (output.len() == 32).then(|| Address::from_word(B256::from_slice(&output)))
}

/// The result type's name for an exceptional halt.
pub fn halt_reason(result: InstructionResult) -> HaltReason {
    use InstructionResult as R;
    match result {
        R::OutOfGas => HaltReason::OutOfGas(OutOfGasError::Basic),
        R::MemoryOOG => HaltReason::OutOfGas(OutOfGasError::Memory),
        R::MemoryLimitOOG => HaltReason::OutOfGas(OutOfGasError::MemoryLimit),
        R::PrecompileOOG => HaltReason::OutOfGas(OutOfGasError::Precompile),
        R::InvalidOperandOOG => HaltReason::OutOfGas(OutOfGasError::InvalidOperand),
        R::ReentrancySentryOOG => HaltReason::OutOfGas(OutOfGasError::ReentrancySentry),
        R::OpcodeNotFound => HaltReason::OpcodeNotFound,
        R::InvalidFEOpcode => HaltReason::InvalidFEOpcode,
        R::InvalidJump => HaltReason::InvalidJump,
        R::StackUnderflow => HaltReason::StackUnderflow,
        R::StackOverflow => HaltReason::StackOverflow,
        R::OutOfOffset => HaltReason::OutOfOffset,
        R::CreateCollision => HaltReason::CreateCollision,
        R::PrecompileError => HaltReason::PrecompileError,
        R::NonceOverflow => HaltReason::NonceOverflow,
        R::CreateContractSizeLimit => HaltReason::CreateContractSizeLimit,
        R::CreateContractStartingWithEF => HaltReason::CreateContractStartingWithEF,
        R::CreateInitCodeSizeLimit => HaltReason::CreateInitCodeSizeLimit,
        R::StateChangeDuringStaticCall => HaltReason::StateChangeDuringStaticCall,
        R::CallNotAllowedInsideStatic => HaltReason::CallNotAllowedInsideStatic,
        R::OutOfFunds => HaltReason::OutOfFunds,
        R::CallTooDeep => HaltReason::CallTooDeep,
        // Not halts; mapped defensively so the function is total.
        R::Continue
        | R::Stop
        | R::Return
        | R::SelfDestruct
        | R::Revert
        | R::CallOrCreate
        | R::ChecksChanged
        | R::FatalExternalError => HaltReason::OutOfGas(OutOfGasError::Basic),
    }
}

/// Mainnet's handler: every stage as the trait defines it.
#[derive(Debug)]
pub struct MainnetHandler<EVM> {
    _evm: PhantomData<fn() -> EVM>,
}

impl<EVM> Default for MainnetHandler<EVM> {
    fn default() -> Self {
        Self { _evm: PhantomData }
    }
}

impl<EVM: EvmTr> Handler for MainnetHandler<EVM> {
    type Evm = EVM;
}
