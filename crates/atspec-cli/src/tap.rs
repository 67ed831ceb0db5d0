//! A transport that shows a watcher (the `-v` [`Transcript`], a [`Recorder`])
//! everything passing through it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::record::{Recorder, Way};
use crate::transcript::Transcript;

/// What a [`Tap`] tells the bytes it sees.
pub trait Watch: Send {
    /// `bytes` went `way`.
    fn bytes(&mut self, way: Way, bytes: &[u8]);
    /// The line is gone: nothing more comes.
    fn finish(&mut self) {}
}

impl Watch for Transcript {
    fn bytes(&mut self, way: Way, bytes: &[u8]) {
        Transcript::bytes(self, way, bytes);
    }
    fn finish(&mut self) {
        Transcript::finish(self);
    }
}

impl Watch for Recorder {
    fn bytes(&mut self, way: Way, bytes: &[u8]) {
        Recorder::bytes(self, way, bytes);
    }
}

/// `inner` with what is read and written shown to a [`Watch`]; dropping the tap
/// finishes it (a transcript prints what it still holds).
pub struct Tap<T> {
    inner: T,
    watch: Box<dyn Watch>,
}

impl<T> Tap<T> {
    /// Taps `inner` for `watch`.
    pub fn new(inner: T, watch: impl Watch + 'static) -> Self {
        Self {
            inner,
            watch: Box::new(watch),
        }
    }

    fn record(&mut self, way: Way, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.watch.bytes(way, bytes);
        }
    }
}

impl<T> Drop for Tap<T> {
    fn drop(&mut self) {
        self.watch.finish();
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
            this.record(Way::Modem, read);
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
            this.record(Way::Host, &buf[..n]);
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

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn what_is_written_and_read_reaches_the_watcher_in_order() {
        let (near, mut far) = tokio::io::duplex(64);
        let recorder = Recorder::default();
        let mut tap = Tap::new(near, recorder.clone());
        tap.write_all(b"AT\r").await.unwrap();
        let mut sent = [0u8; 3];
        far.read_exact(&mut sent).await.unwrap();
        far.write_all(b"\r\nOK\r\n").await.unwrap();
        let mut answer = [0u8; 6];
        tap.read_exact(&mut answer).await.unwrap();
        assert_eq!(
            recorder.take(),
            [
                (Way::Host, b"AT\r".to_vec()),
                (Way::Modem, b"\r\nOK\r\n".to_vec())
            ]
        );
    }
}
