//! HTTP / HTTPS client requests (hyper 1, HTTP/1.1, rustls with ring).
//!
//! One connection per request, like a modem's HTTP stack. The request carries exactly the
//! headers given plus `Host` and, when there is a body or the method usually has one,
//! `Content-Length`. Redirects are followed only when asked ([`HttpClient::follow_redirects`]).
//! Response bodies stream into any [`AsyncWrite`] ([`HttpClient::send_to`]), so their size
//! never matters to memory. A client can go through a forward proxy
//! ([`HttpClient::via_proxy`]), over a slow link ([`HttpClient::link_rate`]), and report
//! its progress while it runs ([`HttpClient::watch`]).

mod error;
mod message;
mod progress;
mod redirect;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, HOST, HeaderName, HeaderValue, LOCATION};
use hyper::{Request, Response, Uri};
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

pub use error::{HttpClientError, HttpErrorKind, HttpResult};
pub use hyper::Method;
pub use message::{HttpRequest, HttpResponse, HttpResponseHead};
pub use progress::{HttpProgress, HttpProgressSnapshot};

use super::link::Throttled;
use super::resolve::resolve as resolve_host;
use progress::CountedBody;
use redirect::resolve;

/// Performs HTTP requests; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct HttpClient {
    tls: Option<Arc<ClientConfig>>,
    max_redirects: u32,
    timeout: Option<Duration>,
    proxy: Option<(String, u16)>,
    link_rate: Option<u64>,
    progress: Option<Arc<HttpProgress>>,
}

impl HttpClient {
    /// A client for `http://` URLs that follows no redirect and has no timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// This client, able to reach `https://` URLs with `config` (for the backend:
    /// [`TestCertificate::client_config`](crate::tls::TestCertificate::client_config)).
    pub fn with_tls(self, config: Arc<ClientConfig>) -> Self {
        Self {
            tls: Some(config),
            ..self
        }
    }

    /// This client, following up to `max` redirects (301, 302, 303 become `GET` without a
    /// body; 307 and 308 repeat the request). 0, the default, returns redirects as they are.
    pub fn follow_redirects(self, max: u32) -> Self {
        Self {
            max_redirects: max,
            ..self
        }
    }

    /// This client, failing any request not complete (body included) within `timeout`.
    pub fn timeout(self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..self
        }
    }

    /// This client, sending every `http://` request to the forward proxy at `host:port`
    /// (absolute-form request target, as RFC 9112 section 3.2.2 asks of clients talking
    /// to a proxy). `https://` URLs through a proxy are refused: that needs `CONNECT`.
    pub fn via_proxy(self, host: impl Into<String>, port: u16) -> Self {
        Self {
            proxy: Some((host.into(), port)),
            ..self
        }
    }

    /// This client, its connections paced to `bytes_per_second` in each direction (a
    /// slow bearer).
    pub fn link_rate(self, bytes_per_second: u64) -> Self {
        Self {
            link_rate: Some(bytes_per_second),
            ..self
        }
    }

    /// This client, keeping `progress` up to date while its requests run.
    pub fn watch(self, progress: Arc<HttpProgress>) -> Self {
        Self {
            progress: Some(progress),
            ..self
        }
    }

    /// Performs `request` and returns the whole response.
    pub async fn send(&self, request: &HttpRequest) -> HttpResult<HttpResponse> {
        let mut body = Vec::new();
        let head = self.send_to(request, &mut body).await?;
        Ok(HttpResponse {
            status: head.status,
            headers: head.headers,
            body: Bytes::from(body),
            url: head.url,
            redirects: head.redirects,
        })
    }

    /// Performs `request`, writing the final response's body into `sink` as it arrives.
    pub async fn send_to<W: AsyncWrite + Unpin>(
        &self,
        request: &HttpRequest,
        sink: &mut W,
    ) -> HttpResult<HttpResponseHead> {
        match self.timeout {
            Some(limit) => tokio::time::timeout(limit, self.exchange(request, sink))
                .await
                .map_err(|_| {
                    HttpClientError::new(
                        HttpErrorKind::Timeout,
                        format!("no complete answer within {limit:?}"),
                    )
                })?,
            None => self.exchange(request, sink).await,
        }
    }

    async fn exchange<W: AsyncWrite + Unpin>(
        &self,
        request: &HttpRequest,
        sink: &mut W,
    ) -> HttpResult<HttpResponseHead> {
        let mut current = request.clone();
        let mut redirects = 0;
        loop {
            let uri: Uri = current.url.parse().map_err(|e| {
                HttpClientError::new(
                    HttpErrorKind::InvalidRequest,
                    format!("{}: {e}", current.url),
                )
            })?;
            let response = self.round_trip(&uri, &current).await?;
            let status = response.status();
            let location = response.headers().get(LOCATION).cloned();
            if status.is_redirection() && status != 304 && redirects < self.max_redirects {
                let location =
                    location
                        .as_ref()
                        .and_then(|l| l.to_str().ok())
                        .ok_or_else(|| {
                            HttpClientError::new(
                                HttpErrorKind::Redirect,
                                format!("{status} without a usable Location"),
                            )
                        })?;
                drain(response.into_body()).await?;
                current.url = resolve(&uri, location)?;
                if matches!(status.as_u16(), 301..=303) && current.method != Method::HEAD {
                    current.method = Method::GET;
                    current.body = Bytes::new();
                    current.headers.retain(|(n, _)| {
                        !n.eq_ignore_ascii_case("content-length")
                            && !n.eq_ignore_ascii_case("content-type")
                    });
                }
                redirects += 1;
                continue;
            }
            if let Some(progress) = &self.progress {
                let declared = response
                    .headers()
                    .get(CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok());
                progress.head(status.as_u16(), declared);
            }
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body_len = write_body(response.into_body(), sink, self.progress.as_deref()).await?;
            return Ok(HttpResponseHead {
                status: status.as_u16(),
                headers,
                body_len,
                url: current.url,
                redirects,
            });
        }
    }

    /// Sends one request over a new connection and returns the response head.
    async fn round_trip(&self, uri: &Uri, request: &HttpRequest) -> HttpResult<Response<Incoming>> {
        let invalid = |what: &str| {
            HttpClientError::new(
                HttpErrorKind::InvalidRequest,
                format!("{what}: {}", request.url),
            )
        };
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => return Err(invalid("not an http or https URL")),
        };
        let host = uri.host().ok_or_else(|| invalid("no host"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let authority = uri.authority().ok_or_else(|| invalid("no host"))?.as_str();
        let origin_form = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let (connect_host, connect_port, target) = match &self.proxy {
            Some(_) if https => {
                return Err(invalid("https through a proxy (CONNECT) is not supported"));
            }
            Some((proxy, proxy_port)) => (proxy.as_str(), *proxy_port, uri.to_string()),
            None => (host, port, origin_form.to_owned()),
        };
        let outgoing = build_request(
            request,
            authority,
            &target,
            self.progress.clone(),
            self.link_rate,
        )?;

        let addr = resolve_host(connect_host, connect_port)
            .map_err(|e| HttpClientError::new(HttpErrorKind::Dns, e))?;
        let tcp = TcpStream::connect(addr).await.map_err(|e| {
            HttpClientError::new(
                HttpErrorKind::Connect,
                format!("{connect_host}:{connect_port}: {e}"),
            )
        })?;
        let _ = tcp.set_nodelay(true);
        let tcp: Box<dyn Io> = match self.link_rate {
            Some(rate) => Box::new(Throttled::new(tcp, rate)),
            None => Box::new(tcp),
        };
        if https {
            let config = self.tls.clone().ok_or_else(|| {
                HttpClientError::new(HttpErrorKind::Tls, "https URL but no TLS configuration")
            })?;
            let name = ServerName::try_from(host.to_owned())
                .map_err(|e| HttpClientError::new(HttpErrorKind::Tls, e))?;
            let tls = TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| HttpClientError::new(HttpErrorKind::Tls, e))?;
            exchange_on(tls, outgoing).await
        } else {
            exchange_on(tcp, outgoing).await
        }
    }
}

