//! Espressif ESP-AT: the system commands (AT, ATE, AT+RST, AT+RESTORE, AT+GMR, AT+CMD?,
//! AT+SYSMSG, AT+SYSLOG), the Wi-Fi station (AT+CWMODE, AT+CWJAP) against one emulated
//! access point, and the HTTP client (AT+HTTP*), performing each request for real against
//! whatever server the URL names; and the status queries host libraries send before
//! HTTP (AT+CWSTATE?, AT+CIPSTA?, AT+CIFSR, AT+CIPMUX, AT+CIPSTATE?, AT+CIPSSLCCONF?, in
//! `status`). Everything else, the TCP/IP connection commands (AT+CIPSTART, AT+CIPSEND)
//! included, gets `ERROR`.
//!
//! Failures end in `ERROR` (or `SEND FAIL`), preceded while AT+SYSLOG=1 by the
//! `ERR CODE:0x%08x` line of the spec's err_code table: for HTTP 0x010a7000 plus the
//! server's status, 0x010a7000 alone when no answer came.

use std::sync::Arc;
use std::time::Duration;

use atspec_common::Command as Basic;
use atspec_esp_at::Command;
use atspec_esp_at::basic::{
    CommandEntry, CommandSupport, ErrCode, ReadyUrc, SyslogSetting, SyslogStatus, SysmsgState,
    VersionInfo,
};
use atspec_esp_at::wifi::{
    Connection, CwjapError, JoinError, ModeSetting, ScanMode, WifiMode, WifiState,
    WifiStateChangeUrc,
};
use rustls::ClientConfig;

use crate::modem::{Behaviour, Output, Session};

mod http;
mod status;
mod stream;

/// The access point [`EspAt::new`] emulates: the manual's example SSID and password.
pub const DEFAULT_SSID: &str = "espressif";
/// The password of [`DEFAULT_SSID`].
pub const DEFAULT_PASSWORD: &str = "1234567890";

/// How long a restart keeps the module silent before `ready`.
const RESTART: Duration = Duration::from_millis(20);
/// The emulated access point's BSSID.
const BSSID: &str = "18:fe:34:00:00:01";

/// ERR CODE subcategories (bits 23-16) of the spec's err_code table.
const NO_AT: u32 = 0x0103_0000;
const PARSE_FAIL: u32 = 0x0108_0000;
const PARA_INVALID: u32 = 0x0107_0000;
const UNSUPPORTED: u32 = 0x0109_0000;
const EXEC_FAIL: u32 = 0x010a_0000;
const WRONG_OPERATION: u32 = 0x010c_0000;

/// The commands this emulator has, as AT+CMD? lists them: name and whether the test,
/// query, set and execute forms exist (no test form is emulated).
const COMMANDS: &[(&str, [u8; 4])] = &[
    ("AT", [0, 0, 0, 1]),
    ("ATE", [0, 0, 0, 1]),
    ("AT+RST", [0, 0, 1, 1]),
    ("AT+GMR", [0, 0, 0, 1]),
    ("AT+CMD", [0, 1, 0, 0]),
    ("AT+RESTORE", [0, 0, 0, 1]),
    ("AT+SYSMSG", [0, 1, 1, 0]),
    ("AT+SYSLOG", [0, 1, 1, 0]),
    ("AT+CWMODE", [0, 1, 1, 0]),
    ("AT+CWJAP", [0, 1, 1, 1]),
    ("AT+HTTPCLIENT", [0, 0, 1, 0]),
    ("AT+HTTPGETSIZE", [0, 0, 1, 0]),
    ("AT+HTTPCGET", [0, 0, 1, 0]),
    ("AT+HTTPCPOST", [0, 0, 1, 0]),
    ("AT+HTTPCPUT", [0, 0, 1, 0]),
    ("AT+HTTPURLCFG", [0, 1, 1, 0]),
    ("AT+HTTPCHEAD", [0, 1, 1, 0]),
    ("AT+HTTPCFG", [0, 0, 1, 0]),
    ("AT+CWSTATE", [0, 1, 0, 0]),
    ("AT+CIPSTA", [0, 1, 0, 0]),
    ("AT+CIFSR", [0, 0, 0, 1]),
    ("AT+CIPMUX", [0, 1, 1, 0]),
    ("AT+CIPSTATE", [0, 1, 0, 0]),
    ("AT+CIPSSLCCONF", [0, 1, 0, 0]),
];

