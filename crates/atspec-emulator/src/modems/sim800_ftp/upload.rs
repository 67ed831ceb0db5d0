//! AT+FTPPUT: a task stores the file (`STOR`, or `APPE` with AT+FTPPUTOPT="APPE") from a
//! source the host fills chunk by chunk. The module offers each chunk with
//! `+FTPPUT: 1,1,<maxlength>` once the previous one is on its way, takes it with
//! `AT+FTPPUT=2,<n>` (`+FTPPUT: 2,<cnf>`, the bytes, `OK`), and reports `+FTPPUT: 1,0` when
//! the host has closed the session with `AT+FTPPUT=2,0` and the server has the file.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use atspec_sim800::ftp::{FtpResult, PutAccepted, PutStatusUrc};
use tokio::io::{AsyncRead, ReadBuf};

use super::session::{self, Kind, Running, Shared, State, Target, lock};
use crate::modem::{Output, Session};

/// The largest chunk one `AT+FTPPUT=2,<n>` carries: the application note's value.
pub(super) const MAX_CHUNK: u32 = 1360;

/// Starts an upload session storing as `path`, appending when `append`.
pub(super) fn start(target: Target, path: String, append: bool, out: Output) -> Running {
    let state: State = Arc::new(Mutex::new(Shared::default()));
    let task = tokio::spawn(run(target, path, append, state.clone(), out));
    Running {
        kind: Kind::Put,
        state,
        task,
    }
}

async fn run(target: Target, path: String, append: bool, state: State, out: Output) {
    let mut source = Source {
        state: state.clone(),
        out: out.clone(),
    };
    let result = async {
        let mut ftp = session::open(&target).await?;
        let stored = if append {
            ftp.append_from(&path, &mut source).await
        } else {
            ftp.put_from(&path, &mut source).await
        };
        stored.map_err(|e| session::transfer_error(&e, true))?;
        let _ = ftp.quit().await;
        Ok(())
    }
    .await;
    lock(&state).end(&out, Kind::Put, result.err().unwrap_or(FtpResult::Finished));
}

/// The host's chunks, read by the transfer; it offers the next chunk whenever the last
/// one has been taken.
struct Source {
    state: State,
    out: Output,
}

impl Source {
    fn offer(&self, shared: &mut Shared) {
        if shared.data.is_empty()
            && !shared.ready
            && !shared.writing
            && !shared.done
            && !shared.over
        {
            shared.ready = true;
            let mut line = Vec::new();
            PutStatusUrc {
                result: FtpResult::DataReady,
                maxlength: Some(MAX_CHUNK),
            }
            .encode(&mut line);
            self.out.line(line);
        }
    }
}

impl AsyncRead for Source {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let mut shared = lock(&self.state);
        if shared.over {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        if !shared.data.is_empty() {
            let n = buf.remaining().min(shared.data.len());
            let chunk: Vec<u8> = shared.data.drain(..n).collect();
            buf.put_slice(&chunk);
            self.offer(&mut shared);
            return Poll::Ready(Ok(()));
        }
        if shared.done {
            // Nothing filled: end of file.
            return Poll::Ready(Ok(()));
        }
        // Polled with nothing to send: the data connection is open and waits.
        self.offer(&mut shared);
        shared.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// `AT+FTPPUT=2,<n>`: takes up to [`MAX_CHUNK`] bytes; ERROR unless a
/// `+FTPPUT: 1,1,<maxlength>` is out, as the application note shows.
pub(super) async fn write(running: Option<&Running>, want: u32, session: &mut Session<'_>) {
    let out = session.out.clone();
    let Some(running) = running.filter(|r| r.kind == Kind::Put) else {
        out.error();
        return;
    };
    let state = running.state.clone();
    let take = {
        let mut shared = lock(&state);
        if shared.over || shared.done || !shared.ready {
            out.error();
            return;
        }
        shared.ready = false;
        shared.writing = true;
        want.min(MAX_CHUNK)
    };
    let mut line = Vec::new();
    PutAccepted { cnflength: take }.encode(&mut line);
    session.input.before_prompt().await;
    out.line(line);
    // The host gone mid-chunk leaves nothing to answer.
    let Some(data) = session.input.read_exact(take as usize).await else {
        return;
    };
    let mut shared = lock(&state);
    shared.writing = false;
    shared.data.extend(data);
    out.ok();
    if let Some(waker) = shared.waker.take() {
        waker.wake();
    }
}

/// `AT+FTPPUT=2,0`: no more data; the task ends the file and reports `+FTPPUT: 1,0`.
pub(super) fn close(running: Option<&Running>, out: &Output) {
    let Some(running) = running.filter(|r| r.kind == Kind::Put) else {
        out.error();
        return;
    };
    let mut shared = lock(&running.state);
    if shared.over || shared.done {
        out.error();
        return;
    }
    shared.done = true;
    shared.ready = false;
    out.ok();
    if let Some(waker) = shared.waker.take() {
        waker.wake();
    }
}
