//! The serial transcript `-v` prints: the bytes each way cut into lines, command
//! lines as `> line`, answer lines as `< line`, secrets masked, and binary
//! payloads summarised by their size instead of printed.

use std::io::Write;

use atspec::dynamic::{AnyCommand, Package};
use atspec::{LineClass, PayloadRule, Placement};

pub use crate::record::Way as Direction;
use crate::redact::{host_line, modem_line};

/// Longest segment printed as a line; a longer one is summarised as data.
const MAX_TEXT: usize = 4096;

fn marker(direction: Direction) -> &'static str {
    match direction {
        Direction::Host => ">",
        Direction::Modem => "<",
    }
}

/// The bytes of one direction since its last line break.
#[derive(Debug, Default)]
struct Side {
    segment: Vec<u8>,
    /// Bytes of a binary run (a payload) not yet reported.
    data: u64,
    /// The line breaks that end the run: they separate it from the next line.
    trailing_breaks: u64,
    /// Bytes of an announced payload still to come.
    payload_left: u64,
    /// A payload announced on its own line, starting after the line's LF.
    armed: Option<u64>,
}

impl Side {
    fn count_data(&mut self, bytes: u64, at_break: bool) {
        self.data += bytes + u64::from(at_break);
        self.trailing_breaks = u64::from(at_break);
    }
}

/// Turns the bytes of both directions into printed lines.
pub struct Transcript {
    package: &'static dyn Package,
    out: Box<dyn Write + Send>,
    host: Side,
    modem: Side,
    /// The last command line sent, as typed: its echo is masked as it is.
    last_sent: Vec<u8>,
    /// The command the modem is answering, for masking its secret fields.
    in_flight: Option<Box<dyn AnyCommand>>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcript")
            .field("package", &self.package.id())
            .finish_non_exhaustive()
    }
}

impl Transcript {
    /// A transcript of a modem of `package`, printed to `out`.
    pub fn new(package: &'static dyn Package, out: Box<dyn Write + Send>) -> Self {
        Self {
            package,
            out,
            host: Side::default(),
            modem: Side::default(),
            last_sent: Vec::new(),
            in_flight: None,
        }
    }

    /// Bytes that went `direction`.
    pub fn bytes(&mut self, direction: Direction, bytes: &[u8]) {
        // The other side's bytes without a line break were all of it: the end of
        // an upload, or a bare prompt the host answers.
        match direction {
            Direction::Modem => {
                self.end_segment(Direction::Host, false);
                self.report_data(Direction::Host);
            }
            Direction::Host => {
                let prompt = self.package.dialect().classify(&self.modem.segment);
                if matches!(prompt, LineClass::Prompt(_)) {
                    self.end_segment(Direction::Modem, false);
                }
            }
        }
        let mut rest = bytes;
        while let Some((&byte, after)) = rest.split_first() {
            let side = self.side(direction);
            if let Some(len) = side.armed.take() {
                side.payload_left = len;
                if byte == b'\n' {
                    rest = after;
                    continue;
                }
            }
            if side.payload_left > 0 {
                let n = rest
                    .len()
                    .min(usize::try_from(side.payload_left).unwrap_or(usize::MAX));
                side.payload_left -= n as u64;
                side.count_data(n as u64, false);
                rest = &rest[n..];
                continue;
            }
            rest = after;
            if byte == b'\r' || byte == b'\n' {
                self.end_segment(direction, true);
                continue;
            }
            side.segment.push(byte);
            if side.segment.len() > MAX_TEXT {
                let len = side.segment.len() as u64;
                side.segment.clear();
                side.count_data(len, false);
            } else if byte == b',' && direction == Direction::Modem {
                self.same_line_payload();
            }
        }
    }

