//! What every SIM800 FTP session shares: its kind, the state its task and the command
//! handlers both touch, its result URC, and how the module reaches and logs in to the
//! server (with the manual's error codes).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Waker;
use std::time::{Duration, Instant};

use atspec_sim800::ftp::{
    DeleResultUrc, ExtgetStatusUrc, FtpResult, GetStatusUrc, GettofsResultUrc, ListStatusUrc,
    MkdResultUrc, PutStatusUrc, PutfrmfsResultUrc, RmdResultUrc, SizeResultUrc,
};
use tokio::task::JoinHandle;

use crate::client::ftp::{FtpClient, FtpClientError, FtpConnect, FtpErrorKind, is_login_refused};
use crate::modem::Output;

/// The session commands; each reports through a URC of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Get,
    List,
    Put,
    Size,
    Dele,
    Mkd,
    Rmd,
    /// AT+FTPGETTOFS: a download into the file system.
    GetToFs,
    /// AT+FTPPUTFRMFS: an upload from the file system.
    PutFromFs,
    /// AT+FTPEXTGET=1: a download into RAM.
    ExtGet,
}

/// State shared by a session's task and the command handlers. One lock orders the
/// session's URCs with the answers of the commands that read or write its data.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// The result URC was sent (finished, failed or quit); the session takes no more
    /// reads or writes.
    pub over: bool,
    /// Downloaded bytes waiting for `AT+FTPGET=2`, or written bytes waiting to be sent.
    pub data: VecDeque<u8>,
    /// Download: `+FTPGET: 1,1` was sent, reads are allowed. Upload: a
    /// `+FTPPUT: 1,1,<maxlength>` is out and no write has used it yet.
    pub ready: bool,
    /// Download: send `+FTPGET: 1,1` with the next data (at the start, and after a read
    /// found nothing).
    pub announce: bool,
    /// Download: the transfer completed. Upload: the host closed it (`AT+FTPPUT=2,0`).
    pub done: bool,
    /// Upload: the host is between `+FTPPUT: 2,<n>` and the end of its data.
    pub writing: bool,
    /// The task waiting for room (download) or data (upload).
    pub waker: Option<Waker>,
    /// Download: since when data has waited without the host reading it.
    pub unread_since: Option<Instant>,
    /// Download: when `+FTPGET: 1,1` was last repeated for unread data.
    pub reminded: Option<Instant>,
    /// File-system and RAM transfers: bytes received from (or sent to) the server.
    pub transferred: u64,
    /// AT+FTPGETTOFS: bytes written to the file system.
    pub stored: u64,
}

impl Shared {
    /// Ends the session successfully unless it has ended already: the URC of `kind` for a
    /// finished transfer of `total` bytes.
    pub fn finish(&mut self, out: &Output, kind: Kind, total: u64) {
        if self.over {
            return;
        }
        let total = Some(u32::try_from(total).unwrap_or(u32::MAX));
        let mut line = Vec::new();
        match kind {
            Kind::GetToFs => GettofsResultUrc {
                result: FtpResult::Finished,
                total_length: total,
            }
            .encode(&mut line),
            Kind::PutFromFs => PutfrmfsResultUrc {
                result: FtpResult::Finished,
                total_length: total,
            }
            .encode(&mut line),
            _ => line = status_line(kind, FtpResult::Finished),
        }
        self.over = true;
        self.ready = false;
        out.line(line);
    }

    /// Ends the session with `result` unless it has ended already.
    pub fn end(&mut self, out: &Output, kind: Kind, result: FtpResult) {
        if self.over {
            return;
        }
        self.over = true;
        self.ready = false;
        self.data.clear();
        out.line(status_line(kind, result));
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }
}

/// A session's shared state.
pub(super) type State = Arc<Mutex<Shared>>;

/// Locks `state`; a panicked task leaves nothing half-written that matters here.
pub(super) fn lock(state: &State) -> MutexGuard<'_, Shared> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A session started by a command, until the next one replaces it.
#[derive(Debug)]
pub(super) struct Running {
    pub kind: Kind,
    pub state: State,
    pub task: JoinHandle<()>,
}

impl Running {
    /// Whether the session still runs (its result URC is not out yet).
    pub fn active(&self) -> bool {
        !lock(&self.state).over
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // An abandoned session must not hold its server connection open.
        self.task.abort();
    }
}

