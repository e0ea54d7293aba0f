//! Frames and the frame loop.
//!
//! The loop keeps an explicit stack of frames: the top frame's interpreter runs until it
//! returns or asks for a call or create; a request pushes a new frame (or is answered at once,
//! by a precompile or an early failure); a return pops the frame and hands its outcome to the
//! parent. Nothing recurses, so a 1024-deep call chain needs no deep native stack.

use crate::{DbErrorOf, PrecompileProvider};
use alloc::vec::Vec;
use core::{mem, ops::Range};
use lamina_bytecode::Bytecode;
use lamina_context_interface::{
    Cfg, ContextError, ContextTr, EVMError, JournalCheckpoint, JournalTr, TransferError,
};
use lamina_interpreter::{
    CallOutcome, CallValue, CreateOutcome, FrameContext, FrameInput, Gas, Host, InstructionResult,
    InstructionTable, Interpreter, InterpreterResult, SharedMemory, Stack,
};
use lamina_primitives::{Address, Bytes, CALL_STACK_LIMIT, SpecId};

/// How a frame ended, as its parent (or the handler) sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameResult {
    /// A call's outcome.
    Call(CallOutcome),
    /// A create's outcome.
    Create(CreateOutcome),
}

impl FrameResult {
    /// The interpreter result inside.
    pub fn interpreter_result(&self) -> &InterpreterResult {
        match self {
            Self::Call(outcome) => &outcome.result,
            Self::Create(outcome) => &outcome.result,
        }
    }

    /// The interpreter result inside, mutable.
    pub fn interpreter_result_mut(&mut self) -> &mut InterpreterResult {
        match self {
            Self::Call(outcome) => &mut outcome.result,
            Self::Create(outcome) => &mut outcome.result,
        }
    }
}

/// Hooks into the frame loop. The default runs each interpreter with its plain loop and
/// observes nothing, so `()` costs nothing; an inspector overrides them.
pub trait FrameHooks<CTX: ContextTr + Host> {
    /// Runs `interpreter` until it stops, and leaves what it stopped for in it (as
    /// [`Interpreter::execute`] does): the loop reads the frame it asks for in place.
    #[inline(always)]
    fn run_interpreter(
        &mut self,
        interpreter: &mut Interpreter,
        table: &InstructionTable<CTX>,
        context: &mut CTX,
    ) {
        interpreter.execute(table, context)
    }
    /// A frame is requested; the input may be changed, and returning a result skips the frame.
    /// `memory` holds the call data a CALL lends from its caller's memory
    /// ([`lamina_interpreter::CallInput::bytes`]).
    #[inline(always)]
    fn frame_start(
        &mut self,
        _context: &mut CTX,
        _input: &mut FrameInput,
        _memory: &SharedMemory,
    ) -> Option<FrameResult> {
        None
    }
    /// A frame ended; the result may be changed.
    #[inline(always)]
    fn frame_end(&mut self, _context: &mut CTX, _input: &FrameInput, _result: &mut FrameResult) {}
}

impl<CTX: ContextTr + Host> FrameHooks<CTX> for () {}

enum FrameKind {
    Call { return_memory_offset: Range<usize> },
    Create { address: Address },
}

/// A frame. Its input is not here: it is the request its parent's interpreter made, read in
/// place there ([`FrameStack::frame_and_input`]).
struct Frame {
    interpreter: Interpreter,
    checkpoint: JournalCheckpoint,
    kind: FrameKind,
}

/// The frame stack's storage, kept by the EVM between transactions so that running one
/// allocates none (a frame is large, and a deep call chain holds many).
///
/// Frames are kept after they end and reset in place for the next frame at their depth: a
/// frame is large, and building one and moving it onto the stack (and off again) costs
/// copies per call. `frames[..depth]` are live; the rest wait to be reused.
#[derive(Default)]
pub struct FrameStack {
    frames: Vec<Frame>,
    depth: usize,
    /// The result of an outermost frame that [`FrameLoop::start`] answered at once (a
    /// precompile, an early failure), for the loop to return. A nested one resumes its
    /// parent at once.
    answered: Option<FrameResult>,
    /// The outermost frame's input (a nested frame's is its parent's request).
    outermost_input: Option<FrameInput>,
}

