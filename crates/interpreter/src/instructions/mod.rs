//! Instruction implementations: small free functions `fn(&mut Interpreter, &mut H)`. Those
//! that use only the stack are written on the stack's top alone (`stack_only!`), so the
//! per-block loop can run them inline.
//!
//! The dispatch loop has already checked the stack height and charged the static gas from
//! the instruction table, so instructions pop without checks and charge only dynamic gas.

/// Pops words (top first) into the named bindings; the loop checked the stack height.
macro_rules! pop {
    ($interp:expr, $($x:ident),+) => {
        // SAFETY: the dispatch loop checked the stack holds the opcode's inputs.
        let [$($x),+] = unsafe { $interp.stack.popn() };
    };
}

/// Pops words and binds the new top as `&mut U256` for the result.
macro_rules! pop_top {
    ($interp:expr, $top:ident) => {
        // SAFETY: the dispatch loop checked the stack holds the opcode's inputs.
        let $top = unsafe { $interp.stack.top_unchecked() };
    };
    ($interp:expr, $($x:ident),+ ; $top:ident) => {
        // SAFETY: the dispatch loop checked the stack holds the opcode's inputs.
        let ([$($x),+], $top) = unsafe { $interp.stack.popn_top() };
    };
}

/// Pushes a word; the loop checked there is room.
macro_rules! push {
    ($interp:expr, $value:expr) => {
        // SAFETY: the dispatch loop checked the opcode's outputs fit.
        unsafe { $interp.stack.push_unchecked($value) }
    };
}

/// Charges dynamic gas or returns from the instruction (halted out of gas).
macro_rules! charge {
    ($interp:expr, $cost:expr) => {
        if !$interp.charge($cost) {
            return;
        }
    };
}

/// A stack word as `usize`, or halt: a value that large can never be paid for.
macro_rules! as_usize_or_fail {
    ($interp:expr, $value:expr) => {
        match u64::try_from($value) {
            Ok(value) => value as usize,
            Err(_) => {
                $interp.halt($crate::InstructionResult::InvalidOperandOOG);
                return;
            }
        }
    };
}

/// Unwraps a host answer; `None` means the host failed (database error).
macro_rules! host_try {
    ($interp:expr, $value:expr) => {
        match $value {
            Some(value) => value,
            None => {
                $interp.halt($crate::InstructionResult::FatalExternalError);
                return;
            }
        }
    };
}

/// Halts a state change inside a static call.
macro_rules! require_non_static {
    ($interp:expr) => {
        if $interp.context.is_static {
            $interp.halt($crate::InstructionResult::StateChangeDuringStaticCall);
            return;
        }
    };
}

/// Grows memory for `len` bytes at `offset` (stack words) and yields `(offset, len)` as
/// `usize`; a zero length yields offset 0 and touches nothing.
macro_rules! memory_range {
    ($interp:expr, $offset:expr, $len:expr) => {{
        let len = as_usize_or_fail!($interp, $len);
        if len == 0 {
            (0usize, 0usize)
        } else {
            let offset = as_usize_or_fail!($interp, $offset);
            if !$interp.resize_memory(offset, len) {
                return;
            }
            (offset, len)
        }
    }};
}

/// What a stack-only instruction reaches: the stack's top, and nothing else of the frame.
/// The loop that checks per block keeps it in a local, so that the top stays in a register
/// across the instructions it runs inline (see `Interpreter::run_blocks`).
pub(crate) struct StackOnly {
    /// The top pointer (`stack`, so that `pop!`, `pop_top!` and `push!` read as they do on
    /// the interpreter).
    pub(crate) stack: crate::stack::StackTop,
}

