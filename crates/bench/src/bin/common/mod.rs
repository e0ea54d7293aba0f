//! What the bench binaries share: the shared suite loaded and a selection of its cases, or
//! exit code 2 after saying why not; and the exit status after the runs.

use lamina_bench::{Case, Suite, shared_bench_dir};
use std::process::ExitCode;

/// The suite of `../shared/bench`, or exit code 2 after saying why it cannot be loaded.
pub fn load_suite() -> Result<Suite, ExitCode> {
    let dir = shared_bench_dir();
    Suite::load(&dir).map_err(|error| {
        eprintln!("cannot load the shared benchmarks from {}: {error}", dir.display());
        ExitCode::from(2)
    })
}

/// The cases `names` select (see `Suite::select`), or exit code 2 after naming the unknown.
pub fn select<'a>(suite: &'a Suite, names: &[String]) -> Result<Vec<&'a Case>, ExitCode> {
    suite.select(names).map_err(|error| {
        eprintln!("{error}");
        ExitCode::from(2)
    })
}

/// Success, or exit code 1 after counting the cases that failed.
pub fn exit_status(failures: usize) -> ExitCode {
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{failures} case(s) failed");
        ExitCode::FAILURE
    }
}
