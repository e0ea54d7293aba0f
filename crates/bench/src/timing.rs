//! Timing cases for a command line (`lamina bench [NAME...] [--json] [--repeat N]`), each
//! run checked against revm's outcome.

use crate::{Benchmark, Case, Error, Outcome, execute, load_benchmarks, load_revm_outcomes};
use serde::{Serialize, Serializer};
use std::{
    collections::BTreeMap,
    path::Path,
    time::{Duration, Instant},
};

/// The shared benchmarks and revm's outcomes for them, loaded together.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The benchmarks of `benchmarks.json`, in its order.
    pub benchmarks: Vec<Benchmark>,
    /// revm's outcome for each case, by case name.
    pub expected: BTreeMap<String, Outcome>,
}

impl Suite {
    /// Loads `benchmarks.json` (and the files it names) and `revm_outcomes.jsonl` of `dir`.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        Ok(Self { benchmarks: load_benchmarks(dir)?, expected: load_revm_outcomes(dir)? })
    }

    /// Every case of every benchmark, optional ones included, in file order.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.benchmarks.iter().flat_map(|benchmark| &benchmark.cases)
    }

    /// The benchmark named `name`.
    pub fn benchmark(&self, name: &str) -> Option<&Benchmark> {
        self.benchmarks.iter().find(|benchmark| benchmark.name == name)
    }

    /// The cases that `names` select, in file order and each once. A name selects the case
    /// of that name and every case below it as a path (`revm/snailtracer`, `evmone/main`,
    /// `revm-gce`). No names select every case of the non-optional benchmarks.
    ///
    /// A name that selects nothing is an [`Error::UnknownName`].
    pub fn select<S: AsRef<str>>(&self, names: &[S]) -> Result<Vec<&Case>, Error> {
        if names.is_empty() {
            let required = self.benchmarks.iter().filter(|benchmark| !benchmark.optional);
            return Ok(required.flat_map(|benchmark| &benchmark.cases).collect());
        }
        let selects = |name: &str, case: &Case| {
            case.name
                .strip_prefix(name)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if let Some(unknown) = names
            .iter()
            .map(AsRef::as_ref)
            .find(|name| !self.cases().any(|case| selects(name, case)))
        {
            return Err(Error::UnknownName(unknown.to_owned()));
        }
        Ok(self
            .cases()
            .filter(|case| names.iter().any(|name| selects(name.as_ref(), case)))
            .collect())
    }

    /// revm's outcome for the case named `case`.
    pub fn expected(&self, case: &str) -> Result<&Outcome, Error> {
        self.expected.get(case).ok_or_else(|| Error::NoRecord(case.to_owned()))
    }

    /// Runs `case` once and checks its outcome against revm's; returns the outcome.
    pub fn check(&self, case: &Case) -> Result<Outcome, Error> {
        let outcome = execute(case)?.outcome();
        outcome.check(&case.name, self.expected(&case.name)?)?;
        Ok(outcome)
    }

    /// [`time_case`] against revm's outcome for `case`.
    pub fn time(&self, case: &Case, repeat: usize) -> Result<Timing, Error> {
        time_case(case, self.expected(&case.name)?, repeat)
    }
}

/// Wall times of a case.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    /// The case.
    pub name: String,
    /// Timed repetitions (the warm-up run not counted).
    pub repeat: usize,
    /// Median wall time of a repetition (the mean of the middle two for an even count).
    #[serde(rename = "median_ns", serialize_with = "nanos")]
    pub median: Duration,
    /// Fastest repetition.
    #[serde(rename = "min_ns", serialize_with = "nanos")]
    pub min: Duration,
    /// The outcome, equal to revm's.
    pub outcome: Outcome,
}

impl Timing {
    /// Throughput at the median time, in millions of gas per second.
    pub fn mgas_per_second(&self) -> f64 {
        self.outcome.gas_used as f64 / self.median.as_secs_f64() / 1e6
    }
}

fn nanos<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u128(duration.as_nanos())
}

/// Times `case`: one warm-up run, then `repeat` timed runs. Each run builds the pre-state
/// and the EVM afresh and executes the transactions, and that whole work is timed;
/// computing the outcome afterwards is not. Every run's outcome, the warm-up's too, must
/// equal `expected`, else this fails with [`Error::Mismatch`].
pub fn time_case(case: &Case, expected: &Outcome, repeat: usize) -> Result<Timing, Error> {
    if repeat == 0 {
        return Err(Error::ZeroRepeat);
    }
    let mut outcome = timed_run(case, expected)?.1;
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let (time, run_outcome) = timed_run(case, expected)?;
        times.push(time);
        outcome = run_outcome;
    }
    times.sort_unstable();
    let middle = times.len() / 2;
    let median =
        if times.len() % 2 == 1 { times[middle] } else { (times[middle - 1] + times[middle]) / 2 };
    Ok(Timing { name: case.name.clone(), repeat, median, min: times[0], outcome })
}

fn timed_run(case: &Case, expected: &Outcome) -> Result<(Duration, Outcome), Error> {
    let start = Instant::now();
    let execution = execute(case)?;
    let time = start.elapsed();
    let outcome = execution.outcome();
    outcome.check(&case.name, expected)?;
    Ok((time, outcome))
}
