//! What an [`FtpServer`](super::FtpServer) serves and which faults it injects.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::client::ftp::FtpTls;

/// How to start an [`FtpServer`](super::FtpServer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpOptions {
    /// Plain FTP, explicit FTPS (`AUTH TLS`, required before login) or implicit FTPS.
    pub tls: FtpTls,
    /// The one account's user name.
    pub user: String,
    /// The one account's password.
    pub password: String,
    /// Faults to inject.
    pub faults: FtpFaults,
}

impl Default for FtpOptions {
    fn default() -> Self {
        Self {
            tls: FtpTls::Plain,
            user: "modem".to_owned(),
            password: "secret".to_owned(),
            faults: FtpFaults::default(),
        }
    }
}

impl FtpOptions {
    /// Plain FTP with the default account (`modem` / `secret`) and no faults.
    pub fn plain() -> Self {
        Self::default()
    }

    /// Explicit FTPS with the default account and no faults.
    pub fn explicit_tls() -> Self {
        Self {
            tls: FtpTls::Explicit,
            ..Self::default()
        }
    }

    /// Implicit FTPS with the default account and no faults.
    pub fn implicit_tls() -> Self {
        Self {
            tls: FtpTls::Implicit,
            ..Self::default()
        }
    }

    /// These options with `faults`.
    pub fn with_faults(self, faults: FtpFaults) -> Self {
        Self { faults, ..self }
    }
}

/// Faults an [`FtpServer`](super::FtpServer) injects, to exercise the modems' error paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FtpFaults {
    /// Answer every login with `530` as if the password were wrong.
    pub refuse_logins: bool,
    /// Wait this long before each login and each file-system operation (`SIZE`, `LIST`,
    /// `RETR`, `STOR`, `MKD`, `DELE`, ...), like a slow or distant server.
    pub delay: Duration,
    /// Cut data connections in the middle of transfers.
    pub drop_data: Option<DataDrop>,
    /// Name this address in `PASV` replies instead of `127.0.0.1`, as a server behind
    /// NAT names its private address; data sockets stay on `127.0.0.1`, so only a
    /// client that connects to the control connection's address reaches them.
    pub announce_passive_host: Option<Ipv4Addr>,
}

/// Cuts the data connection of a transfer after some bytes.
///
/// After `after_bytes` bytes of a `RETR` the server closes the data connection and answers
/// `451` on the control connection; after `after_bytes` bytes of a `STOR` it stops reading,
/// closes the data connection (the client's writes then fail) and answers `451`. The bytes
/// already written stay in the file, as on a real server, so a client can resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataDrop {
    /// Bytes transferred before the cut.
    pub after_bytes: u64,
    /// How many transfers are cut (counted over the server's lifetime, all sessions);
    /// later transfers complete. Transfers no longer than `after_bytes` are not cut but
    /// still count.
    pub transfers: u32,
}
