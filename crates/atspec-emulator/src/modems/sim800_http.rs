//! The SIM800 HTTP service (AT+HTTPPARA, HTTPDATA, HTTPACTION, HTTPREAD, HTTPHEAD, HTTPSTATUS)
//! between AT+HTTPINIT and AT+HTTPTERM, each request performed for real against the server
//! the URL (or the proxy of "PROIP"/"PROPORT") names.
//!
//! Choices where the manuals are silent, each documented at its place: the redirect limit
//! with "REDIR" 1, the proxy port when only "PROIP" is set, what a response cut off
//! midway reports, the answer to an AT+HTTPACTION while one runs, the form of the
//! AT+HTTPHEAD block, and a request still running at AT+HTTPTERM (ended with the session).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use atspec_sim800::Command;
use atspec_sim800::http::{
    HttpActionUrc, HttpMethod, HttpMethodName, HttpStatusOrHttpFailure, HttpTransferState,
    HttpheadData, HttpreadData, HttpstatusState,
};
use hyper::Method;

use crate::client::http::{HttpClient, HttpErrorKind, HttpProgress, HttpRequest};
use crate::modem::{Output, Session};

/// Redirects followed with "REDIR" 1. The manuals give no limit; 10 is a common client
/// default and ends redirect loops.
pub const MAX_FOLLOWED_REDIRECTS: u32 = 10;

/// The proxy port when "PROIP" is set without "PROPORT": the port of the application
/// note's 3.5 example (the manuals state no default).
const DEFAULT_PROXY_PORT: u16 = 80;

/// "TIMEOUT" when not set: the AT manual's default (120 s).
const DEFAULT_TIMEOUT_S: u16 = 120;

/// Module-specific +HTTPACTION status 601, "Network Error" (AT manual 11.2.5).
const NETWORK_ERROR: u16 = 601;

/// Module-specific +HTTPACTION status 603, "DNS Error" (AT manual 11.2.5): the URL's
/// host does not resolve.
const DNS_ERROR: u16 = 603;

/// An HTTP session between AT+HTTPINIT and AT+HTTPTERM.
pub(super) struct HttpSession {
    cid: Option<u8>,
    url: Option<String>,
    user_agent: String,
    content_type: Option<String>,
    user_data: Option<String>,
    proxy_ip: Option<String>,
    proxy_port: u16,
    follow_redirects: bool,
    timeout_s: u16,
    break_start: u32,
    break_end: u32,
    post_body: Vec<u8>,
    /// The last response body, shared with the task performing the request.
    body: Arc<Mutex<Vec<u8>>>,
    /// The header block of the last GET's response, for AT+HTTPHEAD; `None` before
    /// one has completed with an answer.
    head: Arc<Mutex<Option<Vec<u8>>>>,
    /// The request running or last run, for AT+HTTPSTATUS?.
    activity: Arc<Mutex<Activity>>,
    /// Pacing of the module's connections (bytes per second), `None` for none.
    link_rate: Option<u64>,
    /// The request running in the background, if any.
    job: Option<tokio::task::JoinHandle<()>>,
}

/// AT+HTTPTERM ends the service. The manuals do not say what becomes of a request still
/// running; the emulator ends it with the service, so a terminated session reports no
/// `+HTTPACTION` that a later session could take for its own.
impl Drop for HttpSession {
    fn drop(&mut self) {
        if let Some(job) = self.job.take() {
            job.abort();
        }
    }
}

/// What AT+HTTPSTATUS? reports on.
struct Activity {
    method: HttpMethodName,
    running: bool,
    progress: Arc<HttpProgress>,
}

impl HttpSession {
    /// A fresh session (AT+HTTPINIT): the manual's defaults.
    pub(super) fn new(link_rate: Option<u64>) -> Self {
        Self {
            cid: None,
            url: None,
            user_agent: "SIMCom_MODULE".to_owned(),
            content_type: None,
            user_data: None,
            proxy_ip: None,
            proxy_port: DEFAULT_PROXY_PORT,
            follow_redirects: false,
            timeout_s: DEFAULT_TIMEOUT_S,
            break_start: 0,
            break_end: 0,
            post_body: Vec::new(),
            body: Arc::default(),
            head: Arc::default(),
            activity: Arc::new(Mutex::new(Activity {
                method: HttpMethodName::Get,
                running: false,
                progress: HttpProgress::new(),
            })),
            link_rate,
            job: None,
        }
    }

