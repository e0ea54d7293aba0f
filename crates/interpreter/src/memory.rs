//! Memory shared by every frame of a transaction.

use alloc::{boxed::Box, vec, vec::Vec};
use core::{fmt, ops::Range};
use lamina_primitives::{B256, KECCAK_EMPTY, U256, keccak256};

/// One byte buffer for all frames of a transaction. Each frame sees the tail of the buffer
/// past its checkpoint, so entering a call costs no allocation and returning from it is a
/// truncation.
#[derive(Clone, Debug, Default)]
pub struct SharedMemory {
    buffer: Vec<u8>,
    checkpoints: Vec<usize>,
    /// Start of the current frame's memory in `buffer`.
    base: usize,
    /// Hashes of short ranges hashed before, for [`SharedMemory::keccak256`].
    recent_hashes: RecentHashes,
}

/// Two memories are equal when their frames hold the same bytes; which hashes each
/// remembers is not part of their value.
impl PartialEq for SharedMemory {
    fn eq(&self, other: &Self) -> bool {
        self.buffer == other.buffer
            && self.checkpoints == other.checkpoints
            && self.base == other.base
    }
}

impl Eq for SharedMemory {}

impl SharedMemory {
    /// An empty buffer with room for 4 KiB.
    pub fn new() -> Self {
        Self {
            buffer: Vec::with_capacity(4 * 1024),
            checkpoints: Vec::with_capacity(32),
            base: 0,
            recent_hashes: RecentHashes::default(),
        }
    }

    /// Starts a new frame's (empty) memory after the current one.
    #[inline]
    pub fn new_context(&mut self) {
        self.checkpoints.push(self.base);
        self.base = self.buffer.len();
    }

    /// Drops the current frame's memory and returns to its parent's.
    #[inline]
    pub fn free_context(&mut self) {
        if let Some(parent) = self.checkpoints.pop() {
            self.buffer.truncate(self.base);
            self.base = parent;
        }
    }

    /// Empties the buffer for the next transaction, keeping its allocation.
    pub fn clear(&mut self) {
        self.buffer.clear();
        self.checkpoints.clear();
        self.base = 0;
    }

    /// Size of the current frame's memory in bytes (a multiple of 32).
    #[inline]
    pub fn len(&self) -> usize {
        self.buffer.len() - self.base
    }

    /// Whether the current frame's memory is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the current frame's memory starts in the whole buffer.
    #[inline]
    pub fn context_start(&self) -> usize {
        self.base
    }

    /// The whole buffer: every frame's memory, the current one's last.
    #[inline]
    pub fn whole(&self) -> &[u8] {
        &self.buffer
    }

    /// The memory of the frames below the current one, and the current frame's memory,
    /// mutable: a callee copies its call data out of the first into the second.
    #[inline]
    pub fn split_at_context_mut(&mut self) -> (&[u8], &mut [u8]) {
        let (below, current) = self.buffer.split_at_mut(self.base);
        (below, current)
    }

    /// Size of the whole buffer, all frames included (what a memory limit bounds).
    #[inline]
    pub fn total_len(&self) -> usize {
        self.buffer.len()
    }

    /// Grows the current frame's memory to `new_len` bytes, zero-filled.
    #[inline]
    pub fn resize(&mut self, new_len: usize) {
        self.buffer.resize(self.base + new_len, 0);
    }

    /// Like [`SharedMemory::resize`], but the buffer's allocation never passes `limit` bytes
    /// (unless the memory itself does): `Vec`'s amortised growth doubles the capacity, which
    /// near a memory limit would allocate up to twice the limit.
    pub fn resize_within(&mut self, new_len: usize, limit: usize) {
        let needed = self.base + new_len;
        let capacity = self.buffer.capacity();
        if needed > capacity {
            let target = capacity.saturating_mul(2).min(limit).max(needed);
            self.buffer.reserve_exact(target - self.buffer.len());
        }
        if needed == self.buffer.len() + 32 {
            // Growth by one word, the common case (Solidity's free memory pointer): two
            // stores, where `resize` calls `memset`.
            self.buffer.extend_from_slice(&[0; 32]);
        } else {
            self.buffer.resize(needed, 0);
        }
    }

    /// The current frame's memory.
    #[inline]
    pub fn context_memory(&self) -> &[u8] {
        &self.buffer[self.base..]
    }

