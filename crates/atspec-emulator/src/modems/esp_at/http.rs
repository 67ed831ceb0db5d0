//! ESP-AT's HTTP client (AT+HTTPCLIENT, AT+HTTPGETSIZE, AT+HTTPCGET, AT+HTTPCPOST,
//! AT+HTTPCPUT, AT+HTTPURLCFG, AT+HTTPCHEAD, AT+HTTPCFG): each request performed for real,
//! the answer printed in same-line pieces (as it arrives, for AT+HTTPCLIENT and the
//! uploads).

use std::time::Duration;

use atspec::CodeTable as _;
use atspec_esp_at::Command;
use atspec_esp_at::http::{
    ClientChunk, ContentType, GetChunk, PostChunk, PutChunk, ResourceSize, StoredHeader, UrlSetting,
};

use super::stream::Pieces;
use super::{EXEC_FAIL, EspAt, PARA_INVALID, encoded};
use crate::client::http::{HttpClient, HttpProgress, HttpRequest, HttpResponse, Method};
use crate::modem::{Input, Output, Session};

/// Largest piece of an answer body on one `+HTTPCLIENT:`/`+HTTPCPOST:`/`+HTTPCPUT:` line:
/// the manual's examples never show more.
const PIECE: usize = 512;
/// The receive buffer AT+HTTPCGET reads with by default (its `rx_size`).
const DEFAULT_RX_SIZE: u16 = 2048;
/// The manual's examples show this User-Agent at the server.
const USER_AGENT: &str = "ESP32 HTTP Client/1.0";
/// AT+HTTPCHEAD keeps at most this many headers.
const MAX_HEADERS: usize = 20;
/// 0x010a7000: no HTTP answer; plus the status for an HTTP failure.
const HTTP_FAIL: u32 = 0x010a_7000;

/// How an HTTP request went, the way the module reports it.
enum Fetched {
    /// 1xx to 3xx (redirects are not followed).
    Ok(HttpResponse),
    /// 4xx, 5xx: the ERR CODE.
    Status(u32),
    /// No answer: no Wi-Fi, no connection, timeout.
    Failed,
}

