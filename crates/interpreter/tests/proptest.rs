//! Property tests: arbitrary code never panics the interpreter, always ends with a result,
//! and never spends more gas than it was given.

mod common;

use common::*;
use lamina_bytecode::{OPCODE_INFO, opcode::*};
use lamina_interpreter::{
    FrameContext, FrameInput, InstructionResult as IR, InstructionTable, InterpreterAction,
    InterpreterResult,
};
use lamina_primitives::{Bytes, SpecId, U256, alloy_primitives::ruint::Uint};
use proptest::{prelude::*, test_runner::FileFailurePersistence};

/// A push of an operand: mostly small (offsets and lengths that fit in memory), sometimes
/// at the edges (2^32, 2^64 − 1, 2^256 − 1) where overflow and huge-memory bugs hide.
fn operand() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => (0u8..64).prop_map(|v| vec![PUSH1, v]),
        2 => any::<u16>().prop_map(|v| [&[PUSH2][..], &v.to_be_bytes()].concat()),
        1 => prop::sample::select(vec![
            vec![PUSH5, 1, 0, 0, 0, 0],
            [&[PUSH8][..], &[0xff; 8]].concat(),
            [&[PUSH32][..], &[0xff; 32]].concat(),
        ]),
        1 => any::<[u8; 32]>().prop_map(|word| [&[PUSH32][..], &word].concat()),
    ]
}

/// An opcode preceded by pushes of as many operands as it takes, so that most programs get
/// past their first instructions instead of underflowing at once.
fn instruction() -> impl Strategy<Value = Vec<u8>> {
    let defined: Vec<u8> = (0..=255u8).filter(|&op| OPCODE_INFO[op as usize].is_some()).collect();
    let focus = vec![
        MLOAD,
        MSTORE,
        MSTORE8,
        MCOPY,
        CALLDATACOPY,
        CODECOPY,
        RETURNDATACOPY,
        KECCAK256,
        RETURN,
        REVERT,
        LOG2,
        EXTCODECOPY,
        CALL,
        CALLCODE,
        DELEGATECALL,
        STATICCALL,
        CREATE,
        CREATE2,
        SSTORE,
        SLOAD,
        TSTORE,
        EXP,
        CALLDATALOAD,
    ];
    prop_oneof![prop::sample::select(defined), prop::sample::select(focus)].prop_flat_map(|op| {
        let inputs = OPCODE_INFO[op as usize].map_or(0, |info| info.inputs() as usize);
        prop::collection::vec(operand(), inputs).prop_map(move |operands| {
            let mut piece = operands.concat();
            piece.push(op);
            piece
        })
    })
}

/// A piece of code and, for a jump, a number that picks which JUMPDEST it targets.
type Piece = (Vec<u8>, Option<u16>);

/// An instruction with its operands, a JUMPDEST, a jump, or (rarely, since one undefined
/// byte ends the program) any byte at all.
fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        40 => instruction().prop_map(|code| (code, None)),
        12 => Just((vec![JUMPDEST], None)),
        12 => (any::<u16>(), prop::option::of(0u8..2)).prop_map(|(pick, condition)| {
            let code = match condition {
                Some(condition) => vec![PUSH1, condition, PUSH2, 0, 0, JUMPI],
                None => vec![PUSH2, 0, 0, JUMP],
            };
            (code, Some(pick))
        }),
        1 => any::<u8>().prop_map(|b| (vec![b], None)),
    ]
}

/// Up to 512 bytes of pieces. Most jumps are aimed at one of the JUMPDEST pieces, so that
/// programs loop; the rest keep a random target, almost always invalid.
fn code() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..100).prop_map(|pieces| {
        let mut code = Vec::new();
        let mut jumpdests = Vec::new();
        let mut jumps = Vec::new();
        for (bytes, pick) in pieces {
            if bytes == [JUMPDEST] {
                jumpdests.push(code.len() as u16);
            }
            if let Some(pick) = pick {
                // The PUSH2 immediate is the two bytes just before the jump opcode.
                jumps.push((code.len() + bytes.len() - 3, pick));
            }
            code.extend(bytes);
        }
        for (at, pick) in jumps {
            let target = match jumpdests.len() {
                0 => pick,
                n if pick % 8 != 0 => jumpdests[pick as usize % n],
                _ => pick,
            };
            code[at..at + 2].copy_from_slice(&target.to_be_bytes());
        }
        code.truncate(512);
        code
    })
}

