//! A standing emulated modem for firmware tests in any language: the loopback servers,
//! and one vendor's module on a TCP port (a fresh module per connection) or on a
//! pseudo-terminal (one module a serial-port client opens like a UART).
//!
//! [`start`] brings everything up and [`Serving::describe`] says where it all is: the
//! modem's address or device path, and the URLs, host, port and account the firmware's
//! commands should name. `atspec emulate` (the `atspec-cli` crate) is a thin shell
//! around it, and `atspec --emulate` starts it in-process.

mod args;

use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use atspec::task::{Link, LinkKind};
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use args::{USAGE, parse_args};

use crate::backend::ftp::{FtpFaults, FtpOptions, FtpServer};
use crate::backend::http::HttpServer;
use crate::client::ftp::FtpTls;
use crate::demo::Fault;
use crate::modem::{self, ModemOptions};
use crate::modems::cellular::NetworkOptions;
use crate::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID};
use crate::modems::{a76xx::A76xx, ec200u::Ec200u, esp_at::EspAt, sim800_ftp::Sim800Ftp};
use crate::tls::{TestCertificate, client_config_with_roots, unverified_client_config};

/// Which module to emulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// SIMCom SIM800: bearer, HTTP and FTP.
    Sim800,
    /// SIMCom SIM808: a SIM800 with a GNSS receiver (AT+CGNSPWR, AT+CGNSINF).
    Sim808,
    /// SIMCom A76XX / SIM7600: FTP(S).
    A76xx,
    /// Espressif ESP-AT: Wi-Fi and HTTP (commands end with CR LF).
    EspAt,
    /// Quectel EC200U: contexts, FTP(S) and the module file system.
    Ec200u,
}

impl Vendor {
    /// The names [`Vendor::parse`] takes.
    pub const NAMES: [&'static str; 5] = ["sim800", "sim808", "a76xx", "esp-at", "ec200u"];

    /// A vendor by its command-line name, or by its spec package's name (`esp_at`
    /// for `esp-at`).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.replace('_', "-");
        [
            Self::Sim800,
            Self::Sim808,
            Self::A76xx,
            Self::EspAt,
            Self::Ec200u,
        ]
        .into_iter()
        .find(|v| v.name() == name)
    }

    /// The generated dialect of its package (command terminator, results, prompts).
    pub fn dialect(self) -> &'static atspec::Dialect {
        match self {
            Self::Sim800 | Self::Sim808 => &atspec_sim800::DIALECT,
            Self::A76xx => &atspec_a76xx::DIALECT,
            Self::EspAt => &atspec_esp_at::DIALECT,
            Self::Ec200u => &atspec_ec200u::DIALECT,
        }
    }

    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sim800 => "sim800",
            Self::Sim808 => "sim808",
            Self::A76xx => "a76xx",
            Self::EspAt => "esp-at",
            Self::Ec200u => "ec200u",
        }
    }
}

/// Where the modem listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// A TCP address (`127.0.0.1:0` picks a free port); each connection gets a fresh
    /// module.
    Tcp(SocketAddr),
    /// A new pseudo-terminal (Unix); one module, which clients may open in turn.
    Pty,
}

/// Everything [`start`] needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The module.
    pub vendor: Vendor,
    /// Where the modem listens.
    pub listen: Listen,
    /// Realism settings of the modem's serial line (the terminator is taken from the
    /// vendor's dialect).
    pub modem: ModemOptions,
    /// The FTP server's security mode.
    pub ftp_tls: FtpTls,
    /// The network the cellular modules (all but ESP-AT) find: SIM, registration,
    /// signal. Each connection (or the pseudo-terminal) powers a module on anew in it.
    pub network: NetworkOptions,
    /// A fault of the demo's, applied to the servers.
    pub fault: Option<Fault>,
}

/// The data link an emulated module of `kind` brings up: a cellular one takes any
/// access point name (`internet` here), the Wi-Fi one joins its access point.
pub fn default_link(kind: LinkKind) -> Link {
    match kind {
        LinkKind::Cellular => Link::cellular("internet"),
        LinkKind::Wifi => Link::wifi(DEFAULT_SSID, DEFAULT_PASSWORD),
    }
}

