//! The HTTP backend driven by the HTTP client: echo round trips with binary bodies,
//! streamed payloads, HEAD, status codes, redirects, delays and HTTPS.

mod support;

use std::time::{Duration, Instant};

use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::client::http::{HttpClient, HttpErrorKind, HttpRequest, HttpResponse, Method};
use atspec_emulator::payload;
use atspec_emulator::tls::TestCertificate;
use base64::Engine as _;
use serde_json::Value;
use support::{SIZES, sha256};

fn json(response: &HttpResponse) -> Value {
    serde_json::from_slice(&response.body).expect("the echo is JSON")
}

fn content_length(response: &HttpResponse) -> u64 {
    response
        .header("content-length")
        .expect("every response carries Content-Length")
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn post_put_delete_echo_binary_bodies() {
    let server = HttpServer::start().await;
    let client = HttpClient::new();
    for (method, path) in [
        (Method::POST, "/post"),
        (Method::PUT, "/put"),
        (Method::DELETE, "/delete"),
        (Method::GET, "/anything/x"),
    ] {
        for (seed, size) in SIZES.into_iter().enumerate() {
            let body = payload(size, seed as u64);
            let request =
                HttpRequest::new(method.clone(), server.url(&format!("{path}?seed={seed}")))
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Test", "one")
                    .header("x-test", "two")
                    .body(body.clone());
            let response = client.send(&request).await.unwrap();
            assert_eq!(response.status, 200, "{method} {path} {size}");
            assert_eq!(content_length(&response), response.body.len() as u64);
            let echo = json(&response);
            assert_eq!(echo["method"], method.as_str());
            assert_eq!(echo["path"], path);
            assert_eq!(echo["query"], format!("seed={seed}"));
            assert_eq!(echo["headers"]["x-test"], "one, two");
            if size > 0 || matches!(method, Method::POST | Method::PUT) {
                assert_eq!(
                    echo["headers"]["content-length"],
                    size.to_string(),
                    "{method} {size}"
                );
            } else {
                assert!(
                    echo["headers"]["content-length"].is_null(),
                    "{method} {size}"
                );
            }
            assert_eq!(echo["body_len"], size);
            assert_eq!(echo["body_sha256"], sha256(&body));
            let echoed = base64::engine::general_purpose::STANDARD
                .decode(echo["body_base64"].as_str().unwrap())
                .unwrap();
            assert_eq!(sha256(&echoed), sha256(&body));
        }
    }
}

#[tokio::test]
async fn text_bodies_are_echoed_as_text() {
    let server = HttpServer::start().await;
    let request = HttpRequest::new(Method::POST, server.url("/post")).body("OK\r\nERROR\r\n");
    let echo = json(&HttpClient::new().send(&request).await.unwrap());
    assert_eq!(echo["body_text"], "OK\r\nERROR\r\n");
}

#[tokio::test]
async fn get_bytes_streams_reproducible_payloads() {
    let server = HttpServer::start().await;
    let client = HttpClient::new();
    for size in SIZES {
        let response = client
            .send(&HttpRequest::get(
                server.url(&format!("/bytes/{size}?seed=9")),
            ))
            .await
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(content_length(&response), size as u64);
        assert_eq!(
            response.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(sha256(&response.body), sha256(&payload(size, 9)));
    }
}

#[tokio::test]
async fn send_to_streams_into_a_sink() {
    let server = HttpServer::start().await;
    let size = 3 * 1024 * 1024 + 17;
    let mut sink = Vec::new();
    let head = HttpClient::new()
        .send_to(
            &HttpRequest::get(server.url(&format!("/bytes/{size}"))),
            &mut sink,
        )
        .await
        .unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(head.body_len, size as u64);
    assert_eq!(sha256(&sink), sha256(&payload(size, 0)));
}

#[tokio::test]
async fn head_answers_headers_only_with_the_get_length() {
    let server = HttpServer::start().await;
    let client = HttpClient::new();
    for path in [
        "/bytes/1048576",
        "/bytes/0",
        "/get",
        "/anything/a/b",
        "/status/404",
        "/redirect/2",
        "/nowhere",
        "/post",
    ] {
        let get = client
            .send(&HttpRequest::get(server.url(path)))
            .await
            .unwrap();
        let head = client
            .send(&HttpRequest::new(Method::HEAD, server.url(path)))
            .await
            .unwrap();
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}");
        assert_eq!(content_length(&head), get.body.len() as u64, "{path}");
        assert_eq!(content_length(&get), get.body.len() as u64, "{path}");
    }
}

#[tokio::test]
async fn status_codes() {
    let server = HttpServer::start().await;
    let client = HttpClient::new();
    for code in [200, 201, 400, 401, 403, 404, 418, 500, 502, 503, 599] {
        let response = client
            .send(&HttpRequest::get(server.url(&format!("/status/{code}"))))
            .await
            .unwrap();
        assert_eq!(response.status, code);
        assert!(response.body.is_empty());
        assert_eq!(content_length(&response), 0);
    }
    let no_content = client
        .send(&HttpRequest::get(server.url("/status/204")))
        .await
        .unwrap();
    assert_eq!(no_content.status, 204);
    assert!(no_content.body.is_empty());

    let bad = client
        .send(&HttpRequest::get(server.url("/status/99")))
        .await
        .unwrap();
    assert_eq!(bad.status, 400);
    let missing = client
        .send(&HttpRequest::get(server.url("/nowhere")))
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    let wrong_method = client
        .send(&HttpRequest::get(server.url("/post")))
        .await
        .unwrap();
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("POST"));
}

