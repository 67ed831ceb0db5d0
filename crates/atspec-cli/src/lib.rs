//! The `atspec` command-line tool, as a library so its parts can be tested on
//! their own. It names no vendor: every modem fact comes from the generated
//! packages listed by `atspec-packages`.
//!
//! Exit statuses: see [`exit`].

#![forbid(unsafe_code)]

pub mod args;
pub mod at;
pub mod connect;
pub mod data_arg;
pub mod decode;
pub mod emulate;
pub mod exchange;
pub mod exit;
pub mod ftp;
pub mod ftp_url;
pub mod http;
pub mod identify;
pub mod link;
pub mod output;
pub mod packages;
pub mod ports;
pub mod progress;
pub mod record;
pub mod redact;
pub mod tap;
pub mod term;
pub mod transcript;

use std::process::ExitCode;

use args::{Cli, Command};
use exit::{Failure, Kind};

/// Runs one command line; failures are printed on stderr and give the exit
/// status [`exit`] lists.
pub fn run(cli: Cli) -> ExitCode {
    // Decoding reads a file and talks to no modem: no async runtime.
    if let Command::Decode {
        modem,
        file,
        json,
        show_secrets,
    } = cli.command
    {
        let options = decode::Options {
            modem,
            json,
            show_secrets,
        };
        return decode::run(&file, &options, atspec_packages::PACKAGES);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("atspec: cannot start the async runtime: {e}");
            return ExitCode::from(Kind::Internal.status());
        }
    };
    let result = runtime.block_on(dispatch(cli.command));
    // The emulator's tasks and a serial port's reader stop with the runtime.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("atspec: {failure}");
            failure.exit_code()
        }
    }
}

async fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Http(args) => http::run(args).await,
        Command::Ftp(args) => ftp::run(args).await,
        Command::Emulate(args) => emulate::run(args).await,
        Command::At {
            connection,
            line,
            raw,
            data,
            json,
        } => {
            at::run(at::AtArgs {
                connection,
                line,
                raw,
                data,
                json,
            })
            .await
        }
        Command::Term { connection } => term::run(connection).await,
        Command::Identify { connection, json } => identify::run(connection, json).await,
        Command::Ports { json } => ports::run(json),
        // `run` decodes before starting the runtime; this arm is never taken.
        Command::Decode { .. } => Err(Failure::new(
            Kind::Internal,
            "decode runs without the async runtime",
        )),
    }
}
