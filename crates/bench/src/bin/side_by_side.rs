//! `side-by-side`: every shared benchmark input run on revm and on Lamina in this one process,
//! by the same scheme (a warm-up, then N repetitions, each from a fresh state, state building
//! included; the two EVMs' repetitions alternate, so a change in the machine's load falls on
//! both), with the outcome of every run checked against revm's record. Prints a table of the
//! medians and their ratio, or JSON lines.
//!
//! ```text
//! side-by-side [NAME...] [--repeat N] [--json] [--only lamina|revm] [--list]
//! ```

mod common;

use lamina_bench::{Case, Error, Evm, Lamina, Revm, Suite, Timing};
use serde::Serialize;
use std::{io::Write, process::ExitCode, time::Duration};

const USAGE: &str = "\
usage: side-by-side [NAME...] [--repeat N] [--json] [--only lamina|revm] [--list]

Times each shared benchmark input on revm and on Lamina (a warm-up run each, then N timed
runs each, alternating revm and Lamina, each building the state afresh) and checks every
run's outcome against revm's record.

  NAME...        cases to run: a case name or a prefix of names as a path (revm/snailtracer,
                 evmone/main, revm-gce). Default: every case except the optional revm-gce ones
  --repeat N     timed runs per case and EVM (default 10)
  --json         one JSON line per case and EVM instead of the table
  --only EVM     run only `lamina` or `revm` (for callgrind and memory measurements)
  --list         print the names of the selected cases, one a line, and run nothing";

const DEFAULT_REPEAT: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    Lamina,
    Revm,
}

struct Args {
    names: Vec<String>,
    repeat: usize,
    json: bool,
    only: Option<Only>,
    list: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed =
        Args { names: Vec::new(), repeat: DEFAULT_REPEAT, json: false, only: None, list: false };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => parsed.json = true,
            "--list" => parsed.list = true,
            "--repeat" => {
                let value = args.next().ok_or("--repeat needs a number")?;
                parsed.repeat =
                    value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--repeat needs a positive number, not {value:?}")
                    })?;
            }
            "--only" => {
                parsed.only = Some(match args.next().as_deref() {
                    Some(Lamina::NAME) => Only::Lamina,
                    Some(Revm::NAME) => Only::Revm,
                    other => return Err(format!("--only takes lamina or revm, not {other:?}")),
                });
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => parsed.names.push(arg),
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let suite = match common::load_suite() {
        Ok(suite) => suite,
        Err(code) => return code,
    };
    let cases = match common::select(&suite, &args.names) {
        Ok(cases) => cases,
        Err(code) => return code,
    };
    if args.list {
        for case in cases {
            println!("{}", case.name);
        }
        return ExitCode::SUCCESS;
    }
    let mut report = Report::new(&args, cases.iter().map(|case| case.name.len()).max());
    let mut failures = 0;
    for case in cases {
        if let Err(error) = run(&suite, case, &args, &mut report) {
            eprintln!("error: {error}");
            failures += 1;
        }
    }
    report.finish();
    common::exit_status(failures)
}

fn run(suite: &Suite, case: &Case, args: &Args, report: &mut Report) -> Result<(), Error> {
    match args.only {
        Some(Only::Lamina) => report.single(&suite.time_on::<Lamina>(case, args.repeat)?),
        Some(Only::Revm) => report.single(&suite.time_on::<Revm>(case, args.repeat)?),
        None => {
            let comparison = suite.compare(case, args.repeat)?;
            report.pair(&comparison.revm, &comparison.lamina, comparison.ratio());
        }
    }
    Ok(())
}

/// A line of `--json`.
#[derive(Serialize)]
struct JsonLine<'a> {
    name: &'a str,
    evm: &'a str,
    status: &'a str,
    gas_used: u64,
    median_ns: u128,
    min_ns: u128,
}

impl<'a> From<&'a Timing> for JsonLine<'a> {
    fn from(timing: &'a Timing) -> Self {
        Self {
            name: &timing.name,
            evm: timing.evm,
            status: &timing.outcome.status,
            gas_used: timing.outcome.gas_used,
            median_ns: timing.median.as_nanos(),
            min_ns: timing.min.as_nanos(),
        }
    }
}

/// Prints results as they come, so that a long run shows progress.
struct Report {
    json: bool,
    width: usize,
    /// ln of each Lamina/revm ratio, for the geometric mean.
    log_ratios: Vec<f64>,
}