#[tokio::test]
async fn redirects_are_returned_or_followed() {
    let server = HttpServer::start().await;
    let not_following = HttpClient::new()
        .send(&HttpRequest::get(server.url("/redirect/3")))
        .await
        .unwrap();
    assert_eq!(not_following.status, 302);
    assert_eq!(not_following.header("location"), Some("/redirect/2"));
    assert_eq!(content_length(&not_following), 0);

    let following = HttpClient::new().follow_redirects(5);
    let response = following
        .send(&HttpRequest::get(server.url("/redirect/3")))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.redirects, 3);
    assert_eq!(response.url, server.url("/get"));
    assert_eq!(json(&response)["path"], "/get");

    let short = HttpClient::new().follow_redirects(2);
    let response = short
        .send(&HttpRequest::get(server.url("/redirect/3")))
        .await
        .unwrap();
    assert_eq!(response.status, 302);
    assert_eq!(response.redirects, 2);
    assert_eq!(response.header("location"), Some("/get"));

    // 303 turns a POST into a GET without a body; 307 repeats the POST with its body.
    let post = |path: &str| HttpRequest::new(Method::POST, server.url(path)).body(payload(1024, 1));
    let response = following.send(&post("/status/303")).await.unwrap();
    assert_eq!(json(&response)["method"], "GET");
    assert_eq!(json(&response)["body_len"], 0);
    let response = following
        .send(&HttpRequest::new(Method::POST, server.url("/status/307")).body(payload(1024, 1)))
        .await
        .unwrap();
    assert_eq!(response.status, 405, "307 keeps POST, which /get refuses");
}

#[tokio::test]
async fn slow_responses_and_client_timeouts() {
    let server = HttpServer::start().await;
    let started = Instant::now();
    let response = HttpClient::new()
        .send(&HttpRequest::get(server.url("/slow/200")))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));

    let err = HttpClient::new()
        .timeout(Duration::from_millis(100))
        .send(&HttpRequest::get(server.url("/slow/5000")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), HttpErrorKind::Timeout);
}

#[tokio::test]
async fn https_with_the_test_certificate() {
    let cert = TestCertificate::generate();
    let server = HttpServer::start_tls(&cert).await;
    assert!(server.url("/get").starts_with("https://127.0.0.1:"));
    let client = HttpClient::new().with_tls(cert.client_config());
    for size in SIZES {
        let body = payload(size, 5);
        let response = client
            .send(&HttpRequest::new(Method::POST, server.url("/post")).body(body.clone()))
            .await
            .unwrap();
        assert_eq!(json(&response)["body_sha256"], sha256(&body));
        let response = client
            .send(&HttpRequest::get(
                server.url(&format!("/bytes/{size}?seed=5")),
            ))
            .await
            .unwrap();
        assert_eq!(sha256(&response.body), sha256(&body));
    }
    let localhost = server.url("/get").replace("127.0.0.1", "localhost");
    assert_eq!(
        client
            .send(&HttpRequest::get(localhost))
            .await
            .unwrap()
            .status,
        200
    );

    let no_tls = HttpClient::new()
        .send(&HttpRequest::get(server.url("/get")))
        .await
        .unwrap_err();
    assert_eq!(no_tls.kind(), HttpErrorKind::Tls);
    let other = HttpClient::new().with_tls(TestCertificate::generate().client_config());
    let untrusted = other
        .send(&HttpRequest::get(server.url("/get")))
        .await
        .unwrap_err();
    assert_eq!(untrusted.kind(), HttpErrorKind::Tls);
}

#[tokio::test]
async fn stopping_the_server_frees_the_port() {
    let server = HttpServer::start().await;
    let url = server.url("/get");
    server.stop().await;
    let err = HttpClient::new()
        .send(&HttpRequest::get(url))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), HttpErrorKind::Connect);
}

#[tokio::test]
async fn bad_urls_are_refused() {
    let client = HttpClient::new();
    for url in ["ftp://127.0.0.1/x", "not a url", "/relative"] {
        let err = client.send(&HttpRequest::get(url)).await.unwrap_err();
        assert_eq!(err.kind(), HttpErrorKind::InvalidRequest, "{url}");
    }
}

/// What a modem's TCP stack sees: raw HTTP/1.1 on one kept-alive connection.
#[tokio::test]
async fn raw_exchanges_on_one_connection() {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};

    async fn read_response(
        conn: &mut BufReader<tokio::net::TcpStream>,
        head: bool,
    ) -> (String, Vec<u8>) {
        let mut lines = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            conn.read_line(&mut line).await.unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            lines.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; if head { 0 } else { length }];
        conn.read_exact(&mut body).await.unwrap();
        (lines, body)
    }

    let server = HttpServer::start().await;
    let stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let mut conn = BufReader::new(stream);
    conn.get_mut()
        .write_all(b"HEAD /bytes/5000 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/5000?seed=2 HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, body) = read_response(&mut conn, true).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-length: 5000\r\n"),
        "{head}"
    );
    assert!(body.is_empty());
    // The HEAD answer carried no body: the next bytes are the GET's status line.
    let (get, body) = read_response(&mut conn, false).await;
    assert!(get.starts_with("HTTP/1.1 200 OK\r\n"), "{get}");
    assert_eq!(body, payload(5000, 2));

    conn.get_mut()
        .write_all(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\n\x00\r\n\xff")
        .await
        .unwrap();
    let (post, body) = read_response(&mut conn, false).await;
    assert!(post.starts_with("HTTP/1.1 200 OK\r\n"), "{post}");
    let echo: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(echo["body_len"], 4);
    assert_eq!(echo["body_sha256"], sha256(b"\x00\r\n\xff"));
    assert!(echo["body_text"].is_null(), "not UTF-8");
    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).await.unwrap();
    assert!(rest.is_empty(), "Connection: close ends the connection");
}
