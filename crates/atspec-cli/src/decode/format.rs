//! The capture's format, told from its bytes, and the byte stream the decoder reads
//! out of it.
//!
//! - **Prefixed**: the first non-blank line and at least half of them start with `> `
//!   (host) or `< ` (modem). A line without a prefix has no known direction.
//! - **Raw bytes**: any CR, a control byte other than tab and LF, or bytes that are
//!   not UTF-8. The bytes are read exactly as captured.
//! - **Echo-on text**: anything else: a serial monitor's dump, lines ended by LF.
//!
//! The text formats are turned into the bytes the modem sent by ending every line
//! with CR LF, so a payload announced as 10 bytes that spans two lines counts the
//! line end between them as two bytes, as the modem sent it.

use super::model::Dir;

/// How the capture is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines prefixed `> ` (host) and `< ` (modem).
    Prefixed,
    /// An echo-on text dump: commands (as echoed) and answers interleaved.
    EchoText,
    /// The bytes as they crossed the line.
    Raw,
    /// The bytes as they crossed the line, recorded each way (what the tool's own
    /// exchanges keep).
    Recorded,
}

impl Format {
    /// How the header line names it.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Prefixed => "lines prefixed `> ` (host) and `< ` (modem)",
            Format::EchoText => {
                "an echo-on text capture (a line starting with AT is the host's command)"
            }
            Format::Raw => "raw bytes (a line starting with AT is the host's command)",
            Format::Recorded => "bytes recorded each way",
        }
    }

    /// Whether the decoder tells the direction of lines by their content.
    pub fn infers_direction(self) -> bool {
        matches!(self, Format::EchoText | Format::Raw)
    }
}

/// Where a stretch of the stream comes from in the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Offset in the stream where it starts.
    pub offset: usize,
    /// The capture line (1-based).
    pub line: usize,
    /// The direction the capture gives, `Unknown` when it gives none.
    pub dir: Dir,
}

/// The capture as one byte stream with the origin of every stretch.
#[derive(Debug, Clone)]
pub struct Stream {
    /// The format it was written in.
    pub format: Format,
    /// The bytes, with a text capture's line ends as CR LF.
    pub bytes: Vec<u8>,
    /// Origins, by increasing offset; the first at offset 0.
    origins: Vec<Origin>,
}

impl Stream {
    /// Reads `input`, telling its format.
    pub fn new(input: &[u8]) -> Self {
        let format = detect(input);
        let (bytes, origins) = match format {
            Format::Prefixed | Format::EchoText => text(input, format == Format::Prefixed),
            Format::Raw | Format::Recorded => raw(input, &[(0, Dir::Unknown)]),
        };
        Self {
            format,
            bytes,
            origins,
        }
    }

    /// The bytes each way, in the order they crossed the line.
    pub fn recorded(pieces: &[(Dir, &[u8])]) -> Self {
        let mut bytes = Vec::new();
        let mut turns = Vec::new();
        for (dir, piece) in pieces {
            turns.push((bytes.len(), *dir));
            bytes.extend_from_slice(piece);
        }
        let (bytes, origins) = raw(&bytes, &turns);
        Self {
            format: Format::Recorded,
            bytes,
            origins,
        }
    }

    /// The origin of the byte at `offset`.
    pub fn origin(&self, offset: usize) -> Origin {
        let at = self.origins.partition_point(|o| o.offset <= offset);
        self.origins
            .get(at.wrapping_sub(1))
            .copied()
            .unwrap_or(Origin {
                offset: 0,
                line: 1,
                dir: Dir::Unknown,
            })
    }

    /// Whether the line ends are the capture's own bytes (raw), rather than text
    /// line ends turned into CR LF.
    pub fn exact(&self) -> bool {
        matches!(self.format, Format::Raw | Format::Recorded)
    }
}

fn detect(input: &[u8]) -> Format {
    let lines: Vec<&[u8]> = text_lines(input)
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .collect();
    let prefixed = lines.iter().filter(|l| prefix_dir(l).is_some()).count();
    let first_prefixed = lines.first().is_some_and(|l| prefix_dir(l).is_some());
    if first_prefixed && prefixed * 2 >= lines.len() {
        return Format::Prefixed;
    }
    let control = input
        .iter()
        .any(|&b| b == b'\r' || (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f);
    if control || std::str::from_utf8(input).is_err() {
        Format::Raw
    } else {
        Format::EchoText
    }
}

/// The lines of a text capture, without LF and a CR before it.
fn text_lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    let input = input.strip_suffix(b"\n").unwrap_or(input);
    input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(move |_| !input.is_empty())
}

