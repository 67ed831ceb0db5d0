//! Cutting the capture's stream into lines, prompts and raw data, as the decoder
//! asks: it knows from the command in flight when raw bytes are due and how many,
//! so payloads that hold CR LF or `OK` are never read as lines.

use atspec::PayloadRule;
use atspec::parse::starts_like;

use super::format::{Origin, Stream};

/// Bytes cut from the stream, and where they start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The bytes (a line without its line end).
    pub bytes: Vec<u8>,
    /// Where the first byte comes from.
    pub at: Origin,
}

/// One unit of the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A line, without its line end.
    Line(Piece),
    /// A bare prompt (`> `, no line end).
    Prompt(Piece),
    /// A line that announces a payload on the same line: the part up to the
    /// length field, the payload after its comma, and the length announced (the
    /// payload is shorter only where the capture ends).
    Header {
        /// The line up to the length field.
        header: Piece,
        /// The payload's bytes.
        payload: Piece,
        /// The announced length.
        announced: usize,
    },
}

/// What the command in flight lets the tape recognise besides lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    /// Bare prompts that may come now.
    pub bare_prompts: &'a [&'static str],
    /// A payload announced on the same line that may come now.
    pub same_line: Option<PayloadRule>,
}

/// A cursor over the stream.
#[derive(Debug)]
pub struct Tape {
    stream: Stream,
    pos: usize,
}

impl Tape {
    /// A tape at the start of `stream`.
    pub fn new(stream: Stream) -> Self {
        Self { stream, pos: 0 }
    }

    fn rest(&self) -> &[u8] {
        &self.stream.bytes[self.pos..]
    }

    fn cut(&mut self, len: usize) -> Piece {
        let len = len.min(self.rest().len());
        let piece = Piece {
            bytes: self.rest()[..len].to_vec(),
            at: self.stream.origin(self.pos),
        };
        self.pos += len;
        piece
    }

    /// The next line, prompt or same-line payload; `None` at the end.
    pub fn next(&mut self, expect: &Expect<'_>) -> Option<Unit> {
        self.skip_padding(expect);
        if self.rest().is_empty() {
            return None;
        }
        if let Some(prompt) = self.prompt_here(expect) {
            return Some(prompt);
        }
        if let Some(header) = expect.same_line.and_then(|rule| self.header_here(&rule)) {
            return Some(header);
        }
        let len = line_len(self.rest());
        let line = self.cut(len);
        self.skip_one_line_end();
        Some(Unit::Line(line))
    }

    /// Line ends between lines, and lines of spaces only, are padding.
    fn skip_padding(&mut self, expect: &Expect<'_>) {
        loop {
            let ends = self.rest().iter().take_while(|b| is_line_end(**b)).count();
            self.pos += ends;
            let spaces = self.rest().iter().take_while(|b| **b == b' ').count();
            let blank = spaces > 0
                && self.rest().get(spaces).is_none_or(|b| is_line_end(*b))
                && !expect.bare_prompts.iter().any(|p| p.trim_end().is_empty());
            if !blank {
                return;
            }
            self.pos += spaces;
        }
    }

    fn prompt_here(&mut self, expect: &Expect<'_>) -> Option<Unit> {
        let text = expect
            .bare_prompts
            .iter()
            .map(|p| p.trim_end())
            .filter(|t| !t.is_empty() && self.rest().starts_with(t.as_bytes()))
            .max_by_key(|t| t.len())?;
        let len = text.len()
            + self.rest()[text.len()..]
                .iter()
                .take_while(|b| **b == b' ')
                .count();
        let prompt = self.cut(len);
        // A text capture ends the prompt's line; the modem sent no line end.
        if !self.stream.exact() {
            self.skip_one_line_end();
        }
        Some(Unit::Prompt(prompt))
    }

