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
//! - Not emulated, answered `ERROR`: local files (UFS/SD, AT+QF*), AT+QFTPMLSD,
//!   AT+QFTPMDTM (the client has no MLSD or MDTM) and the `=?` test forms.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use atspec::{AtCommand as _, CodeTable as _, UploadEnd};
use atspec_common::Command as Basic;
use atspec_common::v250::{CmeeCurrent, CmeeMode};
use atspec_ec200u::errors::CmeError;
use atspec_ec200u::ftp::{
    AccountSetting, CloseResult, ContextIdSetting, CwdResult, DataAddressSetting, DataAddressType,
    DelResult, FileType, FileTypeSetting, FtpError, FtpProtocolError, FtpState, GetResult,
    LenResult, ListResult, MkdirResult, NlstResult, OpenResult, PutResult, PwdResult, RenameResult,
    RmdirResult, RsptimeoutSetting, SizeResult, SslCtxIdSetting, SslType, SslTypeSetting,
    StatResult, TransferMode, TransmodeSetting,
};
use atspec_ec200u::support::{
    ActiveContext, CaCertSetting, CipherSuiteSetting, ClientCertSetting, ClientKeySetting,
    ContextConfig, IgnoreLocalTimeSetting, NegotiateTimeSetting, PdpAuth, PdpState, PdpType,
    SecLevelSetting, SniSetting, SslCipherSuite, SslSecLevel, SslVersion, SslVersionSetting,
    Switch,
};
use atspec_ec200u::{Command, DIALECT};
use rustls::ClientConfig;
use tokio::io::AsyncWrite;

use crate::client::ftp::{FtpClient, FtpClientError, FtpConnect, FtpErrorKind, FtpTls};
use crate::modem::{Behaviour, Output, Session};

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
}

/// One PDP context (AT+QICSGP, AT+QIACT).
struct Pdp {
    context_type: PdpType,
    apn: String,
    username: String,
    password: String,
    authentication: PdpAuth,
    active: bool,
}

impl Default for Pdp {
    fn default() -> Self {
        Self {
            context_type: PdpType::Ipv4,
            apn: String::new(),
            username: String::new(),
            password: String::new(),
            authentication: PdpAuth::None,
            active: false,
        }
    }
}

/// One SSL context (AT+QSSLCFG); defaults as on the BG96 (UNCONFIRMED for the EC200U).
struct SslContext {
    version: SslVersion,
    cipher_suite: SslCipherSuite,
    sec_level: SslSecLevel,
    ca_cert: String,
    client_cert: String,
    client_key: String,
    ignore_local_time: Switch,
    negotiate_time: u16,
    sni: Switch,
}

impl Default for SslContext {
    fn default() -> Self {
        Self {
            version: SslVersion::All,
            cipher_suite: SslCipherSuite::All,
            sec_level: SslSecLevel::NoAuthentication,
            ca_cert: String::new(),
            client_cert: String::new(),
            client_key: String::new(),
            ignore_local_time: Switch::On,
            negotiate_time: 300,
            sni: Switch::Off,
        }
    }
}

/// The AT+QFTPCFG settings, with the manual's defaults.
struct FtpConfig {
    username: String,
    password: String,
    file_type: FileType,
    transmode: TransferMode,
    context_id: u8,
    rsptimeout: u8,
    ssl_type: SslType,
    ssl_ctx_id: u8,
    data_address: DataAddressType,
    data_timeout: Option<u8>,
}

impl Default for FtpConfig {
    fn default() -> Self {
        Self {
            username: String::new(),
            password: String::new(),
            file_type: FileType::Binary,
            transmode: TransferMode::Passive,
            context_id: 1,
            rsptimeout: 90,
            ssl_type: SslType::Ftp,
            ssl_ctx_id: 0,
            data_address: DataAddressType::ServerAddress,
            data_timeout: None,
        }
    }
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

