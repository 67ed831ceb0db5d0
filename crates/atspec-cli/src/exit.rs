//! Exit statuses and the one error type the subcommands return.
//!
//! | status | meaning |
//! | --- | --- |
//! | 0 | done; for `http`, the server answered 2xx (or the modem reported success without a status) |
//! | 1 | the tool itself failed (its async runtime would not start) |
//! | 2 | usage: a bad command line, URL, header or package name; `--modem` missing |
//! | 3 | `http`: the server answered with a status other than 2xx (the body is still written) |
//! | 4 | the modem: it lacks the task or an option asked for, refused a command, or a task step failed (the vendor code and its meaning are printed) |
//! | 5 | the connection: the port or TCP address cannot be opened, the emulator cannot start, or the line to the modem closed |
//! | 6 | a local file: `-d @FILE` or the upload cannot be read, `-o FILE` cannot be written |

use std::fmt;
use std::process::ExitCode;

use atspec::AtError;
use atspec::task::TaskError;

/// The exit statuses, as `--help` lists them.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  done (for http: a 2xx status, or success reported without one)
  1  the tool itself failed
  2  usage: bad arguments, URL, header or package name; --modem missing
  3  http: the server answered a status other than 2xx (the body is still written)
  4  the modem: it lacks the task or option, refused a command, or a task step failed
  5  the connection: port, TCP address or emulator unavailable, or the line closed
  6  a local file cannot be read or written";

/// Why a subcommand failed, with the status it exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Status 1.
    Internal,
    /// Status 2.
    Usage,
    /// Status 3.
    HttpStatus,
    /// Status 4.
    Modem,
    /// Status 5.
    Connection,
    /// Status 6.
    LocalFile,
}

impl Kind {
    /// The process exit status.
    pub fn status(self) -> u8 {
        match self {
            Self::Internal => 1,
            Self::Usage => 2,
            Self::HttpStatus => 3,
            Self::Modem => 4,
            Self::Connection => 5,
            Self::LocalFile => 6,
        }
    }
}

/// A failure: what to print and the status to exit with.
#[derive(Debug)]
pub struct Failure {
    /// The status.
    pub kind: Kind,
    /// What to tell the user (one or more lines).
    pub message: String,
}

impl Failure {
    /// A failure of `kind` saying `message`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A usage mistake.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    /// A connection that could not be made or was lost.
    pub fn connection(message: impl Into<String>) -> Self {
        Self::new(Kind::Connection, message)
    }

    /// A local file that could not be read or written.
    pub fn local_file(what: &str, path: &std::path::Path, error: &std::io::Error) -> Self {
        Self::new(
            Kind::LocalFile,
            format!("cannot {what} {}: {error}", path.display()),
        )
    }

    /// The modem lacks a task altogether.
    pub fn lacks_task(modem: &str, task: &str) -> Self {
        Self::new(
            Kind::Modem,
            format!("the {modem} modem has no {task} task: its spec declares none"),
        )
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind.status())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&AtError> for Failure {
    /// A command's error: a lost line is the connection's, a line that cannot be
    /// sent is a usage mistake, anything else the modem's.
    fn from(error: &AtError) -> Self {
        let kind = match error {
            AtError::Closed { .. } | AtError::Io(_) => Kind::Connection,
            AtError::InvalidLine { .. } | AtError::Param(_) | AtError::LineTooLong { .. } => {
                Kind::Usage
            }
            _ => Kind::Modem,
        };
        Self::new(kind, error.to_string())
    }
}

impl From<TaskError> for Failure {
    /// The task error's own text (modem, task, step, vendor code and meaning), as a
    /// connection failure when the line to the modem closed or broke, else as the
    /// modem's.
    fn from(error: TaskError) -> Self {
        let kind = match error.at_error() {
            Some(AtError::Closed { .. } | AtError::Io(_)) => Kind::Connection,
            _ => Kind::Modem,
        };
        Self::new(kind, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atspec::task::TaskErrorKind;

    #[test]
    fn every_status_is_documented_once() {
        let kinds = [
            Kind::Internal,
            Kind::Usage,
            Kind::HttpStatus,
            Kind::Modem,
            Kind::Connection,
            Kind::LocalFile,
        ];
        for kind in kinds {
            let line = format!("\n  {}  ", kind.status());
            assert_eq!(
                EXIT_STATUS_HELP.matches(&line).count(),
                1,
                "{kind:?} in {EXIT_STATUS_HELP}"
            );
        }
    }

    #[test]
    fn a_closed_line_is_a_connection_failure_and_a_refusal_the_modems() {
        let closed = TaskError::new(
            "m",
            "t",
            None,
            TaskErrorKind::from(AtError::Io(std::io::Error::other("gone"))),
        );
        assert_eq!(Failure::from(closed).kind, Kind::Connection);
        let unsupported = TaskError::new(
            "m",
            "t",
            None,
            TaskErrorKind::Unsupported { option: "x".into() },
        );
        let failure = Failure::from(unsupported);
        assert_eq!(failure.kind, Kind::Modem);
        assert!(failure.message.contains("does not support x"), "{failure}");
    }
}
