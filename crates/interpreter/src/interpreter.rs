//! The interpreter: one frame's machine state and the dispatch loop.

use crate::{
    CallInput, CallOutcome, CreateOutcome, FrameInput, Gas, GasParams, Host, InstructionResult,
    InstructionTable, InterpreterAction, InterpreterResult, SharedMemory, Stack,
    instructions::modulus::PreparedModulus, memory::num_words,
};
use lamina_bytecode::{BlockCheck, Blocks, Bytecode, LegacyCode};
use lamina_primitives::{Address, Bytes, U256};

/// The call context a frame runs in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameContext {
    /// ADDRESS: whose storage and balance the code acts on.
    pub target_address: Address,
    /// CALLER.
    pub caller: Address,
    /// CALLVALUE.
    pub value: U256,
    /// Call data (lent from the caller's memory for CALL and its kin).
    pub input: CallInput,
    /// Whether state changes are forbidden.
    pub is_static: bool,
}

/// How the loop checks each instruction's stack needs and static gas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Checks {
    /// Not decided yet: `run` decides when it starts the frame. A frame driven only by
    /// `step` stays here, which checks like `PerInstruction` (block entries and the warm-up
    /// act only in their own modes).
    Fresh,
    /// Once per basic block, from the code's blocks (`Interpreter::blocks`), each analysed
    /// the first time any frame enters it.
    PerBlock,
    /// Before every instruction: for inspected frames, tables with custom instructions, and a
    /// block whose checks failed (the frame then fails inside that block, at the exact
    /// instruction the per-instruction checks name).
    PerInstruction,
    /// Before every instruction while code warms up: analysing a block on its first entry
    /// costs more than checking its instructions one by one once, and keeping the analyses
    /// costs 8 bytes per code byte, which code that runs once (init code) never earns back. The
    /// bytes of code run are counted over all frames running the code, at each jump (not
    /// per instruction, which cost the loop two machine instructions in ~25), and the code is
    /// checked per block from the first jump after they reach [`warmup_bytes`] (a jump lands
    /// on a block start).
    WarmingUp,
}

/// Bytes of code run before the code is checked per block: its length, so straight code
/// (init code) is not. Measured by callgrind on the shared benchmarks: twice the length left
/// short runs of large contracts unchecked per block for too long (weierstrudel/1 1.07x
/// revm's instructions against 1.03x, blake2b_huff/2805nulls 1.05x against 1.02x). Counted
/// in instructions (before), half the length made code whose blocks run once (evmone's
/// jump_around) 1.35x revm's instructions.
fn warmup_bytes(code_len: usize) -> u32 {
    u32::try_from(code_len).unwrap_or(u32::MAX)
}

/// One frame's machine: code, program counter, stack, memory, gas.
///
/// It runs until the code ends or asks for a call or create; it never recurses into another
/// frame. The frame loop (in the handler crate, or your own) runs the child and hands the
/// outcome back with [`Interpreter::insert_call_outcome`] or
/// [`Interpreter::insert_create_outcome`].
#[derive(Debug)]
pub struct Interpreter {
    /// Points at the next opcode inside `code`'s padded bytes.
    ip: *const u8,
    /// The start of `code`'s padded bytes: the program counter is `ip - code_start`, and a
    /// jump lands at `code_start + dest` (one load, not two through `legacy`).
    code_start: *const u8,
    /// The code run (holding it keeps `legacy` valid).
    code: Bytecode,
    /// `code`'s legacy code: inside `code`'s reference-counted allocation, or the static
    /// empty code. A pointer, so starting a frame costs one reference count, not a copy of
    /// the analysed code's parts.
    legacy: *const LegacyCode,
    /// Gas of this frame.
    pub gas: Gas,
    /// Operand stack.
    pub stack: Stack,
    /// Memory (this frame's tail of the transaction's shared buffer).
    pub memory: SharedMemory,
    /// Output of the last call or create this frame made (RETURNDATASIZE/COPY).
    pub return_data: Bytes,
    /// Call context.
    pub context: FrameContext,
    /// Gas prices and rules of the fork.
    pub params: GasParams,
    /// Most bytes of shared memory the transaction may use, all frames together.
    pub memory_limit: u64,
    /// `Continue` while running; otherwise why the frame stopped.
    pub(crate) control: InstructionResult,
    pub(crate) output: Bytes,
    pub(crate) next_action: InterpreterAction,
    checks: Checks,
    /// The code's blocks under the running table, inside `code`'s allocation (valid while
    /// `checks` is `PerBlock`).
    blocks: *const Blocks,
    /// While warming up: bytes of code left to run before the code is analysed, the count
    /// when last recorded in the code, and where the code run since the last count starts.
    warmup_budget: u32,
    recorded_budget: u32,
    warm_from: *const u8,
    /// The block at `ip` is entered but not analysed yet: `run`, which has the table's
    /// static gas, analyses and charges it before the next instruction.
    block_pending: bool,
    /// MULMOD's last modulus, prepared for division. It depends on the modulus alone, so
    /// `reset` keeps it for the next frame.
    pub(crate) modulus: PreparedModulus,
}

