//! The EVM: a context, precompiles, hooks and the fork's instruction table, and the
//! `transact` API.

use crate::{
    DbErrorOf, EthPrecompiles, FrameHooks, FrameLoop, FrameResult, FrameStack, Handler,
    MainnetHandler, PrecompileProvider,
};
use alloc::vec::Vec;
use lamina_context::{Context, Journal};
use lamina_context_interface::{
    Block, Cfg, ContextTr, EVMError, ExecutionResult, JournalTr, ResultAndState, Transaction,
};
use lamina_database_interface::{Database, DatabaseCommit};
use lamina_interpreter::{
    CallInputs, CallScheme, CallValue, FrameInput, Host, InstructionTable, SharedMemory, Stack,
};
use lamina_primitives::{Address, Bytes, SYSTEM_ADDRESS};
use lamina_state::EvmState;

/// What a [`Handler`] needs of an EVM.
pub trait EvmTr {
    /// The context (also the interpreter's host).
    type Context: ContextTr + Host;
    /// The precompiles.
    type Precompiles: PrecompileProvider<Self::Context>;

    /// The context.
    fn ctx(&mut self) -> &mut Self::Context;
    /// The context, shared.
    fn ctx_ref(&self) -> &Self::Context;
    /// The precompiles.
    fn precompiles(&mut self) -> &mut Self::Precompiles;
    /// Marks every precompile address warm for the transaction (EIP-2929).
    fn warm_precompiles(&mut self) {
        // Owned: the journal is borrowed through `self` too.
        let addresses = self.precompiles().warm_addresses().into_owned();
        self.ctx().journal().warm_precompiles(&addresses);
    }
    /// Runs a frame and everything it spawns.
    fn run_frames(
        &mut self,
        input: FrameInput,
    ) -> Result<FrameResult, EVMError<DbErrorOf<Self::Context>>>;
}

/// An EVM: context, hooks (an inspector, or `()`), precompiles, and the reusable parts of
/// execution (instruction table of the fork, shared memory, spare stacks).
pub struct Evm<CTX: ContextTr + Host, HOOKS = (), P = EthPrecompiles> {
    /// The context.
    pub ctx: CTX,
    /// Frame-loop hooks.
    pub hooks: HOOKS,
    /// The precompiles.
    pub precompiles: P,
    /// The instruction table (rebuilt when the context's fork changes).
    pub instructions: InstructionTable<CTX>,
    memory: SharedMemory,
    stacks: Vec<Stack>,
    frames: FrameStack,
}

impl<CTX: ContextTr + Host + core::fmt::Debug, HOOKS, P> core::fmt::Debug for Evm<CTX, HOOKS, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Evm").field("ctx", &self.ctx).finish_non_exhaustive()
    }
}

impl<CTX: ContextTr + Host> Evm<CTX> {
    /// An EVM over `ctx` with mainnet precompiles and no hooks.
    pub fn new(ctx: CTX) -> Self {
        let spec = ctx.cfg().spec();
        Self {
            instructions: InstructionTable::new(spec),
            precompiles: EthPrecompiles::new(spec),
            hooks: (),
            ctx,
            memory: SharedMemory::new(),
            stacks: Vec::new(),
            frames: FrameStack::default(),
        }
    }
}

impl<CTX: ContextTr + Host, HOOKS, P> Evm<CTX, HOOKS, P> {
    /// With other precompiles.
    pub fn with_precompiles<P2>(self, precompiles: P2) -> Evm<CTX, HOOKS, P2> {
        Evm {
            ctx: self.ctx,
            hooks: self.hooks,
            precompiles,
            instructions: self.instructions,
            memory: self.memory,
            stacks: self.stacks,
            frames: self.frames,
        }
    }

    /// With frame-loop hooks (an inspector).
    pub fn with_hooks<H2>(self, hooks: H2) -> Evm<CTX, H2, P> {
        Evm {
            ctx: self.ctx,
            hooks,
            precompiles: self.precompiles,
            instructions: self.instructions,
            memory: self.memory,
            stacks: self.stacks,
            frames: self.frames,
        }
    }

    /// With another instruction table (custom opcodes). It is replaced if the context's fork
    /// changes to one the table was not built for.
    pub fn with_instructions(mut self, instructions: InstructionTable<CTX>) -> Self {
        self.instructions = instructions;
        self
    }
}

impl<CTX, HOOKS, P> EvmTr for Evm<CTX, HOOKS, P>
where
    CTX: ContextTr + Host,
    HOOKS: FrameHooks<CTX>,
    P: PrecompileProvider<CTX>,
{
    type Context = CTX;
    type Precompiles = P;

    fn ctx(&mut self) -> &mut CTX {
        &mut self.ctx
    }

    fn ctx_ref(&self) -> &CTX {
        &self.ctx
    }

    fn precompiles(&mut self) -> &mut P {
        &mut self.precompiles
    }

    fn warm_precompiles(&mut self) {
        self.ctx.journal().warm_precompiles(&self.precompiles.warm_addresses());
    }

    fn run_frames(&mut self, input: FrameInput) -> Result<FrameResult, EVMError<DbErrorOf<CTX>>> {
        let spec = self.ctx.cfg().spec();
        if self.instructions.spec != spec {
            self.instructions = InstructionTable::new(spec);
        }
        FrameLoop {
            context: &mut self.ctx,
            precompiles: &mut self.precompiles,
            table: &self.instructions,
            hooks: &mut self.hooks,
            memory: &mut self.memory,
            stacks: &mut self.stacks,
            frames: &mut self.frames,
        }
        .run(input)
    }
}

