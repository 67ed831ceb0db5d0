//! Errors of command execution.

use std::fmt;
use std::time::Duration;

use super::info_line::InfoLine;
use crate::code::CodeInfo;
use crate::dialect::FinalResult;
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

/// An error-detail line (a result of `kind: detail` in the spec) that the modem
/// sent just before an error result to say why, decoded through the spec's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetail {
    /// The line's text before the code (`ERR CODE:`).
    pub text: &'static str,
    /// The code as sent (trimmed), when the line carries one.
    pub code: Option<String>,
    /// The code's meaning from the spec's table; `None` for a code the table does
    /// not list (or a line without a table).
    pub meaning: Option<&'static str>,
    /// The line as received.
    pub line: String,
}

impl ErrorDetail {
    /// The detail `result` classified on `line`.
    pub(crate) fn new(result: FinalResult, line: &[u8]) -> Self {
        Self {
            text: result.text,
            code: result.code,
            meaning: result.meaning,
            line: String::from_utf8_lossy(line).into_owned(),
        }
    }

    /// The code as a number, written in hex with `0x` (`0x010a7194`) or in
    /// decimal; `None` when the line has no code or the code is no number.
    pub fn number(&self) -> Option<u64> {
        let text = self.code.as_deref()?;
        match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => text.parse().ok(),
        }
    }
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(code) = &self.code else {
            return f.write_str(&self.line);
        };
        // `ERR CODE:` reads `ERR CODE 0x...: <meaning>`.
        let text = self.text.trim_end().trim_end_matches([':', '=']).trim_end();
        match self.meaning {
            Some(meaning) => write!(f, "{text} {code}: {meaning}"),
            None => write!(f, "{text} {code}, not listed in the manual"),
        }
    }
}

/// What an error result says: the result, its code and meaning, the decoded
/// detail line and the information lines before it.
pub(crate) fn refusal_text(
    f: &mut fmt::Formatter<'_>,
    result: &str,
    code: Option<&str>,
    meaning: Option<&str>,
    detail: Option<&ErrorDetail>,
    info: &[InfoLine],
) -> fmt::Result {
    write!(f, "the modem answered {result}")?;
    if let Some(code) = code {
        write!(f, " {code}")?;
    }
    if let Some(meaning) = meaning {
        write!(f, " ({meaning})")?;
    }
    if let Some(detail) = detail {
        write!(f, " ({detail})")?;
    }
    for (i, line) in info.iter().enumerate() {
        f.write_str(if i == 0 { " after " } else { " | " })?;
        write!(f, "{line}")?;
    }
    Ok(())
}

/// What was awaited, in words.
pub(crate) fn stage_text(stage: Stage) -> &'static str {
    match stage {
        Stage::FinalResult => "final result",
        Stage::Prompt => "data prompt",
        Stage::Completion => "completion",
        Stage::Data => "data",
        Stage::Resync => "answer to the resynchronisation probe",
    }
}

/// A code with its meaning in brackets, inside a sentence: `7 (host not found)`.
fn code_in_text(f: &mut fmt::Formatter<'_>, code: &CodeInfo) -> fmt::Result {
    match code.meaning {
        Some(meaning) => write!(f, "{} ({meaning})", code.code),
        None => write!(f, "{} (not listed in the manual)", code.code),
    }
}

/// What a failed completion says: its code and meaning, and the second code it
/// carried (a server's reply code), without the spec's table names.
pub(crate) fn failure_text(
    f: &mut fmt::Formatter<'_>,
    code: &CodeInfo,
    detail: Option<&CodeInfo>,
) -> fmt::Result {
    f.write_str("the modem reported ")?;
    code_in_text(f, code)?;
    if let Some(detail) = detail {
        f.write_str(", with ")?;
        code_in_text(f, detail)?;
    }
    Ok(())
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
        /// The error-detail line sent just before the result, if any, with its
        /// code decoded through the spec's table (boxed: most errors have none).
        detail: Option<Box<ErrorDetail>>,
        /// Information lines the modem sent before the error result (some modems
        /// print the failure reason as a response line before `ERROR`), in order,
        /// each decoded through the spec when the command declares its shape.
        info: Vec<InfoLine>,
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
                write!(f, "{command}: ")?;
                refusal_text(
                    f,
                    result,
                    code.as_deref(),
                    *meaning,
                    detail.as_deref(),
                    info,
                )
            }
            Self::Failed {
                command,
                code,
                detail,
            } => {
                write!(f, "{command}: ")?;
                failure_text(f, code, detail.as_deref())
            }
            Self::Timeout {
                command,
                stage,
                waited,
            } => write!(f, "{command}: no {} within {waited:?}", stage_text(*stage)),
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