/// A connection's byte stream: plain TCP or paced TCP.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The hyper request for `request`: `target` (origin-form, or absolute-form for a proxy),
/// `Host`, the given headers, and `Content-Length` when there is a body or the method
/// normally carries one.
fn build_request(
    request: &HttpRequest,
    authority: &str,
    target: &str,
    progress: Option<Arc<HttpProgress>>,
    link_rate: Option<u64>,
) -> HttpResult<Request<CountedBody>> {
    let invalid = |e: &dyn fmt::Display| HttpClientError::new(HttpErrorKind::InvalidRequest, e);
    let mut outgoing = Request::builder()
        .method(request.method.clone())
        .uri(target)
        .body(CountedBody::new(request.body.clone(), progress, link_rate))
        .map_err(|e| invalid(&e))?;
    let headers = outgoing.headers_mut();
    let given = |name: &HeaderName| {
        request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name.as_str()))
    };
    if !given(&HOST) {
        headers.insert(
            HOST,
            HeaderValue::from_str(authority).map_err(|e| invalid(&e))?,
        );
    }
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
        let value = HeaderValue::from_str(value).map_err(|e| invalid(&e))?;
        headers.append(name, value);
    }
    let has_body = !request.body.is_empty()
        || matches!(request.method, Method::POST | Method::PUT | Method::PATCH);
    if has_body && !given(&CONTENT_LENGTH) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(request.body.len()));
    }
    Ok(outgoing)
}

/// Runs one HTTP/1.1 exchange on `io`; the connection task ends with the response body.
async fn exchange_on<S>(io: S, request: Request<CountedBody>) -> HttpResult<Response<Incoming>>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let protocol = |e: hyper::Error| HttpClientError::new(HttpErrorKind::Protocol, e);
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(protocol)?;
    tokio::spawn(async move {
        // Errors surface through the response or its body.
        let _ = connection.await;
    });
    sender.send_request(request).await.map_err(protocol)
}

/// Writes `body` into `sink` frame by frame; returns the byte count.
async fn write_body<W: AsyncWrite + Unpin>(
    mut body: Incoming,
    sink: &mut W,
    progress: Option<&HttpProgress>,
) -> HttpResult<u64> {
    let mut written = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| HttpClientError::new(HttpErrorKind::Protocol, e))?;
        if let Ok(data) = frame.into_data() {
            sink.write_all(&data)
                .await
                .map_err(|e| HttpClientError::new(HttpErrorKind::Sink, e))?;
            written += data.len() as u64;
            if let Some(progress) = progress {
                progress.add_received(data.len() as u64);
            }
        }
    }
    sink.flush()
        .await
        .map_err(|e| HttpClientError::new(HttpErrorKind::Sink, e))?;
    Ok(written)
}

/// Reads and discards `body` (a redirect's).
async fn drain(mut body: Incoming) -> HttpResult<()> {
    while let Some(frame) = body.frame().await {
        frame.map_err(|e| HttpClientError::new(HttpErrorKind::Protocol, e))?;
    }
    Ok(())
}