// SAFETY: `ip`, `legacy` and `blocks` point into `code`'s reference-counted data (or static
// data), which the interpreter owns and which is immutable once published (the block cache
// only ever adds analyses); moving the interpreter to another thread moves that ownership.
unsafe impl Send for Interpreter {}
// SAFETY: `&Interpreter` allows no mutation through `ip`.
unsafe impl Sync for Interpreter {}

impl Interpreter {
    /// A frame running `code` with `gas_limit` gas.
    pub fn new(
        code: &Bytecode,
        context: FrameContext,
        gas_limit: u64,
        params: GasParams,
        memory: SharedMemory,
        stack: Stack,
    ) -> Self {
        let code = code.executable();
        let legacy = Self::legacy_of(&code);
        // SAFETY: `legacy` points into `code`, alive (see `legacy_of`).
        let ip = unsafe { (*legacy).padded_bytes().as_ptr() };
        Self {
            ip,
            code_start: ip,
            code,
            legacy,
            gas: Gas::new(gas_limit),
            stack,
            memory,
            return_data: Bytes::new(),
            context,
            params,
            memory_limit: u64::MAX,
            control: InstructionResult::Continue,
            output: Bytes::new(),
            next_action: InterpreterAction::None,
            checks: Checks::Fresh,
            blocks: core::ptr::null(),
            warmup_budget: 0,
            recorded_budget: 0,
            warm_from: ip,
            block_pending: false,
            modulus: PreparedModulus::NONE,
        }
    }

    /// Makes this interpreter a new frame in place: the same as [`Interpreter::new`] with this
    /// interpreter's stack (cleared). A frame loop that keeps its interpreters reuses them this
    /// way instead of building (and moving) a new, large one per call.
    pub fn reset(
        &mut self,
        code: &Bytecode,
        context: FrameContext,
        gas_limit: u64,
        params: &GasParams,
        memory: SharedMemory,
    ) {
        self.set_code(code);
        self.restart(context, gas_limit, params, memory);
    }

    /// Makes `code` the code the next frame runs ([`Self::restart`]). The code it holds already
    /// (one shared allocation, [`Bytecode::ptr_eq`]) is kept, not cloned: the clone and the
    /// drop of the code it replaces are two atomic read-modify-writes of the count, each of
    /// which waits for every earlier store to drain (perf put them at 5% of a call's time in
    /// a loop calling one contract).
    #[inline]
    pub fn set_code(&mut self, code: &Bytecode) {
        if !self.code.ptr_eq(code) {
            self.code = code.clone().into_executable();
            self.legacy = Self::legacy_of(&self.code);
        }
    }

    /// [`Self::reset`] with the code this interpreter holds ([`Self::set_code`]).
    pub fn restart(
        &mut self,
        context: FrameContext,
        gas_limit: u64,
        params: &GasParams,
        memory: SharedMemory,
    ) {
        self.ip = self.code().padded_bytes().as_ptr();
        self.code_start = self.ip;
        self.gas = Gas::new(gas_limit);
        self.stack.clear();
        self.memory = memory;
        self.return_data = Bytes::new();
        self.context = context;
        self.params = *params;
        self.memory_limit = u64::MAX;
        self.control = InstructionResult::Continue;
        self.output = Bytes::new();
        self.next_action = InterpreterAction::None;
        self.checks = Checks::Fresh;
        self.blocks = core::ptr::null();
        self.block_pending = false;
    }

    /// Where `code`'s legacy code is: inside its shared allocation (which does not move
    /// with `code`), or static.
    fn legacy_of(code: &Bytecode) -> *const LegacyCode {
        match code.legacy() {
            Some(legacy) => legacy,
            None => unreachable!("executable code is legacy code"),
        }
    }

    /// The code being run.
    #[inline]
    pub fn code(&self) -> &LegacyCode {
        // SAFETY: `legacy` points into `self.code` (or static data), alive while `self` is.
        unsafe { &*self.legacy }
    }

    /// The code and the memory, borrowed together (CODECOPY).
    #[inline]
    pub(crate) fn code_and_memory(&mut self) -> (&LegacyCode, &mut SharedMemory) {
        // SAFETY: as in `code`; the code is no part of the memory.
        (unsafe { &*self.legacy }, &mut self.memory)
    }

