//! `lamina`: runs the Ethereum state tests against Lamina (`lamina statetest`), executes a
//! piece of bytecode on an empty state (`lamina run`), both with EIP-3155 traces on request,
//! and times the shared benchmark inputs (`lamina bench`).

mod bench;
mod exec;
mod run;
mod statetest;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code of a run in which every case passed (or the bytecode succeeded).
const EXIT_OK: u8 = 0;
/// Exit code of a run with a failing case (or bytecode that reverted, halted or was rejected).
const EXIT_FAILED: u8 = 1;
/// Exit code of a run that could not start: bad arguments or unreadable benchmark data.
const EXIT_USAGE: u8 = 2;

/// The Lamina EVM command-line tool.
#[derive(Debug, Parser)]
#[command(name = "lamina", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run Ethereum state tests (GeneralStateTests / execution-spec-tests `state_test` JSON).
    Statetest(statetest::Args),
    /// Execute bytecode on an empty in-memory state and print status, output and gas used.
    Run(run::Args),
    /// Time the shared benchmark inputs on Lamina, each run checked against revm's outcome.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Statetest(args) => statetest::main(args),
        Command::Run(args) => run::main(args),
        Command::Bench(args) => bench::main(args),
    }
}
