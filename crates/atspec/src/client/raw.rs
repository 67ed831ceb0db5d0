//! Command lines no spec declares: sent as given, answered with the lines the
//! modem sent up to a final result (or up to a line the caller names).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Client;
use super::error::{AtError, ErrorDetail};
use super::exchange::{Mode, Request, exchange};
use super::shared::{Accept, EndRule, LinePredicate};
use crate::dialect::{FinalResult, ResultKind};
use crate::urc::UrcSet;

/// The name raw commands carry in errors and late answers.
pub const RAW: &str = "raw command";

/// A command line outside the specs, for [`Client::send_raw`].
///
/// The line is checked before anything is sent: it must start with `AT` and hold
/// no control characters (a CR or LF would end the line early and run the rest
/// as another command).
#[derive(Clone)]
pub struct RawCommand {
    line: String,
    timeout: Option<Duration>,
    ends_at: Option<LinePredicate>,
}

impl fmt::Debug for RawCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawCommand")
            .field("line", &self.line)
            .field("timeout", &self.timeout)
            .field("ends_at", &self.ends_at.is_some())
            .finish()
    }
}

impl RawCommand {
    /// A raw command line (without its terminator, which the dialect adds).
    pub fn new(line: impl Into<String>) -> Result<Self, AtError> {
        let line = line.into();
        if !line.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("AT")) {
            return Err(AtError::InvalidLine {
                at: 0,
                reason: "a command line starts with AT",
            });
        }
        if let Some(at) = line.bytes().position(|b| b.is_ascii_control()) {
            return Err(AtError::InvalidLine {
                at,
                reason: "a control character (CR, LF, NUL, Ctrl+Z, ...) would end or split the command line",
            });
        }
        Ok(Self {
            line,
            timeout: None,
            ends_at: None,
        })
    }

    /// How long to wait for each part of the answer (default:
    /// [`Config::default_timeout`](super::Config::default_timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Also ends the answer at the first line for which `ends` returns true (the
    /// line is part of the answer): for commands whose answer has no final result
    /// code, such as one that answers a bare IP address.
    pub fn ends_at(mut self, ends: impl Fn(&[u8]) -> bool + Send + Sync + 'static) -> Self {
        self.ends_at = Some(Arc::new(ends));
        self
    }

    /// Also ends the answer at the first line starting with `prefix`.
    pub fn ends_at_prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into().into_bytes();
        self.ends_at(move |line| line.starts_with(&prefix))
    }

    /// The line as it will be sent (without the terminator).
    pub fn line(&self) -> &str {
        &self.line
    }
}

/// The answer to a raw command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The information lines, without CR LF, in order. A line that parses as a URC
    /// of the vendor's set went to the subscribers instead: the spec knows it as
    /// unsolicited (a `+CREG: 1` during `AT+CREG?`, whose own answer `+CREG: 0,1`
    /// has another shape).
    pub lines: Vec<Vec<u8>>,
    /// The final result code, or `None` when a line named by
    /// [`RawCommand::ends_at`] ended the answer.
    pub result: Option<FinalResult>,
    /// The error-detail line the modem sent before an error result, decoded.
    pub detail: Option<ErrorDetail>,
}

impl RawResponse {
    /// Whether the modem reported success (or the answer ended at a named line).
    pub fn is_ok(&self) -> bool {
        self.result
            .as_ref()
            .is_none_or(|r| r.kind == ResultKind::Ok)
    }

    /// The lines, or the modem's error result as [`AtError::Command`].
    pub fn into_ok(self) -> Result<Vec<Vec<u8>>, AtError> {
        match self.result {
            Some(result) if result.kind != ResultKind::Ok => Err(AtError::Command {
                command: RAW,
                result: result.text,
                code: result.code,
                meaning: result.meaning,
                detail: self.detail.map(Box::new),
                info: self
                    .lines
                    .iter()
                    .map(|l| super::InfoLine::new(l, None))
                    .collect(),
            }),
            _ => Ok(self.lines),
        }
    }
}

impl<U: UrcSet + Clone + Send + 'static> Client<U> {
    /// Sends a command line no spec declares and returns the lines the modem
    /// answered with, up to a final result code of the dialect (or a line named
    /// with [`RawCommand::ends_at`]). An error result is returned as data in
    /// [`RawResponse::result`], not as an error; the line-length limit, the
    /// resynchronisation after timeouts and the queueing behind other commands are
    /// those of typed commands.
    pub async fn send_raw(&self, command: &RawCommand) -> Result<RawResponse, AtError> {
        let request = Request {
            name: RAW,
            line: command.line.as_bytes().to_vec(),
            shown: command.line.as_bytes().to_vec(),
            timeout: command.timeout.unwrap_or(self.config.default_timeout),
            accept: Accept::Raw,
            end: match &command.ends_at {
                Some(ends) => EndRule::AtLine(ends.clone()),
                None => EndRule::FinalResult,
            },
            redact_response_line: |_| None,
            payload: None,
            download: None,
            linked_waiter: None,
        };
        let mut writer = self.writer.lock().await;
        let answer = exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            request,
            Mode::Plain,
        )
        .await?;
        if let Some(discarded) = answer.overflow {
            return Err(AtError::Overflow {
                command: RAW,
                discarded,
            });
        }
        let (result, detail) = match answer.result {
            Some((result, detail)) => (Some(result), detail),
            None => (None, None),
        };
        Ok(RawResponse {
            lines: answer.lines,
            result,
            detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_lines_that_would_split() {
        for bad in ["AT+X\r+Y", "AT\nAT", "AT\u{1a}", "AT\0"] {
            assert!(
                matches!(RawCommand::new(bad), Err(AtError::InvalidLine { at, .. }) if at >= 2),
                "{bad:?}"
            );
        }
        assert!(matches!(
            RawCommand::new("+CSQ"),
            Err(AtError::InvalidLine { at: 0, .. })
        ));
        assert_eq!(RawCommand::new("at+csq").unwrap().line(), "at+csq");
    }
}