    /// Program counter: offset of the next opcode.
    #[inline]
    pub fn pc(&self) -> usize {
        // SAFETY: `ip` always points into the padded code buffer.
        unsafe { self.ip.offset_from(self.code_start) as usize }
    }

    /// The opcode at the program counter.
    #[inline]
    pub fn current_opcode(&self) -> u8 {
        // SAFETY: `ip` is inside the padded buffer, whose last byte is a STOP that halts.
        unsafe { *self.ip }
    }

    /// `Continue` while running; afterwards the reason the frame stopped.
    #[inline]
    pub fn control(&self) -> InstructionResult {
        self.control
    }

    /// Stops the frame with `result`.
    #[inline]
    pub fn halt(&mut self, result: InstructionResult) {
        self.control = result;
    }

    /// Stops the frame successfully or by REVERT with `output`.
    #[inline]
    pub fn halt_with_output(&mut self, result: InstructionResult, output: Bytes) {
        self.control = result;
        self.output = output;
    }

    /// Pauses the frame to run `action` (a call or create).
    #[inline]
    pub fn request(&mut self, action: InterpreterAction) {
        self.control = InstructionResult::CallOrCreate;
        self.next_action = action;
    }

    /// Moves the program counter by `offset` bytes (immediates).
    #[inline(always)]
    pub(crate) fn skip(&mut self, offset: usize) {
        // SAFETY: immediates never reach past the padding (at most 32 bytes, padding 33).
        self.ip = unsafe { self.ip.add(offset) };
    }

    /// The `len` bytes after the current opcode (`ip` already points past it).
    #[inline(always)]
    pub(crate) fn immediate(&self, len: usize) -> &[u8] {
        // SAFETY: `ip + len` stays inside the padding, see `skip`.
        unsafe { core::slice::from_raw_parts(self.ip, len) }
    }

    /// Jumps to `dest` if it is a JUMPDEST (entering the block there); halts with
    /// `InvalidJump` otherwise.
    #[inline(always)]
    pub(crate) fn jump(&mut self, dest: U256) {
        let dest = usize::try_from(dest).unwrap_or(usize::MAX);
        if self.checks == Checks::PerBlock {
            self.jump_to_block(dest);
            return;
        }
        let code = self.code();
        if code.jump_table().is_valid(dest) {
            // SAFETY: valid destinations are inside the code.
            let target = unsafe { self.code_start.add(dest) };
            if self.checks == Checks::WarmingUp {
                self.count_warmup(target);
                if self.warmup_budget == 0 {
                    // Warm: `run` analyses the code and enters the block at `dest`.
                    self.control = InstructionResult::ChecksChanged;
                }
            }
            self.ip = target;
        } else {
            self.halt(InstructionResult::InvalidJump);
        }
    }

    /// The jump of [`Interpreter::jump`] when checking per block: one lookup both validates
    /// the destination (a JUMPDEST opcode at a block start, hence not inside push data) and
    /// finds the block's checks.
    #[inline(always)]
    pub(crate) fn jump_to_block(&mut self, dest: usize) {
        if let Some(next) = self.block_jump(dest, self.stack.len()) {
            self.ip = next;
        }
    }

    /// [`Interpreter::jump_to_block`] with the stack's height given, for the per-block loop,
    /// which keeps the stack's top in a register: where to go on, or `None` when the loop
    /// must stop (the frame halted, or the block needs analysing or per-instruction checks;
    /// `ip` and `control` are set for it).
    #[inline(always)]
    fn block_jump(&mut self, dest: usize, stack_len: usize) -> Option<*const u8> {
        // SAFETY: `blocks` points into `code`'s block cache while checks are per block.
        let blocks = unsafe { &*self.blocks };
        let Some(block) = blocks.at(dest) else {
            self.jump_to_new_block(dest);
            return None;
        };
        // SAFETY: blocks start at most at the code's length, inside the padded bytes.
        let target = unsafe { self.code_start.add(dest) };
        // SAFETY: as above.
        if unsafe { *target } != lamina_bytecode::opcode::JUMPDEST {
            self.halt(InstructionResult::InvalidJump);
            return None;
        }
        if self.charge_block(block, stack_len) {
            // The block's check covered the JUMPDEST (its gas, and it needs no stack), so the
            // loop goes on after it: a whole dispatch saved per jump, about 12 machine
            // instructions (JUMPDESTs were 8% of burntpix's instructions).
            // SAFETY: the code's padding follows every JUMPDEST.
            Some(unsafe { target.add(1) })
        } else {
            // Checked instruction by instruction from the JUMPDEST itself.
            self.ip = target;
            self.check_each_instruction();
            None
        }
    }