/// The URC line that reports `result` for a session of `kind`.
pub(super) fn status_line(kind: Kind, result: FtpResult) -> Vec<u8> {
    let mut line = Vec::new();
    match kind {
        Kind::Get => GetStatusUrc { status: result }.encode(&mut line),
        Kind::List => ListStatusUrc { result }.encode(&mut line),
        Kind::Put => PutStatusUrc {
            result,
            maxlength: None,
        }
        .encode(&mut line),
        Kind::Size => SizeResultUrc { result, size: 0 }.encode(&mut line),
        Kind::Dele => DeleResultUrc { result }.encode(&mut line),
        Kind::Mkd => MkdResultUrc { result }.encode(&mut line),
        Kind::Rmd => RmdResultUrc { result }.encode(&mut line),
        Kind::GetToFs => GettofsResultUrc {
            result,
            total_length: None,
        }
        .encode(&mut line),
        Kind::PutFromFs => PutfrmfsResultUrc {
            result,
            total_length: None,
        }
        .encode(&mut line),
        Kind::ExtGet => ExtgetStatusUrc { result }.encode(&mut line),
    }
    line
}

/// Everything a session needs to reach the server, copied from the settings when the
/// session starts.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub connect: FtpConnect,
    pub user: String,
    pub password: String,
    /// Whether the bearer profile named by AT+FTPCID is open.
    pub bearer_up: bool,
    /// How long the module waits for the server, and for the host to read data, before
    /// it gives up with 64 (see [`inactivity_timeout`]).
    pub timeout: Duration,
}

/// The module's maximum response time for FTP session commands (AT manual, 75 s).
const MAX_RESPONSE: Duration = Duration::from_secs(75);

/// The FTP inactivity timeout for an AT+FTPTIMEOUT value. No section of the manuals
/// documents AT+FTPTIMEOUT (its value only shows in AT+FTPSCONT?), so its unit is a
/// choice: seconds. 0, the power-on value here, stands for the manual's 75 s maximum
/// response time. The timeout bounds the wait for the server (connection and login) and
/// the time downloaded data may wait unread (application note 3.11: `+FTPGET: 1,64`).
pub(super) fn inactivity_timeout(setting: u32) -> Duration {
    if setting == 0 {
        MAX_RESPONSE
    } else {
        Duration::from_secs(u64::from(setting))
    }
}

/// Connects and logs in the way the module does, failing with the manual's codes: no
/// bearer 61 (net error), a name that does not resolve 62, a refused or failed
/// connection 63, no greeting in time 64, a refused password 72, any other refused login
/// step 70 (reply error).
pub(super) async fn open(target: &Target) -> Result<FtpClient, FtpResult> {
    tokio::time::timeout(target.timeout, open_now(target))
        .await
        .unwrap_or(Err(FtpResult::Timeout))
}

async fn open_now(target: &Target) -> Result<FtpClient, FtpResult> {
    if !target.bearer_up {
        return Err(FtpResult::NetError);
    }
    let mut ftp = FtpClient::connect(&target.connect)
        .await
        .map_err(|e| match e.kind() {
            FtpErrorKind::Dns => FtpResult::DnsError,
            FtpErrorKind::Timeout => FtpResult::Timeout,
            _ => FtpResult::ConnectError,
        })?;
    ftp.login(&target.user, &target.password)
        .await
        .map_err(|e| {
            if is_login_refused(&e) {
                // The server cannot tell a wrong user from a wrong password after PASS.
                FtpResult::PasswordError
            } else {
                general_error(&e)
            }
        })?;
    Ok(ftp)
}

/// The code of a failed operation (`SIZE`, `DELE`, `MKD`, `RMD`, `LIST`): refused by the
/// server 77 (operate error).
pub(super) fn operation_error(err: &FtpClientError) -> FtpResult {
    match err.kind() {
        FtpErrorKind::Reply => FtpResult::OperateError,
        _ => general_error(err),
    }
}

/// The code of a failed transfer: cut off (`426`/`451`, or the connection broke) 79 for a
/// download or 78 for an upload; refused before it started (`550`, ...) 77.
pub(super) fn transfer_error(err: &FtpClientError, upload: bool) -> FtpResult {
    let cut = match err.kind() {
        FtpErrorKind::Reply => matches!(err.reply_code(), Some(426 | 451)),
        FtpErrorKind::Io => true,
        _ => false,
    };
    match (cut, upload) {
        (true, false) => FtpResult::DownloadError,
        (true, true) => FtpResult::UploadError,
        (false, _) => operation_error(err),
    }
}

fn general_error(err: &FtpClientError) -> FtpResult {
    match err.kind() {
        FtpErrorKind::Timeout => FtpResult::Timeout,
        FtpErrorKind::Reply | FtpErrorKind::Protocol => FtpResult::ReplyError,
        _ => FtpResult::NetError,
    }
}

/// `name` in the remote directory `dir`, as the module joins AT+FTPGETPATH and
/// AT+FTPGETNAME (or the PUT pair).
pub(super) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}
