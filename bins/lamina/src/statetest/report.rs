//! The human report of a run (failures, per-fork table, totals) and its JSON-lines form.

use std::{
    collections::BTreeMap,
    io::{self, Write},
    path::Path,
    time::Duration,
};

use lamina_primitives::B256;
use serde::Serialize;

use super::{
    CaseReport, FileReport,
    case::{CaseOutcome, Execution},
    diff::Difference,
    trace::{self, FailureTrace},
};
use crate::exec::Summary;

/// Failing cases listed by name after the detailed ones; past that only the count is given.
const MAX_LISTED: usize = 100;
/// State differences (or lines of the actual state) shown per failing case.
const MAX_DIFFERENCES: usize = 40;

/// Case counts of a run. A file that cannot be read counts as one failure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed, plus unreadable files.
    pub failed: usize,
    /// Cases of forks Lamina does not know.
    pub skipped: usize,
}

/// How a case ended, for the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It passed.
    Passed,
    /// It failed.
    Failed,
    /// It was not run (a fork Lamina does not know).
    Skipped,
}

impl Totals {
    /// Counts one case.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    /// Adds `other`'s counts.
    pub fn merge(&mut self, other: &Self) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// `file :: test :: Fork[N]`, the name reports give a case.
fn case_name(path: &Path, case: &CaseReport) -> String {
    format!("{} :: {} :: {}[{}]", path.display(), case.test, case.fork, case.index)
}

/// What the execution was, in one line.
fn describe(execution: &Execution) -> String {
    match execution {
        Execution::Executed(result) => Summary(result).to_string(),
        Execution::Rejected(reason) => format!("rejected: {reason}"),
        Execution::Error(error) => format!("error: {error}"),
    }
}

fn write_details(out: &mut impl Write, path: &Path, case: &CaseReport) -> io::Result<()> {
    let Some(outcome) = &case.outcome else { return Ok(()) };
    let i = &case.indexes;
    writeln!(
        out,
        "FAIL {} (data {}, gas {}, value {})",
        case_name(path, case),
        i.data,
        i.gas,
        i.value
    )?;
    if let Some(failure) = &outcome.failure {
        writeln!(out, "    error:    {failure}")?;
    }
    if let Some(exception) = &case.expect_exception {
        writeln!(out, "    expected: exception {exception}")?;
    }
    if let Some(execution) = &outcome.execution {
        writeln!(out, "    result:   {}", describe(execution))?;
    }
    let actual = |hash: Option<B256>| hash.map_or_else(|| "-".to_owned(), |hash| hash.to_string());
    writeln!(
        out,
        "    root:     expected {}, actual {}",
        case.expected_root,
        actual(outcome.root)
    )?;
    writeln!(
        out,
        "    logs:     expected {}, actual {}",
        case.expected_logs,
        actual(outcome.logs)
    )?;
    if !outcome.diff.is_empty() {
        writeln!(out, "    state diff ({} differences):", outcome.diff.len())?;
        for difference in outcome.diff.iter().take(MAX_DIFFERENCES) {
            writeln!(out, "        {difference}")?;
        }
        if outcome.diff.len() > MAX_DIFFERENCES {
            writeln!(out, "        … and {} more", outcome.diff.len() - MAX_DIFFERENCES)?;
        }
    }
    if let Some(post) = &outcome.post_state {
        writeln!(out, "    actual state (the fixture has no expected state to diff against):")?;
        let text = post.to_string();
        for line in text.lines().take(MAX_DIFFERENCES) {
            writeln!(out, "        {line}")?;
        }
        let lines = text.lines().count();
        if lines > MAX_DIFFERENCES {
            writeln!(out, "        … and {} more lines", lines - MAX_DIFFERENCES)?;
        }
    }
    if let Some(trace) = &case.trace {
        write_trace(out, trace)?;
    }
    Ok(())
}

/// The EIP-3155 trace of the case run again: in full if short, else its file and last lines.
fn write_trace(out: &mut impl Write, trace: &FailureTrace) -> io::Result<()> {
    match trace {
        FailureTrace::Inline { text } => {
            writeln!(out, "    trace (EIP-3155, {} lines):", text.lines().count())?;
            for line in text.lines() {
                writeln!(out, "        {line}")?;
            }
        }
        FailureTrace::File { path, lines, truncated, tail } => {
            let cut = if *truncated {
                format!(", the file cut after {} MiB", trace::MAX_FILE_BYTES >> 20)
            } else {
                String::new()
            };
            writeln!(out, "    trace (EIP-3155, {lines} lines{cut}): {}", path.display())?;
            writeln!(out, "    last {} lines of the trace:", tail.len())?;
            for line in tail {
                writeln!(out, "        {line}")?;
            }
        }
        FailureTrace::Unavailable(reason) => writeln!(out, "    trace:    unavailable: {reason}")?,
    }
    Ok(())
}

/// Writes the human report and returns the totals. The last line is always
/// `N passed, N failed, N skipped`.
pub fn write_report(
    out: &mut impl Write,
    files: &[FileReport],
    details: usize,
    elapsed: Duration,
) -> io::Result<Totals> {
    let mut totals = Totals::default();
    // Keyed by fork order (unknown forks last, by name) → (name, totals).
    let mut per_fork: BTreeMap<(usize, String), Totals> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        match &file.cases {
            Err(error) => unreadable.push((&file.path, error)),
            Ok(cases) => {
                for fork in &cases.per_fork {
                    totals.merge(&fork.totals);
                    per_fork
                        .entry((fork.order, fork.fork.clone()))
                        .or_default()
                        .merge(&fork.totals);
                }
                failures.extend(cases.failures.iter().map(|case| (file.path.as_path(), case)));
            }
        }
    }
    totals.failed += unreadable.len();

