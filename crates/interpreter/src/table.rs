//! Instruction tables per fork, built EIP by EIP.
//!
//! Each fork's table is its parent's plus functions named after the EIPs the fork applies,
//! as in go-ethereum's jump tables:
//!
//! | fork | = parent + |
//! | --- | --- |
//! | Frontier | the original instruction set |
//! | Homestead | eip7 (DELEGATECALL) |
//! | Tangerine Whistle | eip150 (IO repricing, 63/64 rule) |
//! | Spurious Dragon | eip160 (EXP byte cost), eip161 (new-account rule) |
//! | Byzantium | eip140 (REVERT), eip211 (RETURNDATA*), eip214 (STATICCALL) |
//! | Petersburg | eip145 (shifts), eip1014 (CREATE2), eip1052 (EXTCODEHASH) |
//! | Constantinople | Petersburg + eip1283 (net SSTORE metering, later withdrawn) |
//! | Istanbul | Petersburg + eip1344 (CHAINID), eip1884 (repricing, SELFBALANCE), eip2200 |
//! | Berlin | eip2929 (cold/warm access) |
//! | London | eip3198 (BASEFEE), eip3529 (smaller refunds) |
//! | Paris | eip4399 (PREVRANDAO) |
//! | Shanghai | eip3855 (PUSH0), eip3860 (init code metering) |
//! | Cancun | eip1153 (transient storage), eip4844 (BLOBHASH), eip5656 (MCOPY), eip7516 (BLOBBASEFEE); EIP-6780 lives in the journal |
//! | Prague | no instruction changes (EIP-7702 is in the host and handler) |
//! | Osaka | eip7939 (CLZ) |
//!
//! Every `eipNNNN` method is public, so an experiment can apply one EIP to another fork:
//! `InstructionTable::new(SpecId::CANCUN).eip7939()`.
//!
//! The fork constructors and the `eipNNNN` methods are `const fn`: [`InstructionTable::new`]
//! copies a table the compiler built, rather than building it again for every EVM (which
//! took about 30% of the time of a plain transfer, state building included), and a custom
//! fork's table can be built at compile time the same way.

use crate::{GasParams, Host, Interpreter, SstoreRule, instructions::*};
use core::sync::atomic::{AtomicU64, Ordering};
use lamina_bytecode::{OPCODE_INFO, opcode::*, static_gas_key};
use lamina_primitives::{STACK_LIMIT, SpecId};

/// An instruction: `fn(&mut Interpreter, &mut H)`.
pub type InstructionFn<H> = fn(&mut Interpreter, &mut H);

/// A table entry: the function, the static gas charged before it runs, and the stack heights
/// between which it may run (checked by the loop so the function need not check).
pub struct Instruction<H: ?Sized> {
    /// The implementation.
    pub function: InstructionFn<H>,
    /// Gas charged before the function runs.
    pub static_gas: u64,
    /// Fewest stack words it needs.
    pub min_stack: u16,
    /// Most stack words it tolerates (so its outputs fit in 1024).
    pub max_stack: u16,
}

impl<H: ?Sized> Clone for Instruction<H> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<H: ?Sized> Copy for Instruction<H> {}

impl<H: ?Sized> core::fmt::Debug for Instruction<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Instruction")
            .field("static_gas", &self.static_gas)
            .field("min_stack", &self.min_stack)
            .field("max_stack", &self.max_stack)
            .finish()
    }
}

impl<H: ?Sized> Instruction<H> {
    /// An instruction that pops `inputs` words and leaves `outputs` in their place.
    pub const fn new(function: InstructionFn<H>, static_gas: u64, inputs: u8, outputs: u8) -> Self {
        let growth = if outputs > inputs { (outputs - inputs) as usize } else { 0 };
        Self {
            function,
            static_gas,
            min_stack: inputs as u16,
            max_stack: (STACK_LIMIT - growth) as u16,
        }
    }

    /// The instruction for `opcode` with the stack needs from [`OPCODE_INFO`].
    pub const fn for_opcode(opcode: u8, function: InstructionFn<H>, static_gas: u64) -> Self {
        match OPCODE_INFO[opcode as usize] {
            Some(info) => Self::new(function, static_gas, info.inputs(), info.outputs()),
            None => Self::new(function, static_gas, 0, 0),
        }
    }
}

