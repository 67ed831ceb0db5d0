//! FTP / FTPS client operations (suppaftp, tokio, rustls with ring).
//!
//! Passive mode, binary transfers. Transfers stream: uploads read from any
//! [`AsyncRead`], downloads write into any [`AsyncWrite`] and can resume from an offset
//! (`REST`), so file size never matters to memory.

mod error;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use suppaftp::tokio::{AsyncRustlsConnector, AsyncRustlsFtpStream};
use suppaftp::types::FileType;
use suppaftp::{FtpError, Status};

pub use error::{FtpClientError, FtpErrorKind, FtpResult};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio_rustls::TlsConnector;

/// How the control and data connections are secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FtpTls {
    /// Plain FTP.
    #[default]
    Plain,
    /// Explicit FTPS: plain connection, then `AUTH TLS`, `PBSZ 0`, `PROT P` (RFC 4217).
    Explicit,
    /// Implicit FTPS: TLS from the first byte, then `PBSZ 0`, `PROT P`: data connections
    /// protected too.
    Implicit,
}

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct FtpConnect {
    /// Host name or IP address; also the name the server certificate must be valid for.
    pub host: String,
    /// Control port.
    pub port: u16,
    /// Security mode.
    pub tls: FtpTls,
    /// TLS configuration for the FTPS modes (for the backend, from
    /// [`TestCertificate::client_config`](crate::tls::TestCertificate::client_config)).
    pub tls_config: Option<Arc<ClientConfig>>,
    /// Longest wait for the TCP connection, the TLS handshake and the greeting.
    pub connect_timeout: Duration,
    /// Open data connections to the control connection's address, whatever address
    /// the server's `PASV` reply names (for servers behind NAT).
    pub data_to_control_address: bool,
}

impl FtpConnect {
    /// Default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Plain FTP to `host:port`.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            tls: FtpTls::Plain,
            tls_config: None,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            data_to_control_address: false,
        }
    }

    /// These options with security mode `tls` and TLS configuration `config`.
    pub fn with_tls(self, tls: FtpTls, config: Arc<ClientConfig>) -> Self {
        Self {
            tls,
            tls_config: Some(config),
            ..self
        }
    }
}

/// One FTP control connection.
pub struct FtpClient {
    ftp: AsyncRustlsFtpStream,
}

impl fmt::Debug for FtpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FtpClient").finish_non_exhaustive()
    }
}

