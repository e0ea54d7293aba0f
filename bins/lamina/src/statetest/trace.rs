//! The trace of a failing case for the report: after an untraced run, the first failing case
//! whose transaction executed is run again under the EIP-3155 tracer. A short trace is shown
//! in the report; a long one goes to a file in the temporary directory, whose path the report
//! gives with the trace's last lines.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
};

use lamina_inspector::write_state_root;
use lamina_statetest_types::{Case, fixtures};

use super::{
    CaseReport, FileReport,
    case::{Execution, PreparedTest, run_case},
};

/// Longest trace shown in the report itself, in lines (the `stateRoot` line included)…
pub const INLINE_LINES: u64 = 100;
/// … and in bytes.
const INLINE_BYTES: usize = 32 * 1024;
/// Most of a trace written to its file; a runaway loop would fill the disk.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Lines of a long trace repeated in the report.
pub const TAIL_LINES: usize = 5;
/// Bytes kept from the end of the trace to find those lines.
const TAIL_BYTES: usize = 16 * 1024;

/// The trace of a case, as the report shows it.
#[derive(Debug)]
pub enum FailureTrace {
    /// Short enough to show: the whole trace.
    Inline {
        /// The trace, one JSON object per line, the `stateRoot` line last.
        text: String,
    },
    /// Written to a file.
    File {
        /// The file.
        path: PathBuf,
        /// Lines of the whole trace.
        lines: u64,
        /// Whether the file stops at [`MAX_FILE_BYTES`].
        truncated: bool,
        /// The trace's last lines (from the run, also when the file was cut).
        tail: Vec<String>,
    },
    /// The trace could not be made.
    Unavailable(String),
}

/// Traces the first failing case among the first `details` failures of `reports` (those the
/// report describes in full) whose transaction executed: a rejected transaction, or a case
/// that could not be set up, runs no code. Returns whether a case was traced.
pub fn trace_first_failure(reports: &mut [FileReport], details: usize) -> bool {
    let failures = reports
        .iter_mut()
        .filter_map(|file| Some((file.path.as_path(), file.cases.as_mut().ok()?)))
        .flat_map(|(path, cases)| cases.failures.iter_mut().map(move |case| (path, case)))
        .take(details);
    for (path, case) in failures {
        let executed = case
            .outcome
            .as_ref()
            .is_some_and(|outcome| matches!(outcome.execution, Some(Execution::Executed(_))));
        if executed {
            case.trace = Some(trace_case(path, case));
            return true;
        }
    }
    false
}

/// Runs `case` of the fixture at `path` again, traced, and ends the trace with the state root
/// line, as `lamina statetest --trace` (and go-ethereum's `evm statetest --trace`) write it.
fn trace_case(path: &Path, case: &CaseReport) -> FailureTrace {
    let file = match fixtures::load(path) {
        Ok(file) => file,
        Err(error) => return FailureTrace::Unavailable(format!("cannot read it again: {error}")),
    };
    let entry = file
        .get(&case.test)
        .and_then(|test| Some((test, test.post.get(&case.fork)?.get(case.index)?)));
    let Some((test, entry)) = entry else {
        return FailureTrace::Unavailable("the case is gone from the file".to_owned());
    };
    let mut sink = Spill::new(temp_path(case));
    let outcome =
        run_case(&PreparedTest::new(test), Case { fork: &case.fork, entry }, Some(&mut sink));
    let written = match (&outcome.execution, outcome.root) {
        (Some(Execution::Executed(_)), Some(root)) => write_state_root(&mut sink, &root),
        (Some(Execution::Error(error)), _) => Err(io::Error::other(error.clone())),
        _ => Err(io::Error::other("the transaction did not execute when run again")),
    };
    match written.and_then(|()| sink.finish()) {
        Ok(trace) => trace,
        Err(error) => {
            sink.discard();
            FailureTrace::Unavailable(error.to_string())
        }
    }
}

