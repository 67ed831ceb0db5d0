//! SIMCom A76XX / SIM7600: the built-in FTP(S) client (AT+CFTPS*), performing every
//! operation for real with [`FtpClient`](crate::client::ftp::FtpClient) against whatever server AT+CFTPSLOGIN names.
//!
//! Answers follow the manual's shapes (`specs/simcom-a76xx/ftps.yaml`):
//!
//! - a command the module accepts answers `OK`, and the server's answer arrives later as
//!   `+CFTPSxxx: <errcode>` (table `ftps_result`), sent by a task so the host may send
//!   AT+CFTPSABORT meanwhile;
//! - a command refused at once answers `+CFTPSxxx: <errcode>` then `ERROR` (`11` before
//!   login, `3` while another operation runs), except AT+CFTPSPUT, which answers `ERROR`
//!   then the line, in the A76XX order;
//! - every command but AT+CFTPSSTART answers a bare `ERROR` before the service is started,
//!   and AT+CFTPSSTOP does while logged in;
//! - AT+CFTPSSIZE asks the server before it answers, so a failure is
//!   `+CFTPSSIZE: <errcode>` then `ERROR`;
//! - downloads to the serial port come as `+CFTPSGET: DATA,<len>` lines of at most 1024
//!   bytes each followed by the bytes, listings as `+CFTPSLIST: DATA,<len>` likewise.
//!
//! A server that closes an idle session is reported with `+CFTPSNOTIFY: PEER CLOSED`;
//! the AT+CFTPSLOGOUT the notice asks for then succeeds without a `QUIT`.
//!
//! The SIM7600's cached download (AT+CFTPSGET with `using_cache` 1: `+CFTPS: RECV EVENT`,
//! then AT+CFTPSCACHERD until `+CFTPSGET: 0`) and AT+CFTPSABORT (which cancels a running
//! operation without reporting it, logs out and stops the service) are there too. The
//! module's file system is [`ModuleFiles`], in memory; FTPS servers are verified with the
//! configuration given to [`A76xx::with_tls`].
//!
//! SIM, registration, attach, signal and functionality (AT+CPIN, AT+CREG, AT+CGREG,
//! AT+CEREG, AT+CGATT, AT+CSQ, AT+CFUN) are the shared [`Cellular`] state, set up with
//! [`A76xx::with_network`]; AT+CMEE starts at 1, the SIM7600's factory default.
//!
//! AT+CFTPSSINGLEIP applies from the next login: with 1, data connections go to the
//! control connection's address whatever the server's `PASV` reply names.
//!
//! Limits of the emulation: data connections are always passive (AT+CFTPSMODE is
//! remembered only), transfers are always binary (AT+CFTPSTYPE is
//! remembered for its read form), server types 1 and 2 both switch with `AUTH TLS`, a
//! resumed upload (`rest_size`) appends (`APPE`), which equals `REST` + `STOR` when
//! `rest_size` is what the server already holds, and a failed AT+CFTPSPWD's code goes out
//! quoted (`+CFTPSPWD: "17"`), as the generated encoder writes every directory.

mod files;
mod forms;
mod op;
mod peer;

use std::sync::{Arc, Mutex};

use atspec_a76xx::Command;
use atspec_a76xx::ftps::{
    AbortResultUrc, FtpMode, FtpsResult, LocalDir, ServerType, SingleIp, SizeResultUrc,
    StartResultUrc, StopResultUrc, TransferType,
};
use atspec_common::Command as Basic;
use atspec_common::v250::CmeeMode;
use rustls::ClientConfig;
use tokio::sync::OwnedMutexGuard;
use tokio::task::JoinHandle;

use super::cellular::{Cellular, Identity, NetworkOptions, cmee_setting};
use crate::client::ftp::{FtpConnect, FtpTls};
use crate::modem::{Behaviour, Output, Session};
use files::base_name;
use op::{Op, errcode, perform};
use peer::LoggedIn;

/// What the emulated module says it is (`ATI`, `AT+CGMI`, `AT+CGMM`, `AT+CGMR`, `AT+CGSN`).
pub const IDENTITY: Identity = Identity {
    manufacturer: "SIMCOM INCORPORATED",
    model: "A7600E-HNVW",
    revision: "A011B07A7600M7",
    serial_number: "862000000000007",
};

pub use files::ModuleFiles;

