//! The demo behind the README's main command: loopback servers, one emulated
//! modem per vendor, real transfers through each vendor's generated driver, a
//! readable transcript and SHA-256 checks. A fault can be injected to show how a
//! failure is reported.

mod a76xx;
mod ec200u;
mod esp_at;
mod sim800;
mod sim800_ftp;
pub mod transcript;

use std::fmt;
use std::io::Write;

use sha2::{Digest, Sha256};

use crate::backend::ftp::{FtpFaults, FtpOptions};

/// A fault to inject into the demo's transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The HTTP server is gone: requests fail with the module's network error.
    HttpDown,
    /// Every FTP server refuses logins (`530`): uploads and downloads fail with each
    /// module's login error code.
    FtpRefuseLogin,
}

impl Fault {
    /// The names the command line accepts.
    pub const NAMES: &'static [&'static str] = &["http-down", "ftp-refuse-login"];

    /// Parses a fault name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "http-down" => Some(Self::HttpDown),
            "ftp-refuse-login" => Some(Self::FtpRefuseLogin),
            _ => None,
        }
    }
}

/// One check of the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which modem and operation.
    pub what: String,
    /// `Ok(detail)` or `Err(why)`.
    pub outcome: Result<String, String>,
}

/// All checks of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// In order.
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.outcome.is_ok())
    }

    fn push(&mut self, what: impl Into<String>, outcome: Result<String, String>) {
        self.checks.push(Check {
            what: what.into(),
            outcome,
        });
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            match &check.outcome {
                Ok(detail) => writeln!(f, "  ok    {}: {detail}", check.what)?,
                Err(why) => writeln!(f, "  FAIL  {}: {why}", check.what)?,
            }
        }
        let failed = self.checks.iter().filter(|c| c.outcome.is_err()).count();
        write!(f, "{} checks, {} failed", self.checks.len(), failed)
    }
}

/// Runs every vendor's flows, writing the transcript to `out`.
pub async fn run(fault: Option<Fault>, out: &mut dyn Write) -> std::io::Result<Report> {
    let mut report = Report::default();
    sim800::run(fault, out, &mut report).await?;
    writeln!(out)?;
    sim800_ftp::run(fault, out, &mut report).await?;
    writeln!(out)?;
    esp_at::run(fault, out, &mut report).await?;
    writeln!(out)?;
    a76xx::run(fault, out, &mut report).await?;
    writeln!(out)?;
    ec200u::run(fault, out, &mut report).await?;
    writeln!(out)?;
    writeln!(out, "{report}")?;
    Ok(report)
}

/// `options` with the demo's fault, if it concerns FTP servers.
fn ftp_options(options: FtpOptions, fault: Option<Fault>) -> FtpOptions {
    options.with_faults(FtpFaults {
        refuse_logins: fault == Some(Fault::FtpRefuseLogin),
        ..FtpFaults::default()
    })
}

/// Compares the SHA-256 of what arrived with the expected bytes'.
fn check(got: &[u8], expected: &[u8]) -> Result<String, String> {
    let (got, expected) = (sha256(got), sha256(expected));
    if got == expected {
        Ok(format!("sha256 {got}"))
    } else {
        Err(format!("sha256 {got}, expected {expected}"))
    }
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