    /// A jump to a block not analysed yet: the jump table validates it, and `run` analyses
    /// the block.
    #[cold]
    fn jump_to_new_block(&mut self, dest: usize) {
        let code = self.code();
        if code.jump_table().is_valid(dest) {
            // SAFETY: valid destinations are inside the code.
            self.ip = unsafe { self.code_start.add(dest) };
            self.block_pending = true;
            self.control = InstructionResult::ChecksChanged;
        } else {
            self.halt(InstructionResult::InvalidJump);
        }
    }

    /// Called by an instruction when the next one (at `ip`) starts a basic block: after a
    /// jump, a JUMPI that does not jump, GAS and SSTORE. Charges the block's static gas and
    /// checks its stack needs at once; when they are not met, the loop goes back to checking
    /// instruction by instruction from here, which finds the exact failing instruction.
    #[inline(always)]
    pub(crate) fn enter_block(&mut self) {
        if self.checks == Checks::PerBlock {
            match self.block_here() {
                Some(block) if self.charge_block(block, self.stack.len()) => {}
                Some(_) => self.check_each_instruction(),
                None => self.leave_for_new_block(),
            }
        }
    }

    /// Leaves the loop for `run` to analyse the block at `ip` (inside an instruction).
    #[cold]
    fn leave_for_new_block(&mut self) {
        self.block_pending = true;
        self.control = InstructionResult::ChecksChanged;
    }

    /// Leaves the per-block loop for the rest of the frame (inside an instruction).
    #[cold]
    fn check_each_instruction(&mut self) {
        self.checks = Checks::PerInstruction;
        self.control = InstructionResult::ChecksChanged;
    }

    /// As [`Interpreter::enter_block`], outside an instruction: the next `run` starts there.
    /// `run` picks up a changed mode or a block to analyse on its own, so the frame is not
    /// stopped for it.
    #[inline]
    fn resume_block(&mut self) {
        self.enter_block();
        if self.control == InstructionResult::ChecksChanged {
            self.control = InstructionResult::Continue;
        }
    }

    /// The analysed block starting at `ip`, if analysed.
    #[inline(always)]
    fn block_here(&self) -> Option<BlockCheck> {
        // SAFETY: `blocks` points into `code`'s block cache while checks are per block.
        let blocks = unsafe { &*self.blocks };
        blocks.at(self.pc())
    }

    /// Analyses the block at `ip` (a jump or block entry found it new) and enters it.
    #[cold]
    fn enter_new_block<H: Host + ?Sized>(&mut self, table: &InstructionTable<H>) {
        self.block_pending = false;
        if self.checks != Checks::PerBlock {
            return;
        }
        // SAFETY: `blocks` points into `code`'s block cache while checks are per block.
        let blocks = unsafe { &*self.blocks };
        let code = self.code().original_bytes();
        let block = blocks.analyse_block(self.pc(), code, |op| table.instruction(op).static_gas);
        if !self.charge_block(block, self.stack.len()) {
            self.checks = Checks::PerInstruction;
        }
    }

    /// Checks a block's stack needs and charges its static gas; `false` (nothing charged)
    /// when either fails.
    #[inline(always)]
    fn charge_block(&mut self, block: BlockCheck, stack_len: usize) -> bool {
        block.stack_fits(stack_len) && self.gas.record_cost(block.gas as u64)
    }

    /// Decides how a fresh frame is checked: per block when the table allows it and the
    /// code's analysis for the table is (or can be) kept, per instruction otherwise.
    fn start<H: Host + ?Sized>(&mut self, table: &InstructionTable<H>) {
        self.checks = Checks::PerInstruction;
        let Some(key) = table.block_key() else { return };
        let code = self.code();
        if code.original_bytes().is_empty() {
            return;
        }
        let cache = code.block_cache();
        if let Some(blocks) = cache.get(key) {
            let blocks: *const Blocks = blocks;
            self.check_per_block(blocks);
            return;
        }
        let run = cache.bytes_run();
        let threshold = warmup_bytes(code.original_bytes().len());
        if run >= threshold {
            self.analyse(key);
        } else {
            self.checks = Checks::WarmingUp;
            self.warmup_budget = threshold - run;
            self.recorded_budget = self.warmup_budget;
            self.warm_from = self.ip;
        }
    }

    /// Analyses the code (or finds it analysed) and checks per block from here on.
    fn analyse(&mut self, key: u64) {
        self.checks = Checks::PerInstruction;
        if let Some(blocks) = self.code().blocks(key) {
            let blocks: *const Blocks = blocks;
            self.check_per_block(blocks);
        }
    }

    /// `blocks` is inside `code`'s cache, alive while `self.code` is.
    fn check_per_block(&mut self, blocks: *const Blocks) {
        self.blocks = blocks;
        self.checks = Checks::PerBlock;
        self.resume_block();
    }

