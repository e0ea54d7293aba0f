//! The EVM operand stack.

use alloc::{boxed::Box, vec::Vec};
use core::{fmt, mem::MaybeUninit};
use lamina_primitives::{STACK_LIMIT, U256};

/// The 1024-word operand stack.
///
/// The dispatch loop checks each instruction's stack needs from the instruction table
/// before the instruction runs, so the instructions use the unchecked operations below.
/// The checked operations (`push`, `pop`, `peek`) are for everyone else.
pub struct Stack {
    /// Uninitialised past `len`: a new stack is not zeroed, which for a 32 KiB buffer per
    /// frame was most of the cost of starting one.
    data: Box<[MaybeUninit<U256>; STACK_LIMIT]>,
    len: usize,
}

impl Default for Stack {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Stack {
    fn clone(&self) -> Self {
        let mut new = Self::new();
        new.data[..self.len].copy_from_slice(&self.data[..self.len]);
        new.len = self.len;
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
        let data: Box<MaybeUninit<[MaybeUninit<U256>; STACK_LIMIT]>> = Box::new_uninit();
        // SAFETY: an array of `MaybeUninit` is valid uninitialised.
        let data = unsafe { data.assume_init() };
        Self { data, len: 0 }
    }

    #[inline(always)]
    fn ptr(&self) -> *const U256 {
        self.data.as_ptr().cast()
    }

    #[inline(always)]
    fn ptr_mut(&mut self) -> *mut U256 {
        self.data.as_mut_ptr().cast()
    }

    /// Number of words on the stack.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the stack is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Empties the stack for reuse.
    #[inline]
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The words, bottom first.
    #[inline]
    pub fn data(&self) -> &[U256] {
        // SAFETY: the first `len` words are initialised.
        unsafe { core::slice::from_raw_parts(self.ptr(), self.len) }
    }

    /// Pushes a word; `false` on overflow.
    #[inline]
    pub fn push(&mut self, value: U256) -> bool {
        if self.len == STACK_LIMIT {
            return false;
        }
        self.data[self.len].write(value);
        self.len += 1;
        true
    }

    /// Pops a word; `None` when empty.
    #[inline]
    pub fn pop(&mut self) -> Option<U256> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: below the old `len`, initialised.
        Some(unsafe { self.data[self.len].assume_init() })
    }

    /// The word `depth` places below the top (0 is the top).
    #[inline]
    pub fn peek(&self, depth: usize) -> Option<U256> {
        // SAFETY: below `len`, initialised.
        (depth < self.len).then(|| unsafe { self.data[self.len - 1 - depth].assume_init() })
    }

    /// Pops `N` words, top first, without checking.
    ///
    /// # Safety
    /// The stack holds at least `N` words.
    #[inline(always)]
    pub unsafe fn popn<const N: usize>(&mut self) -> [U256; N] {
        debug_assert!(self.len >= N);
        self.len -= N;
        // SAFETY: the caller guarantees `N` words; `len` is at most STACK_LIMIT.
        let base = unsafe { self.ptr().add(self.len) };
        core::array::from_fn(|i| unsafe { *base.add(N - 1 - i) })
    }

    /// Pops `N` words (top first) and returns them with a reference to the new top, which
    /// the instruction overwrites with its result.
    ///
    /// # Safety
    /// The stack holds at least `N + 1` words.
    #[inline(always)]
    pub unsafe fn popn_top<const N: usize>(&mut self) -> ([U256; N], &mut U256) {
        debug_assert!(self.len > N);
        let popped = unsafe { self.popn::<N>() };
        let top = unsafe { &mut *self.ptr_mut().add(self.len - 1) };
        (popped, top)
    }

    /// The top word, to be replaced in place.
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    pub unsafe fn top_unchecked(&mut self) -> &mut U256 {
        debug_assert!(self.len > 0);
        unsafe { &mut *self.ptr_mut().add(self.len - 1) }
    }

    /// Pushes without checking.
    ///
    /// # Safety
    /// The stack holds fewer than 1024 words.
    #[inline(always)]
    pub unsafe fn push_unchecked(&mut self, value: U256) {
        debug_assert!(self.len < STACK_LIMIT);
        unsafe { self.data.get_unchecked_mut(self.len).write(value) };
        self.len += 1;
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
        debug_assert!(n >= 1 && self.len >= n && self.len < STACK_LIMIT);
        unsafe {
            let value = *self.ptr().add(self.len - n);
            self.push_unchecked(value);
        }
    }

    /// SWAPn without checking.
    ///
    /// # Safety
    /// The stack holds more than `n` words.
    #[inline(always)]
    pub unsafe fn swap_unchecked(&mut self, n: usize) {
        debug_assert!(n >= 1 && self.len > n);
        let top = self.len - 1;
        unsafe {
            let ptr = self.ptr_mut();
            // Both words in registers, then both stores: `ptr::swap` goes through a
            // temporary on the native stack.
            let (a, b) = (ptr.add(top), ptr.add(top - n));
            let (word_a, word_b) = (a.read(), b.read());
            a.write(word_b);
            b.write(word_a);
        }
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
