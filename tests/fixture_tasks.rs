//! The task layer end to end on a modem nobody wrote Rust for: the made-up
//! command set of `specs/fixture-tasks` declares `network:` and `http:` in its
//! `tasks.yaml`, the generator turns them into `atspec_fixture_tasks::Modem`, and
//! these tests drive it through the `Network` and `Http` traits only, against a
//! fake modem that parses the lines the client sends (`support/fake_modem.rs`).
//! Each test runs with whole answers and with answers written one byte at a time.
//! Paused time: the registration poll's one-second pauses cost nothing.

#[path = "support/fake_modem.rs"]
mod fake_modem;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atspec::task::{Http, HttpRequest, Link, Network, Progress, TaskError, TaskErrorKind};
use fake_modem::{Delivery, Setup, payload, start};

const DELIVERIES: [Delivery; 2] = [Delivery::Whole, Delivery::Bytes];

/// The command lines of `log` that start with `prefix`.
fn sent<'a>(log: &'a [String], prefix: &str) -> Vec<&'a str> {
    log.iter()
        .map(String::as_str)
        .filter(|l| l.starts_with(prefix))
        .collect()
}

/// GET of `size` bytes: the bytes arrive whole and in order, the status is 200,
/// the length and byte count agree, progress climbs to the total and ends there.
async fn get_checked<M: Http + Sync>(modem: &M, size: usize) {
    let url = format!("http://files.example/bytes/{size}");
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let record = seen.clone();
    let mut body = Vec::new();
    let request = HttpRequest::get(url).on_progress(move |p| record.lock().unwrap().push(p));
    let response = modem.request(request, &mut body).await.unwrap();
    assert_eq!(response.status, Some(200), "{size} B");
    assert_eq!(response.length, Some(size as u64));
    assert_eq!(response.received, size as u64);
    assert!(body == payload(size), "{size} B: the body differs");
    let seen = seen.lock().unwrap();
    assert!(
        seen.windows(2).all(|w| w[0].done <= w[1].done),
        "progress is monotonic: {seen:?}"
    );
    assert!(seen.iter().all(|p| p.total == Some(size as u64)));
    if size > 0 {
        assert_eq!(seen.last().map(|p| p.done), Some(size as u64));
    }
}

/// `Http::get` (the trait's shorthand) of a body spanning several 512-byte reads.
async fn get_shorthand<M: Http + Sync>(modem: &M) -> u64 {
    let mut body = Vec::new();
    let response = modem
        .get("http://files.example/bytes/2600", &mut body)
        .await
        .unwrap();
    assert!(body == payload(2600));
    response.received
}

