//! Shared pieces of the regression corpus of realistic sessions
//! (`tests/sessions_*.rs`, issue 9): script steps written the way the module logs
//! read, a rig per vendor with that vendor's unsolicited noise, and the checks
//! the sessions share (waiting for a line on the subscription, a lagged
//! subscription, a raw answer ended by a line the dialect may know as a result).
//!
//! Expectations about unsolicited lines are never hard-coded: what a line must
//! become on the subscription is derived from the vendor's generated URC set
//! (see [`expected_event`]), so the sessions stay right while the specs gain URCs.

use std::time::Duration;

use atspec::{AtError, Config, Dialect, RawResponse, ResultKind, Unsolicited, UrcSet};
use tokio::sync::broadcast::error::RecvError;

use super::{Mode, Report, Rig, Seg, Step, describe, expected_event, rig_injecting, show};

/// A command line the host sends, CR-terminated (V.250 S3, every cellular module).
pub fn at(line: &str) -> Step {
    Step::Expect(format!("{line}\r").into_bytes())
}

/// A command line the host sends to an ESP-AT module (CR LF terminated).
pub fn at_esp(line: &str) -> Step {
    Step::Expect(format!("{line}\r\n").into_bytes())
}

/// A CR-terminated command line the modem does not echo by itself (the script
/// writes the echo, if any, or the modem ignores the line).
pub fn unechoed(line: &str) -> Step {
    Step::ExpectQuiet(format!("{line}\r").into_bytes())
}

/// The echo of `line`, written by the script itself, in the modes that echo.
pub fn echo_of(mode: Mode, line: &str) -> Vec<Step> {
    if mode.echo {
        vec![Step::Reply(vec![Seg::Raw(
            format!("{line}\r").into_bytes(),
        )])]
    } else {
        Vec::new()
    }
}

/// An answer written as CR LF framed lines (URCs may be injected between them).
pub fn lines(bytes: &[u8]) -> Step {
    Step::Reply(vec![Seg::Lines(bytes.to_vec())])
}

/// Bytes written exactly as given, carrying these unsolicited lines.
pub fn noise(bytes: &[u8], unsolicited: &[&[u8]]) -> Seg {
    Seg::Noise {
        bytes: bytes.to_vec(),
        lines: unsolicited.iter().map(|l| l.to_vec()).collect(),
    }
}

/// Bytes written exactly as given that carry no unsolicited line (an answer with
/// odd framing).
pub fn raw(bytes: &[u8]) -> Seg {
    Seg::Raw(bytes.to_vec())
}

/// `\r\n<line>\r\n` on its own: a line the subscribers must get.
pub fn urc(line: &[u8]) -> Step {
    Step::Unsolicited(line.to_vec())
}

/// Settings for the corpus: the modem's answers are scripted, so waits are
/// short; the subscription holds everything a session sends.
pub fn config() -> Config {
    Config {
        default_timeout: Duration::from_secs(2),
        resync_timeout: Duration::from_secs(1),
        urc_capacity: 4096,
        ..Config::default()
    }
}