impl FtpClient {
    /// Connects, reads the greeting and, for the FTPS modes, secures the connection.
    pub async fn connect(options: &FtpConnect) -> FtpResult<Self> {
        // libunftp 0.24 can race its switch to TLS after AUTH TLS and answer the
        // client's handshake in plain text (a few connections in a hundred); a fresh
        // connection succeeds, so a TLS session gets a few attempts.
        let attempts = if options.tls == FtpTls::Plain { 1 } else { 4 };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::connect_once(options).await {
                Err(e) if attempt < attempts && e.kind() != FtpErrorKind::Timeout => {
                    tracing_note(&e, attempt);
                }
                result => return result,
            }
        }
    }

    async fn connect_once(options: &FtpConnect) -> FtpResult<Self> {
        let timeout = options.connect_timeout;
        tokio::time::timeout(timeout, Self::connect_now(options))
            .await
            .map_err(|_| {
                FtpClientError::new(
                    FtpErrorKind::Timeout,
                    format!("no greeting within {timeout:?}"),
                )
            })?
    }

    async fn connect_now(options: &FtpConnect) -> FtpResult<Self> {
        // Names resolve in the emulated network only: never through the system.
        let addr = super::resolve::resolve(&options.host, options.port)
            .map_err(|e| FtpClientError::new(FtpErrorKind::Dns, e.to_string()))?;
        let connector = || -> FtpResult<AsyncRustlsConnector> {
            let config = options.tls_config.clone().ok_or_else(|| {
                FtpClientError::new(FtpErrorKind::Tls, "FTPS needs a TLS configuration")
            })?;
            Ok(AsyncRustlsConnector::from(TlsConnector::from(config)))
        };
        let connect_error = |e: FtpError| match e {
            FtpError::ConnectionError(e) => {
                FtpClientError::new(FtpErrorKind::Connect, e.to_string())
            }
            other => other.into(),
        };
        let mut ftp = match options.tls {
            FtpTls::Plain => AsyncRustlsFtpStream::connect(addr)
                .await
                .map_err(connect_error)?,
            FtpTls::Explicit => {
                let connector = connector()?;
                AsyncRustlsFtpStream::connect(addr)
                    .await
                    .map_err(connect_error)?
                    .into_secure(connector, &options.host)
                    .await?
            }
            FtpTls::Implicit => {
                let connector = connector()?;
                let mut ftp =
                    AsyncRustlsFtpStream::connect_secure_implicit(addr, connector, &options.host)
                        .await
                        .map_err(connect_error)?;
                // suppaftp protects the data connections of an implicit session but does
                // not tell the server; servers that require protected data (vsftpd's
                // force_local_data_ssl) refuse transfers with 522 until PROT P (RFC 4217
                // section 9, which needs PBSZ 0 first).
                for command in ["PBSZ 0", "PROT P"] {
                    ftp.custom_command(command, &[Status::CommandOk]).await?;
                }
                ftp
            }
        };
        ftp.set_passive_nat_workaround(options.data_to_control_address);
        Ok(Self { ftp })
    }

    /// The server's greeting text.
    pub fn welcome(&self) -> Option<&str> {
        self.ftp.get_welcome_msg()
    }

    /// Logs in (`USER`, `PASS`) and switches to binary transfers (`TYPE I`).
    pub async fn login(&mut self, user: &str, password: &str) -> FtpResult<()> {
        self.ftp.login(user, password).await?;
        self.ftp.transfer_type(FileType::Binary).await?;
        Ok(())
    }

    /// The working directory (`PWD`).
    pub async fn pwd(&mut self) -> FtpResult<String> {
        Ok(self.ftp.pwd().await?)
    }

    /// Changes the working directory (`CWD`).
    pub async fn cwd(&mut self, dir: &str) -> FtpResult<()> {
        Ok(self.ftp.cwd(dir).await?)
    }

    /// Creates a directory (`MKD`).
    pub async fn mkdir(&mut self, dir: &str) -> FtpResult<()> {
        Ok(self.ftp.mkdir(dir).await?)
    }

    /// Removes an empty directory (`RMD`).
    pub async fn rmdir(&mut self, dir: &str) -> FtpResult<()> {
        Ok(self.ftp.rmdir(dir).await?)
    }

    /// Deletes a file (`DELE`).
    pub async fn delete(&mut self, path: &str) -> FtpResult<()> {
        Ok(self.ftp.rm(path).await?)
    }

    /// Renames a file or directory (`RNFR`, `RNTO`).
    pub async fn rename(&mut self, from: &str, to: &str) -> FtpResult<()> {
        Ok(self.ftp.rename(from, to).await?)
    }

    /// A file's size in bytes (`SIZE`).
    pub async fn size(&mut self, path: &str) -> FtpResult<u64> {
        let size = self.ftp.size(path).await?;
        Ok(size as u64)
    }

    /// The long listing of a directory, one line per entry (`LIST`).
    pub async fn list(&mut self, dir: Option<&str>) -> FtpResult<Vec<String>> {
        Ok(self.ftp.list(dir).await?)
    }

    /// The names in a directory (`NLST`).
    pub async fn nlst(&mut self, dir: Option<&str>) -> FtpResult<Vec<String>> {
        Ok(self.ftp.nlst(dir).await?)
    }

    /// The machine-readable listing of a directory, one `facts; name` line per entry
    /// (`MLSD`, RFC 3659).
    pub async fn mlsd(&mut self, dir: Option<&str>) -> FtpResult<Vec<String>> {
        Ok(self.ftp.mlsd(dir).await?)
    }

    /// A file's modification time as the server words it, `YYYYMMDDHHMMSS` with an
    /// optional `.sss` fraction (`MDTM`, RFC 3659): the text itself, so a fraction the
    /// server sends is kept.
    pub async fn mdtm(&mut self, path: &str) -> FtpResult<String> {
        let reply = self
            .ftp
            .custom_command(format!("MDTM {path}"), &[Status::File])
            .await?;
        let text = String::from_utf8_lossy(&reply.body);
        modification_time(&text).ok_or_else(|| {
            FtpClientError::new(
                FtpErrorKind::Protocol,
                format!("no modification time in {:?}", text.trim_end()),
            )
        })
    }

    /// Stores `data` as `path` (`STOR`); returns the bytes sent.
    pub async fn put_bytes(&mut self, path: &str, data: &[u8]) -> FtpResult<u64> {
        let mut source = data;
        self.put_from(path, &mut source).await
    }

    /// Stores everything `source` yields as `path` (`STOR`); returns the bytes sent.
    pub async fn put_from<R: AsyncRead + Unpin>(
        &mut self,
        path: &str,
        source: &mut R,
    ) -> FtpResult<u64> {
        let stream = self.ftp.put_with_stream(path).await?;
        Self::upload(stream, source).await
    }

    /// Appends everything `source` yields to `path` (`APPE`); returns the bytes sent.
    pub async fn append_from<R: AsyncRead + Unpin>(
        &mut self,
        path: &str,
        source: &mut R,
    ) -> FtpResult<u64> {
        let stream = self.ftp.append_with_stream(path).await?;
        Self::upload(stream, source).await
    }

    async fn upload<R: AsyncRead + Unpin>(
        mut stream: suppaftp::tokio::TransferStream<suppaftp::tokio::AsyncRustlsStream>,
        source: &mut R,
    ) -> FtpResult<u64> {
        match tokio::io::copy(source, &mut stream).await {
            Ok(sent) => {
                stream.finish().await?;
                Ok(sent)
            }
            Err(e) => {
                // The server's reply usually says more than the broken pipe.
                match stream.finish().await {
                    Err(reply) => Err(reply.into()),
                    Ok(()) => Err(e.into()),
                }
            }
        }
    }

    /// Retrieves `path` from byte `offset` on (`REST` when `offset` > 0, then `RETR`) into
    /// `sink`; returns the bytes received.
    ///
    /// A transfer the server aborts (it closes the data connection and replies `4xx`) is an
    /// error even when the data connection closed cleanly.
    pub async fn get_to<W: AsyncWrite + Unpin>(
        &mut self,
        path: &str,
        offset: u64,
        sink: &mut W,
    ) -> FtpResult<u64> {
        if offset > 0 {
            let offset = usize::try_from(offset).map_err(|_| {
                FtpClientError::new(FtpErrorKind::Io, "offset too large for this platform")
            })?;
            self.ftp.resume_transfer(offset).await?;
        }
        let mut stream = self.ftp.retr_as_stream(path).await?;
        let copied = tokio::io::copy(&mut stream, sink).await;
        let finished = stream.finish().await;
        let received = copied?;
        finished?;
        sink.flush().await?;
        Ok(received)
    }

    /// Retrieves `path` from byte `offset` on into memory.
    pub async fn get_bytes(&mut self, path: &str, offset: u64) -> FtpResult<Vec<u8>> {
        let mut data = Vec::new();
        self.get_to(path, offset, &mut data).await?;
        Ok(data)
    }

    /// Says goodbye (`QUIT`) and closes the connection.
    pub async fn quit(mut self) -> FtpResult<()> {
        Ok(self.ftp.quit().await?)
    }

    /// Sends `NOOP` (keeps the session alive, checks the connection).
    pub async fn noop(&mut self) -> FtpResult<()> {
        Ok(self.ftp.noop().await?)
    }

    /// A second handle on the control connection's socket, to watch for the server
    /// closing it while the session is idle; reading from it would steal replies, so
    /// callers only peek.
    pub async fn control_socket(&self) -> std::io::Result<socket2::Socket> {
        socket2::SockRef::from(&*self.ftp.get_ref().await).try_clone()
    }
}

