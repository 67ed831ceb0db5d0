//! The HTTP task: a request builder, the response, and the trait modems with a
//! native HTTP client implement.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::Driver;
use super::error::{TaskError, TaskErrorKind};
use super::progress::{Progress, ProgressFn};
use super::status::reason_phrase;
use super::url::{self, UrlParts};

/// The name of the HTTP task in errors.
pub const HTTP_REQUEST_TASK: &str = "http.request";

/// An HTTP request method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
}

impl Method {
    /// The method as HTTP writes it (`"GET"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a modem's HTTP task can do (generated per package; the capability matrix
/// is made from it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// The methods the modem sends.
    pub methods: &'static [Method],
    /// Whether `https://` URLs work.
    pub https: bool,
    /// Whether the caller's request headers are sent.
    pub request_headers: bool,
    /// The largest request body the module takes, if it has a limit.
    pub max_body: Option<u64>,
    /// Whether a response can be read from an offset ([`HttpRequest::from_offset`]).
    pub range: bool,
    /// Whether the response headers are reported in [`HttpResponse::headers`]
    /// (the modem's docs say after which methods).
    pub response_headers: bool,
}

type Body<'a> = Box<dyn AsyncRead + Unpin + Send + 'a>;

/// An HTTP request to send through a modem's HTTP client: method, URL, headers, an
/// optional body from any [`AsyncRead`], a per-call timeout, an offset to resume
/// from, and a progress callback. HTTPS follows from the URL's scheme.
pub struct HttpRequest<'a> {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<(Body<'a>, u64)>,
    body_len: Option<u64>,
    timeout: Option<Duration>,
    offset: Option<u64>,
    progress: Option<Box<ProgressFn<'a>>>,
    upload_progress: Option<Box<ProgressFn<'a>>>,
}

impl fmt::Debug for HttpRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body_len", &self.body_len)
            .field("timeout", &self.timeout)
            .field("offset", &self.offset)
            .field("progress", &self.progress.is_some())
            .field("upload_progress", &self.upload_progress.is_some())
            .finish()
    }
}

impl<'a> HttpRequest<'a> {
    /// A request of `method` for `url`. An empty path before a query is written as
    /// `/` (`http://h?q` is `http://h/?q`, the same resource).
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url::normalise(url.into()),
            headers: Vec::new(),
            body: None,
            body_len: None,
            timeout: None,
            offset: None,
            progress: None,
            upload_progress: None,
        }
    }

    /// A `GET` request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A `POST` request.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::Post, url)
    }

    /// A `PUT` request.
    pub fn put(url: impl Into<String>) -> Self {
        Self::new(Method::Put, url)
    }

    /// A `DELETE` request.
    pub fn delete(url: impl Into<String>) -> Self {
        Self::new(Method::Delete, url)
    }

    /// A `HEAD` request.
    pub fn head(url: impl Into<String>) -> Self {
        Self::new(Method::Head, url)
    }

    /// Adds a request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request body: `len` bytes read from `reader`.
    pub fn body(mut self, reader: impl AsyncRead + Unpin + Send + 'a, len: u64) -> Self {
        self.body = Some((Box::new(reader), len));
        self.body_len = Some(len);
        self
    }

    /// The request body from memory.
    pub fn body_bytes(self, bytes: &'a [u8]) -> Self {
        let len = bytes.len() as u64;
        self.body(bytes, len)
    }

    /// Bounds every wait of the request by `timeout`, in place of the spec's waits
    /// (longer or shorter).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Asks for the response body from byte `offset` on (range requests, resuming a
    /// cut download).
    pub fn from_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Reports the response body's progress to `f` as it arrives: the bytes
    /// written into the sink, and the body's length once the modem tells it.
    pub fn on_progress(mut self, f: impl FnMut(Progress) + Send + 'a) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Reports the request body's progress to `f` as it goes to the modem: the
    /// bytes taken from the body's reader, out of the body's length.
    pub fn on_upload_progress(mut self, f: impl FnMut(Progress) + Send + 'a) -> Self {
        self.upload_progress = Some(Box::new(f));
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the URL's scheme is `https`.
    pub fn is_https(&self) -> bool {
        self.url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// Host, port (the scheme's default when the URL has none) and path with query,
    /// for modems that take them apart; `Err` says why the URL cannot be sent
    /// (another scheme than `http` or `https`, no host, a bad port, whitespace).
    pub fn url_parts(&self) -> Result<UrlParts<'_>, String> {
        url::parse(&self.url)
    }

    /// The request headers, in the order given.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// `Err` naming the first header that cannot be sent: a name that is not an
    /// HTTP token (RFC 9110 section 5.1), or a value holding CR, LF or NUL, which
    /// would end the header early or smuggle another one in.
    pub fn check_headers(&self) -> Result<(), String> {
        for (name, value) in &self.headers {
            let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if name.is_empty() || !name.chars().all(is_token) {
                return Err(format!("the header name {name:?} is not an HTTP token"));
            }
            if let Some(bad) = value.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
                return Err(format!("the value of header {name} contains {bad:?}"));
            }
        }
        Ok(())
    }

    /// The headers as one `Name: value\r\n...` block (for modems that take them as
    /// one string); empty without headers.
    pub fn header_block(&self) -> String {
        let mut block = String::new();
        for (name, value) in &self.headers {
            block.push_str(name);
            block.push_str(": ");
            block.push_str(value);
            block.push_str("\r\n");
        }
        block
    }

    /// The body's length, if the request has a body (also after
    /// [`take_body`](Self::take_body)).
    pub fn body_len(&self) -> Option<u64> {
        self.body_len
    }

    /// Takes the body's reader out of the request (once).
    pub fn take_body(&mut self) -> Option<Box<dyn AsyncRead + Unpin + Send + 'a>> {
        self.body.take().map(|(reader, _)| reader)
    }

    /// The caller's timeout, if set.
    pub fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }

    /// The offset to read the response from, if set.
    pub fn offset(&self) -> Option<u64> {
        self.offset
    }

    /// The progress callback, if set (to pass to a
    /// [`CountingWriter`](super::CountingWriter)).
    pub fn progress(&mut self) -> Option<&mut ProgressFn<'a>> {
        self.progress.as_deref_mut()
    }

    /// Takes the progress callback out of the request, so that the request can
    /// still be read while a [`CountingWriter`](super::CountingWriter) holds it.
    pub fn take_progress(&mut self) -> Option<Box<ProgressFn<'a>>> {
        self.progress.take()
    }

    /// Takes the upload progress callback out of the request (to pass to a
    /// [`CountingReader`](super::CountingReader) over the body).
    pub fn take_upload_progress(&mut self) -> Option<Box<ProgressFn<'a>>> {
        self.upload_progress.take()
    }
}

