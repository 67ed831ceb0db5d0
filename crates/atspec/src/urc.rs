//! Unsolicited output as the client delivers it to subscribers.

use crate::parse::ParseError;

/// A vendor's set of URCs; implemented by every generated crate's `Urc` enum.
pub trait UrcSet: Sized {
    /// `None` if no URC of the set starts like `line`; `Some(Err)` if one does but
    /// the line does not have its shape.
    fn parse(line: &[u8]) -> Option<Result<Self, ParseError>>;
}

/// Something the modem sent that no command was waiting for.
///
/// The client drops nothing the modem says: every line is either part of the
/// answer of the command in flight (or the completion a deferred command awaits)
/// or one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unsolicited<U> {
    /// A URC of the vendor's set. This includes the completion URC of a deferred
    /// command that had already ended (failed or timed out) when it arrived.
    Urc(U),
    /// A line that starts like a URC of the set but does not have its shape.
    Malformed {
        /// The line.
        line: Vec<u8>,
        /// What did not fit.
        error: ParseError,
    },
    /// A line the spec does not describe (`RDY`, a URC of a module not specified,
    /// an information line of a command that had already timed out).
    Unrecognised(Vec<u8>),
    /// A final result code (`OK`, `ERROR`, `+CME ERROR: 3`) that no command in
    /// flight could take: the late answer of a command that timed out or was
    /// abandoned, or a stray one.
    LateResult {
        /// The line.
        line: Vec<u8>,
        /// The command that ended without this answer (the oldest one still owed
        /// an answer), or `None` when none was owed.
        command: Option<&'static str>,
    },
    /// A line longer than the framer's cap was dropped.
    Overflow {
        /// Bytes dropped.
        discarded: usize,
    },
}
