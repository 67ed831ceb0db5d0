//! Errors of command execution.

use std::fmt;
use std::time::Duration;

use crate::code::CodeInfo;
use crate::param::ParamError;
use crate::parse::ParseError;

/// What the client was waiting for when time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The final result code (`OK`, `ERROR`, ...).
    FinalResult,
    /// A data prompt (`>`, `DOWNLOAD`, `CONNECT`).
    Prompt,
    /// The URC that completes a deferred command.
    Completion,
    /// The next bytes of a payload.
    Data,
    /// The answer to the resynchronisation probe sent after an earlier command
    /// ended without its final result; the command itself was not sent.
    Resync,
}

/// Why a command did not give a typed result.
#[derive(Debug)]
#[non_exhaustive]
pub enum AtError {
    /// The modem answered with an error result code.
    Command {
        /// The command (`+SETPARAM`).
        command: &'static str,
        /// The result code's text (`ERROR`, `+CME ERROR:`).
        result: &'static str,
        /// The code, for coded results.
        code: Option<String>,
        /// The code's meaning from the spec, if listed.
        meaning: Option<&'static str>,
        /// An error-detail line sent just before the result, if any.
        detail: Option<String>,
        /// Information lines the modem sent before the error result (some modems
        /// print the failure reason as a response line before `ERROR`), in order.
        info: Vec<String>,
    },
    /// A deferred command's completion URC reported failure.
    Failed {
        /// The command.
        command: &'static str,
        /// The vendor code and its meaning.
        code: CodeInfo,
        /// A second code the URC carried (a server's reply code), when its spec
        /// names one (boxed: most failures have none).
        detail: Option<Box<CodeInfo>>,
    },
    /// Nothing arrived in time.
    Timeout {
        /// The command.
        command: &'static str,
        /// What was awaited.
        stage: Stage,
        /// How long the client waited.
        waited: Duration,
    },
    /// The information lines did not have the spec's shape.
    Response {
        /// The command.
        command: &'static str,
        /// What did not fit.
        error: ParseError,
    },
    /// A line longer than the framer's cap arrived during the command.
    Overflow {
        /// The command.
        command: &'static str,
        /// Bytes dropped.
        discarded: usize,
    },
    /// An upload's source ended before the announced length.
    ShortUpload {
        /// The command.
        command: &'static str,
        /// Bytes announced.
        expected: u64,
        /// Bytes the source had.
        sent: u64,
    },
    /// A completion URC states another byte count than the client received.
    LengthMismatch {
        /// The command.
        command: &'static str,
        /// Bytes the URC states.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// The command line is longer than the modem accepts (the dialect's limit,
    /// counted after the `AT` prefix); nothing was sent.
    LineTooLong {
        /// The command.
        command: &'static str,
        /// The line's length after `AT`.
        len: usize,
        /// The dialect's limit.
        max: usize,
    },
    /// A raw command line that cannot be sent as one command line; nothing was sent.
    InvalidLine {
        /// Byte offset of the problem in the line.
        at: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The command needs a different call: `what` says which.
    WrongCall {
        /// The command.
        command: &'static str,
        /// The call to use.
        what: &'static str,
    },
    /// The transport was closed or failed; pending and later commands end with this.
    Closed {
        /// Why, if known.
        reason: String,
    },
    /// Writing to the transport or the sink failed.
    Io(std::io::Error),
    /// A command could not be built: a parameter broke its spec's rules. Lets one
    /// `?` carry both building and sending a command
    /// (`client.send(&Cmd::new(url)?).await?`); nothing was sent. Boxed, so that
    /// every result of the client stays small.
    Param(Box<ParamError>),
}

impl fmt::Display for AtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Command {
                command,
                result,
                code,
                meaning,
                detail,
                info,
            } => {
                write!(f, "{command}: the modem answered {result}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                if let Some(meaning) = meaning {
                    write!(f, " ({meaning})")?;
                }
                if let Some(detail) = detail {
                    write!(f, " [{detail}]")?;
                }
                if !info.is_empty() {
                    write!(f, " after {}", info.join(" | "))?;
                }
                Ok(())
            }
            Self::Failed {
                command,
                code,
                detail,
            } => {
                write!(f, "{command} failed: {code}")?;
                match detail {
                    Some(detail) => write!(f, "; {detail}"),
                    None => Ok(()),
                }
            }
            Self::Timeout {
                command,
                stage,
                waited,
            } => write!(f, "{command}: no {stage:?} within {waited:?}"),
            Self::Response { command, error } => {
                write!(f, "{command}: unexpected response: {error}")
            }
            Self::Overflow { command, discarded } => write!(
                f,
                "{command}: dropped an over-long line of {discarded} bytes"
            ),
            Self::ShortUpload {
                command,
                expected,
                sent,
            } => {
                write!(
                    f,
                    "{command}: the upload source ended after {sent} of {expected} bytes"
                )
            }
            Self::WrongCall { command, what } => write!(f, "{command}: {what}"),
            Self::LineTooLong { command, len, max } => write!(
                f,
                "{command}: the command line has {len} characters after AT, the modem accepts at most {max}"
            ),
            Self::InvalidLine { at, reason } => {
                write!(f, "cannot send this line (byte {at}): {reason}")
            }
            Self::LengthMismatch {
                command,
                expected,
                received,
            } => {
                write!(
                    f,
                    "{command}: the modem reports {expected} bytes, {received} arrived"
                )
            }
            Self::Closed { reason } => write!(f, "the transport is closed: {reason}"),
            Self::Io(e) => write!(f, "transport error: {e}"),
            Self::Param(e) => write!(f, "invalid command, not sent: {e}"),
        }
    }
}

impl std::error::Error for AtError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Param(e) => Some(e.as_ref()),
            Self::Response { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<ParamError> for AtError {
    fn from(e: ParamError) -> Self {
        Self::Param(Box::new(e))
    }
}

impl From<std::io::Error> for AtError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}
