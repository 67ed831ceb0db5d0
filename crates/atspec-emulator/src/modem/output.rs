//! The modem-to-host direction: a writer task that applies the realism settings.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt, WriteHalf};
use tokio::sync::mpsc;

use super::options::{Chunking, ModemOptions};

enum Piece {
    /// A line, framed `\r\n...\r\n`; URCs may be injected before it.
    Line(Vec<u8>),
    /// Bytes as they are (echo, prompts, payloads): never split by injected URCs.
    Raw(Vec<u8>),
}

/// Most bytes a behaviour streaming a transfer lets queue for the serial line before it
/// waits for the host (see [`Output::poll_backlog_below`]).
pub const STREAM_BACKLOG: usize = 256 * 1024;

/// Where a behaviour writes; cheap to clone, usable from any task.
#[derive(Clone)]
pub struct Output {
    tx: mpsc::UnboundedSender<Piece>,
    backlog: Arc<Backlog>,
}

/// Bytes queued for the line but not yet written, so a behaviour streaming a large
/// transfer can wait for the host instead of queueing the whole file.
#[derive(Default)]
struct Backlog {
    bytes: AtomicUsize,
    waker: Mutex<Option<Waker>>,
}

impl Backlog {
    fn drained(&self, len: usize) {
        self.bytes.fetch_sub(len, Ordering::AcqRel);
        if let Some(waker) = self.waker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            waker.wake();
        }
    }
}

impl Output {
    /// Writes a line framed as modems do: `\r\n<line>\r\n`.
    pub fn line(&self, line: impl AsRef<[u8]>) {
        self.send(Piece::Line(line.as_ref().to_vec()));
    }

    fn send(&self, piece: Piece) {
        let len = match &piece {
            Piece::Line(bytes) | Piece::Raw(bytes) => bytes.len(),
        };
        self.backlog.bytes.fetch_add(len, Ordering::AcqRel);
        if self.tx.send(piece).is_err() {
            // The host is gone; nothing will drain it.
            self.backlog.bytes.fetch_sub(len, Ordering::AcqRel);
        }
    }

    /// Ready once fewer than `limit` bytes wait to be written (for a sink that
    /// streams a transfer to the host).
    pub fn poll_backlog_below(&self, cx: &mut Context<'_>, limit: usize) -> Poll<()> {
        if self.backlog.bytes.load(Ordering::Acquire) < limit || self.tx.is_closed() {
            return Poll::Ready(());
        }
        *self.backlog.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
        // The writer may have drained between the check and storing the waker.
        if self.backlog.bytes.load(Ordering::Acquire) < limit {
            return Poll::Ready(());
        }
        Poll::Pending
    }

    /// Waits until fewer than `limit` bytes wait to be written.
    pub async fn backlog_below(&self, limit: usize) {
        std::future::poll_fn(|cx| self.poll_backlog_below(cx, limit)).await;
    }

    /// Writes bytes exactly as given (prompts without line ends, raw payload).
    pub fn raw(&self, bytes: impl AsRef<[u8]>) {
        self.send(Piece::Raw(bytes.as_ref().to_vec()));
    }

    /// `OK`.
    pub fn ok(&self) {
        self.line("OK");
    }

    /// `ERROR`.
    pub fn error(&self) {
        self.line("ERROR");
    }
}

/// Starts the writer task.
pub(super) fn start<T: AsyncWrite + Send + 'static>(
    mut write: WriteHalf<T>,
    options: ModemOptions,
) -> Output {
    let (tx, mut rx) = mpsc::unbounded_channel::<Piece>();
    let backlog = Arc::new(Backlog::default());
    let drain = backlog.clone();
    tokio::spawn(async move {
        let mut rng = match options.chunking {
            Chunking::Random(seed) => seed | 1,
            _ => 1,
        };
        let mut urc = 0usize;
        while let Some(piece) = rx.recv().await {
            if !options.delay.is_zero() {
                tokio::time::sleep(options.delay).await;
            }
            let queued = match &piece {
                Piece::Line(bytes) | Piece::Raw(bytes) => bytes.len(),
            };
            let bytes = match piece {
                Piece::Line(line) => {
                    let mut bytes = Vec::new();
                    if !options.inject_urcs.is_empty() {
                        let injected = options.inject_urcs[urc % options.inject_urcs.len()];
                        urc += 1;
                        bytes.extend_from_slice(format!("\r\n{injected}\r\n").as_bytes());
                    }
                    bytes.extend_from_slice(b"\r\n");
                    bytes.extend_from_slice(&line);
                    bytes.extend_from_slice(b"\r\n");
                    bytes
                }
                Piece::Raw(bytes) => bytes,
            };
            let written =
                write_cut(&mut write, &bytes, options.chunking, options.baud, &mut rng).await;
            drain.drained(queued);
            if written.is_err() {
                return;
            }
        }
    });
    Output { tx, backlog }
}

async fn write_cut<W: AsyncWrite + Unpin>(
    write: &mut W,
    bytes: &[u8],
    chunking: Chunking,
    baud: Option<u32>,
    rng: &mut u64,
) -> std::io::Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        let take = match chunking {
            Chunking::Whole => rest.len(),
            Chunking::Bytes => 1,
            Chunking::Random(_) => {
                *rng ^= *rng << 13;
                *rng ^= *rng >> 7;
                *rng ^= *rng << 17;
                1 + (*rng % 64) as usize
            }
        }
        .min(rest.len());
        write.write_all(&rest[..take]).await?;
        write.flush().await?;
        if let Some(baud) = baud {
            // Ten bits a byte on a UART (start, eight data, stop).
            tokio::time::sleep(Duration::from_micros(
                take as u64 * 10_000_000 / u64::from(baud.max(1)),
            ))
            .await;
        } else if take < rest.len() {
            tokio::task::yield_now().await;
        }
        rest = &rest[take..];
    }
    Ok(())
}
