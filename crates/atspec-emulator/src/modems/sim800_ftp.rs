//! SIMCom SIM800 FTP (AT+FTP*), on top of the [`Sim800`] bearer and HTTP behaviour:
//! every FTP command is handled here and performed for real against the server
//! AT+FTPSERV names; everything else goes to [`Sim800`].
//!
//! Supported: the session parameters (AT+FTPCID, SERV, PORT, UN, PW, GETNAME, GETPATH,
//! PUTNAME, PUTPATH, TYPE, MODE, PUTOPT, REST, TIMEOUT, SSL) with their read and test
//! forms and AT+FTPSCONT; the sessions AT+FTPGET (open, read), AT+FTPPUT (open, write,
//! close), AT+FTPLIST (open, read), AT+FTPSIZE, AT+FTPDELE, AT+FTPMKD, AT+FTPRMD; the
//! extended and file-system transfers AT+FTPEXTPUT, AT+FTPFILEPUT, AT+FTPEXTGET,
//! AT+FTPGETTOFS, AT+FTPPUTFRMFS over the module's RAM buffer and [`ModuleFs`]; and
//! AT+FTPQUIT and AT+FTPSTATE. One session runs at a time: opening another while one runs
//! answers `OK` and then the new command's URC with 66 (operation not allowed), as the
//! application note shows for a second `AT+FTPPUT=1`. Downloaded data left unread is
//! announced again each second and ends the session with 64 after the FTP timeout
//! (AT+FTPTIMEOUT, seconds; see `session::inactivity_timeout`).
//!
//! Simplifications, each a documented choice: transfers are always binary and passive
//! (AT+FTPTYPE and AT+FTPMODE are stored and reported only); AT+FTPPUTOPT="STOU" fails the
//! upload with 77 (operate error); the serial input timeouts of AT+FTPEXTPUT=2 are not
//! enforced (the module waits for the announced bytes).

mod download;
mod extended;
mod fs;
mod oneshot;
mod session;
mod settings;
mod stored;
mod upload;

pub use extended::RAM_SIZE;
pub use fs::{DEFAULT_CAPACITY, FTP_FOLDER, FsError, ModuleFs};

use std::collections::BTreeSet;
use std::sync::Arc;

use atspec_sim800::Command;
use atspec_sim800::ftp::{FtpPutOption, FtpResult, FtpSsl, FtpState, StateInfo};
use rustls::ClientConfig;

use self::download::Source;
use self::extended::Ram;
use self::session::{Kind, Running, Target, lock, status_line};
use self::settings::Settings;
use self::stored::{Retry, Transfer};
use super::cellular::NetworkOptions;
use super::sim800::Sim800;
use crate::client::ftp::{FtpConnect, FtpTls};
use crate::modem::{Behaviour, Output, Session};
use crate::tls::unverified_client_config;

/// The SIM800 emulator with its FTP application: [`Sim800`] plus the AT+FTP* commands.
pub struct Sim800Ftp {
    inner: Sim800,
    /// Bearer profiles opened with AT+SAPBR=1 (seen on their way to [`Sim800`]).
    bearers: BTreeSet<u8>,
    settings: Settings,
    running: Option<Running>,
    /// The spec has no setting that asks a SIM800 to check a server (AT+SSLOPT is not
    /// in it), so by default nothing is checked.
    tls_config: Arc<ClientConfig>,
    fs: ModuleFs,
    ram: Ram,
    link_rate: Option<u64>,
}

impl Default for Sim800Ftp {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim800Ftp {
    /// A module just powered on: no bearer, default FTP parameters (control port 21,
    /// bearer profile 1), no session.
    pub fn new() -> Self {
        Self {
            inner: Sim800::new(),
            bearers: BTreeSet::new(),
            settings: Settings::default(),
            running: None,
            tls_config: unverified_client_config(),
            fs: ModuleFs::new(),
            ram: Ram::default(),
            link_rate: None,
        }
    }

    /// This module with `fs` as its file system (keep a clone to fill and inspect it).
    pub fn with_file_system(self, fs: ModuleFs) -> Self {
        Self { fs, ..self }
    }

    /// This module behind a bearer carrying `bytes_per_second` each way, for its HTTP
    /// requests and its RAM and file-system transfers (GPRS is slow: they then last
    /// long enough to watch with the read forms). Unpaced by default.
    pub fn with_link_rate(self, bytes_per_second: u64) -> Self {
        Self {
            inner: self.inner.with_link_rate(bytes_per_second),
            link_rate: Some(bytes_per_second),
            ..self
        }
    }

    /// This module, powered on now, in a network behaving as `options` says (see
    /// [`Sim800::with_network`]).
    pub fn with_network(self, options: NetworkOptions) -> Self {
        Self {
            inner: self.inner.with_network(options),
            ..self
        }
    }

    /// This module as a SIM808, with a GNSS receiver (see [`Sim800::with_gnss`]).
    pub fn with_gnss(self) -> Self {
        Self {
            inner: self.inner.with_gnss(),
            ..self
        }
    }

    /// This module using `config` for FTPS (AT+FTPSSL=1 or 2) instead of its default,
    /// which checks no certificate; a configuration that verifies makes a server it
    /// does not trust fail with 63 (connect error).
    pub fn with_tls_config(self, config: Arc<ClientConfig>) -> Self {
        Self {
            tls_config: config,
            ..self
        }
    }

    fn target(&self) -> Target {
        let s = &self.settings;
        let tls = match s.ssl {
            FtpSsl::Implicit => FtpTls::Implicit,
            FtpSsl::Explicit => FtpTls::Explicit,
            _ => FtpTls::Plain,
        };
        let mut connect = FtpConnect::new(s.server.clone(), s.port);
        connect.tls = tls;
        connect.tls_config = Some(self.tls_config.clone());
        Target {
            connect,
            user: s.user.clone(),
            password: s.password.clone(),
            bearer_up: self.bearers.contains(&s.cid),
            timeout: session::inactivity_timeout(s.timeout),
        }
    }

