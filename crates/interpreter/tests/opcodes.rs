//! Opcode-by-opcode tests. Expected values and gas come from the Yellow Paper, the EIPs
//! that changed each opcode, and evm.codes' published costs; the arithmetic is worked out in
//! the comments.

mod common;

use common::*;
use lamina_bytecode::{OPCODE_INFO, opcode::*};
use lamina_interpreter::{
    CallScheme, CallValue, CreateScheme, FrameContext, FrameInput, InstructionResult as IR,
    InstructionTable,
};
use lamina_primitives::{Address, B256, Bytes, KECCAK_EMPTY, SpecId, U256, b256};

fn u(x: u64) -> U256 {
    U256::from(x)
}

/// 2^n.
fn pow2(n: usize) -> U256 {
    U256::from(1) << n
}

mod arithmetic {
    use super::*;
    const S: SpecId = SpecId::OSAKA;

    #[test]
    fn add_and_sub_wrap() {
        assert_eq!(eval(S, ADD, &[u(5), u(3)]), u(8));
        assert_eq!(eval(S, ADD, &[U256::MAX, u(1)]), U256::ZERO);
        assert_eq!(eval(S, ADD, &[U256::MAX, U256::MAX]), U256::MAX - u(1));
        // SUB is top − second.
        assert_eq!(eval(S, SUB, &[u(10), u(3)]), u(7));
        assert_eq!(eval(S, SUB, &[u(0), u(1)]), U256::MAX);
    }

    #[test]
    fn mul_wraps() {
        assert_eq!(eval(S, MUL, &[u(6), u(7)]), u(42));
        // (2^256 − 1)·2 = 2^257 − 2 ≡ 2^256 − 2.
        assert_eq!(eval(S, MUL, &[U256::MAX, u(2)]), U256::MAX - u(1));
        assert_eq!(eval(S, MUL, &[pow2(128), pow2(128)]), U256::ZERO);
    }

    #[test]
    fn division_by_zero_is_zero() {
        for op in [DIV, SDIV, MOD, SMOD] {
            assert_eq!(eval(S, op, &[u(7), u(0)]), U256::ZERO, "0x{op:02x}");
            assert_eq!(eval(S, op, &[neg(7), u(0)]), U256::ZERO, "0x{op:02x}");
        }
        assert_eq!(eval(S, DIV, &[u(7), u(2)]), u(3));
        assert_eq!(eval(S, MOD, &[u(7), u(3)]), u(1));
    }

    #[test]
    fn sdiv_truncates_toward_zero_and_min_over_minus_one_overflows() {
        // Yellow Paper: −2^255 / −1 = −2^255 (the one overflow case).
        let min = pow2(255);
        assert_eq!(eval(S, SDIV, &[min, neg(1)]), min);
        assert_eq!(eval(S, SDIV, &[neg(8), u(3)]), neg(2));
        assert_eq!(eval(S, SDIV, &[u(8), neg(3)]), neg(2));
        assert_eq!(eval(S, SDIV, &[neg(8), neg(3)]), u(2));
        assert_eq!(eval(S, SDIV, &[U256::MAX, U256::MAX]), u(1));
    }

    #[test]
    fn division_on_both_sides_of_128_bits() {
        // Operands that fit in 128 bits divide natively, wider ones by the 256-bit division.
        let max128 = pow2(128) - u(1);
        // 2^128 − 1 = 3 · 0x5555…55 (32 fives) and = (2^64 − 1)(2^64 + 1).
        let fives = U256::from(u128::MAX / 3);
        assert_eq!(eval(S, DIV, &[max128, u(3)]), fives);
        assert_eq!(eval(S, DIV, &[max128, pow2(64)]), pow2(64) - u(1));
        assert_eq!(eval(S, MOD, &[max128, pow2(64)]), pow2(64) - u(1));
        assert_eq!(eval(S, DIV, &[max128, pow2(64) + u(1)]), pow2(64) - u(1));
        assert_eq!(eval(S, DIV, &[pow2(128), u(2)]), pow2(127));
        assert_eq!(eval(S, MOD, &[pow2(128) + u(5), pow2(128)]), u(5));
        // 2^128 − 1 = …211455, so its remainder by 10 is 5.
        assert_eq!(eval(S, MOD, &[max128, u(10)]), u(5));
        assert_eq!(eval(S, SMOD, &[max128.wrapping_neg(), u(10)]), neg(5));
        // −2^127 / −1 = +2^127: a positive word, not the 128-bit overflow.
        assert_eq!(eval(S, SDIV, &[pow2(127).wrapping_neg(), neg(1)]), pow2(127));
        assert_eq!(eval(S, SDIV, &[max128.wrapping_neg(), u(3)]), fives.wrapping_neg());
        assert_eq!(eval(S, SDIV, &[max128, neg(3)]), fives.wrapping_neg());
    }

    #[test]
    fn division_by_powers_of_two_is_a_shift() {
        // Powers of two divide as shifts; the results follow from the binary expansions.
        let high = U256::MAX; // 2^256 − 1: all ones
        assert_eq!(eval(S, DIV, &[high, pow2(224)]), u(0xffff_ffff));
        assert_eq!(eval(S, MOD, &[high, pow2(224)]), pow2(224) - u(1));
        assert_eq!(eval(S, DIV, &[high, pow2(255)]), u(1));
        assert_eq!(eval(S, DIV, &[high, u(1)]), high);
        assert_eq!(eval(S, MOD, &[high, u(1)]), U256::ZERO);
        assert_eq!(eval(S, DIV, &[pow2(200) + u(3), pow2(70)]), pow2(130));
        assert_eq!(eval(S, MOD, &[pow2(200) + u(3), pow2(70)]), u(3));
        // One above and one below a power of two are not powers of two.
        assert_eq!(eval(S, DIV, &[pow2(200), pow2(100) + u(1)]), pow2(100) - u(1));
        assert_eq!(eval(S, MOD, &[pow2(200), pow2(100) + u(1)]), u(1));
        // −2^200 / 2^8 = −2^192; −(2^200 + 5) mod 2^8 = −5 (SMOD takes the dividend's sign).
        assert_eq!(eval(S, SDIV, &[pow2(200).wrapping_neg(), pow2(8)]), pow2(192).wrapping_neg());
        assert_eq!(eval(S, SMOD, &[(pow2(200) + u(5)).wrapping_neg(), pow2(8)]), neg(5));
        // 2^255 is negative to SDIV: −2^255 / −2^255 = 1.
        assert_eq!(eval(S, SDIV, &[pow2(255), pow2(255)]), u(1));
        assert_eq!(eval(S, DIV, &[u(1) << 63, u(1) << 63]), u(1));
    }

    #[test]
    fn smod_takes_the_dividends_sign() {
        // sgn(a)·(|a| mod |b|)
        assert_eq!(eval(S, SMOD, &[neg(8), u(3)]), neg(2));
        assert_eq!(eval(S, SMOD, &[u(8), neg(3)]), u(2));
        assert_eq!(eval(S, SMOD, &[neg(8), neg(3)]), neg(2));
        assert_eq!(eval(S, SMOD, &[pow2(255), neg(1)]), U256::ZERO);
    }

    #[test]
    fn addmod_and_mulmod_do_not_wrap_the_intermediate() {
        // (2^256 − 1 + 2) mod 3: 2^256 = 4^128 ≡ 1, so the sum ≡ 1 + 1 = 2. Wrapping would
        // give 1 mod 3 = 1.
        assert_eq!(eval(S, ADDMOD, &[U256::MAX, u(2), u(3)]), u(2));
        // evm.codes: ADDMOD(2^256 − 1, 2, 2) = (2^256 + 1) mod 2 = 1.
        assert_eq!(eval(S, ADDMOD, &[U256::MAX, u(2), u(2)]), u(1));
        assert_eq!(eval(S, ADDMOD, &[u(10), u(10), u(8)]), u(4));
        // 2^255·2 = 2^256 ≡ 1 (mod 3); a wrapped product would be 0.
        assert_eq!(eval(S, MULMOD, &[pow2(255), u(2), u(3)]), u(1));
        // evm.codes: MULMOD(2^256 − 1, 2^256 − 1, 12): 2^256 ≡ 4 (mod 12), so
        // 2^256 − 1 ≡ 3 and 3² = 9.
        assert_eq!(eval(S, MULMOD, &[U256::MAX, U256::MAX, u(12)]), u(9));
        assert_eq!(eval(S, MULMOD, &[u(10), u(10), u(8)]), u(4));
    }

    #[test]
    fn modulus_zero_gives_zero() {
        assert_eq!(eval(S, ADDMOD, &[u(5), u(6), u(0)]), U256::ZERO);
        assert_eq!(eval(S, MULMOD, &[u(5), u(6), u(0)]), U256::ZERO);
    }

    #[test]
    fn exp_values() {
        assert_eq!(eval(S, EXP, &[u(10), u(2)]), u(100));
        assert_eq!(eval(S, EXP, &[u(0), u(0)]), u(1));
        assert_eq!(eval(S, EXP, &[u(2), u(255)]), pow2(255));
        assert_eq!(eval(S, EXP, &[u(2), u(256)]), U256::ZERO);
        // (−1)^odd = −1 modulo 2^256.
        assert_eq!(eval(S, EXP, &[U256::MAX, u(3)]), U256::MAX);
        assert_eq!(eval(S, EXP, &[u(3), U256::ZERO]), u(1));
    }

