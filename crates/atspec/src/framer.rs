//! Cutting the modem's byte stream into frames: lines, prompts and raw data.
//!
//! The framer is fed bytes in whatever pieces the transport delivers and hands
//! out complete frames. It never parses line contents; the caller tells it when
//! raw data is due (a payload of known length, or data mode ended by a
//! terminator), so raw bytes that contain CR, LF or `OK` are never taken for lines.
//!
//! Contract of [`Framer::next_frame`]: `None` means "need more bytes"; frames
//! borrow the framer's buffer and are valid until the next call. A line longer
//! than the cap produces one [`Frame::Overflow`] and the framer skips to the next
//! line end, so memory stays bounded whatever the modem sends.

use memchr::memmem;

use crate::command::PayloadRule;

/// One unit of modem output.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame<'a> {
    /// A line without its CR/LF (never empty).
    Line(&'a [u8]),
    /// A bare prompt (not terminated by CR LF), such as `> `.
    Prompt(&'static str),
    /// The part of a same-line payload header before the payload (`+X: 12`);
    /// the payload's bytes follow as [`Frame::Data`].
    Header(&'a [u8]),
    /// Raw payload bytes.
    Data(&'a [u8]),
    /// Raw data ended (the byte count was reached or the terminator seen).
    DataEnd,
    /// A line longer than the cap was discarded up to its end.
    Overflow {
        /// Bytes thrown away.
        discarded: usize,
    },
}

/// What raw data the framer is reading, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Not in raw data.
    None,
    /// This many bytes remain.
    Counted(u64),
    /// Raw until `terminator` (consumed, not part of the data); with `confirm`, a
    /// terminator counts only when the next line starts with `confirm`.
    Until {
        terminator: &'static [u8],
        confirm: Option<&'static [u8]>,
    },
    /// The last counted byte was handed out; `DataEnd` is next.
    Ended,
}

/// What the current command allows the framer to recognise besides lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'r> {
    /// Bare prompts that may appear now (`> `).
    pub prompts: &'r [&'static str],
    /// A same-line payload the current command may announce.
    pub same_line: Option<&'r PayloadRule>,
}

/// Incremental framer. See the module docs for its contract.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    start: usize,
    max_line: usize,
    discarding: usize,
    raw: Raw,
    /// The last line ended with CR at the end of the buffer: its LF may follow.
    pending_lf: bool,
    /// A prompt ended the buffer without its trailing space: the space may follow.
    pending_space: bool,
}

impl Framer {
    /// A framer whose lines may be at most `max_line` bytes.
    pub fn new(max_line: usize) -> Self {
        Self {
            buf: Vec::with_capacity(max_line.max(64) * 2),
            start: 0,
            max_line: max_line.max(16),
            discarding: 0,
            raw: Raw::None,
            pending_lf: false,
            pending_space: false,
        }
    }

    /// Appends bytes read from the transport.
    pub fn push(&mut self, bytes: &[u8]) {
        self.compact();
        self.buf.extend_from_slice(bytes);
    }

    /// The buffer to read into (bytes are appended after the unread ones). Call
    /// [`Framer::next_frame`] afterwards.
    pub fn read_buffer(&mut self) -> &mut Vec<u8> {
        self.compact();
        &mut self.buf
    }

    /// Bytes received but not yet handed out.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The next `len` bytes are raw payload.
    pub fn expect_data(&mut self, len: u64) {
        self.raw = if len == 0 {
            Raw::Ended
        } else {
            Raw::Counted(len)
        };
    }

    /// Raw data until `terminator` (data mode ended by, for example, `\r\nOK\r\n`).
    pub fn expect_data_until(&mut self, terminator: &'static [u8]) {
        self.raw = Raw::Until {
            terminator,
            confirm: None,
        };
    }

    /// Raw data until `terminator` followed (after line ends) by a line starting
    /// with `confirm`; a terminator followed by anything else is data. Data mode
    /// ended by `OK` and confirmed by a URC keeps an `\r\nOK\r\n` inside the data.
    pub fn expect_data_until_confirmed(
        &mut self,
        terminator: &'static [u8],
        confirm: &'static [u8],
    ) {
        self.raw = Raw::Until {
            terminator,
            confirm: Some(confirm),
        };
    }