    fn session_active(&self) -> bool {
        self.running.as_ref().is_some_and(Running::active)
    }

    fn appends(&self) -> bool {
        self.settings.put_option == FtpPutOption::Appe
    }

    /// OK, then the session `start` makes, or the URC of `kind` with 66 while another
    /// session runs.
    fn begin(&mut self, kind: Kind, out: &Output, start: impl FnOnce(&Output) -> Running) {
        out.ok();
        if self.session_active() {
            out.line(status_line(kind, FtpResult::OperationNotAllowed));
            return;
        }
        self.running = Some(start(out));
    }

    /// Starts a session of `kind`, or answers it with 66 while another one runs.
    fn open(&mut self, kind: Kind, out: &Output) {
        if kind == Kind::Put && self.ram.uploads() {
            // AT+FTPEXTPUT=1 or AT+FTPFILEPUT=1: the RAM buffer goes up, no chunks.
            let path = session::join(&self.settings.put_path, &self.settings.put_name);
            let transfer = Transfer {
                kind,
                target: self.target(),
                path,
                retry: Retry::NONE,
                rate: self.link_rate,
                out: out.clone(),
            };
            let (data, append) = (self.ram.contents(), self.appends());
            self.begin(kind, out, move |_| stored::upload(transfer, data, append));
            return;
        }
        out.ok();
        if self.session_active() {
            out.line(status_line(kind, FtpResult::OperationNotAllowed));
            return;
        }
        let s = &self.settings;
        let target = self.target();
        let get_file = session::join(&s.get_path, &s.get_name);
        let running = match kind {
            // The application note's "operation error" for a missing file name prints 64.
            Kind::Get if s.get_name.is_empty() => oneshot::fail(kind, FtpResult::Timeout, out),
            Kind::Get => download::start(
                kind,
                target,
                Source::File {
                    path: get_file,
                    offset: u64::from(s.rest),
                },
                out.clone(),
            ),
            Kind::List => download::start(
                kind,
                target,
                Source::Listing {
                    dir: s.get_path.clone(),
                },
                out.clone(),
            ),
            Kind::Put => match s.put_option {
                FtpPutOption::Stor | FtpPutOption::Appe => upload::start(
                    target,
                    session::join(&s.put_path, &s.put_name),
                    s.put_option == FtpPutOption::Appe,
                    out.clone(),
                ),
                _ => oneshot::fail(kind, FtpResult::OperateError, out),
            },
            Kind::Size | Kind::Dele | Kind::Mkd | Kind::Rmd => {
                let path = match kind {
                    Kind::Size | Kind::Dele => get_file,
                    _ => s.get_path.clone(),
                };
                oneshot::one_shot(kind, target, path, out.clone())
            }
            // Started by their own commands (see `extended`).
            Kind::GetToFs | Kind::PutFromFs | Kind::ExtGet => return,
        };
        self.running = Some(running);
    }

    /// AT+FTPQUIT: ends the running session, which reports 86 (manual quit).
    fn quit(&mut self, out: &Output) {
        out.ok();
        if let Some(running) = self.running.take() {
            lock(&running.state).end(out, running.kind, FtpResult::ManualQuit);
        }
    }
}

impl Behaviour for Sim800Ftp {
    fn max_command_len(&self) -> Option<usize> {
        atspec_sim800::DIALECT.max_command_len
    }

    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        let Ok(command) = Command::parse(line) else {
            Behaviour::command(&mut self.inner, line, session).await;
            return;
        };
        let Some(command) = self.settings.handle(command, &out) else {
            return;
        };
        let Some(command) = self.extended(command, session).await else {
            return;
        };
        match command {
            Command::FtpgetOpenWrite(_) => self.open(Kind::Get, &out),
            Command::FtpgetReadWrite(c) => {
                download::read(self.running.as_ref(), Kind::Get, c.reqlength(), &out)
            }
            Command::FtplistOpenWrite(_) => self.open(Kind::List, &out),
            Command::FtplistReadWrite(c) => {
                download::read(self.running.as_ref(), Kind::List, c.reqlength(), &out)
            }
            Command::FtpputOpenWrite(_) => self.open(Kind::Put, &out),
            Command::FtpputWriteWrite(c) => {
                upload::write(self.running.as_ref(), c.reqlength(), session).await
            }
            Command::FtpputCloseWrite(_) => upload::close(self.running.as_ref(), &out),
            Command::FtpsizeExec(_) => self.open(Kind::Size, &out),
            Command::FtpdeleExec(_) => self.open(Kind::Dele, &out),
            Command::FtpmkdExec(_) => self.open(Kind::Mkd, &out),
            Command::FtprmdExec(_) => self.open(Kind::Rmd, &out),
            Command::FtpquitExec(_) => self.quit(&out),
            Command::FtpstateExec(_) => {
                let state = if self.session_active() {
                    FtpState::SessionActive
                } else {
                    FtpState::Idle
                };
                let mut line = Vec::new();
                StateInfo { state }.encode(&mut line);
                out.line(line);
                out.ok();
            }
            other => {
                // The bearer state matters to FTP sessions; Sim800 keeps it private.
                match &other {
                    Command::SapbrOpenWrite(c) => {
                        self.bearers.insert(c.cid());
                    }
                    Command::SapbrCloseWrite(c) => {
                        self.bearers.remove(&c.cid());
                    }
                    _ => {}
                }
                Behaviour::command(&mut self.inner, line, session).await;
            }
        }
    }
}