/// The RFC 3659 time value in an `MDTM` reply (`213 20140708110039`, with or without its
/// code): 14 digits, then an optional `.` and more digits.
fn modification_time(reply: &str) -> Option<String> {
    reply
        .split_whitespace()
        .map(|word| word.trim_start_matches("213-"))
        .find(|word| {
            let (whole, fraction) = word.split_once('.').unwrap_or((word, "0"));
            whole.len() == 14
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_owned)
}

/// `true` when `err` is the server refusing the login (`530`).
pub fn is_login_refused(err: &FtpClientError) -> bool {
    err.reply_code() == Some(Status::NotLoggedIn.code() as u16)
}

/// Notes a retried FTPS connection on stderr when debugging is asked for.
fn tracing_note(error: &FtpClientError, attempt: usize) {
    if std::env::var_os("ATSPEC_EMULATOR_DEBUG").is_some() {
        eprintln!("FTPS connection attempt {attempt} failed ({error}); retrying");
    }
}

#[cfg(test)]
mod tests {
    use super::modification_time;

    #[test]
    fn finds_the_time_in_an_mdtm_reply() {
        assert_eq!(
            modification_time("213 20140708110039\r\n").as_deref(),
            Some("20140708110039")
        );
        assert_eq!(
            modification_time("20140708110039.123").as_deref(),
            Some("20140708110039.123")
        );
        assert_eq!(modification_time("213 2014070811003"), None);
        assert_eq!(modification_time("213 20140708110039."), None);
        assert_eq!(modification_time(""), None);
    }
}
