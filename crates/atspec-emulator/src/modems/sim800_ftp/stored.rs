//! Transfers between the server and the module's own storage, which need no host
//! reads or writes while they run: downloads into the file system (AT+FTPGETTOFS) or
//! RAM (AT+FTPEXTGET=1), uploads from the file system (AT+FTPPUTFRMFS) or RAM
//! (AT+FTPPUT=1 after AT+FTPEXTPUT=1 or AT+FTPFILEPUT=1). Their progress is kept in the
//! session state for the read forms; broken connections are re-established as
//! AT+FTPGETTOFS and AT+FTPPUTFRMFS ask (`<num>` times, `<time>` seconds apart).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use atspec_sim800::ftp::FtpResult;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::fs::ModuleFs;
use super::session::{self, Kind, Running, Shared, State, Target, lock};
use crate::client::link::Throttled;
use crate::modem::Output;

/// Bytes the module collects before it writes them to flash, so the bytes written lag
/// the bytes received (application note 3.21 shows 174125 received, 163900 written).
const FLASH_BLOCK: usize = 4096;

/// Reconnection settings (`<num>`, `<time>`); the manual's defaults are 3 and 5 s.
#[derive(Debug, Clone, Copy)]
pub(super) struct Retry {
    pub attempts: u8,
    pub wait: Duration,
}

impl Retry {
    /// The manual's defaults: 3 reconnections, 5 s apart.
    pub const DEFAULT: Self = Self {
        attempts: 3,
        wait: Duration::from_secs(5),
    };
    /// No reconnection (the RAM transfers have no `<num>`).
    pub const NONE: Self = Self {
        attempts: 0,
        wait: Duration::ZERO,
    };
}

/// Where a download goes.
pub(super) enum Destination {
    /// A file of the module's file system (replaced).
    File { fs: ModuleFs, path: String },
    /// The RAM buffer, which holds at most `limit` bytes.
    Ram {
        buffer: Arc<Mutex<Vec<u8>>>,
        limit: usize,
    },
}

/// What every transfer of this file needs.
pub(super) struct Transfer {
    pub kind: Kind,
    pub target: Target,
    /// The remote file.
    pub path: String,
    pub retry: Retry,
    /// Pacing of the module's link, bytes per second.
    pub rate: Option<u64>,
    pub out: Output,
}

/// Starts a download of `transfer.path` into `destination`.
pub(super) fn download(transfer: Transfer, destination: Destination) -> Running {
    let state: State = Arc::default();
    let kind = transfer.kind;
    let task = tokio::spawn(run_download(transfer, destination, state.clone()));
    Running { kind, state, task }
}

async fn run_download(t: Transfer, destination: Destination, state: State) {
    let mut sink = StoreSink {
        destination,
        pending: Vec::new(),
        state: state.clone(),
        failed: false,
    };
    if sink.reset().is_err() {
        lock(&state).end(&t.out, t.kind, FtpResult::FileSystemError);
        return;
    }
    let mut retries = t.retry.attempts;
    let result = loop {
        let offset = lock(&state).transferred;
        let attempt = async {
            let mut ftp = session::open(&t.target).await?;
            let mut paced = Throttled::optional(&mut sink, t.rate);
            let got = ftp.get_to(&t.path, offset, &mut paced).await;
            got.map_err(|e| session::transfer_error(&e, false))?;
            let _ = ftp.quit().await;
            Ok(())
        }
        .await;
        match attempt {
            Err(_) if sink.failed => break Err(FtpResult::FileSystemError),
            Err(code) if retries > 0 && reconnects_after(code) => {
                retries -= 1;
                tokio::time::sleep(t.retry.wait).await;
            }
            other => break other,
        }
    };
    let mut shared = lock(&state);
    match result {
        Ok(()) => {
            let total = shared.transferred;
            shared.finish(&t.out, t.kind, total);
        }
        Err(code) => shared.end(&t.out, t.kind, code),
    }
}

/// Starts an upload of `data` as `transfer.path` (appending when `append`).
pub(super) fn upload(transfer: Transfer, data: Vec<u8>, append: bool) -> Running {
    let state: State = Arc::default();
    let kind = transfer.kind;
    let task = tokio::spawn(run_upload(transfer, data, append, state.clone()));
    Running { kind, state, task }
}