/// Instructions that read and write the stack only, each written once as a function of the
/// stack's top alone ([`StackOnly`]; its parameter is named `interp`, so the bodies read as
/// every other instruction's). For each this makes the table's `fn(&mut Interpreter, &mut H)`
/// (for the per-instruction loop, inspectors and custom tables), and the function in the
/// module's `on_stack`, which the per-block loop runs inline.
macro_rules! stack_only {
    ($( $(#[$attr:meta])* fn $name:ident($interp:ident) $body:block )*) => {
        $(
            $(#[$attr])*
            pub fn $name<H: $crate::Host + ?Sized>(
                interp: &mut $crate::Interpreter,
                _host: &mut H,
            ) {
                let mut stack = $crate::instructions::StackOnly { stack: interp.stack.top };
                on_stack::$name(&mut stack);
                interp.stack.top = stack.stack;
            }
        )*

        /// The module's stack-only instructions on the stack's top alone (see `stack_only!`).
        pub(crate) mod on_stack {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[inline(always)]
                pub(crate) fn $name($interp: &mut $crate::instructions::StackOnly) $body
            )*
        }
    };
}

/// The address in a word's low 20 bytes, as BALANCE, CALL and their kin pop it.
///
/// Written as 8 bytes at its offset 0, 8 at 8 and 4 at 16: that is how the account map's
/// hasher reads it, at once, and a read that straddles two stores cannot take its value from
/// them (store forwarding) but waits until they reach the cache. Converted through `B256`,
/// the bytes were stored as the word's limbs lie (4, 8 and 8 bytes), and perf put a tenth of
/// the journal's look-up time in CALL on those waits.
#[inline(always)]
pub(crate) fn to_address(word: lamina_primitives::U256) -> lamina_primitives::Address {
    let [low, middle, high, _] = *word.as_limbs();
    let mut bytes = [0u8; 20];
    bytes[..8].copy_from_slice(&((high << 32) | (middle >> 32)).to_be_bytes());
    bytes[8..16].copy_from_slice(&((middle << 32) | (low >> 32)).to_be_bytes());
    bytes[16..].copy_from_slice(&(low as u32).to_be_bytes());
    lamina_primitives::Address::new(bytes)
}

/// Whether a word is zero, from its limbs: `U256::is_zero` compiles to a vector compare
/// through a copy on the native stack, twice the instructions on JUMPI's path.
#[inline(always)]
pub(crate) fn is_zero(word: &lamina_primitives::U256) -> bool {
    let [a, b, c, d] = *word.as_limbs();
    (a | b) | (c | d) == 0
}

/// The word as `u64`, if it fits, from its limbs: comparing the upper `[u64; 3]` with zeros
/// loads two limbs at once, a load that stalls on the stores that wrote them one by one (see
/// `Stack`'s `read_word`).
#[inline(always)]
pub(crate) fn as_u64(word: &lamina_primitives::U256) -> Option<u64> {
    let [low, a, b, c] = *word.as_limbs();
    (a | b | c == 0).then_some(low)
}

/// Whether two words are equal, from their limbs: `==` on `U256` compares 16 bytes at a
/// time, loads that stall on words written limb by limb (see `Stack`'s `read_word`).
#[inline(always)]
pub(crate) fn equal(a: &lamina_primitives::U256, b: &lamina_primitives::U256) -> bool {
    let ([a0, a1, a2, a3], [b0, b1, b2, b3]) = (*a.as_limbs(), *b.as_limbs());
    ((a0 ^ b0) | (a1 ^ b1)) | ((a2 ^ b2) | (a3 ^ b3)) == 0
}

pub mod arithmetic;
pub mod bitwise;
pub mod block;
pub mod contract;
pub mod control;
pub mod memory;
pub(crate) mod modulus;
pub mod stack;
pub mod state;
pub mod system;

#[cfg(test)]
mod tests {
    use lamina_primitives::{Address, B256, U256, address};

    #[test]
    fn to_address_takes_the_low_20_bytes_as_alloy_does() {
        let words = [
            U256::ZERO,
            U256::MAX,
            U256::from_be_slice(&address!("0xd8da6bf26964af9d7eed9e03e53415d37aa96045")[..]),
            U256::from_be_bytes(core::array::from_fn::<u8, 32, _>(|i| i as u8 + 1)),
            U256::from(1u64) << 159,
            U256::from(1u64) << 160,
        ];
        for word in words {
            assert_eq!(super::to_address(word), Address::from_word(B256::from(word)), "{word:#x}");
        }
        let vitalik =
            U256::from_be_slice(&address!("0xd8da6bf26964af9d7eed9e03e53415d37aa96045")[..]);
        assert_eq!(
            super::to_address(vitalik),
            address!("0xd8da6bf26964af9d7eed9e03e53415d37aa96045")
        );
        assert_eq!(super::to_address(U256::from(1u64) << 160), Address::ZERO);
    }

    proptest::proptest! {
        #[test]
        fn to_address_equals_alloy_on_any_word(bytes: [u8; 32]) {
            let word = U256::from_be_bytes(bytes);
            proptest::prop_assert_eq!(super::to_address(word), Address::from_word(B256::from(bytes)));
        }
    }
}