    fn rsptimeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.cfg.rsptimeout))
    }
}

fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}

/// Answers `+CME ERROR: <code>` as AT+CMEE asks: plain `ERROR`, the number, or the text.
fn cme(mode: CmeeMode, out: &Output, code: u16) {
    // The result code's text comes from the dialect, as the host's parser reads it.
    let Some(pattern) = DIALECT
        .results
        .iter()
        .find(|r| r.coded && r.kind == atspec::ResultKind::Error)
    else {
        out.error();
        return;
    };
    let code = CmeError::from_code(code);
    match mode {
        CmeeMode::Disabled => out.error(),
        CmeeMode::Verbose => match code.meaning() {
            Some(text) => out.line(format!("{} {text}", pattern.text)),
            None => out.line(format!("{} {}", pattern.text, code.code())),
        },
        _ => out.line(format!("{} {}", pattern.text, code.code())),
    }
}

impl Behaviour for Ec200u {
    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        if let Ok(basic) = Basic::parse(line) {
            match basic {
                Basic::E(e) => {
                    *session.echo = e.value().code() == 1;
                    out.ok();
                }
                Basic::Cmee(c) => {
                    // V.250: a parameter left out means 0.
                    self.cmee = c.n().unwrap_or(CmeeMode::Disabled);
                    out.ok();
                }
                Basic::CmeeRead(_) => {
                    let current = CmeeCurrent { n: self.cmee };
                    out.line(encode(|o| current.encode(o)));
                    out.ok();
                }
                _ => out.ok(),
            }
            return;
        }
        let Ok(command) = Command::parse(line) else {
            out.error();
            return;
        };
        match command {
            c @ (Command::QicsgpSet(_)
            | Command::QicsgpSetWithCredentials(_)
            | Command::QicsgpQuery(_)
            | Command::Qiact(_)
            | Command::QiactRead(_)
            | Command::Qideact(_)) => self.context(c, &out),
            c @ (Command::QftpcfgAccount(_)
            | Command::QftpcfgAccountQuery(_)
            | Command::QftpcfgFileType(_)
            | Command::QftpcfgFileTypeQuery(_)
            | Command::QftpcfgTransmode(_)
            | Command::QftpcfgTransmodeQuery(_)
            | Command::QftpcfgContextId(_)
            | Command::QftpcfgContextIdQuery(_)
            | Command::QftpcfgRsptimeout(_)
            | Command::QftpcfgRsptimeoutQuery(_)
            | Command::QftpcfgSslType(_)
            | Command::QftpcfgSslTypeQuery(_)
            | Command::QftpcfgSslCtxId(_)
            | Command::QftpcfgSslCtxIdQuery(_)
            | Command::QftpcfgDataAddress(_)
            | Command::QftpcfgDataAddressQuery(_)) => self.configure(c, &out),
            Command::Qftpopen(c) => {
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
                let line = OpenResult {
                    err: result.err,
                    protocol_error: result.protocol_error(),
                };
                out.line(encode(|o| line.encode(o)));
            }
            Command::Qftpstat(_) => {
                let ftpstat = if self.ftp.is_some() {
                    FtpState::Idle
                } else {
                    FtpState::Closed
                };
                out.ok();
                let line = StatResult {
                    err: FtpError::Success,
                    ftpstat,
                };
                out.line(encode(|o| line.encode(o)));
            }
            Command::Qftplen(_) => {
                out.ok();
                let line = LenResult {
                    err: FtpError::Success,
                    transferlen: self.last_len,
                };
                out.line(encode(|o| line.encode(o)));
            }
            c @ (Command::Qftpclose(_)
            | Command::Qftpcwd(_)
            | Command::Qftppwd(_)
            | Command::Qftpmkdir(_)
            | Command::Qftprmdir(_)
            | Command::Qftpdel(_)
            | Command::Qftprename(_)
            | Command::Qftpsize(_)) => self.session_command(c, &out).await,
            c @ (Command::QftpgetToPort(_)
            | Command::QftplistToPort(_)
            | Command::QftplistToPortNamed(_)
            | Command::QftpnlstToPort(_)
            | Command::QftpnlstToPortNamed(_)
            | Command::QftpputFromPort(_)
            | Command::QftpputFromPortSized(_)) => self.transfer(c, session).await,
            c => {
                if !self.ssl_command(c, &out) {
                    out.error();
                }
            }
        }
    }
}

