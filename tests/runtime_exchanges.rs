//! The runtime client against a scripted SIM800 (see `support`), following the
//! HTTP examples of the SIM800 IP application note (sections 3.2-3.8) and the
//! ways a real line misbehaves: answers cut anywhere, echo on or off, unrelated
//! URCs between lines, silence, a dropped connection, line noise, and commands
//! from several tasks at once.
//!
//! Every test plays its script in every [`Mode`]: chunking (whole, 1-byte, three
//! random seeds) x echo (off, on) x URC injection (off, on). A failing mode is
//! named in the failure message; all modes run even when one fails.

mod support;

use std::sync::Arc;
use std::time::Duration;

use atspec::code::CodeInfo;
use atspec::{AtError, Client, Config, Stage, Unsolicited};
use atspec_common::v250::{Cgmi, CmeeMode, CmeeRead};
use atspec_sim800::Urc;
use atspec_sim800::bearer::{BearerStatus, SapbrOpen, SapbrQuery};
use atspec_sim800::http::{
    HttpAction, HttpMethod, HttpStatus, Httpaction, Httpdata, Httpinit, HttpparaCid, HttpparaUrl,
    HttpreadExec, HttpstatusRead, Httpterm,
};
use support::{
    Mode, Seg, Step, expect, for_all_modes, for_all_modes_paused, for_modes, modes, ok, ok_to,
    payload_reply, probe, reply, rig, show,
};

// ---------------------------------------------------------------------------
// Shared pieces of the scripts

const INIT: &[u8] = b"AT+HTTPINIT";
const CID: &[u8] = b"AT+HTTPPARA=\"CID\",1";
const URL_LINE: &[u8] = b"AT+HTTPPARA=\"URL\",\"http://example.com/data.bin\"";
const TERM: &[u8] = b"AT+HTTPTERM";
const URL: &str = "http://example.com/data.bin";

/// A body full of things that look like modem output.
const BODY: &[u8] = b"\r\nOK\r\nERROR\r\n+HTTPACTION: 0,200,5\r\n\r\n+CME ERROR: 3\r\n\
+HTTPREAD: 3\r\nDOWNLOAD\r\n> \r\n+SAPBR 1: DEACT\r\nbin\x00\xff\x1a\x03\r\n\r";

fn session() -> Vec<Step> {
    [ok_to(INIT), ok_to(CID), ok_to(URL_LINE)].concat()
}

async fn start_session(client: &Client<Urc>) {
    client
        .send(&Httpinit::new().unwrap())
        .await
        .expect("HTTPINIT");
    client
        .send(&HttpparaCid::new(1).unwrap())
        .await
        .expect("HTTPPARA CID");
    client
        .send(&HttpparaUrl::new(URL).unwrap())
        .await
        .expect("HTTPPARA URL");
}

async fn term(client: &Client<Urc>) {
    client
        .send(&Httpterm::new().unwrap())
        .await
        .expect("HTTPTERM");
}

fn get() -> Httpaction {
    Httpaction::new(HttpMethod::Get).unwrap()
}

fn action_urc(method: u8, status: u16, len: usize) -> Vec<u8> {
    format!("\r\n+HTTPACTION: {method},{status},{len}\r\n").into_bytes()
}

fn read_reply(body: &[u8]) -> Step {
    payload_reply(
        format!("\r\n+HTTPREAD: {}\r\n", body.len()).as_bytes(),
        body,
        b"\r\nOK\r\n",
    )
}

fn assert_action(done: &HttpAction, method: HttpMethod, status: HttpStatus, len: usize) {
    assert_eq!(
        (done.method, done.status_code, done.data_len as usize),
        (method, status, len),
        "completion URC"
    );
}

async fn read_body(client: &Client<Urc>, body: &[u8]) {
    let mut got = Vec::new();
    let (header, n) = client
        .send_download(&HttpreadExec::new().unwrap(), &mut got)
        .await
        .expect("HTTPREAD");
    assert_eq!(
        got,
        body,
        "body not byte-exact: got {}, want {}",
        show(&got),
        show(body)
    );
    assert_eq!(header.data_len as usize, body.len(), "announced length");
    assert_eq!(n as usize, body.len(), "returned length");
}

