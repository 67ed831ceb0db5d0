//! What the client does when answers come late or after their command ended
//! (issue 9, classes 1-3): completion URCs of failed commands, final results of
//! timed-out commands at every position around the resynchronisation probe, and
//! a data-mode download abandoned after `CONNECT`. Every test runs in every mode
//! of `support` (chunking x echo x injected URCs) on paused time.

mod support;

use std::time::Duration;

use atspec::{AtError, Config, Stage, Unsolicited};
use atspec_common::v250::CgmiExec;
use atspec_sim800::Urc;
use atspec_sim800::http::{
    HttpActionUrc, HttpMethod, HttpStatusOrHttpFailure, HttpactionWrite, HttpinitExec,
    HttpparaCidWrite, HttptermExec,
};
use support::{
    Mode, Seg, Step, expect, for_all_modes_paused, for_modes, modes, ok, ok_to, probe, reply, rig,
    rig_for,
};

const INIT: &[u8] = b"AT+HTTPINIT";
const CID: &[u8] = b"AT+HTTPPARA=\"CID\",1";
const TERM: &[u8] = b"AT+HTTPTERM";
const ACTION: &[u8] = b"AT+HTTPACTION=0";

fn get() -> HttpactionWrite {
    HttpactionWrite::new(HttpMethod::Get).unwrap()
}

/// A short command timeout so that tests can make commands time out.
fn short() -> Config {
    Config {
        default_timeout: Duration::from_secs(1),
        resync_timeout: Duration::from_secs(1),
        ..support::config()
    }
}

/// `Expect` of a line that the modem does not echo by itself.
fn quiet(line: &[u8]) -> Step {
    let mut l = line.to_vec();
    l.push(b'\r');
    Step::ExpectQuiet(l)
}

/// The echo of a command line, written by the script itself (echo modes only).
fn echo_of(mode: Mode, line: &[u8]) -> Vec<Step> {
    let mut l = line.to_vec();
    l.push(b'\r');
    if mode.echo {
        vec![Step::Reply(vec![Seg::Raw(l)])]
    } else {
        Vec::new()
    }
}

fn is_action(event: &Unsolicited<Urc>, status: HttpStatusOrHttpFailure) -> bool {
    matches!(event, Unsolicited::Urc(Urc::HttpAction(HttpActionUrc { method: HttpMethod::Get, status_code, .. })) if *status_code == status)
}

// ---------------------------------------------------------------------------
// Class 1: a completion URC whose command has already ended

/// `ERROR`, then at once the completion URC: the command fails with the error,
/// and the URC goes to the subscribers (it used to be taken by the waiter of the
/// command that had just failed, and dropped).
#[tokio::test(start_paused = true)]
async fn a_completion_after_an_error_result_reaches_the_subscribers() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            expect(ACTION),
            Step::Reply(vec![
                Seg::Lines(b"\r\nERROR\r\n".to_vec()),
                Seg::Urc(b"+HTTPACTION: 0,601,0".to_vec()),
            ]),
        ];
        let mut rig = rig(mode, support::config(), script);
        match rig.client.send_deferred(&get()).await {
            Err(AtError::Command {
                result: "ERROR", ..
            }) => {}
            other => panic!("expected the ERROR result, got {other:?}"),
        }
        let mut event = rig.next_event().await;
        while !is_action(&event, HttpStatusOrHttpFailure::from_code(601)) {
            event = rig.next_event().await;
        }
        rig.finish().await;
    })
    .await;
}

/// The completion URC before `ERROR` (`+X: <err>` then `ERROR`, as modems refuse
/// some commands at once): the error is returned and the URC is not lost.
#[tokio::test(start_paused = true)]
async fn a_completion_before_an_error_result_reaches_the_subscribers() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            expect(ACTION),
            Step::Reply(vec![
                Seg::Urc(b"+HTTPACTION: 0,601,0".to_vec()),
                Seg::Lines(b"\r\nERROR\r\n".to_vec()),
            ]),
        ];
        let rig = rig(mode, support::config(), script);
        match rig.client.send_deferred(&get()).await {
            Err(AtError::Command {
                result: "ERROR", ..
            }) => {}
            other => panic!("expected the ERROR result, got {other:?}"),
        }
        // The completion reaches the subscribers when the error arrives, so
        // after a URC injected between the two lines.
        let report = rig
            .finish_with(|e| is_action(e, HttpStatusOrHttpFailure::from_code(601)))
            .await;
        assert_eq!(
            report
                .unsolicited
                .iter()
                .filter(|l| l.starts_with(b"+HTTPACTION"))
                .count(),
            1
        );
    })
    .await;
}

