//! The `Bytecode` type and its analysis.

use crate::{
    blocks::{BlockCache, Blocks},
    opcode::{self, OPCODE_INFO},
};
use alloc::sync::Arc;
use core::{
    fmt,
    sync::atomic::{
        AtomicBool, AtomicU32,
        Ordering::{Acquire, Relaxed, Release},
    },
};
use lamina_primitives::{
    Address, B256, Bytes, KECCAK_EMPTY, eip7702::DELEGATION_PREFIX, keccak256,
};

/// Zero bytes appended to legacy code: a PUSH32 on the last byte reads only padding, and
/// running off the end meets a STOP, so the dispatch loop needs no bounds check.
pub const PADDING: usize = 33;

/// Valid jump destinations of a piece of legacy code, one bit per byte offset.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct JumpTable {
    /// `Bytes`, not `Arc<[u8]>`: the table of empty code is static, so the empty code every
    /// externally owned account carries costs no allocation.
    bits: Bytes,
    len: usize,
}

impl JumpTable {
    /// Finds every JUMPDEST that is an instruction, not a byte inside PUSH data.
    pub fn analyse(code: &[u8]) -> Self {
        if code.is_empty() {
            return Self { bits: Bytes::new(), len: 0 };
        }
        let mut bits = alloc::vec![0u8; code.len().div_ceil(8)];
        let mut pc = 0;
        // A branch on PUSH, not a table of lengths: the table takes fewer instructions (7 per
        // opcode) but puts two dependent loads between one step and the next, where the
        // predicted branch lets the processor run ahead. Measured side by side with revm on
        // evmone's 13 micro inputs (large contracts that run briefly): the table 1.12 of
        // revm's wall time (geometric mean), the branch 0.90.
        while pc < code.len() {
            let op = code[pc];
            if op == opcode::JUMPDEST {
                bits[pc >> 3] |= 1 << (pc & 7);
                pc += 1;
            } else if (opcode::PUSH1..=opcode::PUSH32).contains(&op) {
                pc += 2 + (op - opcode::PUSH1) as usize;
            } else {
                pc += 1;
            }
        }
        Self { bits: Bytes::from(bits), len: code.len() }
    }

    /// Whether `pc` is a JUMPDEST instruction.
    #[inline]
    pub fn is_valid(&self, pc: usize) -> bool {
        pc < self.len && self.bits[pc >> 3] & (1 << (pc & 7)) != 0
    }
}

impl fmt::Debug for JumpTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = (0..self.len).filter(|&pc| self.is_valid(pc)).count();
        write!(f, "JumpTable({count} destinations in {} bytes)", self.len)
    }
}

/// Legacy code, analysed and padded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LegacyCode {
    /// The code followed by [`PADDING`] zero bytes.
    padded: Bytes,
    len: usize,
    jump_table: JumpTable,
    /// Basic-block analyses (one per static-gas table the code warmed up under).
    blocks: BlockCache,
}

impl LegacyCode {
    /// Analyses raw code.
    pub fn new(raw: &[u8]) -> Self {
        if raw.is_empty() {
            return EMPTY_LEGACY.clone();
        }
        let mut padded = alloc::vec::Vec::with_capacity(raw.len() + PADDING);
        padded.extend_from_slice(raw);
        padded.resize(raw.len() + PADDING, 0);
        Self {
            padded: padded.into(),
            len: raw.len(),
            jump_table: JumpTable::analyse(raw),
            blocks: BlockCache::new(),
        }
    }

    /// The code without padding.
    #[inline]
    pub fn original_bytes(&self) -> &[u8] {
        &self.padded[..self.len]
    }

    /// The code with its zero padding: what the interpreter walks.
    #[inline]
    pub fn padded_bytes(&self) -> &[u8] {
        &self.padded
    }

    /// The jump destinations.
    #[inline]
    pub fn jump_table(&self) -> &JumpTable {
        &self.jump_table
    }