/// 256 instructions and the gas parameters of one fork.
///
/// A table built from the fork tables, the `eipNNNN` functions and
/// [`InstructionTable::set_static_gas`] runs code block by block: the interpreter checks the
/// static gas and stack needs of each basic block once, from an analysis kept with the code
/// ([`lamina_bytecode::Blocks`]). A table with an instruction replaced or added by
/// [`InstructionTable::insert`] runs with the checks before every instruction instead, since
/// the analysis cannot know what a custom instruction does to control flow or gas.
pub struct InstructionTable<H: ?Sized> {
    /// One entry per opcode byte.
    instructions: [Instruction<H>; 256],
    /// The functions the loop that checks per block runs: the entries' functions (that loop
    /// needs nothing else, and 8-byte entries index without a multiplication), except for
    /// PUSH2, which there also runs a JUMP, JUMPI, MLOAD or MSTORE that follows it.
    functions: [InstructionFn<H>; 256],
    /// Dynamic gas prices and rules.
    pub gas: GasParams,
    /// The fork the table was built for.
    pub spec: SpecId,
    /// Whether every instruction is the fork's own (see the type's documentation).
    standard: bool,
    /// Which instructions that not every fork has the per-block loop runs inline.
    pub(crate) inline: InlineOpcodes,
    /// Fingerprint of the static gas ([`lamina_bytecode::static_gas_key`]); zero until first
    /// asked for, and again after any change.
    block_key: AtomicU64,
}

/// The instructions, of those some forks lack, that the table has: the per-block loop
/// (`Interpreter::run_blocks`) runs them inline only then. It runs only standard tables
/// (every function the fork's own), so the flags are set where the EIPs add the functions.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InlineOpcodes {
    /// SHL, SHR and SAR (EIP-145).
    pub(crate) shifts: bool,
    /// PUSH0 (EIP-3855).
    pub(crate) push0: bool,
}

impl<H: ?Sized> Clone for InstructionTable<H> {
    fn clone(&self) -> Self {
        Self {
            instructions: self.instructions,
            functions: self.functions,
            gas: self.gas,
            spec: self.spec,
            standard: self.standard,
            inline: self.inline,
            block_key: AtomicU64::new(self.block_key.load(Ordering::Relaxed)),
        }
    }
}

impl<H: ?Sized> InstructionTable<H> {
    /// The instruction of each opcode byte.
    #[inline]
    pub fn instructions(&self) -> &[Instruction<H>; 256] {
        &self.instructions
    }

    /// The instruction of `opcode`.
    #[inline]
    pub fn instruction(&self, opcode: u8) -> &Instruction<H> {
        &self.instructions[opcode as usize]
    }

    /// The function of `opcode`.
    #[inline(always)]
    pub fn function(&self, opcode: u8) -> InstructionFn<H> {
        self.functions[opcode as usize]
    }

    /// The static gas of every opcode.
    pub fn static_gas(&self) -> [u64; 256] {
        self.instructions.map(|instruction| instruction.static_gas)
    }

    /// The fingerprint blocks are analysed under, or `None` when the table has custom
    /// instructions and runs without block checks.
    #[inline]
    pub fn block_key(&self) -> Option<u64> {
        if !self.standard {
            return None;
        }
        match self.block_key.load(Ordering::Relaxed) {
            0 => Some(self.compute_block_key()),
            key => Some(key),
        }
    }

    #[cold]
    fn compute_block_key(&self) -> u64 {
        let key = static_gas_key(&self.static_gas());
        self.block_key.store(key, Ordering::Relaxed);
        key
    }

    /// Sets an entry: every change goes through here, so the fingerprint is never stale.
    const fn replace(&mut self, opcode: u8, instruction: Instruction<H>) {
        self.instructions[opcode as usize] = instruction;
        self.functions[opcode as usize] = instruction.function;
        self.block_key = AtomicU64::new(0);
    }
}

impl<H: ?Sized> core::fmt::Debug for InstructionTable<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InstructionTable")
            .field("spec", &self.spec)
            .field("gas", &self.gas)
            .finish()
    }
}

