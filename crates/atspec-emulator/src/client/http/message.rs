//! The request a client performs and the responses it returns.

use bytes::Bytes;
use hyper::Method;

/// An HTTP request to perform.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// An absolute `http://` or `https://` URL.
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body (may be empty).
    pub body: Bytes,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A `GET` request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::GET, url)
    }

    /// This request with one more header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// This request with `body`.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// The status line and headers of a response, and how much body was written to the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponseHead {
    /// Status code.
    pub status: u16,
    /// Headers in received order (names lower-case; values decoded lossily as UTF-8).
    pub headers: Vec<(String, String)>,
    /// Body bytes received (0 for `HEAD`).
    pub body_len: u64,
    /// The URL that answered (differs from the request's after redirects).
    pub url: String,
    /// Redirects followed.
    pub redirects: u32,
}

impl HttpResponseHead {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// A whole response, body in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers in received order (names lower-case; values decoded lossily as UTF-8).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
    /// The URL that answered (differs from the request's after redirects).
    pub url: String,
    /// Redirects followed.
    pub redirects: u32,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
