//! Unsolicited output as the client delivers it to subscribers.

use crate::parse::ParseError;

/// A vendor's set of URCs; implemented by every generated crate's `Urc` enum.
pub trait UrcSet: Sized {
    /// `None` if no URC of the set starts like `line`; `Some(Err)` if one does but
    /// the line does not have its shape.
    fn parse(line: &[u8]) -> Option<Result<Self, ParseError>>;
}

/// Something the modem sent that no command was waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsolicited<U> {
    /// A URC of the vendor's set.
    Urc(U),
    /// A line that starts like a URC of the set but does not have its shape.
    Malformed {
        /// The line.
        line: Vec<u8>,
        /// What did not fit.
        error: ParseError,
    },
    /// A line the spec does not describe (`RDY`, a URC of a module not specified, a
    /// late answer of a timed-out command).
    Unrecognised(Vec<u8>),
    /// A line longer than the framer's cap was dropped.
    Overflow {
        /// Bytes dropped.
        discarded: usize,
    },
}
