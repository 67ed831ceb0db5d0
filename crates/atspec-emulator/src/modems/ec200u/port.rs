//! The serial port in data mode as the destination of a download or listing.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

use crate::modem::{Output, STREAM_BACKLOG};

/// Leaves data mode: `OK` and the result line in one write, since nothing may come
/// between them (the host tells the `OK` ending data mode from data bytes by the result
/// line right after it). Without data mode, `OK` and the result line as usual.
pub(super) fn finish_download(out: &Output, connected: bool, result: Vec<u8>) {
    if connected {
        let mut tail = b"\r\nOK\r\n\r\n".to_vec();
        tail.extend_from_slice(&result);
        tail.extend_from_slice(b"\r\n");
        out.raw(tail);
    } else {
        out.ok();
        out.line(result);
    }
}

/// The serial port in data mode as a download's sink: `CONNECT` before the first byte,
/// then the bytes as they arrive, at most `downloadlen` of them.
pub(super) struct PortSink {
    pub(super) out: Output,
    pub(super) prompt: &'static str,
    pub(super) connected: bool,
    pub(super) room: Option<u64>,
    pub(super) sent: u64,
}

impl PortSink {
    pub(super) fn new(out: Output, prompt: &'static str, downloadlen: Option<u32>) -> Self {
        Self {
            out,
            prompt,
            connected: false,
            room: downloadlen.map(u64::from),
            sent: 0,
        }
    }

    pub(super) fn connect(&mut self) {
        if !self.connected {
            self.out.line(self.prompt);
            self.connected = true;
        }
    }
}

impl AsyncWrite for PortSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        // Wait while the host has not taken what is queued, so a large file streams
        // through the emulator in bounded memory.
        std::task::ready!(this.out.poll_backlog_below(cx, STREAM_BACKLOG));
        this.connect();
        let take = this
            .room
            .map_or(buf.len(), |room| room.min(buf.len() as u64) as usize);
        if take > 0 {
            this.out.raw(&buf[..take]);
            this.sent += take as u64;
            if let Some(room) = &mut this.room {
                *room -= take as u64;
            }
        }
        // Bytes past downloadlen are taken and dropped: the client has no ABOR, so the
        // transfer runs to its end while the port has already stopped.
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