/// Running transactions.
pub trait ExecuteEvm {
    /// The transaction type.
    type Tx;
    /// The error type.
    type Error;
    /// Runs `tx` without committing; returns the result and the changed state.
    fn transact(&mut self, tx: Self::Tx) -> Result<ResultAndState, Self::Error>;
    /// Runs the transaction already in the context.
    fn replay(&mut self) -> Result<ResultAndState, Self::Error>;
}

/// Running transactions and committing them to the database.
pub trait ExecuteCommitEvm: ExecuteEvm {
    /// Writes `state` to the database.
    fn commit(&mut self, state: EvmState);
    /// Runs `tx` and commits its changes.
    fn transact_commit(&mut self, tx: Self::Tx) -> Result<ExecutionResult, Self::Error> {
        let ResultAndState { result, state } = self.transact(tx)?;
        self.commit(state);
        Ok(result)
    }
}

impl<CTX, HOOKS, P> ExecuteEvm for Evm<CTX, HOOKS, P>
where
    CTX: ContextTr + Host,
    HOOKS: FrameHooks<CTX>,
    P: PrecompileProvider<CTX>,
{
    type Tx = CTX::Tx;
    type Error = EVMError<DbErrorOf<CTX>>;

    fn transact(&mut self, tx: CTX::Tx) -> Result<ResultAndState, Self::Error> {
        self.ctx.set_tx(tx);
        self.replay()
    }

    fn replay(&mut self) -> Result<ResultAndState, Self::Error> {
        let spec = self.ctx.cfg().spec();
        self.ctx.journal().set_spec(spec);
        MainnetHandler::<Self>::default().run(self)
    }
}

impl<CTX, HOOKS, P> ExecuteCommitEvm for Evm<CTX, HOOKS, P>
where
    CTX: ContextTr + Host,
    CTX::Db: DatabaseCommit,
    HOOKS: FrameHooks<CTX>,
    P: PrecompileProvider<CTX>,
{
    /// The map goes back to the journal, emptied, for the next transaction: allocating and
    /// freeing one per transaction cost about 250 of the 4,800 machine instructions that
    /// committing a plain transfer took (callgrind).
    fn commit(&mut self, mut state: EvmState) {
        self.ctx.db().commit_drain(&mut state);
        self.ctx.journal().reuse_state(state);
    }
}

impl<CTX, HOOKS, P> Evm<CTX, HOOKS, P>
where
    CTX: ContextTr + Host,
    HOOKS: FrameHooks<CTX>,
    P: PrecompileProvider<CTX>,
{
    /// A system call (EIP-4788 beacon roots, EIP-2935 block hashes): calls `contract` from
    /// the system address with 30,000,000 gas, no fee and no value, without validation.
    /// Returns the result and the changed state (commit it to keep it).
    pub fn system_call(
        &mut self,
        contract: Address,
        data: Bytes,
    ) -> Result<ResultAndState, EVMError<DbErrorOf<CTX>>> {
        const SYSTEM_CALL_GAS: u64 = 30_000_000;
        let spec = self.ctx.cfg().spec();
        self.ctx.journal().set_spec(spec);
        let input = FrameInput::Call(CallInputs {
            input: data.into(),
            return_memory_offset: 0..0,
            gas_limit: SYSTEM_CALL_GAS,
            bytecode_address: contract,
            target_address: contract,
            caller: SYSTEM_ADDRESS,
            // Apparent: the system address is neither charged nor touched.
            value: CallValue::Apparent(lamina_primitives::U256::ZERO),
            scheme: CallScheme::Call,
            is_static: false,
        });
        let frame = match self.run_frames(input) {
            Ok(frame) => frame,
            Err(error) => {
                self.ctx.journal().discard_tx();
                return Err(error);
            }
        };
        let result = frame.interpreter_result();
        let gas_used = SYSTEM_CALL_GAS - result.gas.remaining();
        let (state, logs) = self.ctx.journal().finalize();
        let result = if result.result.is_ok() {
            ExecutionResult::Success {
                reason: lamina_context_interface::SuccessReason::Return,
                gas_used,
                gas_refunded: 0,
                logs,
                output: lamina_context_interface::Output::Call(result.output.clone()),
            }
        } else if result.result.is_revert() {
            ExecutionResult::Revert { gas_used, output: result.output.clone() }
        } else {
            ExecutionResult::Halt { reason: crate::halt_reason(result.result), gas_used }
        };
        Ok(ResultAndState { result, state })
    }
}

/// Builds the mainnet EVM from a context: `Context::mainnet().with_db(db).build_mainnet()`.
pub trait MainBuilder: Sized {
    /// The context type.
    type Context: ContextTr + Host;
    /// The EVM with mainnet precompiles and no hooks.
    fn build_mainnet(self) -> Evm<Self::Context>;
}

impl<BLOCK, TX, CFG, DB, CHAIN> MainBuilder for Context<BLOCK, TX, CFG, DB, Journal<DB>, CHAIN>
where
    BLOCK: Block,
    TX: Transaction,
    CFG: Cfg,
    DB: Database,
{
    type Context = Self;
    fn build_mainnet(self) -> Evm<Self> {
        Evm::new(self)
    }
}
