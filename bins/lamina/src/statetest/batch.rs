//! Batch mode for differential fuzzers (goevmlab): fixture paths arrive on standard input, one
//! per line, and every case answers with one `{"stateRoot": "0x…"}` line on standard output,
//! flushed at once so that the fuzzer, which waits for it, never stalls.

use std::{
    io::{self, BufRead, IsTerminal, Write},
    path::Path,
    process::ExitCode,
};

use lamina_primitives::B256;
use lamina_statetest_types::{Case, fixtures};
use serde::Serialize;

use super::{Filter, PreparedTest, run_case};
use crate::{EXIT_FAILED, EXIT_OK};

/// The answer for one case; `error` only when no state root could be computed (unreadable
/// file, unknown fork, broken fixture), so that the reader still gets a line to wait for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    state_root: Option<B256>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Runs the cases of every path read from standard input, in order and one at a time.
pub fn main(filter: &Filter, trace: bool) -> ExitCode {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        eprintln!("lamina statetest: reading fixture paths from standard input (batch mode)");
    }
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr();
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                eprintln!("lamina: reading standard input: {error}");
                return ExitCode::from(EXIT_FAILED);
            }
        };
        let path = line.trim();
        if path.is_empty() {
            continue;
        }
        let trace: Option<&mut dyn Write> = if trace { Some(&mut stderr) } else { None };
        if let Err(error) = answer_file(Path::new(path), filter, &mut stdout, trace) {
            // Standard output is gone (the fuzzer quit): nothing more to say to anyone.
            eprintln!("lamina: writing to standard output: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    }
    ExitCode::from(EXIT_OK)
}

fn answer_file(
    path: &Path,
    filter: &Filter,
    out: &mut impl Write,
    mut trace: Option<&mut dyn Write>,
) -> io::Result<()> {
    let file = match fixtures::load(path) {
        Ok(file) => file,
        Err(error) => {
            return write(out, Answer { state_root: None, error: Some(error.to_string()) });
        }
    };
    for (name, test) in file.iter().filter(|(name, _)| filter.test(name)) {
        let prepared = PreparedTest::new(test);
        for (fork, _, entry) in filter.cases(test) {
            // Reborrowed for this case only (a plain `as_deref_mut` would hold it for the
            // writer's whole lifetime).
            let trace = trace.as_mut().map(|trace| &mut **trace as &mut dyn Write);
            let outcome = run_case(&prepared, Case { fork, entry }, trace);
            let answer = match outcome.root {
                Some(root) => Answer { state_root: Some(root), error: None },
                None => {
                    let error = outcome.failure.map(|failure| format!("{name}: {failure}"));
                    Answer { state_root: None, error }
                }
            };
            write(out, answer)?;
        }
    }
    Ok(())
}

fn write(out: &mut impl Write, answer: Answer) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &answer)?;
    writeln!(out)?;
    out.flush()
}