    /// Handles one HTTP command of this session.
    pub(super) async fn command(
        &mut self,
        bearers: &BTreeMap<u8, bool>,
        command: Command,
        session: &mut Session<'_>,
    ) {
        let out = session.out.clone();
        match command {
            Command::HttpparaCidWrite(c) => self.cid = Some(c.cid()),
            Command::HttpparaUrlWrite(c) => {
                let url = c.url();
                self.url = Some(if url.contains("://") {
                    url.to_owned()
                } else {
                    format!("http://{url}")
                });
            }
            Command::HttpparaUaWrite(c) => self.user_agent = c.ua().to_owned(),
            Command::HttpparaContentWrite(c) => self.content_type = Some(c.content().to_owned()),
            Command::HttpparaUserdataWrite(c) => self.user_data = Some(c.userdata().to_owned()),
            Command::HttpparaBreakStartWrite(c) => self.break_start = c.offset(),
            Command::HttpparaBreakEndWrite(c) => self.break_end = c.end_offset(),
            Command::HttpparaRedirWrite(c) => self.follow_redirects = c.redir() == 1,
            Command::HttpparaTimeoutWrite(c) => self.timeout_s = c.timeout(),
            // An empty address turns the proxy off.
            Command::HttpparaProipWrite(c) => {
                self.proxy_ip = Some(c.proip().to_owned()).filter(|ip| !ip.is_empty());
            }
            Command::HttpparaProportWrite(c) => self.proxy_port = c.proport(),
            Command::HttpdataWrite(c) => {
                session.input.before_prompt().await;
                out.line("DOWNLOAD");
                // The host gone mid-upload leaves nothing to answer.
                if let Some(data) = session.input.read_exact(c.size() as usize).await {
                    self.post_body = data;
                    out.ok();
                }
                return;
            }
            Command::HttpactionWrite(c) => {
                self.action(bearers, c.method(), &out);
                return;
            }
            Command::HttpreadExec(_) => {
                let body = lock(&self.body).clone();
                send_body(&out, &body);
                return;
            }
            // The manual (11.2.9): the header data is available after
            // AT+HTTPACTION=0. Before a GET has answered, while a request runs, or
            // after another method, there is none, and the command is refused.
            Command::HttpheadExec(_) => {
                let running = lock(&self.activity).running;
                match lock(&self.head).as_deref() {
                    Some(block) if !running => send_payload(&out, head_line(block), block),
                    _ => out.error(),
                }
                return;
            }
            Command::HttpheadTest(_) => {}
            Command::HttpreadWrite(c) => {
                let body = lock(&self.body);
                let start = (c.start_address() as usize).min(body.len());
                let end = start.saturating_add(c.byte_size() as usize).min(body.len());
                send_body(&out, &body[start..end]);
                return;
            }
            Command::HttpstatusRead(_) => {
                let mut line = Vec::new();
                status_now(&lock(&self.activity)).encode(&mut line);
                out.line(line);
            }
            Command::HttpstatusTest(_) => {}
            _ => {
                out.error();
                return;
            }
        }
        out.ok();
    }

    /// AT+HTTPACTION: OK, then the request runs in a task that reports `+HTTPACTION`.
    fn action(&mut self, bearers: &BTreeMap<u8, bool>, method: HttpMethod, out: &Output) {
        let bearer_up = self
            .cid
            .is_some_and(|cid| bearers.get(&cid).copied().unwrap_or(false));
        let Some(url) = self.url.clone().filter(|_| bearer_up) else {
            out.error();
            return;
        };
        let progress = HttpProgress::new();
        {
            let mut activity = lock(&self.activity);
            // The manuals do not say what a second action during a running one answers;
            // the module's stack is busy with the first, so it is refused.
            if activity.running {
                out.error();
                return;
            }
            *activity = Activity {
                method: method_name(&method),
                running: true,
                progress: progress.clone(),
            };
        }
        out.ok();
        let mut client = HttpClient::new()
            .watch(progress.clone())
            .timeout(Duration::from_secs(u64::from(self.timeout_s)));
        if self.follow_redirects {
            client = client.follow_redirects(MAX_FOLLOWED_REDIRECTS);
        }
        if let Some(ip) = &self.proxy_ip {
            client = client.via_proxy(ip.clone(), self.proxy_port);
        }
        if let Some(rate) = self.link_rate {
            client = client.link_rate(rate);
        }
        let request = self.build_request(&method, url);
        *lock(&self.head) = None;
        let job = Job {
            client,
            request,
            method,
            progress,
            store: self.body.clone(),
            head: self.head.clone(),
            activity: self.activity.clone(),
            out: out.clone(),
        };
        self.job = Some(tokio::spawn(job.run()));
    }

    fn build_request(&self, method: &HttpMethod, url: String) -> HttpRequest {
        let verb = match method.code() {
            1 => Method::POST,
            2 => Method::HEAD,
            _ => Method::GET,
        };
        let mut request = HttpRequest::new(verb, url).header("User-Agent", &self.user_agent);
        if let Some(content) = &self.content_type {
            request = request.header("Content-Type", content);
        }
        if let Some((name, value)) = self.user_data.as_deref().and_then(|u| u.split_once(':')) {
            request = request.header(name.trim(), value.trim());
        }
        // BREAK/BREAKEND (AT manual 11.2.3): BREAKEND above BREAK asks for BREAK..BREAKEND,
        // below it BREAK..end of file; both 0 turn resuming off.
        if method.code() == 0 && (self.break_start > 0 || self.break_end > 0) {
            let range = if self.break_end > self.break_start {
                format!("bytes={}-{}", self.break_start, self.break_end)
            } else {
                format!("bytes={}-", self.break_start)
            };
            request = request.header("Range", range);
        }
        if method.code() == 1 {
            request = request.body(self.post_body.clone());
        }
        request
    }
}