impl EspAt {
    /// The HTTP commands, and the answer to any command shape the parent did not take:
    /// a value its table does not list.
    pub(super) async fn http(&mut self, command: Command, session: &mut Session<'_>) {
        let out = session.out.clone();
        match command {
            Command::HttpclientRequestWrite(c) => {
                let method = match c.opt().code() {
                    1 => Method::HEAD,
                    2 => Method::GET,
                    4 => Method::PUT,
                    _ => Method::DELETE,
                };
                let content_type = content_type_text(c.content_type());
                let request = (method, c.url(), c.http_req_header(), Vec::new());
                self.client(request, content_type, &out).await;
            }
            Command::HttpclientPostWrite(c) => {
                let data = c.data().unwrap_or("").as_bytes().to_vec();
                let content_type = content_type_text(c.content_type());
                let request = (Method::POST, c.url(), c.http_req_header(), data);
                self.client(request, content_type, &out).await;
            }
            Command::HttpgetsizeWrite(c) => {
                let Some(url) = self.target(c.url(), &out) else {
                    return;
                };
                let request = self.request(Method::HEAD, url, &[], None, Vec::new());
                match self.fetch(request, c.timeout()).await {
                    Fetched::Ok(response) => {
                        let size = response
                            .header("content-length")
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        let line = ResourceSize { size };
                        out.line(encoded(|o| line.encode(o)));
                        out.ok();
                    }
                    Fetched::Status(code) => self.fail(&out, code),
                    Fetched::Failed => self.fail(&out, HTTP_FAIL),
                }
            }
            Command::HttpcgetWrite(c) => {
                let Some(url) = self.target(c.url(), &out) else {
                    return;
                };
                let request = self.request(Method::GET, url, &[], None, Vec::new());
                let rx_size = usize::from(c.rx_size().unwrap_or(DEFAULT_RX_SIZE).max(1));
                match self.fetch(request, c.timeout()).await {
                    Fetched::Ok(response) => {
                        pieces(&out, &response.body, rx_size, |size| {
                            encoded(|o| GetChunk { size }.encode(o))
                        });
                        out.ok();
                    }
                    Fetched::Status(code) => self.fail(&out, code),
                    Fetched::Failed => self.fail(&out, HTTP_FAIL),
                }
            }
            Command::HttpcpostWrite(c) => {
                let request = (Method::POST, c.url(), c.http_req_header(), c.length());
                self.upload(request, session, |size| {
                    encoded(|o| PostChunk { size }.encode(o))
                })
                .await;
            }
            Command::HttpcputWrite(c) => {
                let request = (Method::PUT, c.url(), c.http_req_header(), c.length());
                self.upload(request, session, |size| {
                    encoded(|o| PutChunk { size }.encode(o))
                })
                .await;
            }
            Command::HttpurlcfgSetWrite(c) => {
                session.input.before_prompt().await;
                out.ok();
                out.raw("\r\n>");
                if let Some(url) = read_upload(session.input, usize::from(c.url_length())).await {
                    self.ram.url = Some(String::from_utf8_lossy(&url).into_owned());
                    out.line("SET OK");
                }
            }
            Command::HttpurlcfgClearWrite(_) => {
                self.ram.url = None;
                out.ok();
            }
            Command::HttpurlcfgRead(_) => {
                if let Some(url) = &self.ram.url {
                    let line = UrlSetting {
                        url_length: url.len() as u16,
                        url: url.clone(),
                    };
                    out.line(encoded(|o| line.encode(o)));
                }
                out.ok();
            }
            Command::HttpcheadAddWrite(c) => {
                session.input.before_prompt().await;
                out.ok();
                out.raw("\r\n>");
                let Some(header) = read_upload(session.input, c.req_header_len() as usize).await
                else {
                    return;
                };
                let header = String::from_utf8_lossy(&header).into_owned();
                let key = |h: &str| {
                    h.split(':')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                };
                let same = self.ram.headers.iter().position(|h| key(h) == key(&header));
                match same {
                    Some(at) => self.ram.headers[at] = header,
                    None if self.ram.headers.len() < MAX_HEADERS => self.ram.headers.push(header),
                    None => return self.fail(&out, EXEC_FAIL),
                }
                out.ok();
            }
            Command::HttpcheadClearWrite(_) => {
                self.ram.headers.clear();
                out.ok();
            }
            Command::HttpcheadRead(_) => {
                for (index, header) in self.ram.headers.iter().enumerate() {
                    let line = StoredHeader {
                        index: index as u32,
                        req_header: header.clone(),
                    };
                    out.line(encoded(|o| line.encode(o)));
                }
                out.ok();
            }
            // TLS authentication is taken as configured: the emulator trusts what
            // `with_tls` trusts.
            Command::HttpcfgWrite(c) if c.auth_mode().is_known() => out.ok(),
            _ => self.fail(&out, PARA_INVALID),
        }
    }

    /// AT+HTTPCLIENT: the body (HEAD: each header line) in pieces, then OK.
    async fn client(
        &self,
        (method, url, headers, data): (Method, &str, &[String], Vec<u8>),
        content_type: String,
        out: &Output,
    ) {
        let Some(url) = self.target(url, out) else {
            return;
        };
        // The examples show a Content-Type on PUT and DELETE too, never on GET or HEAD.
        let content_type =
            (method != Method::GET && method != Method::HEAD).then_some(content_type);
        let head = method == Method::HEAD;
        let request = self.request(method, url, headers, content_type, data);
        if !head {
            let piece = |size| encoded(|o| ClientChunk { size }.encode(o));
            return match self.stream(&request, out, piece, false).await {
                Some(status) if status >= 400 => self.fail(out, HTTP_FAIL + u32::from(status)),
                Some(_) => out.ok(),
                None => self.fail(out, HTTP_FAIL),
            };
        }
        match self.fetch(request, None).await {
            Fetched::Ok(response) => {
                for (name, value) in &response.headers {
                    let line = format!("{name}: {value}");
                    pieces(out, line.as_bytes(), line.len().max(1), |size| {
                        encoded(|o| ClientChunk { size }.encode(o))
                    });
                }
                out.ok();
            }
            Fetched::Status(code) => self.fail(out, code),
            Fetched::Failed => self.fail(out, HTTP_FAIL),
        }
    }

