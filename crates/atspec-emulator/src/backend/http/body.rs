//! The response body type of the HTTP backend: a buffer or a streamed payload.

use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

use crate::payload::PayloadReader;

/// Largest chunk a streamed payload is cut into.
const CHUNK: usize = 64 * 1024;

/// A response body whose length is always known, so every response carries a
/// `Content-Length`.
#[derive(Debug)]
pub(crate) enum ResponseBody {
    /// Bytes built in memory (echo JSON, short texts); `None` once sent.
    Full(Option<Bytes>),
    /// Deterministic payload bytes generated chunk by chunk, in constant memory.
    Payload(PayloadReader),
    /// A payload whose connection breaks: its full length is declared, but after
    /// `before_cut` bytes the body fails and hyper closes the connection.
    Cut(CutBody),
}

/// The state of a [`ResponseBody::Cut`].
#[derive(Debug)]
pub(crate) struct CutBody {
    reader: PayloadReader,
    before_cut: u64,
    /// Running once the bytes before the cut are handed over: a moment for hyper to
    /// flush them to the socket before the failure closes it.
    linger: Option<Pin<Box<Sleep>>>,
}

/// How long the bytes before a cut get to leave before the connection is closed.
const CUT_LINGER: Duration = Duration::from_millis(50);

impl CutBody {
    pub(crate) fn new(reader: PayloadReader, before_cut: u64) -> Self {
        Self {
            reader,
            before_cut,
            linger: None,
        }
    }
}

impl ResponseBody {
    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self::Full(None)
    }

    /// A body holding `bytes`.
    pub(crate) fn full(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        if bytes.is_empty() {
            Self::empty()
        } else {
            Self::Full(Some(bytes))
        }
    }

    /// How many bytes the body still holds.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Full(bytes) => bytes.as_ref().map_or(0, |b| b.len() as u64),
            Self::Payload(reader) => reader.remaining(),
            Self::Cut(cut) => cut.reader.remaining(),
        }
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let frame = match self.get_mut() {
            Self::Full(bytes) => bytes.take(),
            Self::Payload(reader) => next_chunk(reader, u64::MAX),
            Self::Cut(cut) => match next_chunk(&mut cut.reader, cut.before_cut) {
                Some(chunk) => {
                    cut.before_cut -= chunk.len() as u64;
                    Some(chunk)
                }
                None => {
                    let linger = cut
                        .linger
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(CUT_LINGER)));
                    if linger.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    let cut_off = io::Error::new(io::ErrorKind::ConnectionAborted, "cut");
                    return Poll::Ready(Some(Err(cut_off)));
                }
            },
        };
        Poll::Ready(frame.map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        !matches!(self, Self::Cut(_)) && self.len() == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len())
    }
}

/// The next chunk of `reader`, at most `limit` bytes; `None` when nothing is left.
fn next_chunk(reader: &mut PayloadReader, limit: u64) -> Option<Bytes> {
    let left = reader.remaining().min(limit);
    let n = usize::try_from(left).map_or(CHUNK, |left| left.min(CHUNK));
    if n == 0 {
        return None;
    }
    let mut chunk = BytesMut::zeroed(n);
    reader.read_into(&mut chunk);
    Some(chunk.freeze())
}
