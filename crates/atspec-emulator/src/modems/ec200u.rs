//! Quectel EC200U / EG915U: PDP contexts (AT+QICSGP, AT+QIACT, AT+QIDEACT), SSL contexts
//! (AT+QSSLCFG) and the FTP(S) client (AT+QFTP*), performing every operation for real
//! through [`FtpClient`] against whatever server AT+QFTPOPEN names.
//!
//! Session commands answer `OK` at once and report their outcome in a `+QFTPxxx:` line;
//! transfers through the serial port (local name `"COM:"`) use data mode: `CONNECT`, the
//! raw bytes, and for downloads `OK` followed at once by the result line, for uploads the
//! host's bytes ended by `+++` between guard times or by the announced length.
//!
//! Choices where the application note is silent, so a host sees consistent answers:
//! - Refusals before any server exchange are `+CME ERROR: <err>` (plain `ERROR` with
//!   AT+CMEE=0): 625 when not logged in, 623 for a second AT+QFTPOPEN, 612 when an
//!   upload's start position is not the remote file's size.
//! - Server replies map to `<err>` through the parallel rows of the two code tables
//!   (421 -> 614, 425 -> 615, ... 530 -> 625, 550 -> 627, 552 -> 629), with the reply
//!   itself as `<protocol_error>`; a refused login is `+QFTPOPEN: 625,530`.
//! - An inactive PDP context or a name that does not resolve is `+QFTPOPEN: 604,0`
//!   (section 4.3); a refused TCP connection 605, a timeout 609, a TLS failure 631.
//! - Transfers are always binary and passive (the only modes [`FtpClient`] has); the
//!   `filetype`, `transmode` and AT+QSSLCFG settings are kept and reported. FTPS with
//!   `transmode` 0 is refused with `+QFTPOPEN: 610,0`, as section 2.1 requires passive.
//! - The module's files (UFS and an SD card, AT+QFUPL, AT+QFLST, AT+QFDEL, AT+QFOPEN,
//!   AT+QFREAD, AT+QFCLOSE) live in memory (the `files` module); transfers to and from them follow
//!   the `local` module. AT+QFTPMLSD passes on the server's `MLSD` facts, AT+QFTPMDTM its `MDTM`
//!   time. Not emulated: ATO (re-entering data mode), DTR, AT+QFTPCFG="data_address"
//!   (kept and reported only).
//!
//! SIM, registration, attach, signal and functionality (AT+CPIN, AT+CREG, AT+CGREG,
//! AT+CEREG, AT+CGATT, AT+CSQ, AT+CFUN) are the shared [`Cellular`] state, set up with
//! [`Ec200u::with_network`].

mod config;
mod context;
mod file_commands;
mod files;
mod forms;
mod listing;
mod local;
mod port;
mod reply;
mod session;
mod ssl;
mod transfer;
mod upload;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use atspec_common::Command as Basic;
use atspec_common::v250::CmeeMode;
use atspec_ec200u::Command;
use atspec_ec200u::ftp::{FtpError, FtpState, LenResultUrc, OpenResultUrc, StatResultUrc};
use rustls::ClientConfig;

use super::cellular::{Cellular, Identity, NetworkOptions, cmee_setting};
use crate::client::ftp::FtpClient;
use crate::modem::{Behaviour, Session};
use config::FtpConfig;
use context::Pdp;
use files::ModuleFiles;
use reply::{Fail, cme, encode};
use ssl::SslContext;

/// What the emulated module says it is (`ATI`, `AT+CGMI`, `AT+CGMM`, `AT+CGMR`, `AT+CGSN`).
pub const IDENTITY: Identity = Identity {
    manufacturer: "Quectel",
    model: "EC200U",
    revision: "EC200UCNAAR02A06M08",
    serial_number: "863000000000006",
};

/// The EC200U emulator's state.
pub struct Ec200u {
    cmee: CmeeMode,
    contexts: BTreeMap<u8, Pdp>,
    ssl: BTreeMap<u8, SslContext>,
    cfg: FtpConfig,
    ftp: Option<FtpClient>,
    /// Bytes moved by the last transfer, for AT+QFTPLEN.
    last_len: u32,
    trust: Option<Arc<ClientConfig>>,
    guard: Option<Duration>,
    /// UFS and the SD card (AT+QFUPL, AT+QFLST, ...; local names of the transfers).
    files: ModuleFiles,
    network: Cellular,
}

impl Default for Ec200u {
    fn default() -> Self {
        Self::new()
    }
}