    if !failures.is_empty() {
        writeln!(out, "{} failing cases:", failures.len())?;
        for (path, case) in failures.iter().take(details) {
            write_details(out, path, case)?;
        }
        let rest = failures.iter().skip(details);
        for (path, case) in rest.clone().take(MAX_LISTED) {
            let failure = case.outcome.as_ref().and_then(|outcome| outcome.failure.as_ref());
            let failure = failure.map(ToString::to_string).unwrap_or_default();
            writeln!(out, "FAIL {}: {failure}", case_name(path, case))?;
        }
        if rest.len() > MAX_LISTED {
            writeln!(
                out,
                "… and {} more failing cases (--json lists them all)",
                rest.len() - MAX_LISTED
            )?;
        }
        writeln!(out)?;
    }
    if !unreadable.is_empty() {
        writeln!(out, "{} unreadable files:", unreadable.len())?;
        for (path, error) in &unreadable {
            writeln!(out, "FAIL {}: {error}", path.display())?;
        }
        writeln!(out)?;
    }
    let unknown: Vec<String> = per_fork
        .iter()
        .filter(|((order, _), _)| *order == usize::MAX)
        .map(|((_, fork), totals)| format!("{fork} ({} cases)", totals.skipped))
        .collect();
    if !unknown.is_empty() {
        writeln!(out, "skipped forks unknown to Lamina: {}", unknown.join(", "))?;
    }

    if !per_fork.is_empty() {
        writeln!(out, "{:<20} {:>8} {:>8} {:>8}", "fork", "passed", "failed", "skipped")?;
        for ((_, fork), fork_totals) in &per_fork {
            let Totals { passed, failed, skipped } = fork_totals;
            writeln!(out, "{fork:<20} {passed:>8} {failed:>8} {skipped:>8}")?;
        }
    }
    let files_run = files.len() - unreadable.len();
    writeln!(out, "{files_run} files in {:.1}s", elapsed.as_secs_f64())?;
    let Totals { passed, failed, skipped } = totals;
    writeln!(out, "{passed} passed, {failed} failed, {skipped} skipped")?;
    out.flush()?;
    Ok(totals)
}

/// One line of `--json` output: a case, or a file that could not be read.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRecord<'a> {
    file: String,
    test: Option<&'a str>,
    fork: Option<&'a str>,
    index: Option<usize>,
    pass: bool,
    skipped: bool,
    error: Option<String>,
    expected_root: Option<B256>,
    actual_root: Option<B256>,
    expected_logs: Option<B256>,
    actual_logs: Option<B256>,
    expect_exception: Option<&'a str>,
    result: Option<String>,
    gas_used: Option<u64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    diff: &'a [Difference],
}

impl<'a> JsonRecord<'a> {
    fn file(path: &Path, error: &str) -> Self {
        Self {
            file: path.display().to_string(),
            test: None,
            fork: None,
            index: None,
            pass: false,
            skipped: false,
            error: Some(error.to_owned()),
            expected_root: None,
            actual_root: None,
            expected_logs: None,
            actual_logs: None,
            expect_exception: None,
            result: None,
            gas_used: None,
            diff: &[],
        }
    }

    fn case(path: &Path, case: &'a CaseReport) -> Self {
        let outcome = case.outcome.as_ref();
        let execution = outcome.and_then(|outcome| outcome.execution.as_ref());
        Self {
            file: path.display().to_string(),
            test: Some(&case.test),
            fork: Some(&case.fork),
            index: Some(case.index),
            pass: case.passed(),
            skipped: outcome.is_none(),
            error: outcome.and_then(|outcome| outcome.failure.as_ref()).map(ToString::to_string),
            expected_root: Some(case.expected_root),
            actual_root: outcome.and_then(|outcome| outcome.root),
            expected_logs: Some(case.expected_logs),
            actual_logs: outcome.and_then(|outcome| outcome.logs),
            expect_exception: case.expect_exception.as_deref(),
            result: execution.map(describe),
            gas_used: match execution {
                Some(Execution::Executed(result)) => Some(result.gas_used()),
                _ => None,
            },
            diff: outcome.map_or(&[], |outcome: &CaseOutcome| outcome.diff.as_slice()),
        }
    }
}

/// The `--json` line of a case, newline included.
pub fn json_line(path: &Path, case: &CaseReport) -> String {
    // Serialising plain data into a string cannot fail.
    let mut line = serde_json::to_string(&JsonRecord::case(path, case)).unwrap_or_default();
    line.push('\n');
    line
}

/// Writes one JSON object per case (and per unreadable file), one per line.
pub fn write_json(out: &mut impl Write, files: &[FileReport]) -> io::Result<()> {
    for file in files {
        match &file.cases {
            Err(error) => {
                serde_json::to_writer(&mut *out, &JsonRecord::file(&file.path, error))?;
                writeln!(out)?;
            }
            Ok(cases) => out.write_all(cases.json.as_bytes())?,
        }
    }
    out.flush()
}