/// The ESP-AT emulator: one access point to join, the module's settings and its HTTP
/// client state.
pub struct EspAt {
    ssid: String,
    password: String,
    tls: Option<Arc<ClientConfig>>,
    flash: Flash,
    ram: Ram,
}

/// What survives AT+RST (the settings kept in flash); AT+RESTORE resets it.
struct Flash {
    mode: u8,
    auto_connect: bool,
    syslog: bool,
    sysmsg: u32,
    /// The access point last joined: SSID and password.
    saved: Option<(String, String)>,
}

impl Default for Flash {
    fn default() -> Self {
        Self {
            // Station mode; the factory default is not documented.
            mode: 1,
            auto_connect: true,
            // The examples imply the error log is off by default.
            syslog: false,
            sysmsg: 0,
            saved: None,
        }
    }
}

/// What a restart loses.
#[derive(Default)]
struct Ram {
    /// The SSID of the joined access point.
    joined: Option<String>,
    /// The SSID the station last tried to join (AT+CWSTATE? reports it once the
    /// connection is gone).
    last_attempt: Option<String>,
    /// AT+CIPMUX=1.
    multiple_connections: bool,
    /// AT+HTTPURLCFG's URL.
    url: Option<String>,
    /// AT+HTTPCHEAD's headers, `key: value`.
    headers: Vec<String>,
}

impl Default for EspAt {
    fn default() -> Self {
        Self::new()
    }
}

impl EspAt {
    /// A module just powered on, in range of one access point, [`DEFAULT_SSID`] with
    /// [`DEFAULT_PASSWORD`], and not yet joined.
    pub fn new() -> Self {
        Self::with_access_point(DEFAULT_SSID, DEFAULT_PASSWORD)
    }

    /// A module in range of the access point `ssid` with `password`.
    pub fn with_access_point(ssid: &str, password: &str) -> Self {
        Self {
            ssid: ssid.to_owned(),
            password: password.to_owned(),
            tls: None,
            flash: Flash::default(),
            ram: Ram::default(),
        }
    }

    /// This module, able to reach `https://` URLs with `config` (for the backend:
    /// [`TestCertificate::client_config`](crate::tls::TestCertificate::client_config)).
    pub fn with_tls(self, config: Arc<ClientConfig>) -> Self {
        Self {
            tls: Some(config),
            ..self
        }
    }

    /// `ERROR`, after the reason while AT+SYSLOG=1.
    fn fail(&self, out: &Output, code: u32) {
        self.fail_with(out, code, "ERROR");
    }

    /// `result` (`ERROR`, `SEND FAIL`), after the reason while AT+SYSLOG=1.
    fn fail_with(&self, out: &Output, code: u32, result: &str) {
        if self.flash.syslog {
            let code = ErrCode::from_text(&format!("0x{code:08x}"));
            out.line(format!("ERR CODE:{}", code.text()));
        }
        out.line(result);
    }

    fn station(&self) -> bool {
        matches!(self.flash.mode, 1 | 3)
    }
}

/// One line, built by a generated `encode`.
fn encoded(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}

fn wifi(out: &Output, state: &str) {
    let urc = WifiStateChangeUrc {
        state: WifiState::from_text(state),
    };
    out.line(encoded(|o| urc.encode(o)));
}

