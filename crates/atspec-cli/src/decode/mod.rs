//! `atspec decode`: explains every line of a captured session with the specs.
//!
//! # Input
//!
//! The format is told from the bytes (see [`mod@format`]):
//!
//! - lines prefixed `> ` (host) and `< ` (modem);
//! - an echo-on text capture (a serial monitor's dump): a line starting with `AT`
//!   or `at` is the host's command as echoed, every other line is the modem's;
//! - raw bytes (any CR, control byte or non-UTF-8 byte): split on CR and LF, with
//!   payloads taken by their announced lengths, so they may hold CR LF and `OK`.
//!
//! A text capture's line ends count as CR LF in a payload's length. Line numbers
//! count lines of the capture, a raw capture's CR LF, LF and lone CR alike.
//!
//! # Output
//!
//! One line per line of the capture (a payload is one line, on the line it
//! starts on) with what it is, the command it belongs to, its fields and the
//! meanings of its codes; anomalies (an answer with no command, a command with no
//! final result, a failure code, a completion that never came, a payload cut
//! short) are marked `!!`. `--json` prints one object per line instead (see
//! [`json`]); the header lines then go to stderr. Secrets (passwords, Wi-Fi
//! keys) are shown as `***` unless `--show-secrets`.
//!
//! # Exit status
//!
//! 0: decoded, no anomaly; 1: decoded, with anomalies; 2: not decoded (unreadable
//! input, unknown package).

mod answer;
mod choose;
mod data;
mod fields;
pub mod format;
mod human;
pub mod json;
pub mod model;
mod session;
mod tape;
#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use atspec::dynamic::Package;

pub use choose::{DecodeError, Decoded, choose};
pub use human::entry_line;
pub use model::{Dir, Entry};

/// What `atspec decode` was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The package named with `--modem`.
    pub modem: Option<String>,
    /// `--json`.
    pub json: bool,
    /// `--show-secrets`.
    pub show_secrets: bool,
}

/// What `atspec decode` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The explained lines.
    pub stdout: String,
    /// The header lines, with `--json`.
    pub stderr: String,
    /// How many anomalies were found.
    pub anomalies: usize,
}

/// Explains bytes recorded each way (`(Dir::Host, b"AT\r")`, then the modem's) with
/// `package`: what the tool's own exchanges print after they ran.
pub fn explain_recorded(
    package: &dyn Package,
    pieces: &[(Dir, &[u8])],
    show_secrets: bool,
) -> Vec<Entry> {
    session::explain(package, format::Stream::recorded(pieces), show_secrets)
}

/// Explains `input` with `packages` as `options` say.
pub fn render(
    input: &[u8],
    options: &Options,
    packages: &[&dyn Package],
) -> Result<Rendered, DecodeError> {
    let decoded = choose(
        packages,
        options.modem.as_deref(),
        input,
        options.show_secrets,
    )?;
    let anomalies = decoded.entries.iter().map(|e| e.anomalies.len()).sum();
    let (stdout, stderr) = if options.json {
        let header: String = decoded
            .header
            .iter()
            .map(|h| format!("atspec decode: {h}\n"))
            .collect();
        (json::render(&decoded.entries), header)
    } else {
        (
            human::render(&decoded.header, &decoded.entries),
            String::new(),
        )
    };
    Ok(Rendered {
        stdout,
        stderr,
        anomalies,
    })
}

/// Runs `atspec decode` on `file` (`-`: stdin) with `packages`.
pub fn run(file: &Path, options: &Options, packages: &[&dyn Package]) -> ExitCode {
    let input = if file == Path::new("-") {
        let mut input = Vec::new();
        std::io::stdin().read_to_end(&mut input).map(|_| input)
    } else {
        std::fs::read(file)
    };
    let input = match input {
        Ok(input) => input,
        Err(e) => {
            eprintln!("atspec decode: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    match render(&input, options, packages) {
        Ok(rendered) => {
            eprint!("{}", rendered.stderr);
            print!("{}", rendered.stdout);
            if rendered.anomalies == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("atspec decode: {e}");
            ExitCode::from(2)
        }
    }
}
