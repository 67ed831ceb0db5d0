//! The `atspec` command-line tool, as a library so its parts can be tested on
//! their own. It names no vendor: every modem fact comes from the generated
//! packages listed by `atspec-packages`.

#![forbid(unsafe_code)]

pub mod args;
pub mod decode;
pub mod identify;
pub mod ports;
pub mod record;
pub mod redact;
pub mod term;

use std::process::ExitCode;

use args::{Cli, Command};

/// Runs one command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Decode {
            modem,
            file,
            json,
            show_secrets,
        } => {
            let options = decode::Options {
                modem,
                json,
                show_secrets,
            };
            decode::run(&file, &options, atspec_packages::PACKAGES)
        }
        command => {
            eprintln!("atspec: {command:?} is not built yet");
            ExitCode::FAILURE
        }
    }
}