    /// PUSH exponent, PUSH base, EXP: 3 + 3 + 10 + per-byte cost × bytes of the exponent.
    fn exp_gas(spec: SpecId, exponent: U256) -> u64 {
        gas_of(&Asm::new().push_word(exponent).push(3).op(EXP).build(), spec)
    }

    #[test]
    fn exp_gas_per_fork() {
        // Frontier: 10 per exponent byte.
        assert_eq!(exp_gas(SpecId::FRONTIER, U256::ZERO), 6 + 10);
        assert_eq!(exp_gas(SpecId::FRONTIER, u(0x100)), 6 + 10 + 2 * 10);
        assert_eq!(exp_gas(SpecId::TANGERINE, u(0x100)), 6 + 10 + 2 * 10);
        // EIP-160 (Spurious Dragon): 50 per byte.
        assert_eq!(exp_gas(SpecId::SPURIOUS_DRAGON, u(0xff)), 6 + 10 + 50);
        assert_eq!(exp_gas(SpecId::BYZANTIUM, u(0x100)), 6 + 10 + 2 * 50);
        assert_eq!(exp_gas(SpecId::OSAKA, U256::MAX), 6 + 10 + 32 * 50);
        assert_eq!(exp_gas(SpecId::OSAKA, U256::ZERO), 6 + 10);
    }

    #[test]
    fn signextend() {
        // Byte 0 of 0xff has its sign bit set: all ones.
        assert_eq!(eval(S, SIGNEXTEND, &[u(0), u(0xff)]), U256::MAX);
        assert_eq!(eval(S, SIGNEXTEND, &[u(0), u(0x7f)]), u(0x7f));
        // Bits above the byte are replaced, set or not.
        assert_eq!(eval(S, SIGNEXTEND, &[u(0), u(0x17f)]), u(0x7f));
        assert_eq!(eval(S, SIGNEXTEND, &[u(0), u(0x1ff)]), U256::MAX);
        // b = 1 on 0x8000: −32768.
        assert_eq!(eval(S, SIGNEXTEND, &[u(1), u(0x8000)]), neg(0x8000));
        // Every byte position, on words with the sign bit set and clear at each: bit by bit
        // from the definition (bits above bit 8b + 7 copy it, the others stay).
        let words = [U256::MAX, U256::ZERO, u(0x0123_4567_89ab_cdef) * pow2(100) + u(0xfedc)];
        let words: Vec<U256> = words.iter().flat_map(|&w| [w, !w, w ^ pow2(127)]).collect();
        for b in 0..31u64 {
            let sign_bit = b as usize * 8 + 7;
            for &x in &words {
                let mut expected = x;
                for bit in sign_bit + 1..256 {
                    expected.set_bit(bit, x.bit(sign_bit));
                }
                assert_eq!(eval(S, SIGNEXTEND, &[u(b), x]), expected, "b = {b}, x = {x:#x}");
            }
        }
        // b ≥ 31 leaves the value unchanged.
        for b in [u(31), u(32), U256::MAX] {
            assert_eq!(eval(S, SIGNEXTEND, &[b, u(0xff)]), u(0xff));
            assert_eq!(eval(S, SIGNEXTEND, &[b, pow2(255)]), pow2(255));
        }
        assert_eq!(eval(S, SIGNEXTEND, &[u(30), pow2(247)]), !(pow2(247) - u(1)));
    }
}

mod bitwise {
    use super::*;
    const S: SpecId = SpecId::OSAKA;

    #[test]
    fn unsigned_and_signed_comparisons() {
        // LT/GT compare top against second.
        assert_eq!(eval(S, LT, &[u(1), u(2)]), u(1));
        assert_eq!(eval(S, LT, &[u(2), u(1)]), u(0));
        assert_eq!(eval(S, LT, &[u(2), u(2)]), u(0));
        assert_eq!(eval(S, GT, &[u(2), u(1)]), u(1));
        // −1 is the largest unsigned and a negative signed value.
        assert_eq!(eval(S, LT, &[U256::MAX, u(1)]), u(0));
        assert_eq!(eval(S, SLT, &[U256::MAX, u(1)]), u(1));
        assert_eq!(eval(S, GT, &[u(1), U256::MAX]), u(0));
        assert_eq!(eval(S, SGT, &[u(1), U256::MAX]), u(1));
        assert_eq!(eval(S, SLT, &[neg(2), neg(1)]), u(1));
        assert_eq!(eval(S, SGT, &[neg(2), neg(1)]), u(0));
        assert_eq!(eval(S, SLT, &[pow2(255), u(0)]), u(1));
        assert_eq!(eval(S, SGT, &[u(5), u(5)]), u(0));
        assert_eq!(eval(S, EQ, &[u(5), u(5)]), u(1));
        assert_eq!(eval(S, EQ, &[u(5), u(6)]), u(0));
        assert_eq!(eval(S, ISZERO, &[u(0)]), u(1));
        assert_eq!(eval(S, ISZERO, &[pow2(200)]), u(0));
    }

    #[test]
    fn logic() {
        assert_eq!(eval(S, AND, &[u(0b1100), u(0b1010)]), u(0b1000));
        assert_eq!(eval(S, OR, &[u(0b1100), u(0b1010)]), u(0b1110));
        assert_eq!(eval(S, XOR, &[u(0b1100), u(0b1010)]), u(0b0110));
        assert_eq!(eval(S, NOT, &[u(0)]), U256::MAX);
        assert_eq!(eval(S, NOT, &[U256::MAX]), U256::ZERO);
    }

    #[test]
    fn byte_counts_from_the_most_significant_and_is_zero_out_of_range() {
        let x = left_aligned(&[0xab, 0xcd]) | u(0xef);
        assert_eq!(eval(S, BYTE, &[u(0), x]), u(0xab));
        assert_eq!(eval(S, BYTE, &[u(1), x]), u(0xcd));
        assert_eq!(eval(S, BYTE, &[u(31), x]), u(0xef));
        assert_eq!(eval(S, BYTE, &[u(32), x]), U256::ZERO);
        assert_eq!(eval(S, BYTE, &[U256::MAX, x]), U256::ZERO);
        assert_eq!(eval(S, BYTE, &[pow2(64), U256::MAX]), U256::ZERO);
    }

    #[test]
    fn shifts_follow_the_eip145_examples() {
        let top = pow2(255);
        let max_pos = U256::MAX >> 1;
        // (opcode, shift, value, expected) — the cases listed in EIP-145.
        let cases = [
            (SHL, u(0), u(1), u(1)),
            (SHL, u(1), u(1), u(2)),
            (SHL, u(0xff), u(1), top),
            (SHL, u(0x100), u(1), U256::ZERO),
            (SHL, u(0x101), u(1), U256::ZERO),
            (SHL, u(0), U256::MAX, U256::MAX),
            (SHL, u(1), U256::MAX, U256::MAX - u(1)),
            (SHL, u(0xff), U256::MAX, top),
            (SHL, u(0x100), U256::MAX, U256::ZERO),
            (SHL, u(1), U256::ZERO, U256::ZERO),
            (SHL, u(1), max_pos, U256::MAX - u(1)),
            (SHR, u(0), u(1), u(1)),
            (SHR, u(1), u(1), U256::ZERO),
            (SHR, u(1), top, pow2(254)),
            (SHR, u(0xff), top, u(1)),
            (SHR, u(0x100), top, U256::ZERO),
            (SHR, u(0x101), top, U256::ZERO),
            (SHR, u(0), U256::MAX, U256::MAX),
            (SHR, u(1), U256::MAX, max_pos),
            (SHR, u(0xff), U256::MAX, u(1)),
            (SHR, u(0x100), U256::MAX, U256::ZERO),
            (SAR, u(0), u(1), u(1)),
            (SAR, u(1), u(1), U256::ZERO),
            (SAR, u(1), top, pow2(255) | pow2(254)),
            (SAR, u(0xff), top, U256::MAX),
            (SAR, u(0x100), top, U256::MAX),
            (SAR, u(0x101), top, U256::MAX),
            (SAR, u(0), U256::MAX, U256::MAX),
            (SAR, u(1), U256::MAX, U256::MAX),
            (SAR, u(0xff), U256::MAX, U256::MAX),
            (SAR, u(0x100), U256::MAX, U256::MAX),
            (SAR, u(1), U256::ZERO, U256::ZERO),
            (SAR, pow2(4) | pow2(200), top, U256::MAX),
            (SAR, u(0xfe), pow2(254), u(1)),
            (SAR, u(0xf8), max_pos, u(0x7f)),
            (SAR, u(0xfe), max_pos, u(1)),
            (SAR, u(0xff), max_pos, U256::ZERO),
            (SAR, u(0x100), max_pos, U256::ZERO),
        ];
        for (op, shift, value, expected) in cases {
            assert_eq!(eval(S, op, &[shift, value]), expected, "0x{op:02x} {shift} {value:#x}");
        }
    }

    #[test]
    fn shifts_start_in_constantinople() {
        for op in [SHL, SHR, SAR] {
            let code = Asm::new().push(1).push(1).op(op).build();
            let (result, _) = run(&code, SpecId::BYZANTIUM, LIMIT);
            assert_halt(&result, IR::OpcodeNotFound);
            assert_eq!(gas_of(&code, SpecId::CONSTANTINOPLE), 9);
        }
    }