/// Largest `+CFTPSGET: DATA,<len>` piece (A76XX manual V1.09), also used for listings
/// and AT+CFTPSCACHERD.
pub const MAX_CHUNK: usize = 1024;

/// The logged-in session; `None` while logged out. Whoever holds the lock
/// is the operation in progress, so a failed `try_lock` means "busy".
type Slot = Arc<tokio::sync::Mutex<Option<LoggedIn>>>;

/// What an AT+CFTPSGET with `using_cache` 1 left for AT+CFTPSCACHERD (SIM7600).
#[derive(Debug, Default)]
struct Cache {
    data: Vec<u8>,
    read: usize,
    /// Whether a cached download waits to be read to its end.
    pending: bool,
}

/// The A76XX/SIM7600 FTP(S) emulator's state.
#[derive(Debug)]
pub struct A76xx {
    started: bool,
    tls: Option<Arc<ClientConfig>>,
    slot: Slot,
    task: Option<JoinHandle<()>>,
    files: ModuleFiles,
    cache: Arc<Mutex<Cache>>,
    transfer_type: TransferType,
    single_ip: SingleIp,
    mode: FtpMode,
    network: Cellular,
    cmee: CmeeMode,
}

impl Default for A76xx {
    fn default() -> Self {
        Self::new()
    }
}

impl A76xx {
    /// A module just powered on: service stopped, logged out, empty file system, and no
    /// certificate to verify FTPS servers with (FTPS logins fail with `1`, SSL alert).
    pub fn new() -> Self {
        Self {
            started: false,
            tls: None,
            slot: Slot::default(),
            task: None,
            files: ModuleFiles::default(),
            cache: Arc::default(),
            // The manual's read example shows I, and the client logs in with TYPE I.
            transfer_type: TransferType::Binary,
            single_ip: SingleIp::ServerReply,
            mode: FtpMode::Passive,
            network: Cellular::default(),
            cmee: CmeeMode::Numeric,
        }
    }

    /// This module, powered on now, in a network behaving as `options` says (SIM ready
    /// and registered by default).
    pub fn with_network(self, options: NetworkOptions) -> Self {
        Self {
            network: Cellular::new(options),
            ..self
        }
    }

    /// This module verifying FTPS servers with `config` (for the loopback server,
    /// [`TestCertificate::client_config`](crate::tls::TestCertificate::client_config)), as
    /// a real one does with the CA file of its SSL context.
    pub fn with_tls(self, config: Arc<ClientConfig>) -> Self {
        Self {
            tls: Some(config),
            ..self
        }
    }

    /// A handle on the module's file system, shared with the running behaviour.
    pub fn files(&self) -> ModuleFiles {
        self.files.clone()
    }

    /// Runs `op` in a task that owns the session while it runs.
    fn spawn(&mut self, op: Op, slot: OwnedMutexGuard<Option<LoggedIn>>, out: Output) {
        let files = self.files.clone();
        self.task = Some(tokio::spawn(perform(op, slot, out, files)));
    }

    /// The session for a command that needs a login, or the refusal already answered.
    fn logged_in(&self, out: &Output, op: &Op) -> Option<OwnedMutexGuard<Option<LoggedIn>>> {
        let refusal = match self.slot.clone().try_lock_owned() {
            Ok(slot) if slot.is_some() => return Some(slot),
            Ok(_) => FtpsResult::StateError,
            Err(_) => FtpsResult::Busy,
        };
        out.line(op.result(refusal));
        out.error();
        None
    }

    /// Ends whatever runs, logs out and stops the service (AT+CFTPSABORT).
    async fn abort(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // Cancelled or done, it has let go of the session either way.
            let _ = task.await;
        }
        // Dropping the client closes its connections; no QUIT after an abort.
        self.slot.lock().await.take();
        self.started = false;
    }
}

impl Behaviour for A76xx {
    fn max_command_len(&self) -> Option<usize> {
        atspec_a76xx::DIALECT.max_command_len
    }

    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        if let Ok(basic) = Basic::parse(line) {
            if cmee_setting(&mut self.cmee, &basic, &out)
                || self.network.answer(&basic, self.cmee, &out)
                || IDENTITY.answer(&basic, &out)
            {
                return;
            }
            if let Basic::EWrite(e) = basic {
                *session.echo = e.value().code() == 1;
            }
            out.ok();
            return;
        }
        let command = match Command::parse(line) {
            Ok(command) => command,
            Err(error) => return session.unparsed(line, error, atspec_a76xx::COMMANDS),
        };
        if self.setting(&command, &out) {
            return;
        }
        if !self.started && !matches!(command, Command::CftpsstartExec(_)) {
            // "Must be run before every other FTP(S) command."
            out.error();
            return;
        }
        self.session_command(command, session).await;
    }
}

