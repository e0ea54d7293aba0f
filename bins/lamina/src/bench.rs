//! `lamina bench`: times the shared benchmark inputs on Lamina (lamina-bench's [`Suite`]),
//! checking every run's outcome against the outcome recorded on revm.

use std::{
    io::{self, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    time::Duration,
};

use lamina_bench::{Suite, Timing, shared_bench_dir};
use serde::Serialize;

use crate::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

/// Where the data folder sits relative to the repository root, for a binary built elsewhere.
const FROM_REPO_ROOT: &str = "../shared/bench";

/// Arguments of `lamina bench`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each input runs once as a warm-up, then N times, each run building its pre-state and the EVM \
afresh (that work is timed with the execution). Every run's outcome (status, gas, refund, \
output, logs, post-state digest) must equal the one recorded on revm in \
revm_outcomes.jsonl; a mismatch is reported as an error and the exit status is 1. Times are \
those of this build: measure with `cargo build --release -p lamina-cli`.

Exit status: 0 if every input ran with the recorded outcome, 1 otherwise, 2 on bad arguments \
or a data folder that cannot be loaded.")]
pub struct Args {
    /// Inputs to run: a name of benchmarks.json's cases (revm/snailtracer) or a prefix of
    /// names as a path (revm, evmone/main, revm-gce). Default: every case except the
    /// optional ones (the revm-gce programs).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Print one JSON object per input on standard output instead of the table:
    /// {"name", "status", "gas_used", "median_ns", "min_ns"}.
    #[arg(long)]
    pub json: bool,
    /// Timed runs per input, after the warm-up run.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = parse_repeat)]
    pub repeat: usize,
    /// The shared benchmark folder (benchmarks.json, revm_outcomes.jsonl and the files they
    /// name). Default: the workspace's `../shared/bench` as found when this binary was built,
    /// else `../shared/bench` from the current directory (the repository root).
    #[arg(long, value_name = "PATH")]
    pub bench_dir: Option<PathBuf>,
    /// Print the names of the selected inputs, one a line, and run nothing.
    #[arg(long)]
    pub list: bool,
}

fn parse_repeat(text: &str) -> Result<usize, String> {
    match text.parse() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(error) => Err(format!("{error}")),
    }
}

/// The data folder when `--bench-dir` is not given: the one lamina-bench finds from its
/// manifest directory at build time, if it is there, else [`FROM_REPO_ROOT`] relative to
/// the current directory if that is a data folder, else the former (whose loading error
/// names it).
pub fn default_bench_dir() -> PathBuf {
    let built = shared_bench_dir();
    let is_data = |dir: &Path| dir.join("benchmarks.json").is_file();
    let dir = if !is_data(&built) && is_data(Path::new(FROM_REPO_ROOT)) {
        PathBuf::from(FROM_REPO_ROOT)
    } else {
        built
    };
    // `crates/bench/../../../shared/bench` reads better resolved.
    dir.canonicalize().unwrap_or(dir)
}

/// A line of `--json`.
#[derive(Serialize)]
struct JsonLine<'a> {
    name: &'a str,
    status: &'a str,
    gas_used: u64,
    median_ns: u128,
    min_ns: u128,
}

/// Entry point of `lamina bench`.
pub fn main(args: Args) -> ExitCode {
    let dir = args.bench_dir.clone().unwrap_or_else(default_bench_dir);
    let suite = match Suite::load(&dir) {
        Ok(suite) => suite,
        Err(error) => {
            eprintln!("lamina: cannot load the benchmarks of {}: {error}", dir.display());
            eprintln!("lamina: give the shared benchmark folder with --bench-dir PATH");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let cases = match suite.select(&args.names) {
        Ok(cases) => cases,
        Err(error) => {
            eprintln!("lamina: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut stdout = io::stdout().lock();
    if args.list {
        for case in &cases {
            let _ = writeln!(stdout, "{}", case.name);
        }
        return ExitCode::from(EXIT_OK);
    }

    let width = cases.iter().map(|case| case.name.len()).max().unwrap_or(0).max("input".len());
    if !args.json {
        let _ = writeln!(
            stdout,
            "{} timed runs per input after a warm-up, from {}",
            args.repeat,
            dir.display()
        );
        let _ = writeln!(
            stdout,
            "{:width$}  {:>12}  {:>12}  {:>14}  {:>9}  status",
            "input", "median", "min", "gas used", "Mgas/s"
        );
    }
    let mut failed = 0;
    for case in cases {
        match suite.time(case, args.repeat) {
            Ok(timing) => {
                let written = if args.json {
                    write_json(&mut stdout, &timing)
                } else {
                    write_row(&mut stdout, &timing, width)
                };
                // Flushed per input: a long run shows its progress.
                if let Err(error) = written.and_then(|()| stdout.flush()) {
                    eprintln!("lamina: writing to standard output: {error}");
                    return ExitCode::from(EXIT_FAILED);
                }
            }
            Err(error) => {
                // Most errors name the case already (an outcome mismatch does).
                let text = error.to_string();
                if text.starts_with(&case.name) {
                    eprintln!("lamina: {text}");
                } else {
                    eprintln!("lamina: {}: {text}", case.name);
                }
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("lamina: {failed} input(s) failed");
        return ExitCode::from(EXIT_FAILED);
    }
    ExitCode::from(EXIT_OK)
}

fn write_json(out: &mut impl Write, timing: &Timing) -> io::Result<()> {
    let line = JsonLine {
        name: &timing.name,
        status: &timing.outcome.status,
        gas_used: timing.outcome.gas_used,
        median_ns: timing.median.as_nanos(),
        min_ns: timing.min.as_nanos(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

fn write_row(out: &mut impl Write, timing: &Timing, width: usize) -> io::Result<()> {
    writeln!(
        out,
        "{:width$}  {:>12}  {:>12}  {:>14}  {:>9.1}  {}",
        timing.name,
        show(timing.median),
        show(timing.min),
        timing.outcome.gas_used,
        timing.mgas_per_second(),
        timing.outcome.status,
    )
}

/// A duration in a readable unit, four significant digits or so.
fn show(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    let (value, unit) = match seconds {
        s if s >= 1.0 => (s, "s"),
        s if s >= 1e-3 => (s * 1e3, "ms"),
        s if s >= 1e-6 => (s * 1e6, "µs"),
        s => (s * 1e9, "ns"),
    };
    let decimals = match value {
        v if v >= 100.0 => 1,
        v if v >= 10.0 => 2,
        _ => 3,
    };
    format!("{value:.decimals$} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(show(Duration::from_nanos(512)), "512.0 ns");
        assert_eq!(show(Duration::from_nanos(12_346)), "12.35 µs");
        assert_eq!(show(Duration::from_micros(1_500)), "1.500 ms");
        assert_eq!(show(Duration::from_millis(2_250)), "2.250 s");
    }

    #[test]
    fn repeat_is_positive() {
        assert_eq!(parse_repeat("3"), Ok(3));
        assert!(parse_repeat("0").is_err());
        assert!(parse_repeat("-1").is_err());
    }
}
