//! Cutting the modem's byte stream into frames: lines, prompts and raw data.
//!
//! The framer is fed bytes in whatever pieces the transport delivers and hands
//! out complete frames. It never parses line contents; the caller tells it what
//! may come now (the [`Expect`] given to [`Framer::next_frame`]) and when raw data
//! is due (a payload of known length, or data mode ended by a terminator), so raw
//! bytes that contain CR, LF or `OK` are never taken for lines.
//!
//! # Contract
//!
//! - **Reads do not matter.** Take a byte stream and a caller whose calls depend
//!   only on the frames it has received so far: the [`Expect`] it passes to every
//!   `next_frame` and its [`Framer::expect_data`], [`Framer::expect_data_until`],
//!   [`Framer::expect_data_until_confirmed`] and [`Framer::cancel_data`] calls,
//!   made after a frame and before asking for the next one. However the stream is
//!   cut into [`Framer::push`] / [`Framer::read_buffer`] pieces, and however often
//!   `next_frame` is called in between, the frames are the same, except that raw
//!   data may come in differently cut [`Frame::Data`] frames with the same bytes.
//!   Every decision waits for the bytes it depends on; none depends on where a
//!   read ended.
//! - **Bounded memory.** After `next_frame` returns `None`, [`Framer::buffered`] is
//!   at most [`Framer::max_line`] outside raw data, 0 in counted data, and less
//!   than `max_line` + the terminator's length in data mode ended by a
//!   terminator. So the framer never holds more than that plus one read.
//! - `None` means "need more bytes"; frames borrow the framer's buffer and are
//!   valid until the next call.
//!
//! # Text
//!
//! - A line ends at its first CR or LF. The LF after a CR belongs to the line, also
//!   when it arrives in a later read, so it is never taken for raw data.
//! - Line ends between lines and lines of spaces only (of any length) are padding.
//! - A line longer than `max_line` is exactly one [`Frame::Overflow`], reported at
//!   its end and counting its bytes and the CR or LF that ended it.
//! - A bare prompt ([`Expect::prompts`], recognised by its text without trailing
//!   spaces) starts a line. The spaces before it and after it belong to it, however
//!   many and however they arrive; text after them starts a new line. When one
//!   expected prompt's text starts another's, the longer one is waited for. A
//!   prompt longer than `max_line` is never recognised (it would be an over-long
//!   line).
//! - A same-line payload header ([`Expect::same_line`]) starts a line and is at
//!   most `max_line` bytes up to its comma: [`Frame::Header`], then the payload as
//!   [`Frame::Data`] and [`Frame::DataEnd`]. A longer one is an over-long line.
//!
//! # Raw data
//!
//! - [`Framer::expect_data`]: that many bytes, then `DataEnd`.
//! - [`Framer::expect_data_until`]: bytes up to the first terminator, which is
//!   consumed, then `DataEnd`. A tail that may start the terminator is held back.
//! - [`Framer::expect_data_until_confirmed`]: a terminator ends the data only when
//!   line ends and a line starting with the confirmation follow, the confirmation
//!   complete within `max_line` bytes after the terminator (the confirming line
//!   must fit in a line). A terminator followed by anything else, or by more line
//!   ends than that, is data.
//! - Spaces after a prompt are data once raw data is expected.

mod data_mode;
mod lines;
mod payloads;
mod prompts;
#[cfg(test)]
mod tests;

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
        /// Bytes thrown away: the line's and the CR or LF that ended it.
        discarded: usize,
    },
}

/// What the current command allows the framer to recognise besides lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'r> {
    /// Bare prompts that may appear now (`> `). Their text starts with a
    /// non-space and holds no CR/LF.
    pub prompts: &'r [&'static str],
    /// A same-line payload the current command may announce.
    pub same_line: Option<&'r PayloadRule>,
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
    /// The last raw byte was handed out; `DataEnd` is next.
    Ended,
}

/// Where the framer is in the text between reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineState {
    /// At a line start; a line's first bytes may be buffered.
    Start,
    /// At a line start after this many spaces, dropped from the buffer because
    /// with what came after them they exceed a line: what follows is padding, a
    /// prompt or an over-long line.
    Blank(usize),
    /// Inside an over-long line; this many of its bytes were dropped so far.
    Discarding(usize),
}

