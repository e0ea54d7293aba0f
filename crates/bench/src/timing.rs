//! Timing cases for a command line (`lamina bench [NAME...] [--json] [--repeat N]`, the
//! `side-by-side` binary), each run checked against revm's recorded outcome.

use crate::{Benchmark, Case, Error, Evm, Lamina, Outcome, load_benchmarks, load_revm_outcomes};
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

    /// Runs `case` once on Lamina and checks its outcome against revm's recorded one;
    /// returns the outcome.
    pub fn check(&self, case: &Case) -> Result<Outcome, Error> {
        self.check_on::<Lamina>(case)
    }

    /// [`Suite::check`] on the EVM `E`.
    pub fn check_on<E: Evm>(&self, case: &Case) -> Result<Outcome, Error> {
        let outcome = E::outcome(&E::execute(&E::prepare(case)?)?);
        outcome.check(&case.name, self.expected(&case.name)?)?;
        Ok(outcome)
    }

    /// [`time_case`] against revm's outcome for `case`.
    pub fn time(&self, case: &Case, repeat: usize) -> Result<Timing, Error> {
        self.time_on::<Lamina>(case, repeat)
    }

    /// [`time_on`] against revm's outcome for `case`.
    pub fn time_on<E: Evm>(&self, case: &Case, repeat: usize) -> Result<Timing, Error> {
        time_on::<E>(case, self.expected(&case.name)?, repeat)
    }

    /// Times `case` on revm and on Lamina by the same scheme as [`time_on`], their timed
    /// runs alternating (revm, Lamina, revm, ...) so that a change in the machine's load
    /// falls on both alike rather than on whichever ran during it. Every run of either must
    /// have revm's recorded outcome, so the two measured the same execution. An error says
    /// on which EVM it happened ([`Error::On`]).
    #[cfg(feature = "revm")]
    pub fn compare(&self, case: &Case, repeat: usize) -> Result<Comparison, Error> {
        use crate::Revm;
        let expected = self.expected(&case.name)?;
        let mut revm = Runs::<Revm>::start(case, expected, repeat).map_err(Error::on::<Revm>)?;
        let mut lamina =
            Runs::<Lamina>::start(case, expected, repeat).map_err(Error::on::<Lamina>)?;
        for _ in 0..repeat {
            revm.run().map_err(Error::on::<Revm>)?;
            lamina.run().map_err(Error::on::<Lamina>)?;
        }
        let (revm, lamina) = (revm.timing(), lamina.timing());
        // Implied by both equalling the record, and stated here as the precondition of the
        // comparison.
        lamina.outcome.check(&case.name, &revm.outcome)?;
        Ok(Comparison { revm, lamina })
    }
}

/// One case timed on revm and on Lamina ([`Suite::compare`]), with equal outcomes.
#[cfg(feature = "revm")]
#[derive(Clone, Debug)]
pub struct Comparison {
    /// revm's timing.
    pub revm: Timing,
    /// Lamina's timing.
    pub lamina: Timing,
}

#[cfg(feature = "revm")]
impl Comparison {
    /// Lamina's median over revm's: below 1 when Lamina is faster.
    pub fn ratio(&self) -> f64 {
        self.lamina.median.as_secs_f64() / self.revm.median.as_secs_f64()
    }
}

/// Wall times of a case.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    /// The case.
    pub name: String,
    /// The EVM that ran it ([`Evm::NAME`]).
    pub evm: &'static str,
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

/// Times `case` on Lamina: [`time_on`]`::<Lamina>`.
pub fn time_case(case: &Case, expected: &Outcome, repeat: usize) -> Result<Timing, Error> {
    time_on::<Lamina>(case, expected, repeat)
}

/// Times `case` on the EVM `E`: one warm-up run, then `repeat` timed runs. Each run builds
/// the pre-state and the EVM afresh and executes the transactions ([`Evm::execute`]), and
/// that whole work is timed; converting the case beforehand, computing the outcome and
/// dropping the final state afterwards are not. Every run's outcome, the warm-up's too,
/// must equal `expected`, else this fails with [`Error::Mismatch`].
pub fn time_on<E: Evm>(case: &Case, expected: &Outcome, repeat: usize) -> Result<Timing, Error> {
    let mut runs = Runs::<E>::start(case, expected, repeat)?;
    for _ in 0..repeat {
        runs.run()?;
    }
    Ok(runs.timing())
}

/// The runs of one case on the EVM `E`, for [`time_on`] and [`Suite::compare`]: the case
/// converted and run once as the warm-up, then one timed run per [`Runs::run`].
struct Runs<'a, E: Evm> {
    case: &'a Case,
    input: E::Input<'a>,
    expected: &'a Outcome,
    times: Vec<Duration>,
    outcome: Outcome,
}

impl<'a, E: Evm> Runs<'a, E> {
    /// Converts `case` and runs the warm-up (room for `repeat` timed runs after it).
    fn start(case: &'a Case, expected: &'a Outcome, repeat: usize) -> Result<Self, Error> {
        if repeat == 0 {
            return Err(Error::ZeroRepeat);
        }
        let input = E::prepare(case)?;
        let outcome = timed_run::<E>(&input, &case.name, expected)?.1;
        Ok(Self { case, input, expected, times: Vec::with_capacity(repeat), outcome })
    }

    /// One timed run.
    fn run(&mut self) -> Result<(), Error> {
        let (time, outcome) = timed_run::<E>(&self.input, &self.case.name, self.expected)?;
        self.times.push(time);
        self.outcome = outcome;
        Ok(())
    }

    /// The median and fastest of the timed runs (at least one).
    fn timing(mut self) -> Timing {
        let times = &mut self.times;
        times.sort_unstable();
        let middle = times.len() / 2;
        let median = if times.len() % 2 == 1 {
            times[middle]
        } else {
            (times[middle - 1] + times[middle]) / 2
        };
        Timing {
            name: self.case.name.clone(),
            evm: E::NAME,
            repeat: times.len(),
            median,
            min: times[0],
            outcome: self.outcome,
        }
    }
}

fn timed_run<E: Evm>(
    input: &E::Input<'_>,
    name: &str,
    expected: &Outcome,
) -> Result<(Duration, Outcome), Error> {
    let start = Instant::now();
    let run = measured::<E>(input)?;
    let time = start.elapsed();
    let outcome = E::outcome(&run);
    outcome.check(name, expected)?;
    Ok((time, outcome))
}

/// Exactly the timed work. Never inlined, so that `callgrind.sh` can count the instructions
/// inside it alone (`--toggle-collect=*lamina_bench::timing::measured*`), leaving out
/// loading the suite, hashing the state and freeing it.
#[inline(never)]
fn measured<E: Evm>(input: &E::Input<'_>) -> Result<E::Run, Error> {
    E::execute(input)
}
