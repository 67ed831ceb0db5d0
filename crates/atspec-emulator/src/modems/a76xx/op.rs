//! The operations that talk to the server, each run by a task that holds the session,
//! and the result codes they end with.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use atspec_a76xx::ftps::{
    CwdResultUrc, DeleResultUrc, FtpsResult, GetDataUrc, GetResultUrc, GetfileResultUrc,
    ListDataUrc, ListResultUrc, LocalDir, LoginResultUrc, LogoutResultUrc, MkdResultUrc,
    PutResultUrc, PutfileResultUrc, PwdResultUrc, RecvEventUrc, RmdResultUrc, SizeResultUrc,
    TransferType, TypeResultUrc,
};
use tokio::io::AsyncWrite;
use tokio::sync::OwnedMutexGuard;

use super::files::ModuleFiles;
use super::peer::LoggedIn;
use super::{Cache, MAX_CHUNK, enc};
use crate::client::ftp::{FtpClient, FtpClientError, FtpConnect, FtpErrorKind, FtpResult};
use crate::modem::{Output, STREAM_BACKLOG};

/// A server operation and what it needs, run by [`perform`].
pub(super) enum Op {
    Login {
        connect: FtpConnect,
        user: String,
        password: String,
    },
    Logout,
    Mkd(String),
    Rmd(String),
    Dele(String),
    Cwd(String),
    Pwd,
    /// The behaviour remembers the type; transfers stay binary.
    Type(TransferType),
    Size,
    List(Option<String>),
    Get {
        path: String,
        rest: u64,
    },
    Cache {
        path: String,
        rest: u64,
        cache: Arc<Mutex<Cache>>,
    },
    Put {
        path: String,
        data: Vec<u8>,
        rest: u64,
    },
    GetFile {
        path: String,
        dir: LocalDir,
        name: String,
        offset: u64,
    },
    PutFile {
        path: String,
        dir: LocalDir,
        /// `rest_size`: resuming, what follows it is appended to what the server holds.
        rest: u64,
        /// The local file from `rest_size` on, read when the command is accepted.
        data: Vec<u8>,
    },
}

impl Op {
    /// The `+CFTPSxxx: <errcode>` line reporting this operation's outcome.
    pub(super) fn result(&self, errcode: FtpsResult) -> Vec<u8> {
        match self {
            Op::Login { .. } => enc(|o| LoginResultUrc { errcode }.encode(o)),
            Op::Logout => enc(|o| LogoutResultUrc { errcode }.encode(o)),
            Op::Mkd(_) => enc(|o| MkdResultUrc { errcode }.encode(o)),
            Op::Rmd(_) => enc(|o| RmdResultUrc { errcode }.encode(o)),
            Op::Dele(_) => enc(|o| DeleResultUrc { errcode }.encode(o)),
            Op::Cwd(_) => enc(|o| CwdResultUrc { errcode }.encode(o)),
            // One line shape for the directory and the error code (see the spec's
            // pwd_result); the generated encoder quotes the code.
            Op::Pwd => enc(|o| {
                PwdResultUrc {
                    dir: errcode.code().to_string(),
                }
                .encode(o)
            }),
            Op::Type(_) => enc(|o| TypeResultUrc { errcode }.encode(o)),
            Op::Size => enc(|o| {
                SizeResultUrc {
                    filesize: u32::from(errcode.code()),
                }
                .encode(o)
            }),
            Op::List(_) => enc(|o| ListResultUrc { errcode }.encode(o)),
            Op::Get { .. } | Op::Cache { .. } => enc(|o| GetResultUrc { errcode }.encode(o)),
            Op::Put { .. } => enc(|o| PutResultUrc { errcode }.encode(o)),
            Op::GetFile { .. } => enc(|o| GetfileResultUrc { errcode }.encode(o)),
            Op::PutFile { .. } => enc(|o| PutfileResultUrc { errcode }.encode(o)),
        }
    }
}

/// Runs `op` with the session it holds and reports the result line; the session is let
/// go first, so the host's next command never finds the module busy.
pub(super) async fn perform(
    op: Op,
    mut slot: OwnedMutexGuard<Option<LoggedIn>>,
    out: Output,
    files: ModuleFiles,
) {
    let line = match execute(&op, &mut slot, &out, &files).await {
        Ok(Done::Success) => Some(op.result(FtpsResult::Success)),
        Ok(Done::Line(line)) => Some(line),
        Ok(Done::Silent) => None,
        Err(code) => Some(op.result(code)),
    };
    drop(slot);
    if let Some(line) = line {
        out.line(line);
    }
}

/// How a successful operation is reported.
enum Done {
    /// `+CFTPSxxx: 0`.
    Success,
    /// A line of its own (`+CFTPSPWD: "<dir>"`).
    Line(Vec<u8>),
    /// Nothing yet (a cached download: AT+CFTPSCACHERD ends it).
    Silent,
}

