//! Assembling command lines from the bytes a host types, as a module's command-line
//! editor does: which bytes end a line, backspace, and lines longer than the module
//! takes.
//!
//! Evidence for the line ends (kept short here; the emulator's docs give the sources):
//! - Cellular modules (V.250 §5.2.1) end a line at S3 (CR). SIMCom modules also act on
//!   a bare LF (SIM800L users driving it from terminals that send LF only get answers),
//!   and the LF of a CR LF pair is one terminator, not a second, empty line.
//! - ESP-AT waits for LF: its open-source predecessor (ESP8266_AT, `at_port.c`) ends a
//!   line at `\n`, and users report that a CR alone is echoed but not answered.

/// The S5 command-line editing character: V.250's default, 8 (backspace).
pub const BACKSPACE: u8 = 8;

/// The longest line kept when the dialect gives no limit, so a host that never ends
/// its line cannot grow the buffer without bound.
pub const HARD_LIMIT: usize = 64 * 1024;

/// Which bytes end a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnds {
    /// CR or LF ends a line; an LF right after the CR belongs to the same end.
    CrOrLf,
    /// Only LF ends a line; a CR just before it is dropped.
    Lf,
}

impl LineEnds {
    /// The rule of a dialect that ends its command lines with `terminator`: one that
    /// asks for CR LF acts on the LF, one that asks for CR acts on either.
    pub fn for_terminator(terminator: &str) -> Self {
        if terminator.ends_with('\n') {
            Self::Lf
        } else {
            Self::CrOrLf
        }
    }
}

/// A finished command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The line as edited, without its terminator.
    Command(Vec<u8>),
    /// The line is longer than the module takes: it is answered `ERROR` and not run.
    TooLong {
        /// Its length, in characters after the `AT` prefix.
        len: usize,
        /// The most the module takes.
        max: usize,
    },
}

/// The line being typed.
#[derive(Debug)]
pub struct LineEditor {
    ends: LineEnds,
    /// Most characters after `AT` the module takes.
    max: usize,
    /// The kept bytes: at most `max + 2` (the prefix), so memory stays bounded.
    kept: Vec<u8>,
    /// Characters typed (after backspaces), kept or not.
    typed: usize,
    /// The previous line ended at a CR, and an LF right after it is part of that end.
    lf_owed: bool,
}

impl LineEditor {
    /// An editor ending lines as `ends` says, refusing lines longer than `max`
    /// characters after `AT` (the dialect's limit, or [`HARD_LIMIT`]).
    pub fn new(ends: LineEnds, max: Option<usize>) -> Self {
        Self {
            ends,
            max: max.unwrap_or(HARD_LIMIT).min(HARD_LIMIT),
            kept: Vec::new(),
            typed: 0,
            lf_owed: false,
        }
    }

    /// Takes bytes from the start of `bytes` until a line ends; returns how many it
    /// took and the line, if one ended. Blank lines and spaces before a line are
    /// skipped, as modules skip them.
    pub fn feed(&mut self, bytes: &[u8]) -> (usize, Option<Line>) {
        for (at, &byte) in bytes.iter().enumerate() {
            if std::mem::take(&mut self.lf_owed) && byte == b'\n' {
                continue;
            }
            let ends_line = match self.ends {
                LineEnds::CrOrLf => byte == b'\r' || byte == b'\n',
                LineEnds::Lf => byte == b'\n',
            };
            if ends_line {
                self.lf_owed = byte == b'\r';
                if let Some(line) = self.finish() {
                    return (at + 1, Some(line));
                }
                continue;
            }
            match byte {
                BACKSPACE => self.erase(),
                b' ' if self.typed == 0 => {}
                _ => self.push(byte),
            }
        }
        (bytes.len(), None)
    }

    /// Whether the last line ended at a CR whose LF has not come yet.
    pub fn lf_owed(&self) -> bool {
        self.lf_owed
    }

    /// The owed LF will not come (data follows the line instead).
    pub fn forget_lf(&mut self) {
        self.lf_owed = false;
    }

    fn push(&mut self, byte: u8) {
        if self.kept.len() < self.max + 2 {
            self.kept.push(byte);
        }
        self.typed += 1;
    }

