//! The inspecting frame loop: [`InspectorHooks`] turns an [`Inspector`] into the handler's
//! [`FrameHooks`].

use crate::Inspector;
use lamina_bytecode::opcode::SELFDESTRUCT;
use lamina_context_interface::{ContextTr, JournalTr};
use lamina_handler::{Evm, FrameHooks, FrameResult};
use lamina_interpreter::{
    FrameInput, Host, InstructionResult, InstructionTable, Interpreter, SharedMemory,
};
use lamina_primitives::{Address, B256, U256};

/// Runs every frame under an inspector: plug it into an [`Evm`] with
/// [`Evm::with_hooks`] (or [`InspectorEvmExt::with_inspector`]) and take the inspector back
/// from `evm.hooks.0` afterwards.
///
/// Its interpreter loop is a separate, slower loop that calls the inspector around every
/// instruction; an EVM without hooks keeps the plain loop and pays nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectorHooks<I>(pub I);

impl<I> InspectorHooks<I> {
    /// The inspector.
    pub fn inspector(&mut self) -> &mut I {
        &mut self.0
    }

    /// Gives the inspector back.
    pub fn into_inner(self) -> I {
        self.0
    }
}

impl<CTX, I> FrameHooks<CTX> for InspectorHooks<I>
where
    CTX: ContextTr + Host,
    I: Inspector<CTX>,
{
    fn run_interpreter(
        &mut self,
        interpreter: &mut Interpreter,
        table: &InstructionTable<CTX>,
        context: &mut CTX,
    ) {
        let inspector = &mut self.0;
        // The loop also resumes frames after a call or create returns. A resumed frame is
        // past its calling instruction, so only a fresh frame stands at pc 0.
        if interpreter.pc() == 0 {
            inspector.initialize_interp(interpreter, context);
        }
        while interpreter.control() == InstructionResult::Continue {
            inspector.step(interpreter, context);
            if interpreter.control() != InstructionResult::Continue {
                break;
            }
            // SELFDESTRUCT moves the balance away, so the value is read before it runs.
            let selfdestruct = (interpreter.current_opcode() == SELFDESTRUCT)
                .then(|| selfdestruct_parties(interpreter, context))
                .flatten();
            let logs = context.journal_ref().logs().len();

            interpreter.step(table, context);

            // Instructions emit logs through the host only, so a longer log list means this
            // instruction logged.
            if context.journal_ref().logs().len() > logs
                && let Some(log) = context.journal_ref().logs().last().cloned()
            {
                inspector.log(interpreter, context, &log);
            }
            if let Some((contract, target, value)) = selfdestruct
                && interpreter.control() == InstructionResult::SelfDestruct
            {
                inspector.selfdestruct(contract, target, value);
            }
            inspector.step_end(interpreter, context);
        }
    }

    fn frame_start(
        &mut self,
        context: &mut CTX,
        input: &mut FrameInput,
        memory: &SharedMemory,
    ) -> Option<FrameResult> {
        let inspector = &mut self.0;
        // An outcome supplied here still gets its `*_end` call, so that every start is
        // matched by one end (the frame loop calls `frame_end` only for frames it ran).
        match input {
            FrameInput::Call(inputs) => {
                // Inspectors see call data of its own, never a range of memory they lack.
                inputs.input.make_owned(memory);
                let mut outcome = inspector.call(context, inputs)?;
                inspector.call_end(context, inputs, &mut outcome);
                Some(FrameResult::Call(outcome))
            }
            FrameInput::Create(inputs) => {
                let mut outcome = inspector.create(context, inputs)?;
                inspector.create_end(context, inputs, &mut outcome);
                Some(FrameResult::Create(outcome))
            }
        }
    }

    fn frame_end(&mut self, context: &mut CTX, input: &FrameInput, result: &mut FrameResult) {
        let inspector = &mut self.0;
        match (input, result) {
            (FrameInput::Call(inputs), FrameResult::Call(outcome)) => {
                inspector.call_end(context, inputs, outcome);
            }
            (FrameInput::Create(inputs), FrameResult::Create(outcome)) => {
                inspector.create_end(context, inputs, outcome);
            }
            // The frame loop answers a call with a call result and a create with a create
            // result; a mismatch has no `*_end` to report to.
            _ => {}
        }
    }
}

/// The executing contract, the beneficiary on top of the stack and the contract's balance,
/// before SELFDESTRUCT runs; `None` if the stack is empty (the instruction will underflow).
fn selfdestruct_parties<CTX: Host>(
    interpreter: &Interpreter,
    context: &mut CTX,
) -> Option<(Address, Address, U256)> {
    let target = *interpreter.stack.data().last()?;
    let contract = interpreter.context.target_address;
    // The executing account is loaded and warm already: this reads, it changes nothing.
    let value = Host::balance(context, contract).map(|load| load.data).unwrap_or_default();
    Some((contract, Address::from_word(B256::from(target)), value))
}

/// Attaching an inspector to an [`Evm`].
///
/// ```
/// use lamina_context::{Context, TxEnv};
/// use lamina_database::InMemoryDB;
/// use lamina_handler::{ExecuteEvm, MainBuilder};
/// use lamina_inspector::{Inspector, InspectorEvmExt};
/// use lamina_interpreter::Interpreter;
/// use lamina_primitives::{Address, U256};
/// use lamina_state::AccountInfo;
///
/// #[derive(Default)]
/// struct Frames(usize);
/// impl<CTX> Inspector<CTX> for Frames {
///     fn initialize_interp(&mut self, _: &mut Interpreter, _: &mut CTX) {
///         self.0 += 1;
///     }
/// }
///
/// let alice = Address::repeat_byte(0xa1);
/// let mut db = InMemoryDB::default();
/// db.insert_account_info(alice, AccountInfo::from_balance(U256::from(10u64.pow(18))));
/// let mut evm = Context::mainnet().with_db(db).build_mainnet().with_inspector(Frames::default());
/// let tx = TxEnv::builder().caller(alice).to(Address::repeat_byte(0xb0)).gas_limit(21_000)
///     .build();
/// evm.transact(tx).unwrap();
/// assert_eq!(evm.hooks.0.0, 0); // a transfer to an account without code runs no interpreter
/// ```
pub trait InspectorEvmExt {
    /// The context the inspector sees.
    type Context;
    /// The same EVM with an inspector as its hooks.
    type With<I>;

    /// This EVM, running every frame under `inspector` (wrapped in [`InspectorHooks`]).
    /// After running, the inspector is at `evm.hooks.0`.
    fn with_inspector<I: Inspector<Self::Context>>(self, inspector: I) -> Self::With<I>;
}

impl<CTX: ContextTr + Host, H, P> InspectorEvmExt for Evm<CTX, H, P> {
    type Context = CTX;
    type With<I> = Evm<CTX, InspectorHooks<I>, P>;

    fn with_inspector<I: Inspector<CTX>>(self, inspector: I) -> Evm<CTX, InspectorHooks<I>, P> {
        self.with_hooks(InspectorHooks(inspector))
    }
}
