//! A readable transcript of what crosses the serial line: a transport wrapper
//! that records both directions, line by line, with payloads shown by size.

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The recorded exchange, shared between the wrapper and the printer.
#[derive(Clone, Default)]
pub struct Transcript {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    lines: Vec<String>,
    /// Bytes of an unfinished line, per direction (sent, received).
    partial: [Vec<u8>; 2],
}

impl Transcript {
    fn record(&self, arrow: &str, bytes: &[u8]) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if arrow == "->" {
            // The host writes a command line or a block of upload data at a time; what
            // the modem sent before (a prompt without a line end) comes first.
            let prompt = std::mem::take(&mut state.partial[1]);
            Self::push(&mut state.lines, "<-", &prompt);
            let command = bytes.ends_with(b"\r") || bytes.ends_with(b"\n");
            let printable = bytes
                .iter()
                .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\r' | b'\n'));
            // Short printable writes without a line end are escapes such as `+++`.
            if printable && (command || bytes.len() <= 8) {
                Self::push(&mut state.lines, arrow, bytes);
            } else {
                Self::push_data(&mut state.lines, arrow, bytes.len());
            }
            return;
        }
        state.partial[1].extend_from_slice(bytes);
        let Some(end) = state.partial[1]
            .iter()
            .rposition(|b| *b == b'\n' || *b == b'\r')
        else {
            return;
        };
        let complete: Vec<u8> = state.partial[1].drain(..=end).collect();
        Self::push(&mut state.lines, arrow, &complete);
    }

    /// Adds `len` bytes of raw data, merged with a data block just before.
    fn push_data(lines: &mut Vec<String>, arrow: &str, len: usize) {
        if len == 0 {
            return;
        }
        let data_line = |n: usize| format!("  {arrow} [{n} bytes of data]");
        let previous = lines.last().and_then(|l| {
            l.strip_prefix(&format!("  {arrow} ["))?
                .strip_suffix(" bytes of data]")?
                .parse::<usize>()
                .ok()
        });
        match (previous, lines.last_mut()) {
            (Some(n), Some(last)) => *last = data_line(n + len),
            _ => lines.push(data_line(len)),
        }
    }

    fn push(lines: &mut Vec<String>, arrow: &str, bytes: &[u8]) {
        for piece in bytes.split(|b| *b == b'\n' || *b == b'\r') {
            if piece.is_empty() {
                continue;
            }
            let printable = piece.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
            if printable && piece.len() <= 100 {
                lines.push(format!("  {arrow} {}", String::from_utf8_lossy(piece)));
                continue;
            }
            // Consecutive pieces of raw data read as one block.
            Self::push_data(lines, arrow, piece.len());
        }
    }

    /// Writes and forgets what was recorded so far (unfinished lines included).
    pub fn flush_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        for (side, arrow) in [(0, "->"), (1, "<-")] {
            let rest = std::mem::take(&mut state.partial[side]);
            Self::push(&mut state.lines, arrow, &rest);
        }
        let lines = std::mem::take(&mut state.lines);
        drop(state);
        for line in lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// A transport that records everything read and written.
pub struct Tap<T> {
    inner: T,
    transcript: Transcript,
}

impl<T> Tap<T> {
    /// Wraps `inner`, recording into `transcript`.
    pub fn new(inner: T, transcript: Transcript) -> Self {
        Self { inner, transcript }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Tap<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &poll {
            let new = buf.filled()[before..].to_vec();
            self.transcript.record("<-", &new);
        }
        poll
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tap<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &poll {
            self.transcript.record("->", &buf[..*n]);
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