impl Ec200u {
    fn context(&mut self, command: Command, out: &Output) {
        match command {
            Command::QicsgpSet(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                pdp.context_type = c.context_type();
                pdp.apn = c.apn().to_owned();
                out.ok();
            }
            Command::QicsgpSetWithCredentials(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                pdp.context_type = c.context_type();
                pdp.apn = c.apn().to_owned();
                pdp.username = c.username().to_owned();
                pdp.password = c.password().to_owned();
                pdp.authentication = c.authentication().unwrap_or(PdpAuth::None);
                out.ok();
            }
            Command::QicsgpQuery(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                let config = ContextConfig {
                    context_type: pdp.context_type,
                    apn: pdp.apn.clone(),
                    username: pdp.username.clone(),
                    password: pdp.password.clone(),
                    authentication: pdp.authentication,
                };
                out.line(encode(|o| config.encode(o)));
                out.ok();
            }
            Command::Qiact(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                if pdp.active {
                    // The TCP/IP note answers ERROR for a context that is already active.
                    out.error();
                } else {
                    pdp.active = true;
                    out.ok();
                }
            }
            Command::QiactRead(_) => {
                for (&context_id, pdp) in self.contexts.iter().filter(|(_, p)| p.active) {
                    let (ip_address, ipv6_address) = addresses(context_id, pdp.context_type);
                    let line = ActiveContext {
                        context_id,
                        context_state: PdpState::Activated,
                        context_type: pdp.context_type,
                        ip_address: Some(ip_address),
                        ipv6_address,
                    };
                    out.line(encode(|o| line.encode(o)));
                }
                out.ok();
            }
            Command::Qideact(c) => {
                if let Some(pdp) = self.contexts.get_mut(&c.context_id()) {
                    pdp.active = false;
                }
                // Deactivating closes every socket on the context, the FTP session too.
                if c.context_id() == self.cfg.context_id {
                    self.ftp = None;
                }
                out.ok();
            }
            _ => out.error(),
        }
    }

    fn configure(&mut self, command: Command, out: &Output) {
        let cfg = &mut self.cfg;
        // The `+QFTPCFG:` line reporting a setting.
        macro_rules! report {
            ($line:expr) => {{
                let line = $line;
                Some(encode(|o| line.encode(o)))
            }};
        }
        let report = match command {
            Command::QftpcfgAccount(c) => {
                cfg.username = c.username().to_owned();
                cfg.password = c.password().to_owned();
                None
            }
            Command::QftpcfgFileType(c) => {
                cfg.file_type = c.file_type();
                None
            }
            Command::QftpcfgTransmode(c) => {
                cfg.transmode = c.transmode();
                None
            }
            Command::QftpcfgContextId(c) => {
                cfg.context_id = c.context_id();
                None
            }
            Command::QftpcfgRsptimeout(c) => {
                cfg.rsptimeout = c.timeout();
                None
            }
            Command::QftpcfgSslType(c) => {
                cfg.ssl_type = c.ssl_type();
                None
            }
            Command::QftpcfgSslCtxId(c) => {
                cfg.ssl_ctx_id = c.ssl_ctx_id();
                None
            }
            Command::QftpcfgDataAddress(c) => {
                cfg.data_address = c.data_address_type();
                cfg.data_timeout = c.data_timeout();
                None
            }
            Command::QftpcfgAccountQuery(_) => report!(AccountSetting {
                username: cfg.username.clone(),
                password: cfg.password.clone(),
            }),
            Command::QftpcfgFileTypeQuery(_) => report!(FileTypeSetting {
                file_type: cfg.file_type
            }),
            Command::QftpcfgTransmodeQuery(_) => report!(TransmodeSetting {
                transmode: cfg.transmode
            }),
            Command::QftpcfgContextIdQuery(_) => report!(ContextIdSetting {
                context_id: cfg.context_id
            }),
            Command::QftpcfgRsptimeoutQuery(_) => report!(RsptimeoutSetting {
                timeout: cfg.rsptimeout
            }),
            Command::QftpcfgSslTypeQuery(_) => report!(SslTypeSetting {
                ssl_type: cfg.ssl_type
            }),
            Command::QftpcfgSslCtxIdQuery(_) => report!(SslCtxIdSetting {
                ssl_ctx_id: cfg.ssl_ctx_id
            }),
            Command::QftpcfgDataAddressQuery(_) => report!(DataAddressSetting {
                data_address_type: cfg.data_address,
                // The timeout is reported only for type 2, as the template says.
                data_timeout: (cfg.data_address.code() == 2)
                    .then_some(cfg.data_timeout.unwrap_or(25)),
            }),
            _ => {
                out.error();
                return;
            }
        };
        if let Some(line) = report {
            out.line(line);
        }
        out.ok();
    }