impl Behaviour for EspAt {
    fn max_command_len(&self) -> Option<usize> {
        atspec_esp_at::DIALECT.max_command_len
    }

    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        // ESP-AT takes upper-case `AT` only.
        if !line.starts_with(b"AT") {
            self.fail(&out, NO_AT);
            return;
        }
        // The package's own commands first: its AT+GMR is not V.250's.
        let error = match Command::parse(line) {
            Ok(command) => return self.dispatch(command, session).await,
            Err(error) => error,
        };
        match Basic::parse(line) {
            Ok(Basic::AtExec(_)) => out.ok(),
            Ok(Basic::EWrite(e)) => {
                *session.echo = e.value().code() == 1;
                out.ok();
            }
            _ => {
                let code = rejection(line, error.column);
                if code == UNSUPPORTED {
                    session.gaps.record(line, error);
                }
                self.fail(&out, code);
            }
        }
    }
}

/// The ERR CODE of a line no command shape takes: an unknown command, a form the command
/// does not have, or the 0-based index of the parameter that did not parse.
fn rejection(line: &[u8], column: usize) -> u32 {
    let name_end = line
        .iter()
        .position(|b| matches!(b, b'=' | b'?'))
        .unwrap_or(line.len());
    if !COMMANDS
        .iter()
        .any(|(n, _)| n.as_bytes() == &line[..name_end])
    {
        return UNSUPPORTED;
    }
    if matches!(&line[name_end..], b"" | b"?" | b"=?") {
        return WRONG_OPERATION;
    }
    PARSE_FAIL | param_index(&line[name_end..], column.saturating_sub(name_end))
}

/// Which parameter byte `column` of `params` (`=...`) falls in: commas outside quotes
/// up to it, a backslash escaping the next byte. A parser that stops at a comma wanted
/// the line to end there, so the comma itself counts: the next parameter is the culprit.
fn param_index(params: &[u8], column: usize) -> u32 {
    let (mut index, mut quoted, mut escaped) = (0, false, false);
    for &b in params.iter().take(column + 1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b',' if !quoted => index += 1,
            _ => {}
        }
    }
    index
}

impl EspAt {
    async fn dispatch(&mut self, command: Command, session: &mut Session<'_>) {
        let out = session.out.clone();
        match command {
            Command::RstExec(_) | Command::RstWrite(_) => self.restart(&out, false).await,
            Command::RestoreExec(_) => self.restart(&out, true).await,
            Command::GmrExec(_) => {
                for info in [
                    "AT version:3.4.0.0(atspec emulator)",
                    "SDK version:v5.1.2",
                    "compile time(00000000):Jan  1 2025 00:00:00",
                    "Bin version:v3.4.0.0(ESP32-WROOM-32)",
                ] {
                    let line = VersionInfo {
                        info: info.to_owned(),
                    };
                    out.line(encoded(|o| line.encode(o)));
                }
                out.ok();
            }
            Command::CmdRead(_) => {
                let support = |flag: u8| CommandSupport::from_code(flag);
                for (index, (name, [test, query, set, exec])) in COMMANDS.iter().enumerate() {
                    let entry = CommandEntry {
                        index: index as u32,
                        name: (*name).to_owned(),
                        test: support(*test),
                        query: support(*query),
                        set: support(*set),
                        exec: support(*exec),
                    };
                    out.line(encoded(|o| entry.encode(o)));
                }
                out.ok();
            }
            Command::SysmsgWrite(c) => {
                self.flash.sysmsg = c.state();
                out.ok();
            }
            Command::SysmsgRead(_) => {
                let line = SysmsgState {
                    state: self.flash.sysmsg,
                };
                out.line(encoded(|o| line.encode(o)));
                out.ok();
            }
            Command::SyslogWrite(c) if c.status().is_known() => {
                self.flash.syslog = c.status().code() == 1;
                out.ok();
            }
            Command::SyslogRead(_) => {
                let line = SyslogSetting {
                    status: SyslogStatus::from_code(u8::from(self.flash.syslog)),
                };
                out.line(encoded(|o| line.encode(o)));
                out.ok();
            }
            Command::CwmodeWrite(c) if c.mode().is_known() => {
                let auto = c.auto_connect().is_none_or(|a| a.code() == 1);
                self.set_mode(c.mode().code(), auto, &out);
            }
            Command::CwmodeRead(_) => {
                let line = ModeSetting {
                    mode: WifiMode::from_code(self.flash.mode),
                };
                out.line(encoded(|o| line.encode(o)));
                out.ok();
            }
            Command::CwjapJoinWrite(c) => self.join(c.ssid(), c.pwd(), &out),
            Command::CwjapJoinOptionsWrite(c) => self.join(c.ssid(), c.pwd(), &out),
            Command::CwjapExec(_) => self.join(None, None, &out),
            Command::CwjapRead(_) => self.connection(&out),
            other => {
                if !self.status(&other, &out) {
                    self.http(other, session).await;
                }
            }
        }
    }

