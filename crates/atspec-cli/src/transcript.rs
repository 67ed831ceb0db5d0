//! The serial transcript `-v` prints: the bytes each way cut into lines, command
//! lines as `> line`, answer lines as `< line`, secrets masked, and binary
//! payloads summarised by their size instead of printed.

use std::io::Write;

use atspec::LineClass;
use atspec::dynamic::{AnyCommand, Package};

use crate::redact::{host_line, modem_line};

/// Longest segment printed as a line; a longer one is summarised as data.
const MAX_TEXT: usize = 4096;

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the host to the modem.
    Host,
    /// From the modem to the host.
    Modem,
}

impl Direction {
    fn marker(self) -> &'static str {
        match self {
            Self::Host => ">",
            Self::Modem => "<",
        }
    }
}

/// The bytes of one direction since its last line break.
#[derive(Debug, Default)]
struct Side {
    segment: Vec<u8>,
    /// Bytes of a binary run (a payload) not yet reported.
    data: u64,
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
            Direction::Modem => self.end_segment(Direction::Host),
            Direction::Host => {
                let prompt = self.package.dialect().classify(&self.modem.segment);
                if matches!(prompt, LineClass::Prompt(_)) {
                    self.end_segment(Direction::Modem);
                }
            }
        }
        for &byte in bytes {
            if byte == b'\r' || byte == b'\n' {
                self.end_segment(direction);
                continue;
            }
            let side = self.side(direction);
            side.segment.push(byte);
            if side.segment.len() > MAX_TEXT {
                side.data += side.segment.len() as u64;
                side.segment.clear();
            }
        }
    }

    /// Prints what is still pending (at the end of the session).
    pub fn finish(&mut self) {
        for direction in [Direction::Host, Direction::Modem] {
            self.end_segment(direction);
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

    /// Ends the current segment of `direction`: a line of text is printed; anything
    /// else is counted into the binary run.
    fn end_segment(&mut self, direction: Direction) {
        let side = self.side(direction);
        if side.segment.is_empty() {
            // A line break inside a payload belongs to it.
            if side.data > 0 {
                side.data += 1;
            }
            return;
        }
        let segment = std::mem::take(&mut side.segment);
        let in_run = side.data > 0;
        if !is_text(&segment) || (in_run && !self.ends_payload(direction, &segment)) {
            self.side(direction).data += segment.len() as u64 + 1;
            return;
        }
        self.report_data(direction);
        match direction {
            Direction::Host => self.host_text(&segment),
            Direction::Modem => self.modem_text(&segment),
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
        let n = std::mem::take(&mut side.data);
        if n > 0 {
            let text = format!("({n} bytes of data)");
            self.print(direction, text.as_bytes());
        }
    }

    fn print(&mut self, direction: Direction, line: &[u8]) {
        let _ = writeln!(
            self.out,
            "{} {}",
            direction.marker(),
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
        assert!(is_text(b"+HTTPREAD: 10\tx"));
        assert!(is_text("café".as_bytes()));
        assert!(!is_text(b"\x00\x01abc"));
        assert!(!is_text(b"\xff\xfe"));
    }
}