    /// AT+QSSLCFG: settings are kept and reported; `false` when `command` is not one.
    fn ssl_command(&mut self, command: Command, out: &Output) -> bool {
        let ssl = &mut self.ssl;
        // A setting stored into the context the command names.
        macro_rules! set {
            ($c:expr, $field:ident = $value:expr) => {{
                ssl.entry($c.ssl_ctx_id()).or_default().$field = $value;
                None
            }};
        }
        // The `+QSSLCFG:` line reporting a stored setting.
        macro_rules! report {
            ($c:expr, $line:ident { $name:ident: $field:ident }) => {{
                let ssl_ctx_id = $c.ssl_ctx_id();
                let $name = ssl.entry(ssl_ctx_id).or_default().$field.clone();
                Some(encode(|o| $line { ssl_ctx_id, $name }.encode(o)))
            }};
        }
        let line = match command {
            Command::QsslcfgSslVersion(c) => set!(c, version = c.ssl_version()),
            Command::QsslcfgCipherSuite(c) => set!(c, cipher_suite = c.cipher_suite().clone()),
            Command::QsslcfgSecLevel(c) => set!(c, sec_level = c.sec_level()),
            Command::QsslcfgCaCert(c) => set!(c, ca_cert = c.ca_cert_path().to_owned()),
            Command::QsslcfgClientCert(c) => {
                set!(c, client_cert = c.client_cert_path().to_owned())
            }
            Command::QsslcfgClientKey(c) => set!(c, client_key = c.client_key_path().to_owned()),
            Command::QsslcfgIgnoreLocalTime(c) => {
                set!(c, ignore_local_time = c.ignore_local_time())
            }
            Command::QsslcfgNegotiateTime(c) => set!(c, negotiate_time = c.negotiate_time()),
            Command::QsslcfgSni(c) => set!(c, sni = c.sni()),
            Command::QsslcfgSslVersionQuery(c) => {
                report!(
                    c,
                    SslVersionSetting {
                        ssl_version: version
                    }
                )
            }
            Command::QsslcfgCipherSuiteQuery(c) => {
                report!(
                    c,
                    CipherSuiteSetting {
                        cipher_suite: cipher_suite
                    }
                )
            }
            Command::QsslcfgSecLevelQuery(c) => {
                report!(
                    c,
                    SecLevelSetting {
                        sec_level: sec_level
                    }
                )
            }
            Command::QsslcfgCaCertQuery(c) => {
                report!(
                    c,
                    CaCertSetting {
                        ca_cert_path: ca_cert
                    }
                )
            }
            Command::QsslcfgClientCertQuery(c) => {
                report!(
                    c,
                    ClientCertSetting {
                        client_cert_path: client_cert
                    }
                )
            }
            Command::QsslcfgClientKeyQuery(c) => {
                report!(
                    c,
                    ClientKeySetting {
                        client_key_path: client_key
                    }
                )
            }
            Command::QsslcfgIgnoreLocalTimeQuery(c) => {
                report!(
                    c,
                    IgnoreLocalTimeSetting {
                        ignore_local_time: ignore_local_time
                    }
                )
            }
            Command::QsslcfgNegotiateTimeQuery(c) => {
                report!(
                    c,
                    NegotiateTimeSetting {
                        negotiate_time: negotiate_time
                    }
                )
            }
            Command::QsslcfgSniQuery(c) => report!(c, SniSetting { sni: sni }),
            _ => return false,
        };
        if let Some(line) = line {
            out.line(line);
        }
        out.ok();
        true
    }

