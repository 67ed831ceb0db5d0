//! ESP-AT HTTP end to end: the generated driver and the runtime client talk to the
//! emulated module, which joins its access point and performs each request for real
//! against the loopback HTTP server. Small bodies also run with 1-byte output chunks,
//! echo on and unrelated URCs injected; 1 MiB bodies with random chunks.

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::payload;
use atspec_emulator::tls::TestCertificate;
use atspec_emulator::vendor::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_esp_at::basic::{ErrCode, Restore, RstExec, Syslog, SyslogStatus};
use atspec_esp_at::http::{
    ContentType, HttpOpt, Httpcget, HttpcheadAdd, HttpcheadClear, HttpcheadRead, HttpclientPost,
    HttpclientRequest, Httpcpost, Httpcput, Httpgetsize, HttpurlcfgRead, HttpurlcfgSet,
    TransportType,
};
use atspec_esp_at::wifi::{CwjapJoin, CwjapRead, Cwmode, CwmodeRead, WifiMode, WifiState};
use atspec_esp_at::{DIALECT, Urc};
use serde_json::Value;
use sha2::{Digest, Sha256};

const SIZES: [usize; 3] = [0, 1024, 1 << 20];

fn plain() -> ModemOptions {
    ModemOptions {
        terminator: "\r\n",
        ..ModemOptions::default()
    }
}

/// Every realism setting a flow runs with: whole answers, and 1-byte chunks with echo
/// and unrelated URCs between lines (1 MiB bodies included).
fn modes() -> Vec<ModemOptions> {
    vec![
        plain(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: vec!["WIFI DISCONNECT", "WIFI GOT IP", "ready"],
            ..plain()
        },
    ]
}

/// A module after AT+RESTORE, in station mode and joined to its access point.
async fn joined(options: ModemOptions) -> Client<Urc> {
    joined_with(EspAt::new(), options).await
}

async fn joined_with(module: EspAt, options: ModemOptions) -> Client<Urc> {
    let client = started_with(module, options);
    client.send(&Restore::new().unwrap()).await.unwrap();
    client
        .send(&Cwmode::new(WifiMode::from_code(1), None).unwrap())
        .await
        .unwrap();
    client
        .send(&CwjapJoin::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).unwrap())
        .await
        .unwrap();
    client
}

fn started(options: ModemOptions) -> Client<Urc> {
    started_with(EspAt::new(), options)
}

fn started_with(module: EspAt, options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    Client::new(host, &DIALECT, Config::default())
}

fn request(opt: u8, url: &str, headers: Vec<String>) -> HttpclientRequest {
    HttpclientRequest::new(
        HttpOpt::from_code(opt),
        ContentType::from_code(0),
        url,
        None,
        None,
        TransportType::from_code(1),
        headers,
    )
    .unwrap()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the server's JSON echo")
}

/// The `ERR CODE` detail of an error result.
fn detail(err: AtError) -> Option<String> {
    match err {
        AtError::Command { detail, .. } => detail,
        other => panic!("expected an error result, got {other}"),
    }
}