    fn erase(&mut self) {
        if self.typed > self.kept.len() {
            self.typed -= 1;
        } else {
            self.kept.pop();
            self.typed = self.kept.len();
        }
    }

    /// The line typed so far, or `None` for a blank one.
    fn finish(&mut self) -> Option<Line> {
        if self.ends == LineEnds::Lf && self.kept.last() == Some(&b'\r') {
            self.erase();
        }
        let typed = std::mem::take(&mut self.typed);
        let kept = std::mem::take(&mut self.kept);
        if typed == 0 {
            return None;
        }
        let prefixed = kept.len() >= 2 && kept[..2].eq_ignore_ascii_case(b"AT");
        let len = typed - if prefixed { 2 } else { 0 };
        Some(if len > self.max || typed > kept.len() {
            Line::TooLong { len, max: self.max }
        } else {
            Line::Command(kept)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ends: LineEnds, max: Option<usize>, input: &[u8]) -> Vec<Line> {
        let mut editor = LineEditor::new(ends, max);
        let mut rest = input;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (took, line) = editor.feed(rest);
            rest = &rest[took..];
            out.extend(line);
        }
        out
    }

    fn command(text: &str) -> Line {
        Line::Command(text.as_bytes().to_vec())
    }

    #[test]
    fn cellular_lines_end_at_cr_at_lf_and_at_cr_lf_once() {
        let got = lines(LineEnds::CrOrLf, None, b"AT\rATI\r\nAT+CGMM\n\r\nATE0\r");
        assert_eq!(
            got,
            [
                command("AT"),
                command("ATI"),
                command("AT+CGMM"),
                command("ATE0")
            ]
        );
    }

    #[test]
    fn esp_lines_end_at_lf_only_and_drop_the_cr_before_it() {
        let got = lines(LineEnds::Lf, None, b"AT\r\nAT+GMR\nAT\rAT\r\n");
        assert_eq!(got, [command("AT"), command("AT+GMR"), command("AT\rAT")]);
    }

    #[test]
    fn the_lf_of_cr_lf_is_owed_across_feeds_and_only_once() {
        let mut editor = LineEditor::new(LineEnds::CrOrLf, None);
        assert_eq!(editor.feed(b"AT\r"), (3, Some(command("AT"))));
        assert!(editor.lf_owed());
        assert_eq!(editor.feed(b"\n"), (1, None));
        assert!(!editor.lf_owed());
        assert_eq!(editor.feed(b"\nAT\r"), (4, Some(command("AT"))));
    }

    #[test]
    fn backspace_edits_the_line_as_typed() {
        let got = lines(LineEnds::CrOrLf, None, b"AT+CGMX\x08M\r\x08\x08AT\r");
        assert_eq!(got, [command("AT+CGMM"), command("AT")]);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_whole_and_memory_stays_bounded() {
        let long = format!("AT+X={}\r", "1".repeat(600));
        assert_eq!(
            lines(LineEnds::CrOrLf, Some(556), long.as_bytes()),
            [Line::TooLong { len: 603, max: 556 }]
        );
        let exact = format!("AT{}\r", "1".repeat(556));
        assert!(matches!(
            &lines(LineEnds::CrOrLf, Some(556), exact.as_bytes())[..],
            [Line::Command(_)]
        ));
        let mut editor = LineEditor::new(LineEnds::CrOrLf, None);
        let flood = vec![b'A'; 3 * HARD_LIMIT];
        assert_eq!(editor.feed(&flood), (flood.len(), None));
        assert!(editor.kept.len() <= HARD_LIMIT + 2);
        assert!(matches!(editor.feed(b"\r").1, Some(Line::TooLong { .. })));
    }

    #[test]
    fn backspace_over_an_overflow_comes_back_under_the_limit() {
        let mut typed = b"AT".to_vec();
        typed.extend(std::iter::repeat_n(b'1', 12));
        typed.extend(std::iter::repeat_n(BACKSPACE, 4));
        typed.push(b'\r');
        assert_eq!(
            lines(LineEnds::CrOrLf, Some(8), &typed),
            [command("AT11111111")]
        );
    }
}
