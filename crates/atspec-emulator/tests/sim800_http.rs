//! SIM800 HTTP end to end: the generated driver and the runtime client talk to the
//! emulated module, which performs each request for real against the loopback
//! HTTP server. Every flow, the 1 MiB GET and the manual's largest POST included, runs
//! plain, with 1-byte output chunks, echo on and unrelated URCs injected, and with random
//! chunks.

mod sim800_support;

use atspec::{Client, Config, Unsolicited};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;
use atspec_sim800::bearer::{
    BearerContype, SapbrCloseWrite, SapbrOpenWrite, SapbrQueryWrite, SapbrSetApnWrite,
    SapbrSetContypeWrite,
};
use atspec_sim800::http::{
    HttpMethod, HttpactionWrite, HttpdataWrite, HttpheadExec, HttpinitExec, HttpparaCidWrite,
    HttpparaContentWrite, HttpparaUrlWrite, HttpreadExec, HttptermExec,
};
use atspec_sim800::{DIALECT, Urc};
use sha2::{Digest, Sha256};
use sim800_support::modes;

async fn connected(options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800::new(), modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    client
        .send(&SapbrSetContypeWrite::new(1, BearerContype::from_text("GPRS")).unwrap())
        .await
        .unwrap();
    client
        .send(&SapbrSetApnWrite::new(1, "internet").unwrap())
        .await
        .unwrap();
    client.send(&SapbrOpenWrite::new(1).unwrap()).await.unwrap();
    let status = client
        .send(&SapbrQueryWrite::new(1).unwrap())
        .await
        .unwrap();
    assert_eq!(status.status.code(), 1, "bearer connected");
    client.send(&HttpinitExec::new()).await.unwrap();
    client
        .send(&HttpparaCidWrite::new(1).unwrap())
        .await
        .unwrap();
    client
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Manual flow: simcom-sim800 AN "3.1"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_configure_open_query_and_close() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        // `connected` configured, opened and queried bearer 1; HTTP works over it.
        let url = server.url("/get");
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let get = HttpactionWrite::new(HttpMethod::from_code(0)).unwrap();
        let (_, done) = client.send_deferred(&get).await.unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        client
            .send(&SapbrCloseWrite::new(1).unwrap())
            .await
            .unwrap();
        let status = client
            .send(&SapbrQueryWrite::new(1).unwrap())
            .await
            .unwrap();
        assert_eq!(status.status.code(), 3, "bearer closed");
        // No bearer, no request.
        let refused = client.send_deferred(&get).await.unwrap_err();
        assert!(
            matches!(refused, atspec::AtError::Command { .. }),
            "{refused}"
        );
    }
}

/// Manual flow: simcom-sim800 AN "3.2"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_of_0_1k_and_1m_binary_bodies() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        for len in [0usize, 1024, 1 << 20] {
            client
                .send(&HttpparaUrlWrite::new(&server.url(&format!("/bytes/{len}?seed=3"))).unwrap())
                .await
                .unwrap();
            let (_, done) = client
                .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
                .await
                .unwrap();
            assert_eq!(
                (done.status_code.code(), done.data_len as usize),
                (200, len),
                "{options:?}"
            );
            let mut body = Vec::new();
            let (header, n) = client
                .send_download(&HttpreadExec::new(), &mut body)
                .await
                .unwrap();
            assert_eq!((header.data_len as usize, n as usize), (len, len));
            assert_eq!(sha(&body), sha(&payload(len, 3)), "{options:?} len {len}");
        }
        client.send(&HttptermExec::new()).await.unwrap();
    }
}