async fn syslog_on(client: &Client<Urc>) {
    client
        .send(&Syslog::new(SyslogStatus::from_code(1)).unwrap())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_join_and_its_failures() {
    for options in modes() {
        let client = started(options.clone());
        let mut urcs = client.subscribe();
        client.send(&Restore::new().unwrap()).await.unwrap();
        syslog_on(&client).await;
        let mode = client.send(&CwmodeRead::new().unwrap()).await.unwrap();
        assert_eq!(mode.mode.code(), 1, "{options:?}");

        let wrong = CwjapJoin::new(Some(DEFAULT_SSID), Some("not the password"), None).unwrap();
        let err = client.send(&wrong).await.unwrap_err();
        assert_eq!(detail(err).as_deref(), Some("ERR CODE:0x010a0000"));
        let unknown = CwjapJoin::new(Some("elsewhere"), Some(DEFAULT_PASSWORD), None).unwrap();
        assert!(client.send(&unknown).await.is_err(), "{options:?}");

        let good = CwjapJoin::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).unwrap();
        let joined = client.send(&good).await.unwrap();
        assert_eq!(joined.join_error, None);
        let ap = client.send(&CwjapRead::new().unwrap()).await.unwrap();
        assert_eq!(ap.ssid, DEFAULT_SSID);

        // `ready` after the restore, then the join's two reports, in order (injected
        // URCs in between are the test's noise).
        let mut seen = Vec::new();
        while let Ok(event) = urcs.try_recv() {
            match event {
                Unsolicited::Urc(Urc::Ready(_)) if seen.is_empty() => seen.push("ready"),
                Unsolicited::Urc(Urc::WifiStateChange(w))
                    if w.state == WifiState::Connected && seen == ["ready"] =>
                {
                    seen.push("connected")
                }
                Unsolicited::Urc(Urc::WifiStateChange(w))
                    if w.state == WifiState::GotIp && seen == ["ready", "connected"] =>
                {
                    seen.push("got ip")
                }
                _ => {}
            }
        }
        assert_eq!(seen, ["ready", "connected", "got ip"], "{options:?}");

        // A restart keeps the joined access point (saved in flash) and joins it again.
        client.send(&RstExec::new().unwrap()).await.unwrap();
        let ap = client.send(&CwjapRead::new().unwrap()).await.unwrap();
        assert_eq!(ap.ssid, DEFAULT_SSID, "{options:?}");

        // Leaving station mode drops the link: HTTP then fails to connect.
        client
            .send(&Cwmode::new(WifiMode::from_code(2), None).unwrap())
            .await
            .unwrap();
        let err = client
            .send_download(&request(2, "http://127.0.0.1:9/", vec![]), &mut Vec::new())
            .await
            .unwrap_err();
        assert_eq!(detail(err).as_deref(), Some("ERR CODE:0x010a7000"));
    }
}

/// Manual flow: espressif-esp-at HTTP "AT+HTTPGETSIZE: Get HTTP Resource Size"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_of_0_1k_and_1m_with_httpclient_and_httpcget() {
    let server = HttpServer::start().await;
    for len in SIZES {
        for options in modes() {
            let client = joined(options.clone()).await;
            let url = server.url(&format!("/bytes/{len}?seed=3"));
            let want = sha(&payload(len, 3));

            let mut body = Vec::new();
            let (answer, n) = client
                .send_download(&request(2, &url, vec![]), &mut body)
                .await
                .unwrap();
            assert_eq!((n as usize, sha(&body)), (len, want.clone()), "{options:?}");
            assert!(answer.client_chunk.iter().all(|c| c.size <= 512));
            assert_eq!(answer.client_chunk.len(), len.div_ceil(512));

            let mut body = Vec::new();
            let command = Httpcget::new(&url, Some(2048), Some(4096), None).unwrap();
            let (answer, n) = client.send_download(&command, &mut body).await.unwrap();
            assert_eq!((n as usize, sha(&body)), (len, want), "{options:?}");
            assert_eq!(answer.get_chunk.len(), len.div_ceil(4096));

            let size = client
                .send(&Httpgetsize::new(&url, None, None, None).unwrap())
                .await
                .unwrap();
            assert_eq!(size.size as usize, len);
        }
    }
}