impl A76xx {
    /// Commands of a started service.
    async fn session_command(&mut self, command: Command, session: &mut Session<'_>) {
        let out = session.out.clone();
        match command {
            Command::CftpsstartExec(_) => {
                if self.started {
                    out.error();
                } else {
                    self.started = true;
                    out.ok();
                    let errcode = FtpsResult::Success;
                    out.line(enc(|o| StartResultUrc { errcode }.encode(o)));
                }
            }
            Command::CftpsstopExec(_) => match self.slot.try_lock() {
                // "Stopping while logged in answers ERROR" (A105).
                Ok(slot) if slot.is_none() => {
                    drop(slot);
                    self.started = false;
                    out.ok();
                    let errcode = FtpsResult::Success;
                    out.line(enc(|o| StopResultUrc { errcode }.encode(o)));
                }
                _ => out.error(),
            },
            Command::CftpsabortExec(_) => {
                self.abort().await;
                out.ok();
                let errcode = FtpsResult::Success;
                out.line(enc(|o| AbortResultUrc { errcode }.encode(o)));
            }
            Command::CftpsloginWrite(c) => {
                let op = Op::Login {
                    connect: self.connect_options(c.host(), c.port(), c.server_type()),
                    user: c.username().to_owned(),
                    password: c.password().to_owned(),
                };
                match self.slot.clone().try_lock_owned() {
                    Ok(slot) if slot.is_none() => {
                        out.ok();
                        self.spawn(op, slot, out);
                    }
                    Ok(_) => refuse(&out, &op, FtpsResult::StateError),
                    Err(_) => refuse(&out, &op, FtpsResult::Busy),
                }
            }
            Command::CftpssizeWrite(c) => self.size(c.filepath(), &out).await,
            Command::CftpsputWrite(c) => {
                let op = |data| Op::Put {
                    path: c.filepath().to_owned(),
                    data,
                    rest: c.rest_size().map_or(0, u64::from),
                };
                let Some(slot) = self.put_session(&out, &op(Vec::new())) else {
                    return;
                };
                session.input.before_prompt().await;
                out.raw(b"\r\n> ");
                let data = match c.data_len() {
                    Some(len) => session.input.read_exact(usize::from(len)).await,
                    // Ctrl+Z ends the data; ETX escapes a literal Ctrl+Z or ETX.
                    None => session.input.read_escaped(0x1a, 0x03).await,
                };
                // The host gone mid-upload leaves nothing to answer.
                if let Some(data) = data {
                    out.ok();
                    self.spawn(op(data), slot, out);
                }
            }
            Command::CftpsgetCachedWrite(c) => {
                let op = Op::Cache {
                    path: c.filepath().to_owned(),
                    rest: u64::from(c.rest_size()),
                    cache: self.cache.clone(),
                };
                self.run(op, &out);
            }
            other => match Self::op(other) {
                Some(op) => self.run(op, &out),
                None => out.error(),
            },
        }
    }

    /// Starts `op` if logged in, idle and its local file is in order: `OK`, then its
    /// result from the task.
    fn run(&mut self, mut op: Op, out: &Output) {
        let Some(slot) = self.logged_in(out, &op) else {
            return;
        };
        if let Err(code) = self.prepare(&mut op) {
            refuse(out, &op, code);
            return;
        }
        out.ok();
        self.spawn(op, slot, out.clone());
    }

    /// What an accepted `op` does before the server is asked: the local side of
    /// GETFILE and PUTFILE, the remembered transfer type.
    fn prepare(&mut self, op: &mut Op) -> Result<(), FtpsResult> {
        match op {
            Op::Type(kind) => self.transfer_type = kind.clone(),
            Op::GetFile {
                dir, name, offset, ..
            } => {
                // A resumed download continues a local file that must hold the offset
                // (A109: "the local file must exist").
                let held = self.files.get(*dir, name).map_or(0, |f| f.len() as u64);
                if *offset > held {
                    return Err(FtpsResult::FileNotFound);
                }
            }
            Op::PutFile {
                path,
                dir,
                rest,
                data,
            } => {
                let file = self
                    .files
                    .get(*dir, base_name(path))
                    .ok_or(FtpsResult::FileNotFound)?;
                let from = usize::try_from(*rest)
                    .ok()
                    .filter(|r| *r <= file.len())
                    .ok_or(FtpsResult::InvalidParameter)?;
                *data = file[from..].to_vec();
            }
            _ => {}
        }
        Ok(())
    }