    /// The current frame's memory, mutable.
    #[inline]
    pub fn context_memory_mut(&mut self) -> &mut [u8] {
        &mut self.buffer[self.base..]
    }

    /// `len` bytes at `offset` (the caller has already grown memory to cover them).
    #[inline]
    pub fn slice(&self, offset: usize, len: usize) -> &[u8] {
        &self.context_memory()[offset..offset + len]
    }

    /// `range` of the current frame's memory.
    #[inline]
    pub fn slice_range(&self, range: Range<usize>) -> &[u8] {
        &self.context_memory()[range]
    }

    /// `len` mutable bytes at `offset`.
    #[inline]
    pub fn slice_mut(&mut self, offset: usize, len: usize) -> &mut [u8] {
        &mut self.context_memory_mut()[offset..offset + len]
    }

    /// The 32 bytes at `offset` (a stack word), if the current frame's memory already covers
    /// them: the fast path of MLOAD, with one bounds check where growing memory and then
    /// slicing made two.
    #[inline(always)]
    pub(crate) fn word(&self, offset: &U256) -> Option<&[u8; 32]> {
        self.buffer.get(self.word_range(offset)?)?.try_into().ok()
    }

    /// Where the word at `offset` (a stack word) lies in the buffer, unchecked against its
    /// length: `word` and `word_mut` check it with their one `get`.
    #[inline(always)]
    fn word_range(&self, offset: &U256) -> Option<Range<usize>> {
        let low = crate::instructions::as_u64(offset)?;
        let start = self.base.checked_add(usize::try_from(low).ok()?)?;
        Some(start..start.checked_add(32)?)
    }

    /// The 32 bytes at `offset` to write, if the current frame's memory already covers them
    /// (the fast path of MSTORE, as [`SharedMemory::word`] is MLOAD's).
    #[inline(always)]
    pub(crate) fn word_mut(&mut self, offset: &U256) -> Option<&mut [u8; 32]> {
        let range = self.word_range(offset)?;
        self.buffer.get_mut(range)?.try_into().ok()
    }

    /// The word at `offset`.
    #[inline]
    pub fn get_word(&self, offset: usize) -> U256 {
        let bytes: &[u8; 32] = self.slice(offset, 32).try_into().expect("a 32-byte slice");
        U256::from_be_bytes(*bytes)
    }

    /// KECCAK256 of `len` bytes at `offset` (the caller has already grown memory to cover
    /// them).
    ///
    /// Compiled Solidity hashes a mapping's key and slot (64 bytes) at every access to the
    /// entry, so the same short inputs come back within a transaction: a token transfer
    /// reads and then writes each of its two balances. Inputs of at most 64 bytes are
    /// remembered in a fixed table of 256 entries (26 KiB, allocated by the first such
    /// hash), kept across frames and transactions (a hash depends on the bytes alone); a
    /// remembered input is compared in full, so a collision in the table costs a hash,
    /// never a wrong one.
    ///
    /// ```
    /// use lamina_interpreter::SharedMemory;
    /// use lamina_primitives::b256;
    ///
    /// let mut memory = SharedMemory::new();
    /// memory.resize(32);
    /// // 32 zero bytes: the slot of the first element of a Solidity array kept at slot 0.
    /// let slot = b256!("290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563");
    /// assert_eq!(memory.keccak256(0, 32), slot);
    /// assert_eq!(memory.keccak256(0, 32), slot); // the second time from the table
    /// ```
    pub fn keccak256(&mut self, offset: usize, len: usize) -> B256 {
        let data = &self.buffer[self.base..][offset..offset + len];
        match len {
            0 => KECCAK_EMPTY,
            1..=RecentHashes::MAX_INPUT => self.recent_hashes.hash(data),
            _ => keccak256(data),
        }
    }

    /// Writes a word at `offset`.
    #[inline]
    pub fn set_word(&mut self, offset: usize, value: U256) {
        self.slice_mut(offset, 32).copy_from_slice(&value.to_be_bytes::<32>());
    }

    /// Writes one byte.
    #[inline]
    pub fn set_byte(&mut self, offset: usize, value: u8) {
        self.context_memory_mut()[offset] = value;
    }

    /// Writes `data` at `offset`.
    #[inline]
    pub fn set(&mut self, offset: usize, data: &[u8]) {
        self.slice_mut(offset, data.len()).copy_from_slice(data);
    }

