//! `cargo run -p atspec-emulator --bin atspec-emulator -- <module> [options]`: loopback
//! servers and one emulated modem on a TCP port or a pseudo-terminal, for firmware tests
//! written in any language. `--help` lists the options.

use std::process::ExitCode;

use atspec_emulator::serve::{USAGE, parse_args, start};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match parse_args(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("atspec-emulator: {message}\n\n{USAGE}");
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
            eprintln!("atspec-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let serving = match start(options).await {
            Ok(serving) => serving,
            Err(e) => {
                eprintln!("atspec-emulator: cannot start: {e}");
                return ExitCode::FAILURE;
            }
        };
        print!("{}", serving.describe());
        println!("Ctrl+C stops it.");
        // Dropping `serving` stops the servers and removes the FTP folder.
        let stopped = tokio::signal::ctrl_c().await;
        drop(serving);
        match stopped {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("atspec-emulator: waiting for Ctrl+C failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