/// The command times out on its `OK`; `OK` and the completion come later. The
/// `OK` is a late result, the URC reaches the subscribers typed, and the next
/// command gets its own answer.
#[tokio::test(start_paused = true)]
async fn a_completion_after_a_final_result_timeout_reaches_the_subscribers() {
    for_all_modes_paused(|mode| async move {
        let mut script = vec![
            expect(ACTION),
            // After the 1 s timeout, within the probe's 1 s.
            Step::Pause(Duration::from_millis(1500)),
            Step::Late(b"OK".to_vec()),
            Step::Reply(vec![Seg::Urc(b"+HTTPACTION: 0,200,5".to_vec())]),
        ];
        script.extend(probe());
        script.extend(ok_to(TERM));
        let rig = rig(mode, short(), script);
        match rig.client.send_deferred(&get()).await {
            Err(AtError::Timeout {
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected a final-result timeout, got {other:?}"),
        }
        rig.client
            .send(&HttptermExec::new())
            .await
            .expect("HTTPTERM");
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Class 2: late final results around the next command

/// Where the late answer of the timed-out `AT+HTTPINIT` comes, relative to the
/// probe the client sends before the next command.
#[derive(Debug, Clone, Copy)]
enum Late {
    /// Before the probe is sent (while the client waits for a quiet line).
    BeforeProbe,
    /// The modem was still busy: the probe was queued, the late answer first.
    QueuedProbe,
    /// The modem echoed the probe at once, then the late answer, then the probe's.
    AfterProbeEcho,
    /// The modem was busy and dropped the probe: only the late answer comes.
    ProbeDropped,
    /// The late answer never comes.
    Never,
    /// Right after the probe's own answer.
    AfterProbeAnswer,
    /// After the next command's answer (a stray result).
    AfterNextCommand,
}

const POSITIONS: [Late; 7] = [
    Late::BeforeProbe,
    Late::QueuedProbe,
    Late::AfterProbeEcho,
    Late::ProbeDropped,
    Late::Never,
    Late::AfterProbeAnswer,
    Late::AfterNextCommand,
];

/// What one position's script looks like and what it must give.
struct LateCase {
    script: Vec<Step>,
    /// Late results that reach the subscribers (the probe takes the late one
    /// when nothing tells them apart, and its own then comes late instead).
    delivered: usize,
    /// The probe goes unanswered once, so the next command fails without being
    /// sent, and is sent again.
    retry: bool,
}

fn late_case(mode: Mode, at: Late, late: &[u8]) -> LateCase {
    let late_step = || Step::Late(late.to_vec());
    let mut s = vec![expect(INIT)];
    let (delivered, retry) = match at {
        Late::BeforeProbe => {
            // After the 1 s timeout, while the test waits before its next command.
            s.push(Step::Pause(Duration::from_millis(1100)));
            s.push(late_step());
            (1, false)
        }
        Late::QueuedProbe => {
            s.push(quiet(b"AT"));
            s.push(late_step());
            s.extend(echo_of(mode, b"AT"));
            s.push(ok());
            (1, false)
        }
        Late::AfterProbeEcho => {
            s.push(quiet(b"AT"));
            s.extend(echo_of(mode, b"AT"));
            s.push(late_step());
            s.push(ok());
            (1, false)
        }
        Late::ProbeDropped => {
            s.push(quiet(b"AT"));
            s.push(late_step());
            if mode.echo {
                // The late result came before the probe's echo; the probe itself is
                // never answered, so the client probes again.
                s.extend(probe());
                (1, true)
            } else {
                (0, false)
            }
        }
        Late::Never => {
            s.extend(probe());
            (0, false)
        }
        Late::AfterProbeAnswer => {
            s.extend(probe());
            s.push(late_step());
            (1, false)
        }
        Late::AfterNextCommand => {
            s.extend(probe());
            (1, false)
        }
    };
    s.push(expect(CID));
    s.push(reply(b"\r\n+CME ERROR: 3\r\n"));
    if matches!(at, Late::AfterNextCommand) {
        s.push(late_step());
    }
    LateCase {
        script: s,
        delivered,
        retry,
    }
}

/// A command times out; its late answer (`OK`, `ERROR` or `+CME ERROR: 4`) comes at
/// every position around the probe and the next command. The next command always
/// gets its own `+CME ERROR: 3`, and every result no command took reaches the
/// subscribers as a late result.
#[tokio::test(start_paused = true)]
async fn a_late_answer_is_never_the_next_commands() {
    for late in [&b"OK"[..], b"ERROR", b"+CME ERROR: 4"] {
        for at in POSITIONS {
            for_modes(modes(), Duration::from_secs(3600), move |mode| async move {
                let case = late_case(mode, at, late);
                let mut rig = rig(mode, short(), case.script);
                rig.expect_late(case.delivered);
                let first = rig.client.send(&HttpinitExec::new()).await;
                assert!(
                    matches!(first, Err(AtError::Timeout { stage: Stage::FinalResult, .. })),
                    "{at:?}: expected a timeout, got {first:?}"
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
                let cid = HttpparaCidWrite::new(1).unwrap();
                let mut next = rig.client.send(&cid).await;
                if case.retry {
                    assert!(
                        matches!(next, Err(AtError::Timeout { stage: Stage::Resync, .. })),
                        "{at:?}: expected the unanswered probe to fail the command, got {next:?}"
                    );
                    next = rig.client.send(&cid).await;
                }
                match next {
                    Err(AtError::Command { code, .. }) if code.as_deref() == Some("3") => {}
                    other => panic!(
                        "{at:?} ({}): the next command did not get its own +CME ERROR: 3: {other:?}",
                        String::from_utf8_lossy(late)
                    ),
                }
                rig.finish().await;
            })
            .await;
        }
    }
}

/// Echo on, and the late answer never comes: one probe puts the client back in
/// step, and the commands after it are not delayed (they used to wait the whole
/// resynchronisation time each, forever).
#[tokio::test(start_paused = true)]
async fn one_probe_then_no_more_waiting() {
    let echo_modes: Vec<Mode> = modes().into_iter().filter(|m| m.echo).collect();
    for_modes(echo_modes, Duration::from_secs(3600), |mode| async move {
        let mut script = vec![expect(INIT)];
        script.extend(probe());
        for _ in 0..5 {
            script.extend(ok_to(CID));
        }
        let rig = rig(mode, short(), script);
        let first = rig.client.send(&HttpinitExec::new()).await;
        assert!(matches!(first, Err(AtError::Timeout { .. })), "{first:?}");
        let started = tokio::time::Instant::now();
        for _ in 0..5 {
            rig.client
                .send(&HttpparaCidWrite::new(1).unwrap())
                .await
                .expect("HTTPPARA CID");
        }
        // The quiet wait before the probe and the wait after its answer, nothing more.
        let spent = started.elapsed();
        assert!(spent <= Duration::from_millis(250), "took {spent:?}");
        rig.finish().await;
    })
    .await;
}

/// The modem stays busy past the probe's timeout: the next command fails without
/// being sent; once the modem answers again (the late result, then the queued
/// probe), the command after it works.
#[tokio::test(start_paused = true)]
async fn a_busy_modem_fails_the_next_command_until_it_answers() {
    for_all_modes_paused(|mode| async move {
        let mut script = vec![expect(INIT), quiet(b"AT")];
        script.push(Step::Pause(Duration::from_secs(3)));
        script.push(Step::Late(b"OK".to_vec()));
        script.extend(echo_of(mode, b"AT"));
        script.push(ok());
        // Both owed answers came while no command was in flight: no second probe.
        script.extend(ok_to(CID));
        let mut rig = rig(mode, short(), script);
        // INIT's late OK and the first probe's OK reach the subscribers.
        rig.expect_late(2);
        assert!(rig.client.send(&HttpinitExec::new()).await.is_err());
        match rig.client.send(&HttpparaCidWrite::new(1).unwrap()).await {
            Err(AtError::Timeout {
                command: "+HTTPPARA",
                stage: Stage::Resync,
                ..
            }) => {}
            other => panic!("expected a resynchronisation timeout, got {other:?}"),
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("HTTPPARA CID");
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// Class 3: data mode left open

/// EC200U `AT+QFTPGET="<file>","COM:"` answers `CONNECT` and streams the file in
/// data mode. When no byte follows, the download times out; the framer must leave
/// data mode, or the probe's and the next command's answers are eaten as data.
#[tokio::test(start_paused = true)]
async fn a_data_mode_download_abandoned_after_connect_leaves_data_mode() {
    use atspec_ec200u::ftp::QftpgetToPortWrite;
    for_all_modes_paused(|mode| async move {
        // The modem says nothing more until the client has given up and probes.
        let mut script = vec![
            expect(b"AT+QFTPGET=\"a.txt\",\"COM:\""),
            // Nothing is injected after CONNECT: what follows it is data.
            Step::Reply(vec![
                Seg::Lines(b"\r\nCONNECT\r\n".to_vec()),
                Seg::Raw(Vec::new()),
            ]),
        ];
        script.extend(probe());
        // Raw: an injected line would be one more line of the free-text answer.
        script.extend([
            expect(b"AT+CGMI"),
            Step::Reply(vec![Seg::Raw(b"\r\nQuectel\r\n\r\nOK\r\n".to_vec())]),
        ]);
        let rig = rig_for::<atspec_ec200u::Urc>(&atspec_ec200u::DIALECT, mode, short(), script);
        let mut sink = Vec::new();
        let get = QftpgetToPortWrite::new("a.txt", None, None).unwrap();
        match rig.client.send_deferred_download(&get, &mut sink).await {
            Err(AtError::Timeout {
                command: "+QFTPGET",
                ..
            }) => {}
            other => panic!("expected a timeout, got {other:?}"),
        }
        let maker = rig.client.send(&CgmiExec::new()).await.expect("AT+CGMI");
        assert_eq!(maker.manufacturer, "Quectel");
        rig.finish().await;
    })
    .await;
}

// ---------------------------------------------------------------------------
// A probe the modem ignores because it is still busy

/// ESP-AT answers `busy p...` to a line it ignored because the earlier command is
/// still running. After `AT+CWJAP?` timed out, the first probe gets `busy p...`:
/// that proves nothing, so the client probes again once the line is quiet, and
/// only after the late answer and the second probe's `OK` sends the next command.
#[tokio::test(start_paused = true)]
async fn a_busy_probe_is_asked_again() {
    use atspec_esp_at::wifi::{CwjapRead, CwmodeRead};
    use support::corpus::{at_esp, lines};
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at_esp("AT+CWJAP?"),
            at_esp("AT"),
            lines(b"\r\nbusy p...\r\n"),
            Step::Late(b"OK".to_vec()),
            at_esp("AT"),
            ok(),
            at_esp("AT+CWMODE?"),
            lines(b"\r\n+CWMODE:1\r\n\r\nOK\r\n"),
        ];
        let rig = rig_for::<atspec_esp_at::Urc>(&atspec_esp_at::DIALECT, mode, short(), script);
        let first = rig.client.send(&CwjapRead::new()).await;
        assert!(matches!(first, Err(AtError::Timeout { .. })), "{first:?}");
        let mode_setting = rig
            .client
            .send(&CwmodeRead::new())
            .await
            .expect("AT+CWMODE? after the modem is free again");
        assert_eq!(mode_setting.mode.code(), 1);
        rig.finish().await;
    })
    .await;
}

/// The modem echoed, then stops echoing while an answer is owed (a reset
/// restored `ATE0`). The first probe's `OK` comes without the echo and counts as
/// the late answer, so that probe times out and the next command fails without
/// being sent; the probe after it no longer counts on an echo, and the command
/// after that gets its own answer (found by the `client` fuzz target).
#[tokio::test(start_paused = true)]
async fn an_echo_that_stops_during_the_probe_is_given_up() {
    let echo_modes: Vec<Mode> = modes().into_iter().filter(|m| m.echo).collect();
    for_modes(echo_modes, Duration::from_secs(3600), |mode| async move {
        let script = vec![
            expect(INIT),
            quiet(b"AT"),
            ok(),
            quiet(b"AT"),
            ok(),
            quiet(CID),
            reply(b"\r\n+CME ERROR: 3\r\n"),
        ];
        let mut rig = rig(mode, short(), script);
        // The first probe's OK, taken as the late answer of AT+HTTPINIT.
        rig.expect_late(1);
        assert!(rig.client.send(&HttpinitExec::new()).await.is_err());
        let cid = HttpparaCidWrite::new(1).unwrap();
        match rig.client.send(&cid).await {
            Err(AtError::Timeout {
                stage: Stage::Resync,
                ..
            }) => {}
            other => panic!("expected the unanswered probe to fail the command, got {other:?}"),
        }
        match rig.client.send(&cid).await {
            Err(AtError::Command { code, .. }) if code.as_deref() == Some("3") => {}
            other => panic!("expected the command's own +CME ERROR: 3, got {other:?}"),
        }
        rig.finish().await;
    })
    .await;
}
