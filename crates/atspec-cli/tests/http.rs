//! `atspec http` against the in-process emulator (`--emulate`), for every modem
//! with an HTTP task, and the exit statuses it documents.

mod support;

use atspec_emulator::payload;
use support::{arg, run, sha256};

/// The modems with an HTTP task.
const HTTP_MODEMS: [&str; 2] = ["sim800", "esp_at"];

/// A full URL, for mistakes the tool finds before any request goes out.
const FAR: &str = "http://127.0.0.1:9/get";

#[test]
fn a_get_into_a_file_holds_the_servers_bytes() {
    for modem in HTTP_MODEMS {
        let dir = tempfile::tempdir().unwrap();
        let out = arg(dir.path(), "body.bin");
        let done = run([
            "http",
            "get",
            "/bytes/20000?seed=7",
            "-o",
            &out,
            "--emulate",
            modem,
        ])
        .expect_status(0);
        let body = std::fs::read(&out).unwrap();
        assert_eq!(sha256(&body), sha256(&payload(20_000, 7)), "{modem}");
        assert!(done.stdout.is_empty(), "{modem}: the body went to the file");
        assert!(
            done.stderr.contains("20000 bytes received"),
            "{modem}: {}",
            done.stderr
        );
        assert!(done.stderr.contains("HTTP "), "{modem}: {}", done.stderr);
    }
}

#[test]
fn a_get_without_output_writes_the_body_to_stdout() {
    let done = run(["http", "get", "/bytes/3000?seed=2", "--emulate", "sim800"]).expect_status(0);
    assert_eq!(done.stdout, payload(3000, 2));
    assert!(done.stderr.contains("HTTP 200 OK"), "{}", done.stderr);
    assert!(
        done.stderr
            .to_ascii_lowercase()
            .contains("content-length: 3000"),
        "the headers are printed: {}",
        done.stderr
    );
}

#[test]
fn a_post_sends_the_file_named_by_at() {
    for modem in HTTP_MODEMS {
        let dir = tempfile::tempdir().unwrap();
        let body = payload(3000, 11);
        let file = arg(dir.path(), "upload.bin");
        std::fs::write(&file, &body).unwrap();
        let data = format!("@{file}");
        let mut args = vec!["http", "post", "/post", "-d", &data, "--emulate", modem];
        if modem == "esp_at" {
            // Its HTTP client sends the caller's headers; the other's does not.
            args.extend(["-H", "X-Test: yes"]);
        }
        let done = run(args).expect_status(0);
        let echo: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
        assert_eq!(echo["method"], "POST", "{modem}");
        assert_eq!(echo["body_len"], 3000, "{modem}");
        assert_eq!(echo["body_sha256"], sha256(&body), "{modem}");
        assert!(
            done.stderr.contains("3000 bytes sent"),
            "{modem}: {}",
            done.stderr
        );
        if modem == "esp_at" {
            assert_eq!(echo["headers"]["x-test"], "yes");
        }
    }
    let refused = run([
        "http",
        "get",
        "/get",
        "-H",
        "X-Test: yes",
        "--emulate",
        "sim800",
    ]);
    let refused = refused.expect_status(4);
    assert!(
        refused.stderr.contains("request headers"),
        "{}",
        refused.stderr
    );
}

#[test]
fn an_error_status_exits_3_and_still_prints_it() {
    for modem in HTTP_MODEMS {
        let done = run(["http", "get", "/status/404", "--emulate", modem]).expect_status(3);
        assert!(done.stderr.contains("404"), "{modem}: {}", done.stderr);
    }
    let done = run(["http", "get", "/status/503", "--emulate", "sim800"]).expect_status(3);
    assert!(
        done.stderr
            .contains("the server answered 503 Service Unavailable"),
        "{}",
        done.stderr
    );
}

#[test]
fn https_works_where_the_modem_has_it_and_is_refused_where_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = arg(dir.path(), "body.bin");
    run([
        "http",
        "get",
        "https:///bytes/4000?seed=3",
        "-o",
        &out,
        "--emulate",
        "esp_at",
    ])
    .expect_status(0);
    assert_eq!(std::fs::read(&out).unwrap(), payload(4000, 3));

    let done = run(["http", "get", "https:///get", "--emulate", "sim800"]).expect_status(4);
    assert!(
        done.stderr.contains("sim800 http.request"),
        "{}",
        done.stderr
    );
    assert!(done.stderr.contains("does not support"), "{}", done.stderr);
}

