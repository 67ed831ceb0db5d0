//! Progress of a running request, readable while it runs (a modem's status query), and
//! the request body that counts what it hands to the connection.

use std::convert::Infallible;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// Largest piece of a request body handed to the connection at once: one TCP segment
/// of a typical 1500-byte path, so the count of bytes sent moves in realistic steps.
const SEND_PIECE: usize = 1440;

/// Counters of one request, updated by the client as it goes.
#[derive(Debug, Default)]
pub struct HttpProgress {
    sent: AtomicU64,
    to_send: AtomicU64,
    status: AtomicU64,
    received: AtomicU64,
    expected: AtomicU64,
}

/// A snapshot of [`HttpProgress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HttpProgressSnapshot {
    /// Request body bytes handed to the connection.
    pub sent: u64,
    /// Request body length.
    pub to_send: u64,
    /// Status of the final response, 0 until its head arrived.
    pub status: u16,
    /// Response body bytes received.
    pub received: u64,
    /// The response's declared `Content-Length` (0 until the head arrived or if none).
    pub expected: u64,
}

impl HttpProgress {
    /// Fresh counters.
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// The counters now.
    pub fn snapshot(&self) -> HttpProgressSnapshot {
        HttpProgressSnapshot {
            sent: self.sent.load(Ordering::Relaxed),
            to_send: self.to_send.load(Ordering::Relaxed),
            status: u16::try_from(self.status.load(Ordering::Relaxed)).unwrap_or(0),
            received: self.received.load(Ordering::Relaxed),
            expected: self.expected.load(Ordering::Relaxed),
        }
    }

    pub(super) fn start_request(&self, body_len: u64) {
        self.sent.store(0, Ordering::Relaxed);
        self.to_send.store(body_len, Ordering::Relaxed);
    }

    pub(super) fn head(&self, status: u16, content_length: Option<u64>) {
        self.status.store(u64::from(status), Ordering::Relaxed);
        self.expected
            .store(content_length.unwrap_or(0), Ordering::Relaxed);
        self.received.store(0, Ordering::Relaxed);
    }

    pub(super) fn add_received(&self, n: u64) {
        self.received.fetch_add(n, Ordering::Relaxed);
    }
}

/// A request body handed out in [`SEND_PIECE`]-byte frames, counting them. On a paced
/// link the pieces are released at the link's rate too: the connection would otherwise
/// buffer the whole body at once, and the count would say "sent" long before it is.
#[derive(Debug)]
pub(super) struct CountedBody {
    rest: Bytes,
    progress: Option<Arc<HttpProgress>>,
    rate: Option<u64>,
    pause: Option<Pin<Box<Sleep>>>,
}

impl CountedBody {
    pub(super) fn new(body: Bytes, progress: Option<Arc<HttpProgress>>, rate: Option<u64>) -> Self {
        if let Some(p) = &progress {
            p.start_request(body.len() as u64);
        }
        Self {
            rest: body,
            progress,
            rate: rate.map(|r| r.max(1)),
            pause: None,
        }
    }
}

impl Body for CountedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        if let Some(pause) = &mut this.pause {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        let piece = this.rest.split_to(this.rest.len().min(SEND_PIECE));
        if let Some(rate) = this.rate {
            let nanos = piece.len() as u64 * 1_000_000_000 / rate;
            this.pause = Some(Box::pin(tokio::time::sleep(Duration::from_nanos(nanos))));
        }
        if let Some(p) = &this.progress {
            p.sent.fetch_add(piece.len() as u64, Ordering::Relaxed);
        }
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.rest.len() as u64)
    }
}
