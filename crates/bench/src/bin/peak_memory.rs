//! `peak-memory`: the most heap bytes live at once while each shared benchmark input runs on
//! revm and on Lamina, counted exactly by [`PeakAllocator`] (the sizes allocations ask for,
//! from a fresh state to the committed end state, state building included, as the timings
//! measure). Each EVM runs a case once to warm up, then once counted; both runs' outcomes
//! are checked against revm's record. Prints a table of the peaks and their ratio.
//!
//! ```text
//! peak-memory [NAME...]
//! ```

mod common;

use lamina_bench::{Case, Error, Evm, Lamina, PeakAllocator, Revm, Suite};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: PeakAllocator = PeakAllocator::new();

const USAGE: &str = "\
usage: peak-memory [NAME...]

The most heap bytes live at once while each shared benchmark input runs, on revm and on
Lamina (state building included; allocator overhead not counted), after a warm-up run each;
every run's outcome is checked against revm's record.

  NAME...   cases to run: a case name or a prefix of names as a path (revm/snailtracer,
            evmone/main). Default: every case except the optional revm-gce ones";

fn main() -> ExitCode {
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names.iter().any(|name| name.starts_with('-')) {
        println!("{USAGE}");
        return if names.iter().any(|name| name == "-h" || name == "--help") {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    let suite = match common::load_suite() {
        Ok(suite) => suite,
        Err(code) => return code,
    };
    let cases = match common::select(&suite, &names) {
        Ok(cases) => cases,
        Err(code) => return code,
    };
    let width = cases.iter().map(|case| case.name.len()).max().unwrap_or(0).max("input".len());
    println!("peak heap bytes live during one run (after a warm-up run), each EVM");
    println!("{:width$}  {:>14}  {:>14}  {:>11}", "input", "revm", "lamina", "lamina/revm");
    let mut failures = 0;
    for case in cases {
        match (peak_on::<Revm>(&suite, case), peak_on::<Lamina>(&suite, case)) {
            (Ok(revm), Ok(lamina)) => println!(
                "{:width$}  {revm:>14}  {lamina:>14}  {:>11.2}",
                case.name,
                lamina as f64 / revm as f64
            ),
            (Err(error), _) | (_, Err(error)) => {
                eprintln!("error: {error}");
                failures += 1;
            }
        }
    }
    common::exit_status(failures)
}

/// The peak bytes of one counted run of `case` on `E`, after a warm-up run (so that what
/// either EVM sets up once per process is not counted); both outcomes checked.
fn peak_on<E: Evm>(suite: &Suite, case: &Case) -> Result<usize, Error> {
    let expected = suite.expected(&case.name)?;
    let input = E::prepare(case)?;
    E::outcome(&E::execute(&input)?).check(&case.name, expected)?;
    let (run, peak) = ALLOCATOR.peak_during(|| E::execute(&input));
    E::outcome(&run?).check(&case.name, expected)?;
    Ok(peak)
}