    /// Counts the bytes of code run since the last count, up to `ip` (the code there is
    /// straight since then: only a jump moves `ip` back, and jumps count), and starts the
    /// next count at `next` (a jump's target, or `ip`).
    #[inline]
    fn count_warmup(&mut self, next: *const u8) {
        // SAFETY: both point into the padded code, `warm_from` at or before `ip`.
        let run = unsafe { self.ip.offset_from(self.warm_from) } as usize;
        let run = u32::try_from(run).unwrap_or(u32::MAX);
        self.warmup_budget = self.warmup_budget.saturating_sub(run);
        self.warm_from = next;
    }

    /// Adds the bytes of code this frame ran while warming up to the code's count.
    fn record_run(&mut self) {
        if self.checks == Checks::WarmingUp {
            self.count_warmup(self.ip);
            let run = self.recorded_budget - self.warmup_budget;
            self.code().block_cache().record_run(run);
            self.recorded_budget = self.warmup_budget;
        }
    }

    /// Grows memory to cover `len` bytes at `offset`, charging for it. `false` (and the frame
    /// halted) when it cannot be paid for or passes the memory limit. A zero `len` touches no
    /// memory.
    #[inline]
    #[must_use]
    pub fn resize_memory(&mut self, offset: usize, len: usize) -> bool {
        if len == 0 {
            return true;
        }
        let end = offset.saturating_add(len);
        if end <= self.memory.len() {
            return true;
        }
        self.grow_memory(end)
    }

    #[cold]
    fn grow_memory(&mut self, end: usize) -> bool {
        let words = num_words(end as u64);
        if !self.gas.record_memory_expansion(words, &self.params) {
            self.halt(InstructionResult::MemoryOOG);
            return false;
        }
        let new_len = words as usize * 32;
        let total = (self.memory.total_len() - self.memory.len()) as u64 + new_len as u64;
        if total > self.memory_limit {
            self.halt(InstructionResult::MemoryLimitOOG);
            return false;
        }
        // The limit bounds the allocation too, not only the length.
        let limit = usize::try_from(self.memory_limit).unwrap_or(usize::MAX);
        self.memory.resize_within(new_len, limit);
        true
    }

    /// Charges `cost`; halts with `OutOfGas` and returns `false` when not affordable.
    #[inline(always)]
    #[must_use]
    pub fn charge(&mut self, cost: u64) -> bool {
        if self.gas.record_cost(cost) {
            true
        } else {
            self.halt(InstructionResult::OutOfGas);
            false
        }
    }

    /// Runs one instruction with its checks (for inspecting loops; the plain loop is
    /// [`Interpreter::execute`]). A frame driven by `step` is checked instruction by instruction
    /// throughout.
    #[inline(always)]
    pub fn step<H: Host + ?Sized>(&mut self, table: &InstructionTable<H>, host: &mut H) {
        let instruction = table.instruction(self.current_opcode());
        let len = self.stack.len();
        if len < instruction.min_stack as usize {
            self.halt(InstructionResult::StackUnderflow);
            return;
        }
        if len > instruction.max_stack as usize {
            self.halt(InstructionResult::StackOverflow);
            return;
        }
        if !self.gas.record_cost(instruction.static_gas) {
            self.halt(InstructionResult::OutOfGas);
            return;
        }
        self.skip(1);
        (instruction.function)(self, host);
    }

    /// Runs until the frame ends or asks for a new frame, and returns what it stopped for
    /// ([`Self::execute`], then [`Self::take_action`]).
    #[inline]
    pub fn run<H: Host + ?Sized>(
        &mut self,
        table: &InstructionTable<H>,
        host: &mut H,
    ) -> InterpreterAction {
        self.execute(table, host);
        self.take_action()
    }

    /// Runs until the frame ends or asks for a new frame, and keeps what it stopped for:
    /// the frame asked for is [`Self::requested_frame`], in place, and an ended frame's
    /// result is [`Self::take_result`]. The frame loop reads the request where the
    /// instruction wrote it: returned, the request was copied twice more on its way to the
    /// new frame, and read back with wide loads that waited on the narrow stores that wrote
    /// it (store forwarding).
    // Never inlined, so that the dispatch loops are compiled on their own, the same whatever
    // the frame loop around them: inlined, a 24-byte field added to `SharedMemory` changed how
    // the frame loop was inlined and made sha1_divs, memory_grow and signextend 0.05-0.10 of
    // revm's time slower with the same instructions executed. One call per frame run.
    #[inline(never)]
    pub fn execute<H: Host + ?Sized>(&mut self, table: &InstructionTable<H>, host: &mut H) {
        if self.checks == Checks::Fresh {
            self.start(table);
        }
        loop {
            if self.block_pending {
                self.enter_new_block(table);
            }
            if self.checks == Checks::PerBlock {
                // The hot loop: the block's checks were made on entering it.
                self.run_blocks(table, host);
            } else {
                // Per instruction, also while warming up (jumps count the code run).
                while self.control == InstructionResult::Continue {
                    self.step(table, host);
                }
            }
            if self.control != InstructionResult::ChecksChanged {
                // The one count per stop: `take_action` and `take_result` need none (a frame
                // driven by `step` never warms up).
                self.record_run();
                return;
            }
            self.control = InstructionResult::Continue;
            if self.checks == Checks::WarmingUp {
                self.record_run();
                if let Some(key) = table.block_key() {
                    self.analyse(key);
                }
            }
        }
    }