    #[test]
    fn clz_is_osaka_only() {
        assert_eq!(eval(S, CLZ, &[u(0)]), u(256));
        assert_eq!(eval(S, CLZ, &[u(1)]), u(255));
        // 0x6ff has 11 significant bits.
        assert_eq!(eval(S, CLZ, &[u(0x6ff)]), u(245));
        assert_eq!(eval(S, CLZ, &[pow2(255)]), u(0));
        assert_eq!(eval(S, CLZ, &[U256::MAX]), u(0));
        assert_eq!(eval(S, CLZ, &[pow2(128) - u(1)]), u(128));

        let code = Asm::new().push(1).op(CLZ).build();
        // EIP-7939: CLZ costs 5.
        assert_eq!(gas_of(&code, SpecId::OSAKA), 3 + 5);
        let (result, _) = run(&code, SpecId::CANCUN, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
        let table = InstructionTable::cancun().eip7939();
        let mut frame = Frame::with(&code, table, LIMIT, context(), TestHost::default());
        let result = frame.finish();
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 8);
        assert_eq!(frame.stack(), &[u(255)]);
    }
}

mod environment {
    use super::*;

    fn with_input(code: &[u8], input: &[u8], spec: SpecId) -> Frame {
        let context = FrameContext { input: Bytes::copy_from_slice(input).into(), ..context() };
        let mut frame =
            Frame::with(code, InstructionTable::new(spec), LIMIT, context, TestHost::default());
        assert_eq!(frame.finish().result, IR::Stop);
        frame
    }

    #[test]
    fn keccak256_of_empty_and_of_a_zero_word() {
        let code = Asm::new().push(0).push(0).op(KECCAK256).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[U256::from_be_bytes(KECCAK_EMPTY.0)]);
        assert_eq!(
            KECCAK_EMPTY,
            b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        );
        // 6 push + 30, no words hashed, no memory touched.
        assert_eq!(result.gas.spent(), 36);
        assert!(frame.memory().is_empty());

