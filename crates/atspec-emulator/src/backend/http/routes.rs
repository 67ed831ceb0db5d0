//! The endpoints of the HTTP backend.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::{Method, Request, Response, StatusCode};

use super::body::{CutBody, ResponseBody};
use super::echo::{echo_json, receive};
use super::proxy;
use crate::payload::PayloadReader;

/// Longest delay `/slow/{ms}` accepts, in milliseconds.
pub const MAX_SLOW_MS: u64 = 60_000;

/// Longest redirect chain `/redirect/{n}` builds.
pub const MAX_REDIRECTS: u32 = 100;

/// Serves one request: routes it, then sets `Content-Length` from the body (every response
/// but 204, where HTTP forbids the header).
///
/// `HEAD` is routed as `GET` and its body dropped, so it gets exactly the status and
/// headers, `Content-Length` included, that `GET` would. A request sent to this server
/// as to a proxy (absolute-form target; `own` is this server's address) is served here
/// when it names this server and forwarded otherwise.
pub(crate) async fn handle(
    mut req: Request<Incoming>,
    own: SocketAddr,
) -> Result<Response<ResponseBody>, Infallible> {
    if proxy::mark_proxied(&mut req) && !proxy::names_this_server(req.uri(), own) {
        return Ok(proxy::forward(req).await);
    }
    let is_head = req.method() == Method::HEAD;
    if is_head {
        *req.method_mut() = Method::GET;
    }
    let mut response = route(req).await;
    if response.status() != StatusCode::NO_CONTENT {
        let len = response.body().len();
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(len));
    }
    if is_head {
        *response.body_mut() = ResponseBody::empty();
    }
    Ok(response)
}

async fn route(req: Request<Incoming>) -> Response<ResponseBody> {
    let path = req.uri().path().to_owned();
    let trimmed = path.trim_start_matches('/');
    let (head, tail) = match trimmed.split_once('/') {
        Some((head, tail)) => (head, Some(tail)),
        None => (trimmed, None),
    };
    match (head, tail) {
        ("get", None) => only(&Method::GET, req).await,
        ("post", None) => only(&Method::POST, req).await,
        ("put", None) => only(&Method::PUT, req).await,
        ("delete", None) => only(&Method::DELETE, req).await,
        ("anything", _) => echo(req).await,
        ("bytes", Some(n)) => bytes(&req, n),
        ("status", Some(code)) => status(code),
        ("redirect", Some(n)) => redirect(n),
        ("slow", Some(ms)) => slow(req, ms).await,
        ("response-headers", None) => response_headers(req.uri().query()),
        _ => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// Echo when the method is `method` (or HEAD where GET is allowed, as HTTP says), 405
/// otherwise.
async fn only(method: &Method, req: Request<Incoming>) -> Response<ResponseBody> {
    if req.method() == method || (method == Method::GET && req.method() == Method::HEAD) {
        echo(req).await
    } else {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        let allow = HeaderValue::from_str(method.as_str()).expect("ASCII header");
        response.headers_mut().insert("allow", allow);
        response
    }
}

/// `/get`, `/post`, `/put`, `/delete`, `/anything/*`: the request as JSON.
async fn echo(req: Request<Incoming>) -> Response<ResponseBody> {
    let (parts, body) = req.into_parts();
    match receive(body).await {
        Ok(body) => with_type(
            StatusCode::OK,
            "application/json",
            ResponseBody::full(echo_json(&parts, &body)),
        ),
        Err(_) => text(StatusCode::BAD_REQUEST, "request body could not be read\n"),
    }
}

/// `/bytes/{n}[?seed=S]`: `n` payload bytes for seed `S` (0 by default), streamed.
fn bytes(req: &Request<Incoming>, n: &str) -> Response<ResponseBody> {
    let Ok(len) = n.parse::<u64>() else {
        return text(StatusCode::BAD_REQUEST, "/bytes/{n}: n is a byte count\n");
    };
    let seed = query_param(req.uri().query(), "seed")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    // `cut=K`: the connection breaks at byte K of the file (a fault for resume tests).
    let cut_at = query_param(req.uri().query(), "cut").and_then(|s| s.parse::<u64>().ok());
    // A `Range: bytes=a-[b]` request (resumed downloads) gets that window as 206.
    let range = req
        .headers()
        .get(hyper::header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| byte_range(v, len));
    let (status, first, count) = match range {
        Some((first, last)) => (StatusCode::PARTIAL_CONTENT, first, last - first + 1),
        None => (StatusCode::OK, 0, len),
    };
    let reader = PayloadReader::window(first, count, seed);
    let body = match cut_at {
        // A window starting at or after the break point is served whole.
        Some(at) if at > first && at < first + count => {
            ResponseBody::Cut(CutBody::new(reader, at - first))
        }
        _ => ResponseBody::Payload(reader),
    };
    let mut response = with_type(status, "application/octet-stream", body);
    if range.is_none() {
        return response;
    }
    let last = first + count - 1;
    if let Ok(value) = format!("bytes {first}-{last}/{len}").parse() {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_RANGE, value);
    }
    response
}

/// `/response-headers?<name>=<value>&...`: 200 with each pair as a response header
/// (in the order given; `%20` in a value is a space), a short text body; 400 for a
/// pair that is not a valid header.
fn response_headers(query: Option<&str>) -> Response<ResponseBody> {
    let mut response = text(StatusCode::OK, "headers set\n");
    let pairs = query.unwrap_or("").split('&').filter(|p| !p.is_empty());
    for pair in pairs {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = hyper::header::HeaderName::from_bytes(name.as_bytes());
        let value = HeaderValue::from_str(&value.replace("%20", " "));
        let (Ok(name), Ok(value)) = (name, value) else {
            return text(
                StatusCode::BAD_REQUEST,
                "/response-headers: every pair must be a valid header\n",
            );
        };
        response.headers_mut().append(name, value);
    }
    response
}

/// `bytes=a-b` or `bytes=a-` within a body of `len` bytes: the first and last byte.
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let (first, last) = header.strip_prefix("bytes=")?.split_once('-')?;
    let first: u64 = first.trim().parse().ok()?;
    let last = match last.trim() {
        "" => len.checked_sub(1)?,
        text => text.parse::<u64>().ok()?.min(len.checked_sub(1)?),
    };
    (first <= last).then_some((first, last))
}

