//! What `statetest` and `run` share: the EVM type they build over an in-memory database, running
//! a transaction (with an EIP-3155 trace if asked), and describing a result.

use std::{
    convert::Infallible,
    fmt,
    io::{self, BufWriter, Write},
};

use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{EVMError, ExecutionResult, ResultAndState};
use lamina_database::InMemoryDB;
use lamina_database_interface::Database;
use lamina_handler::{Evm, ExecuteEvm};
use lamina_inspector::{InspectEvm, TracerEip3155};
use lamina_primitives::hex;

/// The EVM both subcommands run: mainnet handler and precompiles over an in-memory database
/// ([`InMemoryDB`] unless said otherwise).
pub type MainEvm<DB = InMemoryDB> = Evm<Context<BlockEnv, TxEnv, CfgEnv, DB>>;

/// Why [`replay`] produced no result.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The EVM refused the transaction or the block, or the database failed.
    #[error(transparent)]
    Evm(#[from] EVMError<Infallible>),
    /// The transaction ran, but its trace could not be written.
    #[error("writing the trace: {0}")]
    Trace(io::Error),
}

/// Runs the transaction already in `evm`'s context, without committing it. With `trace`, an
/// EIP-3155 trace of the execution is written there: one JSON object per instruction and one
/// per frame that ends, the top frame's last (the summary line), in go-ethereum's dialect
/// (`TracerEip3155` with its defaults: no memory, no return data, no call frame lines).
pub fn replay<DB: Database<Error = Infallible>>(
    evm: &mut MainEvm<DB>,
    trace: Option<&mut dyn Write>,
) -> Result<ResultAndState, ExecError> {
    let Some(out) = trace else { return Ok(evm.replay()?) };
    // One line per instruction: buffered, or each would be a system call on stderr.
    let mut tracer = TracerEip3155::new(BufWriter::with_capacity(1 << 16, out));
    let result = evm.inspect_replay(&mut tracer)?;
    // The first write error stopped the output; flushing tells whether the rest arrived.
    match tracer.take_error() {
        Some(error) => Err(ExecError::Trace(error)),
        None => tracer.flush().map(|()| result).map_err(ExecError::Trace),
    }
}

/// Longest output [`Summary`] shows in full; a deployed contract's code can run to 24 KiB.
const SUMMARY_OUTPUT_BYTES: usize = 64;

/// A one-line description of a result: kind, reason, gas used and output (shortened).
pub struct Summary<'a>(pub &'a ExecutionResult);

/// How a transaction ended: `success (Stop)`, `revert`, `halt (OutOfGas(Basic))`, ….
pub fn status(result: &ExecutionResult) -> String {
    match result {
        ExecutionResult::Success { reason, .. } => format!("success ({reason:?})"),
        ExecutionResult::Revert { .. } => "revert".to_owned(),
        ExecutionResult::Halt { reason, .. } => format!("halt ({reason:?})"),
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, gas used {}", status(self.0), self.0.gas_used())?;
        if let Some(output) = self.0.output() {
            let shown = &output[..output.len().min(SUMMARY_OUTPUT_BYTES)];
            write!(f, ", output 0x{}", hex::encode(shown))?;
            if shown.len() < output.len() {
                write!(f, "… ({} bytes)", output.len())?;
            }
        }
        Ok(())
    }
}