/// A broken upload starts over (`STOR` replaces what the server kept); an appending one
/// is not retried, as a restart would append the start twice.
async fn run_upload(t: Transfer, data: Vec<u8>, append: bool, state: State) {
    let mut retries = if append { 0 } else { t.retry.attempts };
    let result = loop {
        lock(&state).transferred = 0;
        let attempt = async {
            let mut ftp = session::open(&t.target).await?;
            let source = CountingSource {
                data: &data,
                state: state.clone(),
            };
            let mut paced = Throttled::optional(source, t.rate);
            let sent = if append {
                ftp.append_from(&t.path, &mut paced).await
            } else {
                ftp.put_from(&t.path, &mut paced).await
            };
            sent.map_err(|e| session::transfer_error(&e, true))?;
            let _ = ftp.quit().await;
            Ok(())
        }
        .await;
        match attempt {
            Err(code) if retries > 0 && reconnects_after(code) => {
                retries -= 1;
                tokio::time::sleep(t.retry.wait).await;
            }
            other => break other,
        }
    };
    let mut shared = lock(&state);
    match result {
        Ok(()) => shared.finish(&t.out, t.kind, data.len() as u64),
        Err(code) => shared.end(&t.out, t.kind, code),
    }
}

/// Failures a reconnection can cure: the connection, not the request, failed.
fn reconnects_after(code: FtpResult) -> bool {
    matches!(
        code,
        FtpResult::NetError
            | FtpResult::ConnectError
            | FtpResult::Timeout
            | FtpResult::DownloadError
            | FtpResult::UploadError
    )
}

/// The download's destination, counting bytes received and bytes stored.
struct StoreSink {
    destination: Destination,
    /// File downloads: received bytes not yet written to flash.
    pending: Vec<u8>,
    state: State,
    /// The file system or the RAM buffer refused the data.
    failed: bool,
}

impl StoreSink {
    /// Empties the destination (a download replaces a file of the same name).
    fn reset(&mut self) -> Result<(), ()> {
        match &self.destination {
            Destination::File { fs, path } => fs.write(path, &[]).map_err(|_| ()),
            Destination::Ram { buffer, .. } => {
                lock_buffer(buffer).clear();
                Ok(())
            }
        }
    }

    /// Writes whole flash blocks (or, with `all`, everything pending) to the file.
    fn commit(&mut self, all: bool) -> io::Result<()> {
        let Destination::File { fs, path } = &self.destination else {
            return Ok(());
        };
        while self.pending.len() >= FLASH_BLOCK || (all && !self.pending.is_empty()) {
            let n = self.pending.len().min(FLASH_BLOCK);
            if fs.append(path, &self.pending[..n]).is_err() {
                self.failed = true;
                return Err(io::Error::other("the file system is full"));
            }
            self.pending.drain(..n);
            lock(&self.state).stored += n as u64;
        }
        Ok(())
    }
}

impl AsyncWrite for StoreSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if lock(&this.state).over {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        match &this.destination {
            Destination::File { .. } => this.pending.extend_from_slice(buf),
            Destination::Ram { buffer, limit } => {
                let mut ram = lock_buffer(buffer);
                if ram.len() + buf.len() > *limit {
                    this.failed = true;
                    return Poll::Ready(Err(io::Error::other("the RAM buffer is full")));
                }
                ram.extend_from_slice(buf);
            }
        }
        lock(&this.state).transferred += buf.len() as u64;
        Poll::Ready(this.commit(false).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().commit(true))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// The bytes of an upload, counting what the transfer has taken.
struct CountingSource<'d> {
    data: &'d [u8],
    state: State,
}

impl AsyncRead for CountingSource<'_> {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let mut shared = lock(&this.state);
        if shared.over {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        let at = usize::try_from(shared.transferred).unwrap_or(usize::MAX);
        let rest = this.data.get(at..).unwrap_or_default();
        let n = rest.len().min(buf.remaining());
        buf.put_slice(&rest[..n]);
        shared.transferred += n as u64;
        Poll::Ready(Ok(()))
    }
}

fn lock_buffer(buffer: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    buffer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The progress counters of a running transfer: bytes moved, bytes stored.
pub(super) fn progress(shared: &Shared) -> (u64, u64) {
    (shared.transferred, shared.stored)
}
