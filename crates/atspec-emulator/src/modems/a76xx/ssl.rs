//! SSL contexts (AT+CSSLCFG), the certificate files put into the module (AT+CCERTDOWN)
//! and the context each FTPS connection uses (AT+CFTPSSLCFG).
//!
//! A context authenticates nothing until its "authmode" is 1 or 2; then the server is
//! checked against the context's "cacert" file, or, when it names none, against the
//! configuration given to [`A76xx::with_tls`](super::A76xx::with_tls). The FTP client has
//! one TLS configuration for the control and the data connections, so the control
//! connection's context decides for both; client certificates are kept, never presented.

use std::collections::BTreeMap;
use std::sync::Arc;

use atspec_a76xx::Command;
use atspec_a76xx::ftps::SslSession;
use atspec_a76xx::ssl::{AuthMode, ContextSettings, CsslcfgSupported, SslVersion, Switch};
use rustls::ClientConfig;

use super::enc;
use crate::modem::{Output, Session};
use crate::tls::{client_config_from_ca_file, unverified_client_config};

/// One SSL context's settings, with the A76XX manual's defaults.
#[derive(Debug, Clone)]
struct SslContext {
    version: SslVersion,
    auth_mode: AuthMode,
    ignore_local_time: Switch,
    negotiate_time: u16,
    ca_file: String,
    client_cert_file: String,
    client_key_file: String,
    password_file: String,
    enable_sni: Switch,
}

impl Default for SslContext {
    fn default() -> Self {
        Self {
            version: SslVersion::All,
            auth_mode: AuthMode::None,
            ignore_local_time: Switch::On,
            negotiate_time: 300,
            ca_file: String::new(),
            client_cert_file: String::new(),
            client_key_file: String::new(),
            password_file: String::new(),
            enable_sni: Switch::Off,
        }
    }
}

/// The module's SSL state: contexts, certificate files, the FTPS connections' contexts.
#[derive(Debug, Default)]
pub(super) struct Ssl {
    contexts: BTreeMap<u8, SslContext>,
    files: BTreeMap<String, Vec<u8>>,
    /// The context AT+CFTPSSLCFG bound to the control connection (0 until then,
    /// UNCONFIRMED).
    control: u8,
}

/// The ranges AT+CSSLCFG=? lists (A109 19.2.1).
const SUPPORTED: [&str; 9] = [
    "\"sslversion\",(0-9),(0-4)",
    "\"authmode\",(0-9),(0-3)",
    "\"ignorelocaltime\",(0-9),(0,1)",
    "\"negotiatetime\",(0-9),(10-300)",
    "\"cacert\",(0-9),(5-108)",
    "\"clientcert\",(0-9),(5-108)",
    "\"clientkey\",(0-9),(5-108)",
    "\"password\",(0-9),(5-108)",
    "\"enableSNI\",(0-9),(0,1)",
];

impl Ssl {
    /// The TLS configuration of an FTPS login, or why the module cannot check the server
    /// as its context asks (no CA file of that name, or none usable).
    pub(super) fn tls_config(
        &self,
        emulator_ca: Option<&Arc<ClientConfig>>,
    ) -> Result<Arc<ClientConfig>, String> {
        let Some(context) = self.contexts.get(&self.control) else {
            return Ok(unverified_client_config());
        };
        if !matches!(
            context.auth_mode,
            AuthMode::Server | AuthMode::ServerAndClient
        ) {
            return Ok(unverified_client_config());
        }
        if context.ca_file.is_empty() {
            return emulator_ca
                .cloned()
                .ok_or_else(|| "server authentication asked, but no CA file".to_owned());
        }
        let file = self
            .files
            .get(&context.ca_file)
            .ok_or_else(|| format!("no certificate file {:?}", context.ca_file))?;
        client_config_from_ca_file(file)
    }

    /// AT+CSSLCFG, AT+CCERTDOWN and AT+CFTPSSLCFG, answered in every state of the FTPS
    /// service; `false` when `command` is none of them.
    pub(super) async fn command(&mut self, command: &Command, session: &mut Session<'_>) -> bool {
        let out = session.out.clone();
        // A setting stored into the context the command names.
        macro_rules! set {
            ($c:expr, $field:ident = $value:expr) => {{
                self.contexts.entry($c.ssl_ctx_id()).or_default().$field = $value;
            }};
        }
        match command {
            Command::CsslcfgTest(_) => {
                for supported in SUPPORTED {
                    let supported = supported.to_owned();
                    out.line(enc(|o| CsslcfgSupported { supported }.encode(o)));
                }
            }
            Command::CsslcfgContextQueryWrite(c) => self.report(c.ssl_ctx_id(), &out),
            Command::CsslcfgSslVersionWrite(c) => set!(c, version = c.ssl_version()),
            Command::CsslcfgAuthModeWrite(c) => set!(c, auth_mode = c.auth_mode()),
            Command::CsslcfgIgnoreLocalTimeWrite(c) => {
                set!(c, ignore_local_time = c.ignore_local_time())
            }
            Command::CsslcfgNegotiateTimeWrite(c) => set!(c, negotiate_time = c.negotiate_time()),
            Command::CsslcfgCaCertWrite(c) => set!(c, ca_file = c.ca_file().to_owned()),
            Command::CsslcfgClientCertWrite(c) => {
                set!(c, client_cert_file = c.client_cert_file().to_owned())
            }
            Command::CsslcfgClientKeyWrite(c) => {
                set!(c, client_key_file = c.client_key_file().to_owned())
            }
            Command::CsslcfgPasswordWrite(c) => {
                set!(c, password_file = c.password_file().to_owned())
            }
            Command::CsslcfgEnableSniWrite(c) => set!(c, enable_sni = c.enable_sni()),
            Command::CftpsslcfgWrite(c) => {
                if c.session_id() == SslSession::Control {
                    self.control = c.ssl_id();
                }
            }
            Command::CcertdownWrite(c) => {
                // The LF of a CR LF line end is not the file's first byte.
                session.input.before_prompt().await;
                out.raw(b"\r\n> ");
                // The host gone mid-upload leaves nothing to answer.
                let Some(data) = session.input.read_exact(usize::from(c.len())).await else {
                    return true;
                };
                self.files.insert(c.filename().to_owned(), data);
            }
            _ => return false,
        }
        out.ok();
        true
    }

    /// The `+CSSLCFG: <ctx>,...` line of AT+CSSLCFG=<ctx>.
    fn report(&self, ssl_ctx_id: u8, out: &Output) {
        let context = self.contexts.get(&ssl_ctx_id).cloned().unwrap_or_default();
        out.line(enc(|o| {
            ContextSettings {
                ssl_ctx_id,
                ssl_version: context.version,
                auth_mode: context.auth_mode,
                ignore_local_time: context.ignore_local_time,
                negotiate_time: context.negotiate_time,
                ca_file: context.ca_file,
                client_cert_file: context.client_cert_file,
                client_key_file: context.client_key_file,
                password_file: context.password_file,
                enable_sni: context.enable_sni,
            }
            .encode(o)
        }));
    }
}