impl core::fmt::Debug for FrameStack {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FrameStack")
            .field("depth", &self.depth)
            .field("kept", &self.frames.len())
            .finish()
    }
}

impl FrameStack {
    /// The running frame.
    #[inline]
    fn top(&mut self) -> &mut Frame {
        &mut self.frames[self.depth - 1]
    }

    /// The result [`FrameLoop::start`] left when it answered a frame at once.
    fn take_answered(&mut self) -> FrameResult {
        self.answered.take().expect("start answered the frame")
    }

    /// The frame at `depth`, kept or just built, and its input: the request of the frame
    /// below, in place in its interpreter, or the outermost input. `None` if the frame below
    /// is not paused for a frame (a custom instruction that requested something else).
    #[inline]
    fn frame_and_input(&mut self, depth: usize) -> Option<(&mut Frame, &mut FrameInput)> {
        let (below, from) = self.frames.split_at_mut(depth);
        let frame = from.first_mut()?;
        let input = match below.last_mut() {
            Some(parent) => parent.interpreter.requested_frame()?,
            None => self.outermost_input.as_mut()?,
        };
        Some((frame, input))
    }
}

/// The frame loop's answer to an interpreter that paused without a frame to run.
fn no_request<E>() -> EVMError<E> {
    EVMError::Custom("the interpreter paused without asking for a call or create".into())
}

/// What starting a frame did. A new frame is built straight on the frame stack: a frame is
/// large, and moving it through return values costs a copy per step.
enum Started {
    Pushed,
    Done(FrameResult, SharedMemory),
}

/// What the frame loop works with, borrowed from the EVM.
pub struct FrameLoop<'a, CTX: ContextTr + Host, P, H> {
    /// The context.
    pub context: &'a mut CTX,
    /// Precompiles.
    pub precompiles: &'a mut P,
    /// The fork's instructions.
    pub table: &'a InstructionTable<CTX>,
    /// Hooks.
    pub hooks: &'a mut H,
    /// The shared memory buffer, reused across transactions.
    pub memory: &'a mut SharedMemory,
    /// Spare stacks.
    pub stacks: &'a mut Vec<Stack>,
    /// The frame stack's storage.
    pub frames: &'a mut FrameStack,
}

/// The code of an account whose code is not loaded (none to run).
static NO_CODE: Bytecode = Bytecode::new();

fn result_with_gas(result: InstructionResult, gas_limit: u64) -> InterpreterResult {
    let gas = if result.is_error() { Gas::new_spent(gas_limit) } else { Gas::new(gas_limit) };
    InterpreterResult::new(result, Bytes::new(), gas)
}

