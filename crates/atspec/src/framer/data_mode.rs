//! Data mode: raw bytes until a terminator, optionally confirmed by the line
//! that follows it.

use memchr::memmem;

use super::{Framer, Raw, Step, is_line_end};

/// What the bytes after a terminator say about it.
enum Confirmation {
    /// It ends the data.
    End,
    /// It is data.
    Data,
    /// More bytes are needed.
    Undecided,
}

/// Whether `after` (the bytes after a terminator) confirms it: line ends, then
/// `confirm`, complete within `max_line` bytes. The decision needs at most
/// `max_line` bytes, so waiting for it holds at most that many.
fn confirmation(after: &[u8], confirm: &[u8], max_line: usize) -> Confirmation {
    // A confirming line longer than a line is an over-long line, never a confirmation.
    let Some(most_ends) = max_line.checked_sub(confirm.len()) else {
        return Confirmation::Data;
    };
    let ends = after
        .iter()
        .take(most_ends + 1)
        .take_while(|b| is_line_end(**b))
        .count();
    if ends > most_ends {
        return Confirmation::Data;
    }
    let rest = &after[ends..];
    if rest.is_empty() {
        return Confirmation::Undecided;
    }
    let seen = rest.len().min(confirm.len());
    if rest[..seen] != confirm[..seen] {
        Confirmation::Data
    } else if seen == confirm.len() {
        Confirmation::End
    } else {
        Confirmation::Undecided
    }
}

/// How many bytes of a terminator at the start of `pending` that does not end
/// the data are surely data: all of it, unless another terminator overlapping it
/// may start inside it (`\r\nOK\r\nOK\r\n` holds one at 4).
fn rejected_terminator(pending: &[u8], terminator: &[u8]) -> usize {
    (1..terminator.len())
        .find(|shift| {
            let rest = &pending[*shift..];
            let seen = rest.len().min(terminator.len());
            rest[..seen] == terminator[..seen]
        })
        .unwrap_or(terminator.len())
}

/// The length of the longest tail of `pending` that starts `terminator`.
fn partial_terminator(pending: &[u8], terminator: &[u8]) -> usize {
    (1..terminator.len())
        .rev()
        .find(|n| pending.ends_with(&terminator[..*n]))
        .unwrap_or(0)
}

impl Framer {
    /// Raw data until `terminator` (with `confirm`: until a confirmed one).
    #[inline(never)]
    pub(super) fn until(
        &mut self,
        terminator: &'static [u8],
        confirm: Option<&'static [u8]>,
    ) -> Step {
        let pending = self.pending();
        let Some(pos) = memmem::find(pending, terminator) else {
            let keep = partial_terminator(pending, terminator);
            return self.data(pending.len() - keep);
        };
        if pos > 0 {
            return self.data(pos);
        }
        if let Some(confirm) = confirm {
            match confirmation(&pending[terminator.len()..], confirm, self.max_line) {
                Confirmation::Undecided => return Step::Wait,
                Confirmation::Data => return self.data(rejected_terminator(pending, terminator)),
                Confirmation::End => {}
            }
        }
        self.start += terminator.len();
        self.raw = Raw::None;
        Step::DataEnd
    }
}
