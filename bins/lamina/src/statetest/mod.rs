//! `lamina statetest`: runs state-test fixtures, in parallel, and reports per case and per fork.

mod batch;
mod case;
mod diff;
mod pre;
mod report;
mod trace;

use std::{
    io::{self, IsTerminal, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::{
        Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressStyle};
use lamina_inspector::write_state_root;
use lamina_primitives::{B256, SpecId};
use lamina_statetest_types::{Case, Indexes, PostEntry, StateTest, fixtures};
use rayon::prelude::*;
use regex::Regex;

use self::case::{CaseOutcome, PreparedTest, run_case};
use self::report::{Status, Totals};
use crate::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

/// Arguments of `lamina statetest`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit status: 0 if every case passed, 1 if any failed (or a file could not be read), 2 on bad \
arguments.

Batch mode: without PATH, fixture paths are read from standard input, one per line, and for \
every case one line {\"stateRoot\": \"0x…\"} is printed on standard output (flushed at once), \
as differential fuzzers such as goevmlab expect; with --trace, each case's EIP-3155 trace goes \
to standard error before its line.

A failing case's trace (without --trace): up to 100 lines are shown in the report, a longer \
trace is written to <temp dir>/lamina-trace-<pid>-<test>-<fork>-<index>.jsonl and the report \
gives the path and the last lines.")]
pub struct Args {
    /// Fixture files, or folders to search for `*.json` files.
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per case on standard output (the report goes to standard error).
    #[arg(long)]
    pub json: bool,
    /// Run only the tests whose name matches this regular expression (searched, not anchored).
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    pub run: Option<Regex>,
    /// Run only the cases of this fork (test-suite names such as EIP150 or ConstantinopleFix, or
    /// the usual ones such as Petersburg; case-insensitive).
    #[arg(long, value_name = "NAME", value_parser = parse_fork)]
    pub fork: Option<SpecId>,
    /// Run only the post entry at this position (0-based) in its fork's list in `post`, the
    /// number reports show as `Fork[N]`. Not the data index, which several entries may share.
    #[arg(long, value_name = "N")]
    pub index: Option<usize>,
    /// Stop at the first failing case.
    #[arg(long)]
    pub fail_fast: bool,
    /// Write an EIP-3155 trace of every selected case to standard error, each followed by a
    /// {"stateRoot": "0x…"} line as go-ethereum's `evm statetest --trace` writes (runs the
    /// cases one by one, without progress lines). Without it, the first failing case is run
    /// again traced for the report.
    #[arg(long)]
    pub trace: bool,
    /// How many failing cases to describe in full (result, roots, state diff); the first of
    /// them whose transaction executed also with its EIP-3155 trace (run again, traced).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub details: usize,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

fn parse_regex(text: &str) -> Result<Regex, regex::Error> {
    Regex::new(text)
}

/// Parses a fork name; also used by `lamina run`.
pub fn parse_fork(name: &str) -> Result<SpecId, String> {
    name.parse().map_err(|_| {
        let known: Vec<&str> = SpecId::ALL.iter().map(|spec| spec.name()).collect();
        format!("unknown fork {name:?}; known forks: {}", known.join(", "))
    })
}

/// Which cases to run.
#[derive(Debug, Default)]
pub struct Filter {
    run: Option<Regex>,
    fork: Option<SpecId>,
    index: Option<usize>,
}

impl Filter {
    fn test(&self, name: &str) -> bool {
        self.run.as_ref().is_none_or(|run| run.is_match(name))
    }

    fn case(&self, spec: Option<SpecId>, index: usize) -> bool {
        self.fork.is_none_or(|fork| spec == Some(fork)) && self.index.is_none_or(|i| i == index)
    }

    /// The selected cases of `test`: fork name, position in the fork's list, post entry.
    fn cases<'a>(&self, test: &'a StateTest) -> Vec<(&'a str, usize, &'a PostEntry)> {
        test.post
            .iter()
            .flat_map(|(fork, entries)| {
                let spec = fork.parse().ok();
                entries
                    .iter()
                    .enumerate()
                    .filter(move |(index, _)| self.case(spec, *index))
                    .map(move |(index, entry)| (fork.as_str(), index, entry))
            })
            .collect()
    }
}

/// The report of one case.
#[derive(Debug)]
pub struct CaseReport {
    /// Test name.
    pub test: String,
    /// Fork name as the file writes it.
    pub fork: String,
    /// The fork, if Lamina knows it.
    pub spec: Option<SpecId>,
    /// Position in the fork's list of post entries.
    pub index: usize,
    /// The transaction variant.
    pub indexes: Indexes,
    /// The post entry's state root.
    pub expected_root: B256,
    /// The post entry's logs hash.
    pub expected_logs: B256,
    /// The post entry's expected exception.
    pub expect_exception: Option<String>,
    /// What happened; `None` if skipped (a fork Lamina does not know).
    pub outcome: Option<CaseOutcome>,
    /// The EIP-3155 trace of a run again, for the first failing case of an untraced run.
    pub trace: Option<trace::FailureTrace>,
}

impl CaseReport {
    fn passed(&self) -> bool {
        self.outcome.as_ref().is_some_and(CaseOutcome::passed)
    }

    fn failed(&self) -> bool {
        self.outcome.as_ref().is_some_and(|outcome| !outcome.passed())
    }
}

/// Case counts of one fork in one file (or in the whole run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForkTotals {
    /// Where the fork sorts: its [`SpecId`] order, unknown forks last.
    pub order: usize,
    /// Fork name as the files write it.
    pub fork: String,
    /// Its counts.
    pub totals: Totals,
}

/// What the report needs of one file's cases, kept instead of every [`CaseReport`] (whose
/// execution results, logs included, would add up to gigabytes over the whole suite): the
/// counts per fork, the failing cases in full, and, for `--json`, every case's line.
#[derive(Debug, Default)]
pub struct FileCases {
    /// Counts per fork, in the order the forks first appear.
    pub per_fork: Vec<ForkTotals>,
    /// The failing cases, in the file's order.
    pub failures: Vec<CaseReport>,
    /// With `--json`: one JSON object per case, each on its own line, in the file's order.
    pub json: String,
}

impl FileCases {
    /// Counts a case (and keeps it, if it failed).
    fn add(&mut self, case: Checked) {
        let order = case.spec.map_or(usize::MAX, |spec| spec as usize);
        let index = match self.per_fork.iter().position(|fork| fork.fork == case.fork) {
            Some(index) => index,
            None => {
                let totals = Totals::default();
                self.per_fork.push(ForkTotals { order, fork: case.fork, totals });
                self.per_fork.len() - 1
            }
        };
        self.per_fork[index].totals.add(case.status);
        if let Some(json) = case.json {
            self.json.push_str(&json);
        }
        self.failures.extend(case.failure);
    }
}

/// One case reduced to what [`FileCases`] keeps.
struct Checked {
    fork: String,
    spec: Option<SpecId>,
    status: Status,
    /// Its `--json` line, newline included.
    json: Option<String>,
    /// The whole report, if the case failed.
    failure: Option<CaseReport>,
}

impl Checked {
    fn new(path: &Path, report: CaseReport, json: bool) -> Self {
        let status = match &report.outcome {
            None => Status::Skipped,
            Some(outcome) if outcome.passed() => Status::Passed,
            Some(_) => Status::Failed,
        };
        let json = json.then(|| report::json_line(path, &report));
        let fork = report.fork.clone();
        let spec = report.spec;
        let failure = (status == Status::Failed).then_some(report);
        Self { fork, spec, status, json, failure }
    }
}

/// The report of one file: what its cases left for the report, or why it could not be read.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// The cases run, or the read or parse error.
    pub cases: Result<FileCases, String>,
}

/// Runs one case of a prepared test (skipping forks Lamina does not know) and reports it.
fn report_case(
    test_name: &str,
    test: &PreparedTest<'_>,
    (fork, index, entry): (&str, usize, &PostEntry),
    trace: Option<&mut dyn Write>,
) -> CaseReport {
    let case = Case { fork, entry };
    let spec = case.spec().ok();
    CaseReport {
        test: test_name.to_owned(),
        fork: fork.to_owned(),
        spec,
        index,
        indexes: entry.indexes,
        expected_root: entry.hash,
        expected_logs: entry.logs,
        expect_exception: entry.expect_exception.clone(),
        outcome: spec.map(|_| run_case(test, case, trace)),
        trace: None,
    }
}

/// Shared state of a parallel run: the fail-fast flag and progress.
struct Control {
    fail_fast: bool,
    /// Whether the `--json` line of every case is kept.
    json: bool,
    stop: AtomicBool,
    progress: Progress,
}

impl Control {
    fn should_run(&self) -> bool {
        !self.stop.load(Ordering::Relaxed)
    }

    fn record(&self, report: &CaseReport) {
        let failed = report.failed();
        if failed && self.fail_fast {
            self.stop.store(true, Ordering::Relaxed);
        }
        self.progress.case(failed);
    }
}

/// Loads one file and runs its selected cases: tests and cases in parallel, or one by one
/// with a trace.
fn run_file(path: &Path, filter: &Filter, control: &Control, trace: bool) -> FileReport {
    let file = match fixtures::load(path) {
        Ok(file) => file,
        Err(error) => {
            control.progress.file_failed();
            let error = match error {
                fixtures::LoadError::Io { source, .. } => source.to_string(),
                fixtures::LoadError::Json { source, .. } => source.to_string(),
            };
            return FileReport { path: path.to_owned(), cases: Err(error) };
        }
    };
    let tests: Vec<_> = file.iter().filter(|(name, _)| filter.test(name)).collect();
    let mut cases = FileCases::default();
    if trace {
        let mut stderr = io::stderr();
        for (name, test) in tests {
            let prepared = PreparedTest::new(test);
            for selected in filter.cases(test) {
                if !control.should_run() {
                    break;
                }
                let report = report_case(name, &prepared, selected, Some(&mut stderr));
                // After each case, as go-ethereum's `evm statetest --trace` does.
                if let Some(root) = report.outcome.as_ref().and_then(|outcome| outcome.root) {
                    let _ = write_state_root(&mut stderr, &root);
                }
                control.record(&report);
                cases.add(Checked::new(path, report, control.json));
            }
        }
    } else {
        // Each case is reduced to what the report needs as soon as it is run.
        let per_test: Vec<Vec<Checked>> = tests
            .par_iter()
            .map(|(name, test)| {
                let prepared = PreparedTest::new(test);
                filter
                    .cases(test)
                    .into_par_iter()
                    .filter(|_| control.should_run())
                    .map(|selected| {
                        let report = report_case(name, &prepared, selected, None);
                        control.record(&report);
                        Checked::new(path, report, control.json)
                    })
                    .collect()
            })
            .collect();
        per_test.into_iter().flatten().for_each(|case| cases.add(case));
    }
    control.progress.file_done();
    FileReport { path: path.to_owned(), cases: Ok(cases) }
}

/// Every fixture file under `paths`, in order. A path that is neither a file nor a folder is
/// kept, so that reading it fails and is reported like any unreadable file.
fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(fixtures::json_files(path));
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Entry point of `lamina statetest`.
pub fn main(args: Args) -> ExitCode {
    if let Some(jobs) = args.jobs {
        // Fails only if the pool was already built, which nothing before this does.
        if let Err(error) = rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global() {
            eprintln!("lamina: cannot set up {jobs} threads: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let filter = Filter { run: args.run, fork: args.fork, index: args.index };
    if args.paths.is_empty() {
        return batch::main(&filter, args.trace);
    }

    let files = collect_files(&args.paths);
    if files.is_empty() {
        eprintln!("lamina: no *.json files under the given paths");
        return ExitCode::from(EXIT_USAGE);
    }
    let start = Instant::now();
    let control = Control {
        fail_fast: args.fail_fast,
        json: args.json,
        stop: AtomicBool::new(false),
        // A trace goes to standard error too; progress lines would break it up.
        progress: Progress::new(files.len(), !args.trace),
    };
    let mut reports: Vec<FileReport> = if args.trace {
        files.iter().map(|path| run_file(path, &filter, &control, true)).collect()
    } else {
        files
            .par_iter()
            .filter(|_| control.should_run())
            .map(|path| run_file(path, &filter, &control, false))
            .collect()
    };
    control.progress.finish();
    let elapsed = start.elapsed();
    // Not timed: the run is over, this is for the report.
    if !args.trace {
        trace::trace_first_failure(&mut reports, args.details);
    }

    let stdout = io::stdout();
    let stderr = io::stderr();
    let result = if args.json {
        report::write_json(&mut stdout.lock(), &reports).and_then(|()| {
            report::write_report(&mut stderr.lock(), &reports, args.details, elapsed)
        })
    } else {
        report::write_report(&mut stdout.lock(), &reports, args.details, elapsed)
    };
    let failed = match result {
        Ok(totals) => totals.failed > 0,
        Err(error) => {
            eprintln!("lamina: writing the report: {error}");
            true
        }
    };
    ExitCode::from(if failed { EXIT_FAILED } else { EXIT_OK })
}

/// Progress on standard error: a bar on a terminal, a plain line per tenth of the files
/// otherwise (so that logs of long CI runs show it is moving without drowning in it).
/// Counted in files, as the number of cases is known only once every file is parsed.
struct Progress {
    total_files: usize,
    files: AtomicUsize,
    cases: AtomicUsize,
    failed: AtomicUsize,
    start: Instant,
    bar: Option<ProgressBar>,
    /// Whether plain lines are printed (when there is no bar).
    plain: bool,
    /// Serialises the plain lines.
    lines: Mutex<()>,
}

impl Progress {
    fn new(total_files: usize, shown: bool) -> Self {
        let bar = (shown && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total_files as u64);
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} files {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            total_files,
            files: AtomicUsize::new(0),
            cases: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            start: Instant::now(),
            plain: shown && bar.is_none(),
            bar,
            lines: Mutex::new(()),
        }
    }

    fn case(&self, failed: bool) {
        let cases = self.cases.fetch_add(1, Ordering::Relaxed) + 1;
        let failed =
            self.failed.fetch_add(usize::from(failed), Ordering::Relaxed) + usize::from(failed);
        // A file may hold thousands of cases: the message moves while the bar waits for it.
        if let Some(bar) = &self.bar
            && cases.is_multiple_of(64)
        {
            bar.set_message(format!("{cases} cases, {failed} failed"));
        }
    }

    fn file_failed(&self) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.file_done();
    }

    fn file_done(&self) {
        let done = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                let cases = self.cases.load(Ordering::Relaxed);
                let failed = self.failed.load(Ordering::Relaxed);
                bar.set_message(format!("{cases} cases, {failed} failed"));
                bar.inc(1);
            }
            None if self.plain => {
                let step = self.total_files.div_ceil(10).max(1);
                // A run over in a second needs no progress report.
                let slow = self.start.elapsed() >= Duration::from_secs(1);
                if done.is_multiple_of(step) && done < self.total_files && slow {
                    let _guard = self.lines.lock();
                    eprintln!(
                        "statetest: {done}/{} files, {} cases, {} failed ({:.1}s)",
                        self.total_files,
                        self.cases.load(Ordering::Relaxed),
                        self.failed.load(Ordering::Relaxed),
                        self.start.elapsed().as_secs_f64()
                    );
                }
            }
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
