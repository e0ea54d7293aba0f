//! Frame-creating instructions: the CALL family and CREATE/CREATE2.

use crate::{
    CallInput, CallInputs, CallScheme, CallValue, CreateInputs, CreateScheme, FrameInput, Host,
    InstructionResult, Interpreter, InterpreterAction, memory::num_words,
};
use lamina_primitives::{Bytes, U256};

/// CREATE.
pub fn create<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    create_inner(interp, host, false);
}

/// CREATE2 (EIP-1014).
pub fn create2<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    create_inner(interp, host, true);
}

fn create_inner<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H, is_create2: bool) {
    require_non_static!(interp);
    pop!(interp, value, offset, len);
    let len_usize = as_usize_or_fail!(interp, len);
    if len_usize > 0 {
        if interp.params.limit_initcode_size && len_usize > host.max_initcode_size() {
            interp.halt(InstructionResult::CreateInitCodeSizeLimit);
            return;
        }
        charge!(interp, num_words(len_usize as u64) * interp.params.initcode_word);
    }
    let (offset, len) = memory_range!(interp, offset, len);
    let init_code = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(interp.memory.slice(offset, len))
    };
    let scheme = if is_create2 {
        pop!(interp, salt);
        charge!(interp, interp.params.keccak_cost(len as u64));
        CreateScheme::Create2 { salt }
    } else {
        CreateScheme::Create
    };
    let mut gas_limit = interp.gas.remaining();
    if interp.params.call_all_but_one_64th {
        gas_limit -= gas_limit / 64;
    }
    charge!(interp, gas_limit);
    interp.request(InterpreterAction::NewFrame(FrameInput::Create(CreateInputs {
        caller: interp.context.target_address,
        scheme,
        value,
        init_code,
        gas_limit,
    })));
}

/// CALL.
pub fn call<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    call_inner(interp, host, CallScheme::Call);
}

/// CALLCODE.
pub fn call_code<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    call_inner(interp, host, CallScheme::CallCode);
}

/// DELEGATECALL (EIP-7).
pub fn delegate_call<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    call_inner(interp, host, CallScheme::DelegateCall);
}

/// STATICCALL (EIP-214).
pub fn static_call<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    call_inner(interp, host, CallScheme::StaticCall);
}

fn call_inner<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H, scheme: CallScheme) {
    pop!(interp, requested_gas, to);
    let value = match scheme {
        CallScheme::Call | CallScheme::CallCode => {
            pop!(interp, value);
            value
        }
        CallScheme::DelegateCall | CallScheme::StaticCall => U256::ZERO,
    };
    pop!(interp, in_offset, in_len, out_offset, out_len);
    let to = super::to_address(to);
    let transfers_value = !super::is_zero(&value);
    if scheme == CallScheme::Call && transfers_value && interp.context.is_static {
        interp.halt(InstructionResult::CallNotAllowedInsideStatic);
        return;
    }

    let (in_offset, in_len) = memory_range!(interp, in_offset, in_len);
    let (out_offset, out_len) = memory_range!(interp, out_offset, out_len);
    // Lent, not copied: the callee reads the caller's memory, which cannot change meanwhile.
    let input = CallInput::caller_memory(&interp.memory, in_offset, in_len);

    let load = host_try!(interp, host.load_account_delegated(to));
    let account = load.data;
    let params = &interp.params;
    let mut cost = params.account_access_extra(load.is_cold);
    if let Some(delegate_is_cold) = account.delegate_is_cold {
        cost += params.account_access(delegate_is_cold);
    }
    if transfers_value {
        cost += params.call_value;
    }
    if scheme == CallScheme::Call {
        let creates_account = if params.new_account_only_with_value {
            transfers_value && account.is_empty
        } else {
            !account.exists
        };
        if creates_account {
            cost += params.new_account;
        }
    }
    let all_but_one_64th = params.call_all_but_one_64th;
    let stipend = params.call_stipend;
    charge!(interp, cost);

    let requested = u64::try_from(requested_gas).unwrap_or(u64::MAX);
    let mut gas_limit = if all_but_one_64th {
        let available = interp.gas.remaining() - interp.gas.remaining() / 64;
        requested.min(available)
    } else {
        requested
    };
    charge!(interp, gas_limit);
    if transfers_value {
        gas_limit += stipend;
    }

    let context = &interp.context;
    let (target_address, caller, value, is_static) = match scheme {
        CallScheme::Call => {
            (to, context.target_address, CallValue::Transfer(value), context.is_static)
        }
        CallScheme::CallCode => (
            context.target_address,
            context.target_address,
            CallValue::Transfer(value),
            context.is_static,
        ),
        CallScheme::DelegateCall => (
            context.target_address,
            context.caller,
            CallValue::Apparent(context.value),
            context.is_static,
        ),
        CallScheme::StaticCall => {
            (to, context.target_address, CallValue::Transfer(U256::ZERO), true)
        }
    };
    interp.request(InterpreterAction::NewFrame(FrameInput::Call(CallInputs {
        input,
        return_memory_offset: out_offset..out_offset + out_len,
        gas_limit,
        bytecode_address: to,
        target_address,
        caller,
        value,
        scheme,
        is_static,
    })));
}
