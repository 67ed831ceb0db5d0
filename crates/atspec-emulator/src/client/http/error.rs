//! Why an HTTP request failed.

use std::fmt;

/// What kind of failure an [`HttpClientError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// The URL, a header or the method could not be used.
    InvalidRequest,
    /// The host name does not resolve (see [`resolve`](crate::client::resolve)).
    Dns,
    /// The TCP connection could not be made (refused, unreachable).
    Connect,
    /// TLS failed (handshake, certificate) or an `https` URL without a TLS configuration.
    Tls,
    /// The request took longer than the client's timeout.
    Timeout,
    /// The HTTP exchange failed (connection closed early, malformed response).
    Protocol,
    /// More redirects than allowed, or a redirect without a usable `Location`.
    Redirect,
    /// Writing the body to the sink failed.
    Sink,
}

/// A failed HTTP request.
#[derive(Debug)]
pub struct HttpClientError {
    kind: HttpErrorKind,
    message: String,
}

impl HttpClientError {
    pub(super) fn new(kind: HttpErrorKind, message: impl fmt::Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// The error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HttpClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {:?} error: {}", self.kind, self.message)
    }
}

impl std::error::Error for HttpClientError {}

/// Result of an HTTP request.
pub type HttpResult<T> = Result<T, HttpClientError>;