    /// The loop of code checked per block, until the frame stops or leaves the mode.
    ///
    /// The program counter and the stack's top are locals here, so that they stay in
    /// registers: kept in the interpreter, each instruction loads them and stores them back,
    /// and since the compiler cannot tell the stack's words from the interpreter's fields, it
    /// loads them again after every word written. The instructions that use only the stack
    /// and the immediates, most of those run, run inline on the locals (the same functions
    /// the table calls, from `stack_only!`), and so do JUMP and MLOAD and MSTORE of memory
    /// already covered; the rest are called through the table, with the locals stored into the
    /// interpreter before and loaded after. One call site only: each more (tried for PUSH2 and
    /// JUMPI) cost the loop its registers and made every compute benchmark slower.
    ///
    /// Only standard tables run per block, so the table's function for each opcode run inline
    /// is known to be the one run here (tests/proptest.rs runs every opcode of every fork both
    /// ways, and random code both ways).
    #[inline(always)]
    fn run_blocks<H: Host + ?Sized>(&mut self, table: &InstructionTable<H>, host: &mut H) {
        use crate::instructions::{
            StackOnly, arithmetic, bitwise, memory, stack, stack::word_from_immediate,
        };
        use lamina_bytecode::opcode::*;

        let inline = table.inline;
        let mut ip = self.ip;
        let mut interp = StackOnly { stack: self.stack.top };

        // Runs `$call` with the interpreter up to date, takes the locals back, and leaves the
        // loop if the frame stopped.
        macro_rules! call_out {
            ($call:expr) => {{
                self.ip = ip;
                self.stack.top = interp.stack;
                $call;
                ip = self.ip;
                interp.stack = self.stack.top;
                if self.control != InstructionResult::Continue {
                    return;
                }
            }};
        }
        // The `N` immediate bytes after the opcode as a word, pushed; `ip` moves past them.
        macro_rules! push_immediate {
            ($n:literal) => {{
                // SAFETY: the 32 bytes after an opcode are inside the padded code.
                let immediate = unsafe { core::slice::from_raw_parts(ip, 32) };
                let value = word_from_immediate::<$n>(immediate);
                // SAFETY: the block's check covered the stack's height; the immediates are
                // inside the padded code, as above.
                unsafe {
                    interp.stack.push_unchecked(value);
                    ip = ip.add($n);
                }
            }};
        }

        // Goes on at the block of the JUMPDEST at `$dest`, or leaves the loop as
        // `block_jump` says.
        macro_rules! jump_to {
            ($dest:expr) => {{
                let dest = usize::try_from($dest).unwrap_or(usize::MAX);
                match self.block_jump(dest, self.stack.len_at(interp.stack)) {
                    Some(next) => {
                        ip = next;
                        continue;
                    }
                    None => {
                        self.stack.top = interp.stack;
                        // A new block or per-instruction checks set `ip` to the destination;
                        // an invalid jump halts after the jump, where the table's would.
                        if self.control != InstructionResult::ChecksChanged {
                            self.ip = ip;
                        }
                        return;
                    }
                }
            }};
        }
        // The match: the inline instructions by kind, and the table for the rest.
        macro_rules! dispatch {
            (
                $opcode:ident;
                stack only: $($op:ident $(if $guard:expr)? => $module:ident::$name:ident),*;
                pushes: $($push:ident = $bytes:literal),*;
                dups: $($dup:ident = $dup_depth:literal),*;
                swaps: $($swap:ident = $swap_depth:literal),*;
            ) => {
                // Inline instructions go on to the next; the others, and the inline ones
                // that cannot finish here, fall through to the one call into the table.
                match $opcode {
                    $($op $(if $guard)? => {
                        $module::on_stack::$name(&mut interp);
                        continue;
                    })*
                    $($push => {
                        push_immediate!($bytes);
                        continue;
                    })*
                    $($dup => {
                        // SAFETY: the block's check covered the stack's height.
                        unsafe { interp.stack.dup_unchecked($dup_depth) };
                        continue;
                    })*
                    $($swap => {
                        // SAFETY: as above.
                        unsafe { interp.stack.swap_unchecked($swap_depth) };
                        continue;
                    })*
                    // Two pairs run as one step: PUSH1 then SHR or SHL (a shift by a constant)
                    // and SWAP1 then POP (the word under the top dropped). In sha1_shifts they
                    // are 7.6% and 4.4% of the instructions run, and fused they cut its
                    // machine instructions by 12% (callgrind).
                    PUSH1 => {
                        // SAFETY: the 32 bytes after an opcode are inside the padded code. The
                        // shift is in this block (it is no JUMPDEST), whose check covered
                        // it; otherwise, as for the other pushes.
                        unsafe {
                            let (shift, next) = (*ip as usize, *ip.add(1));
                            if next == SHR && inline.shifts {
                                let top = interp.stack.top_unchecked();
                                *top >>= shift;
                                ip = ip.add(2);
                            } else if next == SHL && inline.shifts {
                                let top = interp.stack.top_unchecked();
                                *top <<= shift;
                                ip = ip.add(2);
                            } else {
                                interp.stack.push_unchecked(U256::from(shift));
                                ip = ip.add(1);
                            }
                        }
                        continue;
                    }
                    SWAP1 => {
                        // SAFETY: the padded code ends in a STOP, so the next byte is inside
                        // it. The POP is in this block (it is no JUMPDEST), whose check
                        // covered it; otherwise, as for the other swaps.
                        unsafe {
                            if *ip == POP {
                                interp.stack.nip();
                                ip = ip.add(1);
                            } else {
                                interp.stack.swap_unchecked(1);
                            }
                        }
                        continue;
                    }
                    JUMPDEST => continue,
                    // MULMOD reads the stack and the interpreter's prepared modulus.
                    MULMOD => {
                        arithmetic::mulmod_on_stack(&mut interp, &mut self.modulus);
                        continue;
                    }
                    JUMP => {
                        // SAFETY: the block's check covered the stack's height.
                        let [dest] = unsafe { interp.stack.popn() };
                        jump_to!(dest);
                    }
                    // The memory's words inline while they are covered (the guard runs the
                    // instruction); growing it is the table's (the same instruction, which
                    // finds it must grow).
                    MLOAD if memory::mload_covered(&self.memory, &mut interp) => continue,
                    MSTORE if memory::mstore_covered(&mut self.memory, &mut interp) => continue,
                    _ => {}
                }
                call_out!((table.function($opcode))(self, host));
            };
        }

        loop {
            // SAFETY: `ip` is inside the padded code, whose last byte is a STOP that halts.
            let opcode = unsafe { *ip };
            // SAFETY: as above; after the STOP the loop has left.
            ip = unsafe { ip.add(1) };
            dispatch! {
                opcode;
                stack only:
                    ADD => arithmetic::add, MUL => arithmetic::mul, SUB => arithmetic::sub,
                    DIV => arithmetic::div, SDIV => arithmetic::sdiv, MOD => arithmetic::rem,
                    SMOD => arithmetic::smod, ADDMOD => arithmetic::addmod,
                    SIGNEXTEND => arithmetic::signextend,
                    LT => bitwise::lt, GT => bitwise::gt, SLT => bitwise::slt, SGT => bitwise::sgt,
                    EQ => bitwise::eq, ISZERO => bitwise::iszero, AND => bitwise::bitand,
                    OR => bitwise::bitor, XOR => bitwise::bitxor, NOT => bitwise::not,
                    BYTE => bitwise::byte, SHL if inline.shifts => bitwise::shl,
                    SHR if inline.shifts => bitwise::shr, SAR if inline.shifts => bitwise::sar,
                    POP => stack::pop, PUSH0 if inline.push0 => stack::push0;
                // PUSH1 is above, with the shift after it; PUSH2 is the table's, which runs
                // the JUMP, JUMPI, MLOAD or MSTORE after it too (`stack::push2_fused`).
                pushes:
                    PUSH3 = 3, PUSH4 = 4, PUSH5 = 5, PUSH6 = 6, PUSH7 = 7, PUSH8 = 8,
                    PUSH9 = 9, PUSH10 = 10, PUSH11 = 11, PUSH12 = 12, PUSH13 = 13, PUSH14 = 14,
                    PUSH15 = 15, PUSH16 = 16, PUSH17 = 17, PUSH18 = 18, PUSH19 = 19, PUSH20 = 20,
                    PUSH21 = 21, PUSH22 = 22, PUSH23 = 23, PUSH24 = 24, PUSH25 = 25, PUSH26 = 26,
                    PUSH27 = 27, PUSH28 = 28, PUSH29 = 29, PUSH30 = 30, PUSH31 = 31, PUSH32 = 32;
                dups:
                    DUP1 = 1, DUP2 = 2, DUP3 = 3, DUP4 = 4, DUP5 = 5, DUP6 = 6, DUP7 = 7, DUP8 = 8,
                    DUP9 = 9, DUP10 = 10, DUP11 = 11, DUP12 = 12, DUP13 = 13, DUP14 = 14,
                    DUP15 = 15, DUP16 = 16;
                // SWAP1 is above, with the POP after it.
                swaps:
                    SWAP2 = 2, SWAP3 = 3, SWAP4 = 4, SWAP5 = 5, SWAP6 = 6, SWAP7 = 7,
                    SWAP8 = 8, SWAP9 = 9, SWAP10 = 10, SWAP11 = 11, SWAP12 = 12, SWAP13 = 13,
                    SWAP14 = 14, SWAP15 = 15, SWAP16 = 16;
            }
        }
    }