#[test]
fn head_and_delete_go_out_with_their_methods() {
    let head = run(["http", "head", "/get", "--emulate", "sim800"]).expect_status(0);
    assert!(head.stdout.is_empty(), "a HEAD has no body");
    assert!(head.stderr.contains("HTTP 200 OK"), "{}", head.stderr);
    let delete = run(["http", "delete", "/delete", "--emulate", "esp_at"]).expect_status(0);
    let echo: serde_json::Value = serde_json::from_slice(&delete.stdout).unwrap();
    assert_eq!(echo["method"], "DELETE");
    // A method the modem's HTTP client does not send.
    let put = run(["http", "put", "/put", "-d", "x", "--emulate", "esp_at"]).expect_status(4);
    assert!(put.stderr.contains("method PUT"), "{}", put.stderr);
}

#[test]
fn a_modem_without_an_http_task_says_so() {
    let done = run(["http", "get", "/get", "--emulate", "a76xx"]).expect_status(4);
    assert!(
        done.stderr.contains("the a76xx modem has no HTTP task"),
        "{}",
        done.stderr
    );
}

#[test]
fn the_status_and_headers_print_as_json_when_asked() {
    let done = run(["http", "get", "/bytes/10", "--json", "--emulate", "sim800"]).expect_status(0);
    let line = done
        .stderr
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON in {}", done.stderr));
    let json: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(json["status"], 200);
    assert_eq!(json["received"], 10);
}

#[test]
fn verbose_prints_the_transcript_with_the_wifi_key_masked() {
    let done = run(["http", "get", "/get", "-v", "--emulate", "esp_at"]).expect_status(0);
    let key = atspec_emulator::modems::esp_at::DEFAULT_PASSWORD;
    assert!(
        done.stderr.contains("> AT+CWJAP=\"espressif\",\"***\""),
        "{}",
        done.stderr
    );
    assert!(done.stderr.contains("> AT+HTTPCLIENT="), "{}", done.stderr);
    assert!(done.stderr.contains("< OK"), "{}", done.stderr);
    assert!(
        !done.stderr.contains(key),
        "the Wi-Fi key leaked:\n{}",
        done.stderr
    );
    // The link options given replace the emulator's default.
    let wrong = run([
        "http",
        "get",
        "/get",
        "--ssid",
        "espressif",
        "--password",
        "not-the-key",
        "-v",
        "--emulate",
        "esp_at",
    ])
    .expect_status(4);
    assert!(
        wrong.stderr.contains("esp_at network.connect"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains("not-the-key"), "{}", wrong.stderr);
}

#[test]
fn mistakes_of_the_command_line_exit_2_and_say_what_to_do() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["http", "get", FAR, "--tcp", "127.0.0.1:1"],
            "--modem PACKAGE",
        ),
        (
            &["http", "get", "/get", "--tcp", "127.0.0.1:1"],
            "only --emulate MODEM starts",
        ),
        (
            &[
                "http",
                "get",
                FAR,
                "--tcp",
                "127.0.0.1:1",
                "--modem",
                "sim900",
            ],
            "known: a76xx, ec200u, esp_at, sim800",
        ),
        (
            &[
                "http",
                "get",
                "/get",
                "--emulate",
                "sim800",
                "-H",
                "nocolon",
            ],
            "not `Name: value`",
        ),
        (
            &["http", "get", FAR],
            "--port DEV, --tcp HOST:PORT or --emulate MODEM",
        ),
    ];
    for (args, want) in cases {
        let done = run(args).expect_status(2);
        assert!(done.stderr.contains(want), "{args:?}: {}", done.stderr);
    }
    let done = run([
        "http",
        "get",
        FAR,
        "--modem",
        "sim800",
        "--tcp",
        "127.0.0.1:1",
    ]);
    let done = done.expect_status(5);
    assert!(
        done.stderr.contains("cannot connect to 127.0.0.1:1"),
        "{}",
        done.stderr
    );
    let done = run([
        "http",
        "get",
        FAR,
        "--modem",
        "sim800",
        "--port",
        "/dev/no-such-port",
    ]);
    assert!(done.expect_status(5).stderr.contains("/dev/no-such-port"));
    let done = run([
        "http",
        "post",
        "/post",
        "-d",
        "@/no/such/file",
        "--emulate",
        "sim800",
    ]);
    assert!(done.expect_status(6).stderr.contains("/no/such/file"));
}

#[test]
fn help_documents_the_exit_statuses() {
    let done = run(["http", "--help"]).expect_status(0);
    let text = done.stdout_text();
    for line in [
        "0  done",
        "2  usage",
        "3  http",
        "4  the modem",
        "5  the connection",
        "6  a local file",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
}