impl<CTX, P, H> FrameLoop<'_, CTX, P, H>
where
    CTX: ContextTr + Host,
    P: PrecompileProvider<CTX>,
    H: FrameHooks<CTX>,
{
    /// Runs `input` and every frame it spawns to completion.
    pub fn run(&mut self, input: FrameInput) -> Result<FrameResult, EVMError<DbErrorOf<CTX>>> {
        let mut frames = mem::take(self.frames);
        frames.outermost_input = Some(input);
        let result = self.run_on(&mut frames);
        // Zero unless an error ended the run; the frames stay for the next one.
        frames.depth = 0;
        frames.outermost_input = None;
        *self.frames = frames;
        result
    }

    fn run_on(&mut self, frames: &mut FrameStack) -> Result<FrameResult, EVMError<DbErrorOf<CTX>>> {
        let mut memory = mem::take(self.memory);
        memory.clear();
        if !self.start(frames, memory)? {
            return Ok(frames.take_answered());
        }
        loop {
            let interpreter = &mut frames.top().interpreter;
            self.hooks.run_interpreter(interpreter, self.table, self.context);
            self.take_error()?;
            if interpreter.control() == InstructionResult::CallOrCreate {
                // Pushed, the child runs next; answered, the parent resumed with it.
                let memory = mem::take(&mut interpreter.memory);
                self.start(frames, memory)?;
            } else {
                let result = interpreter.take_result();
                if let Some(result) = self.finish(frames, result)? {
                    return Ok(result);
                }
            }
        }
    }

    fn take_error(&mut self) -> Result<(), EVMError<DbErrorOf<CTX>>> {
        match mem::replace(self.context.error(), Ok(())) {
            Ok(()) => Ok(()),
            Err(ContextError::Db(error)) => Err(EVMError::Database(error)),
            Err(ContextError::Custom(message)) => Err(EVMError::Custom(message)),
        }
    }

    /// Starts the frame the running one asked for (or the outermost input) on `frames`:
    /// pushes it there (`true`), or answers it at once (`false`) and hands the result and
    /// `memory` back ([`Self::hand_back`]); the outermost frame's result waits in `frames`
    /// ([`FrameStack::take_answered`]).
    ///
    /// A flag, not the result: returned through memory, a `Started` was written as a
    /// one-byte tag inside its payload and read back with 16-byte loads, which waited on
    /// that store (13% of the frame loop's own samples in subcall_1000_same_account, by
    /// perf), and on the common path (pushed) nothing else was in it.
    fn start(
        &mut self,
        frames: &mut FrameStack,
        memory: SharedMemory,
    ) -> Result<bool, EVMError<DbErrorOf<CTX>>> {
        match self.start_in(frames, memory)? {
            Started::Pushed => {
                frames.depth += 1;
                Ok(true)
            }
            Started::Done(result, memory) => {
                frames.answered = self.hand_back(frames, result, memory);
                Ok(false)
            }
        }
    }

    /// [`Self::start`]'s work.
    #[inline(always)]
    fn start_in(
        &mut self,
        frames: &mut FrameStack,
        memory: SharedMemory,
    ) -> Result<Started, EVMError<DbErrorOf<CTX>>> {
        // The new frame is a kept one, or one built now; its input stays where it was
        // written: a `FrameInput` is large, and each move copies it.
        let depth = frames.depth;
        if frames.frames.len() == depth {
            let stack = self.stacks.pop().unwrap_or_default();
            let interpreter = Interpreter::new(
                &Bytecode::new(),
                FrameContext::default(),
                0,
                self.table.gas,
                SharedMemory::default(),
                stack,
            );
            let kind = FrameKind::Call { return_memory_offset: 0..0 };
            let checkpoint = JournalCheckpoint::default();
            frames.frames.push(Frame { interpreter, checkpoint, kind });
        }
        let (frame, input) = frames.frame_and_input(depth).ok_or_else(no_request)?;
        if let Some(result) = self.hooks.frame_start(self.context, input, &memory) {
            return Ok(Started::Done(result, memory));
        }
        match input {
            FrameInput::Call(_) => self.start_call(frame, input, depth, memory),
            FrameInput::Create(_) => self.start_create(frame, input, depth, memory),
        }
    }

    /// A frame that ended before running: the hooks see its end.
    fn done(
        &mut self,
        input: &FrameInput,
        mut result: FrameResult,
        memory: SharedMemory,
    ) -> Result<Started, EVMError<DbErrorOf<CTX>>> {
        self.hooks.frame_end(self.context, input, &mut result);
        Ok(Started::Done(result, memory))
    }

    /// Starts the call `input` in `frame`, at `depth`.
    fn start_call(
        &mut self,
        frame: &mut Frame,
        input: &mut FrameInput,
        depth: usize,
        memory: SharedMemory,
    ) -> Result<Started, EVMError<DbErrorOf<CTX>>> {
        let FrameInput::Call(inputs) = input else { unreachable!("start calls only a call") };
        let done = |this: &mut Self, input: &FrameInput, result, memory, offset: Range<usize>| {
            let result = FrameResult::Call(CallOutcome { result, memory_offset: offset });
            this.done(input, result, memory)
        };
        let offset = inputs.return_memory_offset.clone();
        if depth > CALL_STACK_LIMIT {
            let result = result_with_gas(InstructionResult::CallTooDeep, inputs.gas_limit);
            return done(self, input, result, memory, offset);
        }
        // A zero-value transfer only touches the payee. When the payee is the account whose
        // code runs, and not a precompile, loading the code touches it too: one look-up of
        // the address instead of two (each about 100 machine instructions of the 2,200 that
        // a call to a contract that stops costs).
        let touch_with_code = matches!(inputs.value, CallValue::Transfer(value) if value.is_zero())
            && inputs.target_address == inputs.bytecode_address
            && !self.precompiles.contains(&inputs.bytecode_address);
        let journal = self.context.journal();
        let checkpoint = journal.checkpoint();
        if let CallValue::Transfer(value) = inputs.value
            && !touch_with_code
        {
            let transfer = journal
                .transfer(inputs.caller, inputs.target_address, value)
                .map_err(EVMError::Database)?;
            if transfer.is_some() {
                journal.checkpoint_revert(checkpoint);
                let result = result_with_gas(InstructionResult::OutOfFunds, inputs.gas_limit);
                return done(self, input, result, memory, offset);
            }
        }
        let call_data = inputs.input.bytes(&memory);
        let precompile = if touch_with_code {
            None
        } else {
            self.precompiles.run(self.context, inputs, call_data)?
        };
        if let Some(result) = precompile {
            let journal = self.context.journal();
            if result.result.is_ok() {
                journal.checkpoint_commit();
            } else {
                journal.checkpoint_revert(checkpoint);
            }
            return done(self, input, result, memory, offset);
        }
        // The frame takes the code only if it is not the code it ran last
        // (`Interpreter::set_code`); the code stays in the journal meanwhile.
        let interpreter = &mut frame.interpreter;
        let has_code = self.load_code(inputs.bytecode_address, touch_with_code, |code| {
            let has_code = !code.is_empty();
            if has_code {
                interpreter.set_code(code);
            }
            has_code
        })?;
        if !has_code {
            self.context.journal().checkpoint_commit();
            let result = result_with_gas(InstructionResult::Stop, inputs.gas_limit);
            return done(self, input, result, memory, offset);
        }
        let context = FrameContext {
            target_address: inputs.target_address,
            caller: inputs.caller,
            value: inputs.value.get(),
            // Moved, not cloned (a clone makes the buffer shared: an allocation); `finish`
            // puts it back for the hooks.
            input: mem::take(&mut inputs.input),
            is_static: inputs.is_static,
        };
        let gas_limit = inputs.gas_limit;
        let kind = FrameKind::Call { return_memory_offset: offset };
        self.push(frame, context, gas_limit, memory, checkpoint, kind);
        Ok(Started::Pushed)
    }

    /// Gives `use_code` the code to run for `address` (touching it if `touch`), following an
    /// EIP-7702 delegation from Prague. Lent, not returned: a returned borrow of the journal
    /// would keep it borrowed for the delegate's load too.
    fn load_code<R>(
        &mut self,
        address: Address,
        touch: bool,
        use_code: impl FnOnce(&Bytecode) -> R,
    ) -> Result<R, EVMError<DbErrorOf<CTX>>> {
        let follow = self.context.cfg().spec().is_enabled_in(SpecId::PRAGUE);
        let journal = self.context.journal();
        let account = if touch {
            journal.load_account_code_touched(address)
        } else {
            journal.load_account_code(address)
        };
        let account = account.map_err(EVMError::Database)?;
        let code = account.data.info.code().unwrap_or(&NO_CODE);
        match code.eip7702() {
            Some(designator) if follow => {
                let delegate = designator.address();
                let account = journal.load_account_code(delegate).map_err(EVMError::Database)?;
                Ok(use_code(account.data.info.code().unwrap_or(&NO_CODE)))
            }
            _ => Ok(use_code(code)),
        }
    }

    /// Makes `frame` (kept from an earlier frame at its depth, its code set) the new frame,
    /// reset in place.
    fn push(
        &mut self,
        frame: &mut Frame,
        context: FrameContext,
        gas_limit: u64,
        mut memory: SharedMemory,
        checkpoint: JournalCheckpoint,
        kind: FrameKind,
    ) {
        memory.new_context();
        let interpreter = &mut frame.interpreter;
        interpreter.restart(context, gas_limit, &self.table.gas, memory);
        interpreter.memory_limit = self.context.cfg().memory_limit();
        frame.checkpoint = checkpoint;
        frame.kind = kind;
    }

    /// Starts the create `input` in `frame`, at `depth`.
    fn start_create(
        &mut self,
        frame: &mut Frame,
        input: &FrameInput,
        depth: usize,
        memory: SharedMemory,
    ) -> Result<Started, EVMError<DbErrorOf<CTX>>> {
        let FrameInput::Create(inputs) = input else { unreachable!("start creates only a create") };
        let done = |this: &mut Self, input, result, memory| {
            let result = FrameResult::Create(CreateOutcome { result, address: None });
            this.done(input, result, memory)
        };
        if depth > CALL_STACK_LIMIT {
            let result = result_with_gas(InstructionResult::CallTooDeep, inputs.gas_limit);
            return done(self, input, result, memory);
        }
        let journal = self.context.journal();
        let caller = journal.load_account(inputs.caller).map_err(EVMError::Database)?;
        if caller.data.info.balance < inputs.value {
            let result = result_with_gas(InstructionResult::OutOfFunds, inputs.gas_limit);
            return done(self, input, result, memory);
        }
        let old_nonce = caller.data.info.nonce;
        if journal.inc_nonce(inputs.caller).is_none() {
            let result = result_with_gas(InstructionResult::NonceOverflow, inputs.gas_limit);
            return done(self, input, result, memory);
        }
        let address = inputs.created_address(old_nonce);
        journal.load_account(address).map_err(EVMError::Database)?;
        let created = journal
            .create_account_checkpoint(inputs.caller, address, inputs.value)
            .map_err(EVMError::Database)?;
        let checkpoint = match created {
            Ok(checkpoint) => checkpoint,
            Err(TransferError::CreateCollision) => {
                let result = result_with_gas(InstructionResult::CreateCollision, inputs.gas_limit);
                return done(self, input, result, memory);
            }
            Err(_) => {
                let result = result_with_gas(InstructionResult::OutOfFunds, inputs.gas_limit);
                return done(self, input, result, memory);
            }
        };
        frame.interpreter.set_code(&Bytecode::new_raw(inputs.init_code.clone()));
        let context = FrameContext {
            target_address: address,
            caller: inputs.caller,
            value: inputs.value,
            input: Default::default(),
            is_static: false,
        };
        let gas_limit = inputs.gas_limit;
        let kind = FrameKind::Create { address };
        self.push(frame, context, gas_limit, memory, checkpoint, kind);
        Ok(Started::Pushed)
    }

    /// Ends the running frame with `result`: pops it, commits or reverts its checkpoint (a
    /// create deploys its code), and hands the outcome and the memory to its parent, which
    /// resumes. The outermost frame's outcome is returned instead, its memory kept for the
    /// next transaction. The parent takes the outcome here, not through a returned value:
    /// returned, the outcome was written field by field and read back with wide loads that
    /// waited on those stores.
    fn finish(
        &mut self,
        frames: &mut FrameStack,
        mut result: InterpreterResult,
    ) -> Result<Option<FrameResult>, EVMError<DbErrorOf<CTX>>> {
        frames.depth -= 1;
        let (frame, input) = frames.frame_and_input(frames.depth).ok_or_else(no_request)?;
        let mut memory = mem::take(&mut frame.interpreter.memory);
        memory.free_context();
        let checkpoint = frame.checkpoint;
        let mut frame_result = match frame.kind {
            FrameKind::Call { ref return_memory_offset } => {
                if let FrameInput::Call(inputs) = input {
                    inputs.input = mem::take(&mut frame.interpreter.context.input);
                }
                let return_memory_offset = return_memory_offset.clone();
                let journal = self.context.journal();
                if result.result.is_ok() {
                    journal.checkpoint_commit();
                } else {
                    journal.checkpoint_revert(checkpoint);
                }
                FrameResult::Call(CallOutcome { result, memory_offset: return_memory_offset })
            }
            FrameKind::Create { address } => {
                let created = self.deploy(&mut result, address, checkpoint);
                FrameResult::Create(CreateOutcome { result, address: created.then_some(address) })
            }
        };
        self.hooks.frame_end(self.context, input, &mut frame_result);
        Ok(self.hand_back(frames, frame_result, memory))
    }

    /// Gives a finished or answered frame's `result` and the `memory` to the running frame,
    /// which resumes; with no frame running (the outermost frame's end), keeps the memory
    /// for the next transaction and returns the result.
    #[inline(always)]
    fn hand_back(
        &mut self,
        frames: &mut FrameStack,
        result: FrameResult,
        memory: SharedMemory,
    ) -> Option<FrameResult> {
        if frames.depth == 0 {
            *self.memory = memory;
            return Some(result);
        }
        let parent = &mut frames.top().interpreter;
        parent.memory = memory;
        match result {
            FrameResult::Call(outcome) => parent.insert_call_outcome(outcome),
            FrameResult::Create(outcome) => parent.insert_create_outcome(outcome),
        }
        None
    }

    /// Checks and stores the code a successful init code returned; reverts otherwise.
    fn deploy(
        &mut self,
        result: &mut InterpreterResult,
        address: Address,
        checkpoint: JournalCheckpoint,
    ) -> bool {
        let spec = self.context.cfg().spec();
        let max_code_size = self.context.cfg().max_code_size();
        let journal = self.context.journal();
        if !result.result.is_ok() {
            journal.checkpoint_revert(checkpoint);
            return false;
        }
        let code = &result.output;
        let halt = if spec.is_enabled_in(SpecId::LONDON) && code.first() == Some(&0xef) {
            Some(InstructionResult::CreateContractStartingWithEF)
        } else if spec.is_enabled_in(SpecId::SPURIOUS_DRAGON) && code.len() > max_code_size {
            Some(InstructionResult::CreateContractSizeLimit)
        } else {
            None
        };
        let deposit = code.len() as u64 * self.table.gas.code_deposit_byte;
        let mut code = code.clone();
        let halt = halt.or_else(|| {
            if result.gas.record_cost(deposit) {
                None
            } else if spec.is_enabled_in(SpecId::HOMESTEAD) {
                Some(InstructionResult::OutOfGas)
            } else {
                // Frontier: a contract that cannot pay for its code is created without it,
                // and the create's output is the (empty) code deployed.
                code = Bytes::new();
                result.output = Bytes::new();
                None
            }
        });
        if let Some(halt) = halt {
            journal.checkpoint_revert(checkpoint);
            result.result = halt;
            result.gas.spend_all();
            result.gas.set_refund(0);
            return false;
        }
        journal.set_code(address, Bytecode::new_raw(code));
        journal.checkpoint_commit();
        result.result = InstructionResult::Return;
        true
    }
}
