//! The httpbin-style echo of a request as JSON.

use base64::Engine as _;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::http::request::Parts;
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

/// Request bodies up to this size are echoed back (as text or base64); longer ones are
/// only measured and hashed while they stream in, so a huge upload takes constant memory.
pub const ECHO_BODY_LIMIT: u64 = 8 * 1024 * 1024;

/// What the echo knows of a request body after reading it to the end.
#[derive(Debug)]
pub(crate) struct ReceivedBody {
    /// Number of bytes received.
    pub(crate) len: u64,
    /// SHA-256 of the bytes received, lower-case hex.
    pub(crate) sha256: String,
    /// The bytes, when there were at most [`ECHO_BODY_LIMIT`] of them.
    pub(crate) bytes: Option<Vec<u8>>,
}

/// Reads `body` to the end, hashing it and keeping it while it is short enough to echo.
pub(crate) async fn receive(mut body: Incoming) -> Result<ReceivedBody, hyper::Error> {
    let mut hasher = Sha256::new();
    let mut len = 0u64;
    let mut kept = Some(Vec::new());
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue; // trailers carry no body bytes
        };
        hasher.update(&data);
        len += data.len() as u64;
        if len > ECHO_BODY_LIMIT {
            kept = None;
        } else if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(&data);
        }
    }
    Ok(ReceivedBody {
        len,
        sha256: hex(&hasher.finalize()),
        bytes: kept,
    })
}

/// The JSON echo of a request: method, path, raw query, headers (names lower-case, repeated
/// headers joined with `", "`), and the body as UTF-8 text when it is valid UTF-8, always as
/// base64, with its length and SHA-256 (text and base64 are `null` past
/// [`ECHO_BODY_LIMIT`]).
pub(crate) fn echo_json(parts: &Parts, body: &ReceivedBody) -> Vec<u8> {
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let text = body
        .bytes
        .as_deref()
        .and_then(|b| std::str::from_utf8(b).ok());
    let base64 = body
        .bytes
        .as_deref()
        .map(|b| base64::engine::general_purpose::STANDARD.encode(b));
    let echo = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "query": parts.uri.query().unwrap_or(""),
        "headers": headers,
        "body_len": body.len,
        "body_sha256": body.sha256,
        "body_text": text,
        "body_base64": base64,
    });
    let mut out = serde_json::to_vec_pretty(&echo).expect("a JSON value serializes");
    out.push(b'\n');
    out
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
