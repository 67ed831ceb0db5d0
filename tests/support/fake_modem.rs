//! A stand-in for the made-up modem of `specs/fixture-tasks`, for
//! `tests/fixture_tasks.rs`: it reads the command lines the client sends, keeps the
//! state they change (registration, link, HTTP session, URL, TLS, headers, range,
//! uploaded body, the last answer) and answers as the spec says. No HTTP server is
//! behind it; the answers come from made-up URLs:
//!
//! - `/bytes/<n>`: `n` bytes of [`payload`]`(n)`, status 200 (206 from an offset);
//! - `/status/404`: status 404 with the body `not found`;
//! - `/echo`: the uploaded request body back, status 200;
//! - any path on the host `refused.invalid`: the request fails with code 702;
//! - an `https://` URL with TLS off, or `http://` with TLS on: code 703.
//!
//! It is a test double, not an emulator: it knows only what the fixture's tasks send.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// Deterministic body bytes: every byte value occurs, and a shifted or truncated
/// body never equals the original.
pub fn payload(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 8)) as u8)
        .collect()
}

/// How the fake writes its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Each answer in one write.
    Whole,
    /// One byte per write, with a yield after each, so the client reads them apart.
    Bytes,
}

/// The fake modem's starting state.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// How answers reach the wire.
    pub delivery: Delivery,
    /// `AT+XNETREG?` answers "searching" this many times before "registered";
    /// `None`: never registered.
    pub searching_rounds: Option<u32>,
    /// The data link is up from the start.
    pub link_up: bool,
    /// `AT+XNETUP` fails with `+XNETUP: 2` (user or password refused).
    pub refuse_auth: bool,
    /// An HTTP session an earlier run left open.
    pub stale_session: bool,
}

impl Setup {
    /// Registered at once, link down, no session open.
    pub fn new(delivery: Delivery) -> Self {
        Self {
            delivery,
            searching_rounds: Some(0),
            link_up: false,
            refuse_auth: false,
            stale_session: false,
        }
    }

    /// Registered and the link up: ready for HTTP.
    pub fn online(delivery: Delivery) -> Self {
        Self {
            link_up: true,
            ..Self::new(delivery)
        }
    }
}

/// What the fake saw: every command line (without CR) and every upload.
#[derive(Debug, Clone, Default)]
pub struct Log(Arc<Mutex<Seen>>);

#[derive(Debug, Default)]
struct Seen {
    commands: Vec<String>,
    uploads: Vec<Vec<u8>>,
}

impl Log {
    /// The command lines received so far, and forgets them.
    pub fn take_commands(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap().commands)
    }

    /// The uploads received so far, and forgets them.
    pub fn take_uploads(&self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.0.lock().unwrap().uploads)
    }
}

/// A fixture modem client on one end of a pipe, the fake on the other.
pub fn start(setup: Setup) -> (atspec_fixture_tasks::Modem, Log) {
    let (host, device) = tokio::io::duplex(4096);
    let log = Log::default();
    let fake = Fake {
        io: device,
        input: Vec::new(),
        setup,
        log: log.clone(),
        state: State {
            searching_left: setup.searching_rounds,
            link_up: setup.link_up,
            session: setup.stale_session,
            ..State::default()
        },
    };
    tokio::spawn(fake.serve());
    (atspec_fixture_tasks::Modem::new(host), log)
}

#[derive(Debug, Default)]
struct State {
    searching_left: Option<u32>,
    link_up: bool,
    session: bool,
    url: String,
    tls: bool,
    headers: Vec<String>,
    range: usize,
    upload: Vec<u8>,
    answer: Vec<u8>,
}

struct Fake {
    io: DuplexStream,
    input: Vec<u8>,
    setup: Setup,
    log: Log,
    state: State,
}

/// What one command line makes the fake do.
enum Action {
    /// Write this answer, then (if any) this URC.
    Reply(String, Option<String>),
    /// Prompt, read this many bytes, answer OK.
    Upload(usize),
    /// Answer with a payload line and its bytes.
    Piece(Vec<u8>),
}

const OK: &str = "\r\nOK\r\n";

fn err(code: u8) -> Action {
    Action::Reply(format!("\r\n+XERR: {code}\r\n"), None)
}

fn ok() -> Action {
    Action::Reply(OK.to_owned(), None)
}

/// The parameters of a write form, quotes removed (the fixture's strings hold no
/// quote or comma but header lines, which hold no comma either).
fn params(text: &str) -> Vec<String> {
    text.split(',')
        .map(|p| p.trim_matches('"').to_owned())
        .collect()
}

impl Fake {
    async fn serve(mut self) {
        while let Some(line) = self.line().await {
            self.log.0.lock().unwrap().commands.push(line.clone());
            match self.act(&line) {
                Action::Reply(answer, urc) => {
                    self.write(answer.as_bytes()).await;
                    if let Some(urc) = urc {
                        self.write(urc.as_bytes()).await;
                    }
                }
                Action::Upload(len) => {
                    self.write(b"\r\n>").await;
                    let Some(data) = self.exact(len).await else {
                        return;
                    };
                    self.log.0.lock().unwrap().uploads.push(data.clone());
                    self.state.upload = data;
                    self.write(OK.as_bytes()).await;
                }
                Action::Piece(bytes) => {
                    let mut out = format!("\r\n+XHTTPREAD: {}\r\n", bytes.len()).into_bytes();
                    out.extend_from_slice(&bytes);
                    out.extend_from_slice(OK.as_bytes());
                    self.write(&out).await;
                }
            }
        }
    }

