//! State access through the host: accounts, storage, transient storage, logs, SELFDESTRUCT.

use super::to_address;
use crate::{Host, InstructionResult, Interpreter};
use alloc::vec::Vec;
use lamina_primitives::{B256, Bytes, Log, LogData, U256};

/// BALANCE.
pub fn balance<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop!(interp, address);
    let load = host_try!(interp, host.balance(to_address(address)));
    charge!(interp, interp.params.account_access_extra(load.is_cold));
    push!(interp, load.data);
}

/// SELFBALANCE (EIP-1884): the executing account is always warm.
pub fn selfbalance<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    let load = host_try!(interp, host.balance(interp.context.target_address));
    push!(interp, load.data);
}

/// EXTCODESIZE.
pub fn extcodesize<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop!(interp, address);
    let load = host_try!(interp, host.code(to_address(address)));
    charge!(interp, interp.params.account_access_extra(load.is_cold));
    push!(interp, U256::from(load.data.len()));
}

/// EXTCODEHASH (EIP-1052).
pub fn extcodehash<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop!(interp, address);
    let load = host_try!(interp, host.code_hash(to_address(address)));
    charge!(interp, interp.params.account_access_extra(load.is_cold));
    push!(interp, load.data.into());
}

/// EXTCODECOPY.
pub fn extcodecopy<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop!(interp, address, memory_offset, code_offset, len);
    let load = host_try!(interp, host.code(to_address(address)));
    charge!(interp, interp.params.account_access_extra(load.is_cold));
    let (memory_offset, len) = memory_range!(interp, memory_offset, len);
    charge!(interp, interp.params.copy_cost(len as u64));
    if len > 0 {
        let code_offset = usize::try_from(code_offset).unwrap_or(usize::MAX);
        interp.memory.set_data(memory_offset, code_offset, len, &load.data);
    }
}

/// SLOAD.
pub fn sload<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop!(interp, key);
    let load = host_try!(interp, host.sload(interp.context.target_address, key));
    charge!(interp, interp.params.sload_cold_extra(load.is_cold));
    push!(interp, load.data);
}

/// SSTORE, priced by the fork's rule (legacy, EIP-1283, EIP-2200, EIP-2929, EIP-3529).
pub fn sstore<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    require_non_static!(interp);
    pop!(interp, key, value);
    // EIP-2200: a call given only the stipend must not be able to write storage.
    if interp.params.sstore_sentry && interp.gas.remaining() <= interp.params.call_stipend {
        interp.halt(InstructionResult::ReentrancySentryOOG);
        return;
    }
    let load = host_try!(interp, host.sstore(interp.context.target_address, key, value));
    let slot = load.data;
    let (mut cost, refund) = interp.params.sstore(
        slot.original.as_limbs(),
        slot.present.as_limbs(),
        slot.new.as_limbs(),
    );
    if load.is_cold {
        cost += interp.params.cold_sload;
    }
    charge!(interp, cost);
    interp.gas.record_refund(refund);
    // SSTORE ends a block (its stipend check reads the gas left); the next one starts here.
    interp.enter_block();
}

/// TLOAD (EIP-1153).
pub fn tload<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop_top!(interp, key);
    *key = host.tload(interp.context.target_address, *key);
}

/// TSTORE (EIP-1153).
pub fn tstore<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    require_non_static!(interp);
    pop!(interp, key, value);
    host.tstore(interp.context.target_address, key, value);
}

/// LOG0..LOG4.
pub fn log<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    require_non_static!(interp);
    pop!(interp, offset, len);
    let (offset, len) = memory_range!(interp, offset, len);
    charge!(interp, (len as u64).saturating_mul(interp.params.log_data_byte));
    let data = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(interp.memory.slice(offset, len))
    };
    // SAFETY: the dispatch loop checked the N topics are present.
    let topics: [U256; N] = unsafe { interp.stack.popn() };
    let topics: Vec<B256> = topics.iter().map(|t| B256::from(*t)).collect();
    host.log(Log {
        address: interp.context.target_address,
        data: LogData::new_unchecked(topics, data),
    });
}

/// SELFDESTRUCT.
pub fn selfdestruct<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    require_non_static!(interp);
    pop!(interp, target);
    let load =
        host_try!(interp, host.selfdestruct(interp.context.target_address, to_address(target)));
    let result = load.data;
    let params = &interp.params;
    let mut cost = 0;
    if params.selfdestruct_charges_new_account {
        let creates_account = if params.new_account_only_with_value {
            result.had_value && result.target_is_empty
        } else {
            !result.target_exists
        };
        if creates_account {
            cost += params.new_account;
        }
    }
    if load.is_cold {
        cost += params.cold_account_access;
    }
    let refund = if result.previously_destroyed { 0 } else { params.selfdestruct_refund };
    charge!(interp, cost);
    interp.gas.record_refund(refund as i64);
    interp.halt(InstructionResult::SelfDestruct);
}
