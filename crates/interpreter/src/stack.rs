//! The EVM operand stack.

use alloc::{boxed::Box, vec::Vec};
use core::{fmt, mem::MaybeUninit, ptr::NonNull};
use lamina_primitives::{STACK_LIMIT, U256};

/// The 1024-word operand stack.
///
/// The dispatch loop checks each instruction's stack needs from the instruction table
/// before the instruction runs, so the instructions use the unchecked operations below.
/// The checked operations (`push`, `pop`, `peek`) are for everyone else.
pub struct Stack {
    /// The 1024 words, uninitialised past `top`: a new stack is not zeroed, which for a
    /// 32 KiB buffer per frame was most of the cost of starting one. Owned (a `Box` taken
    /// apart, rebuilt in `drop`), so that `top` points into it without borrowing it.
    base: NonNull<U256>,
    /// One past the top word (`base` when empty). A pointer, not a length: every push, pop,
    /// DUP and SWAP reaches the top with one load, where base and length took two loads and
    /// a shift. Only the checks, once per block, compute the length.
    pub(crate) top: StackTop,
}

// SAFETY: the stack owns its buffer (as a `Box` would); `top` points into it.
unsafe impl Send for Stack {}
// SAFETY: `&Stack` allows only reads.
unsafe impl Sync for Stack {}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: `base` came from `Box::leak` of a `Box<Buffer>` in `new`, and is freed once.
        drop(unsafe { Box::from_raw(self.base.as_ptr().cast::<Buffer>()) });
    }
}

/// The stack's allocation.
type Buffer = [MaybeUninit<U256>; STACK_LIMIT];

impl Default for Stack {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Stack {
    fn clone(&self) -> Self {
        let mut new = Self::new();
        let len = self.len();
        // SAFETY: both buffers hold 1024 words and do not overlap; the first `len` words of
        // `self` are initialised.
        unsafe {
            core::ptr::copy_nonoverlapping(self.base.as_ptr(), new.base.as_ptr(), len);
            new.top = StackTop(new.base.as_ptr().add(len));
        }
        new
    }
}

impl PartialEq for Stack {
    fn eq(&self, other: &Self) -> bool {
        self.data() == other.data()
    }
}

impl fmt::Debug for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.data()).finish()
    }
}

impl Stack {
    /// An empty stack (one allocation of 32 KiB; pool stacks to reuse it).
    pub fn new() -> Self {
        // Allocated in place, never built on the native stack, and left uninitialised.
        let data: Box<MaybeUninit<Buffer>> = Box::new_uninit();
        // SAFETY: an array of `MaybeUninit` is valid uninitialised.
        let data: Box<Buffer> = unsafe { data.assume_init() };
        let base = NonNull::from(Box::leak(data)).cast::<U256>();
        Self { base, top: StackTop(base.as_ptr()) }
    }

    /// Number of words on the stack.
    #[inline]
    pub fn len(&self) -> usize {
        self.len_at(self.top)
    }

    /// Number of words on the stack were its top at `top` (a copy the per-block loop holds).
    #[inline(always)]
    pub(crate) fn len_at(&self, top: StackTop) -> usize {
        // SAFETY: `top` was taken from this stack, and is in its buffer at or above `base`.
        unsafe { top.0.offset_from(self.base.as_ptr()) as usize }
    }