    /// Connects and logs in as AT+QFTPOPEN does.
    async fn login(&self, host: &str, port: u16) -> Result<FtpClient, Fail> {
        let context_up = self
            .contexts
            .get(&self.cfg.context_id)
            .is_some_and(|p| p.active);
        // Section 4.3: 604 means the name did not resolve or the context is not active.
        if !context_up || !resolves(host, port).await {
            return Err(Fail::new(FtpError::DnsParseFailed));
        }
        let tls = match self.cfg.ssl_type.code() {
            0 => FtpTls::Plain,
            1 => FtpTls::Implicit,
            2 => FtpTls::Explicit,
            _ => return Err(Fail::new(FtpError::InvalidParameter)),
        };
        let mut options = FtpConnect::new(host, port);
        options.connect_timeout = self.rsptimeout();
        if tls != FtpTls::Plain {
            if self.cfg.transmode == TransferMode::Active {
                return Err(Fail::new(FtpError::InvalidParameter));
            }
            let Some(trust) = self.trust.clone() else {
                return Err(Fail::new(FtpError::SslAuthenticationFailed));
            };
            options = options.with_tls(tls, trust);
        }
        let mut client = FtpClient::connect(&options)
            .await
            .map_err(|e| Fail::from_client(&e, false))?;
        timed(
            self.rsptimeout(),
            client.login(&self.cfg.username, &self.cfg.password),
        )
        .await?;
        Ok(client)
    }

    /// The commands of a logged-in session answered `OK` and then one result line.
    async fn session_command(&mut self, command: Command, out: &Output) {
        let limit = self.rsptimeout();
        let Some(ftp) = self.ftp.as_mut() else {
            cme(self.cmee, out, FtpError::NotLoggedIn.code());
            return;
        };
        out.ok();
        // The `<err>,<protocol_error>` result line of an operation's outcome.
        macro_rules! status {
            ($line:ident, $operation:expr) => {{
                let fail = timed(limit, $operation)
                    .await
                    .err()
                    .unwrap_or_else(Fail::none);
                let protocol_error = fail.protocol_error();
                encode(|o| {
                    $line {
                        err: fail.err,
                        protocol_error,
                    }
                    .encode(o)
                })
            }};
        }
        let line = match command {
            Command::Qftpclose(_) => match self.ftp.take() {
                Some(ftp) => status!(CloseResult, ftp.quit()),
                None => return,
            },
            Command::Qftpcwd(c) => status!(CwdResult, ftp.cwd(c.path_name())),
            Command::Qftpmkdir(c) => status!(MkdirResult, ftp.mkdir(c.folder_name())),
            Command::Qftprmdir(c) => status!(RmdirResult, ftp.rmdir(c.folder_name())),
            Command::Qftpdel(c) => status!(DelResult, ftp.delete(c.file_name())),
            Command::Qftprename(c) => {
                status!(RenameResult, ftp.rename(c.old_name(), c.new_name()))
            }
            Command::Qftppwd(_) => {
                let (err, path_name) = match timed(limit, ftp.pwd()).await {
                    Ok(path) => (FtpError::Success, path),
                    Err(fail) => (fail.err, fail.reply.to_string()),
                };
                encode(|o| PwdResult { err, path_name }.encode(o))
            }
            Command::Qftpsize(c) => {
                let (err, file_size) = match timed(limit, ftp.size(c.file_name())).await {
                    Ok(size) => (FtpError::Success, saturate(size)),
                    Err(fail) => (fail.err, u32::from(fail.reply)),
                };
                encode(|o| SizeResult { err, file_size }.encode(o))
            }
            _ => return,
        };
        out.line(line);
    }

