//! The [`Inspector`] trait.

use auto_impl::auto_impl;
use lamina_interpreter::{CallInputs, CallOutcome, CreateInputs, CreateOutcome, Interpreter};
use lamina_primitives::{Address, Log, U256};

/// Watches (and may steer) execution: every instruction, log, call, create and self-destruct.
///
/// Every method does nothing by default, so an inspector implements only what it needs.
/// Attach one with [`InspectorHooks`](crate::InspectorHooks), most easily through
/// [`InspectorEvmExt::with_inspector`](crate::InspectorEvmExt::with_inspector).
///
/// Order of calls for one frame: [`call`](Self::call) (or [`create`](Self::create)) when the
/// frame is requested, [`initialize_interp`](Self::initialize_interp) before its first
/// instruction, then per instruction [`step`](Self::step), the instruction (during which
/// [`log`](Self::log) and [`selfdestruct`](Self::selfdestruct) report what it did), and
/// [`step_end`](Self::step_end); finally [`call_end`](Self::call_end) (or
/// [`create_end`](Self::create_end)). A call or create instruction's `step_end` comes before
/// the child's `call`/`create`. Every `call` is matched by exactly one `call_end`, also for
/// frames that run no code (precompiles, accounts without code, early failures) and for
/// frames whose outcome `call` itself supplied; the same holds for `create`.
#[auto_impl(&mut, Box)]
pub trait Inspector<CTX> {
    /// A frame's interpreter is about to run its first instruction.
    #[inline]
    fn initialize_interp(&mut self, interp: &mut Interpreter, context: &mut CTX) {
        let _ = (interp, context);
    }

    /// The instruction at `interp.pc()` is about to run (stack and gas not checked yet).
    /// Halting the interpreter here skips the instruction and ends the frame.
    #[inline]
    fn step(&mut self, interp: &mut Interpreter, context: &mut CTX) {
        let _ = (interp, context);
    }

    /// The instruction ran (or failed: `interp.control()` tells how the frame stands).
    #[inline]
    fn step_end(&mut self, interp: &mut Interpreter, context: &mut CTX) {
        let _ = (interp, context);
    }

    /// The instruction that is running emitted `log`.
    #[inline]
    fn log(&mut self, interp: &mut Interpreter, context: &mut CTX, log: &Log) {
        let _ = (interp, context, log);
    }

    /// A call frame is requested. The inputs may be changed; returning an outcome skips the
    /// frame and hands that outcome to the caller.
    #[inline]
    fn call(&mut self, context: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let _ = (context, inputs);
        None
    }

    /// A call frame ended; the outcome may be changed before the caller sees it.
    #[inline]
    fn call_end(&mut self, context: &mut CTX, inputs: &CallInputs, outcome: &mut CallOutcome) {
        let _ = (context, inputs, outcome);
    }

    /// A create frame is requested. The inputs may be changed; returning an outcome skips the
    /// frame and hands that outcome to the creator.
    #[inline]
    fn create(&mut self, context: &mut CTX, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        let _ = (context, inputs);
        None
    }

    /// A create frame ended; the outcome may be changed before the creator sees it.
    #[inline]
    fn create_end(
        &mut self,
        context: &mut CTX,
        inputs: &CreateInputs,
        outcome: &mut CreateOutcome,
    ) {
        let _ = (context, inputs, outcome);
    }

    /// SELFDESTRUCT succeeded in `contract`, sending its `value` (the balance it had before
    /// the instruction) to `target`.
    #[inline]
    fn selfdestruct(&mut self, contract: Address, target: Address, value: U256) {
        let _ = (contract, target, value);
    }
}

/// The inspector that watches nothing.
impl<CTX> Inspector<CTX> for () {}