    /// Whether the stack is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.top.0 == self.base.as_ptr()
    }

    /// Empties the stack for reuse.
    #[inline]
    pub fn clear(&mut self) {
        self.top = StackTop(self.base.as_ptr());
    }

    /// The words, bottom first.
    #[inline]
    pub fn data(&self) -> &[U256] {
        // SAFETY: the words below `top` are initialised.
        unsafe { core::slice::from_raw_parts(self.base.as_ptr(), self.len()) }
    }

    /// Pushes a word; `false` on overflow.
    #[inline]
    pub fn push(&mut self, value: U256) -> bool {
        if self.len() == STACK_LIMIT {
            return false;
        }
        // SAFETY: fewer than 1024 words.
        unsafe { self.push_unchecked(value) };
        true
    }

    /// Pops a word; `None` when empty.
    #[inline]
    pub fn pop(&mut self) -> Option<U256> {
        if self.is_empty() {
            return None;
        }
        // SAFETY: not empty.
        let [value] = unsafe { self.popn() };
        Some(value)
    }

    /// The word `depth` places below the top (0 is the top).
    #[inline]
    pub fn peek(&self, depth: usize) -> Option<U256> {
        // SAFETY: below `top` and at or above `base`, initialised.
        (depth < self.len()).then(|| unsafe { *self.top.0.sub(depth + 1) })
    }

    /// Pops `N` words, top first, without checking.
    ///
    /// # Safety
    /// The stack holds at least `N` words.
    #[inline(always)]
    pub unsafe fn popn<const N: usize>(&mut self) -> [U256; N] {
        debug_assert!(self.len() >= N);
        // SAFETY: the caller guarantees `N` words.
        unsafe { self.top.popn() }
    }

    /// Pops `N` words (top first) and returns them with a reference to the new top, which
    /// the instruction overwrites with its result.
    ///
    /// # Safety
    /// The stack holds at least `N + 1` words.
    #[inline(always)]
    pub unsafe fn popn_top<const N: usize>(&mut self) -> ([U256; N], &mut U256) {
        debug_assert!(self.len() > N);
        // SAFETY: the caller guarantees `N + 1` words.
        unsafe { self.top.popn_top() }
    }

    /// The top word, to be replaced in place.
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    pub unsafe fn top_unchecked(&mut self) -> &mut U256 {
        debug_assert!(!self.is_empty());
        // SAFETY: the caller guarantees a word.
        unsafe { self.top.top_unchecked() }
    }

    /// Pushes without checking.
    ///
    /// # Safety
    /// The stack holds fewer than 1024 words.
    #[inline(always)]
    pub unsafe fn push_unchecked(&mut self, value: U256) {
        debug_assert!(self.len() < STACK_LIMIT);
        // SAFETY: the caller guarantees room.
        unsafe { self.top.push_unchecked(value) }
    }

    /// Pushes a big-endian word of up to 32 bytes read from `bytes` (zero-extended on the
    /// left), without checking.
    ///
    /// # Safety
    /// The stack holds fewer than 1024 words.
    #[inline(always)]
    pub unsafe fn push_slice_unchecked(&mut self, bytes: &[u8]) {
        let value = U256::from_be_slice(bytes);
        unsafe { self.push_unchecked(value) };
    }

    /// DUPn without checking.
    ///
    /// # Safety
    /// The stack holds at least `n` words and fewer than 1024.
    #[inline(always)]
    pub unsafe fn dup_unchecked(&mut self, n: usize) {
        debug_assert!(n >= 1 && self.len() >= n && self.len() < STACK_LIMIT);
        // SAFETY: the caller guarantees `n` words and room for one more.
        unsafe { self.top.dup_unchecked(n) }
    }

    /// SWAPn without checking.
    ///
    /// # Safety
    /// The stack holds more than `n` words.
    #[inline(always)]
    pub unsafe fn swap_unchecked(&mut self, n: usize) {
        debug_assert!(n >= 1 && self.len() > n);
        // SAFETY: the caller guarantees `n + 1` words.
        unsafe { self.top.swap_unchecked(n) }
    }
}

/// The stack's top pointer, on its own: one past the top word. The unchecked operations are
/// written once, here, with the names [`Stack`]'s forms have (so the instructions' `pop!`
/// and `push!` read the same on either). The loop that checks per block copies it out of the [`Stack`] into a
/// local, so that it stays in a register across the instructions it runs inline (a pointer
/// kept in the interpreter must be stored and loaded again around every instruction, since
/// the compiler cannot tell the stack's words from the interpreter's fields).
///
/// Every operation trusts its caller on the stack's height, which the loop checked (per block
/// or per instruction) from the instruction table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StackTop(*mut U256);

impl StackTop {
    /// Pops `N` words, top first.
    ///
    /// # Safety
    /// At least `N` words are below the top.
    #[inline(always)]
    pub(crate) unsafe fn popn<const N: usize>(&mut self) -> [U256; N] {
        // SAFETY: the caller guarantees `N` words.
        unsafe {
            self.0 = self.0.sub(N);
            let base = self.0;
            core::array::from_fn(|i| read_word(base.add(N - 1 - i)))
        }
    }

    /// Pops `N` words (top first) and returns them with the new top, for the result.
    ///
    /// # Safety
    /// At least `N + 1` words are below the top.
    #[inline(always)]
    pub(crate) unsafe fn popn_top<const N: usize>(&mut self) -> ([U256; N], &mut U256) {
        // SAFETY: the caller guarantees `N + 1` words.
        unsafe {
            let popped = self.popn::<N>();
            (popped, &mut *self.0.sub(1))
        }
    }

    /// [`Self::popn_top`] with the popped words borrowed where they are, not copied: a
    /// callee that takes its operands by reference (MULMOD's) reads them there. They stay
    /// intact until the next push, which the borrow of `self` rules out.
    ///
    /// # Safety
    /// At least `N + 1` words are below the top.
    #[inline(always)]
    pub(crate) unsafe fn popn_top_in_place<const N: usize>(&mut self) -> ([&U256; N], &mut U256) {
        // SAFETY: the caller guarantees `N + 1` words, distinct, so the borrows are disjoint.
        unsafe {
            self.0 = self.0.sub(N);
            let base = self.0;
            (core::array::from_fn(|i| &*base.add(N - 1 - i)), &mut *base.sub(1))
        }
    }

    /// The top word, to be replaced in place.
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    pub(crate) unsafe fn top_unchecked(&mut self) -> &mut U256 {
        // SAFETY: the caller guarantees a word.
        unsafe { &mut *self.0.sub(1) }
    }

    /// Drops the top word (POP: the word is not read).
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    pub(crate) unsafe fn discard(&mut self) {
        // SAFETY: the caller guarantees a word.
        self.0 = unsafe { self.0.sub(1) };
    }

