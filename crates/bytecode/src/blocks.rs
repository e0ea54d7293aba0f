//! Basic blocks: the static gas and stack needs of each straight run of instructions, so an
//! interpreter checks them once per block instead of once per instruction (evmone's
//! "advanced" idea, kept inside a plain table-dispatch interpreter).
//!
//! A block starts at pc 0, at every jump destination, and after every instruction that ends
//! one. Blocks end at the instructions that leave the straight line (JUMP, JUMPI, and those
//! that halt) and at those that observe the gas left, so that within a block nothing can see
//! that the block's static gas was charged up front: GAS, SSTORE (the EIP-2200 stipend
//! check), the CALL family and CREATE/CREATE2 (the 63/64 rule). A jump destination reached
//! by falling through does not split the block it is in: the block entered by a jump to it
//! overlaps the one that runs into it.
//!
//! [`Blocks`] analyses a block when a frame first enters it and keeps the check per pc, so
//! the cost follows the code that runs, not the code's size: a large contract of which a
//! transaction runs a few paths pays for those paths only.

use crate::opcode::{self, OPCODE_INFO};
use alloc::{boxed::Box, vec::Vec};
use core::{
    ptr,
    sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering},
};
use lamina_primitives::STACK_LIMIT;

/// What entering one block requires: gas for all of its instructions' static costs and a
/// stack height in `min_len..=min_len + len_range`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockCheck {
    /// Sum of the static gas of the block's instructions (saturated: a check that cannot be
    /// met sends the interpreter to checking instruction by instruction, which is exact).
    pub gas: u32,
    /// Fewest stack words the block's instructions need at its start.
    pub min_len: u16,
    /// How many words above `min_len` the stack may hold at the start so that no
    /// instruction of the block overflows it.
    pub len_range: u16,
}

impl BlockCheck {
    /// A check no stack height meets: a block whose instructions cannot all run.
    const UNSATISFIABLE: Self = Self { gas: u32::MAX, min_len: u16::MAX, len_range: 0 };

    /// As one word, never 0 (0 marks a block not analysed yet): the one check that would
    /// pack to 0 (no gas, a stack of exactly 0 words, which only 1,024 net pushes without gas
    /// could need) is kept as unsatisfiable instead, which sends that block to
    /// instruction-by-instruction checks: exact, just slower.
    fn pack(self) -> u64 {
        let packed = self.gas as u64 | (self.min_len as u64) << 32 | (self.len_range as u64) << 48;
        if packed == 0 { Self::UNSATISFIABLE.pack() } else { packed }
    }

    #[inline(always)]
    fn unpack(packed: u64) -> Self {
        Self {
            gas: packed as u32,
            min_len: (packed >> 32) as u16,
            len_range: (packed >> 48) as u16,
        }
    }

    /// Whether a stack of `len` words meets the block's needs.
    #[inline(always)]
    pub fn stack_fits(self, len: usize) -> bool {
        len.wrapping_sub(self.min_len as usize) <= self.len_range as usize
    }
}

/// Whether `op` ends a basic block (see the module documentation).
pub const fn ends_block(op: u8) -> bool {
    match OPCODE_INFO[op as usize] {
        Some(info) if info.is_terminating() => true,
        _ => matches!(
            op,
            opcode::GAS
                | opcode::SSTORE
                | opcode::CALL
                | opcode::CALLCODE
                | opcode::DELEGATECALL
                | opcode::STATICCALL
                | opcode::CREATE
                | opcode::CREATE2
        ),
    }
}

/// A fingerprint of a static-gas table: blocks analysed with one table are reused only with
/// a table of the same fingerprint. Never zero.
pub fn static_gas_key(static_gas: &[u64; 256]) -> u64 {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut key = 0x243f_6a88_85a3_08d3_u64;
    for (op, &gas) in static_gas.iter().enumerate() {
        let product = ((key ^ gas ^ ((op as u64) << 56)) as u128).wrapping_mul(MULTIPLIER as u128);
        key = (product as u64) ^ ((product >> 64) as u64);
    }
    key | 1
}

/// The blocks of one piece of code under one static-gas table, each analysed when first
/// entered and kept: code that runs a few of its blocks (most of a large contract) pays only
/// for those, and a block's analysis is a pass over its own instructions.
#[derive(Debug)]
pub struct Blocks {
    key: u64,
    /// Per pc (code length + 1 entries): the packed [`BlockCheck`] of the block starting
    /// there once analysed, 0 before. Threads that race to analyse a block store the same
    /// value, so relaxed accesses suffice.
    checks: Box<[AtomicU64]>,
}

