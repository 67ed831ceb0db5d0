//! `atspec emulate`: the standing emulator's command line, and its faults seen
//! through the other subcommands.
#![cfg(unix)]

mod support;

use support::{Standing, run};

#[test]
fn help_lists_the_emulators_options() {
    for args in [&["emulate", "--help"][..], &["emulate", "sim800", "--help"]] {
        let done = run(args).expect_status(0);
        let text = done.stdout_text();
        for option in ["--pty", "--tcp <addr>", "--fault <name>", "--echo"] {
            assert!(
                text.contains(option),
                "{args:?}: {option} missing from\n{text}"
            );
        }
    }
}

#[test]
fn mistakes_exit_2_and_name_what_is_known() {
    let done = run(["emulate", "sim900"]).expect_status(2);
    assert!(
        done.stderr
            .contains("unknown module `sim900`; known: sim800, sim808, a76xx, esp-at, ec200u"),
        "{}",
        done.stderr
    );
    let done = run(["emulate", "sim800", "--fault", "power-cut"]).expect_status(2);
    assert!(
        done.stderr.contains("use http-down or ftp-refuse-login"),
        "{}",
        done.stderr
    );
}

#[test]
fn the_package_name_is_taken_for_the_module_name() {
    let standing = Standing::start("esp_at", &["--tcp", "127.0.0.1:0"]);
    let done = run([
        "http",
        "get",
        &format!("{}/bytes/100", standing.http),
        "--tcp",
        &standing.modem_at,
        "--modem",
        "esp-at",
        "--ssid",
        "espressif",
        "--password",
        "1234567890",
    ])
    .expect_status(0);
    assert_eq!(done.stdout.len(), 100);
}

#[test]
fn the_demos_faults_reach_the_modems_tasks() {
    let refusing = Standing::start(
        "ec200u",
        &["--tcp", "127.0.0.1:0", "--fault", "ftp-refuse-login"],
    );
    let done = run([
        "ftp",
        "ls",
        &refusing.ftp_url("ftp", "/"),
        "--tcp",
        &refusing.modem_at,
        "--modem",
        "ec200u",
        "--apn",
        "internet",
    ])
    .expect_status(4);
    assert!(
        done.stderr.contains("530 (Not logged in"),
        "{}",
        done.stderr
    );

    let down = Standing::start("sim800", &["--tcp", "127.0.0.1:0", "--fault", "http-down"]);
    let done = run([
        "http",
        "get",
        &format!("{}/get", down.http),
        "--tcp",
        &down.modem_at,
        "--modem",
        "sim800",
        "--apn",
        "internet",
    ])
    .expect_status(4);
    assert!(
        done.stderr.contains("sim800 http.request"),
        "{}",
        done.stderr
    );
}
