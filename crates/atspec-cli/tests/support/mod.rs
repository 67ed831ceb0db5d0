//! Running the `atspec` binary, and a standing emulator (`atspec emulate`) as a
//! child process whose printed addresses the tests use.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

/// The path of the built binary.
pub const ATSPEC: &str = env!("CARGO_BIN_EXE_atspec");

/// `atspec ARGS…`, ready to run.
pub fn atspec<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(ATSPEC);
    command
        .args(args)
        .timeout(std::time::Duration::from_secs(60));
    command
}

/// What a run printed, and its status.
#[derive(Debug)]
pub struct Run {
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Panics with everything printed unless the status is `want`.
    pub fn expect_status(self, want: i32) -> Self {
        assert_eq!(
            self.status,
            Some(want),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout_text(),
            self.stderr
        );
        self
    }
}

/// Runs `atspec ARGS…` to its end.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = atspec(args).output().expect("atspec runs");
    Run {
        status: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The SHA-256 of `bytes`, hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A path inside `dir` as a string argument.
pub fn arg(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// `atspec emulate MODEM OPTIONS…` running as a child process, and where it said
/// everything is. Stopped with SIGTERM when dropped.
pub struct Standing {
    child: Child,
    /// The modem's TCP address or pseudo-terminal path.
    pub modem_at: String,
    /// The HTTP server's base URL (`http://127.0.0.1:N`).
    pub http: String,
    /// The FTP server's port.
    pub ftp_port: u16,
    /// The FTP account.
    pub ftp_user: String,
    pub ftp_password: String,
}

impl Standing {
    /// Starts the emulator and reads what it prints up to its `Ctrl+C` line.
    pub fn start(modem: &str, options: &[&str]) -> Self {
        let mut child = StdCommand::new(ATSPEC)
            .arg("emulate")
            .arg(modem)
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("atspec emulate starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("the emulator prints text");
            let done = line.starts_with("Ctrl+C");
            lines.push(line);
            if done {
                break;
            }
        }
        let text = lines.join("\n");
        let field = |prefix: &str| -> String {
            lines
                .iter()
                .find_map(|l| l.trim_start().strip_prefix(prefix))
                .unwrap_or_else(|| panic!("no `{prefix}` in:\n{text}"))
                .trim()
                .to_owned()
        };
        let modem_at = field("emulated ")
            .split_once("modem: ")
            .map(|(_, at)| at.to_owned())
            .unwrap_or_else(|| panic!("no modem address in:\n{text}"));
        let http = field("http:").trim_end_matches('/').to_owned();
        // `127.0.0.1 port 40000 user "modem" password "secret" (Plain)`
        let ftp = field("ftp:");
        let words: Vec<&str> = ftp.split_whitespace().collect();
        let unquote = |w: &str| w.trim_matches('"').to_owned();
        Self {
            child,
            modem_at,
            http,
            ftp_port: words[2].parse().expect("an FTP port"),
            ftp_user: unquote(words[4]),
            ftp_password: unquote(words[6]),
        }
    }

    /// `ftp[s]://user:password@127.0.0.1:port/path` on the emulator's server.
    pub fn ftp_url(&self, scheme: &str, path: &str) -> String {
        format!(
            "{scheme}://{}:{}@127.0.0.1:{}{path}",
            self.ftp_user, self.ftp_password, self.ftp_port
        )
    }
}

impl Drop for Standing {
    fn drop(&mut self) {
        // SIGTERM, so the emulator removes its FTP folder; then reap it.
        let stopped = StdCommand::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .is_ok_and(|s| s.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
