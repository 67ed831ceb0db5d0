//! A slow link: paces the bytes crossing any stream, sink or source to a fixed rate, the
//! way a GPRS bearer limits a modem's transfers. Pacing makes a transfer last long enough
//! for progress queries (AT+HTTPSTATUS?, AT+FTPGETTOFS?) to see it running.

use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// Bursts are cut to this share of a second's worth of bytes, so pacing stays smooth.
const BURSTS_PER_SECOND: u64 = 20;

/// `inner`, with reads and writes each paced to `rate` bytes per second.
#[derive(Debug)]
pub struct Throttled<T> {
    inner: T,
    /// `None`: not paced.
    rate: Option<u64>,
    read_pause: Option<Pin<Box<Sleep>>>,
    write_pause: Option<Pin<Box<Sleep>>>,
}

impl<T> Throttled<T> {
    /// Paces `inner` to `rate` bytes per second in each direction (at least 1).
    pub fn new(inner: T, rate: u64) -> Self {
        Self::optional(inner, Some(rate))
    }

    /// Paces `inner` to `rate` bytes per second when there is a rate; passes bytes
    /// straight through otherwise.
    pub fn optional(inner: T, rate: Option<u64>) -> Self {
        Self {
            inner,
            rate: rate.map(|r| r.max(1)),
            read_pause: None,
            write_pause: None,
        }
    }

    /// The wrapped stream.
    pub fn into_inner(self) -> T {
        self.inner
    }

    fn burst(&self) -> usize {
        self.rate.map_or(usize::MAX, |rate| {
            usize::try_from((rate / BURSTS_PER_SECOND).max(1)).unwrap_or(usize::MAX)
        })
    }

    fn pause_for(&self, bytes: usize) -> Option<Pin<Box<Sleep>>> {
        let rate = self.rate?;
        let nanos = (bytes as u128 * 1_000_000_000) / u128::from(rate);
        let nanos = u64::try_from(nanos).unwrap_or(u64::MAX);
        Some(Box::pin(tokio::time::sleep(Duration::from_nanos(nanos))))
    }
}

/// Waits out `pause`, clearing it once over.
fn wait(pause: &mut Option<Pin<Box<Sleep>>>, cx: &mut Context<'_>) -> Poll<()> {
    if let Some(sleep) = pause {
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        *pause = None;
    }
    Poll::Ready(())
}

impl<T: AsyncRead + Unpin> AsyncRead for Throttled<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if wait(&mut this.read_pause, cx).is_pending() {
            return Poll::Pending;
        }
        let limit = buf.remaining().min(this.burst());
        let mut part = ReadBuf::new(buf.initialize_unfilled_to(limit));
        match Pin::new(&mut this.inner).poll_read(cx, &mut part) {
            Poll::Ready(Ok(())) => {
                let n = part.filled().len();
                buf.advance(n);
                if n > 0 {
                    this.read_pause = this.pause_for(n);
                }
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Throttled<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if wait(&mut this.write_pause, cx).is_pending() {
            return Poll::Pending;
        }
        let limit = buf.len().min(this.burst());
        match Pin::new(&mut this.inner).poll_write(cx, &buf[..limit]) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    this.write_pause = this.pause_for(n);
                }
                Poll::Ready(Ok(n))
            }
            other => other,
        }
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
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    #[tokio::test]
    async fn paces_both_directions() {
        let data = vec![7u8; 20_000];
        let started = std::time::Instant::now();
        let mut sink = Throttled::new(Vec::new(), 100_000);
        sink.write_all(&data).await.unwrap();
        let mut source = Throttled::new(&data[..], 100_000);
        let mut back = Vec::new();
        source.read_to_end(&mut back).await.unwrap();
        // 2 x 20 kB at 100 kB/s: about 0.4 s (the last burst's pause is not waited).
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!((sink.into_inner(), back), (data.clone(), data));
    }
}
