//! SSL contexts (AT+QSSLCFG): the settings are kept and reported, and the FTPS sessions
//! check the server as the context AT+QFTPCFG="sslctxid" names asks: not at all at
//! `"seclevel"` 0 (the default), against the CA file named by `"cacert"` (uploaded with
//! AT+QFUPL) at 1 and 2, or, when no file is named, against what [`Ec200u::trusting`] was
//! given. Level 2's client certificate is kept but never presented.

use atspec_ec200u::Command;
use atspec_ec200u::support::{
    CaCertSetting, CipherSuiteSetting, ClientCertSetting, ClientKeySetting, IgnoreLocalTimeSetting,
    NegotiateTimeSetting, SecLevelSetting, SniSetting, SslCipherSuite, SslSecLevel, SslVersion,
    SslVersionSetting, Switch,
};

use std::sync::Arc;

use rustls::ClientConfig;

use super::Ec200u;
use super::files::LocalName;
use super::reply::encode;
use crate::modem::Output;
use crate::tls::{client_config_from_ca_file, unverified_client_config};

/// One SSL context (AT+QSSLCFG); defaults as on the BG96 (UNCONFIRMED for the EC200U).
pub(super) struct SslContext {
    pub(super) version: SslVersion,
    pub(super) cipher_suite: SslCipherSuite,
    pub(super) sec_level: SslSecLevel,
    pub(super) ca_cert: String,
    pub(super) client_cert: String,
    pub(super) client_key: String,
    pub(super) ignore_local_time: Switch,
    pub(super) negotiate_time: u16,
    pub(super) sni: Switch,
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

impl Ec200u {
    /// The TLS client configuration of the FTP session's SSL context, or why the module
    /// cannot check the server as asked (reported as 631, SSL authentication failed).
    pub(super) fn tls_config(&self) -> Result<Arc<ClientConfig>, String> {
        let Some(context) = self.ssl.get(&self.cfg.ssl_ctx_id) else {
            return Ok(unverified_client_config());
        };
        if matches!(context.sec_level, SslSecLevel::NoAuthentication) {
            return Ok(unverified_client_config());
        }
        if context.ca_cert.is_empty() {
            return self
                .trust
                .clone()
                .ok_or_else(|| "verification asked, but no CA certificate".to_owned());
        }
        let name = LocalName::parse(&context.ca_cert, usize::MAX)
            .map_err(|e| format!("CA file {:?}: {e:?}", context.ca_cert))?;
        let pem = self
            .files
            .get(&name)
            .ok_or_else(|| format!("no CA file {name}"))?;
        client_config_from_ca_file(pem)
    }

    /// AT+QSSLCFG: settings are kept and reported; `false` when `command` is not one.
    pub(super) fn ssl_command(&mut self, command: Command, out: &Output) -> bool {
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
            Command::QsslcfgSslVersionWrite(c) => set!(c, version = c.ssl_version()),
            Command::QsslcfgCipherSuiteWrite(c) => set!(c, cipher_suite = c.cipher_suite().clone()),
            Command::QsslcfgSecLevelWrite(c) => set!(c, sec_level = c.sec_level()),
            Command::QsslcfgCaCertWrite(c) => set!(c, ca_cert = c.ca_cert_path().to_owned()),
            Command::QsslcfgClientCertWrite(c) => {
                set!(c, client_cert = c.client_cert_path().to_owned())
            }
            Command::QsslcfgClientKeyWrite(c) => {
                set!(c, client_key = c.client_key_path().to_owned())
            }
            Command::QsslcfgIgnoreLocalTimeWrite(c) => {
                set!(c, ignore_local_time = c.ignore_local_time())
            }
            Command::QsslcfgNegotiateTimeWrite(c) => set!(c, negotiate_time = c.negotiate_time()),
            Command::QsslcfgSniWrite(c) => set!(c, sni = c.sni()),
            Command::QsslcfgSslVersionQueryWrite(c) => {
                report!(
                    c,
                    SslVersionSetting {
                        ssl_version: version
                    }
                )
            }
            Command::QsslcfgCipherSuiteQueryWrite(c) => {
                report!(
                    c,
                    CipherSuiteSetting {
                        cipher_suite: cipher_suite
                    }
                )
            }
            Command::QsslcfgSecLevelQueryWrite(c) => {
                report!(
                    c,
                    SecLevelSetting {
                        sec_level: sec_level
                    }
                )
            }
            Command::QsslcfgCaCertQueryWrite(c) => {
                report!(
                    c,
                    CaCertSetting {
                        ca_cert_path: ca_cert
                    }
                )
            }
            Command::QsslcfgClientCertQueryWrite(c) => {
                report!(
                    c,
                    ClientCertSetting {
                        client_cert_path: client_cert
                    }
                )
            }
            Command::QsslcfgClientKeyQueryWrite(c) => {
                report!(
                    c,
                    ClientKeySetting {
                        client_key_path: client_key
                    }
                )
            }
            Command::QsslcfgIgnoreLocalTimeQueryWrite(c) => {
                report!(
                    c,
                    IgnoreLocalTimeSetting {
                        ignore_local_time: ignore_local_time
                    }
                )
            }
            Command::QsslcfgNegotiateTimeQueryWrite(c) => {
                report!(
                    c,
                    NegotiateTimeSetting {
                        negotiate_time: negotiate_time
                    }
                )
            }
            Command::QsslcfgSniQueryWrite(c) => report!(c, SniSetting { sni: sni }),
            _ => return false,
        };
        if let Some(line) = line {
            out.line(line);
        }
        out.ok();
        true
    }
}