impl<H: Host + ?Sized> InstructionTable<H> {
    /// The table of `spec`.
    pub fn new(spec: SpecId) -> Self {
        use SpecId::*;
        // Each fork's table is built at compile time (per host type); here it is copied.
        let mut table = match spec {
            FRONTIER => const { Self::frontier() },
            HOMESTEAD => const { Self::homestead() },
            TANGERINE => const { Self::tangerine() },
            SPURIOUS_DRAGON => const { Self::spurious_dragon() },
            BYZANTIUM => const { Self::byzantium() },
            CONSTANTINOPLE => const { Self::constantinople() },
            PETERSBURG => const { Self::petersburg() },
            ISTANBUL | MUIR_GLACIER => const { Self::istanbul() },
            BERLIN => const { Self::berlin() },
            LONDON | ARROW_GLACIER | GRAY_GLACIER => const { Self::london() },
            MERGE => const { Self::merge() },
            SHANGHAI => const { Self::shanghai() },
            CANCUN => const { Self::cancun() },
            PRAGUE => const { Self::prague() },
            OSAKA => const { Self::osaka() },
        };
        // The glacier forks only delayed the difficulty bomb: their parents' tables, renamed.
        table.spec = spec;
        table
    }

    const fn with_spec(mut self, spec: SpecId) -> Self {
        self.spec = spec;
        self
    }

    /// Sets the instruction for `opcode` (custom opcodes, or replacing one). The table then
    /// runs code with checks before every instruction (see the type's documentation).
    pub const fn insert(&mut self, opcode: u8, instruction: Instruction<H>) -> &mut Self {
        self.replace(opcode, instruction);
        self.standard = false;
        self
    }

    /// Changes the static gas of `opcode` (block checks stay on: the analysis is redone for
    /// the new costs).
    pub const fn set_static_gas(&mut self, opcode: u8, gas: u64) -> &mut Self {
        let instruction = Instruction { static_gas: gas, ..self.instructions[opcode as usize] };
        self.replace(opcode, instruction);
        if opcode == PUSH2 && self.standard {
            self.fuse_push2();
        }
        self
    }

    const fn set(&mut self, opcode: u8, function: InstructionFn<H>, static_gas: u64) {
        self.replace(opcode, Instruction::for_opcode(opcode, function, static_gas));
    }

    /// Frontier: the original instruction set.
    pub const fn frontier() -> Self {
        let mut t = Self {
            instructions: [Instruction::new(control::unknown, 0, 0, 0); 256],
            functions: [control::unknown; 256],
            gas: GasParams::FRONTIER,
            spec: SpecId::FRONTIER,
            standard: true,
            inline: InlineOpcodes { shifts: false, push0: false },
            block_key: AtomicU64::new(0),
        };
        t.set(STOP, control::stop, 0);
        t.set(ADD, arithmetic::add, 3);
        t.set(MUL, arithmetic::mul, 5);
        t.set(SUB, arithmetic::sub, 3);
        t.set(DIV, arithmetic::div, 5);
        t.set(SDIV, arithmetic::sdiv, 5);
        t.set(MOD, arithmetic::rem, 5);
        t.set(SMOD, arithmetic::smod, 5);
        t.set(ADDMOD, arithmetic::addmod, 8);
        t.set(MULMOD, arithmetic::mulmod, 8);
        t.set(EXP, arithmetic::exp, 10);
        t.set(SIGNEXTEND, arithmetic::signextend, 5);
        t.set(LT, bitwise::lt, 3);
        t.set(GT, bitwise::gt, 3);
        t.set(SLT, bitwise::slt, 3);
        t.set(SGT, bitwise::sgt, 3);
        t.set(EQ, bitwise::eq, 3);
        t.set(ISZERO, bitwise::iszero, 3);
        t.set(AND, bitwise::bitand, 3);
        t.set(OR, bitwise::bitor, 3);
        t.set(XOR, bitwise::bitxor, 3);
        t.set(NOT, bitwise::not, 3);
        t.set(BYTE, bitwise::byte, 3);
        t.set(KECCAK256, system::keccak256_op, 30);
        t.set(ADDRESS, system::address, 2);
        t.set(BALANCE, state::balance, 20);
        t.set(ORIGIN, block::origin, 2);
        t.set(CALLER, system::caller, 2);
        t.set(CALLVALUE, system::callvalue, 2);
        t.set(CALLDATALOAD, system::calldataload, 3);
        t.set(CALLDATASIZE, system::calldatasize, 2);
        t.set(CALLDATACOPY, system::calldatacopy, 3);
        t.set(CODESIZE, system::codesize, 2);
        t.set(CODECOPY, system::codecopy, 3);
        t.set(GASPRICE, block::gasprice, 2);
        t.set(EXTCODESIZE, state::extcodesize, 20);
        t.set(EXTCODECOPY, state::extcodecopy, 20);
        t.set(BLOCKHASH, block::blockhash, 20);
        t.set(COINBASE, block::coinbase, 2);
        t.set(TIMESTAMP, block::timestamp, 2);
        t.set(NUMBER, block::number, 2);
        t.set(DIFFICULTY, block::difficulty, 2);
        t.set(GASLIMIT, block::gaslimit, 2);
        t.set(POP, stack::pop, 2);
        t.set(MLOAD, memory::mload, 3);
        t.set(MSTORE, memory::mstore, 3);
        t.set(MSTORE8, memory::mstore8, 3);
        t.set(SLOAD, state::sload, 50);
        t.set(SSTORE, state::sstore, 0);
        t.set(JUMP, control::jump, 8);
        t.set(JUMPI, control::jumpi, 10);
        t.set(PC, control::pc, 2);
        t.set(MSIZE, memory::msize, 2);
        t.set(GAS, system::gas, 2);
        t.set(JUMPDEST, control::jumpdest, 1);
        t.set_pushes();
        t.set_dups_and_swaps();
        t.set(LOG0, state::log::<0, H>, 375);
        t.set(LOG1, state::log::<1, H>, 2 * 375);
        t.set(LOG2, state::log::<2, H>, 3 * 375);
        t.set(LOG3, state::log::<3, H>, 4 * 375);
        t.set(LOG4, state::log::<4, H>, 5 * 375);
        t.set(CREATE, contract::create, 32000);
        t.set(CALL, contract::call, 40);
        t.set(CALLCODE, contract::call_code, 40);
        t.set(RETURN, control::ret, 0);
        t.set(INVALID, control::invalid, 0);
        t.set(SELFDESTRUCT, state::selfdestruct, 0);
        t
    }