/// Performs `op` with the session in `slot`; the error is the table's code.
async fn execute(
    op: &Op,
    slot: &mut Option<LoggedIn>,
    out: &Output,
    files: &ModuleFiles,
) -> Result<Done, FtpsResult> {
    let command = |e: FtpClientError| errcode(&e, false);
    let transfer = |e: FtpClientError| errcode(&e, true);
    match op {
        Op::Login {
            connect,
            user,
            password,
        } => {
            let mut ftp = FtpClient::connect(connect).await.map_err(command)?;
            ftp.login(user, password).await.map_err(command)?;
            *slot = Some(LoggedIn::new(ftp, out.clone()).await);
            return Ok(Done::Success);
        }
        Op::Logout => {
            // After PEER CLOSED there is nobody to say QUIT to; the logout the
            // notice asks for just ends the session.
            if let Some(ftp) = slot.take().and_then(LoggedIn::end) {
                ftp.quit().await.map_err(command)?;
            }
            return Ok(Done::Success);
        }
        _ => {}
    }
    let ftp = &mut slot.as_mut().ok_or(FtpsResult::StateError)?.ftp;
    match op {
        // Run elsewhere: login and logout above, SIZE before the answer, TYPE locally.
        Op::Login { .. } | Op::Logout | Op::Type(_) | Op::Size => {}
        Op::Mkd(dir) => ftp.mkdir(dir).await.map_err(command)?,
        Op::Rmd(dir) => ftp.rmdir(dir).await.map_err(command)?,
        Op::Dele(path) => ftp.delete(path).await.map_err(command)?,
        Op::Cwd(dir) => ftp.cwd(dir).await.map_err(command)?,
        Op::Pwd => {
            let dir = ftp.pwd().await.map_err(command)?;
            return Ok(Done::Line(enc(|o| PwdResultUrc { dir }.encode(o))));
        }
        Op::List(dir) => {
            let lines = ftp.list(dir.as_deref()).await.map_err(transfer)?;
            let listing: Vec<u8> = lines
                .iter()
                .flat_map(|l| [l.as_bytes(), b"\r\n"])
                .flatten()
                .copied()
                .collect();
            for piece in listing.chunks(MAX_CHUNK) {
                send_chunk(out, Stream::List, piece);
            }
        }
        Op::Get { path, rest } => {
            let mut sink = Chunks(out.clone());
            ftp.get_to(path, *rest, &mut sink).await.map_err(transfer)?;
        }
        Op::Cache { path, rest, cache } => {
            let data = ftp.get_bytes(path, *rest).await.map_err(transfer)?;
            *cache.lock().unwrap_or_else(|e| e.into_inner()) = Cache {
                data,
                read: 0,
                pending: true,
            };
            // `+CFTPSGET: 0` follows once AT+CFTPSCACHERD has read it all.
            out.line(enc(|o| RecvEventUrc {}.encode(o)));
            return Ok(Done::Silent);
        }
        Op::Put { path, data, rest } => {
            upload(ftp, path, data, *rest > 0).await.map_err(transfer)?;
        }
        Op::GetFile {
            path,
            dir,
            name,
            offset,
        } => {
            let mut data = Vec::new();
            let got = ftp.get_to(path, *offset, &mut data).await;
            // What arrived stays, even from a cut transfer, so `offset` can resume it.
            let mut file = files.get(*dir, name).unwrap_or_default();
            file.truncate(usize::try_from(*offset).unwrap_or(usize::MAX));
            file.extend_from_slice(&data);
            files.put(*dir, name, file);
            got.map_err(transfer)?;
        }
        Op::PutFile {
            path, rest, data, ..
        } => {
            upload(ftp, path, data, *rest > 0).await.map_err(transfer)?;
        }
    }
    Ok(Done::Success)
}

/// Stores `data` as `path`, or appends it (`APPE`) when resuming.
async fn upload(ftp: &mut FtpClient, path: &str, data: &[u8], append: bool) -> FtpResult<u64> {
    let mut source = data;
    if append {
        ftp.append_from(path, &mut source).await
    } else {
        ftp.put_from(path, &mut source).await
    }
}

/// The table code for a failed FTP operation; `transfer` for data-connection work.
pub(super) fn errcode(err: &FtpClientError, transfer: bool) -> FtpsResult {
    match err.kind() {
        FtpErrorKind::Tls => FtpsResult::SslAlert,
        FtpErrorKind::Timeout => FtpsResult::Timeout,
        FtpErrorKind::Dns => FtpsResult::DnsFailed,
        FtpErrorKind::Connect => FtpsResult::SocketConnectFailed,
        FtpErrorKind::Reply => match err.reply_code() {
            Some(421) => FtpsResult::ServerTimeout,
            // A transfer the server cut or could not open.
            Some(425 | 426 | 451) => FtpsResult::TransferFailed,
            // No such file or directory, or a name the server will not take.
            Some(450 | 550 | 553) => FtpsResult::FileError,
            _ => FtpsResult::RejectedByServer,
        },
        FtpErrorKind::Io if transfer => FtpsResult::TransferFailed,
        FtpErrorKind::Io => FtpsResult::ClosedByServer,
        _ => FtpsResult::UnknownError,
    }
}

/// Which `DATA,<len>` lines a piece goes out as.
#[derive(Clone, Copy)]
enum Stream {
    Get,
    List,
}

/// One `DATA,<len>` line and its bytes.
fn send_chunk(out: &Output, stream: Stream, piece: &[u8]) {
    let len = piece.len() as u32;
    out.line(match stream {
        Stream::Get => enc(|o| GetDataUrc { len }.encode(o)),
        Stream::List => enc(|o| ListDataUrc { len }.encode(o)),
    });
    out.raw(piece);
}

/// A download's sink: every write goes out at once as `+CFTPSGET: DATA,<len>` pieces, as
/// the module forwards data as it arrives.
struct Chunks(Output);

impl AsyncWrite for Chunks {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        // Wait for the host to take what is queued, so a large file streams
        // through the emulator in bounded memory instead of queueing whole.
        std::task::ready!(self.0.poll_backlog_below(cx, STREAM_BACKLOG));
        for piece in buf.chunks(MAX_CHUNK) {
            send_chunk(&self.0, Stream::Get, piece);
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