/// A 404 is a status with its body; `error_for_status` makes it an error.
async fn not_found_is_a_status<M: Http + Sync>(modem: &M) {
    let mut body = Vec::new();
    let response = modem
        .request(
            HttpRequest::get("http://files.example/status/404"),
            &mut body,
        )
        .await
        .unwrap();
    assert_eq!(response.status, Some(404));
    assert_eq!(body, b"not found");
    let error = response.error_for_status().unwrap_err();
    assert!(matches!(error.kind, TaskErrorKind::Status { status: 404 }));
    assert!(error.to_string().contains("404 Not Found"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn get_bodies_of_every_size() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup::online(delivery));
        for size in [0, 1024, 512, 5000] {
            get_checked(&modem, size).await;
        }
        let commands = log.take_commands();
        // 0 B: no read; 1024: 2; 512: 1; 5000: 10 (the last one 392 bytes).
        let reads = sent(&commands, "AT+XHTTPREAD=");
        assert_eq!(reads.len(), 13, "{delivery:?}: {reads:?}");
        assert!(reads.contains(&"AT+XHTTPREAD=4608,392"), "{reads:?}");
        assert_eq!(sent(&commands, "AT+XHTTPOPEN").len(), 4);
        assert_eq!(sent(&commands, "AT+XHTTPCLOSE").len(), 4, "one per request");
        // No header, range or body was asked for: those steps were skipped.
        assert!(sent(&commands, "AT+XHTTPHDR").is_empty());
        assert!(sent(&commands, "AT+XHTTPRANGE").is_empty());
        assert!(sent(&commands, "AT+XHTTPBODY").is_empty());
        assert_eq!(get_shorthand(&modem).await, 2600, "{delivery:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn not_found_comes_back_as_data() {
    for delivery in DELIVERIES {
        let (modem, _) = start(Setup::online(delivery));
        not_found_is_a_status(&modem).await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_post_uploads_its_body_with_its_headers() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup::online(delivery));
        let data = payload(3000);
        let mut echo = Vec::new();
        let request = HttpRequest::post("http://files.example/echo")
            .header("Content-Type", "application/octet-stream")
            .body_bytes(&data);
        let response = modem.request(request, &mut echo).await.unwrap();
        assert_eq!(response.status, Some(200));
        assert_eq!(log.take_uploads(), vec![data.clone()], "{delivery:?}");
        assert!(echo == data, "the echo differs");
        let commands = log.take_commands();
        assert_eq!(
            sent(&commands, "AT+XHTTPHDR"),
            ["AT+XHTTPHDR=1,\"Content-Type: application/octet-stream\""]
        );
        assert_eq!(sent(&commands, "AT+XHTTPBODY"), ["AT+XHTTPBODY=3000"]);
        assert_eq!(sent(&commands, "AT+XHTTPREQ"), ["AT+XHTTPREQ=1"]);
    }
}

#[tokio::test(start_paused = true)]
async fn https_switches_tls_on_and_a_range_starts_at_the_offset() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup::online(delivery));
        let mut body = Vec::new();
        let request = HttpRequest::get("https://files.example/bytes/1024").from_offset(100);
        let response = modem.request(request, &mut body).await.unwrap();
        assert_eq!(response.status, Some(206));
        assert!(
            body == payload(1024)[100..],
            "{delivery:?}: the ranged body differs"
        );
        let commands = log.take_commands();
        assert_eq!(sent(&commands, "AT+XHTTPTLS"), ["AT+XHTTPTLS=1"]);
        assert_eq!(sent(&commands, "AT+XHTTPRANGE"), ["AT+XHTTPRANGE=100"]);
        // The same modem, plain HTTP: TLS goes off again.
        let mut body = Vec::new();
        modem
            .get("http://files.example/bytes/10", &mut body)
            .await
            .unwrap();
        assert_eq!(sent(&log.take_commands(), "AT+XHTTPTLS"), ["AT+XHTTPTLS=0"]);
    }
}

#[tokio::test(start_paused = true)]
async fn a_session_left_open_is_closed_and_opened_again() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup {
            stale_session: true,
            ..Setup::online(delivery)
        });
        get_checked(&modem, 1024).await;
        let commands = log.take_commands();
        assert_eq!(
            commands[..3],
            ["AT+XHTTPOPEN", "AT+XHTTPCLOSE", "AT+XHTTPOPEN"],
            "{delivery:?}: {commands:?}"
        );
    }
}

/// A failed request names the task and step and the decoded code, and the
/// session is closed all the same.
async fn refused_connection<M: Http + Sync>(modem: &M) -> TaskError {
    let mut body = Vec::new();
    modem
        .get("http://refused.invalid/bytes/10", &mut body)
        .await
        .unwrap_err()
}

#[tokio::test(start_paused = true)]
async fn failures_name_the_task_the_step_and_the_code() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup::online(delivery));
        let error = refused_connection(&modem).await;
        assert_eq!((error.modem, error.task), ("fixture_tasks", "http.request"));
        assert_eq!(error.step, Some("+XHTTPREQ write"), "{error}");
        assert_eq!(
            error.vendor_code(),
            Some(("702".to_owned(), Some("The server refused the connection")))
        );
        let text = error.to_string();
        assert!(
            text.contains("702 (The server refused the connection)"),
            "{text}"
        );
        assert!(!text.contains("request_failure"), "no table name: {text}");
        assert_eq!(
            log.take_commands().last().map(String::as_str),
            Some("AT+XHTTPCLOSE")
        );

        // A refusal with a `+XERR` code, decoded from the dialect's table.
        let (modem, log) = start(Setup::new(delivery));
        let error = modem
            .get("http://files.example/bytes/10", &mut Vec::new())
            .await
            .unwrap_err();
        assert_eq!(error.step, Some("+XHTTPREQ write"));
        assert_eq!(
            error.vendor_code(),
            Some(("5".to_owned(), Some("The data link is down")))
        );
        assert!(
            error.to_string().contains("The data link is down"),
            "{error}"
        );
        assert_eq!(
            log.take_commands().last().map(String::as_str),
            Some("AT+XHTTPCLOSE")
        );
    }
}