    /// Writes `len` bytes at `memory_offset` from `data[data_offset..]`, padding with zeros
    /// past the end of `data` (CALLDATACOPY, CODECOPY, EXTCODECOPY semantics).
    pub fn set_data(&mut self, memory_offset: usize, data_offset: usize, len: usize, data: &[u8]) {
        copy_padded(self.slice_mut(memory_offset, len), data, data_offset);
    }

    /// Copies `len` bytes within memory (MCOPY; the ranges may overlap).
    #[inline]
    pub fn copy(&mut self, dst: usize, src: usize, len: usize) {
        self.context_memory_mut().copy_within(src..src + len, dst);
    }
}

/// A direct-mapped table of short inputs and their keccak256.
#[derive(Clone, Default)]
struct RecentHashes {
    /// None until the first short input is hashed: a placeholder memory costs nothing, and
    /// one pointer keeps the memory, which moves from frame to frame, small.
    entries: Option<Box<[RecentHash; RecentHashes::ENTRIES]>>,
}

#[derive(Clone, Copy)]
struct RecentHash {
    /// The input, zero-padded, as words: compared with a few `xor`s, not a `memcmp` call.
    input: [u64; RecentHashes::MAX_INPUT / 8],
    /// 0 marks an unused entry.
    len: u64,
    hash: B256,
}

impl RecentHashes {
    /// The longest input remembered: a mapping's key and slot.
    const MAX_INPUT: usize = 64;
    /// Entries in the table (26 KiB in all; `SharedMemory::keccak256`'s documentation says
    /// so too).
    const ENTRIES: usize = 256;

    fn hash(&mut self, data: &[u8]) -> B256 {
        debug_assert!((1..=Self::MAX_INPUT).contains(&data.len()));
        let mut bytes = [0u8; Self::MAX_INPUT];
        bytes[..data.len()].copy_from_slice(data);
        let input: [u64; Self::MAX_INPUT / 8] =
            core::array::from_fn(|i| u64::from_le_bytes(bytes[i * 8..][..8].try_into().unwrap()));
        let len = data.len() as u64;
        let entries = self.entries.get_or_insert_with(|| {
            let unused = RecentHash { input: [0; Self::MAX_INPUT / 8], len: 0, hash: B256::ZERO };
            let entries = vec![unused; Self::ENTRIES].into_boxed_slice();
            entries.try_into().unwrap_or_else(|_| unreachable!("ENTRIES entries"))
        });
        let entry = &mut entries[Self::index(&input, len)];
        let differing =
            entry.input.iter().zip(&input).fold(entry.len ^ len, |acc, (a, b)| acc | (a ^ b));
        if differing == 0 {
            return entry.hash;
        }
        let hash = keccak256(data);
        *entry = RecentHash { input, len, hash };
        hash
    }

    /// The entry for an input: its words folded and then mixed by one multiplication, so
    /// that keys differing only in their last bytes (addresses) spread over the table.
    fn index(input: &[u64; Self::MAX_INPUT / 8], len: u64) -> usize {
        let folded = input.iter().fold(len, |folded, word| folded.rotate_left(23) ^ word);
        let mixed = folded.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> (64 - Self::ENTRIES.trailing_zeros())) as usize
    }
}

impl fmt::Debug for RecentHashes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let remembered =
            self.entries.iter().flat_map(|entries| entries.iter()).filter(|e| e.len != 0).count();
        f.debug_struct("RecentHashes").field("remembered", &remembered).finish()
    }
}

/// Fills `target` from `data[data_offset..]`, with zeros past the end of `data`.
#[inline]
pub(crate) fn copy_padded(target: &mut [u8], data: &[u8], data_offset: usize) {
    if data_offset >= data.len() {
        target.fill(0);
        return;
    }
    let available = (data.len() - data_offset).min(target.len());
    target[..available].copy_from_slice(&data[data_offset..data_offset + available]);
    target[available..].fill(0);
}

