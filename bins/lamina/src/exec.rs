//! What `statetest` and `run` share: the EVM type they build over an in-memory database, running
//! a transaction (the seam where EIP-3155 tracing plugs in), and describing a result.

use std::{convert::Infallible, fmt, io::Write};

use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{EVMError, ExecutionResult, ResultAndState};
use lamina_database::InMemoryDB;
use lamina_handler::{Evm, ExecuteEvm};
use lamina_primitives::hex;

/// The EVM both subcommands run: mainnet handler and precompiles over an [`InMemoryDB`].
pub type MainEvm = Evm<Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>>;

/// Whether this build can write EIP-3155 traces. The tracer comes with `lamina-inspector`;
/// until it is wired into [`replay`], `--trace` is refused up front rather than ignored.
pub const TRACING_AVAILABLE: bool = false;

/// What `--trace` prints while [`TRACING_AVAILABLE`] is false.
pub const TRACING_UNAVAILABLE: &str = "lamina: --trace is not available yet: EIP-3155 tracing \
     arrives with lamina-inspector, which this build does not include";

/// Why [`replay`] produced no result.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The EVM refused the transaction or the block, or the database failed.
    #[error(transparent)]
    Evm(#[from] EVMError<Infallible>),
    /// A trace was asked for, but this build has no tracer.
    #[error("{TRACING_UNAVAILABLE}")]
    TracingUnavailable,
}

/// Runs the transaction already in `evm`'s context, without committing it. With `trace`, an
/// EIP-3155 trace of the execution is written there (one JSON object per line).
pub fn replay(
    evm: &mut MainEvm,
    trace: Option<&mut dyn Write>,
) -> Result<ResultAndState, ExecError> {
    match trace {
        None => Ok(evm.replay()?),
        // The seam for lamina-inspector: run `evm` with its EIP-3155 tracer over `out` as the
        // frame hooks, and flip `TRACING_AVAILABLE`.
        Some(_out) => Err(ExecError::TracingUnavailable),
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
