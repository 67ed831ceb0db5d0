//! The runtime client against a scripted SIM800 (see `support`), following the
//! HTTP examples of the SIM800 IP application note (sections 3.2-3.4): GET, POST
//! and HEAD with their completion URCs and downloads, and the errors the modem
//! answers with.
//!
//! Every test plays its script in every mode of `support`: chunking (whole, 1-byte,
//! three random seeds) x echo (off, on) x URC injection (off, on). A failing mode
//! is named in the failure message; all modes run even when one fails.

mod support;

use std::sync::Arc;
use std::time::Duration;

use atspec::code::CodeInfo;
use atspec::{AtError, Config};
use atspec_sim800::http::{HttpMethod, HttpStatus, HttpactionWrite, HttpdataWrite, HttpinitExec};
use support::http::{
    BODY, INIT, TERM, action_urc, assert_action, get, read_body, read_reply, session,
    start_session, term,
};
use support::{Step, expect, for_all_modes, ok, ok_to, payload_reply, reply, rig};

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
            .send_upload(&HttpdataWrite::new(n as u32, 10000).unwrap(), &mut source)
            .await
            .expect("HTTPDATA");
        let post = HttpactionWrite::new(HttpMethod::Post).unwrap();
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
        let head = HttpactionWrite::new(HttpMethod::Head).unwrap();
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
                        table: "http_failure",
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
        let init = HttpinitExec::new();
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