#[tokio::test(start_paused = true)]
async fn what_the_modem_lacks_is_refused_before_anything_is_sent() {
    let (modem, log) = start(Setup::online(Delivery::Whole));
    let error = modem
        .request(
            HttpRequest::put("http://files.example/echo"),
            &mut Vec::new(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error.kind, TaskErrorKind::Unsupported { option } if option == "method PUT"),
        "{error}"
    );
    let big = vec![0u8; 4097];
    let error = modem
        .request(
            HttpRequest::post("http://files.example/echo").body_bytes(&big),
            &mut Vec::new(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind, TaskErrorKind::Input { what: "body", .. }),
        "{error}"
    );
    assert!(log.take_commands().is_empty());
}

#[tokio::test(start_paused = true)]
async fn connect_waits_for_registration_and_is_idempotent() {
    for delivery in DELIVERIES {
        let (modem, log) = start(Setup {
            searching_rounds: Some(2),
            ..Setup::new(delivery)
        });
        let link = Link::cellular("internet").user("web").password("secret");
        let state = modem.connect(&link, None).await.unwrap();
        assert!(state.up);
        assert_eq!(state.address.as_deref(), Some("10.0.0.2"));
        let commands = log.take_commands();
        assert_eq!(sent(&commands, "AT+XNETREG?").len(), 3, "{commands:?}");
        assert_eq!(sent(&commands, "AT+XNETAPN"), ["AT+XNETAPN=\"internet\""]);
        assert_eq!(
            sent(&commands, "AT+XNETAUTH"),
            ["AT+XNETAUTH=\"web\",\"secret\""]
        );
        assert_eq!(sent(&commands, "AT+XNETUP").len(), 1);

        // Up already: neither the APN nor the bring-up is sent again, and
        // without a user no credentials are.
        let state = modem
            .connect(&Link::cellular("internet"), None)
            .await
            .unwrap();
        assert!(state.up);
        let commands = log.take_commands();
        assert_eq!(commands, ["AT+XNETREG?", "AT+XNETSTAT?", "AT+XNETSTAT?"]);

        // An HTTP request over the link just brought up.
        get_checked(&modem, 1024).await;
    }
}

#[tokio::test(start_paused = true)]
async fn connect_failures_and_disconnect() {
    for delivery in DELIVERIES {
        // No registration within the caller's bound: the polling step says so.
        let (modem, _) = start(Setup {
            searching_rounds: None,
            ..Setup::new(delivery)
        });
        let bound = Duration::from_secs(5);
        let started = tokio::time::Instant::now();
        let error = modem
            .connect(&Link::cellular("internet"), Some(bound))
            .await
            .unwrap_err();
        assert_eq!(error.task, "network.connect");
        assert_eq!(error.step, Some("+XNETREG read"), "{error}");
        assert!(started.elapsed() <= bound + Duration::from_secs(1));

        // The network refuses the credentials: the completion's code, decoded.
        let (modem, _) = start(Setup {
            refuse_auth: true,
            ..Setup::new(delivery)
        });
        let link = Link::cellular("internet").user("web").password("wrong");
        let error = modem.connect(&link, None).await.unwrap_err();
        assert_eq!(error.step, Some("+XNETUP exec"), "{error}");
        assert_eq!(
            error.vendor_code(),
            Some((
                "2".to_owned(),
                Some("The network refused the user or password")
            ))
        );

        // Disconnect takes the link down; a second one (refused by the modem
        // with `+XERR: 5`) is not a failure.
        let (modem, log) = start(Setup::online(delivery));
        modem.disconnect().await.unwrap();
        assert!(!modem.link_state().await.unwrap().up);
        modem.disconnect().await.unwrap();
        assert_eq!(
            log.take_commands(),
            ["AT+XNETDOWN", "AT+XNETSTAT?", "AT+XNETDOWN"]
        );
    }
}