    fn header_here(&mut self, rule: &PayloadRule) -> Option<Unit> {
        let rest = self.rest();
        if !starts_like(rest, rule.prefix) {
            return None;
        }
        let line = &rest[..line_len(rest)];
        let (announced, end) = (rule.length)(line).ok()?;
        if line.get(end) != Some(&b',') {
            return None;
        }
        let header = self.cut(end);
        self.pos += 1;
        let payload = self.take(announced);
        Some(Unit::Header {
            header,
            payload,
            announced,
        })
    }

    fn skip_one_line_end(&mut self) {
        match self.rest() {
            [b'\r', b'\n', ..] => self.pos += 2,
            [b'\r' | b'\n', ..] => self.pos += 1,
            _ => {}
        }
    }

    /// The next non-empty line, left on the tape.
    pub fn peek_line(&self) -> Option<&[u8]> {
        next_line(self.rest())
    }

    /// The next `len` bytes (fewer where the capture ends).
    pub fn take(&mut self, len: usize) -> Piece {
        self.cut(len)
    }

    /// The bytes before `end`, which is consumed; `None` (nothing consumed) when
    /// `end` does not come.
    pub fn take_until(&mut self, end: &[u8]) -> Option<Piece> {
        let at = find(self.rest(), end)?;
        let piece = self.cut(at);
        self.pos += end.len();
        Some(piece)
    }

    /// The bytes before `terminator`, which is consumed; a terminator or escape
    /// byte after `escape` is data. `None` (nothing consumed) when no terminator
    /// comes.
    pub fn take_escaped(&mut self, terminator: u8, escape: u8) -> Option<Piece> {
        let rest = self.rest();
        let mut at = 0;
        while at < rest.len() {
            match rest[at] {
                b if b == escape => at += 2,
                b if b == terminator => {
                    let piece = self.cut(at);
                    self.pos += 1;
                    return Some(piece);
                }
                _ => at += 1,
            }
        }
        None
    }

    /// The bytes up to the line end before the first line for which
    /// `ends(line, next_line)` holds; that line is not consumed. `None` (nothing
    /// consumed) when no line ends the data.
    pub fn take_until_line(
        &mut self,
        ends: impl Fn(&[u8], Option<&[u8]>) -> bool,
    ) -> Option<Piece> {
        let rest = self.rest();
        let mut start = 0;
        loop {
            let line = &rest[start..start + line_len(&rest[start..])];
            if ends(line, next_line(&rest[start + line.len()..])) {
                let data_end = strip_line_end(&rest[..start]).len();
                return Some(self.cut(data_end));
            }
            let after = start + line.len();
            if after >= rest.len() {
                return None;
            }
            start = after + line_end_len(&rest[after..]);
        }
    }
}

fn is_line_end(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

fn line_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| is_line_end(*b))
        .unwrap_or(bytes.len())
}

fn line_end_len(bytes: &[u8]) -> usize {
    match bytes {
        [b'\r', b'\n', ..] => 2,
        [b'\r' | b'\n', ..] => 1,
        _ => 0,
    }
}

/// `bytes` without one line end at its end.
fn strip_line_end(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .or_else(|| bytes.strip_suffix(b"\r"))
        .unwrap_or(bytes)
}

