//! Commands outside the specs and answers without a final result (issue 9,
//! classes 5 and 10): `Client::send_raw`, commands whose answer is one bare line,
//! and the dialect's command-line length limit.

mod support;

use std::time::Duration;

use atspec::{AtCommand, AtError, Form, ParseError, RAW, RawCommand, ResultKind, Stage};
use atspec_sim800::http::{HttpparaCidWrite, HttpparaUrlWrite};
use support::{Mode, Seg, Step, expect, for_modes, modes, ok_to, probe, reply, rig};

/// The modes without injected URCs: a raw command takes every line no URC of the
/// set claims, so an injected unknown line would be part of its answer.
fn quiet_modes() -> Vec<Mode> {
    modes().into_iter().filter(|m| !m.urcs).collect()
}

async fn for_quiet_modes<F, Fut>(test: F)
where
    F: Fn(Mode) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    for_modes(quiet_modes(), Duration::from_secs(3600), test).await;
}

fn text(lines: &[Vec<u8>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_raw_command_returns_its_lines_and_result() {
    for_quiet_modes(|mode| async move {
        let script = vec![expect(b"AT+CSQ"), reply(b"\r\n+CSQ: 20,0\r\n\r\nOK\r\n")];
        let rig = rig(mode, support::config(), script);
        let answer = rig
            .client
            .send_raw(&RawCommand::new("AT+CSQ").unwrap())
            .await
            .expect("AT+CSQ");
        assert_eq!(text(&answer.lines), ["+CSQ: 20,0"]);
        assert_eq!(answer.result.map(|r| r.kind), Some(ResultKind::Ok));
        rig.finish().await;
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn an_error_result_is_data_until_asked() {
    for_quiet_modes(|mode| async move {
        let script = vec![expect(b"AT+CREG?"), reply(b"\r\n+CME ERROR: 3\r\n")];
        let rig = rig(mode, support::config(), script);
        let answer = rig
            .client
            .send_raw(&RawCommand::new("AT+CREG?").unwrap())
            .await
            .expect("the exchange itself works");
        assert!(!answer.is_ok());
        match answer.into_ok() {
            Err(AtError::Command {
                command: RAW,
                code,
                meaning,
                ..
            }) => {
                assert_eq!(code.as_deref(), Some("3"));
                assert_eq!(meaning, Some("operation not allowed"));
            }
            other => panic!("expected the +CME ERROR, got {other:?}"),
        }
        rig.finish().await;
    })
    .await;
}

/// `AT+CIFSR` answers a bare IP address and no `OK`: with a line that ends the
/// answer, the raw command returns at once instead of timing out.
#[tokio::test(start_paused = true)]
async fn a_named_line_ends_an_answer_without_a_final_result() {
    for_quiet_modes(|mode| async move {
        let mut script = vec![expect(b"AT+CIFSR"), reply(b"\r\n10.78.245.128\r\n")];
        script.extend(ok_to(b"AT+HTTPPARA=\"CID\",1"));
        let rig = rig(mode, support::config(), script);
        let started = tokio::time::Instant::now();
        let is_address =
            |line: &[u8]| !line.is_empty() && line.iter().all(|b| b.is_ascii_digit() || *b == b'.');
        let answer = rig
            .client
            .send_raw(&RawCommand::new("AT+CIFSR").unwrap().ends_at(is_address))
            .await
            .expect("AT+CIFSR");
        assert_eq!(text(&answer.lines), ["10.78.245.128"]);
        assert_eq!(answer.result, None);
        // Complete, so the next command needs no resynchronisation.
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("the next command");
        assert!(started.elapsed() < Duration::from_millis(50));
        rig.finish().await;
    })
    .await;
}

/// During a raw command, a line the vendor's URC set parses (here the SIM800
/// `+HTTPACTION` completion and `+SAPBR 1: DEACT`) reaches the subscribers; a line
/// that only starts like one (`+HTTPACTION: (0-2)`, the test form's answer) is the
/// raw command's.
#[tokio::test(start_paused = true)]
async fn typed_urcs_are_not_a_raw_answer() {
    for_quiet_modes(|mode| async move {
        let script = vec![
            expect(b"AT+HTTPACTION=?"),
            Step::Reply(vec![
                Seg::Urc(b"+SAPBR 1: DEACT".to_vec()),
                Seg::Lines(b"\r\n+HTTPACTION: (0-2)\r\n".to_vec()),
                Seg::Urc(b"+HTTPACTION: 0,200,5".to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ]),
        ];
        let rig = rig(mode, support::config(), script);
        let answer = rig
            .client
            .send_raw(&RawCommand::new("AT+HTTPACTION=?").unwrap())
            .await
            .expect("raw HTTPACTION test form");
        assert_eq!(text(&answer.lines), ["+HTTPACTION: (0-2)"]);
        rig.finish().await;
    })
    .await;
}

/// A raw command that times out owes its result like any command: the next one
/// is sent after the probe, and the late result reaches the subscribers.
#[tokio::test(start_paused = true)]
async fn a_raw_timeout_is_resynchronised() {
    for_quiet_modes(|mode| async move {
        let mut script = vec![
            expect(b"AT+CIPSHUT"),
            Step::Pause(Duration::from_millis(1500)),
            Step::Late(b"SHUT OK".to_vec()),
        ];
        script.extend(probe());
        script.extend(ok_to(b"AT+HTTPPARA=\"CID\",1"));
        let config = atspec::Config {
            resync_timeout: Duration::from_secs(1),
            ..support::config()
        };
        let mut rig = rig(mode, config, script);
        // `SHUT OK` is a result of the SIM800 dialect: either it reaches the
        // subscribers as late, or the probe takes it and the probe's own `OK` does.
        rig.expect_late(1);
        let cipshut = RawCommand::new("AT+CIPSHUT")
            .unwrap()
            .timeout(Duration::from_secs(1));
        match rig.client.send_raw(&cipshut).await {
            Err(AtError::Timeout {
                command: RAW,
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected a timeout, got {other:?}"),
        }
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("the next command");
        rig.finish().await;
    })
    .await;
}

/// The dialect learns results from the specs: `SHUT OK` ends a raw `AT+CIPSHUT`.
#[tokio::test(start_paused = true)]
async fn a_raw_command_ends_at_a_result_the_specs_declare() {
    for_quiet_modes(|mode| async move {
        let script = vec![expect(b"AT+CIPSHUT"), reply(b"\r\nSHUT OK\r\n")];
        let rig = rig(mode, support::config(), script);
        let answer = rig
            .client
            .send_raw(&RawCommand::new("AT+CIPSHUT").unwrap())
            .await
            .expect("AT+CIPSHUT");
        let result = answer.result.expect("a final result");
        assert_eq!((result.text, result.kind), ("SHUT OK", ResultKind::Ok));
        assert!(answer.lines.is_empty());
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Answers without a final result, typed

/// A command whose answer is one bare line and no final result, as a generated
/// type with `NO_FINAL_RESULT` is (the shape of SIM800 `AT+CIFSR`).
struct LocalAddress;

impl AtCommand for LocalAddress {
    type Response = String;
    const NAME: &'static str = "+CIFSR";
    const FORM: Form = Form::Execute;
    const TIMEOUT: Option<Duration> = None;
    const NO_FINAL_RESULT: bool = true;
    const FREE_TEXT: bool = true;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"AT+CIFSR");
    }

    fn parse_response(lines: &[&[u8]]) -> Result<String, ParseError> {
        match lines {
            [line] => Ok(String::from_utf8_lossy(line).into_owned()),
            [] => Err(ParseError::new(b"", 0, "the address line")),
            [_, extra, ..] => Err(ParseError::new(extra, 0, "no further information line")),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_answer_without_a_final_result_completes_when_it_parses() {
    for_quiet_modes(|mode| async move {
        let mut script = vec![expect(b"AT+CIFSR"), reply(b"\r\n10.78.245.128\r\n")];
        script.extend(ok_to(b"AT+HTTPPARA=\"CID\",1"));
        script.extend([expect(b"AT+CIFSR"), reply(b"\r\nERROR\r\n")]);
        let rig = rig(mode, support::config(), script);
        let address = rig.client.send(&LocalAddress).await.expect("AT+CIFSR");
        assert_eq!(address, "10.78.245.128");
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("the next command, at once");
        match rig.client.send(&LocalAddress).await {
            Err(AtError::Command {
                result: "ERROR", ..
            }) => {}
            other => panic!("no PDP context: expected ERROR, got {other:?}"),
        }
        rig.finish().await;
    })
    .await;
}

/// The generated SIM800 `AT+CIFSR` (spec key `no_final_result`) through the client:
/// the address line completes it, and the next command goes out at once.
#[tokio::test(start_paused = true)]
async fn the_generated_cifsr_completes_at_its_address_line() {
    use atspec_sim800::tcpip::CifsrExec;
    for_quiet_modes(|mode| async move {
        let mut script = vec![expect(b"AT+CIFSR"), reply(b"\r\n10.78.245.128\r\n")];
        script.extend(ok_to(b"AT+HTTPPARA=\"CID\",1"));
        let rig = rig(mode, support::config(), script);
        let started = tokio::time::Instant::now();
        let local = rig.client.send(&CifsrExec::new()).await.expect("AT+CIFSR");
        assert_eq!(local.ip_address, "10.78.245.128");
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("the next command");
        assert!(started.elapsed() < Duration::from_millis(50));
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Class 10: the command-line length limit

/// SIM800 takes at most 556 characters after `AT`; a longer line is refused
/// before anything is sent (the script expects nothing, so a sent line fails it).
#[tokio::test(start_paused = true)]
async fn a_line_over_the_dialects_limit_is_refused_unsent() {
    for_quiet_modes(|mode| async move {
        let rig = rig(mode, support::config(), Vec::new());
        // `+HTTPPARA="URL",""` is 18 characters after AT; the URL brings it to 557.
        let url = format!("http://x/{}", "a".repeat(557 - 18 - 9));
        let long = HttpparaUrlWrite::new(&url).unwrap();
        match rig.client.send(&long).await {
            Err(AtError::LineTooLong {
                command: "+HTTPPARA",
                len: 557,
                max: 556,
            }) => {}
            other => panic!("expected LineTooLong, got {other:?}"),
        }
        let raw = RawCommand::new(format!("AT+X={}", "1".repeat(554))).unwrap();
        assert!(matches!(
            rig.client.send_raw(&raw).await,
            Err(AtError::LineTooLong { len: 557, .. })
        ));
        rig.finish().await;
    })
    .await;
}

/// Exactly at the limit the line is sent.
#[tokio::test(start_paused = true)]
async fn a_line_at_the_limit_is_sent() {
    for_quiet_modes(|mode| async move {
        let url = format!("http://x/{}", "a".repeat(556 - 18 - 9));
        let line = format!("AT+HTTPPARA=\"URL\",\"{url}\"");
        let script = ok_to(line.as_bytes()).to_vec();
        let rig = rig(mode, support::config(), script);
        rig.client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .expect("556 characters after AT");
        rig.finish().await;
    })
    .await;
}