/// Manual flow: espressif-esp-at EX "The PUT method of HTTP client"
/// Manual flow: espressif-esp-at EX "The DELETE method of HTTP client"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_and_put_answers_of_0_1k_and_1m() {
    let server = HttpServer::start().await;
    for len in SIZES {
        for options in modes() {
            let client = joined(options.clone()).await;
            let url = server.url(&format!("/bytes/{len}?seed=5"));
            for opt in [5, 4] {
                let mut body = Vec::new();
                let (_, n) = client
                    .send_download(&request(opt, &url, vec![]), &mut body)
                    .await
                    .unwrap();
                assert_eq!(n as usize, len, "opt {opt} {options:?}");
                assert_eq!(sha(&body), sha(&payload(len, 5)), "opt {opt} {options:?}");
            }
        }
    }
    // The echo shows what the module sent: the method, the content type of its
    // <content-type> and the extra header.
    let client = joined(plain()).await;
    let mut body = Vec::new();
    let headers = vec!["X-Probe: 42".to_owned()];
    client
        .send_download(&request(5, &server.url("/delete"), headers), &mut body)
        .await
        .unwrap();
    let echo = json(&body);
    assert_eq!(echo["method"], "DELETE");
    assert_eq!(
        echo["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(echo["headers"]["x-probe"], "42");
    assert_eq!(echo["headers"]["user-agent"], "ESP32 HTTP Client/1.0");
}

/// Manual flow: espressif-esp-at EX "The HEAD method of HTTP client"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_prints_one_header_per_piece() {
    let server = HttpServer::start().await;
    for len in SIZES {
        for options in modes() {
            let client = joined(options.clone()).await;
            let url = server.url(&format!("/bytes/{len}"));
            let mut all = Vec::new();
            let (answer, _) = client
                .send_download(&request(1, &url, vec![]), &mut all)
                .await
                .unwrap();
            let mut lines = Vec::new();
            let mut rest = &all[..];
            for piece in &answer.client_chunk {
                let (line, tail) = rest.split_at(piece.size as usize);
                lines.push(String::from_utf8(line.to_vec()).unwrap());
                rest = tail;
            }
            assert!(rest.is_empty());
            assert!(
                lines.contains(&format!("content-length: {len}")),
                "{lines:?} {options:?}"
            );
        }
    }
}

/// Manual flow: espressif-esp-at EX "The POST method of HTTP client (recommended method)"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_and_put_uploads_of_0_1k_and_1m() {
    let server = HttpServer::start().await;
    for len in SIZES {
        for options in modes() {
            let client = joined(options.clone()).await;
            let data = payload(len, 11);
            let post = Httpcpost::new(
                &server.url("/post"),
                len as u32,
                vec!["content-type: application/octet-stream".to_owned()],
            )
            .unwrap();
            let mut answer = Vec::new();
            let (response, n) = client
                .send_upload_download(&post, &mut &data[..], &mut answer)
                .await
                .unwrap();
            assert_eq!(n as usize, answer.len());
            assert!(response.post_chunk.iter().all(|c| c.size <= 512));
            let echo = json(&answer);
            assert_eq!(echo["body_len"], len, "{options:?}");
            assert_eq!(echo["body_sha256"], sha(&data), "{options:?}");
            assert_eq!(echo["headers"]["content-type"], "application/octet-stream");

            let put = Httpcput::new(&server.url("/put"), len as u32, vec![]).unwrap();
            let mut answer = Vec::new();
            client
                .send_upload_download(&put, &mut &data[..], &mut answer)
                .await
                .unwrap();
            let echo = json(&answer);
            assert_eq!(echo["method"], "PUT");
            assert_eq!(echo["body_sha256"], sha(&data), "{options:?}");
            assert_eq!(
                echo["headers"]["content-type"],
                "application/x-www-form-urlencoded"
            );
        }
    }
}

/// Manual flow: espressif-esp-at EX "The POST method of HTTP client (suitable for POST small amount of data)"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpclient_post_carries_its_data_and_content_type() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = joined(options.clone()).await;
        let data = r#"{"form":{"purpose":"test, with \"quotes\""}}"#;
        let post = HttpclientPost::new(
            ContentType::from_code(1),
            &server.url("/post"),
            None,
            None,
            TransportType::from_code(1),
            Some(data),
            vec![],
        )
        .unwrap();
        let mut body = Vec::new();
        client.send_download(&post, &mut body).await.unwrap();
        let echo = json(&body);
        assert_eq!(echo["body_text"], data, "{options:?}");
        assert_eq!(echo["headers"]["content-type"], "application/json");
    }
}

