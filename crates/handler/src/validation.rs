//! Transaction validation and intrinsic gas, per fork.

use crate::DbErrorOf;
use lamina_context_interface::{
    Block, Cfg, ContextTr, EVMError, InvalidHeader, InvalidTransaction, JournalTr, Transaction,
    TransactionType, TxKind,
};
use lamina_primitives::{
    SpecId, U256,
    eip4844::VERSIONED_HASH_VERSION_KZG,
    eip7702::{DELEGATION_PREFIX, PER_EMPTY_ACCOUNT_COST},
};

/// Intrinsic gas and the EIP-7623 floor of a transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InitialAndFloorGas {
    /// Gas charged before execution.
    pub initial_gas: u64,
    /// EIP-7623: the least gas a transaction pays (0 before Prague).
    pub floor_gas: u64,
}

/// Checks the block header fields the fork needs.
pub fn validate_env<CTX: ContextTr>(context: &CTX) -> Result<(), InvalidHeader> {
    let spec = context.cfg().spec();
    if spec.is_enabled_in(SpecId::MERGE) && context.block().prevrandao().is_none() {
        return Err(InvalidHeader::PrevrandaoNotSet);
    }
    if spec.is_enabled_in(SpecId::CANCUN) && context.block().blob_excess_gas_and_price().is_none() {
        return Err(InvalidHeader::ExcessBlobGasNotSet);
    }
    Ok(())
}

/// Checks the transaction against the fork, the chain and the block.
pub fn validate_tx_against_block<CTX: ContextTr>(context: &CTX) -> Result<(), InvalidTransaction> {
    let spec = context.cfg().spec();
    let cfg = context.cfg();
    let tx = context.tx();
    let block = context.block();
    let tx_type = tx.tx_type();
    let needs = match tx_type {
        t if t == TransactionType::Legacy as u8 => SpecId::FRONTIER,
        t if t == TransactionType::Eip2930 as u8 => SpecId::BERLIN,
        t if t == TransactionType::Eip1559 as u8 => SpecId::LONDON,
        t if t == TransactionType::Eip4844 as u8 => SpecId::CANCUN,
        t if t == TransactionType::Eip7702 as u8 => SpecId::PRAGUE,
        _ => return Err(InvalidTransaction::TxTypeNotSupported),
    };
    if !spec.is_enabled_in(needs) {
        return Err(InvalidTransaction::TxTypeNotSupported);
    }
    match tx.chain_id() {
        Some(chain_id) if chain_id != cfg.chain_id() => {
            return Err(InvalidTransaction::InvalidChainId);
        }
        None if tx_type != TransactionType::Legacy as u8 => {
            return Err(InvalidTransaction::MissingChainId);
        }
        _ => {}
    }
    if tx.max_priority_fee_per_gas().is_some_and(|priority| priority > tx.max_fee_per_gas()) {
        return Err(InvalidTransaction::PriorityFeeGreaterThanMaxFee);
    }
    if spec.is_enabled_in(SpecId::LONDON)
        && !cfg.is_base_fee_check_disabled()
        && tx.max_fee_per_gas() < block.basefee() as u128
    {
        return Err(InvalidTransaction::GasPriceLessThanBasefee);
    }
    if !cfg.is_block_gas_limit_disabled() && tx.gas_limit() > block.gas_limit() {
        return Err(InvalidTransaction::CallerGasLimitMoreThanBlock);
    }
    let cap = cfg.tx_gas_limit_cap();
    if spec.is_enabled_in(SpecId::OSAKA) && tx.gas_limit() > cap {
        return Err(InvalidTransaction::TxGasLimitGreaterThanCap {
            gas_limit: tx.gas_limit(),
            cap,
        });
    }
    if tx_type == TransactionType::Eip4844 as u8 {
        if tx.kind() == TxKind::Create {
            return Err(InvalidTransaction::BlobCreateTransaction);
        }
        let hashes = tx.blob_versioned_hashes();
        if hashes.is_empty() {
            return Err(InvalidTransaction::EmptyBlobs);
        }
        if hashes.iter().any(|hash| hash[0] != VERSIONED_HASH_VERSION_KZG) {
            return Err(InvalidTransaction::BlobVersionNotSupported);
        }
        let max = cfg.blob_params().max_blobs_per_tx as usize;
        if hashes.len() > max {
            return Err(InvalidTransaction::TooManyBlobs { have: hashes.len(), max });
        }
        let blob_price = block.blob_gasprice().unwrap_or_default();
        if tx.max_fee_per_blob_gas() < blob_price {
            return Err(InvalidTransaction::BlobGasPriceGreaterThanMax);
        }
    }
    if tx_type == TransactionType::Eip7702 as u8 {
        if tx.kind() == TxKind::Create {
            return Err(InvalidTransaction::Eip7702CreateTransaction);
        }
        if tx.authorization_list().is_empty() {
            return Err(InvalidTransaction::EmptyAuthorizationList);
        }
    }
    if spec.is_enabled_in(SpecId::SHANGHAI)
        && tx.kind() == TxKind::Create
        && tx.input().len() > cfg.max_initcode_size()
    {
        return Err(InvalidTransaction::CreateInitCodeSizeLimit);
    }
    Ok(())
}

