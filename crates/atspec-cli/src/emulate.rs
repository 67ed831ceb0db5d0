//! `atspec emulate`: the standing emulator, until Ctrl+C (or SIGTERM).

use std::io::Write as _;

use atspec_emulator::serve::{USAGE, parse_args, start};

use crate::args::EmulateArgs;
use crate::exit::Failure;

/// Starts the emulator `args` describe, prints where everything is, and serves
/// until the process is told to stop.
pub async fn run(args: EmulateArgs) -> Result<(), Failure> {
    if args.options.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let mut words = vec![args.modem];
    words.extend(args.options);
    let options = parse_args(&words).map_err(|m| Failure::usage(format!("{m}\n\n{USAGE}")))?;
    let serving = start(options)
        .await
        .map_err(|e| Failure::connection(format!("the emulator cannot start: {e}")))?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}Ctrl+C stops it.", serving.describe());
    let _ = stdout.flush();
    let stopped = stop_signal().await;
    // Dropping `serving` stops the servers and removes the FTP folder.
    drop(serving);
    stopped.map_err(|e| {
        Failure::new(
            crate::exit::Kind::Internal,
            format!("waiting for Ctrl+C failed: {e}"),
        )
    })
}

/// Waits for Ctrl+C, or on Unix also for SIGTERM (what `kill` and service
/// managers send).
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            stopped = tokio::signal::ctrl_c() => stopped,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