/// The lines of `candidates` the vendor's URC set knows (typed URCs reach the
/// subscribers even while a free-text or raw command, which takes every line no
/// URC claims, is running).
pub fn typed_only<U: UrcSet>(candidates: &[&'static [u8]]) -> Vec<&'static [u8]> {
    candidates
        .iter()
        .copied()
        .filter(|line| matches!(U::parse(line), Some(Ok(_))))
        .collect()
}

/// What a SIM800 sends unasked in a busy cell (registration changes, the
/// bearer dropping, an SMS, a call; M109 §19.3).
pub const SIM800_NOISE: [&[u8]; 5] = [
    b"+CREG: 1",
    b"RING",
    b"+SAPBR 1: DEACT",
    b"+CMTI: \"SM\",3",
    b"+CGREG: 1",
];

/// What a SIMCom A76XX sends unasked (registration changes, a call, the FTPS
/// server closing the control connection).
pub const A76XX_NOISE: [&[u8]; 4] = [
    b"+CREG: 1",
    b"RING",
    b"+CGREG: 1",
    b"+CFTPSNOTIFY: PEER CLOSED",
];

/// What a Quectel EC200U sends unasked (the PDP context dropped, registration).
pub const EC200U_NOISE: [&[u8]; 4] = [
    b"+CREG: 5",
    b"RING",
    b"+QIURC: \"pdpdeact\",1",
    b"+CGREG: 5",
];

/// What an ESP-AT module sends unasked (station state changes; atat#219,
/// esp-at#479).
pub const ESP_AT_NOISE: [&[u8]; 3] = [b"WIFI DISCONNECT", b"WIFI CONNECTED", b"WIFI GOT IP"];

/// A SIM800 client and modem, injecting [`SIM800_NOISE`] (or only its typed
/// lines with `typed`).
pub fn sim800(mode: Mode, config: Config, script: Vec<Step>, typed: bool) -> Rig {
    vendor(
        &atspec_sim800::DIALECT,
        &SIM800_NOISE,
        mode,
        config,
        script,
        typed,
    )
}

/// A SIMCom A76XX client and modem, injecting [`A76XX_NOISE`].
pub fn a76xx(mode: Mode, config: Config, script: Vec<Step>, typed: bool) -> Rig<atspec_a76xx::Urc> {
    vendor(
        &atspec_a76xx::DIALECT,
        &A76XX_NOISE,
        mode,
        config,
        script,
        typed,
    )
}

/// A Quectel EC200U client and modem, injecting [`EC200U_NOISE`].
pub fn ec200u(
    mode: Mode,
    config: Config,
    script: Vec<Step>,
    typed: bool,
) -> Rig<atspec_ec200u::Urc> {
    vendor(
        &atspec_ec200u::DIALECT,
        &EC200U_NOISE,
        mode,
        config,
        script,
        typed,
    )
}

/// An ESP-AT client and modem (command lines end with CR LF), injecting
/// [`ESP_AT_NOISE`].
pub fn esp_at(
    mode: Mode,
    config: Config,
    script: Vec<Step>,
    typed: bool,
) -> Rig<atspec_esp_at::Urc> {
    vendor(
        &atspec_esp_at::DIALECT,
        &ESP_AT_NOISE,
        mode,
        config,
        script,
        typed,
    )
}

fn vendor<U: UrcSet + Clone + Send + 'static>(
    dialect: &'static Dialect,
    noise: &[&'static [u8]],
    mode: Mode,
    config: Config,
    script: Vec<Step>,
    typed: bool,
) -> Rig<U> {
    let injected = if typed {
        typed_only::<U>(noise)
    } else {
        noise.to_vec()
    };
    rig_injecting(dialect, mode, config, script, &injected)
}

impl<U: UrcSet + Clone + std::fmt::Debug + PartialEq + Send + 'static> Rig<U> {
    /// Takes subscription events until the one the modem's `line` must give (as a
    /// host waits for `SMS Ready` before its SMS commands); the events are kept
    /// for [`Rig::finish`].
    pub async fn wait_for(&mut self, line: &[u8]) {
        let want = describe(&expected_event::<U>(line));
        while describe(&self.next_event().await) != want {}
    }

    /// Takes subscription events until a late final result; returns its line and
    /// the command it was attributed to.
    pub async fn next_late(&mut self) -> (Vec<u8>, Option<&'static str>) {
        loop {
            if let Unsolicited::LateResult { line, command } = self.next_event().await {
                return (line, command);
            }
        }
    }

    /// Ends a session whose subscriber fell behind (it has read nothing yet, and
    /// the modem's script is played to its end first): the subscription must report exactly the events beyond the newest
    /// `capacity` as missed (the documented [`Config::urc_capacity`] behaviour),
    /// and then deliver those newest `capacity` events in order.
    pub async fn finish_lagged(mut self, capacity: usize) -> Report {
        assert!(self.seen.is_empty(), "the subscriber read nothing before");
        // On paused time the clock only moves once every task is idle: after this
        // the modem has written its last byte and the reader has routed it.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut missed = 0;
        let mut events = Vec::new();
        loop {
            match self.urcs.recv().await {
                Ok(event) => events.push(event),
                Err(RecvError::Lagged(n)) => {
                    assert!(events.is_empty(), "lagged after {} events", events.len());
                    missed = n as usize;
                }
                Err(RecvError::Closed) => break,
            }
        }
        drop(self.client);
        let report = self.modem.await.expect("the modem task panicked");
        let report = report.unwrap_or_else(|e| panic!("modem: {e}"));
        assert!(
            report.late.is_empty(),
            "a lagged session sends no late results"
        );
        let sent: Vec<String> = report.expected_events::<U>().iter().map(describe).collect();
        let got: Vec<String> = events.iter().map(describe).collect();
        assert_eq!(
            (missed, got.len()),
            (
                sent.len().saturating_sub(capacity),
                sent.len().min(capacity)
            ),
            "missed and delivered events, of {} sent",
            sent.len()
        );
        assert_eq!(got, sent[missed..], "the newest events, in order");
        report
    }
}

/// Checks a raw answer that ends at the line `end`: the dialect may know `end`
/// as a final result (the specs learn `SHUT OK`), and then the answer ends with
/// it as its result; otherwise the caller's [`atspec::RawCommand::ends_at`]
/// ended it and `end` is its last line. `before` are the information lines.
pub fn assert_raw_ended(dialect: &Dialect, answer: &RawResponse, before: &[&[u8]], end: &[u8]) {
    let mut want: Vec<Vec<u8>> = before.iter().map(|l| l.to_vec()).collect();
    match dialect.final_result(end) {
        Some(result) => {
            assert_eq!(answer.lines, want, "lines before {}", show(end));
            assert_eq!(answer.result.as_ref(), Some(&result), "the result");
            assert_eq!(result.kind, ResultKind::Ok);
        }
        None => {
            want.push(end.to_vec());
            assert_eq!(answer.lines, want, "lines up to {}", show(end));
            assert_eq!(answer.result, None, "no final result");
        }
    }
}

/// The code and meaning of the `+CME ERROR: <code>` a command failed with.
pub fn cme_error<T: std::fmt::Debug>(result: Result<T, AtError>) -> (String, Option<&'static str>) {
    match result {
        Err(AtError::Command {
            result: "+CME ERROR:",
            code: Some(code),
            meaning,
            ..
        }) => (code, meaning),
        other => panic!("expected a +CME ERROR, got {other:?}"),
    }
}

/// The SIM800 bearer 1 status (`AT+SAPBR=2,1`), which must be answered.
pub async fn bearer(rig: &Rig) -> atspec_sim800::bearer::SapbrStatus {
    let query = atspec_sim800::bearer::SapbrQueryWrite::new(1).unwrap();
    rig.client.send(&query).await.expect("AT+SAPBR=2,1")
}

/// The lines of a raw answer as text, for comparisons that read like the log.
pub fn text(lines: &[Vec<u8>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect()
}