/// `/status/{code}`: an empty response with that status (200-599); 3xx ones point to `/get`.
fn status(code: &str) -> Response<ResponseBody> {
    let status = code
        .parse::<u16>()
        .ok()
        .filter(|c| (200..=599).contains(c))
        .and_then(|c| StatusCode::from_u16(c).ok());
    let Some(status) = status else {
        return text(StatusCode::BAD_REQUEST, "/status/{code}: code is 200-599\n");
    };
    let mut response = Response::new(ResponseBody::empty());
    *response.status_mut() = status;
    if status.is_redirection() {
        response
            .headers_mut()
            .insert(LOCATION, HeaderValue::from_static("/get"));
    }
    response
}

/// `/redirect/{n}`: a 302 to `/redirect/{n-1}`, the last one (`n` = 1) to `/get`.
fn redirect(n: &str) -> Response<ResponseBody> {
    let Some(n) = n
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_REDIRECTS).contains(n))
    else {
        return text(StatusCode::BAD_REQUEST, "/redirect/{n}: n is 1-100\n");
    };
    let target = if n == 1 {
        "/get".to_owned()
    } else {
        format!("/redirect/{}", n - 1)
    };
    let mut response = Response::new(ResponseBody::empty());
    *response.status_mut() = StatusCode::FOUND;
    response.headers_mut().insert(
        LOCATION,
        HeaderValue::from_str(&target).expect("ASCII path"),
    );
    response
}

/// `/slow/{ms}`: the echo, sent after `ms` milliseconds (at most [`MAX_SLOW_MS`]).
async fn slow(req: Request<Incoming>, ms: &str) -> Response<ResponseBody> {
    let Some(ms) = ms.parse::<u64>().ok().filter(|ms| *ms <= MAX_SLOW_MS) else {
        return text(StatusCode::BAD_REQUEST, "/slow/{ms}: ms is 0-60000\n");
    };
    tokio::time::sleep(Duration::from_millis(ms)).await;
    echo(req).await
}

fn text(status: StatusCode, body: &'static str) -> Response<ResponseBody> {
    with_type(
        status,
        "text/plain; charset=utf-8",
        ResponseBody::full(body),
    )
}

fn with_type(
    status: StatusCode,
    content_type: &'static str,
    body: ResponseBody,
) -> Response<ResponseBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The raw value of `name` in a query string (no percent-decoding: the backend's own
/// parameters are plain numbers).
fn query_param<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