    /// The payload rules of the command in flight.
    fn payload_rules(&self) -> impl Iterator<Item = PayloadRule> + '_ {
        self.in_flight
            .iter()
            .flat_map(|c| [c.payload(), c.completion_data()])
            .flatten()
    }

    /// A payload announced on the same line: the line up to the `,` after its
    /// length is printed, and the bytes after it counted as data.
    fn same_line_payload(&mut self) {
        let segment = &self.modem.segment;
        let announced = self.payload_rules().find_map(|rule| {
            let fits = rule.placement == Placement::SameLine
                && atspec::parse::starts_like(segment, rule.prefix);
            let (len, end) = (rule.length)(segment).ok().filter(|_| fits)?;
            (end + 1 == segment.len()).then_some(len as u64)
        });
        if let Some(len) = announced {
            let line = std::mem::take(&mut self.modem.segment);
            self.report_data(Direction::Modem);
            self.modem_text(&line);
            self.modem.payload_left = len;
        }
    }

    /// Arms the payload a line just printed announces for the next line.
    fn next_line_payload(&mut self, line: &[u8]) {
        let announced = self.payload_rules().find_map(|rule| {
            let fits = rule.placement == Placement::NextLine
                && atspec::parse::starts_like(line, rule.prefix);
            (rule.length)(line)
                .ok()
                .filter(|_| fits)
                .map(|(len, _)| len as u64)
        });
        if let Some(len) = announced.filter(|&len| len > 0) {
            self.modem.armed = Some(len);
        }
    }

    /// Prints what is still pending (at the end of the session).
    pub fn finish(&mut self) {
        for direction in [Direction::Host, Direction::Modem] {
            self.end_segment(direction, false);
            self.report_data(direction);
        }
        let _ = self.out.flush();
    }

    fn side(&mut self, direction: Direction) -> &mut Side {
        match direction {
            Direction::Host => &mut self.host,
            Direction::Modem => &mut self.modem,
        }
    }

    /// Ends the current segment of `direction`, at a line break when `at_break`:
    /// a line of text is printed; anything else is counted into the binary run.
    fn end_segment(&mut self, direction: Direction, at_break: bool) {
        let side = self.side(direction);
        if side.segment.is_empty() {
            // A line break inside a payload belongs to it.
            if side.data > 0 && at_break {
                side.data += 1;
                side.trailing_breaks += 1;
            }
            return;
        }
        let segment = std::mem::take(&mut side.segment);
        let in_run = side.data > 0;
        if !is_text(&segment) || (in_run && !self.ends_payload(direction, &segment)) {
            self.side(direction)
                .count_data(segment.len() as u64, at_break);
            return;
        }
        self.report_data(direction);
        match direction {
            Direction::Host => self.host_text(&segment),
            Direction::Modem => {
                self.modem_text(&segment);
                self.next_line_payload(&segment);
            }
        }
    }

    /// Whether a line of text after a payload is the protocol again rather than
    /// more payload: a command line, or an answer line the spec knows.
    fn ends_payload(&self, direction: Direction, line: &[u8]) -> bool {
        match direction {
            Direction::Host => line.len() >= 2 && line[..2].eq_ignore_ascii_case(b"AT"),
            Direction::Modem => {
                !matches!(self.package.dialect().classify(line), LineClass::Text)
                    || self
                        .in_flight
                        .as_ref()
                        .is_some_and(|c| c.decode_line(line).is_some())
            }
        }
    }

    fn host_text(&mut self, line: &[u8]) {
        self.in_flight = self.package.parse_command(line).ok();
        self.last_sent = line.to_vec();
        let shown = host_line(self.package, line);
        self.print(Direction::Host, &shown);
    }

    fn modem_text(&mut self, line: &[u8]) {
        // An echo repeats the command line, secrets and all.
        let shown = if line == self.last_sent.as_slice() {
            host_line(self.package, line)
        } else {
            modem_line(self.in_flight.as_deref(), line)
        };
        self.print(Direction::Modem, &shown);
    }

    fn report_data(&mut self, direction: Direction) {
        let side = self.side(direction);
        let n = std::mem::take(&mut side.data)
            .saturating_sub(std::mem::take(&mut side.trailing_breaks));
        if n > 0 {
            let text = format!("({n} bytes of data)");
            self.print(direction, text.as_bytes());
        }
    }

    fn print(&mut self, direction: Direction, line: &[u8]) {
        let _ = writeln!(
            self.out,
            "{} {}",
            marker(direction),
            String::from_utf8_lossy(line)
        );
    }
}

/// Whether `segment` is a line a person can read: UTF-8 without control
/// characters other than tab.
fn is_text(segment: &[u8]) -> bool {
    std::str::from_utf8(segment).is_ok_and(|s| s.chars().all(|c| c == '\t' || !c.is_control()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_text_and_binary_is_not() {
        assert!(is_text(b"+X: 10\tx"));
        assert!(is_text("café".as_bytes()));
        assert!(!is_text(b"\x00\x01abc"));
        assert!(!is_text(b"\xff\xfe"));
    }
}