    /// AT+HTTPCPOST, AT+HTTPCPUT: OK, `>`, exactly `length` bytes, the request; the
    /// answer in pieces, then SEND OK. An answer of 400 or more still shows its page but
    /// ends in ERROR (espressif/esp-at issues 827 and 846); no answer is SEND FAIL.
    async fn upload(
        &self,
        (method, url, headers, length): (Method, &str, &[String], u32),
        session: &mut Session<'_>,
        piece: fn(u32) -> Vec<u8>,
    ) {
        let out = session.out.clone();
        let Some(url) = self.target(url, &out) else {
            return;
        };
        // The OK acknowledges the command; a blank line and `>` then ask for the data.
        session.input.before_prompt().await;
        out.ok();
        out.raw("\r\n>");
        let Some(data) = read_upload(session.input, length as usize).await else {
            return;
        };
        let content_type = Some("application/x-www-form-urlencoded".to_owned());
        let request = self.request(method, url, headers, content_type, data);
        match self.stream(&request, &out, piece, true).await {
            Some(status) if status >= 400 => self.fail(&out, HTTP_FAIL + u32::from(status)),
            Some(_) => out.line("SEND OK"),
            None => self.fail_with(&out, HTTP_FAIL, "SEND FAIL"),
        }
    }

    /// Performs `request`, printing the answer body in [`PIECE`]-byte pieces as it
    /// arrives (a 4xx or 5xx page only with `error_pages`); the status, `None` when no
    /// complete answer came (what arrived of a broken one is printed all the same).
    async fn stream(
        &self,
        request: &HttpRequest,
        out: &Output,
        piece: fn(u32) -> Vec<u8>,
        error_pages: bool,
    ) -> Option<u16> {
        let progress = HttpProgress::new();
        let client = self.http_client(None)?.watch(progress.clone());
        let mut sink = Pieces::new(out.clone(), PIECE, piece, progress, error_pages);
        let head = client.send_to(request, &mut sink).await;
        sink.finish();
        head.ok().map(|head| head.status)
    }

    /// The URL a command means: its own, or AT+HTTPURLCFG's for `""`. Without one the
    /// command fails at once (host and path alone are not used, says the manual).
    fn target(&self, url: &str, out: &Output) -> Option<String> {
        let url = if url.is_empty() {
            self.ram.url.clone()
        } else {
            Some(url.to_owned())
        };
        let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        if url.is_none() {
            self.fail(out, PARA_INVALID);
        }
        url
    }

    /// The request with the module's headers: User-Agent, the content type, the
    /// command's headers, then AT+HTTPCHEAD's, which win over any with the same key.
    fn request(
        &self,
        method: Method,
        url: String,
        headers: &[String],
        content_type: Option<String>,
        body: Vec<u8>,
    ) -> HttpRequest {
        let mut set: Vec<(String, String)> = vec![("User-Agent".into(), USER_AGENT.into())];
        if let Some(content_type) = content_type {
            set.push(("Content-Type".into(), content_type));
        }
        for header in headers.iter().chain(&self.ram.headers) {
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
            set.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            set.push((name, value));
        }
        let mut request = HttpRequest::new(method, url).body(body);
        request.headers = set;
        request
    }

    /// Performs `request` over the joined station's link: without one nothing can be
    /// reached.
    async fn fetch(&self, request: HttpRequest, timeout_ms: Option<u32>) -> Fetched {
        let Some(client) = self.http_client(timeout_ms) else {
            return Fetched::Failed;
        };
        match client.send(&request).await {
            Ok(response) if response.status >= 400 => {
                Fetched::Status(HTTP_FAIL + u32::from(response.status))
            }
            Ok(response) => Fetched::Ok(response),
            Err(_) => Fetched::Failed,
        }
    }
}

impl EspAt {
    /// The module's HTTP stack, `None` without a joined station (nothing can be reached).
    fn http_client(&self, timeout_ms: Option<u32>) -> Option<HttpClient> {
        self.ram.joined.as_ref()?;
        let mut client = HttpClient::new();
        if let Some(tls) = &self.tls {
            client = client.with_tls(tls.clone());
        }
        if let Some(ms) = timeout_ms {
            client = client.timeout(Duration::from_millis(u64::from(ms)));
        }
        Some(client)
    }
}

/// The MIME type of AT+HTTPCLIENT's `<content-type>` (the table's meaning).
fn content_type_text(content_type: ContentType) -> String {
    content_type
        .meaning()
        .unwrap_or("application/x-www-form-urlencoded")
        .to_owned()
}

/// `body` as same-line pieces of at most `size` bytes: `<header>,<bytes>`.
fn pieces(out: &Output, body: &[u8], size: usize, header: fn(u32) -> Vec<u8>) {
    for chunk in body.chunks(size) {
        let mut line = header(chunk.len() as u32);
        line.push(b',');
        line.extend_from_slice(chunk);
        out.line(line);
    }
}

/// Exactly `len` bytes sent after a `>` prompt.
async fn read_upload(input: &mut Input, len: usize) -> Option<Vec<u8>> {
    input.read_exact(len).await
}
