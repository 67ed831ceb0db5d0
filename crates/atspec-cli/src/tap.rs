//! A transport that shows a [`Transcript`] everything passing through it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::transcript::{Direction, Transcript};

/// `inner` with what is read and written copied into a [`Transcript`]; dropping
/// the tap prints what the transcript still holds.
pub struct Tap<T> {
    inner: T,
    transcript: Transcript,
}

impl<T> Tap<T> {
    /// Taps `inner` into `transcript`.
    pub fn new(inner: T, transcript: Transcript) -> Self {
        Self { inner, transcript }
    }

    fn record(&mut self, direction: Direction, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.transcript.bytes(direction, bytes);
        }
    }
}

impl<T> Drop for Tap<T> {
    fn drop(&mut self) {
        self.transcript.finish();
    }
}

impl<T> std::fmt::Debug for Tap<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tap").finish_non_exhaustive()
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Tap<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let read = &buf.filled()[before..];
            this.record(Direction::Modem, read);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tap<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            this.record(Direction::Host, &buf[..n]);
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
