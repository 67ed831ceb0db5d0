//! `atspec at` on every emulated modem: typed answers, refusals before anything is
//! sent, raw lines, deferred completions, uploads without data, secrets, JSON,
//! and the real serial path through `atspec emulate --pty`.

mod support;

use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID};
use support::{Standing, run};

#[test]
fn every_modem_answers_a_typed_command_with_named_fields() {
    for (modem, line, shows) in [
        ("sim800", "AT+CSQ", "signal_quality [rssi=20"),
        (
            "a76xx",
            "AT+CREG?",
            "stat=1 (Registered with the home network.)",
        ),
        ("ec200u", "AT+CGMM", "model [model=EC200U]"),
        ("esp_at", "AT+CWMODE?", "mode=1"),
    ] {
        let done = run(["at", "--emulate", modem, line]).expect_status(0);
        let out = done.stdout_text();
        assert!(out.contains(shows), "{modem}: {out}");
        assert!(out.contains("final    OK"), "{modem}: {out}");
    }
}

#[test]
fn an_out_of_range_value_is_refused_with_the_rule_and_nothing_is_sent() {
    let done = run(["at", "-v", "--emulate", "sim800", "AT+HTTPACTION=7"]).expect_status(2);
    assert!(done.stderr.contains("nothing was sent"), "{}", done.stderr);
    assert!(
        done.stderr
            .contains("`method`: 7 is not one of the allowed values"),
        "{}",
        done.stderr
    );
    assert!(
        !done.stderr.contains("> AT+HTTPACTION"),
        "the transcript shows it sent: {}",
        done.stderr
    );
}

#[test]
fn a_quote_inside_a_string_cannot_smuggle_a_second_command() {
    let done = run([
        "at",
        "--emulate",
        "sim800",
        r#"AT+HTTPPARA="URL","http://x/"+CFUN=0""#,
    ])
    .expect_status(2);
    assert!(done.stderr.contains("nothing was sent"), "{}", done.stderr);
}

#[test]
fn a_command_no_spec_declares_is_sent_only_with_raw() {
    let refused = run(["at", "--emulate", "sim800", "AT+NOSUCH"]).expect_status(2);
    assert!(
        refused.stderr.contains("none is named `+NOSUCH`"),
        "{}",
        refused.stderr
    );
    let sent = run(["at", "--emulate", "sim800", "--raw", "AT+NOSUCH"]).expect_status(4);
    assert!(
        sent.stdout_text()
            .contains("a command the package does not describe")
    );
    assert!(
        sent.stderr.contains("the modem answered ERROR"),
        "{}",
        sent.stderr
    );
}

#[test]
fn the_emulator_names_each_line_it_answers_error_for_want_of_emulation() {
    for modem in ["sim800", "a76xx", "ec200u", "esp-at"] {
        let sent = run(["at", "--emulate", modem, "--raw", "AT+NOSUCH=1"]).expect_status(4);
        assert!(
            sent.stderr
                .contains("emulator: answered ERROR to `AT+NOSUCH=1`"),
            "{modem}: {}",
            sent.stderr
        );
    }
    // A command the emulator does emulate, refused for its value, is the module's own
    // answer and no gap.
    let refused = run(["at", "--emulate", "a76xx", "--raw", "AT+CFTPSLOGOUT=7"]);
    assert!(!refused.stderr.contains("emulator:"), "{}", refused.stderr);
}

#[test]
fn a_deferred_command_waits_for_its_completion_urc() {
    let done = run(["at", "--emulate", "a76xx", "AT+CFTPSSTART"]).expect_status(0);
    let out = done.stdout_text();
    let ok = out.find("final    OK").expect("OK first");
    let urc = out
        .find("+CFTPSSTART: 0")
        .unwrap_or_else(|| panic!("the completion: {out}"));
    assert!(ok < urc, "{out}");
}

#[test]
fn an_upload_needs_its_data() {
    let done = run([
        "at",
        "--emulate",
        "esp_at",
        r#"AT+HTTPCPOST="http://127.0.0.1:9/x",5"#,
    ])
    .expect_status(2);
    assert!(done.stderr.contains("--data"), "{}", done.stderr);
}

#[test]
fn a_wifi_password_never_shows() {
    let line = format!(r#"AT+CWJAP="{DEFAULT_SSID}","{DEFAULT_PASSWORD}""#);
    let done = run(["at", "-v", "--emulate", "esp_at", &line]).expect_status(0);
    let everything = format!("{}{}", done.stdout_text(), done.stderr);
    assert!(
        everything.contains("WIFI GOT IP") || everything.contains("OK"),
        "{everything}"
    );
    assert!(!everything.contains(DEFAULT_PASSWORD), "{everything}");
    assert!(everything.contains("***"), "{everything}");
}

#[test]
fn json_gives_one_object_per_line_with_its_kind_and_fields() {
    let done = run(["at", "--json", "--emulate", "sim800", "AT+CSQ"]).expect_status(0);
    let lines: Vec<serde_json::Value> = done
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["command", "response", "final"]);
    assert_eq!(lines[1]["command"], "+CSQ");
    assert_eq!(lines[1]["fields"]["rssi"], "20");
}

#[cfg(unix)]
#[test]
fn at_through_a_pseudo_terminal() {
    let standing = Standing::start("ec200u", &["--pty"]);
    let done = run([
        "at",
        "--port",
        &standing.modem_at,
        "--modem",
        "ec200u",
        "AT+CSQ",
    ])
    .expect_status(0);
    assert!(
        done.stdout_text().contains("signal_quality"),
        "{}",
        done.stdout_text()
    );
}

#[test]
fn identify_names_each_emulated_module_and_ports_runs() {
    for (modem, says) in [
        ("sim800", "package: sim800"),
        ("a76xx", "family a76xx"),
        ("ec200u", "package: ec200u"),
        ("esp_at", "package: esp_at"),
    ] {
        let done = run(["identify", "--emulate", modem]).expect_status(0);
        assert!(
            done.stdout_text().contains(says),
            "{modem}: {}",
            done.stdout_text()
        );
    }
    let json = run(["identify", "--json", "--emulate", "a76xx"]).expect_status(0);
    let value: serde_json::Value = serde_json::from_str(json.stdout_text().trim()).unwrap();
    assert_eq!(value["fits"][0]["package"], "a76xx");
    let ports = run(["ports", "--json"]).expect_status(0);
    for line in ports.stdout_text().lines() {
        let port: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(port["port"].is_string(), "{line}");
    }
}

#[test]
fn every_cellular_module_answers_the_identity_commands_with_their_text() {
    for modem in ["sim800", "a76xx", "ec200u"] {
        for (line, field) in [
            ("AT+GMI", "manufacturer="),
            ("AT+GMM", "model="),
            ("AT+GMR", "revision="),
            ("AT+GSN", "serial_number="),
            ("AT+CGSN", "serial_number="),
        ] {
            let done = run(["at", "--emulate", modem, line]).expect_status(0);
            assert!(
                done.stdout_text().contains(field),
                "{modem} {line}: {}",
                done.stdout_text()
            );
        }
    }
}

#[test]
fn an_emulated_family_member_is_read_with_its_package() {
    let done = run(["at", "--emulate", "sim808", "AT+CGNSPWR?"]).expect_status(0);
    assert!(
        done.stdout_text().contains("+CGNSPWR"),
        "{}",
        done.stdout_text()
    );
}