/// One request performed in the background.
struct Job {
    client: HttpClient,
    request: HttpRequest,
    method: HttpMethod,
    progress: Arc<HttpProgress>,
    store: Arc<Mutex<Vec<u8>>>,
    head: Arc<Mutex<Option<Vec<u8>>>>,
    activity: Arc<Mutex<Activity>>,
    out: Output,
}

impl Job {
    /// Performs the request and reports it the way the module does: a URC.
    ///
    /// A host that does not resolve is 603 (DNS Error) with no data.
    ///
    /// A response cut off midway (fewer body bytes than its `Content-Length` before the
    /// connection closed): neither manual says what the module reports. The emulator
    /// reports 601 (Network Error, the manual's code for a failed network exchange) with
    /// `<DataLen>` the bytes that did arrive; AT+HTTPREAD returns them, so the host can
    /// resume from there with "BREAK" (application note 3.7).
    async fn run(self) {
        let mut body = Vec::new();
        let (status, len) = match self.client.send_to(&self.request, &mut body).await {
            Ok(head) => {
                if self.method.code() == 0 {
                    *lock(&self.head) = Some(header_block(head.status, &head.headers));
                }
                (head.status, body.len())
            }
            Err(e) if e.kind() == HttpErrorKind::Dns => (DNS_ERROR, 0),
            Err(_) if self.progress.snapshot().status != 0 => (NETWORK_ERROR, body.len()),
            Err(_) => {
                body.clear();
                (NETWORK_ERROR, 0)
            }
        };
        let data_len = if self.method.code() == 2 { 0 } else { len };
        *lock(&self.store) = body;
        let urc = HttpActionUrc {
            method: self.method,
            status_code: HttpStatusOrHttpFailure::from_code(status),
            data_len: u32::try_from(data_len).unwrap_or(u32::MAX),
        };
        // The session is idle again when its result is out, not before.
        let mut activity = lock(&self.activity);
        let mut line = Vec::new();
        urc.encode(&mut line);
        self.out.line(line);
        activity.running = false;
    }
}

/// The AT+HTTPSTATUS? line (AT manual 11.2.8): receiving (1) or sending (2) with the
/// bytes done and left while a request runs, `<mode>,0,0,0` once it is over (as the
/// application note's 3.8 shows).
fn status_now(activity: &Activity) -> HttpstatusState {
    let p = activity.progress.snapshot();
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let (status, finish, remain) = if !activity.running {
        (HttpTransferState::Idle, 0, 0)
    } else if p.status == 0 && p.sent < p.to_send {
        let left = p.to_send - p.sent;
        (HttpTransferState::Sending, p.sent, left)
    } else {
        let left = p.expected.saturating_sub(p.received);
        (HttpTransferState::Receiving, p.received, left)
    };
    HttpstatusState {
        mode: activity.method.clone(),
        status,
        finish: clamp(finish),
        remain: clamp(remain),
    }
}

fn method_name(method: &HttpMethod) -> HttpMethodName {
    match method.code() {
        1 => HttpMethodName::Post,
        2 => HttpMethodName::Head,
        _ => HttpMethodName::Get,
    }
}

fn send_body(out: &Output, body: &[u8]) {
    let header = HttpreadData {
        data_len: u32::try_from(body.len()).unwrap_or(u32::MAX),
    };
    let mut line = Vec::new();
    header.encode(&mut line);
    send_payload(out, line, body);
}

/// The `+HTTPHEAD: <data_len>` line announcing `block`.
fn head_line(block: &[u8]) -> Vec<u8> {
    let header = HttpheadData {
        data_len: u32::try_from(block.len()).unwrap_or(u32::MAX),
    };
    let mut line = Vec::new();
    header.encode(&mut line);
    line
}

/// An announcing line, the payload it announces, and OK.
fn send_payload(out: &Output, line: Vec<u8>, payload: &[u8]) {
    out.line(line);
    out.raw(payload);
    out.ok();
}

/// The AT+HTTPHEAD data: the manual (11.2.9) gives its length and no example. The
/// emulator sends the status line and the header lines as HTTP/1.1 writes them,
/// each ending in CR LF (UNCONFIRMED: modules are reported to send the block so).
fn header_block(status: u16, headers: &[(String, String)]) -> Vec<u8> {
    let reason = hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut block = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        block.push_str(name);
        block.push_str(": ");
        block.push_str(value);
        block.push_str("\r\n");
    }
    block.into_bytes()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