/// Manual flow: simcom-sim800 AN "3.3"
/// Manual flow: simcom-sim800 AN "3.4"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_with_download_prompt_and_head() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        // HTTPDATA takes at most 319488 bytes (the manual's limit), so that is the
        // large body here.
        for len in [0usize, 1024, 319_488] {
            let data = payload(len, 9);
            client
                .send(&HttpparaUrlWrite::new(&server.url("/post")).unwrap())
                .await
                .unwrap();
            client
                .send(&HttpparaContentWrite::new("application/octet-stream").unwrap())
                .await
                .unwrap();
            client
                .send_upload(
                    &HttpdataWrite::new(data.len() as u32, 10000).unwrap(),
                    &mut &data[..],
                )
                .await
                .unwrap();
            let (_, done) = client
                .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(1)).unwrap())
                .await
                .unwrap();
            assert_eq!(done.status_code.code(), 200, "{options:?}");
            let mut echo = Vec::new();
            client
                .send_download(&HttpreadExec::new(), &mut echo)
                .await
                .unwrap();
            let echo = String::from_utf8(echo).unwrap();
            assert!(
                echo.contains(&sha(&data)),
                "the server saw the exact {len}-byte body"
            );
        }

        client
            .send(&HttpparaUrlWrite::new(&server.url("/get")).unwrap())
            .await
            .unwrap();
        let (_, head) = client
            .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(2)).unwrap())
            .await
            .unwrap();
        assert_eq!((head.status_code.code(), head.data_len), (200, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_the_modules_601() {
    let server = HttpServer::start().await;
    let url = server.url("/get");
    drop(server);
    for options in modes() {
        let client = connected(options.clone()).await;
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let err = client
            .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
            .await
            .unwrap_err();
        match err {
            atspec::AtError::Failed { code, .. } => assert_eq!(
                (code.code.as_str(), code.meaning),
                ("601", Some("Network Error"))
            ),
            other => panic!("expected the 601 failure, got {other}"),
        }
    }
}

/// AT+HTTPTERM while a request runs ends it with the session: its `+HTTPACTION` would
/// otherwise reach whoever opens the next session and be taken for that one's result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_running_at_httpterm_reports_nothing_afterwards() {
    let server = HttpServer::start().await;
    let client = connected(ModemOptions::default()).await;
    let mut urcs = client.subscribe();
    client
        .send(&HttpparaUrlWrite::new(&server.url("/slow/300")).unwrap())
        .await
        .unwrap();
    client
        .send(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
        .await
        .unwrap();
    client.send(&HttptermExec::new()).await.unwrap();
    // Well past the 300 ms the request takes: a report it still sent would be here.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    while let Ok(event) = urcs.try_recv() {
        assert!(
            !matches!(event, Unsolicited::Urc(Urc::HttpAction(_))),
            "a terminated session reported {event:?}"
        );
    }
}

/// Manual flow: simcom-sim800 AN "3.7"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_resumed_with_break_reassembles() {
    use atspec_sim800::http::{HttpparaBreakEndWrite, HttpparaBreakStartWrite};
    let server = HttpServer::start().await;
    let len = 100_000usize;
    for options in modes() {
        let client = connected(options.clone()).await;
        client
            .send(&HttpparaUrlWrite::new(&server.url(&format!("/bytes/{len}?seed=11"))).unwrap())
            .await
            .unwrap();
        // The first part (as far as a transfer got before it was cut off) ...
        client.send(&HttpparaBreakStartWrite::new(0)).await.unwrap();
        client
            .send(&HttpparaBreakEndWrite::new(39_999))
            .await
            .unwrap();
        let (_, first) = client
            .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
            .await
            .unwrap();
        assert_eq!(
            (first.status_code.code(), first.data_len),
            (206, 40_000),
            "{options:?}"
        );
        let mut file = Vec::new();
        client
            .send_download(&HttpreadExec::new(), &mut file)
            .await
            .unwrap();
        // ... then the rest from the break point (BREAKEND below BREAK: to the end).
        client
            .send(&HttpparaBreakStartWrite::new(40_000))
            .await
            .unwrap();
        client.send(&HttpparaBreakEndWrite::new(0)).await.unwrap();
        let (_, rest) = client
            .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
            .await
            .unwrap();
        assert_eq!(
            (rest.status_code.code(), rest.data_len as usize),
            (206, len - 40_000)
        );
        client
            .send_download(&HttpreadExec::new(), &mut file)
            .await
            .unwrap();
        assert_eq!(sha(&file), sha(&payload(len, 11)), "{options:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_throttled_to_a_baud_rate_still_delivers_every_byte() {
    let server = HttpServer::start().await;
    let client = connected(ModemOptions {
        baud: Some(115_200),
        ..ModemOptions::default()
    })
    .await;
    client
        .send(&HttpparaUrlWrite::new(&server.url("/bytes/1024?seed=4")).unwrap())
        .await
        .unwrap();
    client
        .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut body = Vec::new();
    client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .unwrap();
    // 1 KiB at 115200 baud (10 bits a byte) cannot arrive in less than about 89 ms.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(85),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(body, payload(1024, 4));
}

/// AT+HTTPHEAD (AT manual 11.2.9, "available after AT+HTTPACTION=0"): refused before a
/// GET has answered and after another method; after a GET, the status line and the
/// server's headers, announced by their length.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httphead_answers_only_after_a_get() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        let mut block = Vec::new();
        let refused = client.send_download(&HttpheadExec::new(), &mut block).await;
        assert!(refused.is_err(), "no GET yet: {refused:?}");
        let url = server.url("/response-headers?X-Atspec-Probe=seen%20it");
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let get = HttpactionWrite::new(HttpMethod::from_code(0)).unwrap();
        let (_, done) = client.send_deferred(&get).await.unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        let (_, len) = client
            .send_download(&HttpheadExec::new(), &mut block)
            .await
            .unwrap();
        let text = String::from_utf8(block.clone()).unwrap();
        assert_eq!(len, block.len() as u64);
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text:?}");
        assert!(text.contains("\r\nx-atspec-probe: seen it\r\n"), "{text:?}");
        let post = HttpactionWrite::new(HttpMethod::from_code(1)).unwrap();
        client
            .send(&HttpparaUrlWrite::new(&server.url("/post")).unwrap())
            .await
            .unwrap();
        let (_, done) = client.send_deferred(&post).await.unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        let refused = client
            .send_download(&HttpheadExec::new(), &mut Vec::new())
            .await;
        assert!(refused.is_err(), "no headers after a POST: {refused:?}");
        client.send(&HttptermExec::new()).await.unwrap();
    }
}