impl Blocks {
    /// Blocks of code `code_len` bytes long, none analysed yet.
    pub fn new(code_len: usize, key: u64) -> Self {
        let checks = (0..=code_len).map(|_| AtomicU64::new(0)).collect();
        Self { key, checks }
    }

    /// Every block of `code` analysed at once (the interpreter analyses blocks as it enters
    /// them; this is for tools and tests). Blocks start at pc 0, at every JUMPDEST, and after
    /// every instruction that ends one. Stack needs come from [`OPCODE_INFO`] (an opcode the
    /// fork lacks halts, so whatever it is said to need can only make a check stricter).
    pub fn analyse(code: &[u8], static_gas: &[u64; 256], key: u64) -> Self {
        let blocks = Self::new(code.len(), key);
        let mut pc = 0;
        let mut after_ender = true;
        while pc < code.len() {
            let traits = TRAITS[code[pc] as usize];
            if (after_ender || code[pc] == opcode::JUMPDEST) && blocks.at(pc).is_none() {
                blocks.analyse_block(pc, code, |op| static_gas[op as usize]);
            }
            after_ender = traits.ends_block;
            pc += 1 + traits.immediate as usize;
        }
        if after_ender && pc == code.len() {
            blocks.analyse_block(pc, code, |op| static_gas[op as usize]);
        }
        blocks
    }

    /// The static-gas fingerprint these blocks were analysed with.
    #[inline]
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Whether the block starting at `pc` has been analysed.
    #[inline]
    pub fn is_start(&self, pc: usize) -> bool {
        self.at(pc).is_some()
    }

    /// The check of the block starting at `pc`; `None` if it has not been analysed (or
    /// `pc` is past the code).
    #[inline(always)]
    pub fn at(&self, pc: usize) -> Option<BlockCheck> {
        match self.checks.get(pc)?.load(Ordering::Relaxed) {
            0 => None,
            packed => Some(BlockCheck::unpack(packed)),
        }
    }

    /// Analyses the block starting at `pc`, which must be an instruction's start (or the
    /// code's end), under `static_gas`, keeps its check and returns it. The interpreter takes
    /// a kept check at a JUMPDEST byte as a valid jump destination, so a check kept inside
    /// PUSH data (a `pc` that is no instruction's start) would let a jump land there.
    ///
    /// The check of every JUMPDEST on the way is kept too, and the walk stops early at one
    /// already analysed, so analysing every block costs one pass over the code in all,
    /// however the blocks overlap (a jump destination fallen into does not end a block).
    #[cold]
    pub fn analyse_block(
        &self,
        pc: usize,
        code: &[u8],
        static_gas: impl Fn(u8) -> u64,
    ) -> BlockCheck {
        // One pass forward, up to the block's end or an analysed JUMPDEST, in segments split
        // at the JUMPDESTs it runs into: each of those starts a block of its own, whose needs
        // are its segment's followed by the rest. Blocks rarely run into a JUMPDEST, so the
        // list of earlier segments mostly stays empty (no allocation).
        let mut earlier: Vec<Segment> = Vec::new();
        let mut start = pc;
        let (mut segment, tail) = loop {
            let (segment, jumpdest) = Segment::scan(start, code, &static_gas);
            let Some(at) = jumpdest else { break (segment, Needs::NOTHING) };
            if let Some(known) = self.at(at) {
                break (segment, Needs::of(known));
            }
            earlier.push(segment);
            start = at;
        };
        // Running past the end of the code meets the padding's STOP, which needs nothing.

        // Backward over the segments (not the instructions): each one's needs.
        let mut needs = segment.then(tail);
        while let Some(before) = earlier.pop() {
            self.keep(segment.start, needs.check());
            needs = before.then(needs);
            segment = before;
        }
        let check = needs.check();
        self.keep(pc, check);
        check
    }

    fn keep(&self, pc: usize, check: BlockCheck) {
        if let Some(slot) = self.checks.get(pc) {
            slot.store(check.pack(), Ordering::Relaxed);
        }
    }

    /// Number of blocks analysed so far.
    pub fn len(&self) -> usize {
        self.checks.iter().filter(|slot| slot.load(Ordering::Relaxed) != 0).count()
    }

