//! AT+FTPGET and AT+FTPLIST: a task downloads into a small buffer that the host drains
//! with `AT+FTPGET=2,<n>` (`AT+FTPLIST=2,<n>`); the module announces data with
//! `+FTPGET: 1,1` and reports the end with `+FTPGET: 1,0` once the host has read
//! everything. Data left unread is announced again every [`REMIND`], and after the FTP
//! inactivity timeout the session ends with `+FTPGET: 1,64` (application note 3.11).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use atspec_sim800::ftp::{FtpResult, GetChunk, ListChunk};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use super::session::{self, Kind, Running, Shared, State, Target, lock, status_line};
use crate::modem::Output;

/// Bytes the module holds for the host. The transfer waits while the buffer is full, as
/// TCP flow control makes the server wait, so a server that cuts the transfer is noticed
/// only after the host has read nearly everything sent before the cut.
const BUFFER: usize = 4096;

/// How often unread data is announced again. The application note says only "in a
/// certain time"; one second is the emulator's choice.
pub(super) const REMIND: Duration = Duration::from_secs(1);

/// How often the session looks at its unread data.
const WATCH_TICK: Duration = Duration::from_millis(100);

/// What a download session fetches.
pub(super) enum Source {
    /// The file at this path, from this offset on (AT+FTPREST).
    File { path: String, offset: u64 },
    /// The listing of this directory.
    Listing { dir: String },
}

/// Starts a download (`Kind::Get`) or listing (`Kind::List`) session.
pub(super) fn start(kind: Kind, target: Target, source: Source, out: Output) -> Running {
    let state: State = Arc::new(std::sync::Mutex::new(Shared {
        announce: true,
        ..Shared::default()
    }));
    let task = tokio::spawn(run(kind, target, source, state.clone(), out));
    Running { kind, state, task }
}

async fn run(kind: Kind, target: Target, source: Source, state: State, out: Output) {
    let timeout = target.timeout;
    let transfer = transfer(kind, target, source, state.clone(), out.clone());
    tokio::pin!(transfer);
    let mut tick = tokio::time::interval(WATCH_TICK);
    loop {
        tokio::select! {
            () = &mut transfer => break,
            _ = tick.tick() => watch_unread(&state, &out, kind, timeout),
        }
    }
    // Data the host has not read yet is still watched.
    while !lock(&state).over {
        tick.tick().await;
        watch_unread(&state, &out, kind, timeout);
    }
}

/// Repeats `+FTPGET: 1,1` while data waits unread, and ends the session with 64 when it
/// has waited longer than `timeout`.
fn watch_unread(state: &State, out: &Output, kind: Kind, timeout: Duration) {
    let mut shared = lock(state);
    let Some(since) = shared.unread_since.filter(|_| shared.ready && !shared.over) else {
        return;
    };
    let now = Instant::now();
    if now.duration_since(since) >= timeout {
        shared.end(out, kind, FtpResult::Timeout);
    } else if now.duration_since(shared.reminded.unwrap_or(since)) >= REMIND {
        shared.reminded = Some(now);
        out.line(status_line(kind, FtpResult::DataReady));
    }
}

async fn transfer(kind: Kind, target: Target, source: Source, state: State, out: Output) {
    let mut sink = Sink {
        state: state.clone(),
        out: out.clone(),
        kind,
    };
    let result = async {
        let mut ftp = session::open(&target).await?;
        match source {
            Source::File { path, offset } => {
                ftp.get_to(&path, offset, &mut sink)
                    .await
                    .map_err(|e| session::transfer_error(&e, false))?;
            }
            Source::Listing { dir } => {
                let lines = ftp
                    .list(Some(&dir))
                    .await
                    .map_err(|e| session::operation_error(&e))?;
                // The data connection carries the listing with CR LF line ends.
                let text: Vec<u8> = lines
                    .iter()
                    .flat_map(|l| [l.as_bytes(), b"\r\n"])
                    .flatten()
                    .copied()
                    .collect();
                sink.write_all(&text)
                    .await
                    .map_err(|_| FtpResult::DownloadError)?;
            }
        }
        // The module closes the connection as soon as the transfer is complete.
        let _ = ftp.quit().await;
        Ok(())
    }
    .await;
    let mut shared = lock(&state);
    match result {
        Ok(()) => {
            shared.done = true;
            if shared.data.is_empty() {
                shared.end(&out, kind, FtpResult::Finished);
            }
        }
        Err(code) => shared.end(&out, kind, code),
    }
}

/// The transfer's destination: the session buffer, announcing data to the host.
struct Sink {
    state: State,
    out: Output,
    kind: Kind,
}

impl AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut shared = lock(&self.state);
        if shared.over {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        let room = BUFFER.saturating_sub(shared.data.len());
        if room == 0 {
            shared.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = room.min(buf.len());
        shared.data.extend(&buf[..n]);
        if n > 0 && shared.unread_since.is_none() {
            shared.unread_since = Some(Instant::now());
            shared.reminded = None;
        }
        if n > 0 && shared.announce {
            shared.announce = false;
            shared.ready = true;
            self.out.line(status_line(self.kind, FtpResult::DataReady));
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// `AT+FTPGET=2,<n>` / `AT+FTPLIST=2,<n>`: up to `want` bytes. ERROR before the first
/// `1,1` and after the session ended, as the application note shows.
pub(super) fn read(running: Option<&Running>, kind: Kind, want: u16, out: &Output) {
    let Some(running) = running.filter(|r| r.kind == kind) else {
        out.error();
        return;
    };
    let mut shared = lock(&running.state);
    if shared.over || !shared.ready {
        out.error();
        return;
    }
    let n = usize::from(want).min(shared.data.len());
    let chunk: Vec<u8> = shared.data.drain(..n).collect();
    shared.unread_since = (!shared.data.is_empty()).then(Instant::now);
    shared.reminded = None;
    let mut header = Vec::new();
    match kind {
        Kind::List => ListChunk {
            cnflength: n as u16,
        }
        .encode(&mut header),
        _ => GetChunk {
            cnflength: n as u16,
        }
        .encode(&mut header),
    }
    out.line(header);
    out.raw(chunk);
    out.ok();
    if let Some(waker) = shared.waker.take() {
        waker.wake();
    }
    if shared.data.is_empty() {
        if shared.done {
            shared.end(out, kind, FtpResult::Finished);
        } else if n == 0 {
            // The host found nothing and now waits for the next `+FTPGET: 1,1`.
            shared.announce = true;
        }
    }
}
