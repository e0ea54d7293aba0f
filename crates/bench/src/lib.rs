//! The shared benchmark inputs (`../shared/bench`), run on Lamina exactly as their
//! `MANIFEST.md` sets them up, and checked against the outcomes recorded on revm.
//!
//! * [`load_benchmarks`] reads `benchmarks.json` and every file it names into
//!   [`Benchmark`]s, each expanded into named [`Case`]s (an evmone benchmark has one case per
//!   input, the gas-cost-estimator one per CSV program).
//! * [`run`] / [`run_case`] execute on a fresh pre-state and compute the [`Outcome`] that
//!   `MANIFEST.md` section 1 defines; [`execute`] also keeps the final state.
//! * [`load_revm_outcomes`] reads `revm_outcomes.jsonl`; [`Outcome::differences`] compares.
//! * [`Suite`] bundles both for a command line: selecting cases by name and timing them
//!   with [`time_case`], which rejects a run whose outcome differs from revm's.
//! * With the feature `revm` (default), the same cases run on revm 43 too (`Revm`, an
//!   [`Evm`] like [`Lamina`]): [`time_on`] times either EVM by one scheme and
//!   `Suite::compare` times both side by side (the `side-by-side` binary and the criterion
//!   bench of that name).
//! * [`PeakAllocator`] counts the heap bytes a run keeps live at its peak (the `peak-memory`
//!   binary compares the two EVMs by it).
//!
//! ```no_run
//! use lamina_bench::{Suite, shared_bench_dir};
//!
//! let suite = Suite::load(shared_bench_dir())?;
//! for case in suite.select(&["revm/snailtracer"])? {
//!     let timing = suite.time(case, 5)?;
//!     println!("{}: median {:?}, min {:?}", timing.name, timing.median, timing.min);
//! }
//! # Ok::<(), lamina_bench::Error>(())
//! ```
#![warn(missing_docs)]

mod error;
mod evm;
mod hexx;
mod memory;
mod outcome;
#[cfg(feature = "revm")]
mod revm_evm;
mod run;
mod setup;
mod timing;

pub use error::Error;
pub use evm::{Evm, Lamina};
pub use hexx::{HexError, decode_hexx};
pub use memory::PeakAllocator;
pub use outcome::{FieldDiff, Outcome, load_revm_outcomes};
#[cfg(feature = "revm")]
pub use revm_evm::{Revm, RevmCase, RevmExecution, revm_tx_env};
pub use run::{Execution, StateDigest, execute, run, run_case, state_digest};
pub use setup::{Benchmark, Case, Exec, PreAccount, load_benchmarks};
#[cfg(feature = "revm")]
pub use timing::Comparison;
pub use timing::{Suite, Timing, time_case, time_on};

use std::path::PathBuf;

/// The shared benchmark folder of a checkout: `<workspace>/../shared/bench`, found from
/// this crate's manifest directory at compile time.
pub fn shared_bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench")
}