    /// The operation of a server command; `None` for a command this emulator does not
    /// perform (answered with a bare `ERROR`).
    fn op(command: Command) -> Option<Op> {
        Some(match command {
            Command::CftpslogoutExec(_) => Op::Logout,
            Command::CftpsmkdWrite(c) => Op::Mkd(c.dir().to_owned()),
            Command::CftpsrmdWrite(c) => Op::Rmd(c.dir().to_owned()),
            Command::CftpsdeleWrite(c) => Op::Dele(c.filename().to_owned()),
            Command::CftpscwdWrite(c) => Op::Cwd(c.dir().to_owned()),
            Command::CftpspwdExec(_) => Op::Pwd,
            Command::CftpstypeWrite(c) => Op::Type(c.type_().clone()),
            Command::CftpslistWrite(c) => Op::List(Some(c.dir().to_owned())),
            Command::CftpslistExec(_) => Op::List(None),
            Command::CftpsgetStreamWrite(c) => Op::Get {
                path: c.filepath().to_owned(),
                rest: c.rest_size().map_or(0, u64::from),
            },
            Command::CftpsgetfileWrite(c) => Op::GetFile {
                path: c.filepath().to_owned(),
                dir: c.dir().unwrap_or(LocalDir::Local),
                name: base_name(c.filepath()).to_owned(),
                offset: c.offset().map_or(0, u64::from),
            },
            Command::CftpsputfileWrite(c) => Op::PutFile {
                path: c.filepath().to_owned(),
                dir: c.dir().unwrap_or(LocalDir::Local),
                rest: c.rest_size().map_or(0, u64::from),
                data: Vec::new(),
            },
            _ => return None,
        })
    }

    /// AT+CFTPSSIZE: the server is asked before the module answers.
    async fn size(&mut self, path: &str, out: &Output) {
        let Some(mut slot) = self.logged_in(out, &Op::Size) else {
            return;
        };
        let Some(LoggedIn { ftp, .. }) = slot.as_mut() else {
            return;
        };
        match ftp.size(path).await {
            Ok(size) => {
                out.ok();
                let filesize = u32::try_from(size).unwrap_or(u32::MAX);
                out.line(enc(|o| SizeResultUrc { filesize }.encode(o)));
            }
            Err(e) => {
                out.line(Op::Size.result(errcode(&e, false)));
                out.error();
            }
        }
    }

    /// The session for AT+CFTPSPUT, or its refusal in the A76XX order (`ERROR` first).
    fn put_session(&self, out: &Output, op: &Op) -> Option<OwnedMutexGuard<Option<LoggedIn>>> {
        let refusal = match self.slot.clone().try_lock_owned() {
            Ok(slot) if slot.is_some() => return Some(slot),
            Ok(_) => FtpsResult::StateError,
            Err(_) => FtpsResult::Busy,
        };
        out.error();
        out.line(op.result(refusal));
        None
    }

    fn connect_options(&self, host: &str, port: u16, kind: Option<ServerType>) -> FtpConnect {
        // Left out, the server type is 3: implicit FTPS.
        let tls = match kind.unwrap_or(ServerType::Implicit) {
            ServerType::Ftp => FtpTls::Plain,
            ServerType::ExplicitSsl | ServerType::ExplicitTls => FtpTls::Explicit,
            _ => FtpTls::Implicit,
        };
        FtpConnect {
            tls,
            tls_config: self.tls.clone(),
            // AT+CFTPSSINGLEIP=1: data goes to the control connection's address.
            data_to_control_address: self.single_ip == SingleIp::ControlAddress,
            ..FtpConnect::new(host, port)
        }
    }
}

/// `+CFTPSxxx: <errcode>` then `ERROR`: a command refused at once.
fn refuse(out: &Output, op: &Op, code: FtpsResult) {
    out.line(op.result(code));
    out.error();
}
fn enc(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}