    /// Whether no block has been analysed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the analysis needs of an opcode, in one load: looking each of these up in
/// [`OPCODE_INFO`] separately made the analysis cost about 55 machine instructions per code
/// byte.
#[derive(Clone, Copy)]
struct Traits {
    immediate: u8,
    ends_block: bool,
    /// Stack words the opcode reads.
    inputs: u8,
    /// Net change of the stack height.
    change: i8,
}

static TRAITS: [Traits; 256] = {
    let mut traits = [Traits { immediate: 0, ends_block: false, inputs: 0, change: 0 }; 256];
    let mut op = 0;
    while op < 256 {
        let ends_block = ends_block(op as u8);
        traits[op] = match OPCODE_INFO[op] {
            Some(info) => Traits {
                immediate: info.immediate_size(),
                ends_block,
                inputs: info.inputs(),
                change: info.stack_change() as i8,
            },
            // An opcode no fork has halts; it needs nothing of the stack.
            None => Traits { immediate: 0, ends_block, inputs: 0, change: 0 },
        };
        op += 1;
    }
    traits
};

/// A straight run of instructions as the forward pass sums it up, heights counted from
/// the run's start.
#[derive(Clone, Copy)]
struct Segment {
    /// Where the run starts.
    start: usize,
    gas: u64,
    /// The height change over the run.
    height: i64,
    /// Most of `inputs - height` over its instructions: the least start height that lets
    /// every instruction find its inputs (0 for a run that reads nothing).
    need: i64,
    /// Most of the heights after each of its instructions (and 0): the most words above the
    /// start height the run ever holds.
    top: i64,
}

impl Segment {
    /// The run from `start` (an instruction's start) to the block's end, or up to the next
    /// JUMPDEST, which it returns. The running sums are locals of this small loop, so they
    /// stay in registers: summed into a `Segment` inside the whole analysis, with the list
    /// of earlier segments and the blocks live beside them, they were spilled, and the
    /// analysis took about 47 machine instructions per opcode. Never inlined, for the same
    /// reason: its own function keeps them in registers.
    #[inline(never)]
    fn scan(start: usize, code: &[u8], static_gas: &impl Fn(u8) -> u64) -> (Self, Option<usize>) {
        let (mut gas, mut height, mut need, mut top) = (0u64, 0i64, 0i64, 0i64);
        let mut at = start;
        let mut jumpdest = None;
        while at < code.len() {
            let op = code[at];
            if op == opcode::JUMPDEST && at != start {
                jumpdest = Some(at);
                break;
            }
            let traits = TRAITS[op as usize];
            gas = gas.saturating_add(static_gas(op));
            need = need.max(traits.inputs as i64 - height);
            height += traits.change as i64;
            // The most words held is a height after some opcode (or the start's, 0): an
            // opcode that shrinks the stack never holds more than before it.
            top = top.max(height);
            if traits.ends_block {
                break;
            }
            at += 1 + traits.immediate as usize;
        }
        (Self { start, gas, height, need, top }, jumpdest)
    }

    /// The needs of this run followed by a run needing `rest`.
    fn then(self, rest: Needs) -> Needs {
        Needs {
            gas: self.gas.saturating_add(rest.gas),
            min_len: self.need.max(rest.min_len - self.height),
            max_len: (STACK_LIMIT as i64 - self.top).min(rest.max_len - self.height),
        }
    }
}

/// What a run of instructions needs at its start, as the per-instruction checks would
/// find it: gas for their static costs, and a stack height in `min_len..=max_len`.
#[derive(Clone, Copy)]
struct Needs {
    gas: u64,
    min_len: i64,
    max_len: i64,
}

impl Needs {
    /// An empty run (or the padding's STOP).
    const NOTHING: Self = Self { gas: 0, min_len: 0, max_len: STACK_LIMIT as i64 };

    /// The needs an analysed block's check stands for.
    fn of(check: BlockCheck) -> Self {
        let min_len = check.min_len as i64;
        Self { gas: check.gas as u64, min_len, max_len: min_len + check.len_range as i64 }
    }

