//! `atspec`: the command-line tool. `atspec --help` lists the subcommands.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    atspec_cli::run(atspec_cli::args::Cli::parse())
}