/// Intrinsic gas of `tx` under `spec` (EIP-2, EIP-2028, EIP-2930, EIP-3860, EIP-7702) and
/// the EIP-7623 floor.
pub fn initial_and_floor_gas(tx: &impl Transaction, spec: SpecId) -> InitialAndFloorGas {
    let input = tx.input();
    let zero_bytes = input.iter().filter(|&&b| b == 0).count() as u64;
    let non_zero_bytes = input.len() as u64 - zero_bytes;
    let non_zero_cost = if spec.is_enabled_in(SpecId::ISTANBUL) { 16 } else { 68 };
    let mut gas = 21_000 + zero_bytes * 4 + non_zero_bytes * non_zero_cost;
    if tx.kind() == TxKind::Create {
        if spec.is_enabled_in(SpecId::HOMESTEAD) {
            gas += 32_000;
        }
        if spec.is_enabled_in(SpecId::SHANGHAI) {
            gas += (input.len() as u64).div_ceil(32) * 2;
        }
    }
    if spec.is_enabled_in(SpecId::BERLIN) {
        for item in tx.access_list() {
            gas += 2400 + 1900 * item.storage_keys.len() as u64;
        }
    }
    if spec.is_enabled_in(SpecId::PRAGUE) {
        gas += PER_EMPTY_ACCOUNT_COST * tx.authorization_list().len() as u64;
    }
    let floor_gas = if spec.is_enabled_in(SpecId::PRAGUE) {
        let tokens = zero_bytes + non_zero_bytes * 4;
        21_000 + 10 * tokens
    } else {
        0
    };
    InitialAndFloorGas { initial_gas: gas, floor_gas }
}

/// Checks the gas limit covers the intrinsic gas and the floor.
pub fn validate_initial_tx_gas<CTX: ContextTr>(
    context: &CTX,
) -> Result<InitialAndFloorGas, InvalidTransaction> {
    let tx = context.tx();
    let gas = initial_and_floor_gas(tx, context.cfg().spec());
    if gas.initial_gas > tx.gas_limit() {
        return Err(InvalidTransaction::CallGasCostMoreThanGasLimit {
            initial_gas: gas.initial_gas,
            gas_limit: tx.gas_limit(),
        });
    }
    if gas.floor_gas > tx.gas_limit() {
        return Err(InvalidTransaction::GasFloorMoreThanGasLimit {
            gas_floor: gas.floor_gas,
            gas_limit: tx.gas_limit(),
        });
    }
    Ok(gas)
}

/// The most the sender can be charged: gas limit at the max fee, value, and blob gas at the
/// max blob fee. `None` on overflow.
pub fn max_cost(tx: &impl Transaction) -> Option<U256> {
    let gas = U256::from(tx.gas_limit()).checked_mul(U256::from(tx.max_fee_per_gas()))?;
    let blob =
        U256::from(tx.total_blob_gas()).checked_mul(U256::from(tx.max_fee_per_blob_gas()))?;
    gas.checked_add(tx.value())?.checked_add(blob)
}

/// Checks the sender's account: code (EIP-3607), nonce, funds.
pub fn validate_tx_against_state<CTX: ContextTr>(
    context: &mut CTX,
) -> Result<(), EVMError<DbErrorOf<CTX>>> {
    let spec = context.cfg().spec();
    let nonce_check = !context.cfg().is_nonce_check_disabled();
    let balance_check = !context.cfg().is_balance_check_disabled();
    let eip3607 = !context.cfg().is_eip3607_disabled();
    let tx_nonce = context.tx().nonce();
    let caller = context.tx().caller();
    let cost = max_cost(context.tx());
    let account = context.journal().load_account_code(caller).map_err(EVMError::Database)?.data;
    if eip3607 && !account.info.has_no_code() {
        let delegated = spec.is_enabled_in(SpecId::PRAGUE)
            && account
                .info
                .code()
                .is_some_and(|code| code.original_bytes().starts_with(&DELEGATION_PREFIX));
        if !delegated {
            return Err(InvalidTransaction::RejectCallerWithCode.into());
        }
    }
    let state_nonce = account.info.nonce;
    if state_nonce == u64::MAX {
        return Err(InvalidTransaction::NonceOverflowInTransaction.into());
    }
    if nonce_check {
        if tx_nonce > state_nonce {
            return Err(
                InvalidTransaction::NonceTooHigh { tx: tx_nonce, state: state_nonce }.into()
            );
        }
        if tx_nonce < state_nonce {
            return Err(InvalidTransaction::NonceTooLow { tx: tx_nonce, state: state_nonce }.into());
        }
    }
    let Some(cost) = cost else {
        return Err(InvalidTransaction::OverflowPaymentInTransaction.into());
    };
    if account.info.balance < cost {
        if balance_check {
            return Err(InvalidTransaction::LackOfFundForMaxFee {
                fee: cost,
                balance: account.info.balance,
            }
            .into());
        }
        // With the check off the sender is credited what it lacks.
        account.info.balance = cost;
    }
    Ok(())
}