/// The running servers and modem; dropping it stops them all.
pub struct Serving {
    options: ServeOptions,
    http: HttpServer,
    https: HttpServer,
    ftp: FtpServer,
    modem_at: String,
    task: JoinHandle<()>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Serving {
    /// The TCP address the modem listens on, if it listens on TCP.
    pub fn modem_addr(&self) -> Option<SocketAddr> {
        match self.options.listen {
            Listen::Tcp(_) => self.modem_at.parse().ok(),
            Listen::Pty => None,
        }
    }

    /// Where the modem is: the pseudo-terminal's path, or the TCP address.
    pub fn modem_at(&self) -> &str {
        &self.modem_at
    }

    /// The plain HTTP server.
    pub fn http(&self) -> &HttpServer {
        &self.http
    }

    /// The HTTPS server (a module whose SSL settings ask for verification trusts its
    /// certificate).
    pub fn https(&self) -> &HttpServer {
        &self.https
    }

    /// The FTP server (a module whose SSL settings ask for verification trusts its
    /// certificate, if it has one).
    pub fn ftp(&self) -> &FtpServer {
        &self.ftp
    }

    /// Where the modem and the servers are, for a person starting firmware tests.
    pub fn describe(&self) -> String {
        let mut text = String::new();
        let vendor = self.options.vendor.name();
        let _ = writeln!(text, "emulated {vendor} modem: {}", self.modem_at);
        let _ = writeln!(text, "  http:  {}", self.http.url("/"));
        let _ = writeln!(text, "  https: {}", self.https.url("/"));
        let _ = writeln!(
            text,
            "  ftp:   127.0.0.1 port {} user {:?} password {:?} ({:?})",
            self.ftp.port(),
            self.ftp.user(),
            self.ftp.password(),
            self.ftp.tls()
        );
        let _ = writeln!(
            text,
            "  endpoints: /get /post /put /delete /anything /bytes/<n>?seed=<s> /status/<code> \
             /redirect/<n> /slow/<ms>; FTP root starts empty"
        );
        text
    }
}

/// Starts the servers and the modem on the current tokio runtime.
pub async fn start(options: ServeOptions) -> io::Result<Serving> {
    let mut http = HttpServer::try_start(None).await?;
    let https_cert = TestCertificate::generate();
    let mut https = HttpServer::try_start(Some(&https_cert)).await?;
    if options.fault == Some(Fault::HttpDown) {
        http.close().await;
        https.close().await;
    }
    let ftp = FtpServer::try_start(FtpOptions {
        tls: options.ftp_tls,
        faults: FtpFaults {
            refuse_logins: options.fault == Some(Fault::FtpRefuseLogin),
            ..FtpFaults::default()
        },
        ..FtpOptions::default()
    })
    .await?;
    let trust = trusting(&https_cert, ftp.certificate());
    let vendor = options.vendor;
    let network = options.network.clone();
    let mut modem_options = options.modem.clone();
    modem_options.terminator = vendor.dialect().terminator;
    let (modem_at, task) = match &options.listen {
        Listen::Tcp(addr) => {
            let listener = TcpListener::bind(addr).await?;
            let at = listener.local_addr()?.to_string();
            let task = tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    // A serial line delivers each byte at once; Nagle's algorithm would
                    // hold an answer's tail until the host's delayed acknowledgement.
                    let _ = stream.set_nodelay(true);
                    let module = Module {
                        vendor,
                        trust: &trust,
                        network: &network,
                    };
                    module.spawn(stream, modem_options.clone());
                }
            });
            (at, task)
        }
        Listen::Pty => {
            let module = Module {
                vendor,
                trust: &trust,
                network: &network,
            };
            pty(module, modem_options)?
        }
    };
    Ok(Serving {
        options,
        http,
        https,
        ftp,
        modem_at,
        task,
    })
}

#[cfg(unix)]
fn pty(module: Module<'_>, options: ModemOptions) -> io::Result<(String, JoinHandle<()>)> {
    let (master, path) = modem::pty::open()?;
    let at = path.path().display().to_string();
    let task = module.spawn(master, options);
    // The slave end stays open with the task, so one client closing it does not hang
    // the line up for the next.
    let task = tokio::spawn(async move {
        let _path = path;
        let _ = task.await;
    });
    Ok((at, task))
}

#[cfg(not(unix))]
fn pty(_: Module<'_>, _: ModemOptions) -> io::Result<(String, JoinHandle<()>)> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "pseudo-terminals need a Unix system",
    ))
}

/// A client configuration trusting the HTTPS server and, if it has one, the FTPS server:
/// what a module whose SSL settings ask for verification, naming no CA file of its
/// own, checks servers against.
fn trusting(https: &TestCertificate, ftps: Option<&TestCertificate>) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in std::iter::once(https).chain(ftps) {
        roots
            .add(cert.cert_der().clone())
            .expect("a generated certificate parses as a trust anchor");
    }
    client_config_with_roots(roots)
}

/// What a fresh module is made of.
#[derive(Clone, Copy)]
struct Module<'a> {
    vendor: Vendor,
    trust: &'a Arc<ClientConfig>,
    network: &'a NetworkOptions,
}

impl Module<'_> {
    /// Powers the module on, on `transport`.
    fn spawn<T>(self, transport: T, options: ModemOptions) -> JoinHandle<()>
    where
        T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
    {
        let trust = Arc::clone(self.trust);
        let network = self.network.clone();
        // The SIM800 and ESP-AT specs have no setting that asks for verification: their
        // modules check no certificate, and reach any server.
        match self.vendor {
            Vendor::Sim800 | Vendor::Sim808 => {
                let mut module = Sim800Ftp::new().with_network(network);
                if self.vendor == Vendor::Sim808 {
                    module = module.with_gnss();
                }
                modem::spawn(module, transport, options)
            }
            Vendor::A76xx => {
                let module = A76xx::new().with_tls(trust).with_network(network);
                modem::spawn(module, transport, options)
            }
            Vendor::EspAt => {
                let module = EspAt::new().with_tls(unverified_client_config());
                modem::spawn(module, transport, options)
            }
            Vendor::Ec200u => {
                let module = Ec200u::new().trusting(trust).with_network(network);
                modem::spawn(module, transport, options)
            }
        }
    }
}