    /// The code's basic blocks under the static-gas table with fingerprint `key`
    /// ([`crate::static_gas_key`]), kept with the code so that every later frame running it
    /// (in any transaction, on any thread) reuses them. Blocks are analysed as frames enter
    /// them ([`Blocks::analyse_block`]). `None` for empty code (nothing to analyse) and when
    /// [`BlockCache::CAPACITY`] other tables' blocks are already kept.
    pub fn blocks(&self, key: u64) -> Option<&Blocks> {
        if self.len == 0 {
            return None;
        }
        self.blocks.get_or_insert(key, || Blocks::new(self.len, key))
    }

    /// As [`LegacyCode::blocks`], with every block analysed now under `static_gas()` (for
    /// tools and tests; the interpreter analyses blocks as it enters them). Blocks already
    /// kept for `key` are returned as they are.
    pub fn analysed_blocks(
        &self,
        key: u64,
        static_gas: impl FnOnce() -> [u64; 256],
    ) -> Option<&Blocks> {
        if self.len == 0 {
            return None;
        }
        self.blocks
            .get_or_insert(key, || Blocks::analyse(self.original_bytes(), &static_gas(), key))
    }

    /// The code's block cache: analyses made so far, and how much the code ran without one.
    #[inline]
    pub fn block_cache(&self) -> &BlockCache {
        &self.blocks
    }
}

/// An EIP-7702 delegation designator: the code `0xef0100 ‖ address` of an account that
/// delegates its execution to `address`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Eip7702Code {
    address: Address,
    raw: Bytes,
}

impl Eip7702Code {
    /// The designator for `address`.
    pub fn new(address: Address) -> Self {
        let mut raw = [0u8; 23];
        raw[..3].copy_from_slice(&DELEGATION_PREFIX);
        raw[3..].copy_from_slice(address.as_slice());
        Self { address, raw: Bytes::copy_from_slice(&raw) }
    }

    /// The account execution is delegated to.
    #[inline]
    pub fn address(&self) -> Address {
        self.address
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Legacy(LegacyCode),
    Eip7702(Eip7702Code),
}

impl Kind {
    /// A 23-byte `0xef0100 ‖ address` is a delegation designator, anything else legacy code.
    fn of(raw: Bytes) -> Self {
        if raw.len() == 23 && raw.starts_with(&DELEGATION_PREFIX) {
            Self::Eip7702(Eip7702Code { address: Address::from_slice(&raw[3..]), raw })
        } else {
            Self::Legacy(LegacyCode::new(&raw))
        }
    }

    #[inline]
    fn original_bytes(&self) -> &[u8] {
        match self {
            Self::Legacy(code) => code.original_bytes(),
            Self::Eip7702(code) => &code.raw,
        }
    }
}

struct Repr {
    kind: Kind,
    hash: LazyHash,
}

impl PartialEq for Repr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.hash.get(&self.kind) == other.hash.get(&other.kind)
    }
}

impl Eq for Repr {}

impl core::hash::Hash for Repr {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        // Equal representations have equal kinds, so the kind alone keeps `Hash` with `Eq`.
        self.kind.hash(state);
    }
}

/// The code's keccak256, computed when first asked for. Most code comes with its hash (from
/// a database, or hashed once for an account), but init code runs without anyone asking:
/// hashing every CREATE's init code was 5% of a state-test run. Threads that race to fill
/// it write the same value, so relaxed words published by one release flag suffice.
struct LazyHash {
    words: [AtomicU32; 8],
    known: AtomicBool,
}

impl LazyHash {
    const fn unknown() -> Self {
        Self { words: [const { AtomicU32::new(0) }; 8], known: AtomicBool::new(false) }
    }

    fn known(hash: B256) -> Self {
        let this = Self::unknown();
        this.store(hash);
        this
    }

    fn store(&self, hash: B256) {
        for (word, bytes) in self.words.iter().zip(hash.chunks_exact(4)) {
            word.store(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]), Relaxed);
        }
        self.known.store(true, Release);
    }

    fn get(&self, kind: &Kind) -> B256 {
        if !self.known.load(Acquire) {
            let hash = keccak256(kind.original_bytes());
            self.store(hash);
            return hash;
        }
        let mut hash = B256::ZERO;
        for (word, bytes) in self.words.iter().zip(hash.chunks_exact_mut(4)) {
            bytes.copy_from_slice(&word.load(Relaxed).to_le_bytes());
        }
        hash
    }
}