    const fn set_pushes(&mut self) {
        macro_rules! pushes {
            ($($n:literal),*) => { $( self.set(PUSH1 + $n - 1, stack::push::<$n, H>, 3); )* };
        }
        pushes!(
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            25, 26, 27, 28, 29, 30, 31, 32
        );
        self.fuse_push2();
    }

    /// Code checked per block runs PUSH2 fused with a JUMP, JUMPI, MLOAD or MSTORE after it (see
    /// `stack::push2_fused`). Tables with custom instructions never run per block, so
    /// `insert` needs not undo this.
    const fn fuse_push2(&mut self) {
        self.functions[PUSH2 as usize] = stack::push2_fused::<H>;
    }

    const fn set_dups_and_swaps(&mut self) {
        macro_rules! dups_and_swaps {
            ($($n:literal),*) => { $(
                self.set(DUP1 + $n - 1, stack::dup::<$n, H>, 3);
                self.set(SWAP1 + $n - 1, stack::swap::<$n, H>, 3);
            )* };
        }
        dups_and_swaps!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    }

    /// Homestead = Frontier + EIP-7.
    pub const fn homestead() -> Self {
        Self::frontier().eip7().with_spec(SpecId::HOMESTEAD)
    }

    /// Tangerine Whistle = Homestead + EIP-150.
    pub const fn tangerine() -> Self {
        Self::homestead().eip150().with_spec(SpecId::TANGERINE)
    }

    /// Spurious Dragon = Tangerine Whistle + EIP-160 + EIP-161 (EIP-155 and EIP-170 are in
    /// the handler).
    pub const fn spurious_dragon() -> Self {
        Self::tangerine().eip160().eip161().with_spec(SpecId::SPURIOUS_DRAGON)
    }

    /// Byzantium = Spurious Dragon + EIP-140 + EIP-211 + EIP-214.
    pub const fn byzantium() -> Self {
        Self::spurious_dragon().eip140().eip211().eip214().with_spec(SpecId::BYZANTIUM)
    }

