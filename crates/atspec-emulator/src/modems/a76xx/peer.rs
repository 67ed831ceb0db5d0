//! Noticing the server closing an idle session: `+CFTPSNOTIFY: PEER CLOSED`.
//!
//! A real module sees the TCP FIN of its control connection whenever it comes. The
//! emulator watches a duplicate of the control socket and peeks at it (never reads, so
//! replies stay for the client): end-of-file means the server has gone. A server that
//! sends a parting reply (`421`) before closing leaves that reply unread, so the module
//! learns of it only at its next command, as from a connection it has not polled.

use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use atspec_a76xx::ftps::PeerClosedUrc;
use tokio::task::JoinHandle;

use super::enc;
use crate::client::ftp::FtpClient;
use crate::modem::Output;

/// How often the control socket is looked at.
const POLL: Duration = Duration::from_millis(50);

/// A logged-in session: the control connection and its watcher.
#[derive(Debug)]
pub(super) struct LoggedIn {
    /// The connection every operation uses.
    pub ftp: FtpClient,
    watch: PeerWatch,
}

impl LoggedIn {
    /// Starts watching `ftp`'s control connection; the notice goes to `out`.
    pub async fn new(ftp: FtpClient, out: Output) -> Self {
        let closed = Arc::new(AtomicBool::new(false));
        // Without a socket handle the session simply goes unwatched.
        let task = ftp
            .control_socket()
            .await
            .ok()
            .map(|socket| tokio::spawn(watch(socket, closed.clone(), out)));
        Self {
            ftp,
            watch: PeerWatch { task, closed },
        }
    }

    /// Stops watching and gives back the connection, if the server has not closed it.
    pub fn end(mut self) -> Option<FtpClient> {
        let closed = self.watch.stop();
        (!closed).then_some(self.ftp)
    }
}

/// The watcher task, stopped when the session ends.
#[derive(Debug)]
struct PeerWatch {
    task: Option<JoinHandle<()>>,
    closed: Arc<AtomicBool>,
}

impl PeerWatch {
    /// Stops the task; whether it saw the server close the connection.
    fn stop(&mut self) -> bool {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        self.closed.load(Ordering::Acquire)
    }
}

impl Drop for PeerWatch {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn watch(socket: socket2::Socket, closed: Arc<AtomicBool>, out: Output) {
    let mut byte = [MaybeUninit::<u8>::uninit()];
    loop {
        tokio::time::sleep(POLL).await;
        match socket.peek(&mut byte) {
            // Data waits for the client (a reply in progress, or a parting one).
            Ok(n) if n > 0 => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            // End-of-file, or the connection reset.
            _ => break,
        }
    }
    closed.store(true, Ordering::Release);
    out.line(enc(|o| PeerClosedUrc {}.encode(o)));
}