impl Ec200u {
    /// A module just powered on: no active context, not logged in, `AT+CMEE=1`; FTPS
    /// fails (631) until [`Ec200u::trusting`] gives it a trust store.
    pub fn new() -> Self {
        Self {
            cmee: CmeeMode::Numeric,
            contexts: BTreeMap::new(),
            ssl: BTreeMap::new(),
            cfg: FtpConfig::default(),
            ftp: None,
            last_len: 0,
            trust: None,
            guard: None,
            files: ModuleFiles::default(),
            network: Cellular::default(),
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

    /// This module trusting the certificates `config` trusts, for FTPS (the CA
    /// certificate a real module would be given with AT+QFUPL and AT+QSSLCFG="cacert";
    /// for the loopback server, its [`TestCertificate::client_config`](crate::tls::TestCertificate::client_config)).
    pub fn trusting(self, config: Arc<ClientConfig>) -> Self {
        Self {
            trust: Some(config),
            ..self
        }
    }

    /// This module with `guard` as the silence that must follow `+++` to end a data-mode
    /// upload, instead of the manual's 1 s (tests use milliseconds).
    pub fn with_guard_time(self, guard: Duration) -> Self {
        Self {
            guard: Some(guard),
            ..self
        }
    }
}

impl Behaviour for Ec200u {
    fn max_command_len(&self) -> Option<usize> {
        atspec_ec200u::DIALECT.max_command_len
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
            Err(error) => return session.unparsed(line, error, atspec_ec200u::COMMANDS),
        };
        match command {
            c @ (Command::QicsgpSetWrite(_)
            | Command::QicsgpSetWithCredentialsWrite(_)
            | Command::QicsgpQueryWrite(_)
            | Command::QiactWrite(_)
            | Command::QiactRead(_)
            | Command::QideactWrite(_)) => self.context(c, &out),
            c @ (Command::QftpcfgAccountWrite(_)
            | Command::QftpcfgAccountQueryWrite(_)
            | Command::QftpcfgFileTypeWrite(_)
            | Command::QftpcfgFileTypeQueryWrite(_)
            | Command::QftpcfgTransmodeWrite(_)
            | Command::QftpcfgTransmodeQueryWrite(_)
            | Command::QftpcfgContextIdWrite(_)
            | Command::QftpcfgContextIdQueryWrite(_)
            | Command::QftpcfgRsptimeoutWrite(_)
            | Command::QftpcfgRsptimeoutQueryWrite(_)
            | Command::QftpcfgSslTypeWrite(_)
            | Command::QftpcfgSslTypeQueryWrite(_)
            | Command::QftpcfgSslCtxIdWrite(_)
            | Command::QftpcfgSslCtxIdQueryWrite(_)
            | Command::QftpcfgDataAddressWrite(_)
            | Command::QftpcfgDataAddressQueryWrite(_)) => self.configure(c, &out),
            Command::QftpopenWrite(c) => {
                if self.ftp.is_some() {
                    cme(self.cmee, &out, FtpError::BadCommandSequence.code());
                    return;
                }
                out.ok();
                let port = c.port().unwrap_or(21);
                let result = match self.login(c.hostname(), port).await {
                    Ok(client) => {
                        self.ftp = Some(client);
                        Fail::none()
                    }
                    Err(fail) => fail,
                };
                let line = OpenResultUrc {
                    err: result.err,
                    protocol_error: result.protocol_error(),
                };
                out.line(encode(|o| line.encode(o)));
            }
            Command::QftpstatExec(_) => {
                let ftpstat = if self.ftp.is_some() {
                    FtpState::Idle
                } else {
                    FtpState::Closed
                };
                out.ok();
                let line = StatResultUrc {
                    err: FtpError::Success,
                    ftpstat,
                };
                out.line(encode(|o| line.encode(o)));
            }
            Command::QftplenExec(_) => {
                out.ok();
                let line = LenResultUrc {
                    err: FtpError::Success,
                    transferlen: self.last_len,
                };
                out.line(encode(|o| line.encode(o)));
            }
            c @ (Command::QftpcloseExec(_)
            | Command::QftpcwdWrite(_)
            | Command::QftppwdExec(_)
            | Command::QftpmkdirWrite(_)
            | Command::QftprmdirWrite(_)
            | Command::QftpdelWrite(_)
            | Command::QftprenameWrite(_)
            | Command::QftpmdtmWrite(_)
            | Command::QftpsizeWrite(_)) => self.session_command(c, &out).await,
            c @ (Command::QftpgetToPortWrite(_)
            | Command::QftplistToPortWrite(_)
            | Command::QftplistToPortNamedWrite(_)
            | Command::QftpnlstToPortWrite(_)
            | Command::QftpnlstToPortNamedWrite(_)
            | Command::QftpmlsdToPortWrite(_)
            | Command::QftpmlsdToPortNamedWrite(_)
            | Command::QftpputFromPortWrite(_)
            | Command::QftpputFromPortSizedWrite(_)) => self.transfer(c, session).await,
            c => {
                if forms::answer(&c, &out)
                    || self.local_transfer(&c, &out).await
                    || self.file_command(&c, session).await
                {
                    return;
                }
                if !self.ssl_command(c, &out) {
                    out.error();
                }
            }
        }
    }
}
