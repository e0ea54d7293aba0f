//! Stack: POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16.

use super::memory;
use crate::{Host, Interpreter};
use lamina_bytecode::opcode::{JUMP, JUMPI, MLOAD, MSTORE};
use lamina_primitives::U256;

stack_only! {
    /// POP.
    fn pop(interp) {
        // SAFETY: the dispatch loop checked the stack holds the opcode's input.
        unsafe { interp.stack.discard() };
    }

    /// PUSH0 (EIP-3855).
    fn push0(interp) {
        push!(interp, U256::ZERO);
    }
}

/// PUSH1..PUSH32: `N` immediate bytes as a big-endian word. Bytes past the end of the code
/// read as zero (the padding, which also makes the 32 bytes after any opcode readable).
pub fn push<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    let value = word_from_immediate::<N>(interp.immediate(32));
    push!(interp, value);
    interp.skip(N);
}

/// PUSH2 in code checked per block, run together with the instruction after it when that is
/// a JUMP or JUMPI (Solidity's jump to a fixed destination: the jump is made without the
/// destination's trip through the stack; in snailtracer 88% of the PUSH2s run are such, in
/// burntpix 77%), or an MLOAD or MSTORE (a fixed memory address). Each saves a dispatch. The
/// block's check, made on entering it, covered both instructions' gas and stack needs: a
/// block ends at a jump, and never starts at an MLOAD or MSTORE, so both are in it.
///
/// Private to the crate: only the per-block loop's table maps it, because its jump reads the
/// code's block checks, which exist only in that loop. As a custom instruction it would run
/// without them.
pub(crate) fn push2_fused<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    let immediate = interp.immediate(3);
    let dest = usize::from(u16::from_be_bytes([immediate[0], immediate[1]]));
    match immediate[2] {
        JUMP => interp.jump_to_block(dest),
        JUMPI => {
            pop!(interp, condition);
            if !super::is_zero(&condition) {
                interp.jump_to_block(dest);
            } else {
                interp.skip(3);
                interp.enter_block();
            }
        }
        // A fixed memory address, Huff's and the Solidity scratch space's habit: nearly
        // every PUSH2 of blake2b_huff is one. Both run here, one dispatch saved; the pair is
        // what the loop would have run (MLOAD and MSTORE do not end a block).
        next @ (MLOAD | MSTORE) => {
            push::<2, H>(interp, host);
            interp.skip(1);
            if next == MLOAD {
                memory::mload(interp, host);
            } else {
                memory::mstore(interp, host);
            }
        }
        _ => push::<2, H>(interp, host),
    }
}

/// The word whose big-endian bytes are the first `N` of `bytes` (which holds at least 32,
/// so every 8-byte read below stays inside it). With `N` a constant, this is one unaligned
/// load and byte swap per limb; a generic slice conversion loops over the bytes.
#[inline(always)]
pub(crate) fn word_from_immediate<const N: usize>(bytes: &[u8]) -> U256 {
    let read = |at: usize| u64::from_be_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let mut limbs = [0u64; 4];
    for (limb, value) in limbs.iter_mut().enumerate() {
        // Limb `limb` holds the bytes ending `8 * limb` bytes before the immediate's end.
        let end = N as isize - 8 * limb as isize;
        if end <= 0 {
            break;
        }
        *value = if end >= 8 { read(end as usize - 8) } else { read(0) >> (8 * (8 - end)) };
    }
    U256::from_limbs(limbs)
}

/// DUP1..DUP16.
pub fn dup<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    // SAFETY: the dispatch loop checked `N` words are present and one more fits.
    unsafe { interp.stack.dup_unchecked(N) };
}

/// SWAP1..SWAP16.
pub fn swap<const N: usize, H: Host + ?Sized>(interp: &mut Interpreter, _host: &mut H) {
    // SAFETY: the dispatch loop checked `N + 1` words are present.
    unsafe { interp.stack.swap_unchecked(N) };
}

#[cfg(test)]
mod tests {
    use super::word_from_immediate;
    use lamina_primitives::U256;

    #[test]
    fn immediates_of_every_length() {
        let bytes: [u8; 32] = core::array::from_fn(|i| i as u8 + 1);
        macro_rules! check {
            ($($n:literal),*) => { $(
                assert_eq!(
                    word_from_immediate::<$n>(&bytes),
                    U256::from_be_slice(&bytes[..$n]),
                    "PUSH{}", $n
                );
            )* };
        }
        check!(
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            25, 26, 27, 28, 29, 30, 31, 32
        );
    }
}
