//! The EVMs a case runs on: Lamina, and with the feature `revm` also revm
//! (`Revm`). Timing ([`time_on`](crate::time_on)) is generic over [`Evm`], so
//! that both EVMs are set up, repeated, timed and checked by the same code.

use crate::{Case, Error, Execution, Outcome};

/// An EVM that runs a [`Case`] from its fresh pre-state, as `MANIFEST.md` sets it up.
pub trait Evm {
    /// Its name in tables and JSON: `lamina`, `revm`.
    const NAME: &'static str;
    /// A case in this EVM's own types, converted once before any timing: converting is a
    /// property of this harness, not of the EVM, so it is not measured.
    type Input<'a>;
    /// A finished run: each transaction's result and the committed final state.
    type Run;

    /// Converts `case` to [`Self::Input`].
    fn prepare(case: &Case) -> Result<Self::Input<'_>, Error>;

    /// Builds the pre-state (analysing its code) and the EVM, then runs the transactions,
    /// committing each: the work that a timing measures. Dropping the run is not part of it.
    fn execute(input: &Self::Input<'_>) -> Result<Self::Run, Error>;

    /// The outcome of `MANIFEST.md` section 1 (hashing the final state; not timed).
    fn outcome(run: &Self::Run) -> Outcome;
}

/// Lamina, run by [`execute`](crate::execute).
#[derive(Clone, Copy, Debug, Default)]
pub struct Lamina;

impl Evm for Lamina {
    const NAME: &'static str = "lamina";
    // The case's environment is already in Lamina's types.
    type Input<'a> = &'a Case;
    type Run = Execution;

    fn prepare(case: &Case) -> Result<&Case, Error> {
        Ok(case)
    }

    fn execute(case: &&Case) -> Result<Execution, Error> {
        crate::execute(case)
    }

    fn outcome(run: &Execution) -> Outcome {
        run.outcome()
    }
}