fn spec() -> impl Strategy<Value = SpecId> {
    prop::sample::select(SpecId::ALL.to_vec())
}

/// Runs `code` to its end, answering every call or create with a failed child: a revert
/// that hands all its gas back, or a halt that keeps it.
fn run_to_end(
    code: &[u8],
    spec: SpecId,
    gas_limit: u64,
    input: Bytes,
    child_reverts: bool,
) -> Result<(InterpreterResult, usize), TestCaseError> {
    let (result, requests, _) = run_frame(code, spec, gas_limit, input, child_reverts, Drive::Run)?;
    Ok((result, requests))
}

/// How a test drives a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drive {
    /// `run`: checks per instruction until the code has warmed up, then per block.
    Run,
    /// `run` on code analysed beforehand: checks per block from the first instruction.
    RunAnalysed,
    /// `run` on code whose blocks are kept but none analysed: checks per block from the
    /// first instruction, each block analysed as it is entered.
    RunEnteredBlocks,
    /// `step`: checks per instruction throughout.
    Step,
}

/// As [`run_to_end`], returning the frame too; the requests it made are recorded in the
/// host's log of calls.
fn run_frame(
    code: &[u8],
    spec: SpecId,
    gas_limit: u64,
    input: Bytes,
    child_reverts: bool,
    drive: Drive,
) -> Result<(InterpreterResult, usize, Frame), TestCaseError> {
    let context = FrameContext { input: input.into(), ..context() };
    let mut frame =
        Frame::with(code, InstructionTable::new(spec), gas_limit, context, TestHost::default());
    frame.step_by_step = drive == Drive::Step;
    let key = frame.table.block_key().expect("a fork's table checks per block");
    if drive == Drive::RunAnalysed {
        frame.interp.code().analysed_blocks(key, || frame.table.static_gas());
    }
    if drive == Drive::RunEnteredBlocks {
        frame.interp.code().blocks(key);
    }
    // Every request costs at least CALL's Frontier price, 40, which no failed outcome hands
    // back (a value stipend is paid for by the 9000 charged with it), so no frame makes more
    // than gas_limit / 40 requests.
    let max_requests = gas_limit / 40 + 1;
    let mut requests = 0;
    loop {
        match frame.run() {
            InterpreterAction::Return(result) => return Ok((result, requests, frame)),
            InterpreterAction::NewFrame(input) => {
                requests += 1;
                frame.host.requests.push(format!("{input:?}"));
                // (Not "each run spends gas": checking per block charges a call's static gas
                // when its block is entered, which may be before the previous run returned.)
                prop_assert!(requests as u64 <= max_requests, "{requests} requests");
                let (limit, result) = match &input {
                    FrameInput::Call(call) => (call.gas_limit, IR::Revert),
                    FrameInput::Create(create) => (create.gas_limit, IR::Revert),
                };
                let outcome = if child_reverts {
                    child(result, limit, limit, b"no")
                } else {
                    child(IR::OutOfGas, limit, 0, &[])
                };
                match input {
                    FrameInput::Call(call) => frame.resume_call(outcome, call.return_memory_offset),
                    FrameInput::Create(_) => frame.resume_create(outcome, None),
                }
            }
            InterpreterAction::None => prop_assert!(false, "the interpreter returned None"),
        }
    }
}

fn check_result(result: &InterpreterResult, gas_limit: u64) -> Result<(), TestCaseError> {
    prop_assert!(
        !matches!(result.result, IR::Continue | IR::CallOrCreate | IR::ChecksChanged),
        "not a final result: {:?}",
        result.result
    );
    prop_assert_eq!(result.gas.limit(), gas_limit);
    prop_assert!(result.gas.remaining() <= gas_limit, "{:?}", result.gas);
    if result.result.is_error() {
        prop_assert_eq!(result.gas.remaining(), 0);
        prop_assert_eq!(result.gas.refunded(), 0);
    }
    if !result.result.is_ok_or_revert() {
        prop_assert!(result.output.is_empty());
    }
    Ok(())
}

