//! An FTP / FTPS server on loopback: libunftp over a temporary folder.
//!
//! One account, passive mode only, data ports picked by the system on `127.0.0.1`. Three
//! security modes ([`FtpTls`]): plain FTP; explicit FTPS, where `AUTH TLS` is required before
//! login and `PROT P` before data transfers; and implicit FTPS, where the control
//! connection is TLS from its first byte and data connections are TLS by default. The
//! certificate is a [`TestCertificate`] made at start; [`FtpServer::connect_options`] gives
//! a client set up to trust it. Faults ([`FtpFaults`]): refused logins, delays, and data
//! connections cut mid-transfer.

mod auth;
mod implicit;
mod options;
mod storage;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use libunftp::options::{Binder, FtpsRequired, PassiveHost};
use libunftp::{Server, ServerBuilder, ServerError};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};
use unftp_core::auth::DefaultUser;
use unftp_sbe_fs::Filesystem;

pub use options::{DataDrop, FtpFaults, FtpOptions};

use self::auth::Account;
use self::storage::{FaultState, FaultyStorage};
use super::serve::{Background, accept_loop};
use crate::client::ftp::{FtpConnect, FtpTls};
use crate::tls::TestCertificate;

/// The greeting the server sends on connection.
pub const GREETING: &str = "atspec emulator FTP server ready";

/// A running FTP(S) server on `127.0.0.1`; stopped, and its folder removed, when dropped.
#[derive(Debug)]
pub struct FtpServer {
    // Declared first so the server stops before its folder is removed.
    tasks: Vec<Background>,
    addr: SocketAddr,
    options: FtpOptions,
    root: PathBuf,
    cert: Option<Arc<TestCertificate>>,
    _dir: tempfile::TempDir,
}

impl FtpServer {
    /// Starts a server with `options` on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// If the temporary folder or a loopback port cannot be had (see
    /// [`FtpServer::try_start`]).
    pub async fn start(options: FtpOptions) -> Self {
        Self::try_start(options)
            .await
            .expect("start an FTP server on 127.0.0.1")
    }

    /// Starts a server with `options` and reports a failure to create its folder or bind.
    pub async fn try_start(options: FtpOptions) -> io::Result<Self> {
        let dir = tempfile::Builder::new().prefix("atspec-ftp-").tempdir()?;
        let root = dir.path().join("root");
        std::fs::create_dir(&root)?;
        let cert = match options.tls {
            FtpTls::Plain => None,
            FtpTls::Explicit | FtpTls::Implicit => Some(Arc::new(TestCertificate::generate())),
        };
        let tls_files = match &cert {
            Some(cert) => {
                // libunftp reads its certificate from files; they stay outside the FTP root.
                let tls_dir = dir.path().join("tls");
                std::fs::create_dir(&tls_dir)?;
                let files = (tls_dir.join("cert.pem"), tls_dir.join("key.pem"));
                std::fs::write(&files.0, cert.cert_pem())?;
                std::fs::write(&files.1, cert.key_pem())?;
                Some(files)
            }
            None => None,
        };
        let session = Arc::new(SessionConfig {
            root: root.clone(),
            account: Arc::new(Account {
                user: options.user.clone(),
                password: options.password.clone(),
                refuse: options.faults.refuse_logins,
                delay: options.faults.delay,
            }),
            faults: Arc::new(FaultState::new(&options.faults)),
            tls_files,
            passive_host: options
                .faults
                .announce_passive_host
                .unwrap_or(Ipv4Addr::LOCALHOST),
        });
        let control = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let control_addr = control.local_addr()?;
        let mut tasks = vec![accept_loop(control, move |stream| {
            let session = Arc::clone(&session);
            async move {
                // libunftp runs the session in a task of its own, which aborting this one
                // would not stop: the guard shuts the socket down when this task ends or is
                // aborted, and the session then ends on end-of-file.
                let Ok((stream, _guard)) = ShutdownOnDrop::split(stream) else {
                    return;
                };
                // libunftp's `Server` serves one connection per value: build one per session.
                if let Ok(server) = session.server() {
                    let _ = server.service(stream).await;
                }
            }
        })];
        let addr = match (&options.tls, &cert) {
            (FtpTls::Implicit, Some(cert)) => {
                let front = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
                let addr = front.local_addr()?;
                let acceptor = TlsAcceptor::from(cert.server_config());
                let connector = TlsConnector::from(cert.client_config());
                tasks.push(accept_loop(front, move |stream| {
                    let (acceptor, connector) = (acceptor.clone(), connector.clone());
                    async move {
                        let _ = implicit::relay(stream, control_addr, acceptor, connector).await;
                    }
                }));
                addr
            }
            _ => control_addr,
        };
        Ok(Self {
            tasks,
            addr,
            options,
            root,
            cert,
            _dir: dir,
        })
    }

