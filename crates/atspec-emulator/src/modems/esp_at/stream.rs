//! An answer body printed as it arrives, the way the module prints `+HTTPCLIENT:` (and
//! `+HTTPCPOST:`) pieces while the server is still sending: in bounded memory whatever
//! the body's size, the server held back while the host has not taken what is queued.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

use crate::client::http::HttpProgress;
use crate::modem::{Output, STREAM_BACKLOG};

/// A sink that prints the body in same-line pieces of `size` bytes: `<header>,<bytes>`.
pub(super) struct Pieces {
    out: Output,
    size: usize,
    header: fn(u32) -> Vec<u8>,
    /// The response's status, known before its body's first byte.
    progress: Arc<HttpProgress>,
    /// Whether a 4xx or 5xx answer's page is printed too (AT+HTTPCPOST does, AT+HTTPCLIENT
    /// does not).
    error_pages: bool,
    piece: Vec<u8>,
}

impl Pieces {
    pub(super) fn new(
        out: Output,
        size: usize,
        header: fn(u32) -> Vec<u8>,
        progress: Arc<HttpProgress>,
        error_pages: bool,
    ) -> Self {
        Self {
            out,
            size: size.max(1),
            header,
            progress,
            error_pages,
            piece: Vec::new(),
        }
    }

    /// Prints the piece begun, if any (the body ended, or the connection broke).
    pub(super) fn finish(&mut self) {
        if !self.piece.is_empty() {
            let mut line = (self.header)(self.piece.len() as u32);
            line.push(b',');
            line.append(&mut self.piece);
            self.out.line(line);
        }
    }

    fn printing(&self) -> bool {
        self.error_pages || self.progress.snapshot().status < 400
    }
}

impl AsyncWrite for Pieces {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if !this.printing() {
            return Poll::Ready(Ok(buf.len()));
        }
        std::task::ready!(this.out.poll_backlog_below(cx, STREAM_BACKLOG));
        let take = buf.len().min(this.size - this.piece.len());
        this.piece.extend_from_slice(&buf[..take]);
        if this.piece.len() == this.size {
            this.finish();
        }
        Poll::Ready(Ok(take))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
