//! The response body type of the HTTP backend: a buffer or a streamed payload.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};

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
        }
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame = match self.get_mut() {
            Self::Full(bytes) => bytes.take(),
            Self::Payload(reader) => {
                let n = usize::try_from(reader.remaining()).map_or(CHUNK, |left| left.min(CHUNK));
                if n == 0 {
                    None
                } else {
                    let mut chunk = BytesMut::zeroed(n);
                    reader.read_into(&mut chunk);
                    Some(chunk.freeze())
                }
            }
        };
        Poll::Ready(frame.map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.len() == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len())
    }
}
