//! Payloads of known length: same-line payload headers and counted data.

use super::{Framer, Raw, Step};
use crate::command::PayloadRule;

/// Whether a line start is a same-line payload header.
pub(super) enum Header {
    /// A header of `header` bytes before its comma, announcing `len` bytes.
    Found {
        len: usize,
        header: usize,
    },
    /// It may be one: more bytes are needed.
    Wait,
    No,
}

/// Whether `pending` (at a line start) starts a same-line payload header of at
/// most `max_line` bytes. A longer one is no header: deciding that needs no
/// more than `max_line` bytes, so the decision does not depend on the reads.
#[inline(never)]
pub(super) fn same_line_header(pending: &[u8], rule: &PayloadRule, max_line: usize) -> Header {
    match header_within_line(pending, rule) {
        Header::Found { header, .. } if header > max_line => Header::No,
        Header::Wait if pending.len() > max_line => Header::No,
        decided => decided,
    }
}

fn header_within_line(pending: &[u8], rule: &PayloadRule) -> Header {
    let prefix = rule.prefix.as_bytes();
    if pending.len() < prefix.len() {
        return if prefix.starts_with(pending) {
            Header::Wait
        } else {
            Header::No
        };
    }
    if !pending.starts_with(prefix) {
        return Header::No;
    }
    // The header must not run past the end of its own line.
    let line_end = memchr::memchr2(b'\r', b'\n', pending).unwrap_or(pending.len());
    match (rule.length)(&pending[..line_end]) {
        // The length's digits are complete only once the comma after them is here.
        Ok((len, end)) if end < pending.len() && pending[end] == b',' => {
            Header::Found { len, header: end }
        }
        Ok((_, end)) if end >= pending.len() => Header::Wait,
        _ if line_end == pending.len() => Header::Wait,
        _ => Header::No,
    }
}

impl Framer {
    /// Counted raw data: what is here of the `left` bytes still due.
    #[inline(never)]
    pub(super) fn counted(&mut self, left: u64) -> Step {
        let take = self
            .buffered()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let left = left - take as u64;
        if take > 0 {
            self.raw = if left == 0 {
                Raw::Ended
            } else {
                Raw::Counted(left)
            };
        }
        self.data(take)
    }
}