    fn check(self) -> BlockCheck {
        if self.min_len > self.max_len {
            return BlockCheck::UNSATISFIABLE;
        }
        BlockCheck {
            gas: u32::try_from(self.gas).unwrap_or(u32::MAX),
            min_len: self.min_len as u16,
            len_range: (self.max_len - self.min_len) as u16,
        }
    }
}

/// Analyses of one piece of code under different static-gas tables, kept with the code so
/// that every frame running it reuses them. Lock-free: entries are only ever added (at most
/// [`BlockCache::CAPACITY`]) and freed with the cache.
#[derive(Default)]
pub struct BlockCache {
    head: AtomicPtr<Node>,
    /// Bytes of code run by frames that ran the code before it was analysed (see
    /// [`BlockCache::record_run`]).
    bytes_run: AtomicU32,
}

/// A copy starts empty: analyses are a cache, not part of the code's value.
impl Clone for BlockCache {
    fn clone(&self) -> Self {
        Self::new()
    }
}

/// Caches never make two codes differ.
impl PartialEq for BlockCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for BlockCache {}

impl core::hash::Hash for BlockCache {
    fn hash<H: core::hash::Hasher>(&self, _: &mut H) {}
}

impl core::fmt::Debug for BlockCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BlockCache")
    }
}

#[derive(Debug)]
struct Node {
    blocks: Blocks,
    next: *mut Node,
}

impl BlockCache {
    /// Most analyses kept per code: a process runs code under one or a few forks; a table
    /// beyond these is analysed afresh by its caller.
    pub const CAPACITY: usize = 4;

    /// An empty cache.
    pub const fn new() -> Self {
        Self { head: AtomicPtr::new(ptr::null_mut()), bytes_run: AtomicU32::new(0) }
    }

    /// The analysis for `key`, if made.
    pub fn get(&self, key: u64) -> Option<&Blocks> {
        let mut node = self.head.load(Ordering::Acquire);
        while !node.is_null() {
            // SAFETY: nodes are only freed when the cache is dropped.
            let current = unsafe { &*node };
            if current.blocks.key == key {
                return Some(&current.blocks);
            }
            node = current.next;
        }
        None
    }

    /// Adds `bytes` of code to those run without the code's analysis: analysing pays off
    /// only for code that runs long enough, in one frame or over many. Saturates.
    pub fn record_run(&self, bytes: u32) {
        if bytes > 0 {
            let add = |run: u32| Some(run.saturating_add(bytes));
            // `fetch_update` with a closure that always returns `Some` cannot fail.
            let _ = self.bytes_run.fetch_update(Ordering::Relaxed, Ordering::Relaxed, add);
        }
    }

    /// The bytes of code recorded as run so far.
    pub fn bytes_run(&self) -> u32 {
        self.bytes_run.load(Ordering::Relaxed)
    }

    /// The analysis for `key`, made by `analyse` if missing; `None` when the cache is full
    /// of other tables' analyses.
    pub fn get_or_insert(&self, key: u64, analyse: impl FnOnce() -> Blocks) -> Option<&Blocks> {
        let mut analysed = None;
        let mut analyse = Some(analyse);
        loop {
            let head = self.head.load(Ordering::Acquire);
            let mut count = 0;
            let mut node = head;
            while !node.is_null() {
                // SAFETY: nodes are only freed when the cache is dropped, and `&self` keeps
                // it alive.
                let current = unsafe { &*node };
                if current.blocks.key == key {
                    return Some(&current.blocks);
                }
                count += 1;
                node = current.next;
            }
            if count >= Self::CAPACITY {
                return None;
            }
            let blocks = match analysed.take() {
                Some(blocks) => blocks,
                None => (analyse.take().expect("analysed once"))(),
            };
            let new = Box::into_raw(Box::new(Node { blocks, next: head }));
            match self.head.compare_exchange(head, new, Ordering::AcqRel, Ordering::Acquire) {
                // SAFETY: `new` is now owned by the cache and lives as long as it.
                Ok(_) => return Some(unsafe { &(*new).blocks }),
                Err(_) => {
                    // Another thread added one first: take ours back and look again.
                    // SAFETY: `new` was never published.
                    let node = unsafe { Box::from_raw(new) };
                    analysed = Some(node.blocks);
                }
            }
        }
    }
}

impl Drop for BlockCache {
    fn drop(&mut self) {
        let mut node = *self.head.get_mut();
        while !node.is_null() {
            // SAFETY: every node was made by `Box::into_raw` and is freed once, here.
            let owned = unsafe { Box::from_raw(node) };
            node = owned.next;
        }
    }
}