    /// Whether raw data is being read.
    pub fn in_data(&self) -> bool {
        self.raw != Raw::None
    }

    /// Leaves raw data mode (after a transfer was abandoned).
    pub fn cancel_data(&mut self) {
        self.raw = Raw::None;
    }

    fn compact(&mut self) {
        if self.start > 0 && (self.start == self.buf.len() || self.start >= self.buf.capacity() / 2)
        {
            self.buf.drain(..self.start);
            self.start = 0;
        }
    }

    /// The next complete frame, or `None` if more bytes are needed.
    pub fn next_frame(&mut self, expect: Expect<'_>) -> Option<Frame<'_>> {
        // The LF of a CR LF split across reads belongs to the line, not to data.
        if self.pending_space && self.start < self.buf.len() {
            self.pending_space = false;
            if self.buf[self.start] == b' ' {
                self.start += 1;
            }
        }
        if self.pending_lf && self.start < self.buf.len() {
            self.pending_lf = false;
            if self.buf[self.start] == b'\n' {
                self.start += 1;
            }
        }
        match self.raw {
            Raw::Counted(left) => return self.counted(left),
            Raw::Until {
                terminator,
                confirm,
            } => return self.until(terminator, confirm),
            Raw::Ended => {
                self.raw = Raw::None;
                return Some(Frame::DataEnd);
            }
            Raw::None => {}
        }
        loop {
            let pending = &self.buf[self.start..];
            if pending.is_empty() {
                return None;
            }
            if self.discarding > 0 {
                return self.discard();
            }
            // Line ends between frames are padding.
            if pending[0] == b'\r' || pending[0] == b'\n' {
                let skip = pending
                    .iter()
                    .take_while(|b| **b == b'\r' || **b == b'\n')
                    .count();
                self.start += skip;
                continue;
            }
            // Blank padding (for example a prompt's late space) is no line.
            let spaces = pending.iter().take_while(|b| **b == b' ').count();
            if spaces > 0 && matches!(pending.get(spaces), Some(b'\r' | b'\n')) {
                self.start += spaces;
                continue;
            }
            // A prompt's trailing space is optional: some firmware sends `>` alone.
            if let Some(prompt) = expect
                .prompts
                .iter()
                .find(|p| pending.starts_with(p.trim_end().as_bytes()))
            {
                let text = prompt.trim_end().len();
                let spaces = pending[text..].iter().take_while(|b| **b == b' ').count();
                self.pending_space = prompt.len() > text && text + spaces == pending.len();
                self.start += text + spaces;
                return Some(Frame::Prompt(prompt));
            }
            if let Some(rule) = expect.same_line {
                match same_line_header(pending, rule) {
                    Header::Found { len, header } => {
                        let at = self.start;
                        self.start += header + 1;
                        self.raw = if len == 0 {
                            Raw::Ended
                        } else {
                            Raw::Counted(len as u64)
                        };
                        return Some(Frame::Header(&self.buf[at..at + header]));
                    }
                    Header::Incomplete if pending.len() <= self.max_line => return None,
                    Header::Incomplete | Header::No => {}
                }
            }
            return self.line();
        }
    }

    fn line(&mut self) -> Option<Frame<'_>> {
        let pending = &self.buf[self.start..];
        let Some(end) = memchr::memchr2(b'\n', b'\r', pending) else {
            if pending.len() > self.max_line {
                // No line end within the cap: drop what we have, then the rest of the
                // line as it comes; one Overflow reports the whole line at its end.
                self.discarding = pending.len();
                self.start = self.buf.len();
            }
            return None;
        };
        let at = self.start;
        self.start += end + 1;
        if pending[end] == b'\r' {
            match pending.get(end + 1) {
                Some(b'\n') => self.start += 1,
                Some(_) => {}
                None => self.pending_lf = true,
            }
        }
        if end > self.max_line {
            return Some(Frame::Overflow { discarded: end + 1 });
        }
        Some(Frame::Line(&self.buf[at..at + end]))
    }

