//! The FTP task: the server to talk to, per-transfer settings, and the trait
//! modems with a native FTP client implement.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::Driver;
use super::error::{TaskError, TaskErrorKind};
use super::ftp_listing::FtpEntry;
use super::progress::{Progress, ProgressFn};

/// How the FTP control connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtpSecurity {
    /// No TLS.
    Plain,
    /// Explicit TLS: a plain connection upgraded with `AUTH TLS` (FTPES).
    Explicit,
    /// Implicit TLS: TLS from the first byte, on port 990 by default (FTPS).
    Implicit,
}

/// An FTP server and how to log in to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpServer {
    host: String,
    port: Option<u16>,
    user: Option<String>,
    password: Option<String>,
    security: FtpSecurity,
    passive: bool,
}

impl FtpServer {
    /// The server at `host`: default port, anonymous login, no TLS, passive mode.
    pub fn new(host: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            port: None,
            user: None,
            password: None,
            security: FtpSecurity::Plain,
            passive: true,
        }
    }

    /// Connects to `port` instead of the default.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Logs in as `user` with `password`.
    pub fn login(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self.password = Some(password.into());
        self
    }

    /// Secures the connection with TLS as given.
    pub fn security(mut self, security: FtpSecurity) -> Self {
        self.security = security;
        self
    }

    /// Uses active mode (the server connects back for data) instead of passive.
    pub fn active(mut self) -> Self {
        self.passive = false;
        self
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port given, or the default: 990 for implicit TLS, 21 otherwise.
    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            FtpSecurity::Implicit => 990,
            FtpSecurity::Plain | FtpSecurity::Explicit => 21,
        })
    }

    /// The user name; `anonymous` without a login.
    pub fn user(&self) -> &str {
        self.user.as_deref().unwrap_or("anonymous")
    }

    /// The password; empty without a login.
    pub fn password(&self) -> &str {
        self.password.as_deref().unwrap_or("")
    }

    /// The connection's security.
    pub fn security_mode(&self) -> FtpSecurity {
        self.security
    }

    /// Whether data connections are passive.
    pub fn passive(&self) -> bool {
        self.passive
    }
}

/// What a modem's FTP task can do (generated per package from what its spec
/// declares; the capability matrix is made from it too). An operation whose flag
/// is false answers [`TaskErrorKind::Unsupported`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FtpOptions {
    /// The securities the modem connects with.
    pub security: &'static [FtpSecurity],
    /// Whether a get can start at an offset ([`Transfer::from_offset`]).
    pub resume_get: bool,
    /// Whether a put can append to (resume) a file.
    pub append_put: bool,
    /// Whether the modem lists directories ([`Ftp::ftp_list`]).
    pub list: bool,
    /// Whether the modem reads a file's size.
    pub size: bool,
    /// Whether the modem deletes files.
    pub delete: bool,
    /// Whether the modem makes directories ([`Ftp::ftp_mkdir`]).
    pub mkdir: bool,
    /// Whether the modem removes directories ([`Ftp::ftp_rmdir`]).
    pub rmdir: bool,
    /// Whether the modem renames files and directories ([`Ftp::ftp_rename`]).
    pub rename: bool,
    /// Whether the modem reports the directory a login starts in ([`Ftp::ftp_pwd`]).
    pub pwd: bool,
    /// The largest file the modem puts, if it has a limit.
    pub max_put: Option<u64>,
}

/// Settings of one FTP transfer: a per-call timeout, an offset to resume from, a
/// progress callback.
#[derive(Default)]
pub struct Transfer<'a> {
    timeout: Option<Duration>,
    offset: Option<u64>,
    progress: Option<Box<ProgressFn<'a>>>,
}

impl fmt::Debug for Transfer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transfer")
            .field("timeout", &self.timeout)
            .field("offset", &self.offset)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> Transfer<'a> {
    /// A transfer with the spec's waits, from the start, without progress reports.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bounds every wait of the transfer by `timeout`, in place of the spec's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Starts at byte `offset`: a get resumes there; a put appends from there.
    pub fn from_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Reports the transfer's progress to `f`.
    pub fn on_progress(mut self, f: impl FnMut(Progress) + Send + 'a) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// The caller's timeout, if set.
    pub fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }

    /// The offset, if set.
    pub fn offset(&self) -> Option<u64> {
        self.offset
    }

    /// The progress callback, if set.
    pub fn progress(&mut self) -> Option<&mut ProgressFn<'a>> {
        self.progress.as_deref_mut()
    }

    /// Takes the progress callback out of the settings.
    pub fn take_progress(&mut self) -> Option<Box<ProgressFn<'a>>> {
        self.progress.take()
    }
}

