//! Text: lines, padding, blank lines, over-long lines, and where prompts and
//! same-line payload headers are looked for.
//!
//! Rare paths are `#[inline(never)]` so that an ordinary line stays a short path
//! (`cargo bench -p atspec` measures it).

use super::payloads::{Header, same_line_header};
use super::prompts::{PromptMatch, match_prompt};
use super::{Expect, Framer, LineState, Raw, Step, is_line_end};

fn leading_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| **b == b' ').count()
}

impl Framer {
    /// The next frame of text.
    #[inline]
    pub(super) fn text(&mut self, expect: Expect<'_>) -> Step {
        loop {
            let step = match self.line {
                LineState::Start => self.line_start(expect),
                LineState::Blank(spaces) => self.after_blank(spaces, expect),
                LineState::Discarding(dropped) => self.discard(dropped),
            };
            if !matches!(step, Step::Again) {
                return step;
            }
        }
    }

    /// At a line start: padding, a prompt, a same-line payload header or a line.
    #[inline]
    fn line_start(&mut self, expect: Expect<'_>) -> Step {
        // Spaces after a prompt belong to it, however many reads bring them.
        if self.after_prompt {
            self.start += leading_spaces(self.pending());
            if self.start == self.buf.len() {
                return Step::Wait;
            }
            self.after_prompt = false;
        }
        // Line ends between lines are padding.
        self.start += self
            .pending()
            .iter()
            .take_while(|b| is_line_end(**b))
            .count();
        let pending = self.pending();
        let Some(&first) = pending.first() else {
            return Step::Wait;
        };
        if first == b' ' {
            return self.spaces_first(expect);
        }
        match match_prompt(pending, expect.prompts, self.max_line) {
            PromptMatch::No => {}
            PromptMatch::Prompt(prompt, len) => return self.prompt(len, prompt),
            // Waiting holds less than the prompt, so less than a line.
            PromptMatch::Wait => return Step::Wait,
        }
        if let Some(rule) = expect.same_line {
            match same_line_header(pending, rule, self.max_line) {
                Header::Found { len, header } => {
                    let at = self.start;
                    self.start += header + 1;
                    self.raw = if len == 0 {
                        Raw::Ended
                    } else {
                        Raw::Counted(len as u64)
                    };
                    return Step::Header { at, len: header };
                }
                Header::Wait => return Step::Wait,
                Header::No => {}
            }
        }
        self.line()
    }

    /// A line start with spaces: padding, a prompt after them, or a line that
    /// starts with them.
    #[inline(never)]
    fn spaces_first(&mut self, expect: Expect<'_>) -> Step {
        let pending = self.pending();
        let spaces = leading_spaces(pending);
        let rest = &pending[spaces..];
        match rest.first() {
            // Spaces only so far: padding if a line end follows.
            None if spaces > self.max_line => return self.drop_spaces(spaces),
            None => return Step::Wait,
            Some(b) if is_line_end(*b) => {
                self.start += spaces;
                return Step::Again;
            }
            Some(_) => {}
        }
        match match_prompt(rest, expect.prompts, self.max_line) {
            PromptMatch::No => self.line(),
            PromptMatch::Prompt(prompt, len) => self.prompt(spaces + len, prompt),
            // Not a prompt means a line longer than the cap: the spaces need not stay.
            PromptMatch::Wait if pending.len() > self.max_line => self.drop_spaces(spaces),
            PromptMatch::Wait => Step::Wait,
        }
    }

    /// Drops leading spaces from the buffer, keeping their count: with them the
    /// line is already longer than the cap.
    fn drop_spaces(&mut self, spaces: usize) -> Step {
        self.start += spaces;
        self.line = LineState::Blank(spaces);
        Step::Again
    }

    /// After more leading spaces than a line holds: padding, a prompt, or an
    /// over-long line.
    #[inline(never)]
    fn after_blank(&mut self, spaces: usize, expect: Expect<'_>) -> Step {
        let more = leading_spaces(self.pending());
        self.start += more;
        let spaces = spaces + more;
        self.line = LineState::Blank(spaces);
        let pending = self.pending();
        let Some(&next) = pending.first() else {
            return Step::Wait;
        };
        if is_line_end(next) {
            self.line = LineState::Start;
            return Step::Again;
        }
        match match_prompt(pending, expect.prompts, self.max_line) {
            PromptMatch::Prompt(prompt, len) => {
                self.line = LineState::Start;
                self.prompt(len, prompt)
            }
            PromptMatch::Wait => Step::Wait,
            PromptMatch::No => {
                self.line = LineState::Discarding(spaces);
                Step::Again
            }
        }
    }

    /// A prompt taking the next `len` bytes.
    #[inline]
    fn prompt(&mut self, len: usize, prompt: &'static str) -> Step {
        self.start += len;
        self.after_prompt = true;
        Step::Prompt(prompt)
    }

    /// A line up to its end, or an over-long one.
    #[inline]
    fn line(&mut self) -> Step {
        let pending = self.pending();
        match memchr::memchr2(b'\r', b'\n', pending) {
            Some(end) => {
                let at = self.start;
                self.end_line(at + end);
                if end > self.max_line {
                    Step::Overflow(end + 1)
                } else {
                    Step::Line { at, len: end }
                }
            }
            None if pending.len() > self.max_line => {
                self.line = LineState::Discarding(0);
                Step::Again
            }
            None => Step::Wait,
        }
    }

    /// Drops an over-long line up to its end; one Overflow reports all of it.
    #[inline(never)]
    fn discard(&mut self, dropped: usize) -> Step {
        let pending = self.pending();
        match memchr::memchr2(b'\r', b'\n', pending) {
            Some(end) => {
                self.end_line(self.start + end);
                self.line = LineState::Start;
                Step::Overflow(dropped + end + 1)
            }
            None => {
                self.line = LineState::Discarding(dropped + pending.len());
                self.start = self.buf.len();
                Step::Wait
            }
        }
    }

    /// Consumes the line end at `at`; a CR takes the LF after it, now or when it
    /// arrives.
    #[inline]
    fn end_line(&mut self, at: usize) {
        self.start = at + 1;
        if self.buf[at] == b'\r' {
            match self.buf.get(self.start) {
                Some(b'\n') => self.start += 1,
                Some(_) => {}
                None => self.pending_lf = true,
            }
        }
    }
}