/// The padded bytes of empty code.
static PADDED_EMPTY: [u8; PADDING] = [0; PADDING];

/// Empty legacy code, shared by every [`Bytecode::new`].
static EMPTY_LEGACY: LegacyCode = LegacyCode {
    padded: Bytes::from_static(&PADDED_EMPTY),
    len: 0,
    jump_table: JumpTable { bits: Bytes::new(), len: 0 },
    blocks: BlockCache::new(),
};

/// Account code, analysed once. Cloning is cheap (reference counted), and the value is one
/// pointer: accounts carry it, and they are copied and rehashed while state is built. Empty
/// code (every externally owned account's) is no allocation at all.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bytecode(Option<Arc<Repr>>);

impl fmt::Debug for Bytecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Bytecode");
        match &self.0 {
            Some(repr) => out.field("kind", &repr.kind),
            None => out.field("kind", &EMPTY_LEGACY),
        };
        out.field("hash", &self.hash()).finish()
    }
}

impl Default for Bytecode {
    fn default() -> Self {
        Self::new()
    }
}

impl Bytecode {
    /// Empty code.
    #[inline]
    pub const fn new() -> Self {
        Self(None)
    }

    /// Whether both are the same shared code (or both empty): then they are equal, without
    /// comparing the bytes. A clone shares the code; building it again from the same bytes
    /// does not.
    #[inline]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    fn from_parts(kind: Kind, hash: LazyHash) -> Self {
        Self(Some(Arc::new(Repr { kind, hash })))
    }

    /// Analyses raw code: a 23-byte `0xef0100 ‖ address` is a delegation designator,
    /// anything else legacy code. The hash is computed when [`Bytecode::hash`] first asks
    /// for it, so code that only runs (init code) is never hashed.
    pub fn new_raw(raw: Bytes) -> Self {
        if raw.is_empty() {
            return Self::new();
        }
        Self::from_parts(Kind::of(raw), LazyHash::unknown())
    }

    /// As [`Bytecode::new_raw`] with a hash already known (from a database).
    pub fn new_raw_with_hash(raw: Bytes, hash: B256) -> Self {
        if raw.is_empty() && hash == KECCAK_EMPTY {
            return Self::new();
        }
        Self::from_parts(Kind::of(raw), LazyHash::known(hash))
    }

    /// A delegation designator pointing at `address`.
    pub fn new_eip7702(address: Address) -> Self {
        Self::from_parts(Kind::Eip7702(Eip7702Code::new(address)), LazyHash::unknown())
    }

    #[inline]
    fn kind(&self) -> Option<&Kind> {
        self.0.as_deref().map(|repr| &repr.kind)
    }

    /// keccak256 of the raw code.
    #[inline]
    pub fn hash(&self) -> B256 {
        match &self.0 {
            Some(repr) => repr.hash.get(&repr.kind),
            None => KECCAK_EMPTY,
        }
    }

    /// The raw bytes, as stored in state (no padding).
    #[inline]
    pub fn original_bytes(&self) -> &[u8] {
        self.kind().map_or(&[], Kind::original_bytes)
    }

    /// The raw bytes as a shared [`Bytes`] (no padding).
    pub fn bytes(&self) -> Bytes {
        match self.kind() {
            Some(Kind::Legacy(code)) => code.padded.slice(..code.len),
            Some(Kind::Eip7702(code)) => code.raw.clone(),
            None => Bytes::new(),
        }
    }

    /// Length of the raw code.
    #[inline]
    pub fn len(&self) -> usize {
        self.original_bytes().len()
    }

    /// Whether there is no code.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The legacy code, or `None` for a delegation designator.
    #[inline]
    pub fn legacy(&self) -> Option<&LegacyCode> {
        match self.kind() {
            Some(Kind::Legacy(code)) => Some(code),
            Some(Kind::Eip7702(_)) => None,
            None => Some(&EMPTY_LEGACY),
        }
    }

    /// The delegation designator, or `None` for legacy code.
    #[inline]
    pub fn eip7702(&self) -> Option<&Eip7702Code> {
        match self.kind() {
            Some(Kind::Eip7702(code)) => Some(code),
            _ => None,
        }
    }

    /// Legacy code to execute. A delegation designator executed as code (before Prague
    /// made it one) is analysed as plain bytes; its first byte, 0xEF, halts at once.
    pub fn to_legacy(&self) -> LegacyCode {
        match self.kind() {
            Some(Kind::Legacy(code)) => code.clone(),
            Some(Kind::Eip7702(code)) => LegacyCode::new(&code.raw),
            None => EMPTY_LEGACY.clone(),
        }
    }

    /// The code to execute, as a `Bytecode` whose [`Bytecode::legacy`] is always `Some`: this
    /// code itself (a reference-count increment) for legacy code, or for a delegation
    /// designator its bytes analysed as legacy code (as [`Bytecode::to_legacy`]).
    pub fn executable(&self) -> Bytecode {
        self.clone().into_executable()
    }

    /// As [`Bytecode::executable`], taking this code: legacy code moves, with no
    /// reference-count traffic (two atomic operations per call frame).
    pub fn into_executable(self) -> Bytecode {
        match self.kind() {
            Some(Kind::Eip7702(code)) => {
                let kind = Kind::Legacy(LegacyCode::new(&code.raw));
                Self::from_parts(kind, LazyHash::known(self.hash()))
            }
            _ => self,
        }
    }

    /// Whether `pc` is a valid jump destination (always false for a delegation).
    #[inline]
    pub fn is_valid_jump(&self, pc: usize) -> bool {
        self.legacy().is_some_and(|code| code.jump_table.is_valid(pc))
    }
}