    /// Petersburg = Byzantium + EIP-145 + EIP-1014 + EIP-1052 (Constantinople without
    /// EIP-1283).
    pub const fn petersburg() -> Self {
        Self::byzantium().eip145().eip1014().eip1052().with_spec(SpecId::PETERSBURG)
    }

    /// Constantinople = Petersburg + EIP-1283.
    pub const fn constantinople() -> Self {
        Self::petersburg().eip1283().with_spec(SpecId::CONSTANTINOPLE)
    }

    /// Istanbul = Petersburg + EIP-1344 + EIP-1884 + EIP-2200.
    pub const fn istanbul() -> Self {
        Self::petersburg().eip1344().eip1884().eip2200().with_spec(SpecId::ISTANBUL)
    }

    /// Berlin = Istanbul + EIP-2929.
    pub const fn berlin() -> Self {
        Self::istanbul().eip2929().with_spec(SpecId::BERLIN)
    }

    /// London = Berlin + EIP-3198 + EIP-3529.
    pub const fn london() -> Self {
        Self::berlin().eip3198().eip3529().with_spec(SpecId::LONDON)
    }

    /// Paris = London + EIP-4399.
    pub const fn merge() -> Self {
        Self::london().eip4399().with_spec(SpecId::MERGE)
    }

    /// Shanghai = Paris + EIP-3855 + EIP-3860.
    pub const fn shanghai() -> Self {
        Self::merge().eip3855().eip3860().with_spec(SpecId::SHANGHAI)
    }

    /// Cancun = Shanghai + EIP-1153 + EIP-4844 + EIP-5656 + EIP-7516.
    pub const fn cancun() -> Self {
        Self::shanghai().eip1153().eip4844().eip5656().eip7516().with_spec(SpecId::CANCUN)
    }

    /// Prague = Cancun (its EIPs change transactions, precompiles and the host, not opcodes).
    pub const fn prague() -> Self {
        Self::cancun().with_spec(SpecId::PRAGUE)
    }

    /// Osaka = Prague + EIP-7939.
    pub const fn osaka() -> Self {
        Self::prague().eip7939().with_spec(SpecId::OSAKA)
    }

    /// EIP-7: DELEGATECALL.
    pub const fn eip7(mut self) -> Self {
        self.set(DELEGATECALL, contract::delegate_call, 40);
        self
    }

    /// EIP-150: repricing of IO-heavy opcodes; calls get at most 63/64 of the gas left;
    /// SELFDESTRUCT pays for creating its beneficiary.
    pub const fn eip150(mut self) -> Self {
        let repriced = [
            (BALANCE, 400),
            (EXTCODESIZE, 700),
            (EXTCODECOPY, 700),
            (SLOAD, 200),
            (CALL, 700),
            (CALLCODE, 700),
            (DELEGATECALL, 700),
            (SELFDESTRUCT, 5000),
        ];
        let mut i = 0;
        while i < repriced.len() {
            self.set_static_gas(repriced[i].0, repriced[i].1);
            i += 1;
        }
        self.gas.call_all_but_one_64th = true;
        self.gas.selfdestruct_charges_new_account = true;
        self
    }

    /// EIP-160: EXP costs 50 per exponent byte.
    pub const fn eip160(mut self) -> Self {
        self.gas.exp_byte = 50;
        self
    }

    /// EIP-161: new-account gas only when value goes to an empty account.
    pub const fn eip161(mut self) -> Self {
        self.gas.new_account_only_with_value = true;
        self
    }

    /// EIP-140: REVERT.
    pub const fn eip140(mut self) -> Self {
        self.set(REVERT, control::revert, 0);
        self
    }

    /// EIP-211: RETURNDATASIZE and RETURNDATACOPY.
    pub const fn eip211(mut self) -> Self {
        self.set(RETURNDATASIZE, system::returndatasize, 2);
        self.set(RETURNDATACOPY, system::returndatacopy, 3);
        self
    }

    /// EIP-214: STATICCALL.
    pub const fn eip214(mut self) -> Self {
        self.set(STATICCALL, contract::static_call, 700);
        self
    }

    /// EIP-145: SHL, SHR, SAR.
    pub const fn eip145(mut self) -> Self {
        self.set(SHL, bitwise::shl, 3);
        self.set(SHR, bitwise::shr, 3);
        self.set(SAR, bitwise::sar, 3);
        self.inline.shifts = true;
        self
    }

