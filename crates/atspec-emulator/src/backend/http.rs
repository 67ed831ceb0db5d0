//! An httpbin-like HTTP/1.1 server on loopback (hyper 1), optionally over TLS.
//!
//! Endpoints (every response carries `Content-Length`, except 204; `HEAD` is routed as
//! `GET` on every path and answers exactly the status and headers `GET` would, body-less):
//!
//! | path | answer |
//! | --- | --- |
//! | `/get`, `/post`, `/put`, `/delete` | JSON echo; 405 for another method |
//! | `/anything`, `/anything/*` | JSON echo of any method |
//! | `/bytes/{n}[?seed=S][&cut=K]` | `n` bytes of [`payload`](crate::payload::payload)`(n, S)`, streamed; `Range: bytes=a-[b]` gets that window as 206; with `cut=K` the connection breaks after byte K of the file (the full length is declared, then it closes; a window starting at or after K is served whole) |
//! | `/status/{code}` | empty body with that status (200-599); 3xx point to `/get` |
//! | `/redirect/{n}` | 302 chain of `n` hops (1-100) ending at `/get` |
//! | `/slow/{ms}` | the JSON echo after `ms` milliseconds (at most 60 000) |
//! | `/response-headers?{name}={value}&...` | a short text with each pair as a response header (`%20` a space); 400 for an invalid one |
//!
//! The JSON echo holds `method`, `path`, `query` (raw), `headers` (lower-case names,
//! repeated headers joined by `", "`), `body_len`, `body_sha256` (hex), `body_text` (the
//! body when it is UTF-8, else `null`) and `body_base64`; past [`ECHO_BODY_LIMIT`] bytes the
//! body is only counted and hashed, and text and base64 are `null`.
//!
//! The server is also a forward proxy: a request whose target is an absolute URL gets a
//! `Via: 1.1 atspec-proxy` header ([`PROXY_VIA`], visible in the echo) and is served here
//! when the URL names this server, or forwarded to the origin it names (502 when that
//! fails).

mod body;
mod echo;
mod proxy;
mod routes;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

pub use echo::ECHO_BODY_LIMIT;
pub use proxy::VIA as PROXY_VIA;
pub use routes::{MAX_REDIRECTS, MAX_SLOW_MS};

use super::serve::{Background, accept_loop};
use crate::tls::TestCertificate;

/// A running HTTP server on `127.0.0.1`; stopped when dropped.
#[derive(Debug)]
pub struct HttpServer {
    addr: SocketAddr,
    tls: bool,
    task: Background,
}

impl HttpServer {
    /// Starts a plain HTTP server on `127.0.0.1` with a free port, on the current tokio
    /// runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound (see [`HttpServer::try_start`]).
    pub async fn start() -> Self {
        Self::try_start(None)
            .await
            .expect("bind an HTTP server on 127.0.0.1")
    }

    /// Starts an HTTPS server presenting `cert` (clients trust it with
    /// [`TestCertificate::client_config`]).
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    pub async fn start_tls(cert: &TestCertificate) -> Self {
        Self::try_start(Some(cert))
            .await
            .expect("bind an HTTPS server on 127.0.0.1")
    }

    /// Starts the server, over TLS when `cert` is given, and reports a failure to bind.
    pub async fn try_start(cert: Option<&TestCertificate>) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let acceptor = cert.map(|c| TlsAcceptor::from(c.server_config()));
        let tls = acceptor.is_some();
        let acceptor = Arc::new(acceptor);
        let task = accept_loop(listener, move |stream| {
            let acceptor = Arc::clone(&acceptor);
            async move {
                let builder = http1::Builder::new();
                let service = service_fn(move |req| routes::handle(req, addr));
                // A client that goes away mid-exchange is not the server's problem.
                match acceptor.as_ref() {
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            let _ = builder
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        }
                    }
                    None => {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
            }
        });
        Ok(Self { addr, tls, task })
    }

    /// Stops the server: when this returns its port is closed; open connections are closed
    /// as soon as the runtime gets to them. Dropping the server does the same without
    /// waiting.
    pub async fn stop(self) {
        self.task.stop().await;
    }

    /// Stops serving but keeps the address: the server's URLs then lead nowhere,
    /// as when a server is gone (the emulator's `http-down` fault).
    pub async fn close(&mut self) {
        self.task.halt().await;
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether the server speaks HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The URL of `path` on this server (`path` starts with `/`), for example
    /// `http://127.0.0.1:41234/get`.
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }
}
