//! The demo's loopback servers: one HTTP server, and one FTP server per security
//! (plain FTP, explicit and implicit TLS), with the demo's fault applied.

use std::sync::Arc;

use atspec::task::{FtpSecurity, FtpServer as Login};
use rustls::{ClientConfig, RootCertStore};

use super::Fault;
use crate::backend::ftp::{FtpFaults, FtpOptions, FtpServer};
use crate::backend::http::HttpServer;
use crate::tls::client_config_with_roots;

/// The servers every modem of the demo talks to.
pub(super) struct Servers {
    /// `None` when the fault took it down; the URLs below then lead nowhere.
    _http: Option<HttpServer>,
    /// `http://127.0.0.1:<port>`.
    http_base: String,
    ftp: Vec<(FtpSecurity, FtpServer)>,
    trust: Arc<ClientConfig>,
}

impl Servers {
    /// Starts the servers, `fault` applied.
    pub(super) async fn start(fault: Option<Fault>) -> Self {
        let http = HttpServer::start().await;
        let http_base = http.url("");
        let faults = FtpFaults {
            refuse_logins: fault == Some(Fault::FtpRefuseLogin),
            ..FtpFaults::default()
        };
        let mut ftp = Vec::new();
        for (security, options) in [
            (FtpSecurity::Plain, FtpOptions::plain()),
            (FtpSecurity::Explicit, FtpOptions::explicit_tls()),
            (FtpSecurity::Implicit, FtpOptions::implicit_tls()),
        ] {
            let server = FtpServer::start(options.with_faults(faults.clone())).await;
            ftp.push((security, server));
        }
        let mut roots = RootCertStore::empty();
        for cert in ftp.iter().filter_map(|(_, server)| server.certificate()) {
            roots
                .add(cert.cert_der().clone())
                .expect("rcgen's certificate parses as a trust anchor");
        }
        Self {
            _http: (fault != Some(Fault::HttpDown)).then_some(http),
            http_base,
            ftp,
            trust: client_config_with_roots(roots),
        }
    }

    /// The URL of `path` (starting with `/`) on the HTTP server.
    pub(super) fn http_url(&self, path: &str) -> String {
        format!("{}{path}", self.http_base)
    }

    /// A TLS client configuration trusting every FTPS server's certificate, for the
    /// emulated modules (a real module would be given the CA certificate).
    pub(super) fn trust(&self) -> Arc<ClientConfig> {
        self.trust.clone()
    }

    /// The FTP server of `security`, and how the FTP task logs in to it.
    pub(super) fn ftp(&self, security: FtpSecurity) -> (&FtpServer, Login) {
        let (_, server) = self
            .ftp
            .iter()
            .find(|(s, _)| *s == security)
            .expect("a server of every security is started");
        let login = Login::new("127.0.0.1")
            .port(server.port())
            .login(server.user(), server.password())
            .security(security);
        (server, login)
    }
}