    /// The data-mode transfers through the serial port.
    async fn transfer(&mut self, command: Command, session: &mut Session<'_>) {
        let out = session.out.clone();
        let limit = self.rsptimeout();
        let guard = self.guard;
        let Some(ftp) = self.ftp.as_mut() else {
            cme(self.cmee, &out, FtpError::NotLoggedIn.code());
            return;
        };
        match command {
            Command::QftpgetToPort(c) => {
                let prompt = c.download().map_or("CONNECT", |d| d.prompt);
                let mut sink = PortSink::new(out.clone(), prompt, c.downloadlen());
                let offset = u64::from(c.startpos().unwrap_or(0));
                let result = ftp.get_to(c.file_name(), offset, &mut sink).await;
                self.last_len = saturate(sink.sent);
                let (err, transferlen) = match result {
                    Ok(_) => {
                        // An empty file still enters data mode.
                        sink.connect();
                        (FtpError::Success, self.last_len)
                    }
                    Err(e) => {
                        let fail = Fail::from_client(&e, true);
                        (fail.err, u32::from(fail.reply))
                    }
                };
                let line = encode(|o| GetResult { err, transferlen }.encode(o));
                finish_download(&out, sink.connected, line);
            }
            Command::QftplistToPort(_)
            | Command::QftplistToPortNamed(_)
            | Command::QftpnlstToPort(_)
            | Command::QftpnlstToPortNamed(_) => {
                let (dir, names_only, prompt) = match &command {
                    Command::QftplistToPort(c) => (c.dirname(), false, c.download()),
                    Command::QftplistToPortNamed(c) => (c.dirname(), false, c.download()),
                    Command::QftpnlstToPort(c) => (c.dirname(), true, c.download()),
                    Command::QftpnlstToPortNamed(c) => (c.dirname(), true, c.download()),
                    _ => return,
                };
                let prompt = prompt.map_or("CONNECT", |d| d.prompt);
                // "." is the current directory: the server lists it when none is named.
                let dir = Some(dir).filter(|d| *d != ".");
                let listing = if names_only {
                    timed(limit, ftp.nlst(dir)).await
                } else {
                    timed(limit, ftp.list(dir)).await
                };
                let (err, size, connected) = match listing {
                    Ok(lines) => {
                        let data: Vec<u8> = lines
                            .iter()
                            .flat_map(|l| [l.as_bytes(), b"\r\n"])
                            .flatten()
                            .copied()
                            .collect();
                        out.line(prompt);
                        out.raw(&data);
                        self.last_len = saturate(data.len() as u64);
                        (FtpError::Success, self.last_len, true)
                    }
                    Err(fail) => (fail.err, u32::from(fail.reply), false),
                };
                let line = if names_only {
                    encode(|o| {
                        NlstResult {
                            err,
                            transfer_size: size,
                        }
                        .encode(o)
                    })
                } else {
                    encode(|o| {
                        ListResult {
                            err,
                            transfer_size: size,
                        }
                        .encode(o)
                    })
                };
                finish_download(&out, connected, line);
            }
            Command::QftpputFromPort(c) => {
                let rule = c.upload();
                let startpos = c.startpos().unwrap_or(0);
                let put = Put {
                    name: c.file_name(),
                    startpos,
                    rule,
                    guard,
                    cmee: self.cmee,
                };
                if let Some(len) = put.run(ftp, limit, session).await {
                    self.last_len = len;
                }
            }
            Command::QftpputFromPortSized(c) => {
                let rule = c.upload();
                let put = Put {
                    name: c.file_name(),
                    startpos: c.startpos(),
                    rule,
                    guard,
                    cmee: self.cmee,
                };
                if let Some(len) = put.run(ftp, limit, session).await {
                    self.last_len = len;
                }
            }
            _ => out.error(),
        }
    }
}