    /// EIP-1014: CREATE2.
    pub const fn eip1014(mut self) -> Self {
        self.set(CREATE2, contract::create2, 32000);
        self
    }

    /// EIP-1052: EXTCODEHASH.
    pub const fn eip1052(mut self) -> Self {
        self.set(EXTCODEHASH, state::extcodehash, 400);
        self
    }

    /// EIP-1283: net gas metering for SSTORE (Constantinople only).
    pub const fn eip1283(mut self) -> Self {
        self.gas.sstore_rule = SstoreRule::NetMetering;
        self.gas.sstore_noop = 200;
        self
    }

    /// EIP-1344: CHAINID.
    pub const fn eip1344(mut self) -> Self {
        self.set(CHAINID, block::chainid, 2);
        self
    }

    /// EIP-1884: repricing of trie-size-dependent opcodes; SELFBALANCE.
    pub const fn eip1884(mut self) -> Self {
        self.set_static_gas(BALANCE, 700);
        self.set_static_gas(EXTCODEHASH, 700);
        self.set_static_gas(SLOAD, 800);
        self.set(SELFBALANCE, state::selfbalance, 5);
        self
    }

    /// EIP-2200: net gas metering with the stipend sentry, SLOAD at 800.
    pub const fn eip2200(mut self) -> Self {
        self.gas.sstore_rule = SstoreRule::NetMetering;
        self.gas.sstore_sentry = true;
        self.gas.sstore_noop = 800;
        self
    }

    /// EIP-2929: cold and warm state access. Static gas becomes the warm cost; the cold
    /// surcharge is dynamic.
    pub const fn eip2929(mut self) -> Self {
        self.gas.cold_account_access = 2600;
        self.gas.cold_sload = 2100;
        self.gas.warm_access = 100;
        self.gas.sstore_noop = 100;
        self.gas.sstore_reset = 5000 - 2100;
        let warm = [
            SLOAD,
            BALANCE,
            EXTCODESIZE,
            EXTCODECOPY,
            EXTCODEHASH,
            CALL,
            CALLCODE,
            DELEGATECALL,
            STATICCALL,
        ];
        let mut i = 0;
        while i < warm.len() {
            self.set_static_gas(warm[i], 100);
            i += 1;
        }
        self
    }

    /// EIP-3198: BASEFEE.
    pub const fn eip3198(mut self) -> Self {
        self.set(BASEFEE, block::basefee, 2);
        self
    }

    /// EIP-3529: no SELFDESTRUCT refund; smaller SSTORE clearing refund.
    pub const fn eip3529(mut self) -> Self {
        self.gas.selfdestruct_refund = 0;
        self.gas.sstore_clears_refund = 4800;
        self
    }

    /// EIP-4399: DIFFICULTY becomes PREVRANDAO.
    pub const fn eip4399(mut self) -> Self {
        self.set(DIFFICULTY, block::prevrandao, 2);
        self
    }

    /// EIP-3855: PUSH0.
    pub const fn eip3855(mut self) -> Self {
        self.set(PUSH0, stack::push0, 2);
        self.inline.push0 = true;
        self
    }

    /// EIP-3860: init code size limit and 2 gas per init code word.
    pub const fn eip3860(mut self) -> Self {
        self.gas.initcode_word = 2;
        self.gas.limit_initcode_size = true;
        self
    }

    /// EIP-1153: TLOAD and TSTORE.
    pub const fn eip1153(mut self) -> Self {
        self.set(TLOAD, state::tload, 100);
        self.set(TSTORE, state::tstore, 100);
        self
    }

    /// EIP-4844: BLOBHASH.
    pub const fn eip4844(mut self) -> Self {
        self.set(BLOBHASH, block::blob_hash, 3);
        self
    }

    /// EIP-5656: MCOPY.
    pub const fn eip5656(mut self) -> Self {
        self.set(MCOPY, memory::mcopy, 3);
        self
    }

    /// EIP-7516: BLOBBASEFEE.
    pub const fn eip7516(mut self) -> Self {
        self.set(BLOBBASEFEE, block::blob_basefee, 2);
        self
    }

    /// EIP-7939: CLZ.
    pub const fn eip7939(mut self) -> Self {
        self.set(CLZ, bitwise::clz, 5);
        self
    }
}
