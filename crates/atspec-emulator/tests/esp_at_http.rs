//! ESP-AT HTTP requests end to end: HEAD, GET, POST, PUT and DELETE through AT+HTTPCLIENT,
//! AT+HTTPCGET, AT+HTTPCPOST and AT+HTTPCPUT with bodies of 0 B, 1 KiB and 1 MiB, stored
//! URLs and headers, and the manual's example sessions in their order. The generated
//! driver and the runtime client talk to the emulated module, which performs each request
//! for real against the loopback HTTP server; every flow runs with whole answers and with
//! 1-byte output chunks, echo on and unrelated URCs injected.

mod esp_at_common;

use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::payload;
use atspec_esp_at::http::{
    ContentType, HttpOpt, HttpcgetWrite, HttpcheadAddWrite, HttpcheadClearWrite, HttpcheadRead,
    HttpclientPostWrite, HttpclientRequestWrite, HttpcpostWrite, HttpcputWrite, HttpgetsizeWrite,
    HttpurlcfgRead, HttpurlcfgSetWrite, TransportType,
};
use esp_at_common::*;

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
            let command = HttpcgetWrite::new(&url, Some(2048), Some(4096), None).unwrap();
            let (answer, n) = client.send_download(&command, &mut body).await.unwrap();
            assert_eq!((n as usize, sha(&body)), (len, want), "{options:?}");
            assert_eq!(answer.get_chunk.len(), len.div_ceil(4096));

            let size = client
                .send(&HttpgetsizeWrite::new(&url, None, None, None).unwrap())
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
            let post = HttpcpostWrite::new(
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

            let put = HttpcputWrite::new(&server.url("/put"), len as u32, vec![]).unwrap();
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
        let post = HttpclientPostWrite::new(
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
            HttpclientRequestWrite::new(
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
        let post = HttpclientPostWrite::new(
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
                &HttpcheadAddWrite::new(header.len() as u32).unwrap(),
                &mut header.as_bytes(),
            )
            .await
            .unwrap();
        let url = server.url("/bytes/4096?seed=21");
        let mut body = Vec::new();
        let command = HttpcgetWrite::new(&url, None, None, None).unwrap();
        let (_, n) = client.send_download(&command, &mut body).await.unwrap();
        assert_eq!(n, 256, "{options:?}");
        assert_eq!(body, whole[..256]);

        // Cleared, the same command fetches the whole resource.
        client.send(&HttpcheadClearWrite::new()).await.unwrap();
        let mut body = Vec::new();
        client.send_download(&command, &mut body).await.unwrap();
        assert_eq!(sha(&body), sha(&whole), "{options:?}");
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
                &HttpurlcfgSetWrite::new(long.len() as u16).unwrap(),
                &mut long.as_bytes(),
            )
            .await
            .unwrap();
        let stored = client.send(&HttpurlcfgRead::new()).await.unwrap();
        assert_eq!(stored.url_setting.map(|s| s.url), Some(long.clone()));

        for header in ["X-Token: first", "X-Token: second", "Accept: */*"] {
            client
                .send_upload(
                    &HttpcheadAddWrite::new(header.len() as u32).unwrap(),
                    &mut header.as_bytes(),
                )
                .await
                .unwrap();
        }
        let listed = client.send(&HttpcheadRead::new()).await.unwrap();
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

        client.send(&HttpcheadClearWrite::new()).await.unwrap();
        let listed = client.send(&HttpcheadRead::new()).await.unwrap();
        assert!(listed.stored_header.is_empty());
    }
}