/// One AT+QFTPPUT from the serial port.
struct Put<'a> {
    name: &'a str,
    startpos: u32,
    rule: Option<atspec::UploadRule>,
    guard: Option<Duration>,
    cmee: CmeeMode,
}

impl Put<'_> {
    /// Takes the host's bytes after `CONNECT`, stores them and reports the result; the
    /// bytes moved, `None` when the upload was refused or the host went away.
    async fn run(
        self,
        ftp: &mut FtpClient,
        limit: Duration,
        session: &mut Session<'_>,
    ) -> Option<u32> {
        let out = session.out.clone();
        let Some(rule) = self.rule else {
            out.error();
            return None;
        };
        // A part continues the remote file: refused before data mode unless it starts
        // exactly where the file ends.
        if self.startpos > 0 {
            let size = timed(limit, ftp.size(self.name)).await.ok();
            if size != Some(u64::from(self.startpos)) {
                cme(self.cmee, &out, FtpError::FilePositionInvalid.code());
                return None;
            }
        }
        out.line(rule.prompt);
        let data = match rule.end {
            UploadEnd::Length(len) => session.input.read_exact(len).await,
            UploadEnd::GuardedEscape { sequence, guard } => {
                let guard = self.guard.unwrap_or(guard);
                session
                    .input
                    .read_until_escape(sequence.as_bytes(), guard)
                    .await
            }
            _ => None,
        }?;
        // Data mode is over once the bytes are in; the server exchange follows.
        out.ok();
        let mut source = &data[..];
        let result = if self.startpos == 0 {
            ftp.put_from(self.name, &mut source).await
        } else {
            ftp.append_from(self.name, &mut source).await
        };
        let (err, transferlen) = match result {
            Ok(sent) => (FtpError::Success, saturate(sent)),
            Err(e) => {
                let fail = Fail::from_client(&e, true);
                (fail.err, u32::from(fail.reply))
            }
        };
        out.line(encode(|o| PutResult { err, transferlen }.encode(o)));
        (err == FtpError::Success).then_some(transferlen)
    }
}

/// Leaves data mode: `OK` and the result line in one write, since nothing may come
/// between them (the host tells the `OK` ending data mode from data bytes by the result
/// line right after it). Without data mode, `OK` and the result line as usual.
fn finish_download(out: &Output, connected: bool, result: Vec<u8>) {
    if connected {
        let mut tail = b"\r\nOK\r\n\r\n".to_vec();
        tail.extend_from_slice(&result);
        tail.extend_from_slice(b"\r\n");
        out.raw(tail);
    } else {
        out.ok();
        out.line(result);
    }
}

/// The serial port in data mode as a download's sink: `CONNECT` before the first byte,
/// then the bytes as they arrive, at most `downloadlen` of them.
struct PortSink {
    out: Output,
    prompt: &'static str,
    connected: bool,
    room: Option<u64>,
    sent: u64,
}

impl PortSink {
    fn new(out: Output, prompt: &'static str, downloadlen: Option<u32>) -> Self {
        Self {
            out,
            prompt,
            connected: false,
            room: downloadlen.map(u64::from),
            sent: 0,
        }
    }

    fn connect(&mut self) {
        if !self.connected {
            self.out.line(self.prompt);
            self.connected = true;
        }
    }
}

