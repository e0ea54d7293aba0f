//! What go-ethereum calls things: opcode names, error texts, and how its interpreter reports
//! a failing instruction. Traces are compared with go-ethereum's byte for byte, so these
//! strings are data, kept in one place.

use core::fmt::Write as _;
use lamina_bytecode::{OPCODE_INFO, opcode::*};
use lamina_interpreter::{CallScheme, InstructionResult};
use lamina_primitives::STACK_LIMIT;

/// Appends go-ethereum's name of `opcode` (`vm.OpCode.String()`), which does not depend on
/// the fork: TSTORE is "TSTORE" in Shanghai too.
pub(crate) fn push_op_name(out: &mut String, opcode: u8) {
    match OPCODE_INFO[opcode as usize] {
        Some(info) => out.push_str(info.name()),
        None => match eof_name(opcode) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "opcode {opcode:#x} not defined");
            }
        },
    }
}

/// go-ethereum keeps names for the EOF opcodes, which Lamina does not define.
fn eof_name(opcode: u8) -> Option<&'static str> {
    Some(match opcode {
        0xd0 => "DATALOAD",
        0xd1 => "DATALOADN",
        0xd2 => "DATASIZE",
        0xd3 => "DATACOPY",
        0xe0 => "RJUMP",
        0xe1 => "RJUMPI",
        0xe2 => "RJUMPV",
        0xe3 => "CALLF",
        0xe4 => "RETF",
        0xe5 => "JUMPF",
        0xe6 => "DUPN",
        0xe7 => "SWAPN",
        0xe8 => "EXCHANGE",
        0xec => "EOFCREATE",
        0xee => "RETURNCONTRACT",
        0xf7 => "RETURNDATALOAD",
        0xf8 => "EXTCALL",
        0xf9 => "EXTDELEGATECALL",
        0xfb => "EXTSTATICCALL",
        _ => return None,
    })
}

/// The `type` of a call frame line.
pub(crate) fn call_type(scheme: CallScheme) -> &'static str {
    match scheme {
        CallScheme::Call => "CALL",
        CallScheme::CallCode => "CALLCODE",
        CallScheme::DelegateCall => "DELEGATECALL",
        CallScheme::StaticCall => "STATICCALL",
    }
}

/// How go-ethereum's interpreter reports a frame that stopped.
pub(crate) enum Stopped {
    /// Still running, or ended without error: one line.
    No,
    /// Paused for a call or create: one line, once the child's inputs are known.
    ForFrame,
    /// The instruction was charged and ran, then failed (REVERT, a bad jump, an invalid
    /// opcode, a write in a static call, return data out of bounds): the usual line, then a
    /// second one with the state after the instruction and the error.
    WhileRunning(String),
    /// The checks before the instruction failed (stack, gas): one line carrying the error.
    BeforeRunning,
}

/// Classifies how the frame stands after running `opcode`. `Revert` counts as a failure here:
/// go-ethereum reports it as the error "execution reverted".
pub(crate) fn stopped(result: InstructionResult, opcode: u8) -> Stopped {
    use InstructionResult::*;
    match result {
        Continue | Stop | Return | SelfDestruct => Stopped::No,
        CallOrCreate | ChecksChanged => Stopped::ForFrame,
        // go-ethereum's table gives an opcode the fork lacks no stack needs and no gas, and
        // fails when "executing" it.
        OpcodeNotFound | InvalidFEOpcode => {
            let mut text = String::from("invalid opcode: ");
            push_op_name(&mut text, opcode);
            Stopped::WhileRunning(text)
        }
        Revert
        | OutOfOffset
        | InvalidJump
        | StateChangeDuringStaticCall
        | CallNotAllowedInsideStatic => Stopped::WhileRunning(frame_error(result, false).into()),
        _ => Stopped::BeforeRunning,
    }
}

/// REVERT's error text.
const REVERTED: &str = "execution reverted";

/// What the failing instruction looked like before it ran.
pub(crate) struct Failed {
    /// The opcode.
    pub opcode: u8,
    /// Gas left before it.
    pub gas: u64,
    /// Gas Lamina charged before it failed.
    pub spent: u64,
    /// Stack height before it.
    pub stack_len: usize,
    /// The third stack word from the top before it (CREATE's init code size).
    pub third: Option<lamina_primitives::U256>,
    /// Its static gas in the fork's table.
    pub static_gas: u64,
}