    /// What the frame asks for after it stopped running, moved out: the frame asked for, or
    /// the result of a frame that ended ([`Self::take_result`]).
    pub fn take_action(&mut self) -> InterpreterAction {
        if self.control == InstructionResult::CallOrCreate {
            return core::mem::take(&mut self.next_action);
        }
        InterpreterAction::Return(self.take_result())
    }

    /// The frame this one is paused for (a call or create it asked for, not yet answered
    /// with [`Self::insert_call_outcome`] or [`Self::insert_create_outcome`]), in place.
    #[inline]
    pub fn requested_frame(&mut self) -> Option<&mut FrameInput> {
        match &mut self.next_action {
            InterpreterAction::NewFrame(input)
                if self.control == InstructionResult::CallOrCreate =>
            {
                Some(input)
            }
            _ => None,
        }
    }

    /// The result of the frame once it ended, its output moved out (cloning it would make its
    /// buffer shared: an allocation).
    #[inline]
    pub fn take_result(&mut self) -> InterpreterResult {
        let output = core::mem::take(&mut self.output);
        self.result_with(output)
    }

    /// The frame's result once it ended (not while paused for a call).
    pub fn result(&self) -> InterpreterResult {
        self.result_with(self.output.clone())
    }

    #[inline]
    fn result_with(&self, output: Bytes) -> InterpreterResult {
        let mut gas = self.gas;
        let result = self.control;
        if result.is_error() {
            gas.spend_all();
            gas.set_refund(0);
        } else if result.is_revert() {
            gas.set_refund(0);
        }
        let output = if result.is_ok_or_revert() { output } else { Bytes::new() };
        InterpreterResult { result, output, gas }
    }