/// A division operand: a word of 0 to 4 limbs, or one near a power of two, where the
/// division's fast paths begin and end.
fn divisor_operand() -> impl Strategy<Value = U256> {
    prop_oneof![
        (prop::array::uniform4(any::<u64>()), 0..=4usize).prop_map(|(mut limbs, used)| {
            limbs[used..].fill(0);
            U256::from_limbs(limbs)
        }),
        (0usize..256, -2i8..=2, any::<bool>()).prop_map(|(n, delta, negative)| {
            let power = U256::from(1) << n;
            let step = U256::from(delta.unsigned_abs());
            let word = if delta < 0 { power.wrapping_sub(step) } else { power.wrapping_add(step) };
            if negative { word.wrapping_neg() } else { word }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        // Keep any regression file next to this test, inside the tests folder.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_code_terminates_within_its_gas(
        code in code(),
        spec in spec(),
        gas_limit in 0u64..=1_000_000,
        input in prop::collection::vec(any::<u8>(), 0..64),
        child_reverts in any::<bool>(),
    ) {
        let (result, _) = run_to_end(&code, spec, gas_limit, input.into(), child_reverts)?;
        check_result(&result, gas_limit)?;
    }

    /// Checking once per basic block is an optimisation only: every frame ends as checking
    /// before each instruction makes it end, with the same gas, output, stack, memory, host
    /// effects and calls. A failing frame may name another exceptional halt (out of gas
    /// inside a block whose later instructions could not have been paid for): every
    /// exceptional halt consumes the gas and undoes the frame alike.
    #[test]
    fn block_checks_equal_instruction_checks(
        code in code(),
        spec in spec(),
        gas_limit in prop_oneof![0u64..=3_000, 0u64..=1_000_000],
        input in prop::collection::vec(any::<u8>(), 0..64),
        child_reverts in any::<bool>(),
        drive in prop_oneof![Just(Drive::Run), Just(Drive::RunAnalysed), Just(Drive::RunEnteredBlocks)],
    ) {
        let input = Bytes::from(input);
        let (by_block, _, block_frame) =
            run_frame(&code, spec, gas_limit, input.clone(), child_reverts, drive)?;
        let (by_step, _, step_frame) =
            run_frame(&code, spec, gas_limit, input, child_reverts, Drive::Step)?;
        prop_assert_eq!(by_block.result.is_error(), by_step.result.is_error());
        prop_assert_eq!(&block_frame.host.requests, &step_frame.host.requests);
        if by_block.result.is_error() {
            prop_assert_eq!(by_block.gas.remaining(), by_step.gas.remaining());
            prop_assert_eq!(by_block.gas.refunded(), by_step.gas.refunded());
            if by_block.result != by_step.result {
                prop_assert!(
                    matches!(by_block.result, IR::OutOfGas | IR::MemoryOOG),
                    "{:?} by block, {:?} by instruction", by_block.result, by_step.result
                );
            }
        } else {
            prop_assert_eq!(&by_block, &by_step);
            prop_assert_eq!(block_frame.stack(), step_frame.stack());
            prop_assert_eq!(block_frame.memory(), step_frame.memory());
            let (a, b) = (&block_frame.host, &step_frame.host);
            prop_assert_eq!(&a.storage, &b.storage);
            prop_assert_eq!(&a.sstores, &b.sstores);
            prop_assert_eq!(&a.transient, &b.transient);
            prop_assert_eq!(&a.logs, &b.logs);
            prop_assert_eq!(&a.warm_accounts, &b.warm_accounts);
            prop_assert_eq!(&a.warm_slots, &b.warm_slots);
            prop_assert_eq!(&a.destroyed, &b.destroyed);
        }
    }

    /// DIV, MOD, SDIV and SMOD against ruint's general 256-bit division, with the EVM's
    /// rules on top (Yellow Paper: zero for a zero divisor; signed results take the sign of
    /// the quotient, or of the dividend for SMOD, and −2²⁵⁵ / −1 wraps).
    #[test]
    fn division_matches_the_general_division(a in divisor_operand(), b in divisor_operand()) {
        let (q, r) = if b.is_zero() { (U256::ZERO, U256::ZERO) } else { a.div_rem(b) };
        prop_assert_eq!(eval(SpecId::OSAKA, DIV, &[a, b]), q);
        prop_assert_eq!(eval(SpecId::OSAKA, MOD, &[a, b]), r);
        let magnitude = |x: U256| if x.bit(255) { x.wrapping_neg() } else { x };
        let (q, r) = if b.is_zero() {
            (U256::ZERO, U256::ZERO)
        } else {
            magnitude(a).div_rem(magnitude(b))
        };
        let q = if a.bit(255) != b.bit(255) { q.wrapping_neg() } else { q };
        let r = if a.bit(255) { r.wrapping_neg() } else { r };
        prop_assert_eq!(eval(SpecId::OSAKA, SDIV, &[a, b]), q);
        prop_assert_eq!(eval(SpecId::OSAKA, SMOD, &[a, b]), r);
    }

    /// MULMOD against the full 512-bit product reduced by ruint's general 512-bit division
    /// (zero for a zero modulus, Yellow Paper), on moduli of every width: the four-limb ones
    /// take Lamina's prepared modulus, the others ruint's `mul_mod`.
    #[test]
    fn mulmod_matches_the_reduced_full_product(
        a in divisor_operand(),
        b in divisor_operand(),
        n in divisor_operand(),
    ) {
        let expected = if n.is_zero() {
            U256::ZERO
        } else {
            let product: Uint<512, 8> = a.widening_mul(b);
            let remainder = product % Uint::<512, 8>::from(n);
            U256::from_limbs(remainder.as_limbs()[..4].try_into().unwrap())
        };
        prop_assert_eq!(eval(SpecId::OSAKA, MULMOD, &[a, b, n]), expected);
    }

    #[test]
    fn huge_memory_offsets_halt(
        op in prop::sample::select(vec![
            MLOAD, MSTORE, MSTORE8, KECCAK256, RETURN, CALLDATACOPY, CODECOPY, LOG1,
        ]),
        offset in prop_oneof![
            Just(U256::MAX),
            (32usize..256).prop_map(|bits| U256::MAX >> (256 - bits)),
        ],
        spec in spec(),
    ) {
        // The offset on top, 1 for every other operand. An offset of 2^32 − 1 or more needs
        // 2^27 words of memory, whose quadratic term alone is 2^54 / 512 = 2^45 gas.
        let code = Asm::new().push(1).push(1).push(1).push_word(offset).op(op).build();
        let (result, _) = run(&code, spec, 1_000_000);
        prop_assert!(result.result.is_error(), "{:?}", result.result);
        check_result(&result, 1_000_000)?;
    }
}

#[test]
fn calls_and_creates_in_a_loop_end() {
    // JUMPDEST, seven zeros, CALL, POP, PUSH1 0, JUMP: calls until the gas runs out. On
    // Frontier each call to the absent account 0 costs 40 + 25000 (about 39 calls).
    let mut code = vec![JUMPDEST];
    code.extend([PUSH1, 0].repeat(7));
    code.extend([CALL, POP, PUSH1, 0, JUMP]);
    for spec in [SpecId::FRONTIER, SpecId::BERLIN, SpecId::OSAKA] {
        for child_reverts in [true, false] {
            let (result, requests) =
                run_to_end(&code, spec, 1_000_000, Bytes::new(), child_reverts).unwrap();
            assert_halt(&result, IR::OutOfGas);
            assert!(requests > 30, "{spec:?} made only {requests} calls");
        }
    }
}

/// Every opcode of every fork, after pushes of its operands, ends the same checked per block
/// as checked per instruction: the per-block loop runs most instructions inline and must
/// leave to the table those a fork lacks (SHL before Constantinople, PUSH0 before Shanghai),
/// while the per-instruction loop runs every instruction from the table. Random code reaches
/// a fork-dependent opcode in an old fork only rarely; this reaches each one.
#[test]
fn every_opcode_of_every_fork_runs_the_same_by_block_and_by_step() {
    // Shift amounts and byte indexes that move bits, and a word with bits in every limb.
    let operands = [U256::from(5), U256::from_be_slice(&[0x81; 32]), U256::from(7)];
    for spec in SpecId::ALL {
        for op in 0..=255u8 {
            let inputs = OPCODE_INFO[op as usize].map_or(0, |info| info.inputs() as usize);
            let mut asm = Asm::new();
            for i in (0..inputs).rev() {
                asm = asm.push_word(operands[i % operands.len()]);
            }
            let code = asm.op(op).op(PUSH1).op(1).build();
            let (by_block, _, block_frame) =
                run_frame(&code, spec, 100_000, Bytes::new(), true, Drive::RunAnalysed).unwrap();
            let (by_step, _, step_frame) =
                run_frame(&code, spec, 100_000, Bytes::new(), true, Drive::Step).unwrap();
            let name = format!("opcode {op:#04x} in {spec:?}");
            assert_eq!(by_block, by_step, "{name}");
            assert_eq!(block_frame.stack(), step_frame.stack(), "{name}");
            assert_eq!(block_frame.memory(), step_frame.memory(), "{name}");
        }
    }
}
