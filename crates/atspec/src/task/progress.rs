//! Transfer progress: bytes done and the total when known, counted where the bytes
//! pass, so a caller can draw a bar whatever the modem.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How far a transfer is: bytes done, and the total when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes transferred so far.
    pub done: u64,
    /// All bytes of the transfer, when known.
    pub total: Option<u64>,
}

/// The callback type transfers report through.
pub type ProgressFn<'a> = dyn FnMut(Progress) + Send + 'a;

/// An [`AsyncWrite`] adapter for a download's sink: counts the bytes written into
/// `inner` and calls `progress` after each successful write with the running total.
/// The reports are monotonic and never count more than `inner` accepted. The total
/// may be set later ([`set_total`](Self::set_total)): the length is often learnt
/// mid-task.
pub struct CountingWriter<'a, 'p, W: ?Sized> {
    inner: &'a mut W,
    progress: Option<&'a mut ProgressFn<'p>>,
    written: u64,
    total: Option<u64>,
}

impl<'a, 'p, W: AsyncWrite + Unpin + Send + ?Sized> CountingWriter<'a, 'p, W> {
    /// Counts what is written into `inner`, reporting to `progress` if given.
    pub fn new(inner: &'a mut W, progress: Option<&'a mut ProgressFn<'p>>) -> Self {
        Self {
            inner,
            progress,
            written: 0,
            total: None,
        }
    }

    /// Sets the transfer's total (reported with the next write; see
    /// [`report`](Self::report) to tell the callback now).
    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Calls the callback with the current state (for example once the total is
    /// known, before any byte has arrived).
    pub fn report(&mut self) {
        let state = Progress {
            done: self.written,
            total: self.total,
        };
        if let Some(progress) = self.progress.as_deref_mut() {
            progress(state);
        }
    }
}

impl<W: ?Sized> std::fmt::Debug for CountingWriter<'_, '_, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountingWriter")
            .field("written", &self.written)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl<W: AsyncWrite + Unpin + Send + ?Sized> AsyncWrite for CountingWriter<'_, '_, W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut *this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled
            && n > 0
        {
            this.written += n as u64;
            this.report();
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().inner).poll_shutdown(cx)
    }
}

/// An [`AsyncRead`] adapter for an upload's source: counts the bytes read from
/// `inner` and calls `progress` after each read that returned bytes, with the
/// running total and the upload's length. With a length it reads no further.
///
/// Its inherent [`read`](Self::read) (the count) shadows `AsyncReadExt::read`; call
/// that one as `AsyncReadExt::read(&mut reader, buf)`.
pub struct CountingReader<'a, 'p, R: ?Sized> {
    inner: &'a mut R,
    progress: Option<&'a mut ProgressFn<'p>>,
    read: u64,
    total: Option<u64>,
}

impl<'a, 'p, R: AsyncRead + Unpin + Send + ?Sized> CountingReader<'a, 'p, R> {
    /// Counts what is read from `inner`, an upload of `total` bytes when known,
    /// reporting to `progress` if given.
    pub fn new(
        inner: &'a mut R,
        total: Option<u64>,
        progress: Option<&'a mut ProgressFn<'p>>,
    ) -> Self {
        Self {
            inner,
            progress,
            read: 0,
            total,
        }
    }

    /// Bytes read so far.
    pub fn read(&self) -> u64 {
        self.read
    }
}

impl<R: ?Sized> std::fmt::Debug for CountingReader<'_, '_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountingReader")
            .field("read", &self.read)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl<R: AsyncRead + Unpin + Send + ?Sized> AsyncRead for CountingReader<'_, '_, R> {
    /// Reads from `inner`, never past the total when one is known: an upload of
    /// `total` bytes takes no byte the caller did not announce.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let room = match this.total {
            Some(total) => {
                let left = total.saturating_sub(this.read);
                usize::try_from(left).map_or(buf.remaining(), |l| l.min(buf.remaining()))
            }
            None => buf.remaining(),
        };
        if room == 0 {
            return Poll::Ready(Ok(()));
        }
        let mut window = ReadBuf::new(buf.initialize_unfilled_to(room));
        let polled = Pin::new(&mut *this.inner).poll_read(cx, &mut window);
        let n = window.filled().len();
        buf.advance(n);
        if let Poll::Ready(Ok(())) = polled
            && n > 0
        {
            this.read += n as u64;
            let state = Progress {
                done: this.read,
                total: this.total,
            };
            if let Some(progress) = this.progress.as_deref_mut() {
                progress(state);
            }
        }
        polled
    }
}