/// `<temp>/lamina-trace-<pid>-<test>-<fork>-<index>.jsonl`, the test name cut to letters,
/// digits and `-_.`.
fn temp_path(case: &CaseReport) -> PathBuf {
    let test: String = case
        .test
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .take(80)
        .collect();
    let name = format!(
        "lamina-trace-{}-{test}-{}-{}.jsonl",
        std::process::id(),
        case.fork.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        case.index
    );
    std::env::temp_dir().join(name)
}

/// A writer that keeps a short trace in memory and moves a long one to a file.
struct Spill {
    path: PathBuf,
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    /// Bytes and lines of the whole trace.
    bytes: u64,
    lines: u64,
    /// The last bytes of the trace.
    tail: Vec<u8>,
}

impl Spill {
    fn new(path: PathBuf) -> Self {
        Self { path, memory: Vec::new(), file: None, bytes: 0, lines: 0, tail: Vec::new() }
    }

    fn finish(&mut self) -> io::Result<FailureTrace> {
        let Some(file) = &mut self.file else {
            let text = String::from_utf8_lossy(&self.memory).into_owned();
            return Ok(FailureTrace::Inline { text });
        };
        file.flush()?;
        let tail = String::from_utf8_lossy(&self.tail);
        let mut tail: Vec<String> =
            tail.lines().rev().take(TAIL_LINES).map(str::to_owned).collect();
        tail.reverse();
        Ok(FailureTrace::File {
            path: self.path.clone(),
            lines: self.lines,
            truncated: self.bytes > MAX_FILE_BYTES,
            tail,
        })
    }

    /// Removes the file of a trace that failed.
    fn discard(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let before = self.bytes;
        self.bytes += buf.len() as u64;
        self.lines += buf.iter().filter(|&&byte| byte == b'\n').count() as u64;
        self.tail.extend_from_slice(&buf[buf.len().saturating_sub(TAIL_BYTES)..]);
        if self.tail.len() > TAIL_BYTES {
            self.tail.drain(..self.tail.len() - TAIL_BYTES);
        }
        if self.file.is_none() {
            if self.lines <= INLINE_LINES && self.memory.len() + buf.len() <= INLINE_BYTES {
                self.memory.extend_from_slice(buf);
                return Ok(buf.len());
            }
            let mut file = BufWriter::new(File::create(&self.path)?);
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        if let Some(file) = &mut self.file
            && before < MAX_FILE_BYTES
        {
            let room = usize::try_from(MAX_FILE_BYTES - before).unwrap_or(usize::MAX);
            file.write_all(&buf[..buf.len().min(room)])?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spill(name: &str) -> Spill {
        Spill::new(std::env::temp_dir().join(format!("lamina-spill-{}-{name}", std::process::id())))
    }

    #[test]
    fn a_short_trace_stays_in_memory() {
        let mut sink = spill("short");
        for n in 0..INLINE_LINES {
            writeln!(sink, "{{\"pc\":{n}}}").unwrap();
        }
        let FailureTrace::Inline { text } = sink.finish().unwrap() else { panic!("not inline") };
        assert_eq!(text.lines().count() as u64, INLINE_LINES);
        assert!(!sink.path.exists());
    }

    #[test]
    fn a_long_trace_goes_to_a_file_with_its_tail() {
        let mut sink = spill("long");
        // Several lines per write, as through the tracer's buffer.
        let chunk: String = (0..7).map(|n| format!("{{\"pc\":{n}}}\n")).collect();
        for _ in 0..30 {
            sink.write_all(chunk.as_bytes()).unwrap();
        }
        sink.write_all(b"{\"output\":\"\",\"gasUsed\":\"0x3\"}\n").unwrap();
        let trace = sink.finish().unwrap();
        let FailureTrace::File { path, lines, truncated, tail } = trace else { panic!("inline") };
        assert_eq!((lines, truncated), (211, false));
        assert_eq!(tail.len(), TAIL_LINES);
        assert_eq!(tail.last().unwrap(), r#"{"output":"","gasUsed":"0x3"}"#);
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.lines().count(), 211);
        assert!(written.starts_with("{\"pc\":0}\n{\"pc\":1}\n"));
        std::fs::remove_file(path).unwrap();
    }
}