    /// AT+RST, AT+RESTORE: OK, a silent restart, then `ready`; a station with a saved
    /// access point and auto-connect on joins it again.
    async fn restart(&mut self, out: &Output, factory: bool) {
        out.ok();
        if factory {
            self.flash = Flash::default();
        }
        self.ram = Ram::default();
        tokio::time::sleep(RESTART).await;
        out.line(encoded(|o| ReadyUrc {}.encode(o)));
        if self.flash.auto_connect && self.station() {
            self.reconnect(out);
        }
    }

    /// Joins the saved access point if it is the one in range, with URCs only.
    fn reconnect(&mut self, out: &Output) {
        let Some((ssid, password)) = self.flash.saved.clone() else {
            return;
        };
        if ssid == self.ssid && password == self.password && self.ram.joined.is_none() {
            wifi(out, "CONNECTED");
            wifi(out, "GOT IP");
            self.ram.last_attempt = Some(ssid.clone());
            self.ram.joined = Some(ssid);
        }
    }

    fn set_mode(&mut self, mode: u8, auto_connect: bool, out: &Output) {
        let was_station = self.station();
        self.flash.mode = mode;
        self.flash.auto_connect = auto_connect;
        out.ok();
        if !self.station() && self.ram.joined.take().is_some() {
            wifi(out, "DISCONNECT");
        } else if self.station() && !was_station && auto_connect {
            self.reconnect(out);
        }
    }

    /// AT+CWJAP: `WIFI CONNECTED`, `WIFI GOT IP`, OK; or `+CWJAP:<code>` and ERROR.
    fn join(&mut self, ssid: Option<&str>, password: Option<&str>, out: &Output) {
        let saved = self.flash.saved.clone();
        let ssid = ssid.or(saved.as_ref().map(|s| s.0.as_str()));
        let password = password.or(saved.as_ref().map(|s| s.1.as_str()));
        let (Some(ssid), true) = (ssid, self.station()) else {
            // No station, or nothing to join: the command cannot run at all.
            self.fail(out, EXEC_FAIL);
            return;
        };
        if self.ram.joined.take().is_some() {
            wifi(out, "DISCONNECT");
        }
        self.ram.last_attempt = Some(ssid.to_owned());
        let code = if ssid != self.ssid {
            CwjapError::ApNotFound
        } else if password.unwrap_or("") != self.password {
            CwjapError::WrongPassword
        } else {
            self.flash.saved = Some((ssid.to_owned(), self.password.clone()));
            self.ram.joined = Some(ssid.to_owned());
            wifi(out, "CONNECTED");
            wifi(out, "GOT IP");
            out.ok();
            return;
        };
        let line = JoinError { error_code: code };
        out.line(encoded(|o| line.encode(o)));
        // The extension of a failed join is not documented; 0 is assumed.
        self.fail(out, EXEC_FAIL);
    }

    /// AT+CWJAP?: the joined access point's settings.
    fn connection(&self, out: &Output) {
        match &self.ram.joined {
            Some(ssid) => {
                let line = Connection {
                    ssid: ssid.clone(),
                    bssid: BSSID.to_owned(),
                    channel: 6,
                    rssi: -45,
                    pci_en: 0,
                    reconn_interval: 1,
                    listen_interval: 3,
                    scan_mode: ScanMode::from_code(0),
                    pmf: Some(1),
                };
                out.line(encoded(|o| line.encode(o)));
            }
            // The firmware's answer when not joined; the spec has no line for it.
            None => out.line("No AP"),
        }
        out.ok();
    }
}
