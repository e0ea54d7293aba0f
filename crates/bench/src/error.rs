use crate::{FieldDiff, HexError};
use std::path::PathBuf;

/// Everything that can go wrong loading, running or timing a benchmark.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A JSON document (or JSON line) does not parse into the expected shape.
    #[error("{}{}: {source}", path.display(), line.map(|n| format!(":{n}")).unwrap_or_default())]
    Json {
        /// The file.
        path: PathBuf,
        /// The line, for a JSON-lines file.
        line: Option<usize>,
        /// Why.
        source: serde_json::Error,
    },
    /// Hex (or hexx) that does not decode.
    #[error("{context}: {source}")]
    Hex {
        /// Where the hex came from.
        context: String,
        /// Why.
        source: HexError,
    },
    /// A setup that parses but makes no sense (bad number, missing field, duplicate
    /// account, unsupported combination).
    #[error("{context}: {message}")]
    Setup {
        /// Which benchmark (and field).
        context: String,
        /// What is wrong.
        message: String,
    },
    /// The EVM rejected a transaction as invalid: the setup and the EVM disagree on
    /// validity.
    #[error("{case}: transaction {index} is invalid: {message}")]
    InvalidTransaction {
        /// The case.
        case: String,
        /// The transaction's position in the case (0 for a single transaction).
        index: usize,
        /// The EVM's error.
        message: String,
    },
    /// A case has no outcome recorded on revm.
    #[error("no revm outcome is recorded for {0}")]
    NoRecord(String),
    /// A name selects no benchmark case.
    #[error("no benchmark or case is named {0}")]
    UnknownName(String),
    /// A timing was asked with zero repetitions.
    #[error("the repetition count must be at least 1")]
    ZeroRepeat,
    /// An outcome differs from revm's (the recorded one, or revm's run side by side).
    #[error("{case}: outcome differs from revm's: {}", join(diffs))]
    Mismatch {
        /// The case.
        case: String,
        /// Every differing field.
        diffs: Vec<FieldDiff>,
    },
    /// An error of a run on one of two EVMs compared side by side.
    #[error("on {evm}: {source}")]
    On {
        /// The EVM ([`Evm::NAME`](crate::Evm::NAME)).
        evm: &'static str,
        /// What went wrong there.
        source: Box<Error>,
    },
}

fn join(diffs: &[FieldDiff]) -> String {
    diffs.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// `error` on the EVM `E`, as an [`Error::On`].
    pub fn on<E: crate::Evm>(error: Error) -> Self {
        Self::On { evm: E::NAME, source: Box::new(error) }
    }

    /// A [`Error::Setup`].
    pub(crate) fn setup(context: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Setup { context: context.into(), message: message.into() }
    }
}