    /// Stops the server: when this returns its port is closed; open sessions are shut down
    /// as soon as the runtime gets to them. Dropping the server does the same without
    /// waiting.
    pub async fn stop(mut self) {
        for task in std::mem::take(&mut self.tasks) {
            task.stop().await;
        }
    }

    /// The control connection's address (the implicit-TLS port in implicit mode).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The control connection's port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The folder the FTP root `/` maps to; tests put files here and check uploads here.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The account's user name.
    pub fn user(&self) -> &str {
        &self.options.user
    }

    /// The account's password.
    pub fn password(&self) -> &str {
        &self.options.password
    }

    /// The security mode.
    pub fn tls(&self) -> FtpTls {
        self.options.tls
    }

    /// The options the server was started with.
    pub fn options(&self) -> &FtpOptions {
        &self.options
    }

    /// The certificate the server presents, in the FTPS modes.
    pub fn certificate(&self) -> Option<&TestCertificate> {
        self.cert.as_deref()
    }

    /// How to reach this server with [`FtpClient`](crate::client::ftp::FtpClient): its
    /// address, security mode, and a TLS configuration trusting its certificate.
    pub fn connect_options(&self) -> FtpConnect {
        FtpConnect {
            tls: self.options.tls,
            tls_config: self.cert.as_ref().map(|c| c.client_config()),
            ..FtpConnect::new(self.addr.ip().to_string(), self.addr.port())
        }
    }
}

/// What every session's libunftp `Server` is built from.
#[derive(Debug)]
struct SessionConfig {
    root: PathBuf,
    account: Arc<Account>,
    faults: Arc<FaultState>,
    tls_files: Option<(PathBuf, PathBuf)>,
    passive_host: Ipv4Addr,
}

impl SessionConfig {
    fn server(&self) -> Result<Server<FaultyStorage, DefaultUser>, ServerError> {
        let root = self.root.clone();
        let faults = Arc::clone(&self.faults);
        let storage = move || {
            let fs =
                Filesystem::new(root.clone()).expect("the FTP root exists while the server runs");
            FaultyStorage::new(fs, Arc::clone(&faults))
        };
        let mut builder =
            ServerBuilder::with_authenticator(Box::new(storage), self.account.clone())
                .greeting(GREETING)
                .passive_host(PassiveHost::Ip(self.passive_host))
                .binder(LoopbackBinder);
        if let Some((cert, key)) = &self.tls_files {
            builder = builder
                .ftps(cert.clone(), key.clone())
                .ftps_required(FtpsRequired::All, FtpsRequired::All);
        }
        builder.build()
    }
}

/// Shuts a control connection down (both directions) when dropped, through a duplicate of
/// its socket.
struct ShutdownOnDrop(std::net::TcpStream);

impl ShutdownOnDrop {
    fn split(stream: TcpStream) -> io::Result<(TcpStream, Self)> {
        let stream = stream.into_std()?;
        let guard = Self(stream.try_clone()?);
        Ok((TcpStream::from_std(stream)?, guard))
    }
}

impl Drop for ShutdownOnDrop {
    fn drop(&mut self) {
        let _ = self.0.shutdown(std::net::Shutdown::Both);
    }
}

/// Binds passive data sockets to a port the system picks, instead of libunftp's random
/// tries in 49152-65535: no clashes between servers running in parallel.
#[derive(Debug)]
struct LoopbackBinder;

#[async_trait]
impl Binder for LoopbackBinder {
    async fn bind(
        &mut self,
        local_addr: IpAddr,
        _ports: RangeInclusive<u16>,
    ) -> io::Result<TcpSocket> {
        let socket = match local_addr {
            IpAddr::V4(_) => TcpSocket::new_v4()?,
            IpAddr::V6(_) => TcpSocket::new_v6()?,
        };
        socket.bind(SocketAddr::new(local_addr, 0))?;
        Ok(socket)
    }
}