// ---------------------------------------------------------------------------
// HTTP GET, POST, HEAD (AN 3.2-3.4)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_get_completion_after_ok() {
    for_all_modes(|mode| async move {
        let mut script = session();
        script.extend([
            expect(b"AT+HTTPACTION=0"),
            ok(),
            Step::Pause(Duration::from_millis(5)),
            reply(&action_urc(0, 200, BODY.len())),
            expect(b"AT+HTTPREAD"),
            read_reply(BODY),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let ((), done) = rig.client.send_deferred(&get()).await.expect("HTTPACTION");
        assert_action(&done, HttpMethod::Get, HttpStatus::Ok, BODY.len());
        read_body(&rig.client, BODY).await;
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_get_completion_before_ok() {
    for_all_modes(|mode| async move {
        let mut script = session();
        let mut answer = action_urc(0, 200, BODY.len());
        answer.extend_from_slice(b"\r\nOK\r\n");
        script.extend([
            expect(b"AT+HTTPACTION=0"),
            reply(&answer),
            expect(b"AT+HTTPREAD"),
            read_reply(BODY),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let ((), done) = rig.client.send_deferred(&get()).await.expect("HTTPACTION");
        assert_action(&done, HttpMethod::Get, HttpStatus::Ok, BODY.len());
        read_body(&rig.client, BODY).await;
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_get_empty_and_large_bodies() {
    // A zero-length body, then (new session) a body larger than the framer's
    // line cap and the transport's read size, made of CR LF heavy text.
    let large: Vec<u8> = (0..20_000u32)
        .map(|i| b"OK\r\nERROR\r\n+HTTPREAD: 1\r\n"[i as usize % 25])
        .collect();
    let large = Arc::new(large);
    for_all_modes(move |mode| {
        let large = large.clone();
        async move {
            let mut script = session();
            script.extend([
                expect(b"AT+HTTPACTION=0"),
                reply(&[b"\r\nOK\r\n".as_slice(), &action_urc(0, 204, 0)].concat()),
                expect(b"AT+HTTPREAD"),
                read_reply(b""),
                expect(b"AT+HTTPACTION=0"),
                reply(&[b"\r\nOK\r\n".as_slice(), &action_urc(0, 200, large.len())].concat()),
                expect(b"AT+HTTPREAD"),
                read_reply(&large),
            ]);
            script.extend(ok_to(TERM));
            let config = Config {
                max_line: 256,
                read_size: 512,
                ..support::config()
            };
            let rig = rig(mode, config, script);
            start_session(&rig.client).await;
            let ((), done) = rig.client.send_deferred(&get()).await.expect("HTTPACTION");
            assert_action(&done, HttpMethod::Get, HttpStatus::NoContent, 0);
            read_body(&rig.client, b"").await;
            let ((), done) = rig.client.send_deferred(&get()).await.expect("HTTPACTION");
            assert_action(&done, HttpMethod::Get, HttpStatus::Ok, large.len());
            read_body(&rig.client, &large).await;
            term(&rig.client).await;
            rig.finish().await;
        }
    })
    .await;
}

/// The manual prints the exec form's header without a space: `+HTTPREAD:11`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_read_header_without_space() {
    for_all_modes(|mode| async move {
        let script = vec![
            expect(b"AT+HTTPREAD"),
            payload_reply(
                format!("\r\n+HTTPREAD:{}\r\n", BODY.len()).as_bytes(),
                BODY,
                b"\r\nOK\r\n",
            ),
        ];
        let rig = rig(mode, support::config(), script);
        read_body(&rig.client, BODY).await;
        rig.finish().await;
    })
    .await;
}

/// The request body of the POST: CR, LF, result codes, a command line, Ctrl-Z.
const POST_DATA: &[u8] = b"a=1\r\nOK\r\n\r\nERROR\r\nAT+HTTPTERM\r\x1a\x03\r\nDOWNLOAD\r\nend";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_post() {
    for_all_modes(|mode| async move {
        let n = POST_DATA.len();
        let mut script = session();
        script.extend([
            expect(format!("AT+HTTPDATA={n},10000").as_bytes()),
            reply(b"\r\nDOWNLOAD\r\n"),
            Step::Upload(POST_DATA.to_vec()),
            ok(),
            expect(b"AT+HTTPACTION=1"),
            reply(&[b"\r\nOK\r\n".as_slice(), &action_urc(1, 200, 0)].concat()),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let mut source = POST_DATA;
        rig.client
            .send_upload(&Httpdata::new(n as u32, 10000).unwrap(), &mut source)
            .await
            .expect("HTTPDATA");
        let post = Httpaction::new(HttpMethod::Post).unwrap();
        let ((), done) = rig.client.send_deferred(&post).await.expect("HTTPACTION");
        assert_action(&done, HttpMethod::Post, HttpStatus::Ok, 0);
        term(&rig.client).await;
        let report = rig.finish().await;
        assert_eq!(report.uploads, [POST_DATA.to_vec()]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_head() {
    for_all_modes(|mode| async move {
        let mut script = session();
        script.extend([
            expect(b"AT+HTTPACTION=2"),
            reply(&[b"\r\nOK\r\n".as_slice(), &action_urc(2, 200, 0)].concat()),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let head = Httpaction::new(HttpMethod::Head).unwrap();
        let ((), done) = rig.client.send_deferred(&head).await.expect("HTTPACTION");
        assert_action(&done, HttpMethod::Head, HttpStatus::Ok, 0);
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

/// A completion URC for another method (here a stray POST result) is not this
/// GET's completion: it goes to the subscribers and the GET keeps waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_of_another_method_is_not_taken() {
    for_all_modes(|mode| async move {
        let mut script = session();
        script.extend([
            expect(b"AT+HTTPACTION=0"),
            ok(),
            Step::Unsolicited(b"+HTTPACTION: 1,200,0".to_vec()),
            reply(&action_urc(0, 200, 3)),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let ((), done) = rig.client.send_deferred(&get()).await.expect("HTTPACTION");
        assert_action(&done, HttpMethod::Get, HttpStatus::Ok, 3);
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_error_601_is_a_failure() {
    for_all_modes(|mode| async move {
        let mut script = session();
        script.extend([
            expect(b"AT+HTTPACTION=0"),
            reply(&[b"\r\nOK\r\n".as_slice(), &action_urc(0, 601, 0)].concat()),
        ]);
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        match rig.client.send_deferred(&get()).await {
            Err(AtError::Failed {
                command,
                code,
                detail,
            }) => {
                assert_eq!(command, "+HTTPACTION");
                assert_eq!(detail, None, "the SIM800 URC has no second code");
                assert_eq!(
                    code,
                    CodeInfo {
                        table: "http_status",
                        code: "601".to_owned(),
                        meaning: Some("Network Error"),
                    }
                );
            }
            other => panic!("expected AtError::Failed 601, got {other:?}"),
        }
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cme_error_and_error_results() {
    for_all_modes(|mode| async move {
        let mut script = vec![
            expect(INIT),
            reply(b"\r\n+CME ERROR: 3\r\n"),
            expect(INIT),
            reply(b"\r\nERROR\r\n"),
            expect(INIT),
            reply(b"\r\n+CME ERROR: operation not allowed\r\n"),
        ];
        script.extend(ok_to(INIT));
        script.extend(ok_to(TERM));
        let rig = rig(mode, support::config(), script);
        let init = Httpinit::new().unwrap();
        match rig.client.send(&init).await {
            Err(AtError::Command {
                command,
                result,
                code,
                meaning,
                detail,
                info,
            }) => {
                assert_eq!(command, "+HTTPINIT");
                assert_eq!(result, "+CME ERROR:");
                assert_eq!(code.as_deref(), Some("3"));
                assert_eq!(meaning, Some("operation not allowed"));
                assert_eq!(detail, None);
                assert!(info.is_empty(), "{info:?}");
            }
            other => panic!("expected +CME ERROR: 3, got {other:?}"),
        }
        match rig.client.send(&init).await {
            Err(AtError::Command {
                result,
                code,
                meaning,
                ..
            }) => assert_eq!((result, code, meaning), ("ERROR", None, None)),
            other => panic!("expected ERROR, got {other:?}"),
        }
        match rig.client.send(&init).await {
            Err(AtError::Command { code, meaning, .. }) => assert_eq!(
                (code.as_deref(), meaning),
                (Some("operation not allowed"), Some("operation not allowed"))
            ),
            other => panic!("expected the verbose +CME ERROR, got {other:?}"),
        }
        rig.client.send(&init).await.expect("HTTPINIT after errors");
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Timeouts (paused time: the spec's completion wait is 120 s)

#[tokio::test(start_paused = true)]
async fn completion_timeout_then_next_command_works() {
    for_all_modes_paused(|mode| async move {
        let mut script = session();
        script.extend([expect(b"AT+HTTPACTION=0"), ok(), expect(TERM)]);
        // The result comes after the client gave up: it is unsolicited now.
        script.push(Step::Unsolicited(b"+HTTPACTION: 0,200,5".to_vec()));
        script.push(ok());
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let started = tokio::time::Instant::now();
        match rig.client.send_deferred(&get()).await {
            Err(AtError::Timeout {
                command,
                stage,
                waited,
            }) => {
                assert_eq!(
                    (command, stage, waited),
                    ("+HTTPACTION", Stage::Completion, Duration::from_secs(120))
                );
            }
            other => panic!("expected a completion timeout, got {other:?}"),
        }
        assert!(started.elapsed() >= Duration::from_secs(120));
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn final_result_timeout_then_late_ok_is_not_the_next_answer() {
    for_all_modes_paused(|mode| async move {
        let config = Config {
            default_timeout: Duration::from_secs(1),
            resync_timeout: Duration::from_secs(5),
            ..support::config()
        };
        let mut script = vec![
            expect(INIT),
            // Silent past the 1 s timeout, then the late OK; the client's probe is
            // answered after it, as a modem answers lines in order.
            Step::Pause(Duration::from_secs(2)),
            Step::Late(b"OK".to_vec()),
        ];
        script.extend(probe());
        script.extend([
            expect(CID),
            reply(b"\r\n+CME ERROR: 3\r\n"),
            expect(URL_LINE),
            ok(),
        ]);
        let rig = rig(mode, config, script);
        match rig.client.send(&Httpinit::new().unwrap()).await {
            Err(AtError::Timeout {
                command,
                stage,
                waited,
            }) => assert_eq!(
                (command, stage, waited),
                ("+HTTPINIT", Stage::FinalResult, Duration::from_secs(1))
            ),
            other => panic!("expected a final-result timeout, got {other:?}"),
        }
        match rig.client.send(&HttpparaCid::new(1).unwrap()).await {
            Err(AtError::Command { code, .. }) if code.as_deref() == Some("3") => {}
            other => panic!("the next command must get its own +CME ERROR: 3, got {other:?}"),
        }
        rig.client
            .send(&HttpparaUrl::new(URL).unwrap())
            .await
            .expect("HTTPPARA URL");
        rig.finish().await;
    })
    .await;
}

/// A download whose payload stops half-way times out; the rest of the payload
/// never comes. The next command must get its own answer, not have it swallowed
/// as the missing payload bytes.
#[tokio::test(start_paused = true)]
async fn download_timeout_mid_payload_then_next_command_works() {
    for_all_modes_paused(|mode| async move {
        let config = Config {
            default_timeout: Duration::from_secs(1),
            ..support::config()
        };
        let mut script = vec![
            expect(b"AT+HTTPREAD"),
            // The payload stops short: nothing may be injected after it.
            Step::Reply(vec![
                Seg::Lines(b"\r\n+HTTPREAD: 100\r\n".to_vec()),
                Seg::Raw(BODY[..10].to_vec()),
            ]),
        ];
        // The abandoned download still owes its OK: the client probes first.
        script.extend(probe());
        script.extend(ok_to(CID));
        script.extend(ok_to(TERM));
        let rig = rig(mode, config, script);
        let mut sink = Vec::new();
        match rig
            .client
            .send_download(&HttpreadExec::new().unwrap(), &mut sink)
            .await
        {
            Err(AtError::Timeout { command, .. }) => assert_eq!(command, "+HTTPREAD"),
            other => panic!("expected a timeout, got {other:?}"),
        }
        rig.client
            .send(&HttpparaCid::new(1).unwrap())
            .await
            .expect("the command after the abandoned download");
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

/// `Expect` of a line that the modem does not echo by itself (the script
/// writes the echo where it wants it).
fn quiet_expect(line: &[u8]) -> Step {
    let mut l = line.to_vec();
    l.push(b'\r');
    Step::ExpectQuiet(l)
}

// ---------------------------------------------------------------------------
// Echo after an unsolicited line

fn echo_modes() -> Vec<Mode> {
    modes().into_iter().filter(|m| m.echo).collect()
}

/// The echo of a command line, written by the script itself.
fn echo_of(line: &[u8]) -> Step {
    let mut l = line.to_vec();
    l.push(b'\r');
    Step::Reply(vec![Seg::Raw(l)])
}

/// A URC that the modem emits just as the host sends a command comes before
/// the command's echo; the echo must still be recognised and dropped, not
/// handed to the subscribers. (The same happens without any ordering trick
/// whenever the tail of the previous answer, or a deferred command's completion
/// URC, is routed after the next command was sent: `finish` tolerates such
/// leaked echoes for that reason; this test does not.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_after_a_urc_is_still_dropped() {
    for_modes(echo_modes(), Duration::from_secs(10), |mode| async move {
        let mut script = ok_to(INIT).to_vec();
        script.extend([
            quiet_expect(CID),
            Step::Unsolicited(b"+SAPBR 1: DEACT".to_vec()),
            echo_of(CID),
            ok(),
        ]);
        let rig = rig(mode, support::config(), script);
        rig.client
            .send(&Httpinit::new().unwrap())
            .await
            .expect("HTTPINIT");
        rig.client
            .send(&HttpparaCid::new(1).unwrap())
            .await
            .expect("HTTPPARA CID");
        rig.finish_strict().await;
    })
    .await;
}

/// AN 3.8: while HTTPACTION's result is pending the host sends another command;
/// the +HTTPACTION URC arrives between that command line and its echo. For a
/// command whose response is free text (AT+CGMI) the unrecognised echo is then
/// taken for a response line and the command fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_urc_before_the_next_echo() {
    for_modes(echo_modes(), Duration::from_secs(10), |mode| async move {
        let mut script = session();
        script.extend([
            expect(b"AT+HTTPACTION=0"),
            ok(),
            // Tells the test the request is under way.
            Step::Unsolicited(support::MARKER.to_vec()),
            quiet_expect(b"AT+CGMI"),
            // Raw from here: an injected URC would be a line of the free-text
            // answer (see `typed_urc_during_a_free_text_response`).
            Step::Reply(vec![Seg::Raw(action_urc(0, 200, 7))]),
            echo_of(b"AT+CGMI"),
            Step::Reply(vec![Seg::Raw(b"\r\nSIMCOM_Ltd\r\n\r\nOK\r\n".to_vec())]),
        ]);
        let mut rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let action = {
            let c = rig.client.clone();
            tokio::spawn(async move { c.send_deferred(&get()).await })
        };
        rig.until_marker().await;
        let maker = rig.client.send(&Cgmi::new().unwrap()).await;
        let done = action.await.unwrap().expect("HTTPACTION");
        assert_action(&done.1, HttpMethod::Get, HttpStatus::Ok, 7);
        match maker {
            Ok(m) => assert_eq!(m.manufacturer, "SIMCOM_Ltd"),
            Err(e) => panic!("AT+CGMI failed: {e}"),
        }
        rig.finish_strict().await;
    })
    .await;
}

/// AT+CGMI answers free text, so every line is one of its response lines by
/// shape. A line that is a URC of the vendor's set (`+SAPBR 1: DEACT`) arriving
/// during the command should still go to the subscribers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_urc_during_a_free_text_response() {
    for_all_modes(|mode| async move {
        let script = vec![
            expect(b"AT+CGMI"),
            Step::Unsolicited(b"+SAPBR 1: DEACT".to_vec()),
            Step::Reply(vec![Seg::Raw(b"\r\nSIMCOM_Ltd\r\n\r\nOK\r\n".to_vec())]),
        ];
        let rig = rig(mode, support::config(), script);
        match rig.client.send(&Cgmi::new().unwrap()).await {
            Ok(m) => assert_eq!(m.manufacturer, "SIMCOM_Ltd"),
            Err(e) => panic!("AT+CGMI failed: {e}"),
        }
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// The transport closes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modem_closes_mid_command() {
    for_all_modes(|mode| async move {
        let mut script = ok_to(INIT).to_vec();
        script.extend([
            expect(CID),
            Step::Reply(vec![Seg::Raw(b"\r\nO".to_vec())]),
            Step::Close,
        ]);
        let rig = rig(mode, support::config(), script);
        rig.client
            .send(&Httpinit::new().unwrap())
            .await
            .expect("HTTPINIT");
        let pending = rig.client.send(&HttpparaCid::new(1).unwrap()).await;
        assert!(
            matches!(pending, Err(AtError::Closed { .. })),
            "the pending command must end with Closed, got {pending:?}"
        );
        let later = rig.client.send(&Httpterm::new().unwrap()).await;
        assert!(
            matches!(later, Err(AtError::Closed { .. })),
            "a later command must fail with Closed, got {later:?}"
        );
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modem_closes_while_a_completion_is_awaited() {
    for_all_modes(|mode| async move {
        let mut script = session();
        script.extend([expect(b"AT+HTTPACTION=0"), ok(), Step::Close]);
        let rig = rig(mode, support::config(), script);
        start_session(&rig.client).await;
        let pending = rig.client.send_deferred(&get()).await;
        assert!(
            matches!(pending, Err(AtError::Closed { .. })),
            "the awaited completion must end with Closed, got {pending:?}"
        );
        let later = rig.client.send_deferred(&get()).await;
        assert!(
            matches!(later, Err(AtError::Closed { .. })),
            "a later command must fail with Closed, got {later:?}"
        );
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modem_closes_mid_download() {
    for_all_modes(|mode| async move {
        let script = vec![
            expect(b"AT+HTTPREAD"),
            // The payload stops short: nothing may be injected after it.
            Step::Reply(vec![
                Seg::Lines(b"\r\n+HTTPREAD: 100\r\n".to_vec()),
                Seg::Raw(BODY[..20].to_vec()),
            ]),
            Step::Close,
        ];
        let rig = rig(mode, support::config(), script);
        let mut sink = Vec::new();
        let pending = rig
            .client
            .send_download(&HttpreadExec::new().unwrap(), &mut sink)
            .await;
        assert!(
            matches!(pending, Err(AtError::Closed { .. })),
            "the download must end with Closed, got {pending:?}"
        );
        assert_eq!(
            sink,
            &BODY[..20],
            "the bytes that did arrive reach the sink"
        );
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Line noise

/// One line of garbage, far longer than the 64-byte cap, that looks like output.
fn garbage() -> Vec<u8> {
    let mut g = Vec::new();
    while g.len() < 300 {
        g.extend_from_slice(b"+HTTPACTION: 0,200,5 OK ERROR +CME ERROR: 3 DOWNLOAD ");
    }
    g
}

fn small_lines() -> Config {
    Config {
        max_line: 64,
        ..support::config()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_line_during_a_command() {
    for_all_modes(|mode| async move {
        let mut noise = b"\r\n".to_vec();
        noise.extend(garbage());
        noise.extend_from_slice(b"\r\n");
        let mut script = vec![
            expect(INIT),
            Step::Reply(vec![Seg::Raw(noise), Seg::Lines(b"\r\nOK\r\n".to_vec())]),
        ];
        script.extend(ok_to(CID));
        script.extend(ok_to(TERM));
        let rig = rig(mode, small_lines(), script);
        match rig.client.send(&Httpinit::new().unwrap()).await {
            Err(AtError::Overflow { command, discarded }) => {
                assert_eq!(command, "+HTTPINIT");
                assert!(discarded > 0);
            }
            other => panic!("expected AtError::Overflow, got {other:?}"),
        }
        rig.client
            .send(&HttpparaCid::new(1).unwrap())
            .await
            .expect("the command after the noise");
        term(&rig.client).await;
        rig.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_line_between_commands() {
    for_all_modes(|mode| async move {
        let mut noise = b"\r\n".to_vec();
        noise.extend(garbage());
        noise.extend_from_slice(b"\r\n");
        let mut script = vec![
            Step::Reply(vec![Seg::Raw(noise)]),
            // Once the subscription has the marker, the noise is fully read.
            Step::Unsolicited(support::MARKER.to_vec()),
        ];
        script.extend(session());
        script.extend(ok_to(TERM));
        let mut rig = rig(mode, small_lines(), script);
        let before = rig.until_marker().await;
        assert!(
            !before.is_empty()
                && before
                    .iter()
                    .all(|e| matches!(e, Unsolicited::Overflow { discarded } if *discarded > 0)),
            "the over-long line must be reported as Overflow, got {before:?}"
        );
        start_session(&rig.client).await;
        term(&rig.client).await;
        rig.finish_with(|e| !matches!(e, Unsolicited::Overflow { .. }))
            .await;
    })
    .await;
}

/// The framer's contract: "A line longer than the cap produces one
/// Frame::Overflow", and `discarded` is documented as the bytes dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_line_is_reported_once_with_its_length() {
    for_all_modes(|mode| async move {
        let g = garbage();
        let mut noise = b"\r\n".to_vec();
        noise.extend_from_slice(&g);
        noise.extend_from_slice(b"\r\n");
        let script = vec![
            Step::Reply(vec![Seg::Raw(noise)]),
            Step::Unsolicited(support::MARKER.to_vec()),
        ];
        let mut rig = rig(mode, small_lines(), script);
        let reports: Vec<usize> = rig
            .until_marker()
            .await
            .into_iter()
            .map(|e| match e {
                Unsolicited::Overflow { discarded } => discarded,
                other => panic!("unexpected event: {other:?}"),
            })
            .collect();
        assert_eq!(
            reports.len(),
            1,
            "one over-long line, Overflow reports {reports:?}"
        );
        assert!(
            reports[0] >= g.len(),
            "a {}-byte line reported as {} bytes dropped",
            g.len(),
            reports[0]
        );
        rig.finish_with(|e| !matches!(e, Unsolicited::Overflow { .. }))
            .await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_commands_each_get_their_own_answer() {
    for_all_modes(|mode| async move {
        let mut answers: Vec<(Vec<u8>, Vec<Seg>)> = Vec::new();
        let mut add = |line: &str, answer: &[u8]| {
            answers.push((
                format!("{line}\r").into_bytes(),
                vec![Seg::Lines(answer.to_vec())],
            ));
        };
        for cid in 1..=3 {
            add(
                &format!("AT+SAPBR=2,{cid}"),
                format!(
                    "\r\n+SAPBR: {cid},{},\"10.0.0.{cid}\"\r\n\r\nOK\r\n",
                    cid - 1
                )
                .as_bytes(),
            );
        }
        add(
            "AT+HTTPSTATUS?",
            b"\r\n+HTTPSTATUS: GET,1,1440,7915\r\n\r\nOK\r\n",
        );
        add("AT+CMEE?", b"\r\n+CMEE: 1\r\n\r\nOK\r\n");
        add("AT+SAPBR=1,1", b"\r\n+CME ERROR: 3\r\n");
        add(
            "AT+HTTPACTION=0",
            b"\r\nOK\r\n\r\n+HTTPACTION: 0,200,42\r\n",
        );
        // Two rounds: the second starts only after every task of the first ended.
        let script = vec![Step::Unordered(answers.clone()), Step::Unordered(answers)];
        let rig = rig(mode, support::config(), script);
        let client = &rig.client;
        for round in 0..2 {
            let mut tasks = Vec::new();
            for cid in 1..=3u8 {
                let c = client.clone();
                tasks.push(tokio::spawn(async move {
                    let status = c
                        .send(&SapbrQuery::new(cid).unwrap())
                        .await
                        .expect("SAPBR=2");
                    assert_eq!(status.cid, cid, "round {round}: SAPBR=2,{cid}");
                    assert_eq!(status.status, BearerStatus::from_code(cid - 1));
                    assert_eq!(status.ip_addr, format!("10.0.0.{cid}"));
                }));
            }
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let state = c
                    .send(&HttpstatusRead::new().unwrap())
                    .await
                    .expect("HTTPSTATUS?");
                assert_eq!((state.finish, state.remain), (1440, 7915));
            }));
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let cmee = c.send(&CmeeRead::new().unwrap()).await.expect("CMEE?");
                assert_eq!(cmee.n, CmeeMode::from_code(1));
            }));
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                match c.send(&SapbrOpen::new(1).unwrap()).await {
                    Err(AtError::Command { command, code, .. }) => {
                        assert_eq!((command, code.as_deref()), ("+SAPBR", Some("3")));
                    }
                    other => panic!(
                        "round {round}: SAPBR=1,1 must fail with its own error, got {other:?}"
                    ),
                }
            }));
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let ((), done) = c.send_deferred(&get()).await.expect("HTTPACTION");
                assert_eq!(done.data_len, 42);
            }));
            for t in tasks {
                if let Err(e) = t.await {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        }
        let report = rig.finish().await;
        assert_eq!(report.commands.len(), 14);
    })
    .await;
}
