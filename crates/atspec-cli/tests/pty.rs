//! The real serial path: `atspec emulate MODEM --pty` serves one module on a
//! pseudo-terminal, and `atspec … --port <pty>` talks to it as to a UART. The
//! servers are reached by the addresses the emulator printed.
#![cfg(unix)]

mod support;

use atspec_emulator::payload;
use support::{Standing, arg, run, sha256};

#[test]
fn an_http_get_through_the_pseudo_terminal() {
    let standing = Standing::start("sim800", &["--pty"]);
    assert!(
        standing.modem_at.starts_with("/dev/"),
        "{}",
        standing.modem_at
    );
    let dir = tempfile::tempdir().unwrap();
    let out = arg(dir.path(), "body.bin");
    let url = format!("{}/bytes/9000?seed=5", standing.http);
    let done = run([
        "http",
        "get",
        &url,
        "-o",
        &out,
        "--port",
        &standing.modem_at,
        "--baud",
        "115200",
        "--modem",
        "sim800",
        "--apn",
        "internet",
    ])
    .expect_status(0);
    assert!(
        done.stderr.contains("9000 bytes received"),
        "{}",
        done.stderr
    );
    assert_eq!(
        sha256(&std::fs::read(&out).unwrap()),
        sha256(&payload(9000, 5))
    );
}

#[test]
fn ftp_put_and_get_through_the_pseudo_terminal() {
    for modem in ["a76xx", "ec200u"] {
        let standing = Standing::start(modem, &["--pty"]);
        let dir = tempfile::tempdir().unwrap();
        let body = payload(4000, 9);
        let local = arg(dir.path(), "up.bin");
        std::fs::write(&local, &body).unwrap();
        let file = standing.ftp_url("ftp", "/up.bin");
        let line = [
            "--port",
            &standing.modem_at,
            "--modem",
            modem,
            "--apn",
            "internet",
        ];
        let mut put = vec!["ftp", "put", &local, &file];
        put.extend(line);
        run(put).expect_status(0);
        let out = arg(dir.path(), "down.bin");
        let mut get = vec!["ftp", "get", &file, "-o", &out, "-v"];
        get.extend(line);
        let got = run(get).expect_status(0);
        assert_eq!(std::fs::read(&out).unwrap(), body, "{modem}");
        assert!(got.stderr.contains("> AT"), "{modem}: {}", got.stderr);
        assert!(
            !got.stderr.contains(&standing.ftp_password),
            "{modem}: {}",
            got.stderr
        );
    }
}