    fn discard(&mut self) -> Option<Frame<'_>> {
        let pending = &self.buf[self.start..];
        match memchr::memchr2(b'\n', b'\r', pending) {
            Some(end) => {
                self.start += end + 1;
                let discarded = std::mem::take(&mut self.discarding) + end + 1;
                Some(Frame::Overflow { discarded })
            }
            None => {
                self.discarding += pending.len();
                self.start = self.buf.len();
                None
            }
        }
    }

    fn counted(&mut self, left: u64) -> Option<Frame<'_>> {
        let available = self.buf.len() - self.start;
        if available == 0 {
            return None;
        }
        let take = available.min(usize::try_from(left).unwrap_or(usize::MAX));
        let at = self.start;
        self.start += take;
        let left = left - take as u64;
        self.raw = if left == 0 {
            Raw::Ended
        } else {
            Raw::Counted(left)
        };
        Some(Frame::Data(&self.buf[at..at + take]))
    }

    fn until(
        &mut self,
        terminator: &'static [u8],
        confirm: Option<&'static [u8]>,
    ) -> Option<Frame<'_>> {
        let pending = &self.buf[self.start..];
        if let Some(pos) = memmem::find(pending, terminator) {
            if pos > 0 {
                let at = self.start;
                self.start += pos;
                return Some(Frame::Data(&self.buf[at..at + pos]));
            }
            if let Some(confirm) = confirm {
                let after = &pending[terminator.len()..];
                let after = &after[after
                    .iter()
                    .take_while(|b| **b == b'\r' || **b == b'\n')
                    .count()..];
                let decided = after.len() >= confirm.len() || !confirm.starts_with(after);
                if !decided {
                    return None;
                }
                if !after.starts_with(confirm) {
                    // Not the end: the terminator's bytes were data.
                    let at = self.start;
                    self.start += terminator.len();
                    return Some(Frame::Data(&self.buf[at..at + terminator.len()]));
                }
            }
            self.start += terminator.len();
            self.raw = Raw::None;
            return Some(Frame::DataEnd);
        }
        // Hold back a tail that could be the start of the terminator.
        let keep = (1..terminator.len())
            .rev()
            .find(|n| pending.ends_with(&terminator[..*n]))
            .unwrap_or(0);
        let take = pending.len() - keep;
        if take == 0 {
            return None;
        }
        let at = self.start;
        self.start += take;
        Some(Frame::Data(&self.buf[at..at + take]))
    }
}

enum Header {
    Found { len: usize, header: usize },
    Incomplete,
    No,
}