        // keccak256 of 32 zero bytes, Solidity's slot of the first element of array 0.
        let code = Asm::new().push(32).push(0).op(KECCAK256).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        let expected = b256!("290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563");
        assert_eq!(frame.stack(), &[U256::from_be_bytes(expected.0)]);
        // 6 push + 30 + 6·1 word + 3 memory.
        assert_eq!(result.gas.spent(), 45);
    }

    #[test]
    fn calldataload_pads_with_zeros_past_the_end() {
        let input = [0x11, 0x22, 0x33];
        let code = Asm::new()
            .push(0)
            .op(CALLDATALOAD)
            .push(2)
            .op(CALLDATALOAD)
            .push(3)
            .op(CALLDATALOAD)
            .push_word(U256::MAX)
            .op(CALLDATALOAD)
            .op(CALLDATASIZE)
            .build();
        let frame = with_input(&code, &input, SpecId::OSAKA);
        assert_eq!(
            frame.stack(),
            &[left_aligned(&[0x11, 0x22, 0x33]), left_aligned(&[0x33]), u(0), u(0), u(3)]
        );
    }

    #[test]
    fn calldatacopy_and_codecopy_pad_with_zeros() {
        // Fill word 0 with ones, then copy 4 bytes from offset 1 of 3 bytes of call data.
        let code = Asm::new()
            .push_word(U256::MAX)
            .push(0)
            .op(MSTORE)
            .push(4)
            .push(1)
            .push(0)
            .op(CALLDATACOPY)
            .build();
        let frame = with_input(&code, &[1, 2, 3], SpecId::OSAKA);
        assert_eq!(&frame.memory()[..6], &[2, 3, 0, 0, 0xff, 0xff]);
        // 2 pushes + MSTORE 3 + 1 word 3; 3 pushes + 3 + 3 per word, no new memory.
        assert_eq!(frame.interp.gas.spent(), 6 + 3 + 3 + 9 + 3 + 3);

        // Copy 8 bytes of the 11-byte code from offset 7 (the STOP) to memory 32: STOP, the
        // three 0xaa, then 4 bytes past the end, which read as zero.
        let code = Asm::new().push(8).push(7).push(32).op(CODECOPY).op(STOP).bytes(&[0xaa; 3]);
        let code = code.build();
        assert_eq!(code.len(), 11);
        let (result, frame) = run(&code, SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(&frame.memory()[32..40], &[0x00, 0xaa, 0xaa, 0xaa, 0, 0, 0, 0]);
        // 9 push + 3 + 3 per word + memory for 2 words (6).
        assert_eq!(result.gas.spent(), 9 + 3 + 3 + 6);

        // Zero length touches no memory and costs the base only, however large the offsets.
        let code = Asm::new().push(0).push_word(U256::MAX).push_word(U256::MAX);
        let (result, frame) = run(&code.op(CODECOPY).build(), SpecId::OSAKA, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 9 + 3);
        assert!(frame.memory().is_empty());
    }

    #[test]
    fn codesize_address_caller_callvalue() {
        let context = FrameContext { value: u(1234), ..context() };
        let code = [CODESIZE, ADDRESS, CALLER, CALLVALUE, PC];
        let mut frame = Frame::with(
            &code,
            InstructionTable::new(SpecId::OSAKA),
            LIMIT,
            context,
            TestHost::default(),
        );
        let result = frame.finish();
        assert_eq!(
            frame.stack(),
            &[u(5), CONTRACT.into_word().into(), SENDER.into_word().into(), u(1234), u(4)]
        );
        assert_eq!(result.gas.spent(), 5 * 2);
    }

    #[test]
    fn returndatacopy_out_of_bounds_halts() {
        // EIP-211: reading past the end of the return data (empty in a fresh frame) is an
        // exceptional halt, even with length zero when the offset is past the end.
        for (len, offset) in [(1u64, 0u64), (0, 1), (32, 0)] {
            let code = Asm::new().push(len).push(offset).push(0).op(RETURNDATACOPY).build();
            let (result, _) = run(&code, SpecId::BYZANTIUM, LIMIT);
            assert_halt(&result, IR::OutOfOffset);
        }
        let code = Asm::new().push(0).push(0).push(0).op(RETURNDATACOPY).op(RETURNDATASIZE);
        let (result, frame) = run(&code.build(), SpecId::BYZANTIUM, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[U256::ZERO]);
        // 9 + 3, no words, + 2.
        assert_eq!(result.gas.spent(), 14);
        // Before Byzantium the opcode does not exist.
        let (result, _) = run(&[RETURNDATASIZE], SpecId::SPURIOUS_DRAGON, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
    }

    #[test]
    fn block_and_transaction_fields_come_from_the_host() {
        let host = TestHost {
            block_number: u(300),
            timestamp: u(1_700_000_000),
            chain_id: 5,
            ..TestHost::default()
        };
        let code = [NUMBER, TIMESTAMP, CHAINID, COINBASE, ORIGIN, GASPRICE, BASEFEE, GASLIMIT];
        let (result, frame) = run_with(&code, SpecId::LONDON, LIMIT, host);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(
            frame.stack(),
            &[
                u(300),
                u(1_700_000_000),
                u(5),
                Address::repeat_byte(0xcb).into_word().into(),
                Address::repeat_byte(0x0a).into_word().into(),
                u(10),
                u(7),
                u(30_000_000),
            ]
        );
        assert_eq!(result.gas.spent(), 8 * 2);
        // DIFFICULTY reads PREVRANDAO from the Merge (EIP-4399).
        let (_, frame) = run(&[DIFFICULTY], SpecId::LONDON, LIMIT);
        assert_eq!(frame.stack(), &[u(0x20000)]);
        let (_, frame) = run(&[DIFFICULTY], SpecId::MERGE, LIMIT);
        assert_eq!(frame.stack(), &[U256::from_be_bytes([0x77; 32])]);
    }

    #[test]
    fn blockhash_covers_the_256_previous_blocks() {
        let mut host = TestHost { block_number: u(300), ..TestHost::default() };
        for n in 0..300 {
            host.block_hashes.insert(n, B256::from(U256::from(n + 1000)));
        }
        let code = Asm::new()
            .push(299)
            .op(BLOCKHASH)
            .push(44) // 300 − 44 = 256: the oldest available
            .op(BLOCKHASH)
            .push(43) // 257 back: too old
            .op(BLOCKHASH)
            .push(300) // the current block: not yet hashed
            .op(BLOCKHASH)
            .push_word(U256::MAX)
            .op(BLOCKHASH)
            .build();
        let (result, frame) = run_with(&code, SpecId::OSAKA, LIMIT, host);
        assert_eq!(frame.stack(), &[u(1299), u(1044), u(0), u(0), u(0)]);
        assert_eq!(result.gas.spent(), 5 * (3 + 20));
    }

    #[test]
    fn a_failing_host_is_a_fatal_error() {
        let host = TestHost { fail: true, ..TestHost::default() };
        let (result, _) =
            run_with(&Asm::new().push(0).op(SLOAD).build(), SpecId::OSAKA, LIMIT, host);
        assert_eq!(result.result, IR::FatalExternalError);
    }
}

mod memory {
    use super::*;

    #[test]
    fn mstore_at_zero_costs_one_word() {
        // PUSH1, PUSH1, MSTORE 3 + memory 3·1 + 1²/512 = 3.
        let code = Asm::new().push(1).push(0).op(MSTORE).op(MSIZE).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(result.gas.spent(), 3 + 3 + 3 + 3 + 2);
        assert_eq!(frame.stack(), &[u(32)]);
        assert_eq!(frame.memory()[31], 1);
    }

    #[test]
    fn memory_cost_has_a_quadratic_term() {
        // Writing the 1024th word: 3·1024 + 1024²/512 = 3072 + 2048 = 5120.
        let code = Asm::new().push(1).push(1023 * 32).op(MSTORE).build();
        assert_eq!(gas_of(&code, SpecId::OSAKA), 9 + 5120);
        // Growing from 1 to 1024 words pays only the difference: 5120 − 3.
        let code = Asm::new().push(1).push(0).op(MSTORE).push(1).push(1023 * 32).op(MSTORE);
        assert_eq!(gas_of(&code.build(), SpecId::OSAKA), 9 + 3 + 9 + 5117);
        // An unaligned end rounds up: MSTORE at 1 touches 2 words, 6 + 4/512 = 6.
        let code = Asm::new().push(1).push(1).op(MSTORE).op(MSIZE).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(result.gas.spent(), 9 + 6 + 2);
        assert_eq!(frame.stack(), &[u(64)]);
    }

    #[test]
    fn msize_and_mstore8() {
        // MSTORE8 at 32 touches byte 32: two words.
        let code = Asm::new().op(MSIZE).push(0x1ab).push(32).op(MSTORE8).op(MSIZE).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(frame.stack(), &[u(0), u(64)]);
        // Only the low byte is stored.
        assert_eq!(frame.memory()[32], 0xab);
        assert_eq!(frame.memory()[33], 0);
        assert_eq!(result.gas.spent(), 2 + 6 + 3 + 6 + 2);
    }

    #[test]
    fn huge_offsets_halt_instead_of_panicking() {
        let offsets = [U256::MAX, pow2(255), u(u64::MAX), u(u64::MAX - 31), pow2(64), pow2(40)];
        for offset in offsets {
            for code in [
                Asm::new().push_word(offset).op(MLOAD),
                Asm::new().push(1).push_word(offset).op(MSTORE),
                Asm::new().push(1).push_word(offset).op(MSTORE8),
                Asm::new().push(1).push_word(offset).op(KECCAK256),
                Asm::new().push(1).push_word(offset).op(RETURN),
                Asm::new().push(1).push(0).push_word(offset).op(CALLDATACOPY),
                Asm::new().push(1).push_word(offset).push(0).op(MCOPY),
                Asm::new().push(1).push(0).push_word(offset).op(MCOPY),
                Asm::new().push_word(offset).push(0).push(0).op(MCOPY),
            ] {
                let (result, _) = run(&code.build(), SpecId::OSAKA, LIMIT);
                assert!(
                    matches!(result.result, IR::MemoryOOG | IR::InvalidOperandOOG | IR::OutOfGas),
                    "{offset:#x}: {:?}",
                    result.result
                );
                assert_eq!(result.gas.remaining(), 0);
            }
        }
    }

    #[test]
    fn mcopy_handles_overlap_like_memmove() {
        // Memory word 0 = 0x00 01 02 .. 1f; MCOPY(dst 1, src 0, len 8) shifts 0..7 right by one.
        let word: Vec<u8> = (0u8..32).collect();
        let setup = Asm::new().push_word(U256::from_be_slice(&word)).push(0).op(MSTORE);
        let code = setup.clone().push(8).push(0).push(1).op(MCOPY).build();
        let (result, frame) = run(&code, SpecId::CANCUN, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(&frame.memory()[..10], &[0, 0, 1, 2, 3, 4, 5, 6, 7, 9]);
        // Setup 12; MCOPY: 9 push + 3 + 3 per word, no expansion.
        assert_eq!(result.gas.spent(), 12 + 9 + 3 + 3);

        // The other direction: MCOPY(dst 0, src 1, len 8).
        let code = setup.clone().push(8).push(1).push(0).op(MCOPY).build();
        let (_, frame) = run(&code, SpecId::CANCUN, LIMIT);
        assert_eq!(&frame.memory()[..10], &[1, 2, 3, 4, 5, 6, 7, 8, 8, 9]);

        // Copying to fresh memory expands it: 3 + 3 per word + (6 − 3) for the second word.
        let code = setup.clone().push(32).push(0).push(32).op(MCOPY).build();
        let (result, frame) = run(&code, SpecId::CANCUN, LIMIT);
        assert_eq!(&frame.memory()[32..64], &word[..]);
        assert_eq!(result.gas.spent(), 12 + 9 + 3 + 3 + 3);

        // EIP-5656: a zero length expands nothing, whatever the offsets.
        let code = Asm::new().push(0).push_word(U256::MAX).push_word(U256::MAX).op(MCOPY);
        let (result, frame) = run(&code.build(), SpecId::CANCUN, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 9 + 3);
        assert!(frame.memory().is_empty());

        let (result, _) =
            run(&Asm::new().push(0).push(0).push(0).op(MCOPY).build(), SpecId::SHANGHAI, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
    }

    #[test]
    fn transient_storage() {
        // EIP-1153: TSTORE and TLOAD cost 100 each.
        let code = Asm::new().push(42).push(7).op(TSTORE).push(7).op(TLOAD).push(8).op(TLOAD);
        let (result, frame) = run(&code.build(), SpecId::CANCUN, LIMIT);
        assert_eq!(frame.stack(), &[u(42), u(0)]);
        assert_eq!(result.gas.spent(), 6 + 100 + 3 + 100 + 3 + 100);
        assert_eq!(frame.host.transient.get(&(CONTRACT, u(7))), Some(&u(42)));
        let (result, _) = run(&Asm::new().push(7).op(TLOAD).build(), SpecId::SHANGHAI, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
    }
}

mod control {
    use super::*;

    #[test]
    fn jump_to_a_jumpdest_and_into_push_data() {
        // 0: PUSH1 4, 2: JUMP, 3: INVALID, 4: JUMPDEST, 5: PUSH1 7
        let code = [PUSH1, 4, JUMP, INVALID, JUMPDEST, PUSH1, 7];
        let (result, frame) = run(&code, SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[u(7)]);
        assert_eq!(result.gas.spent(), 3 + 8 + 1 + 3);

        // 0: PUSH1 4, 2: JUMP, 3: PUSH1 0x5b — offset 4 is push data, not a JUMPDEST.
        let (result, _) = run(&[PUSH1, 4, JUMP, PUSH1, JUMPDEST], SpecId::OSAKA, LIMIT);
        assert_halt(&result, IR::InvalidJump);
        // Past the end, and far past it.
        for dest in [u(100), u(u64::MAX), U256::MAX] {
            let code = Asm::new().push_word(dest).op(JUMP).op(JUMPDEST).build();
            let (result, _) = run(&code, SpecId::OSAKA, LIMIT);
            assert_halt(&result, IR::InvalidJump);
        }
    }

    #[test]
    fn jumpi() {
        // A zero condition falls through without checking the destination.
        let code = Asm::new().push(0).push(0xee).op(JUMPI).push(9).build();
        let (result, frame) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[u(9)]);
        assert_eq!(result.gas.spent(), 3 + 3 + 10 + 3);
        // A non-zero condition jumps, and validates.
        let code = Asm::new().push(2).push(0xee).op(JUMPI).build();
        let (result, _) = run(&code, SpecId::OSAKA, LIMIT);
        assert_halt(&result, IR::InvalidJump);
        // 0: PUSH1 1, 2: PUSH1 7, 4: JUMPI, 5: INVALID, 6: INVALID, 7: JUMPDEST
        let code = [PUSH1, 1, PUSH1, 7, JUMPI, INVALID, INVALID, JUMPDEST];
        let (result, _) = run(&code, SpecId::OSAKA, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 3 + 3 + 10 + 1);
    }

    #[test]
    fn counting_loop_gas() {
        // 0: PUSH1 n; 2: JUMPDEST, PUSH1 1, SWAP1, SUB, DUP1, PUSH1 2, JUMPI
        // Per iteration 1 + 3 + 3 + 3 + 3 + 3 + 10 = 26.
        let n = 100;
        let code = [PUSH1, n, JUMPDEST, PUSH1, 1, SWAP1, SUB, DUP1, PUSH1, 2, JUMPI];
        let (result, frame) = run(&code, SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[u(0)]);
        assert_eq!(result.gas.spent(), 3 + 26 * n as u64);
    }

    #[test]
    fn pc_and_gas() {
        // 0: PUSH1 0, 2: POP, 3: PC, 4: GAS
        let code = [PUSH1, 0, POP, PC, GAS];
        let (result, frame) = run(&code, SpecId::FRONTIER, 100);
        // GAS reports what is left after its own 2: 100 − 3 − 2 − 2 − 2 = 91.
        assert_eq!(frame.stack(), &[u(3), u(91)]);
        assert_eq!(result.gas.spent(), 9);
        assert_eq!(result.gas.remaining(), 91);
    }

    #[test]
    fn push0_from_shanghai() {
        let (result, frame) = run(&[PUSH0], SpecId::SHANGHAI, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[U256::ZERO]);
        // EIP-3855: 2 gas.
        assert_eq!(result.gas.spent(), 2);
        let (result, _) = run(&[PUSH0], SpecId::LONDON, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
        let (result, _) = run(&[PUSH0], SpecId::MERGE, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
    }

    #[test]
    fn push_truncated_by_the_end_of_code_reads_zeros() {
        let (result, frame) = run(&[PUSH32, 0xaa, 0xbb], SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[left_aligned(&[0xaa, 0xbb])]);
        let (_, frame) = run(&[PUSH2, 0xcc], SpecId::FRONTIER, LIMIT);
        assert_eq!(frame.stack(), &[u(0xcc00)]);
        let (_, frame) = run(&[PUSH32], SpecId::FRONTIER, LIMIT);
        assert_eq!(frame.stack(), &[U256::ZERO]);
        // Every PUSHn reads its n bytes.
        for n in 1..=32u8 {
            let mut code = vec![PUSH1 + n - 1];
            code.extend(1..=n);
            let (_, frame) = run(&code, SpecId::FRONTIER, LIMIT);
            assert_eq!(frame.stack(), &[U256::from_be_slice(&code[1..])], "PUSH{n}");
        }
    }

    #[test]
    fn dup16_and_swap16() {
        let mut asm = Asm::new();
        for i in 1..=17 {
            asm = asm.push(i);
        }
        // Stack bottom→top 1..17: DUP16 copies 2, the sixteenth from the top.
        let (result, frame) = run(&asm.clone().op(DUP16).build(), SpecId::FRONTIER, LIMIT);
        assert_eq!(result.gas.spent(), 17 * 3 + 3);
        assert_eq!(frame.stack().last(), Some(&u(2)));
        // SWAP16 exchanges the top (17) and the seventeenth (1).
        let (_, frame) = run(&asm.op(SWAP16).build(), SpecId::FRONTIER, LIMIT);
        assert_eq!(frame.stack()[0], u(17));
        assert_eq!(frame.stack()[16], u(1));
        assert_eq!(frame.stack()[1..16], (2..=16).map(u).collect::<Vec<_>>()[..]);
        // With only 16 items, SWAP16 underflows; with 15, DUP16 does.
        let mut asm = Asm::new();
        for i in 1..=16 {
            asm = asm.push(i);
        }
        let (result, _) = run(&asm.clone().op(SWAP16).build(), SpecId::FRONTIER, LIMIT);
        assert_halt(&result, IR::StackUnderflow);
        let (result, _) = run(&asm.op(POP).op(DUP16).build(), SpecId::FRONTIER, LIMIT);
        assert_halt(&result, IR::StackUnderflow);
    }

    #[test]
    fn stack_overflow_at_1025_items() {
        let code = [PUSH1, 1].repeat(1024);
        let (result, frame) = run(&code, SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack().len(), 1024);
        assert_eq!(result.gas.spent(), 1024 * 3);
        for extra in [vec![PUSH1, 1], vec![DUP1], vec![PC], vec![PUSH0]] {
            let mut overflowing = code.clone();
            overflowing.extend(extra);
            let (result, _) = run(&overflowing, SpecId::OSAKA, LIMIT);
            assert_halt(&result, IR::StackOverflow);
        }
        // A full stack can still SWAP and ADD.
        let mut full = code.clone();
        full.extend([SWAP16, ADD]);
        assert_eq!(run(&full, SpecId::OSAKA, LIMIT).0.result, IR::Stop);
    }

    #[test]
    fn return_revert_and_invalid() {
        let code = Asm::new().push(0xabcd).push(0).op(MSTORE).push(2).push(30).op(RETURN);
        let (result, _) = run(&code.build(), SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Return);
        assert_eq!(result.output, Bytes::from_static(&[0xab, 0xcd]));
        assert_eq!(result.gas.spent(), 6 + 3 + 3 + 6);
        // REVERT keeps the gas left and returns its data (EIP-140).
        let code = Asm::new().push(0xabcd).push(0).op(MSTORE).push(2).push(30).op(REVERT);
        let (result, _) = run(&code.build(), SpecId::BYZANTIUM, 1000);
        assert_eq!(result.result, IR::Revert);
        assert_eq!(result.output, Bytes::from_static(&[0xab, 0xcd]));
        assert_eq!(result.gas.remaining(), 1000 - 18);
        let (result, _) = run(&[PUSH1, 0, DUP1, REVERT], SpecId::SPURIOUS_DRAGON, LIMIT);
        assert_halt(&result, IR::OpcodeNotFound);
        let (result, _) = run(&[INVALID], SpecId::OSAKA, LIMIT);
        assert_halt(&result, IR::InvalidFEOpcode);
        // Running out of gas part way: 2 pushes are 6, ADD needs 3 more.
        let (result, _) = run(&[PUSH1, 1, PUSH1, 2, ADD], SpecId::OSAKA, 8);
        assert_halt(&result, IR::OutOfGas);
    }
}

/// The fork that introduced each opcode added after Frontier, from the EIPs.
fn introduced_in(opcode: u8) -> SpecId {
    match opcode {
        DELEGATECALL => SpecId::HOMESTEAD,
        REVERT | RETURNDATASIZE | RETURNDATACOPY | STATICCALL => SpecId::BYZANTIUM,
        SHL | SHR | SAR | CREATE2 | EXTCODEHASH => SpecId::CONSTANTINOPLE,
        CHAINID | SELFBALANCE => SpecId::ISTANBUL,
        BASEFEE => SpecId::LONDON,
        PUSH0 => SpecId::SHANGHAI,
        TLOAD | TSTORE | MCOPY | BLOBHASH | BLOBBASEFEE => SpecId::CANCUN,
        CLZ => SpecId::OSAKA,
        _ => SpecId::FRONTIER,
    }
}

#[test]
fn every_opcode_alone_on_an_empty_stack() {
    for spec in SpecId::ALL {
        for byte in 0..=255u8 {
            let (result, _) = run(&[byte], spec, LIMIT);
            let exists = OPCODE_INFO[byte as usize].is_some() && spec >= introduced_in(byte);
            let expected = match OPCODE_INFO[byte as usize] {
                _ if !exists => IR::OpcodeNotFound,
                Some(info) if info.inputs() > 0 => IR::StackUnderflow,
                _ if byte == INVALID => IR::InvalidFEOpcode,
                _ => IR::Stop,
            };
            assert_eq!(result.result, expected, "{spec:?} 0x{byte:02x}");
            if expected.is_error() {
                assert_eq!(result.gas.remaining(), 0);
            }
        }
    }
}

mod state {
    use super::*;

    const OTHER: Address = Address::repeat_byte(0x0b);

    /// PUSH1 value, PUSH1 key, SSTORE on a slot that was `original` at the start of the
    /// transaction and is `present` now. Returns (gas of SSTORE alone, refund).
    fn sstore(spec: SpecId, original: u64, present: u64, new: u64, warm: bool) -> (u64, i64) {
        let mut host = TestHost::default().with_slot(CONTRACT, 1, original, present);
        if warm {
            host = host.with_warm_slot(CONTRACT, 1);
        }
        let code = Asm::new().push(new).push(1).op(SSTORE).build();
        let (result, frame) = run_with(&code, spec, 100_000, host);
        assert_eq!(result.result, IR::Stop, "{spec:?} {original} {present} {new}");
        assert_eq!(frame.host.sstores, vec![(CONTRACT, u(1), u(new))]);
        assert_eq!(frame.host.storage[&(CONTRACT, u(1))], u(new));
        (result.gas.spent() - 6, result.gas.refunded())
    }

    #[test]
    fn sstore_legacy() {
        // Yellow Paper (Frontier to Byzantium, and Petersburg): 20000 to set a zero slot,
        // 5000 otherwise, 15000 refunded for clearing.
        for spec in [SpecId::FRONTIER, SpecId::HOMESTEAD, SpecId::BYZANTIUM, SpecId::PETERSBURG] {
            assert_eq!(sstore(spec, 0, 0, 1, false), (20000, 0));
            assert_eq!(sstore(spec, 1, 1, 2, false), (5000, 0));
            assert_eq!(sstore(spec, 1, 1, 0, false), (5000, 15000));
            assert_eq!(sstore(spec, 0, 0, 0, false), (5000, 0));
            assert_eq!(sstore(spec, 1, 1, 1, false), (5000, 0));
            // The original value plays no part.
            assert_eq!(sstore(spec, 1, 0, 1, false), (20000, 0));
        }
    }

    /// (original, present, new, gas, refund) from a net-metering table with `noop` as
    /// SLOAD_GAS, `reset` as SSTORE_RESET_GAS and `clears` as the clearing refund.
    fn net_metering_cases(noop: u64, reset: u64, clears: i64) -> [(u64, u64, u64, u64, i64); 10] {
        let set = 20000;
        [
            (0, 0, 0, noop, 0),
            (0, 0, 1, set, 0),
            (1, 1, 0, reset, clears),
            (1, 1, 2, reset, 0),
            (1, 1, 1, noop, 0),
            // Dirty slots: SLOAD_GAS, and refunds that follow the changes.
            (1, 0, 1, noop, -clears + (reset - noop) as i64),
            (1, 2, 0, noop, clears),
            (1, 0, 2, noop, -clears),
            (0, 1, 0, noop, (set - noop) as i64),
            (1, 2, 1, noop, (reset - noop) as i64),
        ]
    }

    #[test]
    fn sstore_eip1283_constantinople() {
        // EIP-1283: SLOAD_GAS 200, reset 5000, clear refund 15000, no stipend sentry.
        for (o, p, n, gas, refund) in net_metering_cases(200, 5000, 15000) {
            assert_eq!(sstore(SpecId::CONSTANTINOPLE, o, p, n, false), (gas, refund));
        }
    }

    #[test]
    fn sstore_eip2200_istanbul() {
        // EIP-2200: SLOAD_GAS 800 (so 19200 and 4200 restore refunds).
        for (o, p, n, gas, refund) in net_metering_cases(800, 5000, 15000) {
            assert_eq!(sstore(SpecId::ISTANBUL, o, p, n, false), (gas, refund));
        }
        assert_eq!(net_metering_cases(800, 5000, 15000)[8].4, 19200);
        assert_eq!(net_metering_cases(800, 5000, 15000)[9].4, 4200);
    }

    #[test]
    fn sstore_eip2929_berlin() {
        // EIP-2929: SLOAD_GAS becomes the warm read 100, SSTORE_RESET_GAS 5000 − 2100 =
        // 2900, and a cold slot pays 2100 on top.
        for (o, p, n, gas, refund) in net_metering_cases(100, 2900, 15000) {
            assert_eq!(sstore(SpecId::BERLIN, o, p, n, true), (gas, refund));
            assert_eq!(sstore(SpecId::BERLIN, o, p, n, false), (gas + 2100, refund));
        }
        // The EIP's headline numbers: a cold first write 22100, a cold update 5000.
        assert_eq!(sstore(SpecId::BERLIN, 0, 0, 1, false).0, 22100);
        assert_eq!(sstore(SpecId::BERLIN, 1, 1, 2, false).0, 5000);
    }

    #[test]
    fn sstore_eip3529_london() {
        // EIP-3529: SSTORE_CLEARS_SCHEDULE = 2900 + 1900 = 4800.
        for spec in [SpecId::LONDON, SpecId::CANCUN, SpecId::OSAKA] {
            for (o, p, n, gas, refund) in net_metering_cases(100, 2900, 4800) {
                assert_eq!(sstore(spec, o, p, n, true), (gas, refund));
            }
        }
        assert_eq!(sstore(SpecId::LONDON, 1, 1, 0, true), (2900, 4800));
        // −4800 + (2900 − 100)
        assert_eq!(sstore(SpecId::LONDON, 1, 0, 1, true), (100, -2000));
    }

    #[test]
    fn sstore_stipend_sentry_from_istanbul() {
        // EIP-2200: fails when gasleft ≤ 2300. After the two pushes (6), a limit of 2306
        // leaves exactly 2300.
        let code = Asm::new().push(0).push(0).op(SSTORE).build();
        let (result, _) = run(&code, SpecId::ISTANBUL, 2306);
        assert_halt(&result, IR::ReentrancySentryOOG);
        let (result, _) = run(&code, SpecId::ISTANBUL, 2307);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 6 + 800);
        // Constantinople had no sentry: the no-op write costs 200.
        let (result, _) = run(&code, SpecId::CONSTANTINOPLE, 2306);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 6 + 200);
    }

    #[test]
    fn sload_per_fork() {
        // The same slot twice: Frontier 50, EIP-150 200, EIP-1884 800, EIP-2929 cold 2100
        // then warm 100.
        let code = Asm::new().push(0).op(SLOAD).push(0).op(SLOAD).build();
        for (spec, first, second) in [
            (SpecId::FRONTIER, 50, 50),
            (SpecId::TANGERINE, 200, 200),
            (SpecId::PETERSBURG, 200, 200),
            (SpecId::ISTANBUL, 800, 800),
            (SpecId::BERLIN, 2100, 100),
            (SpecId::OSAKA, 2100, 100),
        ] {
            assert_eq!(gas_of(&code, spec), 3 + first + 3 + second, "{spec:?}");
        }
        let host = TestHost::default().with_slot(CONTRACT, 0, 9, 9);
        let (_, frame) = run_with(&code, SpecId::OSAKA, LIMIT, host);
        assert_eq!(frame.stack(), &[u(9), u(9)]);
    }

    #[test]
    fn balance_per_fork() {
        let host = || {
            TestHost::default()
                .with_account(OTHER, TestAccount { balance: u(77), ..TestAccount::default() })
        };
        let code = Asm::new().push_address(OTHER).op(BALANCE).push_address(OTHER).op(BALANCE);
        let code = code.build();
        // 20, EIP-150 400, EIP-1884 700, EIP-2929 2600 cold then 100 warm.
        for (spec, first, second) in [
            (SpecId::FRONTIER, 20, 20),
            (SpecId::TANGERINE, 400, 400),
            (SpecId::ISTANBUL, 700, 700),
            (SpecId::BERLIN, 2600, 100),
        ] {
            let (result, frame) = run_with(&code, spec, LIMIT, host());
            assert_eq!(result.gas.spent(), 3 + first + 3 + second, "{spec:?}");
            assert_eq!(frame.stack(), &[u(77), u(77)]);
        }
        // SELFBALANCE (EIP-1884) costs 5 and is never cold.
        let host = TestHost::default()
            .with_account(CONTRACT, TestAccount { balance: u(5), ..TestAccount::default() });
        let (result, frame) = run_with(&[SELFBALANCE], SpecId::BERLIN, LIMIT, host);
        assert_eq!(frame.stack(), &[u(5)]);
        assert_eq!(result.gas.spent(), 5);
    }

    #[test]
    fn extcode_family() {
        let code_of_other = Bytes::from_static(&[0x60, 0x01, 0x60, 0x02]);
        let host = TestHost::default().with_account(
            OTHER,
            TestAccount { code: code_of_other.clone(), ..TestAccount::default() },
        );
        let code = Asm::new()
            .push_address(OTHER)
            .op(EXTCODESIZE)
            .push_address(OTHER)
            .op(EXTCODEHASH)
            .push(6) // len
            .push(1) // code offset
            .push(0) // memory offset
            .push_address(OTHER)
            .op(EXTCODECOPY)
            .build();
        let (result, frame) = run_with(&code, SpecId::BERLIN, LIMIT, host);
        assert_eq!(result.result, IR::Stop);
        let hash = lamina_primitives::keccak256(&code_of_other);
        assert_eq!(frame.stack(), &[u(4), U256::from_be_bytes(hash.0)]);
        assert_eq!(&frame.memory()[..8], &[0x01, 0x60, 0x02, 0, 0, 0, 0, 0]);
        // Cold 2600 for the first access, then warm 100 twice; copy 3 per word; 1 word of
        // memory; 6 pushes.
        assert_eq!(result.gas.spent(), 6 * 3 + 2600 + 100 + 100 + 3 + 3);
        // Frontier prices: 20 each, EXTCODEHASH absent.
        let code = Asm::new().push_address(OTHER).op(EXTCODESIZE).build();
        assert_eq!(gas_of(&code, SpecId::FRONTIER), 23);
        assert_eq!(gas_of(&code, SpecId::TANGERINE), 703);
        let code = Asm::new().push_address(OTHER).op(EXTCODEHASH).build();
        // EIP-1052: 400; EIP-1884: 700.
        assert_eq!(gas_of(&code, SpecId::CONSTANTINOPLE), 403);
        assert_eq!(gas_of(&code, SpecId::ISTANBUL), 703);
    }

    #[test]
    fn log_gas_and_data() {
        // LOG2 of 10 bytes at memory 0: 375 + 2·375 + 8·10 + 3 memory, plus 4 pushes.
        let topic0 = u(0x1111);
        let topic1 = u(0x2222);
        let code = Asm::new().push_word(topic1).push_word(topic0).push(10).push(0).op(LOG2).build();
        let (result, frame) = run(&code, SpecId::FRONTIER, LIMIT);
        assert_eq!(result.result, IR::Stop);
        assert_eq!(result.gas.spent(), 12 + 375 + 750 + 80 + 3);
        let log = &frame.host.logs[0];
        assert_eq!(log.address, CONTRACT);
        assert_eq!(log.data.topics(), &[B256::from(topic0), B256::from(topic1)]);
        assert_eq!(log.data.data, Bytes::from(vec![0u8; 10]));
        for n in 0..=4u8 {
            let mut asm = Asm::new();
            for t in 0..n {
                asm = asm.push(t as u64);
            }
            let code = asm.push(0).push(0).op(LOG0 + n).build();
            let pushes = 3 * (n as u64 + 2);
            assert_eq!(gas_of(&code, SpecId::OSAKA), pushes + 375 * (n as u64 + 1), "LOG{n}");
        }
    }

    #[test]
    fn selfdestruct_gas_and_refund() {
        let code = Asm::new().push_address(OTHER).op(SELFDESTRUCT).build();
        let rich = || {
            TestHost::default()
                .with_account(CONTRACT, TestAccount { balance: u(1), ..TestAccount::default() })
        };
        // Frontier: free, 24000 refunded.
        let (result, _) = run_with(&code, SpecId::FRONTIER, LIMIT, rich());
        assert_eq!(result.result, IR::SelfDestruct);
        assert_eq!((result.gas.spent(), result.gas.refunded()), (3, 24000));
        // EIP-150: 5000, and 25000 more for a beneficiary not in state.
        let (result, _) = run_with(&code, SpecId::TANGERINE, LIMIT, rich());
        assert_eq!(result.gas.spent(), 3 + 5000 + 25000);
        // EIP-161: only when value goes to an empty account.
        let (result, _) = run_with(&code, SpecId::SPURIOUS_DRAGON, LIMIT, TestHost::default());
        assert_eq!(result.gas.spent(), 3 + 5000);
        // EIP-2929: a cold beneficiary adds 2600; EIP-3529: no refund from London.
        let host = rich().with_account(OTHER, TestAccount { nonce: 1, ..TestAccount::default() });
        let (result, _) = run_with(&code, SpecId::BERLIN, LIMIT, host.clone());
        assert_eq!((result.gas.spent(), result.gas.refunded()), (3 + 5000 + 2600, 24000));
        let (result, _) = run_with(&code, SpecId::LONDON, LIMIT, host);
        assert_eq!((result.gas.spent(), result.gas.refunded()), (3 + 5000 + 2600, 0));
    }
}

mod static_calls {
    use super::*;

    fn run_static(code: &[u8], spec: SpecId) -> Frame {
        let context = FrameContext { is_static: true, ..context() };
        Frame::with(code, InstructionTable::new(spec), LIMIT, context, TestHost::default())
    }

    #[test]
    fn state_changes_halt() {
        let seven_zeros = Asm::new().push(0).push(0).push(0).push(0).push(0).push(0).push(0);
        let cases = [
            seven_zeros.clone().op(SSTORE),
            seven_zeros.clone().op(TSTORE),
            seven_zeros.clone().op(LOG0),
            seven_zeros.clone().op(LOG4),
            seven_zeros.clone().op(CREATE),
            seven_zeros.clone().op(CREATE2),
            seven_zeros.clone().op(SELFDESTRUCT),
        ];
        for code in cases {
            let mut frame = run_static(&code.build(), SpecId::CANCUN);
            let result = frame.finish();
            assert_halt(&result, IR::StateChangeDuringStaticCall);
            assert!(frame.host.sstores.is_empty() && frame.host.logs.is_empty());
            assert!(frame.host.transient.is_empty());
        }
    }

    #[test]
    fn call_with_value_halts_but_reads_and_plain_calls_do_not() {
        // out_len, out_offset, in_len, in_offset, value 1, address, gas
        let code = Asm::new().push(0).push(0).push(0).push(0).push(1).push(0xbb).push(1000);
        let mut frame = run_static(&code.clone().op(CALL).build(), SpecId::CANCUN);
        assert_halt(&frame.finish(), IR::CallNotAllowedInsideStatic);
        // CALLCODE moves no value to another account, so EIP-214 allows it.
        let mut frame = run_static(&code.op(CALLCODE).build(), SpecId::CANCUN);
        assert!(matches!(frame.request(), FrameInput::Call(c) if c.is_static));
        // A CALL without value is fine and the callee is static too.
        let code = Asm::new().push(0).push(0).push(0).push(0).push(0).push(0xbb).push(1000);
        let mut frame = run_static(&code.op(CALL).build(), SpecId::CANCUN);
        let FrameInput::Call(inputs) = frame.request() else { panic!("expected a call") };
        assert!(inputs.is_static);
        // Reads are allowed.
        let code = Asm::new().push(0).op(SLOAD).push(0).op(TLOAD).build();
        assert_eq!(run_static(&code, SpecId::CANCUN).finish().result, IR::Stop);
    }
}

mod calls {
    use super::*;

    const TARGET: Address = Address::repeat_byte(0x7a);

    /// CALL with its seven arguments; `gas` is pushed last (on top).
    fn call_code(gas: U256, value: u64, out: (u64, u64)) -> Asm {
        Asm::new()
            .push(out.1)
            .push(out.0)
            .push(0)
            .push(0)
            .push(value)
            .push_address(TARGET)
            .push_word(gas)
    }

    fn existing_target() -> TestHost {
        TestHost::default().with_account(TARGET, TestAccount { nonce: 1, ..TestAccount::default() })
    }

    fn call_frame(spec: SpecId, code: Asm, host: TestHost) -> Frame {
        Frame::with(&code.op(CALL).build(), InstructionTable::new(spec), 100_000, context(), host)
    }

    fn requested(frame: &mut Frame) -> lamina_interpreter::CallInputs {
        match frame.request() {
            FrameInput::Call(inputs) => inputs,
            other => panic!("expected a call, got {other:?}"),
        }
    }

    #[test]
    fn all_but_one_64th_from_tangerine() {
        // Berlin, warm target, no value, all gas requested. Seven pushes cost 21 and CALL's
        // warm access 100: G = 100000 − 121 = 99879; the callee gets G − ⌊G/64⌋ =
        // 99879 − 1560 = 98319 and 1560 stays.
        let host = existing_target().with_warm_account(TARGET);
        let mut frame = call_frame(SpecId::BERLIN, call_code(U256::MAX, 0, (0, 0)), host);
        let inputs = requested(&mut frame);
        assert_eq!(inputs.gas_limit, 98319);
        assert_eq!(frame.interp.gas.remaining(), 1560);
        assert_eq!(inputs.scheme, CallScheme::Call);
        assert_eq!(inputs.target_address, TARGET);
        assert_eq!(inputs.bytecode_address, TARGET);
        assert_eq!(inputs.caller, CONTRACT);
        assert_eq!(inputs.value, CallValue::Transfer(U256::ZERO));
        assert!(!inputs.is_static);

        // Cold target: 2600. G = 100000 − 21 − 2600 = 97379, ⌊G/64⌋ = 1521.
        let mut frame =
            call_frame(SpecId::BERLIN, call_code(U256::MAX, 0, (0, 0)), existing_target());
        assert_eq!(requested(&mut frame).gas_limit, 97379 - 1521);

        // Tangerine: CALL costs 700. G = 100000 − 721 = 99279, ⌊G/64⌋ = 1551.
        let mut frame =
            call_frame(SpecId::TANGERINE, call_code(U256::MAX, 0, (0, 0)), existing_target());
        assert_eq!(requested(&mut frame).gas_limit, 99279 - 1551);

        // Asking for less than the cap gets exactly that.
        let mut frame =
            call_frame(SpecId::TANGERINE, call_code(u(1000), 0, (0, 0)), existing_target());
        assert_eq!(requested(&mut frame).gas_limit, 1000);
        assert_eq!(frame.interp.gas.remaining(), 99279 - 1000);
    }

    #[test]
    fn before_tangerine_asking_too_much_is_out_of_gas() {
        let mut frame =
            call_frame(SpecId::HOMESTEAD, call_code(u(200_000), 0, (0, 0)), existing_target());
        assert_halt(&frame.finish(), IR::OutOfGas);
        // 100000 − 21 − 40 = 99939 left: asking exactly that is allowed.
        let mut frame =
            call_frame(SpecId::HOMESTEAD, call_code(u(99939), 0, (0, 0)), existing_target());
        assert_eq!(requested(&mut frame).gas_limit, 99939);
        assert_eq!(frame.interp.gas.remaining(), 0);
        // Before EIP-161, calling an account not in state costs 25000 even without value.
        let mut frame =
            call_frame(SpecId::HOMESTEAD, call_code(u(1000), 0, (0, 0)), TestHost::default());
        requested(&mut frame);
        assert_eq!(frame.interp.gas.remaining(), 100000 - 21 - 40 - 25000 - 1000);
    }

    #[test]
    fn value_transfer_costs_9000_and_gives_a_2300_stipend() {
        // Byzantium: 700 + 9000; the callee gets its 10000 plus the free 2300.
        let mut frame =
            call_frame(SpecId::BYZANTIUM, call_code(u(10_000), 5, (0, 0)), existing_target());
        let inputs = requested(&mut frame);
        assert_eq!(inputs.gas_limit, 12_300);
        assert_eq!(inputs.value, CallValue::Transfer(u(5)));
        assert_eq!(frame.interp.gas.remaining(), 100000 - 21 - 700 - 9000 - 10000);

        // EIP-161: value to an empty account adds 25000.
        let mut frame =
            call_frame(SpecId::BYZANTIUM, call_code(u(0), 5, (0, 0)), TestHost::default());
        assert_eq!(requested(&mut frame).gas_limit, 2300);
        assert_eq!(frame.interp.gas.remaining(), 100000 - 21 - 700 - 9000 - 25000);
        // No value to an empty account: no new-account cost.
        let mut frame =
            call_frame(SpecId::BYZANTIUM, call_code(u(0), 0, (0, 0)), TestHost::default());
        assert_eq!(requested(&mut frame).gas_limit, 0);
        assert_eq!(frame.interp.gas.remaining(), 100000 - 21 - 700);

        // The 63/64 cap applies before the stipend is added: G = 100000 − 21 − 9700 =
        // 90279, ⌊G/64⌋ = 1410, so 88869 + 2300.
        let mut frame =
            call_frame(SpecId::BYZANTIUM, call_code(U256::MAX, 5, (0, 0)), existing_target());
        assert_eq!(requested(&mut frame).gas_limit, 88869 + 2300);
    }

    /// Byzantium; out range 0..4 (one word of memory, 3 gas); 10000 requested. Before the
    /// call: 21 + 700 + 3 = 724 spent, so 89276 left after handing 10000 to the callee.
    /// After it: RETURNDATASIZE, PUSH1 0, MLOAD: 8 more.
    fn call_then_inspect() -> Frame {
        let code = call_code(u(10_000), 0, (0, 4)).op(CALL).op(RETURNDATASIZE).push(0).op(MLOAD);
        let mut frame = Frame::with(
            &code.build(),
            InstructionTable::new(SpecId::BYZANTIUM),
            100_000,
            context(),
            existing_target(),
        );
        let FrameInput::Call(inputs) = frame.request() else { panic!("expected a call") };
        assert_eq!(inputs.return_memory_offset, 0..4);
        assert_eq!(frame.interp.gas.remaining(), 89_276);
        frame
    }

    #[test]
    fn success_copies_output_pushes_one_and_returns_gas() {
        let mut frame = call_then_inspect();
        // The callee used 6000 of its 10000 and returned 6 bytes; only 4 fit the out range.
        frame.resume_call(child(IR::Return, 10_000, 4_000, &[1, 2, 3, 4, 5, 6]), 0..4);
        let result = frame.finish();
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[u(1), u(6), left_aligned(&[1, 2, 3, 4])]);
        assert_eq!(result.gas.spent(), 724 + 6000 + 8);
    }

    #[test]
    fn revert_pushes_zero_and_returns_gas() {
        let mut frame = call_then_inspect();
        frame.resume_call(child(IR::Revert, 10_000, 7_000, &[0xaa]), 0..4);
        let result = frame.finish();
        assert_eq!(result.result, IR::Stop);
        // Revert data is return data and lands in the out range.
        assert_eq!(frame.stack(), &[u(0), u(1), left_aligned(&[0xaa])]);
        assert_eq!(result.gas.spent(), 724 + 3000 + 8);
    }

    #[test]
    fn halt_pushes_zero_and_keeps_the_gas() {
        let mut frame = call_then_inspect();
        // Whatever the child's gas says, a halted callee's gas is gone.
        frame.resume_call(child(IR::InvalidJump, 10_000, 9_000, &[]), 0..4);
        let result = frame.finish();
        assert_eq!(result.result, IR::Stop);
        assert_eq!(frame.stack(), &[u(0), u(0), u(0)]);
        assert_eq!(result.gas.spent(), 724 + 10_000 + 8);
    }

    #[test]
    fn delegatecall_and_staticcall_inputs() {
        let context = FrameContext { value: u(9), ..context() };
        // gas, address, in_offset, in_len, out_offset, out_len (six arguments)
        let six = Asm::new().push(0).push(0).push(3).push(29).push_address(TARGET).push(500);
        let code = Asm::new().push(0xabcdef).push(0).op(MSTORE).bytes(&six.build());
        for (op, scheme) in
            [(DELEGATECALL, CallScheme::DelegateCall), (STATICCALL, CallScheme::StaticCall)]
        {
            let mut frame = Frame::with(
                &code.clone().op(op).build(),
                InstructionTable::new(SpecId::OSAKA),
                100_000,
                context.clone(),
                existing_target(),
            );
            let FrameInput::Call(inputs) = frame.request() else { panic!("expected a call") };
            assert_eq!(inputs.scheme, scheme);
            assert_eq!(inputs.gas_limit, 500);
            assert_eq!(inputs.bytecode_address, TARGET);
            // Memory word 0 ends with ab cd ef; input is bytes 29..32 of it, lent from the
            // caller's memory.
            assert_eq!(inputs.input.as_bytes(), None);
            assert_eq!(inputs.input.bytes(&frame.interp.memory), [0xab, 0xcd, 0xef]);
            if scheme == CallScheme::DelegateCall {
                assert_eq!(inputs.target_address, CONTRACT);
                assert_eq!(inputs.caller, SENDER);
                assert_eq!(inputs.value, CallValue::Apparent(u(9)));
                assert!(!inputs.is_static);
            } else {
                assert_eq!(inputs.target_address, TARGET);
                assert_eq!(inputs.caller, CONTRACT);
                assert!(inputs.is_static);
            }
        }
    }
}

mod creates {
    use super::*;

    /// Init code 0x6001600155 ("PUSH1 1 PUSH1 1 SSTORE") left-aligned in memory word 0.
    const INIT: [u8; 5] = [0x60, 0x01, 0x60, 0x01, 0x55];

    /// MSTORE of the init code (PUSH32 3 + PUSH1 3 + MSTORE 3 + 1 word 3 = 12), then
    /// CREATE(value, 0, len) or CREATE2(value, 0, len, salt).
    fn create_code(op: u8, value: u64, len: u64) -> Vec<u8> {
        let mut asm = Asm::new().push_word(left_aligned(&INIT)).push(0).op(MSTORE);
        if op == CREATE2 {
            asm = asm.push(0x5a17);
        }
        asm.push(len).push(0).push(value).op(op).build()
    }

    fn request(spec: SpecId, code: &[u8], gas: u64) -> (lamina_interpreter::CreateInputs, Frame) {
        let mut frame =
            Frame::with(code, InstructionTable::new(spec), gas, context(), TestHost::default());
        match frame.request() {
            FrameInput::Create(inputs) => (inputs, frame),
            other => panic!("expected a create, got {other:?}"),
        }
    }

    #[test]
    fn create_inputs_and_gas_per_fork() {
        // Shanghai: 12 + 9 + 32000 + 2·1 init code word (EIP-3860) = 32023 spent;
        // G = 67977, ⌊G/64⌋ = 1062, callee gets 66915.
        let (inputs, frame) = request(SpecId::SHANGHAI, &create_code(CREATE, 3, 5), 100_000);
        assert_eq!(inputs.init_code, Bytes::copy_from_slice(&INIT));
        assert_eq!(inputs.caller, CONTRACT);
        assert_eq!(inputs.value, u(3));
        assert_eq!(inputs.scheme, CreateScheme::Create);
        assert_eq!(inputs.gas_limit, 66915);
        assert_eq!(frame.interp.gas.remaining(), 1062);

        // London, no init code cost: G = 100000 − 32021 = 67979, ⌊G/64⌋ = 1062.
        let (inputs, _) = request(SpecId::LONDON, &create_code(CREATE, 0, 5), 100_000);
        assert_eq!(inputs.gas_limit, 67979 - 1062);

        // Frontier hands over everything.
        let (inputs, frame) = request(SpecId::FRONTIER, &create_code(CREATE, 0, 5), 100_000);
        assert_eq!(inputs.gas_limit, 67979);
        assert_eq!(frame.interp.gas.remaining(), 0);
    }

    #[test]
    fn create2_hashes_the_init_code() {
        // 12 + 12 + 32000 + 2 (EIP-3860) + 6 (hashing one word, EIP-1014) = 32032;
        // G = 67968, ⌊G/64⌋ = 1062.
        let (inputs, _) = request(SpecId::SHANGHAI, &create_code(CREATE2, 0, 5), 100_000);
        assert_eq!(inputs.scheme, CreateScheme::Create2 { salt: u(0x5a17) });
        assert_eq!(inputs.gas_limit, 67968 - 1062);
        // Petersburg: no init code word cost. G = 100000 − 32030 = 67970, ⌊G/64⌋ = 1062.
        let (inputs, _) = request(SpecId::PETERSBURG, &create_code(CREATE2, 0, 5), 100_000);
        assert_eq!(inputs.gas_limit, 67970 - 1062);
        let (result, _) = run(&create_code(CREATE2, 0, 5), SpecId::BYZANTIUM, 100_000);
        assert_halt(&result, IR::OpcodeNotFound);
    }

    #[test]
    fn eip3860_init_code_size_limit_from_shanghai() {
        // 49152 bytes is the limit: 1536 words. Memory grows from 1 word (paid by the
        // MSTORE) to 1536: 3·1536 + 1536²/512 − 3 = 9213; init code 2·1536 = 3072;
        // 12 + 9 + 32000 + 9213 + 3072 = 44306 spent; G = 955694, ⌊G/64⌋ = 14932.
        let (inputs, _) = request(SpecId::SHANGHAI, &create_code(CREATE, 0, 49152), LIMIT);
        assert_eq!(inputs.init_code.len(), 49152);
        assert_eq!(&inputs.init_code[..5], &INIT);
        assert_eq!(inputs.gas_limit, 955694 - 14932);
        for op in [CREATE, CREATE2] {
            let (result, _) = run(&create_code(op, 0, 49153), SpecId::SHANGHAI, LIMIT);
            assert_halt(&result, IR::CreateInitCodeSizeLimit);
        }
        // London has no limit.
        let (inputs, _) = request(SpecId::LONDON, &create_code(CREATE, 0, 49153), LIMIT);
        assert_eq!(inputs.init_code.len(), 49153);
    }

    #[test]
    fn outcomes() {
        let created = Address::repeat_byte(0xee);
        // Success: the address is pushed, the unused gas comes back, no return data.
        let code = [create_code(CREATE, 0, 5), vec![RETURNDATASIZE]].concat();
        let (inputs, mut frame) = request(SpecId::SHANGHAI, &code, 100_000);
        frame.resume_create(child(IR::Return, inputs.gas_limit, 60_000, &[0x00]), Some(created));
        let result = frame.finish();
        assert_eq!(frame.stack(), &[created.into_word().into(), u(0)]);
        // 32023 + (66915 − 60000) + 2
        assert_eq!(result.gas.spent(), 32023 + 6915 + 2);

        // Revert: zero pushed, gas back, revert data readable.
        let (inputs, mut frame) = request(SpecId::SHANGHAI, &code, 100_000);
        frame.resume_create(child(IR::Revert, inputs.gas_limit, 60_000, &[1, 2]), None);
        let result = frame.finish();
        assert_eq!(frame.stack(), &[u(0), u(2)]);
        assert_eq!(result.gas.spent(), 32023 + 6915 + 2);

        // Halt: zero pushed, gas gone.
        let (inputs, mut frame) = request(SpecId::SHANGHAI, &code, 100_000);
        frame.resume_create(child(IR::OutOfGas, inputs.gas_limit, 0, &[]), None);
        let result = frame.finish();
        assert_eq!(frame.stack(), &[u(0), u(0)]);
        assert_eq!(result.gas.spent(), 32023 + 66915 + 2);
    }
}
