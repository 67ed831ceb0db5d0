//! `Run`: the context generated task code sends through. Its errors name modem,
//! task and step with the vendor's code; parameter errors become input errors; the
//! caller's bound covers the whole task; cleanup never hides the task's error.

mod task_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atspec::task::{CountingWriter, Progress, ProgressFn, Run, TaskErrorKind};
use atspec::{AtError, Client, Config};
use task_support::{MODEM, Urc, XRead, XRun, XSet, late, rig, step};
use tokio::time::Instant;

const TASK: &str = "demo.task";
const SECS: fn(u64) -> Duration = Duration::from_secs;

fn run(client: &Client<Urc>, timeout: Option<Duration>) -> Run<'_, Urc> {
    Run::new(client, MODEM, TASK, timeout)
}

#[tokio::test(start_paused = true)]
async fn a_refused_command_names_modem_task_step_and_the_vendor_code() {
    let (client, _modem) = rig(vec![step("AT+XSET=5", b"\r\n+CME ERROR: 3\r\n")]);
    let mut run = run(&client, None);
    run.step("+XSET");
    let e = run.send(&XSet::new(5).unwrap()).await.unwrap_err();
    assert_eq!((e.modem, e.task, e.step), (MODEM, TASK, Some("+XSET")));
    assert_eq!(
        e.vendor_code(),
        Some(("3".to_owned(), Some("operation not allowed")))
    );
    assert!(!e.is_timeout());
    assert!(matches!(e.at_error(), Some(AtError::Command { .. })));
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"+XSET\": the modem answered +CME ERROR: 3 (operation not allowed)"
    );
    let source = std::error::Error::source(&e).expect("the command error is the source");
    assert!(source.to_string().contains("+CME ERROR"), "{source}");
}

#[tokio::test(start_paused = true)]
async fn the_lines_before_an_error_are_kept_and_a_step_unlike_its_command_names_both() {
    let (client, _modem) = rig(vec![step("AT+XSET=1", b"\r\n+XSET: 1\r\n\r\nERROR\r\n")]);
    let mut run = run(&client, None);
    run.step("store the value");
    let e = run.send(&XSet::new(1).unwrap()).await.unwrap_err();
    let lines: Vec<&str> = e.info_lines().iter().map(|l| l.line.as_str()).collect();
    assert_eq!(lines, ["+XSET: 1"]);
    assert_eq!(
        e.info_lines()[0].decoded,
        None,
        "XSET declares no such line"
    );
    assert_eq!(e.vendor_code(), None, "a bare ERROR has no code");
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"store the value\" (+XSET): the modem answered ERROR after +XSET: 1"
    );
}

#[tokio::test(start_paused = true)]
async fn the_reason_line_before_a_bare_error_is_its_decoded_vendor_code() {
    let (client, _modem) = rig(vec![
        step("AT+XSET=7", b"\r\n+XWHY:0x0a01\r\n\r\nERROR\r\n"),
        step("AT+XSET=8", b"\r\n+XWHY:0x0a02\r\n\r\nERROR\r\n"),
        step("AT+XSET=9", b"\r\n+XWHY:0x0a01\r\n\r\n+CME ERROR: 3\r\n"),
    ]);
    let mut run = run(&client, None);
    run.step("+XSET");
    let e = run.send(&XSet::new(7).unwrap()).await.unwrap_err();
    assert_eq!(
        e.vendor_code(),
        Some((
            "0x0a01".to_owned(),
            Some("the server refused the connection")
        ))
    );
    assert_eq!(e.detail_number(), Some(0x0a01));
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"+XSET\": the modem answered ERROR (+XWHY 0x0a01: the server refused the connection)"
    );
    let Some(AtError::Command {
        detail: Some(detail),
        ..
    }) = e.at_error()
    else {
        panic!("expected a refusal with its reason line: {e:?}");
    };
    assert_eq!(detail.line, "+XWHY:0x0a01", "the raw line is kept");

    // A code the table does not list is kept, and said to be unlisted.
    let e = run.send(&XSet::new(8).unwrap()).await.unwrap_err();
    assert_eq!(e.vendor_code(), Some(("0x0a02".to_owned(), None)));
    assert_eq!(e.detail_number(), Some(0x0a02));
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"+XSET\": the modem answered ERROR (+XWHY 0x0a02, not listed in the manual)"
    );

    // A coded result's own code comes first; the reason line still shows.
    let e = run.send(&XSet::new(9).unwrap()).await.unwrap_err();
    assert_eq!(
        e.vendor_code(),
        Some(("3".to_owned(), Some("operation not allowed")))
    );
    assert_eq!(e.detail_number(), Some(0x0a01));
    assert!(
        e.to_string().ends_with(
            "+CME ERROR: 3 (operation not allowed) (+XWHY 0x0a01: the server refused the connection)"
        ),
        "{e}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_completion_shows_both_codes_without_table_names() {
    let (client, _modem) = rig(vec![step("AT+XRUN", b"\r\nOK\r\n\r\n+XDONE: 7,550\r\n")]);
    let mut run = run(&client, None);
    run.step("+XRUN");
    let e = run.deferred(&XRun).await.unwrap_err();
    assert_eq!(
        e.vendor_code(),
        Some(("7".to_owned(), Some("host not found")))
    );
    assert_eq!(
        e.detail_code(),
        Some(("550".to_owned(), Some("file unavailable")))
    );
    let text = e.to_string();
    assert_eq!(
        text,
        "testmodem demo.task, step \"+XRUN\": the modem reported 7 (host not found), with 550 (file unavailable)"
    );
    assert!(!text.contains("xdone_result") && !text.contains("server_reply"));
    // The command error underneath reads the same way, and a code alone reads as
    // code and meaning.
    let source = std::error::Error::source(&e).expect("the command error");
    assert_eq!(
        source.to_string(),
        "+XRUN: the modem reported 7 (host not found), with 550 (file unavailable)"
    );
    let Some(AtError::Failed { code, .. }) = e.at_error() else {
        panic!("a failed completion: {e:?}");
    };
    assert_eq!(code.to_string(), "7 host not found");
    let unlisted = atspec::code::CodeInfo {
        table: "xdone_result",
        code: "9".to_owned(),
        meaning: None,
    };
    assert_eq!(unlisted.to_string(), "9 (not listed in the manual)");

    let (client, _modem) = rig(vec![step("AT+XRUN", b"\r\nOK\r\n\r\n+XDONE: 9\r\n")]);
    let e = self::run(&client, None).deferred(&XRun).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "testmodem demo.task (+XRUN): the modem reported 9 (not listed in the manual)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_command_timeout_is_a_timeout() {
    let (client, _modem) = rig(vec![late("AT+XSET=2", SECS(60), b"\r\nOK\r\n")]);
    let mut run = run(&client, None);
    run.step("+XSET");
    let e = run.send(&XSet::new(2).unwrap()).await.unwrap_err();
    assert!(e.is_timeout());
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"+XSET\": no final result within 2s"
    );
    let source = std::error::Error::source(&e).expect("the command error");
    assert_eq!(source.to_string(), "+XSET: no final result within 2s");
}