fn same_line_header(pending: &[u8], rule: &PayloadRule) -> Header {
    let prefix = rule.prefix.as_bytes();
    if pending.len() < prefix.len() {
        return if prefix.starts_with(pending) {
            Header::Incomplete
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
        Ok((_, end)) if end >= pending.len() => Header::Incomplete,
        _ if line_end == pending.len() => Header::Incomplete,
        _ => Header::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Placement;
    use crate::parse::LineParser;

    fn frames(framer: &mut Framer, expect: Expect<'_>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(frame) = framer.next_frame(expect) {
            out.push(match frame {
                Frame::Line(l) => format!("L:{}", String::from_utf8_lossy(l)),
                Frame::Prompt(p) => format!("P:{p}"),
                Frame::Header(h) => format!("H:{}", String::from_utf8_lossy(h)),
                Frame::Data(d) => format!("D:{}", String::from_utf8_lossy(d)),
                Frame::DataEnd => "E".to_owned(),
                Frame::Overflow { discarded } => format!("O:{discarded}"),
            });
        }
        out
    }

    #[test]
    fn lines_split_anywhere() {
        let mut f = Framer::new(64);
        f.push(b"\r\nO");
        assert!(frames(&mut f, Expect::default()).is_empty());
        f.push(b"K\r\n\r\n+X: 1\r");
        assert_eq!(frames(&mut f, Expect::default()), ["L:OK", "L:+X: 1"]);
    }

    #[test]
    fn counted_data_is_never_a_line() {
        let mut f = Framer::new(64);
        f.push(b"+R: 6\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["L:+R: 6"]);
        f.expect_data(6);
        f.push(b"\r\nOK");
        f.push(b"\r\n\r\nOK\r\n");
        assert_eq!(
            frames(&mut f, Expect::default()),
            ["D:\r\nOK\r\n", "E", "L:OK"]
        );
    }

    #[test]
    fn a_split_crlf_before_data_is_not_data() {
        let mut f = Framer::new(64);
        f.push(b"+R: 2\r");
        assert_eq!(frames(&mut f, Expect::default()), ["L:+R: 2"]);
        f.expect_data(2);
        f.push(b"\n\nx\r\nOK\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["D:\nx", "E", "L:OK"]);
    }

    #[test]
    fn a_prompt_without_its_space_is_still_a_prompt() {
        let mut f = Framer::new(64);
        f.push(b"\r\n>");
        assert_eq!(
            frames(
                &mut f,
                Expect {
                    prompts: &["> "],
                    same_line: None
                }
            ),
            ["P:> "]
        );
        f.push(b" \r\nSEND OK\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["L:SEND OK"]);
    }

    #[test]
    fn prompts_only_when_expected() {
        let mut f = Framer::new(64);
        f.push(b"\r\n> ");
        assert!(
            frames(&mut f, Expect::default()).is_empty(),
            "a bare `> ` is no line yet"
        );
        assert_eq!(
            frames(
                &mut f,
                Expect {
                    prompts: &["> "],
                    same_line: None
                }
            ),
            ["P:> "]
        );
    }

    #[test]
    fn overlong_lines_are_dropped_and_framing_resumes() {
        let mut f = Framer::new(16);
        f.push(&[b'x'; 40]);
        assert!(
            frames(&mut f, Expect::default()).is_empty(),
            "reported once, at the line's end"
        );
        f.push(b"xxxx");
        assert!(frames(&mut f, Expect::default()).is_empty());
        f.push(b"\r\nOK\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["O:45", "L:OK"]);
        assert!(f.buffered() == 0);
    }

    #[test]
    fn data_until_terminator_holds_back_a_partial_terminator() {
        let mut f = Framer::new(64);
        f.expect_data_until(b"\r\nOK\r\n");
        f.push(b"abc\r\nO");
        assert_eq!(frames(&mut f, Expect::default()), ["D:abc"]);
        f.push(b"K\r\n+Q: 0,3\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["E", "L:+Q: 0,3"]);
    }

    #[test]
    fn a_confirmed_terminator_inside_the_data_is_data() {
        let mut f = Framer::new(64);
        f.expect_data_until_confirmed(b"\r\nOK\r\n", b"+Q:");
        f.push(b"ab\r\nOK\r\n");
        assert_eq!(
            frames(&mut f, Expect::default()),
            ["D:ab"],
            "undecided until the next line starts"
        );
        f.push(b"cd\r\nOK\r\n\r\n+Q");
        assert_eq!(frames(&mut f, Expect::default()), ["D:\r\nOK\r\n", "D:cd"]);
        f.push(b": 0,4\r\n");
        assert_eq!(frames(&mut f, Expect::default()), ["E", "L:+Q: 0,4"]);
    }

    fn same_line_len(line: &[u8]) -> Result<(usize, usize), crate::ParseError> {
        let mut p = LineParser::new(line);
        p.literal("+C:")?;
        let len = p.uint::<usize>("len")?;
        Ok((len, p.offset()))
    }

    #[test]
    fn same_line_payloads() {
        let rule = PayloadRule {
            prefix: "+C:",
            placement: Placement::SameLine,
            length: same_line_len,
        };
        let expect = Expect {
            prompts: &[],
            same_line: Some(&rule),
        };
        let mut f = Framer::new(64);
        f.push(b"+C:1");
        assert!(frames(&mut f, expect).is_empty(), "the length may continue");
        f.push(b"0,0123\r\nOK\r");
        assert_eq!(frames(&mut f, expect), ["H:+C:10", "D:0123\r\nOK\r"]);
        f.push(b"\n+C:2,ab\r\nOK\r\n");
        assert_eq!(
            frames(&mut f, expect),
            ["D:\n", "E", "H:+C:2", "D:ab", "E", "L:OK"]
        );
    }
}