    /// Pushes a word.
    ///
    /// # Safety
    /// There is room for one more word.
    #[inline(always)]
    pub(crate) unsafe fn push_unchecked(&mut self, value: U256) {
        // SAFETY: the caller guarantees room.
        unsafe {
            self.0.write(value);
            self.0 = self.0.add(1);
        }
    }

    /// DUPn.
    ///
    /// # Safety
    /// At least `n` words are below the top, and there is room for one more.
    #[inline(always)]
    pub(crate) unsafe fn dup_unchecked(&mut self, n: usize) {
        // SAFETY: the caller guarantees the words and the room.
        unsafe {
            let value = read_word(self.0.sub(n));
            self.push_unchecked(value);
        }
    }

    /// SWAP1 then POP: drops the word under the top.
    ///
    /// # Safety
    /// At least 2 words are below the top.
    #[inline(always)]
    pub(crate) unsafe fn nip(&mut self) {
        // SAFETY: the caller guarantees the words.
        unsafe {
            let top = read_word(self.0.sub(1));
            self.0 = self.0.sub(1);
            self.0.sub(1).write(top);
        }
    }

    /// SWAPn.
    ///
    /// # Safety
    /// At least `n + 1` words are below the top.
    #[inline(always)]
    pub(crate) unsafe fn swap_unchecked(&mut self, n: usize) {
        // SAFETY: the caller guarantees the words.
        unsafe {
            // Both words in registers, then both stores: `ptr::swap` goes through a
            // temporary on the native stack.
            let (a, b) = (self.0.sub(1), self.0.sub(1 + n));
            let (word_a, word_b) = (read_word(a), read_word(b));
            a.write(word_b);
            b.write(word_a);
        }
    }
}

/// Reads a word in place (the top, say) as [`read_word`] does: limb by limb, so that no
/// wide load waits on the narrow stores that wrote it.
#[inline(always)]
pub(crate) fn load_word(word: &U256) -> U256 {
    // SAFETY: a reference is an aligned, initialised word.
    unsafe { read_word(word) }
}

/// Reads a stack word as four 8-byte loads.
///
/// The instruction before often wrote the word limb by limb (ADD's carry chain stores each
/// limb on its own). A 16-byte load spanning two such stores cannot take its value from the
/// store buffer and waits until they reach the cache: a store-forwarding stall, about as long
/// as a whole cheap instruction. LLVM copies a `U256` with 16-byte loads, so these loads are
/// volatile, which keeps them 8 bytes wide. Callgrind does not see the stall; the wall time
/// does (side by side, two full runs each: geometric mean 0.80-0.81 of revm's before, 0.75
/// after; burntpix 0.88-0.90 before, 0.80-0.87 after).
///
/// # Safety
/// `src` points to a word of the stack's buffer.
#[inline(always)]
unsafe fn read_word(src: *const U256) -> U256 {
    // `U256` is its four little-endian limbs (`repr(transparent)` over `[u64; 4]`).
    let limbs = src.cast::<u64>();
    // SAFETY: the caller's word is four aligned, initialised limbs.
    unsafe {
        U256::from_limbs([
            limbs.read_volatile(),
            limbs.add(1).read_volatile(),
            limbs.add(2).read_volatile(),
            limbs.add(3).read_volatile(),
        ])
    }
}

impl From<Vec<U256>> for Stack {
    /// A stack holding `words` (bottom first); extra words past 1024 are dropped.
    fn from(words: Vec<U256>) -> Self {
        let mut stack = Self::new();
        for word in words.into_iter().take(STACK_LIMIT) {
            stack.push(word);
        }
        stack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_operations() {
        let mut stack = Stack::new();
        assert_eq!(stack.pop(), None);
        for i in 0..STACK_LIMIT {
            assert!(stack.push(U256::from(i)));
        }
        assert!(!stack.push(U256::ZERO));
        assert_eq!(stack.len(), STACK_LIMIT);
        assert_eq!(stack.peek(0), Some(U256::from(STACK_LIMIT - 1)));
        assert_eq!(stack.peek(STACK_LIMIT), None);
        assert_eq!(stack.pop(), Some(U256::from(STACK_LIMIT - 1)));
    }

    #[test]
    fn unchecked_operations_order() {
        let mut stack = Stack::from(alloc::vec![U256::from(1), U256::from(2), U256::from(3)]);
        unsafe {
            stack.swap_unchecked(2);
            assert_eq!(stack.data(), &[U256::from(3), U256::from(2), U256::from(1)]);
            stack.dup_unchecked(3);
            assert_eq!(stack.peek(0), Some(U256::from(3)));
            let [a, b] = stack.popn::<2>();
            assert_eq!((a, b), (U256::from(3), U256::from(1)));
            let ([x], top) = stack.popn_top::<1>();
            assert_eq!(x, U256::from(2));
            *top = U256::from(9);
        }
        assert_eq!(stack.data(), &[U256::from(9)]);
    }
}
