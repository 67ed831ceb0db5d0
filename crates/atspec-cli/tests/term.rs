//! `atspec term` driven through a pseudo-terminal as a person types: answers
//! decoded inline, refusals without sending, raw lines, completion from the spec,
//! and Ctrl+C leaving cleanly; on an in-process emulated modem and on a modem served
//! by `atspec emulate --pty` (the real serial path).
#![cfg(unix)]

mod support;

use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Eof, Expect, Session};
use support::{ATSPEC, Standing};

fn term(args: &[&str]) -> expectrl::session::OsSession {
    let mut command = Command::new(ATSPEC);
    command.arg("term").args(args);
    let mut session = Session::spawn(command).expect("atspec term starts in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    session.expect("at> ").expect("the prompt");
    session
}

/// Leaves with Ctrl+C and checks that the process ended with status 0.
fn leave(mut session: expectrl::session::OsSession) {
    session.send(ControlCode::EndOfText).unwrap();
    session.expect(Eof).expect("the terminal ends after Ctrl+C");
    let status = session.get_process().wait().unwrap();
    assert!(
        matches!(status, expectrl::process::unix::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}

#[test]
fn each_emulated_modem_answers_decoded_in_the_terminal() {
    for (modem, line, shows) in [
        ("sim800", "AT+CSQ", "rssi=20"),
        ("a76xx", "AT+CREG?", "Registered with the home network."),
        ("ec200u", "AT+CSQ", "signal_quality"),
        ("esp_at", "AT+CWMODE?", "mode=1"),
    ] {
        let mut session = term(&["--emulate", modem]);
        session.send_line(line).unwrap();
        session
            .expect(shows)
            .unwrap_or_else(|e| panic!("{modem}: {e}"));
        session.expect("final").unwrap();
        session.expect("at> ").unwrap();
        leave(session);
    }
}

#[test]
fn a_refused_line_is_explained_and_a_raw_line_goes_out() {
    let mut session = term(&["--emulate", "sim800"]);
    session.send_line("AT+HTTPACTION=7").unwrap();
    session.expect("nothing was sent").unwrap();
    session.expect("is not one of the allowed values").unwrap();
    session.expect("at> ").unwrap();
    session.send_line("!AT+NOSUCH").unwrap();
    session
        .expect("a command the package does not describe")
        .unwrap();
    session.expect("the modem answered ERROR").unwrap();
    session.expect("at> ").unwrap();
    leave(session);
}

#[test]
fn tab_completes_a_command_name_from_the_spec() {
    let mut session = term(&["--emulate", "sim800"]);
    // `AT+CII` starts only AT+CIICR's shapes.
    session.send("AT+CII\t").unwrap();
    session.expect("AT+CIICR").unwrap();
    session.send("\r").unwrap();
    session.expect("+CIICR (execute)").unwrap();
    session.expect("at> ").unwrap();
    leave(session);
}

#[test]
fn the_terminal_on_a_modem_served_on_a_pseudo_terminal() {
    let standing = Standing::start("sim800", &["--pty"]);
    let mut session = term(&["--port", &standing.modem_at, "--modem", "sim800"]);
    session.send_line("AT+CGMM").unwrap();
    session.expect("SIMCOM_SIM800L").unwrap();
    session.expect("at> ").unwrap();
    leave(session);
}

#[test]
fn a_urc_shows_while_the_terminal_waits_at_the_prompt() {
    let standing = Standing::start("sim800", &["--pty", "--registration-delay-ms", "3000"]);
    let mut session = term(&["--port", &standing.modem_at, "--modem", "sim800"]);
    session.send_line("AT+CREG=1").unwrap();
    session.expect("final").unwrap();
    session.expect("at> ").unwrap();
    // Nothing more is typed: the registration URC must show by itself.
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
        .expect("Registered with the home network.")
        .expect("the URC decoded above the prompt, without a key pressed");
    leave(session);
}