/// Rounds a byte count up to whole 32-byte words.
#[inline]
pub const fn num_words(len: u64) -> u64 {
    len.div_ceil(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_see_their_own_tail() {
        let mut memory = SharedMemory::new();
        memory.resize(64);
        memory.set_word(32, U256::from(7));
        memory.new_context();
        assert!(memory.is_empty());
        memory.resize(32);
        memory.set_byte(0, 0xff);
        assert_eq!(memory.total_len(), 96);
        memory.free_context();
        assert_eq!(memory.len(), 64);
        assert_eq!(memory.get_word(32), U256::from(7));
        // Freeing the outermost frame is a no-op, not a panic.
        memory.free_context();
        assert_eq!(memory.len(), 64);
    }

    #[test]
    fn word_is_found_only_inside_the_frames_memory() {
        let mut memory = SharedMemory::new();
        memory.resize(64);
        memory.new_context();
        memory.resize(64);
        memory.set_word(32, U256::from(9));
        assert_eq!(
            memory.word(&U256::from(32)).map(|w| U256::from_be_bytes(*w)),
            Some(U256::from(9))
        );
        // Ending one byte past the frame's 64 bytes, or far past: not covered.
        assert_eq!(memory.word(&U256::from(33)), None);
        assert_eq!(memory.word(&U256::from(u64::MAX)), None);
        assert_eq!(memory.word(&(U256::from(1) << 64)), None);
    }

    #[test]
    fn keccak256_of_memory_is_the_known_hash() {
        use lamina_primitives::b256;
        let mut memory = SharedMemory::new();
        memory.resize(64);
        // The slot of a Solidity array's first element at slot 0, and of a mapping's entry
        // for key 0 at slot 0: keccak256 of 32 and of 64 zero bytes.
        let slot_of_array =
            b256!("290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563");
        let slot_of_entry =
            b256!("ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5");
        for _ in 0..2 {
            assert_eq!(memory.keccak256(0, 32), slot_of_array);
            assert_eq!(memory.keccak256(0, 64), slot_of_entry);
            assert_eq!(memory.keccak256(7, 0), KECCAK_EMPTY);
        }
    }

    #[test]
    fn remembered_hashes_are_the_hashes_of_the_bytes_hashed_now() {
        let mut memory = SharedMemory::new();
        memory.resize(4096);
        // More distinct inputs than the table has entries, each hashed twice at some
        // distance, with lengths 1 to 96: inputs that pad to the same bytes (`[1]` and
        // `[1, 0]`), entries evicted by others, and inputs past the remembered length.
        let inputs: Vec<(usize, usize)> =
            (0..3 * RecentHashes::ENTRIES).map(|i| ((i * 37) % 4000, 1 + i % 96)).collect();
        for round in 0..2 {
            for (i, &(offset, len)) in inputs.iter().enumerate() {
                memory.set(offset, &[(i / 5) as u8 ^ round]);
                let expected = keccak256(memory.slice(offset, len));
                assert_eq!(memory.keccak256(offset, len), expected, "input {i}, round {round}");
                assert_eq!(memory.keccak256(offset, len), expected, "input {i} again");
            }
        }
        // The same bytes in a nested frame's memory: hashed from the frame's own offset.
        memory.set(0, &[0xab; 64]);
        let expected = keccak256([0xab; 64]);
        memory.new_context();
        memory.resize(64);
        assert_eq!(memory.keccak256(0, 64), keccak256([0u8; 64]));
        memory.set(0, &[0xab; 64]);
        assert_eq!(memory.keccak256(0, 64), expected);
    }

    #[test]
    fn set_data_pads_with_zeros() {
        let mut memory = SharedMemory::new();
        memory.resize(32);
        memory.set(0, &[0xaa; 32]);
        memory.set_data(0, 2, 4, &[1, 2, 3, 4]);
        assert_eq!(memory.slice(0, 5), &[3, 4, 0, 0, 0xaa]);
        memory.set_data(0, 100, 2, &[1, 2, 3]);
        assert_eq!(memory.slice(0, 2), &[0, 0]);
    }

    #[test]
    fn growth_within_a_limit_allocates_no_more_than_it() {
        let mut memory = SharedMemory::new();
        for len in (1..=24).map(|i| i * 64 * 1024) {
            memory.resize_within(len, 1_572_864);
        }
        assert_eq!(memory.len(), 1_572_864);
        assert!(memory.buffer.capacity() <= 1_572_864);
    }

    #[test]
    fn words() {
        assert_eq!(num_words(0), 0);
        assert_eq!(num_words(1), 1);
        assert_eq!(num_words(32), 1);
        assert_eq!(num_words(33), 2);
        assert_eq!(num_words(u64::MAX), u64::MAX / 32 + 1);
    }
}