/// The `gasCost` and error text of an instruction whose pre-execution checks failed.
///
/// go-ethereum's `gasCost` is the gas it had computed when the check failed: the constant
/// gas for a stack error, the constant plus the whole dynamic cost for plain out-of-gas. Lamina
/// charges dynamic gas in parts as the instruction runs and stops at the first part that
/// cannot be paid, so where go-ethereum's figure can be rebuilt from that part alone it is;
/// otherwise the gas Lamina charged is reported.
pub(crate) fn failed_before(
    result: InstructionResult,
    op: &Failed,
    params: &lamina_interpreter::GasParams,
) -> (u64, String) {
    use InstructionResult::*;
    let info = OPCODE_INFO[op.opcode as usize];
    let (inputs, outputs) = info.map_or((0, 0), |info| (info.inputs(), info.outputs()));
    match result {
        StackUnderflow => {
            (op.static_gas, format!("stack underflow ({} <=> {})", op.stack_len, inputs))
        }
        StackOverflow => {
            let limit = STACK_LIMIT + inputs as usize - outputs as usize;
            (op.static_gas, format!("stack limit reached {} ({limit})", op.stack_len))
        }
        OutOfGas => out_of_gas(op, params),
        InvalidOperandOOG => (op.spent, "gas uint64 overflow".into()),
        ReentrancySentryOOG => {
            (op.spent, "out of gas: not enough gas for reentrancy sentry".into())
        }
        CreateInitCodeSizeLimit => {
            let size = op.third.unwrap_or_default();
            (op.spent, format!("out of gas: max initcode size exceeded: size {size}"))
        }
        MemoryOOG | MemoryLimitOOG => (op.spent, OUT_OF_GAS.into()),
        other => (op.spent, frame_error(other, false).into()),
    }
}

const OUT_OF_GAS: &str = "out of gas";

fn out_of_gas(op: &Failed, params: &lamina_interpreter::GasParams) -> (u64, String) {
    if op.gas < op.static_gas {
        return (op.static_gas, OUT_OF_GAS.into());
    }
    let berlin = params.warm_access != 0;
    let cold_account = params.account_access_extra(true);
    match op.opcode {
        // go-ethereum charges a CALL's cold-account surcharge first, on its own, and then
        // reports the failure as an error of the dynamic gas function, with only the constant
        // gas as cost.
        CALL | CALLCODE | DELEGATECALL | STATICCALL
            if berlin && op.gas - op.static_gas < cold_account =>
        {
            (op.static_gas, "out of gas: out of gas".into())
        }
        // Their only dynamic charge is the cold surcharge, so it is what failed, and
        // go-ethereum reports the full cost.
        SLOAD if berlin && op.spent == op.static_gas => {
            (op.spent + params.sload_cold_extra(true), OUT_OF_GAS.into())
        }
        BALANCE | EXTCODESIZE | EXTCODEHASH if berlin && op.spent == op.static_gas => {
            (op.spent + cold_account, OUT_OF_GAS.into())
        }
        _ => (op.spent, OUT_OF_GAS.into()),
    }
}

/// The error of a frame that ended in `result` without a failing instruction of its own to
/// name the error (precompiles, failures before the code runs, code deposit).
pub(crate) fn frame_error(result: InstructionResult, is_create: bool) -> &'static str {
    use InstructionResult::*;
    match result {
        Revert => REVERTED,
        CallTooDeep => "max call depth exceeded",
        OutOfFunds => "insufficient balance for transfer",
        CreateCollision => "contract address collision",
        NonceOverflow => "nonce uint64 overflow",
        CreateContractSizeLimit => "max code size exceeded",
        CreateContractStartingWithEF => "invalid code: must not begin with 0xef",
        // A create frame whose code ran fine but cannot pay for its deposit.
        OutOfGas if is_create => "contract creation code storage out of gas",
        OutOfGas | MemoryOOG | MemoryLimitOOG | PrecompileOOG | InvalidOperandOOG => OUT_OF_GAS,
        // Lamina keeps no reason for a failed precompile; go-ethereum prints the
        // precompile's own error text.
        PrecompileError => "precompile failed",
        StackUnderflow => "stack underflow",
        StackOverflow => "stack overflow",
        ReentrancySentryOOG => "out of gas: not enough gas for reentrancy sentry",
        OutOfOffset => "return data out of bounds",
        InvalidJump => "invalid jump destination",
        StateChangeDuringStaticCall | CallNotAllowedInsideStatic => "write protection",
        OpcodeNotFound | InvalidFEOpcode => "invalid opcode",
        CreateInitCodeSizeLimit => "max initcode size exceeded",
        FatalExternalError => "fatal external error",
        Continue | CallOrCreate | ChecksChanged | Stop | Return | SelfDestruct => "",
    }
}