    fn act(&mut self, line: &str) -> Action {
        let s = &mut self.state;
        let (name, args) = match line.split_once('=') {
            Some((name, args)) => (name, params(args)),
            None => (line, Vec::new()),
        };
        let session_command = name.starts_with("AT+XHTTP") && name != "AT+XHTTPOPEN";
        if session_command && !s.session {
            return err(4);
        }
        match name {
            "AT" => ok(),
            "AT+XNETREG?" => {
                let stat = match &mut s.searching_left {
                    Some(0) => 1,
                    Some(left) => {
                        *left -= 1;
                        0
                    }
                    None => 0,
                };
                Action::Reply(format!("\r\n+XNETREG: {stat}\r\n{OK}"), None)
            }
            "AT+XNETAPN" | "AT+XNETAUTH" => ok(),
            "AT+XNETUP" if self.setup.refuse_auth => {
                Action::Reply(OK.to_owned(), Some("\r\n+XNETUP: 2\r\n".to_owned()))
            }
            "AT+XNETUP" => {
                s.link_up = true;
                Action::Reply(OK.to_owned(), Some("\r\n+XNETUP: 0\r\n".to_owned()))
            }
            "AT+XNETDOWN" if !s.link_up => err(5),
            "AT+XNETDOWN" => {
                s.link_up = false;
                ok()
            }
            "AT+XNETSTAT?" => {
                let (state, address) = if s.link_up { (1, "10.0.0.2") } else { (0, "") };
                Action::Reply(
                    format!("\r\n+XNETSTAT: {state},\"{address}\"\r\n{OK}"),
                    None,
                )
            }
            "AT+XHTTPOPEN" if s.session => err(3),
            "AT+XHTTPOPEN" => {
                *s = State {
                    session: true,
                    searching_left: s.searching_left,
                    link_up: s.link_up,
                    ..State::default()
                };
                ok()
            }
            "AT+XHTTPCLOSE" => {
                s.session = false;
                ok()
            }
            "AT+XHTTPURL" => {
                s.url = args[0].clone();
                ok()
            }
            "AT+XHTTPTLS" => {
                s.tls = args[0] == "1";
                ok()
            }
            "AT+XHTTPHDR" => {
                let count: usize = args[0].parse().unwrap_or(usize::MAX);
                s.headers = args[1..].to_vec();
                if count == s.headers.len() {
                    ok()
                } else {
                    err(2)
                }
            }
            "AT+XHTTPRANGE" => {
                s.range = args[0].parse().unwrap_or(0);
                ok()
            }
            "AT+XHTTPBODY" => match args[0].parse() {
                Ok(len @ 1..=4096) => Action::Upload(len),
                _ => err(2),
            },
            "AT+XHTTPREQ" if !s.link_up => err(5),
            "AT+XHTTPREQ" => {
                let (status, body) = s.request(&args[0]);
                s.answer = body;
                let urc = format!("\r\n+XHTTPREQ: {status},{}\r\n", s.answer.len());
                Action::Reply(OK.to_owned(), Some(urc))
            }
            "AT+XHTTPREAD" => {
                let offset: usize = args[0].parse().unwrap_or(usize::MAX);
                let len: usize = args[1].parse().unwrap_or(0);
                match s.answer.get(offset..) {
                    Some(rest) if (1..=512).contains(&len) => {
                        Action::Piece(rest[..len.min(rest.len())].to_vec())
                    }
                    _ => err(2),
                }
            }
            _ => err(1),
        }
    }

    async fn line(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.input.iter().position(|&b| b == b'\r') {
                let line: Vec<u8> = self.input.drain(..=end).collect();
                return Some(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            self.fill().await?;
        }
    }

    async fn exact(&mut self, len: usize) -> Option<Vec<u8>> {
        while self.input.len() < len {
            self.fill().await?;
        }
        Some(self.input.drain(..len).collect())
    }

    async fn fill(&mut self) -> Option<()> {
        let mut buf = [0u8; 512];
        match self.io.read(&mut buf).await {
            Ok(0) | Err(_) => None,
            Ok(n) => {
                self.input.extend_from_slice(&buf[..n]);
                Some(())
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) {
        // A write fails only once the client is gone, and then nobody listens.
        match self.setup.delivery {
            Delivery::Whole => {
                let _ = self.io.write_all(bytes).await;
            }
            Delivery::Bytes => {
                for byte in bytes {
                    let _ = self.io.write_all(std::slice::from_ref(byte)).await;
                    tokio::task::yield_now().await;
                }
            }
        }
    }
}

impl State {
    /// The status (or failure code) and body of a request by method code.
    fn request(&self, method: &str) -> (u16, Vec<u8>) {
        let (scheme, rest) = self.url.split_once("://").unwrap_or(("", ""));
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host == "refused.invalid" {
            return (702, Vec::new());
        }
        if (scheme == "https") != self.tls {
            return (703, Vec::new());
        }
        let (status, body) = match path.split('/').collect::<Vec<_>>().as_slice() {
            ["bytes", n] => match n.parse::<usize>() {
                Ok(n) => {
                    let body = payload(n);
                    let from = self.range.min(body.len());
                    let status = if self.range > 0 { 206 } else { 200 };
                    (status, body[from..].to_vec())
                }
                Err(_) => (404, b"not found".to_vec()),
            },
            ["echo"] => (200, self.upload.clone()),
            _ => (404, b"not found".to_vec()),
        };
        match method {
            "2" => (status, Vec::new()),
            _ => (status, body),
        }
    }
}