/// The direction a prefixed line gives, and the prefix's length.
fn prefix_dir(line: &[u8]) -> Option<(Dir, usize)> {
    let dir = match line.first()? {
        b'>' => Dir::Host,
        b'<' => Dir::Modem,
        _ => return None,
    };
    match line.get(1) {
        None => Some((dir, 1)),
        Some(b' ') => Some((dir, 2)),
        Some(_) => None,
    }
}

fn text(input: &[u8], prefixed: bool) -> (Vec<u8>, Vec<Origin>) {
    let mut bytes = Vec::with_capacity(input.len() + input.len() / 16);
    let mut origins = Vec::new();
    for (index, line) in text_lines(input).enumerate() {
        let (dir, content) = match prefix_dir(line).filter(|_| prefixed) {
            Some((dir, len)) => (dir, &line[len..]),
            None => (Dir::Unknown, line),
        };
        origins.push(Origin {
            offset: bytes.len(),
            line: index + 1,
            dir,
        });
        bytes.extend_from_slice(content);
        bytes.extend_from_slice(b"\r\n");
    }
    (bytes, origins)
}

/// A raw capture's lines: CR LF, LF and a lone CR each end one. `turns` says
/// from which offset on the bytes go which way (by increasing offset, the first
/// at 0).
fn raw(input: &[u8], turns: &[(usize, Dir)]) -> (Vec<u8>, Vec<Origin>) {
    let mut origins = Vec::new();
    let mut turns = turns.iter().peekable();
    let (mut line, mut at, mut dir) = (1, 0, Dir::Unknown);
    let mut line_start = true;
    while at < input.len() || turns.peek().is_some() {
        let turn = turns.next_if(|(offset, _)| *offset <= at);
        if let Some((_, turned)) = turn {
            dir = *turned;
        }
        if line_start || turn.is_some() {
            origins.push(Origin {
                offset: at,
                line,
                dir,
            });
            line_start = false;
        }
        if at >= input.len() {
            continue;
        }
        let next_turn = turns.peek().map_or(input.len(), |(offset, _)| *offset);
        let end = match input[at] {
            b'\r' if input.get(at + 1) == Some(&b'\n') && at + 1 < next_turn => at + 2,
            b'\r' | b'\n' => at + 1,
            _ => {
                at += 1;
                continue;
            }
        };
        line += 1;
        line_start = true;
        at = end;
    }
    if origins.is_empty() {
        origins.push(Origin {
            offset: 0,
            line: 1,
            dir: Dir::Unknown,
        });
    }
    (input.to_vec(), origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_three_formats_apart() {
        assert_eq!(Stream::new(b"> AT\n< OK\n").format, Format::Prefixed);
        assert_eq!(Stream::new(b"> AT\r\n< OK\r\n").format, Format::Prefixed);
        assert_eq!(Stream::new(b"AT\nOK\n").format, Format::EchoText);
        assert_eq!(Stream::new(b"AT\r\r\nOK\r\n").format, Format::Raw);
        assert_eq!(Stream::new(b"AT\n\xffOK\n").format, Format::Raw);
        // A prompt line in an echo-on dump does not make it prefixed.
        let dump = b"AT+SEND=5\n> hello\nOK\nAT\nOK\n";
        assert_eq!(Stream::new(dump).format, Format::EchoText);
    }

    #[test]
    fn text_lines_end_in_cr_lf_and_keep_their_numbers_and_directions() {
        let stream = Stream::new(b"> AT\n\n< OK\nstray\n");
        assert_eq!(stream.bytes, b"AT\r\n\r\nOK\r\nstray\r\n");
        let at = |offset| {
            let o = stream.origin(offset);
            (o.line, o.dir)
        };
        assert_eq!(at(0), (1, Dir::Host));
        assert_eq!(at(6), (3, Dir::Modem));
        assert_eq!(at(10), (4, Dir::Unknown));
    }

    #[test]
    fn recorded_bytes_keep_their_direction_across_and_within_lines() {
        let stream = Stream::recorded(&[
            (Dir::Host, b"AT\r"),
            (Dir::Modem, b"AT\r\r\nOK\r\n"),
            (Dir::Host, b"AT+X"),
        ]);
        assert_eq!(stream.format, Format::Recorded);
        let at = |offset| {
            let o = stream.origin(offset);
            (o.line, o.dir)
        };
        assert_eq!(at(0), (1, Dir::Host));
        assert_eq!(at(3), (2, Dir::Modem));
        assert_eq!(at(8), (4, Dir::Modem));
        assert_eq!(at(12), (5, Dir::Host));
    }

    #[test]
    fn raw_lines_are_counted_by_every_kind_of_line_end() {
        let stream = Stream::new(b"AT\r\r\nOK\r\nX\nY");
        assert_eq!(stream.bytes, b"AT\r\r\nOK\r\nX\nY");
        let line = |offset| stream.origin(offset).line;
        assert_eq!((line(0), line(5), line(9), line(11)), (1, 3, 4, 5));
    }
}
