//! The modem-to-host direction: a writer task that applies the realism settings.

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

/// Where a behaviour writes; cheap to clone, usable from any task.
#[derive(Clone)]
pub struct Output {
    tx: mpsc::UnboundedSender<Piece>,
}

impl Output {
    /// Writes a line framed as modems do: `\r\n<line>\r\n`.
    pub fn line(&self, line: impl AsRef<[u8]>) {
        let _ = self.tx.send(Piece::Line(line.as_ref().to_vec()));
    }

    /// Writes bytes exactly as given (prompts without line ends, raw payload).
    pub fn raw(&self, bytes: impl AsRef<[u8]>) {
        let _ = self.tx.send(Piece::Raw(bytes.as_ref().to_vec()));
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
            if write_cut(&mut write, &bytes, options.chunking, options.baud, &mut rng)
                .await
                .is_err()
            {
                return;
            }
        }
    });
    Output { tx }
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
