//! The one error every task returns: which modem, task and step, and what happened.

use std::fmt;
use std::time::Duration;

use crate::client::{AtError, InfoLine, failure_text, refusal_text, stage_text};

/// Why a task failed: which modem, task and step, and what happened there.
#[derive(Debug)]
pub struct TaskError {
    /// The modem's name ([`Driver::NAME`](super::Driver::NAME)).
    pub modem: &'static str,
    /// The task (`http.request`, `network.connect`).
    pub task: &'static str,
    /// The step that was running, when the failure belongs to one.
    pub step: Option<&'static str>,
    /// What happened.
    pub kind: TaskErrorKind,
}

/// What went wrong in a task.
#[derive(Debug)]
#[non_exhaustive]
pub enum TaskErrorKind {
    /// A command of the task failed: the modem's code and its meaning from the
    /// spec's tables, the information lines before the failure, a server reply
    /// code, a timeout, a dropped transport: all inside the [`AtError`]. Boxed, so
    /// that every task result stays small.
    Command(Box<AtError>),
    /// A task input the modem cannot take (a parameter the command refuses, a body
    /// larger than the module accepts, a number out of the command's range).
    Input {
        /// Which input.
        what: &'static str,
        /// Why it was refused.
        why: String,
    },
    /// The modem lacks an option the caller asked for (`"method PUT"`,
    /// `"implicit TLS"`, `"Wi-Fi link"`, `"request headers"`).
    Unsupported {
        /// The option.
        option: String,
    },
    /// An HTTP status the caller asked to treat as an error
    /// ([`HttpResponse::error_for_status`](super::HttpResponse::error_for_status)).
    Status {
        /// The status code.
        status: u16,
    },
    /// The modem answered in a way the task's procedure does not allow (the link
    /// still down after bring-up; a value the next step cannot use).
    Unexpected {
        /// What was unexpected.
        what: String,
    },
    /// The modem delivered more than the task keeps in memory (a directory
    /// listing over [`FTP_LISTING_LIMIT`](super::FTP_LISTING_LIMIT)); it was read to
    /// its end and dropped.
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size in bytes.
        size: u64,
        /// The most the task keeps.
        limit: u64,
    },
    /// The caller's time bound for the whole task ran out before the step could
    /// start (or, in a polling step, before the condition held).
    Timeout {
        /// The caller's bound.
        waited: Duration,
    },
}

impl TaskError {
    /// The error of `task` on `modem` at `step`.
    pub fn new(
        modem: &'static str,
        task: &'static str,
        step: Option<&'static str>,
        kind: TaskErrorKind,
    ) -> Self {
        Self {
            modem,
            task,
            step,
            kind,
        }
    }

    /// The command failure, if the task failed on one.
    pub fn at_error(&self) -> Option<&AtError> {
        match &self.kind {
            TaskErrorKind::Command(e) => Some(e),
            _ => None,
        }
    }

    /// The vendor code and its meaning from the spec's table, when the failure
    /// carries one: the code of an error result (`+CME ERROR: 3`); for an error
    /// result without a code, the code of the error-detail line before it (`ERR
    /// CODE:0x010a7000` before `ERROR`), else the first coded field of a declared
    /// information line before it (a join failure's reason); or the failure code
    /// of a completion URC. The meaning is `None` for a code the manual does not
    /// list.
    pub fn vendor_code(&self) -> Option<(String, Option<&'static str>)> {
        match self.at_error()? {
            AtError::Command {
                code: Some(code),
                meaning,
                ..
            } => Some((code.clone(), *meaning)),
            AtError::Command {
                code: None,
                detail: Some(detail),
                ..
            } if detail.code.is_some() => Some((detail.code.clone()?, detail.meaning)),
            AtError::Command {
                code: None, info, ..
            } => info
                .iter()
                .flat_map(InfoLine::codes)
                .next()
                .map(|f| (f.value.clone(), f.meaning)),
            AtError::Failed { code, .. } => Some((code.code.clone(), code.meaning)),
            _ => None,
        }
    }

    /// The second code a failed completion carried beside
    /// [`vendor_code`](Self::vendor_code) (a server's reply code), with its meaning.
    pub fn detail_code(&self) -> Option<(String, Option<&'static str>)> {
        match self.at_error()? {
            AtError::Failed {
                detail: Some(detail),
                ..
            } => Some((detail.code.clone(), detail.meaning)),
            _ => None,
        }
    }