/// The task names FTP errors carry.
pub mod tasks {
    /// [`Ftp::ftp_get`](super::Ftp::ftp_get).
    pub const GET: &str = "ftp.get";
    /// [`Ftp::ftp_put`](super::Ftp::ftp_put).
    pub const PUT: &str = "ftp.put";
    /// [`Ftp::ftp_size`](super::Ftp::ftp_size).
    pub const SIZE: &str = "ftp.size";
    /// [`Ftp::ftp_delete`](super::Ftp::ftp_delete).
    pub const DELETE: &str = "ftp.delete";
    /// [`Ftp::ftp_list`](super::Ftp::ftp_list).
    pub const LIST: &str = "ftp.list";
    /// [`Ftp::ftp_mkdir`](super::Ftp::ftp_mkdir).
    pub const MKDIR: &str = "ftp.mkdir";
    /// [`Ftp::ftp_rmdir`](super::Ftp::ftp_rmdir).
    pub const RMDIR: &str = "ftp.rmdir";
    /// [`Ftp::ftp_rename`](super::Ftp::ftp_rename).
    pub const RENAME: &str = "ftp.rename";
    /// [`Ftp::ftp_pwd`](super::Ftp::ftp_pwd).
    pub const PWD: &str = "ftp.pwd";
}

impl FtpSecurity {
    /// How errors and the capability matrix name it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Plain => "plain FTP",
            Self::Explicit => "explicit TLS",
            Self::Implicit => "implicit TLS",
        }
    }
}

impl fmt::Display for FtpSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A modem's native FTP client, as a task. Every call logs in, does its work and
/// logs out again, so that no session outlives a call (a failed call leaves none
/// open for the next).
///
/// Paths are therefore taken from the directory a login starts in: give them
/// absolute (`/pub/a.bin`) to be independent of it. For the same reason there is
/// no "change directory": a working directory would end with the call that set
/// it. [`ftp_pwd`](Self::ftp_pwd) tells the login directory, where a modem has it.
///
/// `ftp_get` and `ftp_put` are there on every modem that implements the trait; the
/// other operations answer [`TaskErrorKind::Unsupported`] where the modem lacks
/// them (see [`FtpOptions`]).
pub trait Ftp: Driver {
    /// What the modem's FTP task can do.
    const FTP: FtpOptions;

    /// Downloads `path` into `sink` (from the transfer's offset when set); returns
    /// the bytes written.
    fn ftp_get<'a, W>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        sink: &'a mut W,
        transfer: Transfer<'a>,
    ) -> impl Future<Output = Result<u64, TaskError>> + Send + 'a
    where
        W: AsyncWrite + Unpin + Send + ?Sized + 'a;

    /// Uploads `len` bytes of `source` to `path` (appending from the transfer's
    /// offset when set); returns the bytes sent. Reads no more than `len` bytes.
    fn ftp_put<'a, R>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        source: &'a mut R,
        len: u64,
        transfer: Transfer<'a>,
    ) -> impl Future<Output = Result<u64, TaskError>> + Send + 'a
    where
        R: AsyncRead + Unpin + Send + ?Sized + 'a;

    /// The size of `path` in bytes.
    fn ftp_size<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> impl Future<Output = Result<u64, TaskError>> + Send + 'a {
        let _ = (server, path);
        async { Err(lacks::<Self>(tasks::SIZE, "reading a file's size")) }
    }

    /// Deletes `path`.
    fn ftp_delete<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> impl Future<Output = Result<(), TaskError>> + Send + 'a {
        let _ = (server, path);
        async { Err(lacks::<Self>(tasks::DELETE, "deleting files")) }
    }

    /// The entries of the directory `dir` (`.`, `..` and summary lines left out),
    /// parsed from the server's listing by [`FtpEntry::parse`]. A listing over
    /// [`FTP_LISTING_LIMIT`](super::FTP_LISTING_LIMIT) bytes is refused with [`TaskErrorKind::TooLarge`].
    fn ftp_list<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> impl Future<Output = Result<Vec<FtpEntry>, TaskError>> + Send + 'a {
        let _ = (server, dir);
        async { Err(lacks::<Self>(tasks::LIST, "listing directories")) }
    }

    /// Makes the directory `dir` (its parent must exist).
    fn ftp_mkdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> impl Future<Output = Result<(), TaskError>> + Send + 'a {
        let _ = (server, dir);
        async { Err(lacks::<Self>(tasks::MKDIR, "making directories")) }
    }

    /// Removes the directory `dir` (servers remove only empty ones).
    fn ftp_rmdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> impl Future<Output = Result<(), TaskError>> + Send + 'a {
        let _ = (server, dir);
        async { Err(lacks::<Self>(tasks::RMDIR, "removing directories")) }
    }

    /// Renames (moves) the file or directory `from` to `to`.
    fn ftp_rename<'a>(
        &'a self,
        server: &'a FtpServer,
        from: &'a str,
        to: &'a str,
    ) -> impl Future<Output = Result<(), TaskError>> + Send + 'a {
        let _ = (server, from, to);
        async { Err(lacks::<Self>(tasks::RENAME, "renaming")) }
    }

    /// The directory a login to `server` starts in, as the server names it.
    fn ftp_pwd<'a>(
        &'a self,
        server: &'a FtpServer,
    ) -> impl Future<Output = Result<String, TaskError>> + Send + 'a {
        let _ = server;
        async { Err(lacks::<Self>(tasks::PWD, "reporting the working directory")) }
    }
}

/// The error of an operation the modem's FTP task does not have.
fn lacks<M: Driver + ?Sized>(task: &'static str, option: &str) -> TaskError {
    TaskError::new(
        M::NAME,
        task,
        None,
        TaskErrorKind::Unsupported {
            option: format!("FTP {option}"),
        },
    )
}
