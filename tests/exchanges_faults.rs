//! The runtime client against a scripted SIM800 (see `support`) when the line
//! misbehaves: silence past a timeout (on paused time), a transport that closes
//! mid-answer, and lines longer than the framer's cap.
//!
//! Every test plays its script in every mode of `support`: chunking (whole, 1-byte,
//! three random seeds) x echo (off, on) x URC injection (off, on). A failing mode
//! is named in the failure message; all modes run even when one fails.

mod support;

use std::time::Duration;

use atspec::{AtError, Config, Stage, Unsolicited};
use atspec_sim800::http::{
    HttpinitExec, HttpparaCidWrite, HttpparaUrlWrite, HttpreadExec, HttptermExec,
};
use support::http::{BODY, CID, INIT, TERM, URL, URL_LINE, get, session, start_session, term};
use support::{
    Seg, Step, expect, for_all_modes, for_all_modes_paused, ok, ok_to, probe, reply, rig,
};

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
        match rig.client.send(&HttpinitExec::new()).await {
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
        match rig.client.send(&HttpparaCidWrite::new(1).unwrap()).await {
            Err(AtError::Command { code, .. }) if code.as_deref() == Some("3") => {}
            other => panic!("the next command must get its own +CME ERROR: 3, got {other:?}"),
        }
        rig.client
            .send(&HttpparaUrlWrite::new(URL).unwrap())
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
            .send_download(&HttpreadExec::new(), &mut sink)
            .await
        {
            Err(AtError::Timeout { command, .. }) => assert_eq!(command, "+HTTPREAD"),
            other => panic!("expected a timeout, got {other:?}"),
        }
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("the command after the abandoned download");
        term(&rig.client).await;
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
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        let pending = rig.client.send(&HttpparaCidWrite::new(1).unwrap()).await;
        assert!(
            matches!(pending, Err(AtError::Closed { .. })),
            "the pending command must end with Closed, got {pending:?}"
        );
        let later = rig.client.send(&HttptermExec::new()).await;
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
            .send_download(&HttpreadExec::new(), &mut sink)
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
        match rig.client.send(&HttpinitExec::new()).await {
            Err(AtError::Overflow { command, discarded }) => {
                assert_eq!(command, "+HTTPINIT");
                assert!(discarded > 0);
            }
            other => panic!("expected AtError::Overflow, got {other:?}"),
        }
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
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
