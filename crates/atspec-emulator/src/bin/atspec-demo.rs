//! `cargo run -p atspec-emulator --bin atspec-demo [-- --fault <name>]`: runs the
//! demo and exits non-zero if any check fails.
//!
//! Faults: `http-down` (the HTTP servers are gone: the HTTP checks fail with the
//! modules' network errors), `ftp-refuse-login` (every FTP server refuses logins: the
//! FTP checks fail with each vendor's login error code).

use std::process::ExitCode;

use atspec_emulator::demo::{self, Fault};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fault = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => None,
        ["--fault", name] => match Fault::parse(name) {
            Some(fault) => Some(fault),
            None => {
                eprintln!("unknown fault `{name}`; known: {}", Fault::NAMES.join(", "));
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: atspec-demo [--fault <{}>]", Fault::NAMES.join("|"));
            eprintln!("  http-down         the HTTP servers are gone: HTTP checks fail");
            eprintln!("  ftp-refuse-login  every FTP server refuses logins: FTP checks fail");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    match runtime.block_on(demo::run(fault, &mut stdout)) {
        Ok(report) if report.passed() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("writing the transcript failed: {e}");
            ExitCode::FAILURE
        }
    }
}