/// The first non-empty line of `bytes`.
fn next_line(bytes: &[u8]) -> Option<&[u8]> {
    let start = bytes.iter().position(|b| !is_line_end(*b))?;
    let rest = &bytes[start..];
    Some(&rest[..line_len(rest)])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use atspec::Placement;
    use atspec::parse::ParseError;

    fn tape(input: &[u8]) -> Tape {
        Tape::new(Stream::new(input))
    }

    fn line(unit: Option<Unit>) -> (Vec<u8>, usize) {
        match unit {
            Some(Unit::Line(p)) => (p.bytes, p.at.line),
            other => panic!("not a line: {other:?}"),
        }
    }

    #[test]
    fn counted_bytes_keep_cr_lf_and_ok_inside_a_payload() {
        let mut t = tape(b"AT+READ\r\r\n+READ: 10\r\nab\r\nOK\r\ncd\r\nOK\r\n");
        let none = Expect::default();
        assert_eq!(line(t.next(&none)), (b"AT+READ".to_vec(), 1));
        assert_eq!(line(t.next(&none)).0, b"+READ: 10");
        let payload = t.take(10);
        assert_eq!(payload.bytes, b"ab\r\nOK\r\ncd");
        assert_eq!(payload.at.line, 4);
        assert_eq!(line(t.next(&none)), (b"OK".to_vec(), 7));
        assert!(t.next(&none).is_none());
    }

    #[test]
    fn a_text_capture_counts_its_line_ends_as_cr_lf() {
        let mut t = tape(b"< +READ: 8\n< ab\n< OK\n< OK\n");
        line(t.next(&Expect::default()));
        assert_eq!(t.take(8).bytes, b"ab\r\nOK\r\n");
        assert_eq!(line(t.next(&Expect::default())), (b"OK".to_vec(), 4));
    }

    #[test]
    fn a_bare_prompt_is_recognised_only_when_expected() {
        let prompts: &[&'static str] = &["> "];
        let expect = Expect {
            bare_prompts: prompts,
            same_line: None,
        };
        let mut t = tape(b"AT+SEND\r\r\n> hello\x1a\r\nDATA OK\r\n");
        line(t.next(&Expect::default()));
        let unit = t.next(&expect);
        assert!(
            matches!(&unit, Some(Unit::Prompt(p)) if p.bytes == b"> "),
            "{unit:?}"
        );
        assert_eq!(t.take_escaped(0x1a, 0x03).unwrap().bytes, b"hello");
        let mut t = tape(b"AT+SEND\r\r\n> hello\r\n");
        line(t.next(&Expect::default()));
        assert_eq!(line(t.next(&Expect::default())).0, b"> hello");
    }

    fn length(line: &[u8]) -> Result<(usize, usize), ParseError> {
        let digits = line[5..].iter().take_while(|b| b.is_ascii_digit()).count();
        let text = std::str::from_utf8(&line[5..5 + digits]).unwrap_or("");
        let len = text
            .parse()
            .map_err(|_| ParseError::new(line, 5, "length"))?;
        Ok((len, 5 + digits))
    }

    #[test]
    fn a_same_line_payload_follows_its_length_field() {
        let rule = PayloadRule {
            prefix: "+RX: ",
            placement: Placement::SameLine,
            length,
        };
        let expect = Expect {
            bare_prompts: &[],
            same_line: Some(rule),
        };
        let mut t = tape(b"+RX: 4,a\r\nb\r\nOK\r\n");
        match t.next(&expect) {
            Some(Unit::Header {
                header,
                payload,
                announced,
            }) => {
                assert_eq!(header.bytes, b"+RX: 4");
                assert_eq!(payload.bytes, b"a\r\nb");
                assert_eq!(announced, 4);
            }
            other => panic!("not a header: {other:?}"),
        }
        assert_eq!(line(t.next(&expect)).0, b"OK");
    }

    #[test]
    fn data_mode_ends_at_the_line_that_ends_it() {
        let mut t = tape(b"CONNECT\r\nab\r\nOK\r\ncd\r\nOK\r\n+DONE: 0\r\n");
        line(t.next(&Expect::default()));
        let ends = |l: &[u8], next: Option<&[u8]>| {
            l == b"OK" && next.is_some_and(|n| n.starts_with(b"+DONE"))
        };
        assert_eq!(t.take_until_line(ends).unwrap().bytes, b"ab\r\nOK\r\ncd");
        assert_eq!(line(t.next(&Expect::default())).0, b"OK");
        assert!(t.take_until_line(|l, _| l == b"NEVER").is_none());
        assert_eq!(line(t.next(&Expect::default())).0, b"+DONE: 0");
    }

    #[test]
    fn take_until_consumes_the_end_marker() {
        let mut t = tape(b"CONNECT\r\nabc+++\r\nOK\r\n");
        line(t.next(&Expect::default()));
        assert_eq!(t.take_until(b"+++").unwrap().bytes, b"abc");
        assert_eq!(line(t.next(&Expect::default())).0, b"OK");
    }
}