/// What one step of framing decided: a frame, located in the buffer by position
/// (no borrow is held while deciding), or that there is none yet.
enum Step {
    Line {
        at: usize,
        len: usize,
    },
    Header {
        at: usize,
        len: usize,
    },
    Prompt(&'static str),
    Data {
        at: usize,
        len: usize,
    },
    DataEnd,
    Overflow(usize),
    /// More bytes are needed.
    Wait,
    /// The text state changed: decide again (text only).
    Again,
}

/// Incremental framer. See the module docs for its contract.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    start: usize,
    max_line: usize,
    raw: Raw,
    line: LineState,
    /// A line ended with CR as the last byte received: an LF next belongs to it.
    pending_lf: bool,
    /// The last frame was a bare prompt: spaces next belong to it.
    after_prompt: bool,
}

impl Framer {
    /// A framer whose lines may be at most `max_line` bytes (at least 16).
    pub fn new(max_line: usize) -> Self {
        Self {
            buf: Vec::with_capacity(max_line.max(64) * 2),
            start: 0,
            max_line: max_line.max(16),
            raw: Raw::None,
            line: LineState::Start,
            pending_lf: false,
            after_prompt: false,
        }
    }

    /// The longest line this framer hands out.
    pub fn max_line(&self) -> usize {
        self.max_line
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
        self.enter_raw(if len == 0 {
            Raw::Ended
        } else {
            Raw::Counted(len)
        });
    }

    /// Raw data until `terminator` (data mode ended by, for example, `\r\nOK\r\n`).
    /// An empty terminator ends the data at once.
    pub fn expect_data_until(&mut self, terminator: &'static [u8]) {
        self.enter_raw(Raw::Until {
            terminator,
            confirm: None,
        });
    }

    /// Raw data until `terminator` followed (after line ends) by a line starting
    /// with `confirm`; a terminator followed by anything else is data. Data mode
    /// ended by `OK` and confirmed by a URC keeps an `\r\nOK\r\n` inside the data.
    pub fn expect_data_until_confirmed(
        &mut self,
        terminator: &'static [u8],
        confirm: &'static [u8],
    ) {
        self.enter_raw(Raw::Until {
            terminator,
            confirm: Some(confirm),
        });
    }

    /// Whether raw data is being read.
    pub fn in_data(&self) -> bool {
        self.raw != Raw::None
    }

    /// Leaves raw data mode (after a transfer was abandoned).
    pub fn cancel_data(&mut self) {
        self.raw = Raw::None;
    }

    fn enter_raw(&mut self, raw: Raw) {
        self.raw = match raw {
            Raw::Until { terminator: [], .. } => Raw::Ended,
            raw => raw,
        };
        // Spaces after a prompt are the caller's data now.
        self.after_prompt = false;
    }

    fn compact(&mut self) {
        if self.start > 0 && (self.start == self.buf.len() || self.start >= self.buf.capacity() / 2)
        {
            self.buf.drain(..self.start);
            self.start = 0;
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The next complete frame, or `None` if more bytes are needed.
    pub fn next_frame(&mut self, expect: Expect<'_>) -> Option<Frame<'_>> {
        if self.pending_lf && self.start < self.buf.len() {
            self.pending_lf = false;
            if self.buf[self.start] == b'\n' {
                self.start += 1;
            }
        }
        let step = match self.raw {
            Raw::None => self.text(expect),
            Raw::Counted(left) => self.counted(left),
            Raw::Until {
                terminator,
                confirm,
            } => self.until(terminator, confirm),
            Raw::Ended => {
                self.raw = Raw::None;
                Step::DataEnd
            }
        };
        Some(match step {
            Step::Line { at, len } => Frame::Line(&self.buf[at..at + len]),
            Step::Header { at, len } => Frame::Header(&self.buf[at..at + len]),
            Step::Prompt(prompt) => Frame::Prompt(prompt),
            Step::Data { at, len } => Frame::Data(&self.buf[at..at + len]),
            Step::DataEnd => Frame::DataEnd,
            Step::Overflow(discarded) => Frame::Overflow { discarded },
            Step::Wait | Step::Again => return None,
        })
    }

    /// Hands out the next `len` bytes as data (none: wait).
    fn data(&mut self, len: usize) -> Step {
        if len == 0 {
            return Step::Wait;
        }
        let at = self.start;
        self.start += len;
        Step::Data { at, len }
    }
}

fn is_line_end(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}