/// The server's answer; the body went to the caller's sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The modem that made the request ([`Driver::NAME`]), for
    /// [`error_for_status`](Self::error_for_status).
    pub modem: &'static str,
    /// The HTTP status; `None` when the modem reported success without it (some
    /// modems report only the statuses of failures).
    pub status: Option<u16>,
    /// The body's length as the server or modem stated it, if it did.
    pub length: Option<u64>,
    /// The response headers in the order received, where the modem gives them
    /// ([`HttpOptions::response_headers`]); empty otherwise.
    pub headers: Vec<(String, String)>,
    /// Body bytes written into the sink.
    pub received: u64,
}

impl HttpResponse {
    /// Whether the status is a success (2xx), or success was reported without a
    /// status.
    pub fn is_success(&self) -> bool {
        self.status.is_none_or(|s| (200..=299).contains(&s))
    }

    /// The value of the first response header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The status's reason phrase from RFC 9110 (`"Not Found"`), if it has one.
    pub fn reason(&self) -> Option<&'static str> {
        self.status.and_then(reason_phrase)
    }

    /// The response, or for a client or server error status (4xx, 5xx) a
    /// [`TaskError`] of kind [`TaskErrorKind::Status`] naming the modem and the
    /// task ([`HTTP_REQUEST_TASK`]). An HTTP status is data; this is for callers
    /// who want it as an error.
    pub fn error_for_status(self) -> Result<Self, TaskError> {
        match self.status {
            Some(status) if (400..=599).contains(&status) => Err(TaskError::new(
                self.modem,
                HTTP_REQUEST_TASK,
                None,
                TaskErrorKind::Status { status },
            )),
            _ => Ok(self),
        }
    }
}

impl fmt::Display for HttpResponse {
    /// `404 Not Found, 1024 bytes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.status, self.reason()) {
            (Some(status), Some(reason)) => write!(f, "{status} {reason}")?,
            (Some(status), None) => write!(f, "{status}")?,
            (None, _) => f.write_str("success (no status reported)")?,
        }
        match self.received {
            1 => f.write_str(", 1 byte"),
            n => write!(f, ", {n} bytes"),
        }
    }
}

/// A modem's native HTTP client, as a task.
pub trait Http: Driver {
    /// What the modem's HTTP task can do.
    const HTTP: HttpOptions;

    /// Sends `request` and streams the response body into `sink` in bounded memory;
    /// returns the status, length and headers. A status is data, also 4xx and 5xx
    /// (see [`HttpResponse::error_for_status`]); an option the modem lacks (a method,
    /// HTTPS, headers, a body over its limit) is a [`TaskErrorKind::Unsupported`] or
    /// [`TaskErrorKind::Input`] before anything is sent.
    fn request<'a, W>(
        &'a self,
        request: HttpRequest<'a>,
        sink: &'a mut W,
    ) -> impl Future<Output = Result<HttpResponse, TaskError>> + Send + 'a
    where
        W: AsyncWrite + Unpin + Send + ?Sized + 'a;

    /// `GET url` into `sink`.
    fn get<'a, W>(
        &'a self,
        url: &'a str,
        sink: &'a mut W,
    ) -> impl Future<Output = Result<HttpResponse, TaskError>> + Send + 'a
    where
        W: AsyncWrite + Unpin + Send + ?Sized + 'a,
    {
        self.request(HttpRequest::get(url), sink)
    }
}
