//! SIMCom SIM800: bearer (AT+SAPBR) and HTTP (AT+HTTP*), performing each request
//! for real against whatever server the URL names.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use atspec_common::Command as Basic;
use atspec_sim800::Command;
use atspec_sim800::bearer::{BearerStatus, SapbrStatus};
use atspec_sim800::http::{HttpAction, HttpMethod, HttpStatus, HttpreadData};

use crate::client::http::{HttpClient, HttpRequest};
use crate::modem::{Behaviour, Output, Session};
use hyper::Method;

/// The SIM800 emulator's state.
#[derive(Default)]
pub struct Sim800 {
    bearer_open: BTreeMap<u8, bool>,
    apn: BTreeMap<u8, String>,
    http: Option<HttpSession>,
}

/// An HTTP session between AT+HTTPINIT and AT+HTTPTERM.
#[derive(Default)]
struct HttpSession {
    cid: Option<u8>,
    url: Option<String>,
    content_type: Option<String>,
    user_data: Option<String>,
    break_start: u32,
    break_end: u32,
    post_body: Vec<u8>,
    /// The last response body, shared with the task performing the request.
    body: Arc<Mutex<Vec<u8>>>,
}

impl Sim800 {
    /// A module just powered on: no bearer, no HTTP session.
    pub fn new() -> Self {
        Self::default()
    }

    fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        line(&mut out);
        out
    }
}

impl Behaviour for Sim800 {
    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        if let Ok(basic) = Basic::parse(line) {
            match basic {
                Basic::E(e) => {
                    *session.echo = e.value().code() == 1;
                    out.ok();
                }
                _ => out.ok(),
            }
            return;
        }
        let Ok(command) = Command::parse(line) else {
            out.error();
            return;
        };
        match command {
            Command::SapbrSetContype(_) | Command::SapbrSetUser(_) | Command::SapbrSetPwd(_) => {
                out.ok()
            }
            Command::SapbrSetApn(c) => {
                self.apn.insert(c.cid(), c.apn().to_owned());
                out.ok();
            }
            Command::SapbrOpen(c) => {
                self.bearer_open.insert(c.cid(), true);
                out.ok();
            }
            Command::SapbrClose(c) => {
                self.bearer_open.insert(c.cid(), false);
                out.ok();
            }
            Command::SapbrQuery(c) => {
                let open = self.bearer_open.get(&c.cid()).copied().unwrap_or(false);
                let status = SapbrStatus {
                    cid: c.cid(),
                    status: if open {
                        BearerStatus::Connected
                    } else {
                        BearerStatus::Closed
                    },
                    ip_addr: if open {
                        "10.0.0.2".to_owned()
                    } else {
                        "0.0.0.0".to_owned()
                    },
                };
                out.line(Self::encode(|o| status.encode(o)));
                out.ok();
            }
            Command::Httpinit(_) if self.http.is_none() => {
                self.http = Some(HttpSession::default());
                out.ok();
            }
            Command::Httpterm(_) if self.http.take().is_some() => out.ok(),
            other => match self.http.as_mut() {
                Some(http) => http_command(http, &self.bearer_open, other, session).await,
                // HTTP commands need AT+HTTPINIT first.
                None => out.error(),
            },
        }
    }
}

async fn http_command(
    http: &mut HttpSession,
    bearers: &BTreeMap<u8, bool>,
    command: Command,
    session: &mut Session<'_>,
) {
    let out = session.out.clone();
    match command {
        Command::HttpparaCid(c) => {
            http.cid = Some(c.cid());
            out.ok();
        }
        Command::HttpparaUrl(c) => {
            let url = c.url();
            http.url = Some(if url.contains("://") {
                url.to_owned()
            } else {
                format!("http://{url}")
            });
            out.ok();
        }
        Command::HttpparaContent(c) => {
            http.content_type = Some(c.content().to_owned());
            out.ok();
        }
        Command::HttpparaUserdata(c) => {
            http.user_data = Some(c.userdata().to_owned());
            out.ok();
        }
        Command::HttpparaBreakStart(c) => {
            http.break_start = c.offset();
            out.ok();
        }
        Command::HttpparaBreakEnd(c) => {
            http.break_end = c.end_offset();
            out.ok();
        }
        Command::HttpparaUa(_)
        | Command::HttpparaTimeout(_)
        | Command::HttpparaRedir(_)
        | Command::HttpparaProip(_)
        | Command::HttpparaProport(_) => out.ok(),
        Command::Httpdata(c) => {
            out.line("DOWNLOAD");
            // The host gone mid-upload leaves nothing to answer.
            if let Some(data) = session.input.read_exact(c.size() as usize).await {
                http.post_body = data;
                out.ok();
            }
        }
        Command::Httpaction(c) => {
            let bearer_up = http
                .cid
                .is_some_and(|cid| bearers.get(&cid).copied().unwrap_or(false));
            let Some(url) = http.url.clone().filter(|_| bearer_up) else {
                out.error();
                return;
            };
            out.ok();
            let request = build_request(http, c.method(), url);
            tokio::spawn(perform(request, c.method(), http.body.clone(), out));
        }
        Command::HttpreadExec(_) => {
            let body = http.body.lock().map(|b| b.clone()).unwrap_or_default();
            send_body(&out, &body);
        }
        Command::Httpread(c) => {
            let body = http.body.lock().map(|b| b.clone()).unwrap_or_default();
            let start = (c.start_address() as usize).min(body.len());
            let end = start.saturating_add(c.byte_size() as usize).min(body.len());
            send_body(&out, &body[start..end]);
        }
        _ => out.error(),
    }
}

fn send_body(out: &Output, body: &[u8]) {
    let header = HttpreadData {
        data_len: body.len() as u32,
    };
    out.line(Sim800::encode(|o| header.encode(o)));
    out.raw(body);
    out.ok();
}

fn build_request(http: &HttpSession, method: HttpMethod, url: String) -> HttpRequest {
    let verb = match method.code() {
        1 => Method::POST,
        2 => Method::HEAD,
        _ => Method::GET,
    };
    let mut request = HttpRequest::new(verb, url);
    if let Some(content) = &http.content_type {
        request = request.header("Content-Type", content);
    }
    if let Some((name, value)) = http.user_data.as_deref().and_then(|u| u.split_once(':')) {
        request = request.header(name.trim(), value.trim());
    }
    if method.code() == 0 && (http.break_start > 0 || http.break_end > 0) {
        let range = if http.break_end > http.break_start {
            format!("bytes={}-{}", http.break_start, http.break_end)
        } else {
            format!("bytes={}-", http.break_start)
        };
        request = request.header("Range", range);
    }
    if method.code() == 1 {
        request = request.body(http.post_body.clone());
    }
    request
}

/// Performs the request and reports it the way the module does: a URC.
async fn perform(
    request: HttpRequest,
    method: HttpMethod,
    store: Arc<Mutex<Vec<u8>>>,
    out: Output,
) {
    let (status, body) = match HttpClient::new().send(&request).await {
        Ok(response) => (response.status, response.body.to_vec()),
        // Module-specific 601: network error.
        Err(_) => (601, Vec::new()),
    };
    let len = if method.code() == 2 {
        0
    } else {
        body.len() as u32
    };
    if let Ok(mut stored) = store.lock() {
        *stored = body;
    }
    let urc = HttpAction {
        method,
        status_code: HttpStatus::from_code(status),
        data_len: len,
    };
    out.line(Sim800::encode(|o| urc.encode(o)));
}
