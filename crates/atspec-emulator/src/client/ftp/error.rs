//! The FTP client's error: what kind of failure, the server's reply code when it answered.

use std::fmt;

use suppaftp::FtpError;

/// What kind of failure an [`FtpClientError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FtpErrorKind {
    /// The server's name does not resolve (see [`resolve`](crate::client::resolve)).
    Dns,
    /// The TCP connection could not be made.
    Connect,
    /// The connection or greeting took longer than the connect timeout.
    Timeout,
    /// TLS failed (handshake, certificate) or no TLS configuration was given.
    Tls,
    /// The server answered with an error reply; see [`FtpClientError::reply_code`].
    Reply,
    /// The server's answer could not be understood.
    Protocol,
    /// Reading or writing the connection, the source or the sink failed.
    Io,
}

/// A failed FTP operation.
#[derive(Debug)]
pub struct FtpClientError {
    kind: FtpErrorKind,
    reply_code: Option<u16>,
    message: String,
}

impl FtpClientError {
    pub(super) fn new(kind: FtpErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            reply_code: None,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> FtpErrorKind {
        self.kind
    }

    /// The server's reply code, for [`FtpErrorKind::Reply`] (`530` for a refused login,
    /// `550` for a missing file, `451` for an aborted transfer, ...).
    pub fn reply_code(&self) -> Option<u16> {
        self.reply_code
    }

    /// The error text (the server's reply text for [`FtpErrorKind::Reply`]).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FtpClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reply_code {
            Some(code) => write!(f, "FTP {:?} error {code}: {}", self.kind, self.message),
            None => write!(f, "FTP {:?} error: {}", self.kind, self.message),
        }
    }
}

impl std::error::Error for FtpClientError {}

impl From<FtpError> for FtpClientError {
    fn from(err: FtpError) -> Self {
        match err {
            FtpError::ConnectionError(e) => Self::new(FtpErrorKind::Io, e.to_string()),
            FtpError::SecureError(e) => Self::new(FtpErrorKind::Tls, e),
            FtpError::UnexpectedResponse(response) => {
                let code = response.status.code();
                Self {
                    kind: FtpErrorKind::Reply,
                    reply_code: u16::try_from(code).ok(),
                    message: String::from_utf8_lossy(&response.body)
                        .trim_end()
                        .to_owned(),
                }
            }
            other => Self::new(FtpErrorKind::Protocol, other.to_string()),
        }
    }
}

impl From<std::io::Error> for FtpClientError {
    fn from(err: std::io::Error) -> Self {
        Self::new(FtpErrorKind::Io, err.to_string())
    }
}

/// Result of an FTP operation.
pub type FtpResult<T> = Result<T, FtpClientError>;
