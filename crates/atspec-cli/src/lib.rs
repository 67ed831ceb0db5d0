//! The `atspec` command-line tool, as a library so its parts can be tested on
//! their own. It names no vendor: every modem fact comes from the generated
//! packages listed by `atspec-packages`.

#![forbid(unsafe_code)]

pub mod args;
pub mod decode;
pub mod redact;

use std::process::ExitCode;

use args::Cli;

/// Runs one command line.
pub fn run(cli: Cli) -> ExitCode {
    let command = cli.command;
    eprintln!("atspec: {command:?} is not built yet");
    ExitCode::FAILURE
}