impl Report {
    fn new(args: &Args, longest_name: Option<usize>) -> Self {
        let width = longest_name.unwrap_or(0).max("input".len());
        if !args.json {
            let order = if args.only.is_none() { ", the EVMs alternating" } else { "" };
            println!("{} timed runs per case and EVM after a warm-up{order}; medians", args.repeat);
            match args.only {
                None => println!(
                    "{:width$}  {:>14}  {:>12}  {:>12}  {:>11}",
                    "input", "gas used", "revm", "lamina", "lamina/revm"
                ),
                Some(only) => {
                    let evm = if only == Only::Lamina { Lamina::NAME } else { Revm::NAME };
                    println!(
                        "{:width$}  {:>14}  {:>12}  {:>12}",
                        "input",
                        "gas used",
                        format!("{evm} median"),
                        "min"
                    );
                }
            }
        }
        Self { json: args.json, width, log_ratios: Vec::new() }
    }

    fn single(&mut self, timing: &Timing) {
        if self.json {
            self.json_line(timing);
        } else {
            println!(
                "{:width$}  {:>14}  {:>12}  {:>12}",
                timing.name,
                timing.outcome.gas_used,
                show(timing.median),
                show(timing.min),
                width = self.width
            );
        }
        flush();
    }

    fn pair(&mut self, revm: &Timing, lamina: &Timing, ratio: f64) {
        self.log_ratios.push(ratio.ln());
        if self.json {
            self.json_line(revm);
            self.json_line(lamina);
        } else {
            println!(
                "{:width$}  {:>14}  {:>12}  {:>12}  {:>11.2}",
                revm.name,
                revm.outcome.gas_used,
                show(revm.median),
                show(lamina.median),
                ratio,
                width = self.width
            );
        }
        flush();
    }

    fn json_line(&self, timing: &Timing) {
        match serde_json::to_string(&JsonLine::from(timing)) {
            Ok(line) => println!("{line}"),
            // A struct of strings and integers always serialises.
            Err(error) => eprintln!("cannot serialise {}: {error}", timing.name),
        }
    }

    fn finish(&self) {
        if !self.json && !self.log_ratios.is_empty() {
            let mean = self.log_ratios.iter().sum::<f64>() / self.log_ratios.len() as f64;
            println!(
                "geometric mean of lamina/revm over {} inputs: {:.2}",
                self.log_ratios.len(),
                mean.exp()
            );
        }
    }
}

fn flush() {
    // Progress output only: a closed stdout shows up on the next println.
    let _ = std::io::stdout().flush();
}

/// A duration with four significant digits in a readable unit.
fn show(duration: Duration) -> String {
    let nanos = duration.as_nanos() as f64;
    let (value, unit) = if nanos >= 1e9 {
        (nanos / 1e9, "s")
    } else if nanos >= 1e6 {
        (nanos / 1e6, "ms")
    } else if nanos >= 1e3 {
        (nanos / 1e3, "µs")
    } else {
        (nanos, "ns")
    };
    let decimals = if value >= 100.0 {
        1
    } else if value >= 10.0 {
        2
    } else {
        3
    };
    format!("{value:.decimals$} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn arguments() {
        let args = parse(&["revm/snailtracer", "--repeat", "3", "--json", "evmone"]).unwrap();
        let args = args.unwrap();
        assert_eq!(args.names, ["revm/snailtracer", "evmone"]);
        assert_eq!((args.repeat, args.json, args.list), (3, true, false));
        assert!(args.only.is_none());
        let only = parse(&["--only", "revm", "--list"]).unwrap().unwrap();
        assert!(only.only == Some(Only::Revm) && only.list);
        assert_eq!(parse(&[]).unwrap().unwrap().repeat, DEFAULT_REPEAT);
        assert!(parse(&["--help"]).unwrap().is_none());
        for bad in [&["--repeat"][..], &["--repeat", "0"], &["--only", "geth"], &["--fast"]] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(show(Duration::from_nanos(950)), "950.0 ns");
        assert_eq!(show(Duration::from_nanos(12_345)), "12.35 µs");
        assert_eq!(show(Duration::from_micros(1_500)), "1.500 ms");
        assert_eq!(show(Duration::from_millis(2_345)), "2.345 s");
    }
}