impl From<Bytes> for Bytecode {
    fn from(raw: Bytes) -> Self {
        Self::new_raw(raw)
    }
}

/// A disassembly: `offset: MNEMONIC [immediate]`, one line per instruction. Unknown
/// bytes print as `INVALID(0x..)`; a PUSH cut off by the end of code shows what is there.
impl fmt::Display for Bytecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.original_bytes();
        let mut pc = 0;
        while pc < code.len() {
            let op = code[pc];
            match OPCODE_INFO[op as usize] {
                Some(info) => {
                    write!(f, "{pc:04x}: {}", info.name())?;
                    let n = info.immediate_size() as usize;
                    if n > 0 {
                        let end = (pc + 1 + n).min(code.len());
                        f.write_str(" 0x")?;
                        for byte in &code[pc + 1..end] {
                            write!(f, "{byte:02x}")?;
                        }
                    }
                    f.write_str("\n")?;
                    pc += 1 + n;
                }
                None => {
                    writeln!(f, "{pc:04x}: INVALID(0x{op:02x})")?;
                    pc += 1;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::address;

    #[test]
    fn ptr_eq_holds_for_clones_only() {
        let code = Bytecode::new_raw(Bytes::from_static(&[0x60, 0x01, 0x00]));
        assert!(code.ptr_eq(&code.clone()));
        // Equal bytes, built twice: equal, but not one allocation.
        let again = Bytecode::new_raw(Bytes::from_static(&[0x60, 0x01, 0x00]));
        assert_eq!(code, again);
        assert!(!code.ptr_eq(&again));
        assert!(Bytecode::new().ptr_eq(&Bytecode::new()));
        assert!(!code.ptr_eq(&Bytecode::new()));
        assert!(!Bytecode::new().ptr_eq(&code));
    }

    #[test]
    fn jumpdest_inside_push_data_is_not_a_destination() {
        // PUSH2 0x5b5b, JUMPDEST, PUSH32 (31 bytes of 0x5b: truncated), no JUMPDEST after
        let mut raw = alloc::vec![0x61, 0x5b, 0x5b, 0x5b, 0x7f];
        raw.extend([0x5b; 31]);
        let code = Bytecode::new_raw(raw.into());
        assert!(!code.is_valid_jump(0));
        assert!(!code.is_valid_jump(1));
        assert!(!code.is_valid_jump(2));
        assert!(code.is_valid_jump(3));
        for pc in 4..40 {
            assert!(!code.is_valid_jump(pc), "{pc}");
        }
    }

    #[test]
    fn padding_covers_a_push32_on_the_last_byte() {
        let code = Bytecode::new_raw(Bytes::from_static(&[0x7f]));
        let legacy = code.legacy().unwrap();
        assert_eq!(legacy.padded_bytes().len(), 1 + PADDING);
        assert!(legacy.padded_bytes()[1..].iter().all(|&b| b == 0));
        assert_eq!(code.len(), 1);
    }

    #[test]
    fn delegation_designator_is_recognised() {
        let target = address!("1111111111111111111111111111111111111111");
        let designator = Bytecode::new_eip7702(target);
        assert_eq!(designator.len(), 23);
        let parsed = Bytecode::new_raw(designator.bytes());
        assert_eq!(parsed.eip7702().map(|d| d.address()), Some(target));
        assert_eq!(parsed.hash(), keccak256(designator.original_bytes()));
        // A different length or prefix is plain legacy code.
        let mut raw = designator.original_bytes().to_vec();
        raw.push(0);
        assert!(Bytecode::new_raw(raw.into()).legacy().is_some());
    }

    #[test]
    fn empty_code_hash() {
        assert_eq!(Bytecode::new().hash(), KECCAK_EMPTY);
        assert_eq!(Bytecode::new_raw(Bytes::new()).hash(), KECCAK_EMPTY);
        assert!(Bytecode::new().is_empty());
    }

    #[test]
    fn hash_is_computed_when_asked_and_the_same_on_every_thread() {
        // keccak256(0x00), the hash of code that is a single STOP.
        let stop: B256 =
            "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a".parse().unwrap();
        let lazy = Bytecode::new_raw(Bytes::from_static(&[0x00]));
        let hashes: Vec<B256> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4).map(|_| scope.spawn(|| lazy.hash())).collect();
            threads.into_iter().map(|thread| thread.join().unwrap()).collect()
        });
        assert_eq!(hashes, [stop; 4]);
        assert_eq!(lazy.hash(), stop);
        let known = Bytecode::new_raw_with_hash(Bytes::from_static(&[0x00]), stop);
        assert_eq!(lazy, known);
        assert_eq!(Bytecode::new_raw(Bytes::from_static(&[0x00])), known);
        // A hash given by a database is what `hash` reports, and part of equality.
        let other = Bytecode::new_raw_with_hash(Bytes::from_static(&[0x00]), B256::ZERO);
        assert_eq!(other.hash(), B256::ZERO);
        assert_ne!(other, known);
    }

    #[test]
    fn disassembly_handles_truncated_push_and_unknown_bytes() {
        let code = Bytecode::new_raw(Bytes::from_static(&[0x0c, 0x62, 0x01]));
        assert_eq!(code.to_string(), "0000: INVALID(0x0c)\n0001: PUSH3 0x01\n");
    }

    proptest::proptest! {
        /// The scan against the definition, written out on its own: walk the opcodes,
        /// skipping each PUSHn's n bytes, and mark the JUMPDESTs met.
        #[test]
        fn jump_table_marks_exactly_the_jumpdest_instructions(
            code in proptest::collection::vec(
                proptest::prop_oneof![0x5bu8..=0x5b, 0x60u8..=0x7f, proptest::num::u8::ANY],
                0..300,
            )
        ) {
            let table = JumpTable::analyse(&code);
            let mut expected = alloc::vec![false; code.len()];
            let mut pc = 0;
            while pc < code.len() {
                match code[pc] {
                    0x5b => { expected[pc] = true; pc += 1 }
                    op @ 0x60..=0x7f => pc += 2 + (op - 0x60) as usize,
                    _ => pc += 1,
                }
            }
            for (pc, &valid) in expected.iter().enumerate() {
                proptest::prop_assert_eq!(table.is_valid(pc), valid, "pc {}", pc);
            }
            proptest::prop_assert!(!table.is_valid(code.len()));
        }
    }
}