    /// The information lines the modem sent before an error result (some modems
    /// give the failure's reason there), decoded through the spec where the
    /// command declares them; empty when there were none.
    pub fn info_lines(&self) -> &[InfoLine] {
        match self.at_error() {
            Some(AtError::Command { info, .. }) => info,
            _ => &[],
        }
    }

    /// Whether the modem refused a command with an error result (`ERROR`,
    /// `+CME ERROR: <n>`), as opposed to a timeout, a dropped line or a failed
    /// completion: what a recovery step answers.
    pub fn is_refusal(&self) -> bool {
        matches!(self.at_error(), Some(AtError::Command { .. }))
    }

    /// The number on the error-detail line sent before an error result (`ERR
    /// CODE:0x010a7194` gives 0x010a7194), written in hex with `0x` or in decimal.
    pub fn detail_number(&self) -> Option<u64> {
        match self.at_error()? {
            AtError::Command {
                detail: Some(detail),
                ..
            } => detail.number(),
            _ => None,
        }
    }

    /// Whether time ran out: a command's wait, or the caller's bound for the task.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, TaskErrorKind::Timeout { .. })
            || matches!(self.at_error(), Some(AtError::Timeout { .. }))
    }
}

/// The command an [`AtError`] names, if any.
fn command_of(e: &AtError) -> Option<&'static str> {
    match e {
        AtError::Command { command, .. }
        | AtError::Failed { command, .. }
        | AtError::Timeout { command, .. }
        | AtError::Response { command, .. }
        | AtError::Overflow { command, .. }
        | AtError::ShortUpload { command, .. }
        | AtError::LengthMismatch { command, .. }
        | AtError::LineTooLong { command, .. }
        | AtError::WrongCall { command, .. } => Some(command),
        _ => None,
    }
}

/// What a command failure says, after the command has been named.
fn command_failure(f: &mut fmt::Formatter<'_>, e: &AtError) -> fmt::Result {
    match e {
        AtError::Command {
            result,
            code,
            meaning,
            detail,
            info,
            ..
        } => refusal_text(
            f,
            result,
            code.as_deref(),
            *meaning,
            detail.as_deref(),
            info,
        ),
        AtError::Failed { code, detail, .. } => failure_text(f, code, detail.as_deref()),
        AtError::Timeout { stage, waited, .. } => {
            write!(f, "no {} within {waited:?}", stage_text(*stage))
        }
        // The client's own wording, which names the command once more.
        other => write!(f, "{other}"),
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.modem, self.task)?;
        if let Some(step) = self.step {
            write!(f, ", step \"{step}\"")?;
        }
        match &self.kind {
            TaskErrorKind::Command(e) => {
                let e = e.as_ref();
                // A step is named after its command (`+XSET write`): the
                // command is said again only when the step does not start with it.
                if let Some(command) = command_of(e)
                    && self
                        .step
                        .is_none_or(|step| step.split_whitespace().next() != Some(command))
                {
                    write!(f, " ({command})")?;
                }
                f.write_str(": ")?;
                command_failure(f, e)
            }
            TaskErrorKind::Input { what, why } => write!(f, ": cannot take {what}: {why}"),
            TaskErrorKind::Unsupported { option } => {
                write!(f, ": the modem does not support {option}")
            }
            TaskErrorKind::Status { status } => {
                write!(f, ": the server answered {status}")?;
                match super::reason_phrase(*status) {
                    Some(reason) => write!(f, " {reason}"),
                    None => Ok(()),
                }
            }
            TaskErrorKind::Unexpected { what } => write!(f, ": unexpected answer: {what}"),
            TaskErrorKind::TooLarge { what, size, limit } => write!(
                f,
                ": the {what} of {size} bytes is more than the {limit} bytes kept in memory"
            ),
            TaskErrorKind::Timeout { waited } => {
                write!(f, ": the task's time bound of {waited:?} ran out")
            }
        }
    }
}

impl From<AtError> for TaskErrorKind {
    fn from(e: AtError) -> Self {
        Self::Command(Box::new(e))
    }
}

impl std::error::Error for TaskError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            TaskErrorKind::Command(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}