#[tokio::test(start_paused = true)]
async fn a_parameter_error_becomes_an_input_error_naming_the_input() {
    let (client, _modem) = rig(vec![]);
    let mut run = run(&client, None);
    run.step("+XSET");
    let e = run.built("retry count", XSet::new(200)).unwrap_err();
    match &e.kind {
        TaskErrorKind::Input { what, why } => {
            assert_eq!(*what, "retry count");
            assert_eq!(
                why,
                "parameter `value`: 200 is outside the allowed range 0..=100"
            );
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"+XSET\": cannot take retry count: parameter `value`: 200 is outside the allowed range 0..=100"
    );
    assert!(run.built("retry count", XSet::new(100)).is_ok());
}

#[tokio::test(start_paused = true)]
async fn fit_refuses_a_value_out_of_the_parameters_type() {
    let (client, _modem) = rig(vec![]);
    let run = run(&client, None);
    let e = run.fit::<u32>("body length", 5_000_000_000).unwrap_err();
    match e.kind {
        TaskErrorKind::Input { what, why } => {
            assert_eq!(what, "body length");
            assert_eq!(
                why,
                "5000000000 is more than the modem takes (at most 4294967295)"
            );
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert_eq!(
        run.fit::<u32>("body length", 4_294_967_295).unwrap(),
        u32::MAX
    );
    assert_eq!(run.fit::<u8>("n", 255).unwrap(), 255);
    assert!(run.fit::<u8>("n", 256).is_err());
    assert!(run.fit::<i32>("n", 2_147_483_648).is_err());
    assert_eq!(run.fit::<i64>("n", 7).unwrap(), 7);
    assert_eq!(run.fit::<u64>("n", u64::MAX).unwrap(), u64::MAX);
}

#[tokio::test(start_paused = true)]
async fn the_runs_bound_covers_the_task_and_overrides_the_specs_waits() {
    // The modem takes 2.5 s where the spec says 2 s: within a 3 s task it works.
    let (client, modem) = rig(vec![late(
        "AT+XSET=3",
        Duration::from_millis(2500),
        b"\r\nOK\r\n",
    )]);
    let mut run = run(&client, Some(SECS(3)));
    run.step("first");
    run.send(&XSet::new(3).unwrap())
        .await
        .expect("within the task's 3 s");
    // 0.5 s left: the next command waits only that long.
    run.step("second");
    let started = Instant::now();
    let e = run.send(&XSet::new(4).unwrap()).await.unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert_eq!(started.elapsed(), Duration::from_millis(500));
    // Spent: a step that starts now fails at once and sends nothing.
    run.step("third");
    let started = Instant::now();
    let e = run.send(&XSet::new(5).unwrap()).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert!(matches!(e.kind, TaskErrorKind::Timeout { waited } if waited == SECS(3)));
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"third\": the task's time bound of 3s ran out"
    );
    drop(run);
    drop(client);
    let after = modem.await.unwrap();
    assert_eq!(
        String::from_utf8_lossy(&after),
        "AT+XSET=4\r",
        "only the second was sent"
    );
}

#[tokio::test(start_paused = true)]
async fn pause_fails_once_the_bound_has_run_out() {
    let (client, _modem) = rig(vec![]);
    let run = run(&client, Some(SECS(10)));
    run.pause(SECS(4)).await.unwrap();
    run.pause(SECS(4)).await.unwrap();
    let e = run.pause(SECS(4)).await.unwrap_err();
    assert!(e.is_timeout());
    assert_eq!(run.elapsed(), SECS(10), "the last pause ends at the bound");

    let unbounded = self::run(&client, None);
    unbounded.pause(SECS(100)).await.unwrap();
    unbounded.pause_within(SECS(30), SECS(150)).await.unwrap();
    assert!(unbounded.pause_within(SECS(30), SECS(150)).await.is_err());
    assert_eq!(unbounded.elapsed(), SECS(150));
}

#[tokio::test(start_paused = true)]
async fn cleanup_ignores_failures_but_a_lost_transport_is_reported_after_success() {
    let (client, _modem) = rig(vec![step("AT+XSET=1", b"\r\nERROR\r\n")]);
    let run = run(&client, None);
    assert!(!run.cleanup(&XSet::new(1).unwrap()).await);
    assert_eq!(
        run.finish(Ok(5)).unwrap(),
        5,
        "a refused cleanup is no failure"
    );

    // The modem goes away: cleanup fails, and a successful task says so.
    let (host, device) = tokio::io::duplex(64);
    drop(device);
    let client = Client::<Urc>::new(host, &task_support::DIALECT, Config::default());
    tokio::task::yield_now().await;
    let mut run = self::run(&client, None);
    run.step("close");
    assert!(!run.cleanup(&XSet::new(1).unwrap()).await);
    let e = run.finish(Ok(())).unwrap_err();
    assert!(matches!(e.at_error(), Some(AtError::Closed { .. })), "{e}");
    assert_eq!(e.step, Some("close"));
    // The task's own error wins over the lost transport.
    assert!(!run.cleanup(&XSet::new(1).unwrap()).await);
    let own = run.unexpected("the link is still down");
    let e = run.finish::<()>(Err(own)).unwrap_err();
    assert!(matches!(e.kind, TaskErrorKind::Unexpected { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "testmodem demo.task, step \"close\": unexpected answer: the link is still down"
    );
    assert_eq!(
        run.unsupported("method PUT").to_string(),
        "testmodem demo.task, step \"close\": the modem does not support method PUT"
    );
}

#[tokio::test(start_paused = true)]
async fn a_download_through_a_counting_writer_reports_progress() {
    let (client, _modem) = rig(vec![step(
        "AT+XREAD",
        b"\r\n+XREAD: 10\r\n0123456789\r\nOK\r\n",
    )]);
    let run = run(&client, None);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut report = move |p: Progress| log.lock().unwrap().push(p);
    let progress: &mut ProgressFn<'_> = &mut report;
    let mut body = Vec::new();
    let mut sink = CountingWriter::new(&mut body, Some(progress));
    sink.set_total(Some(10));
    let (len, n) = run.download(&XRead, &mut sink).await.unwrap();
    assert_eq!((len, n, sink.written()), (10, 10, 10));
    assert_eq!(body, b"0123456789");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: 10,
            total: Some(10)
        })
    );
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn the_runs_futures_are_send() {
    let (client, _modem) = rig(vec![]);
    let run = run(&client, None);
    let command = XSet::new(1).unwrap();
    let mut sink = Vec::new();
    let mut source: &[u8] = b"abc";
    let dyn_source: &mut (dyn tokio::io::AsyncRead + Unpin + Send) = &mut source;
    assert_send(&run.send(&command));
    assert_send(&run.cleanup(&command));
    assert_send(&run.deferred(&XRun));
    assert_send(&run.download(&XRead, &mut sink));
    assert_send(&run.upload(&command, dyn_source));
    assert_send(&run.pause(SECS(1)));
}

#[tokio::test(start_paused = true)]
async fn the_runs_bound_also_replaces_a_completions_wait() {
    // OK at once, the completion after 60 s where the spec allows 30 s.
    let (host, mut device) = tokio::io::duplex(1 << 12);
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut line = [0u8; 8];
        device.read_exact(&mut line).await.unwrap();
        device.write_all(b"\r\nOK\r\n").await.unwrap();
        tokio::time::sleep(SECS(60)).await;
        device.write_all(b"\r\n+XDONE: 0\r\n").await.unwrap();
        std::future::pending::<()>().await;
    });
    let client = Client::<Urc>::new(host, &task_support::DIALECT, Config::default());
    let run = run(&client, Some(SECS(300)));
    let (_, done) = run.deferred(&XRun).await.expect("within the task's 300 s");
    assert_eq!(done.err, 0);
    assert_eq!(run.elapsed(), SECS(60));
}