/// The section's three requests in its order: HEAD and GET of `/get`, then a POST of
/// form data, each naming host and path beside the URL (which wins, says the manual).
/// Manual flow: espressif-esp-at HTTP "AT+HTTPCLIENT: Send HTTP Client Request"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpclient_head_get_and_post_as_the_section_sends_them() {
    let server = HttpServer::start().await;
    let host = format!("127.0.0.1:{}", server.addr().port());
    for options in modes() {
        let client = joined(options.clone()).await;
        let get_url = server.url("/get");
        let with = |opt: u8| {
            HttpclientRequest::new(
                HttpOpt::from_code(opt),
                ContentType::from_code(0),
                &get_url,
                Some(&host),
                Some("/get"),
                TransportType::from_code(1),
                vec![],
            )
            .unwrap()
        };
        let mut head = Vec::new();
        let (answer, _) = client.send_download(&with(1), &mut head).await.unwrap();
        let head = String::from_utf8(head).unwrap();
        assert!(answer.client_chunk.len() > 1, "one piece per header");
        assert!(head.contains("content-type: application/json"), "{head}");

        let mut body = Vec::new();
        client.send_download(&with(2), &mut body).await.unwrap();
        let echo = json(&body);
        assert_eq!(echo["method"], "GET", "{options:?}");
        assert_eq!(echo["path"], "/get");

        let data = "field1=value1&field2=value2";
        let post = HttpclientPost::new(
            ContentType::from_code(0),
            &server.url("/post"),
            Some(&host),
            Some("/post"),
            TransportType::from_code(1),
            Some(data),
            vec![],
        )
        .unwrap();
        let mut body = Vec::new();
        client.send_download(&post, &mut body).await.unwrap();
        let echo = json(&body);
        assert_eq!(echo["method"], "POST");
        assert_eq!(echo["body_text"], data, "{options:?}");
        assert_eq!(
            echo["headers"]["content-type"],
            "application/x-www-form-urlencoded"
        );
    }
}

