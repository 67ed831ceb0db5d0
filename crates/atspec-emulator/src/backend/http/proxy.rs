//! Forward-proxy mode: a request whose target is in absolute form
//! (`GET http://host:port/path HTTP/1.1`, RFC 9112 section 3.2.2) came to the server as
//! to a proxy. It gets a `Via` header (RFC 9110 section 7.6.3), which the echo endpoints
//! show, so a test can tell a proxied request from a direct one; then it is served here
//! when it names this server, or forwarded to the origin it names.

use std::net::SocketAddr;

use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Uri};

use super::body::ResponseBody;
use crate::client::http::{HttpClient, HttpRequest};

/// The `Via` value this server adds to every request it handles as a proxy, and to the
/// responses it forwards.
pub const VIA: &str = "1.1 atspec-proxy";

/// Headers that concern one connection only and are not forwarded (RFC 9110 section 7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "proxy-connection",
    "keep-alive",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
];

/// Whether `req` was sent to this server as to a proxy; if so, marks it with `Via`.
pub(crate) fn mark_proxied(req: &mut Request<Incoming>) -> bool {
    if req.uri().authority().is_none() {
        return false;
    }
    req.headers_mut()
        .append("via", HeaderValue::from_static(VIA));
    true
}

/// Whether `uri` names the server listening on `own`.
pub(crate) fn names_this_server(uri: &Uri, own: SocketAddr) -> bool {
    let port = uri.port_u16().unwrap_or(80);
    let host = uri.host().unwrap_or("");
    port == own.port() && (host == own.ip().to_string() || host == "localhost")
}

/// Sends `req` on to the origin its target names and relays the answer; 502 when the
/// origin cannot be reached.
pub(crate) async fn forward(req: Request<Incoming>) -> Response<ResponseBody> {
    let (parts, body) = req.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway("the request body could not be read\n");
    };
    let mut outgoing = HttpRequest::new(parts.method.clone(), parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            outgoing = outgoing.header(name.as_str(), value);
        }
    }
    let answer = match HttpClient::new().send(&outgoing).await {
        Ok(answer) => answer,
        Err(e) => return bad_gateway(&format!("{e}\n")),
    };
    let mut response = Response::new(ResponseBody::full(answer.body.clone()));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let headers = response.headers_mut();
    for (name, value) in &answer.headers {
        if HOP_BY_HOP.contains(&name.as_str()) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    headers.append("via", HeaderValue::from_static(VIA));
    if parts.method != Method::HEAD {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(answer.body.len()));
    }
    response
}

fn bad_gateway(text: &str) -> Response<ResponseBody> {
    let mut response = Response::new(ResponseBody::full(text.to_owned()));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
}
