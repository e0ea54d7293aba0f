//! How the handler finds and runs precompiles.

use alloc::borrow::Cow;
use lamina_context_interface::{Cfg, ContextTr, EVMError};
use lamina_database_interface::Database;
use lamina_interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use lamina_precompile::{PrecompileError, Precompiles};
use lamina_primitives::{Address, Bytes, SpecId};

/// The database error of a context.
pub type DbErrorOf<CTX> = <<CTX as ContextTr>::Db as Database>::Error;

/// Supplies precompiled contracts. A chain adds its own by implementing this (or wrapping
/// [`EthPrecompiles`]); a stateful precompile reads and writes state through the context and
/// sees the whole call (caller, value, static flag).
#[auto_impl::auto_impl(&mut, Box)]
pub trait PrecompileProvider<CTX: ContextTr> {
    /// Prepares for `spec`.
    fn set_spec(&mut self, spec: SpecId);
    /// Runs the precompile at `inputs.bytecode_address` on `call_data` (the call's input,
    /// which `inputs.input` may only lend from the caller's memory); `Ok(None)` if there is
    /// no precompile there. An `Err` is fatal to the transaction (a database failure), not a
    /// failed call.
    fn run(
        &mut self,
        context: &mut CTX,
        inputs: &CallInputs,
        call_data: &[u8],
    ) -> Result<Option<InterpreterResult>, EVMError<DbErrorOf<CTX>>>;
    /// Whether `address` holds a precompile.
    fn contains(&self, address: &Address) -> bool;
    /// Every precompile address (warm from Berlin, EIP-2929). Asked for at every
    /// transaction: a provider that keeps its addresses lends them, one that adds to another
    /// provider's may build them (`Cow::Owned`).
    fn warm_addresses(&self) -> Cow<'_, [Address]>;
}

/// Mainnet's precompiles of the configured fork.
#[derive(Clone, Debug)]
pub struct EthPrecompiles {
    /// The set in use.
    pub precompiles: &'static Precompiles,
    /// Its fork.
    pub spec: SpecId,
}

impl Default for EthPrecompiles {
    fn default() -> Self {
        Self::new(SpecId::LATEST)
    }
}

impl EthPrecompiles {
    /// The set of `spec`.
    pub fn new(spec: SpecId) -> Self {
        Self { precompiles: Precompiles::cached(spec), spec }
    }
}

/// Runs a pure precompile function as a call with `gas_limit`.
pub fn run_precompile_fn(
    function: lamina_precompile::PrecompileFn,
    input: &[u8],
    gas_limit: u64,
) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    match function(input, gas_limit) {
        Ok(output) => {
            // A precompile never reports more than it was given; spend what it used.
            let _ = gas.record_cost(output.gas_used);
            InterpreterResult::new(InstructionResult::Return, output.bytes, gas)
        }
        Err(error) => {
            gas.spend_all();
            let result = if error == PrecompileError::OutOfGas {
                InstructionResult::PrecompileOOG
            } else {
                InstructionResult::PrecompileError
            };
            InterpreterResult::new(result, Bytes::new(), gas)
        }
    }
}

impl<CTX: ContextTr> PrecompileProvider<CTX> for EthPrecompiles {
    fn set_spec(&mut self, spec: SpecId) {
        if spec != self.spec {
            *self = Self::new(spec);
        }
    }

    fn run(
        &mut self,
        context: &mut CTX,
        inputs: &CallInputs,
        call_data: &[u8],
    ) -> Result<Option<InterpreterResult>, EVMError<DbErrorOf<CTX>>> {
        let spec = context.cfg().spec();
        <Self as PrecompileProvider<CTX>>::set_spec(self, spec);
        Ok(self
            .precompiles
            .get(&inputs.bytecode_address)
            .map(|function| run_precompile_fn(function, call_data, inputs.gas_limit)))
    }

    fn contains(&self, address: &Address) -> bool {
        self.precompiles.contains(address)
    }

    fn warm_addresses(&self) -> Cow<'_, [Address]> {
        Cow::Borrowed(self.precompiles.addresses())
    }
}