// SAFETY: the nodes are immutable once published and owned by the cache; `Blocks` is plain
// data.
unsafe impl Send for BlockCache {}
// SAFETY: as above; publication goes through the atomic head with release/acquire ordering.
unsafe impl Sync for BlockCache {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::*;

    /// Frontier-like static gas for the opcodes the tests use.
    fn gas_table() -> [u64; 256] {
        let mut gas = [0u64; 256];
        for op in [PUSH1, PUSH2, DUP1, SWAP1, ADD, MSTORE, MLOAD] {
            gas[op as usize] = 3;
        }
        gas[JUMPDEST as usize] = 1;
        gas[JUMP as usize] = 8;
        gas[JUMPI as usize] = 10;
        gas[GAS as usize] = 2;
        gas[POP as usize] = 2;
        gas
    }

    #[test]
    fn blocks_start_at_zero_destinations_and_after_enders() {
        // 0 PUSH1 4, 2 JUMP, 3 ADD (dead), 4 JUMPDEST, 5 GAS, 6 POP, 7 PUSH1 0, 9 PUSH1 4,
        // 11 JUMPI, 12 STOP
        let code = [PUSH1, 4, JUMP, ADD, JUMPDEST, GAS, POP, PUSH1, 0, PUSH1, 4, JUMPI, STOP];
        let gas = gas_table();
        let blocks = Blocks::analyse(&code, &gas, static_gas_key(&gas));
        let starts: Vec<usize> = (0..=code.len()).filter(|&pc| blocks.is_start(pc)).collect();
        // The STOP ends one more (empty, dead) block at the end of the code.
        assert_eq!(starts, [0, 3, 4, 6, 12, 13]);
        // PUSH1 + JUMP: 11 gas, needs nothing, pushes one word first.
        assert_eq!(blocks.at(0), Some(BlockCheck { gas: 11, min_len: 0, len_range: 1023 }));
        // JUMPDEST + GAS: 3 gas, GAS pushes one.
        assert_eq!(blocks.at(4), Some(BlockCheck { gas: 3, min_len: 0, len_range: 1023 }));
        // POP, PUSH1, PUSH1, JUMPI: POP needs one word; then two pushes from len - 1.
        assert_eq!(blocks.at(6), Some(BlockCheck { gas: 18, min_len: 1, len_range: 1023 - 1 }));
        assert_eq!(blocks.at(12), Some(BlockCheck { gas: 0, min_len: 0, len_range: 1024 }));
        assert_eq!(blocks.at(5), None);
        assert_eq!(blocks.at(100), None);
    }

    #[test]
    fn falling_into_a_jumpdest_does_not_end_the_block() {
        // 0 PUSH1 1, 2 JUMPDEST, 3 DUP1, 4 ADD, 5 STOP
        let code = [PUSH1, 1, JUMPDEST, DUP1, ADD, STOP];
        let gas = gas_table();
        let blocks = Blocks::analyse(&code, &gas, 1);
        assert_eq!(
            blocks.at(0),
            Some(BlockCheck { gas: 3 + 1 + 3 + 3, min_len: 0, len_range: 1022 })
        );
        // From the JUMPDEST: DUP1 needs one word and grows by one; ADD needs two.
        assert_eq!(blocks.at(2), Some(BlockCheck { gas: 1 + 3 + 3, min_len: 1, len_range: 1022 }));
        assert_eq!(blocks.len(), 3);
    }

    #[test]
    fn stack_bounds_are_relative_to_the_block_start() {
        // SWAP1 needs two words; three pushes then three pops leave the height unchanged.
        let code = [SWAP1, PUSH1, 0, PUSH1, 0, PUSH1, 0, POP, POP, POP, STOP];
        let gas = gas_table();
        let check = Blocks::analyse(&code, &gas, 1).at(0).unwrap();
        assert_eq!(check.min_len, 2);
        assert_eq!(check.min_len + check.len_range, 1021);
        assert!(!check.stack_fits(1));
        assert!(check.stack_fits(2));
        assert!(check.stack_fits(1021));
        assert!(!check.stack_fits(1022));
    }

    #[test]
    fn impossible_blocks_never_pass() {
        // 1,025 pushes in one block can run from no height.
        let mut code = alloc::vec![PUSH0; 1025];
        code.push(STOP);
        let check = Blocks::analyse(&code, &[0; 256], 1).at(0).unwrap();
        assert!((0..=1024).all(|len| !check.stack_fits(len)));
    }