/// A stored `Range` header (AT+HTTPCHEAD=<len>, then the header at the prompt) makes
/// AT+HTTPCGET fetch only the first 256 bytes, as the section's example intends.
/// Manual flow: espressif-esp-at HTTP "AT+HTTPCHEAD: Set/Get HTTP Request Headers"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_range_header_limits_httpcget() {
    let server = HttpServer::start().await;
    let whole = payload(4096, 21);
    for options in modes() {
        let client = joined(options.clone()).await;
        let header = "Range: bytes=0-255";
        client
            .send_upload(
                &HttpcheadAdd::new(header.len() as u32).unwrap(),
                &mut header.as_bytes(),
            )
            .await
            .unwrap();
        let url = server.url("/bytes/4096?seed=21");
        let mut body = Vec::new();
        let command = Httpcget::new(&url, None, None, None).unwrap();
        let (_, n) = client.send_download(&command, &mut body).await.unwrap();
        assert_eq!(n, 256, "{options:?}");
        assert_eq!(body, whole[..256]);

        // Cleared, the same command fetches the whole resource.
        client.send(&HttpcheadClear::new().unwrap()).await.unwrap();
        let mut body = Vec::new();
        client.send_download(&command, &mut body).await.unwrap();
        assert_eq!(sha(&body), sha(&whole), "{options:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_is_the_err_code_of_its_status() {
    let server = HttpServer::start().await;
    let missing = server.url("/no/such/thing");
    for options in modes() {
        let client = joined(options.clone()).await;
        // Without AT+SYSLOG=1 the module says only ERROR.
        let err = client
            .send_download(&request(2, &missing, vec![]), &mut Vec::new())
            .await
            .unwrap_err();
        assert_eq!(detail(err), None, "{options:?}");

        syslog_on(&client).await;
        let not_found = format!("ERR CODE:{}", ErrCode::HttpNotFound.text());
        for opt in [1, 2, 4, 5] {
            let err = client
                .send_download(&request(opt, &missing, vec![]), &mut Vec::new())
                .await
                .unwrap_err();
            assert_eq!(
                detail(err).as_deref(),
                Some(not_found.as_str()),
                "opt {opt}"
            );
        }
        let err = client
            .send_download(
                &Httpcget::new(&missing, None, None, None).unwrap(),
                &mut Vec::new(),
            )
            .await
            .unwrap_err();
        assert_eq!(detail(err).as_deref(), Some(not_found.as_str()));
        let err = client
            .send(&Httpgetsize::new(&missing, None, None, None).unwrap())
            .await
            .unwrap_err();
        assert_eq!(detail(err).as_deref(), Some(not_found.as_str()));

        // An upload still shows the error page before its ERROR.
        let data = payload(100, 1);
        let post = Httpcpost::new(&missing, 100, vec![]).unwrap();
        let mut page = Vec::new();
        let err = client
            .send_upload_download(&post, &mut &data[..], &mut page)
            .await
            .unwrap_err();
        assert_eq!(detail(err).as_deref(), Some(not_found.as_str()));
        assert_eq!(page, b"not found\n");

        // Other statuses map the same way: 0x7000 plus the status.
        let err = client
            .send_download(
                &request(2, &server.url("/status/503"), vec![]),
                &mut Vec::new(),
            )
            .await
            .unwrap_err();
        let code = detail(err).unwrap();
        let code = ErrCode::from_text(code.trim_start_matches("ERR CODE:"));
        assert_eq!(code, ErrCode::HttpServiceUnavailable);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_0x010a7000() {
    let server = HttpServer::start().await;
    let url = server.url("/get");
    drop(server);
    let client = joined(plain()).await;
    syslog_on(&client).await;
    let err = client
        .send_download(&request(2, &url, vec![]), &mut Vec::new())
        .await
        .unwrap_err();
    assert_eq!(detail(err).as_deref(), Some("ERR CODE:0x010a7000"));
    let data = b"x=1".to_vec();
    let err = client
        .send_upload_download(
            &Httpcpost::new(&url, 3, vec![]).unwrap(),
            &mut &data[..],
            &mut Vec::new(),
        )
        .await
        .unwrap_err();
    match err {
        AtError::Command { result, detail, .. } => {
            assert_eq!(result, "SEND FAIL");
            assert_eq!(detail.as_deref(), Some("ERR CODE:0x010a7000"));
        }
        other => panic!("expected SEND FAIL, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_url_and_stored_headers_apply_to_every_command() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = joined(options.clone()).await;
        // A URL longer than the 256-byte command line.
        let long = server.url(&format!("/anything/{}", "a".repeat(300)));
        client
            .send_upload(
                &HttpurlcfgSet::new(long.len() as u16).unwrap(),
                &mut long.as_bytes(),
            )
            .await
            .unwrap();
        let stored = client.send(&HttpurlcfgRead::new().unwrap()).await.unwrap();
        assert_eq!(stored.url_setting.map(|s| s.url), Some(long.clone()));

        for header in ["X-Token: first", "X-Token: second", "Accept: */*"] {
            client
                .send_upload(
                    &HttpcheadAdd::new(header.len() as u32).unwrap(),
                    &mut header.as_bytes(),
                )
                .await
                .unwrap();
        }
        let listed = client.send(&HttpcheadRead::new().unwrap()).await.unwrap();
        let listed: Vec<_> = listed
            .stored_header
            .iter()
            .map(|h| h.req_header.as_str())
            .collect();
        assert_eq!(listed, ["X-Token: second", "Accept: */*"], "{options:?}");

        // The stored header wins over the command's own with the same key.
        let mut body = Vec::new();
        let own = vec!["x-token: own".to_owned()];
        client
            .send_download(&request(2, "", own), &mut body)
            .await
            .unwrap();
        let echo = json(&body);
        assert_eq!(echo["path"], format!("/anything/{}", "a".repeat(300)));
        assert_eq!(echo["headers"]["x-token"], "second", "{options:?}");

        client.send(&HttpcheadClear::new().unwrap()).await.unwrap();
        let listed = client.send(&HttpcheadRead::new().unwrap()).await.unwrap();
        assert!(listed.stored_header.is_empty());
    }
}

/// Manual flow: espressif-esp-at EX "The GET method of HTTP client"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_over_the_trusted_test_certificate() {
    let cert = TestCertificate::generate();
    let server = HttpServer::start_tls(&cert).await;
    let module = EspAt::new().with_tls(cert.client_config());
    let client = joined_with(module, plain()).await;
    let url = server.url("/bytes/1024?seed=8");
    assert!(url.starts_with("https://"));
    let command = HttpclientRequest::new(
        HttpOpt::from_code(2),
        ContentType::from_code(0),
        &url,
        None,
        None,
        TransportType::from_code(2),
        vec![],
    )
    .unwrap();
    let mut body = Vec::new();
    client.send_download(&command, &mut body).await.unwrap();
    assert_eq!(sha(&body), sha(&payload(1024, 8)));

    // A module without the certificate cannot reach it.
    let client = joined(plain()).await;
    syslog_on(&client).await;
    let err = client
        .send_download(&command, &mut Vec::new())
        .await
        .unwrap_err();
    assert_eq!(detail(err).as_deref(), Some("ERR CODE:0x010a7000"));
}

/// The module's exact bytes for lines the client cannot send or does not keep: error
/// codes of malformed commands, the `+CWJAP:<code>` before ERROR, the upload prompt.
#[tokio::test]
async fn the_wire_format_of_errors_prompts_and_restarts() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(EspAt::new(), modem_side, plain());
    let mut exchange = async |send: &[u8], until: &[u8]| {
        host.write_all(send).await.unwrap();
        let mut got = Vec::new();
        while !got.ends_with(until) {
            let mut byte = [0u8; 1];
            host.read_exact(&mut byte).await.unwrap();
            got.push(byte[0]);
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    let cases: [(&[u8], &[u8], &str); 9] = [
        (b"AT+SYSLOG=1\r\n", b"OK\r\n", "\r\nOK\r\n"),
        (
            b"at\r\n",
            b"ERROR\r\n",
            "\r\nERR CODE:0x01030000\r\n\r\nERROR\r\n",
        ),
        (
            b"AT+FOO\r\n",
            b"ERROR\r\n",
            "\r\nERR CODE:0x01090000\r\n\r\nERROR\r\n",
        ),
        (
            b"AT+HTTPCLIENT?\r\n",
            b"ERROR\r\n",
            "\r\nERR CODE:0x010c0000\r\n\r\nERROR\r\n",
        ),
        (
            b"AT+HTTPCLIENT=2,0,\"http://x/\",,,1,bad\r\n",
            b"ERROR\r\n",
            "\r\nERR CODE:0x01080006\r\n\r\nERROR\r\n",
        ),
        (
            b"AT+CWJAP=\"espressif\",\"wrong\"\r\n",
            b"ERROR\r\n",
            "\r\n+CWJAP:2\r\n\r\nERR CODE:0x010a0000\r\n\r\nERROR\r\n",
        ),
        (
            b"AT+HTTPCPOST=\"http://127.0.0.1:9/\",3\r\n",
            b">",
            "\r\nOK\r\n\r\n>",
        ),
        (
            b"a\nb",
            b"SEND FAIL\r\n",
            "\r\nERR CODE:0x010a7000\r\n\r\nSEND FAIL\r\n",
        ),
        (b"AT+RST\r\n", b"ready\r\n", "\r\nOK\r\n\r\nready\r\n"),
    ];
    for (send, until, want) in cases {
        assert_eq!(
            exchange(send, until).await,
            want,
            "{:?}",
            String::from_utf8_lossy(send)
        );
    }
    let listed = exchange(b"AT+CMD?\r\n", b"OK\r\n").await;
    assert!(
        listed.contains("\r\n+CMD:10,\"AT+HTTPCLIENT\",0,0,1,0\r\n"),
        "{listed}"
    );
}
