//! The runtime client against a scripted SIM800 (see `support`) when answers
//! interleave: an unsolicited line between a command line and its echo, a URC
//! during a free-text answer, and commands from several tasks at once.
//!
//! Every test plays its script in every [`Mode`] (the echo tests: those with echo
//! on): chunking (whole, 1-byte, three random seeds) x echo (off, on) x URC
//! injection (off, on). A failing mode is named in the failure message; all modes
//! run even when one fails.

mod support;

use std::time::Duration;

use atspec::AtError;
use atspec_common::v250::{CgmiExec, CmeeMode, CmeeRead};
use atspec_sim800::bearer::{BearerStatus, SapbrOpenWrite, SapbrQueryWrite};
use atspec_sim800::http::{HttpMethod, HttpStatus, HttpinitExec, HttpparaCidWrite, HttpstatusRead};
use support::http::{CID, INIT, action_urc, assert_action, get, session, start_session};
use support::{Mode, Seg, Step, expect, for_all_modes, for_modes, modes, ok, ok_to, rig};

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
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
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
        let maker = rig.client.send(&CgmiExec::new()).await;
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
        match rig.client.send(&CgmiExec::new()).await {
            Ok(m) => assert_eq!(m.manufacturer, "SIMCOM_Ltd"),
            Err(e) => panic!("AT+CGMI failed: {e}"),
        }
        rig.finish().await;
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
                        .send(&SapbrQueryWrite::new(cid).unwrap())
                        .await
                        .expect("SAPBR=2");
                    assert_eq!(status.cid, cid, "round {round}: SAPBR=2,{cid}");
                    assert_eq!(status.status, BearerStatus::from_code(cid - 1));
                    assert_eq!(status.ip_addr, format!("10.0.0.{cid}"));
                }));
            }
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let state = c.send(&HttpstatusRead::new()).await.expect("HTTPSTATUS?");
                assert_eq!((state.finish, state.remain), (1440, 7915));
            }));
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let cmee = c.send(&CmeeRead::new()).await.expect("CMEE?");
                assert_eq!(cmee.n, CmeeMode::from_code(1));
            }));
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                match c.send(&SapbrOpenWrite::new(1).unwrap()).await {
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