impl AsyncWrite for PortSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        this.connect();
        let take = this
            .room
            .map_or(buf.len(), |room| room.min(buf.len() as u64) as usize);
        if take > 0 {
            this.out.raw(&buf[..take]);
            this.sent += take as u64;
            if let Some(room) = &mut this.room {
                *room -= take as u64;
            }
        }
        // Bytes past downloadlen are taken and dropped: the client has no ABOR, so the
        // transfer runs to its end while the port has already stopped.
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A failed operation as the result lines report it: `<err>` and the server's reply.
struct Fail {
    err: FtpError,
    reply: u16,
}

impl Fail {
    fn none() -> Self {
        Self::new(FtpError::Success)
    }

    fn new(err: FtpError) -> Self {
        Self { err, reply: 0 }
    }

    /// `data`: the failure happened on a transfer, where a broken connection is the
    /// data connection's.
    fn from_client(e: &FtpClientError, data: bool) -> Self {
        match e.kind() {
            FtpErrorKind::Reply => {
                let reply = e.reply_code().unwrap_or(0);
                Self {
                    err: err_of_reply(reply),
                    reply,
                }
            }
            FtpErrorKind::Connect => Self::new(FtpError::NetworkError),
            FtpErrorKind::Timeout => Self::new(FtpError::Timeout),
            FtpErrorKind::Tls => Self::new(FtpError::SslAuthenticationFailed),
            FtpErrorKind::Io if data => Self::new(FtpError::DataConnectionClosed),
            FtpErrorKind::Io => Self::new(FtpError::ControlConnectionClosed),
            _ => Self::new(FtpError::UnknownError),
        }
    }

    fn protocol_error(&self) -> FtpProtocolError {
        FtpProtocolError::from_code(self.reply)
    }
}

/// The `<err>` for a server reply: chapters 5 and 6 list the same conditions in the same
/// order (614 = 421, 615 = 425, ... 629 = 552).
fn err_of_reply(reply: u16) -> FtpError {
    const REPLIES: [u16; 16] = [
        421, 425, 426, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532, 550, 551, 552,
    ];
    match REPLIES.iter().position(|r| *r == reply) {
        Some(at) => FtpError::from_code(614 + at as u16),
        // 553 and other permanent refusals: the action was not taken.
        None if reply >= 500 => FtpError::ActionNotTaken,
        None => FtpError::UnknownError,
    }
}

/// Runs a control-connection operation within the AT+QFTPCFG="rsptimeout" bound.
async fn timed<T>(
    limit: Duration,
    operation: impl Future<Output = Result<T, FtpClientError>>,
) -> Result<T, Fail> {
    match tokio::time::timeout(limit, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(Fail::from_client(&e, false)),
        Err(_) => Err(Fail::new(FtpError::Timeout)),
    }
}

/// Whether `host` resolves to an address.
async fn resolves(host: &str, port: u16) -> bool {
    // RFC 6761: names under `.invalid` never resolve; answering without asking keeps the
    // outcome independent of the resolver at hand.
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    if name == "invalid" || name.ends_with(".invalid") {
        return false;
    }
    let lookup = tokio::net::lookup_host((host, port));
    match tokio::time::timeout(Duration::from_secs(10), lookup).await {
        Ok(Ok(mut addrs)) => addrs.next().is_some(),
        _ => false,
    }
}

/// The addresses an active context reports: IPv4 first, IPv6 first for an IPv6 context.
fn addresses(context_id: u8, context_type: PdpType) -> (String, Option<String>) {
    let v4 = format!("10.0.0.{}", u16::from(context_id) + 1);
    let v6 = format!("fd00::{}", u16::from(context_id) + 1);
    match context_type {
        PdpType::Ipv6 => (v6, None),
        PdpType::Ipv4v6 => (v4, Some(v6)),
        _ => (v4, None),
    }
}

fn saturate(len: u64) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}