    #[test]
    fn every_jumpdest_of_a_long_run_gets_its_suffix() {
        // 30,000 JUMPDESTs then one ADD: 30,000 overlapping blocks, analysed in one pass
        // (a quadratic analysis would take ~10^9 steps here).
        let mut code = alloc::vec![JUMPDEST; 30_000];
        code.push(ADD);
        let blocks = Blocks::analyse(&code, &gas_table(), 1);
        assert_eq!(blocks.len(), 30_000);
        assert_eq!(blocks.at(0).unwrap().gas, 30_000 + 3);
        assert_eq!(blocks.at(29_999).unwrap(), BlockCheck { gas: 4, min_len: 2, len_range: 1022 });
        assert_eq!(blocks.at(30_000), None);
    }

    #[test]
    fn blocks_analysed_on_entry_in_any_order_match_the_whole_analysis() {
        // 0 PUSH1 1, 2 JUMPDEST, 3 JUMPDEST, 4 DUP1, 5 JUMPDEST, 6 ADD, 7 PUSH1 2, 9 JUMPI,
        // 10 GAS, 11 JUMPDEST, 12 POP, 13 STOP. Entering a block whose later JUMPDEST is
        // analysed stops there and adds the JUMPDEST's needs to its own.
        let code = [
            PUSH1, 1, JUMPDEST, JUMPDEST, DUP1, JUMPDEST, ADD, PUSH1, 2, JUMPI, GAS, JUMPDEST, POP,
            STOP,
        ];
        let gas = gas_table();
        let whole = Blocks::analyse(&code, &gas, 1);
        let starts: Vec<usize> = (0..=code.len()).filter(|&pc| whole.is_start(pc)).collect();
        assert_eq!(starts, [0, 2, 3, 5, 10, 11, 14]);
        // From pc 2: JUMPDEST, JUMPDEST, DUP1, JUMPDEST, ADD, PUSH1, JUMPI: 1+1+3+1+3+3+10.
        assert_eq!(whole.at(2), Some(BlockCheck { gas: 22, min_len: 1, len_range: 1022 }));
        let orders: [&[usize]; 3] =
            [&[0, 2, 3, 5, 10, 11, 14], &[14, 11, 10, 5, 3, 2, 0], &[5, 0, 11, 3, 14, 2, 10]];
        for order in orders {
            let entered = Blocks::new(code.len(), 1);
            for &pc in order {
                let check = entered.analyse_block(pc, &code, |op| gas[op as usize]);
                assert_eq!(Some(check), whole.at(pc), "pc {pc} in order {order:?}");
            }
            for pc in 0..=code.len() {
                assert_eq!(entered.at(pc), whole.at(pc), "pc {pc} in order {order:?}");
            }
        }
    }

    #[test]
    fn a_cut_off_push_ends_the_code() {
        let code = [PUSH2, 1];
        let blocks = Blocks::analyse(&code, &gas_table(), 1);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks.at(0).unwrap().gas, 3);
    }

    #[test]
    fn gas_saturates() {
        let code = [ADD, ADD, STOP];
        let mut gas = [0u64; 256];
        gas[ADD as usize] = u64::MAX / 2 + 1;
        assert_eq!(Blocks::analyse(&code, &gas, 1).at(0).unwrap().gas, u32::MAX);
    }

    #[test]
    fn cache_keeps_one_analysis_per_key_up_to_capacity() {
        let cache = BlockCache::new();
        let code = [STOP];
        let mut runs = 0;
        for key in 1..=BlockCache::CAPACITY as u64 {
            let blocks = cache.get_or_insert(key, || {
                runs += 1;
                Blocks::analyse(&code, &[0; 256], key)
            });
            assert_eq!(blocks.map(Blocks::key), Some(key));
        }
        assert_eq!(runs, BlockCache::CAPACITY);
        assert!(cache.get_or_insert(1, || unreachable!("cached")).is_some());
        let full = cache.get_or_insert(99, || Blocks::analyse(&code, &[0; 256], 99));
        assert!(full.is_none());
    }

    #[test]
    fn keys_differ_with_any_gas() {
        let base = gas_table();
        let key = static_gas_key(&base);
        for op in 0..256 {
            let mut changed = base;
            changed[op] += 1;
            assert_ne!(static_gas_key(&changed), key, "opcode {op:#x}");
        }
    }
}