    /// Resumes after a call with its outcome: return data, memory output, success flag, gas.
    pub fn insert_call_outcome(&mut self, outcome: CallOutcome) {
        let CallOutcome { result, memory_offset } = outcome;
        self.control = InstructionResult::Continue;
        let success = self.absorb_child_gas(&result);
        if self.control != InstructionResult::Continue {
            return;
        }
        let copy_len = memory_offset.len().min(result.output.len());
        if copy_len > 0 {
            self.memory.set(memory_offset.start, &result.output[..copy_len]);
        }
        self.return_data = result.output;
        self.stack.push(U256::from(success as u8));
        self.resume_block();
    }

    /// Resumes after a create with its outcome: the address or zero, return data, gas.
    pub fn insert_create_outcome(&mut self, outcome: CreateOutcome) {
        let CreateOutcome { result, address } = outcome;
        self.control = InstructionResult::Continue;
        let success = self.absorb_child_gas(&result);
        if self.control != InstructionResult::Continue {
            return;
        }
        // Only a reverted init code leaves return data.
        self.return_data =
            if result.result == InstructionResult::Revert { result.output } else { Bytes::new() };
        let pushed = match address {
            Some(address) if success => address.into_word().into(),
            _ => U256::ZERO,
        };
        self.stack.push(pushed);
        self.resume_block();
    }

    /// Takes back a child's unused gas and refund; returns whether it succeeded.
    fn absorb_child_gas(&mut self, child: &InterpreterResult) -> bool {
        let result = child.result;
        if result == InstructionResult::FatalExternalError {
            self.halt(InstructionResult::FatalExternalError);
            return false;
        }
        if result.is_ok() {
            self.gas.erase_cost(child.gas.remaining());
            self.gas.record_refund(child.gas.refunded());
            true
        } else {
            if result.is_revert() {
                self.gas.erase_cost(child.gas.remaining());
            }
            false
        }
    }
}
