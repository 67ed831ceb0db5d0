//! Regression corpus (issue 9), condensed and noisy logs: answers without the
//! blank lines, bare LF and CR-only line ends, doubled CRs, extra spaces, NUL and
//! garbage bytes between answers, over-long garbage lines, and an answer cut by a
//! reset. Every session runs in every mode of `support` on paused time and checks
//! each command's result and every event the subscribers got.

mod support;

use std::time::Duration;

use atspec::{AtError, Config, Stage, Unsolicited};
use atspec_common::v250::{AtExec, S4Write};
use atspec_sim800::bearer::{
    BearerContype, BearerStatus, SapbrQueryWrite, SapbrSetApnWrite, SapbrSetContypeWrite,
};
use atspec_sim800::http::{
    HttpMethod, HttpStatus, HttpactionWrite, HttpinitExec, HttpparaCidWrite,
};
use support::corpus::{self, at, at_esp, cme_error, lines, noise, raw};
use support::{Step, for_all_modes_paused, ok};

/// SIM800 bearer set-up as a serial monitor shows it: answers without the blank
/// line before `OK` (`+SAPBR: ...` directly followed by `OK`), and `OK` sent
/// without its leading CR LF.
///
/// Shape: vshymanskyy/TinyGSM#184 (`+SAPBR: 1,1,"100.88.72.189"` then `OK` on
/// the next line, no blank line), hbjorgo/ATLib#63 (a modem's answers without
/// the blank line between the information line and `OK`).
#[tokio::test(start_paused = true)]
async fn sim800_condensed_answers() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=3,1,\"CONTYPE\",\"GPRS\""),
            lines(b"OK\r\n"),
            at("AT+SAPBR=3,1,\"APN\",\"tim.com.br\""),
            lines(b"OK\r\n"),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"100.88.72.189\"\r\nOK\r\n"),
            at("AT+HTTPINIT"),
            lines(b"OK\r\n"),
            at("AT+HTTPPARA=\"CID\",1"),
            lines(b"\r\n+CME ERROR: 3\r\n"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let gprs = SapbrSetContypeWrite::new(1, BearerContype::Gprs).unwrap();
        rig.client.send(&gprs).await.expect("CONTYPE");
        rig.client
            .send(&SapbrSetApnWrite::new(1, "tim.com.br").unwrap())
            .await
            .expect("APN");
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.status, BearerStatus::Connected);
        assert_eq!(status.ip_addr, "100.88.72.189");
        rig.client
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        let refused = rig.client.send(&HttpparaCidWrite::new(1).unwrap()).await;
        assert_eq!(
            cme_error(refused),
            ("3".to_owned(), Some("operation not allowed"))
        );
        rig.finish_strict().await;
    })
    .await;
}

/// A module that ends its lines with a bare LF (no CR), for information lines,
/// results and URCs alike; here a SIM800 query and an HTTP action whose
/// completion comes framed the same way.
///
/// Shape: hbjorgo/ATLib#63 (a WebDyn EasyDot sends only LF between `READY` and
/// `OK`; the library timed out waiting for `OK`).
#[tokio::test(start_paused = true)]
async fn bare_lf_line_ends() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=2,1"),
            Step::Reply(vec![raw(b"\n+SAPBR: 1,1,\"10.52.3.8\"\n\nOK\n")]),
            Step::Reply(vec![noise(b"\nRING\n", &[b"RING"])]),
            at("AT+HTTPACTION=0"),
            Step::Reply(vec![raw(b"\nOK\n\n+HTTPACTION: 0,404,0\n")]),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.ip_addr, "10.52.3.8");
        let get = HttpactionWrite::new(HttpMethod::Get).unwrap();
        let ((), done) = rig.client.send_deferred(&get).await.expect("HTTPACTION");
        assert_eq!(
            (done.status_code, done.data_len),
            (HttpStatus::NotFound.into(), 0)
        );
        rig.finish_strict().await;
    })
    .await;
}

/// A module that doubles the CR of every line end (`\r\r\n`), in answers, URCs
/// and its echo (`AT\r\r\n`).
///
/// Shape: FactbirdHQ/atat#191 (a modem emitting `\r\r\nRING\r\r\n`), RIOT-OS/RIOT#7084
/// (a u-blox modem echoing `\r\r\n`), ARMmbed/mbed-os#11192 (EC2X `AT<cr><cr><ln>OK`).
#[tokio::test(start_paused = true)]
async fn doubled_cr_line_ends() {
    use atspec_ec200u::support::QiactRead;
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT"),
            Step::Reply(vec![raw(b"\r\r\nOK\r\r\n")]),
            Step::Reply(vec![noise(b"\r\r\nRING\r\r\n", &[b"RING"])]),
            at("AT+QIACT?"),
            Step::Reply(vec![raw(
                b"\r\r\n+QIACT: 1,1,1,\"10.7.157.1\"\r\r\n\r\r\nOK\r\r\n",
            )]),
        ];
        let rig = corpus::ec200u(mode, corpus::config(), script, false);
        rig.client.send(&AtExec::new()).await.expect("AT");
        let contexts = rig.client.send(&QiactRead::new()).await.expect("QIACT?");
        assert_eq!(contexts.active_context.len(), 1);
        assert_eq!(
            contexts.active_context[0].ip_address.as_deref(),
            Some("10.7.157.1")
        );
        rig.finish_strict().await;
    })
    .await;
}

/// Quectel EC200U after `ATS4=13`: the response formatting character is CR, so
/// every line is framed `<CR><CR>text<CR><CR>` and no LF is sent at all, until
/// `ATS4=10` restores it.
///
/// Shape: V.250 §6.2.2 (S4, the response formatting character, framing every
/// result and information line; shared/reference/v250-common.md); the Quectel
/// manuals accept 0-127 for S4.
#[tokio::test(start_paused = true)]
async fn cr_only_line_ends() {
    use atspec_ec200u::support::QiactRead;
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("ATS4=13"),
            Step::Reply(vec![raw(b"\r\rOK\r\r")]),
            at("AT+QIACT?"),
            Step::Reply(vec![raw(b"\r\r+QIACT: 1,1,1,\"10.7.157.1\"\r\r\r\rOK\r\r")]),
            Step::Reply(vec![noise(
                b"\r\r+QIURC: \"pdpdeact\",1\r\r",
                &[b"+QIURC: \"pdpdeact\",1"],
            )]),
            at("ATS4=10"),
            Step::Reply(vec![raw(b"\r\rOK\r\r")]),
            at("AT"),
            ok(),
        ];
        let rig = corpus::ec200u(mode, corpus::config(), script, false);
        rig.client.send(&S4Write::new(13)).await.expect("ATS4=13");
        let contexts = rig.client.send(&QiactRead::new()).await.expect("QIACT?");
        assert_eq!(
            contexts.active_context[0].ip_address.as_deref(),
            Some("10.7.157.1")
        );
        rig.client.send(&S4Write::new(10)).await.expect("ATS4=10");
        rig.client.send(&AtExec::new()).await.expect("AT");
        rig.finish_strict().await;
    })
    .await;
}

/// Extra and missing spaces: `+HTTPACTION:0,200,7438` without the space after the
/// colon (SIM900 firmware), spaces after the commas of `+SAPBR:`, result codes
/// with trailing spaces, and blank lines made of spaces between answers.
///
/// Shape: ostaquet/Arduino-SIM800L-driver#65 (a SIM900 sends
/// `+HTTPACTION:0,200,7438`, which a parser looking for `+HTTPACTION: ` missed);
/// the SIM800 manual writes some URCs with and some without the space
/// (shared/reference/simcom-sim800.md §4).
#[tokio::test(start_paused = true)]
async fn extra_and_missing_spaces() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1, 1, \"10.52.3.8\"\r\n\r\nOK  \r\n"),
            Step::Reply(vec![raw(b"\r\n   \r\n \r\n")]),
            at("AT+HTTPACTION=0"),
            lines(b"\r\nOK \r\n\r\n+HTTPACTION:0,200,7438\r\n"),
            at("AT+HTTPPARA=\"CID\",1"),
            lines(b"\r\n+CME ERROR:   3  \r\n"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let status = corpus::bearer(&rig).await;
        assert_eq!((status.cid, status.ip_addr.as_str()), (1, "10.52.3.8"));
        let get = HttpactionWrite::new(HttpMethod::Get).unwrap();
        let ((), done) = rig.client.send_deferred(&get).await.expect("HTTPACTION");
        assert_eq!(
            (done.status_code, done.data_len),
            (HttpStatus::Ok.into(), 7438)
        );
        let refused = rig.client.send(&HttpparaCidWrite::new(1).unwrap()).await;
        assert_eq!(cme_error(refused).0, "3");
        rig.finish_strict().await;
    })
    .await;
}

/// NUL and garbage bytes between answers, each run ended by a line end: the
/// bytes a SIM800 emits as it wakes from sleep, and the `f`f` a SIM7000 printed
/// between commands. They reach the subscribers as the lines they are; the
/// commands around them get their own answers.
///
/// Shape: Xinyuan-LilyGO/LilyGO-T-SIM7000G#21 (`### Unhandled: f`f` between
/// commands), Xinyuan-LilyGO/LilyGo-T-Call-SIM800#173 (`255`, `⸮` before
/// `RDY`), Xinyuan-LilyGO/LilyGo-T-SIM7080G#93 (`�.AT` garbage on the line).
#[tokio::test(start_paused = true)]
async fn garbage_lines_between_answers() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"10.52.3.8\"\r\n\r\nOK\r\n"),
            Step::Reply(vec![noise(b"\x00\x00\xff\r\n", &[b"\x00\x00\xff"])]),
            Step::Reply(vec![noise(b"\r\nf`f\r\n", &[b"f`f"])]),
            at("AT+HTTPINIT"),
            ok(),
            Step::Reply(vec![noise(b"\xfe\xfe\xfe\r\n", &[b"\xfe\xfe\xfe"])]),
        ];
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.ip_addr, "10.52.3.8");
        rig.wait_for(b"f`f").await;
        rig.client
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        rig.finish_strict().await;
    })
    .await;
}

/// A NUL byte with no line end after an answer, so that it sticks to the front
/// of the next command's echo (`\0AT+SAPBR=2,1`): a module waking from sleep
/// emits it just before it echoes the command that woke it. The command must
/// still get its answer.
///
/// Shape: SIM800 sleep mode 1 (AT+CSCLK=1), woken by the command line itself
/// (SIM800 manual V1.09 AT+CSCLK; shared/reference/simcom-sim800.md), with the
/// stray wake-up bytes of Xinyuan-LilyGO/LilyGo-T-SIM7080G#93 (`�.AT`).
#[tokio::test(start_paused = true)]
async fn nul_before_the_echo() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+HTTPINIT"),
            ok(),
            Step::Reply(vec![raw(b"\x00")]),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"10.52.3.8\"\r\n\r\nOK\r\n"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        rig.client
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        let status = rig.client.send(&SapbrQueryWrite::new(1).unwrap()).await;
        assert!(
            matches!(&status, Ok(s) if s.ip_addr == "10.52.3.8"),
            "SAPBR=2 after a NUL: {status:?}"
        );
        // The NUL is no line of its own here (without echo it is one, `\0`);
        // only the other events are compared.
        rig.finish_with(|e| !matches!(e, Unsolicited::Unrecognised(l) if l.first() == Some(&0)))
            .await;
    })
    .await;
}

/// ESP-AT at the wrong baud rate for a moment: an over-long run of garbage
/// without a line end, once while the host is idle (the subscribers are told how
/// much was dropped) and once inside an answer (that command fails with an
/// overflow error; the next one works).
///
/// Shape: martin-ger/esp_wifi_repeater#126 ("an endless stream of garbage
/// characters" on the serial line), esp8266/Arduino#5025 (garbage before the
/// firmware's own output), Xinyuan-LilyGO/LilyGo-T-Call-SIM800#173 (garbage at the
/// wrong baud rate).
#[tokio::test(start_paused = true)]
async fn over_long_garbage_lines() {
    use atspec_esp_at::wifi::{CwmodeRead, WifiMode};
    for_all_modes_paused(|mode| async move {
        let garbage: Vec<u8> = (0..700u32).map(|i| 0x80 | (i * 37 % 127) as u8).collect();
        let mut idle = garbage.clone();
        idle.extend_from_slice(b"\r\n");
        let mut inside = b"\r\n".to_vec();
        inside.extend_from_slice(&garbage[..500]);
        inside.extend_from_slice(b"\r\n\r\n+CWMODE:1\r\n\r\nOK\r\n");
        let script = vec![
            Step::Reply(vec![raw(&idle)]),
            at_esp("AT+CWMODE?"),
            Step::Reply(vec![raw(&inside)]),
            at_esp("AT+CWMODE?"),
            lines(b"\r\n+CWMODE:1\r\n\r\nOK\r\n"),
        ];
        let config = Config {
            max_line: 256,
            ..corpus::config()
        };
        let mut rig = corpus::esp_at(mode, config, script, false);
        match rig.next_event().await {
            Unsolicited::Overflow { discarded } => assert_eq!(discarded, 701, "700 bytes and CR"),
            other => panic!("expected the idle garbage as an overflow, got {other:?}"),
        }
        match rig.client.send(&CwmodeRead::new()).await {
            Err(AtError::Overflow {
                command: "+CWMODE",
                discarded: 501,
            }) => {}
            other => panic!("expected an overflow error, got {other:?}"),
        }
        let setting = rig.client.send(&CwmodeRead::new()).await.expect("CWMODE?");
        assert_eq!(setting.mode, WifiMode::Station);
        rig.finish_with(|e| !matches!(e, Unsolicited::Overflow { .. }))
            .await;
    })
    .await;
}

/// SIM800 browning out in the middle of an answer: `+SAPBR: 1,1,"10.8` is cut
/// off by the reboot (`RDY`, `+CFUN: 1`, `+CPIN: READY`, `Call Ready`,
/// `SMS Ready`); the command times out (no `OK` will come), everything the module
/// printed reaches the subscribers, and after the probe the bearer reads closed.
///
/// Shape: Xinyuan-LilyGO/LilyGO-T-SIM7000G#21 (brown-outs resetting the board in
/// the middle of a session), vshymanskyy/TinyGSM#608 (`SMS Ready` in the middle of
/// a session: "Unexpected module reset!").
#[tokio::test(start_paused = true)]
async fn answer_cut_by_a_reset() {
    for_all_modes_paused(|mode| async move {
        let reboot: [&[u8]; 5] = [
            b"RDY",
            b"+CFUN: 1",
            b"+CPIN: READY",
            b"Call Ready",
            b"SMS Ready",
        ];
        let mut bytes = b"\r\n+SAPBR: 1,1,\"10.8".to_vec();
        let mut unsolicited: Vec<&[u8]> = vec![b"+SAPBR: 1,1,\"10.8"];
        for line in reboot {
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(line);
            bytes.extend_from_slice(b"\r\n");
            unsolicited.push(line);
        }
        let script = vec![
            at("AT+SAPBR=2,1"),
            Step::Reply(vec![noise(&bytes, &unsolicited)]),
            at("AT"),
            ok(),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,3,\"0.0.0.0\"\r\n\r\nOK\r\n"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        match rig.client.send(&SapbrQueryWrite::new(1).unwrap()).await {
            Err(AtError::Timeout {
                command: "+SAPBR",
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected a timeout, got {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.status, BearerStatus::Closed);
        rig.finish_strict().await;
    })
    .await;
}

/// A SIM800 that reboots with a profile saved by `ATE0` `AT&W`: the host has seen
/// its commands echoed, the module resets (`RDY`, `+CFUN: 1`, `+CPIN: READY`), and
/// from then on echoes nothing. The first command after the reset must still get
/// its answer. The script writes the echo itself (before the reset only), so the
/// echo dimension of the modes does not apply.
///
/// Shape: vshymanskyy/TinyGSM#608 (a module resetting in the middle of a session
/// comes back with another echo setting), shared/reference/simcom-sim800.md §6
/// (ATE is saved by AT&W).
#[tokio::test(start_paused = true)]
async fn echo_stops_after_a_reset() {
    for_all_modes_paused(|mode| async move {
        let mode = support::Mode {
            echo: false,
            ..mode
        };
        let mut script = vec![
            Step::ExpectQuiet(b"AT+HTTPINIT\r".to_vec()),
            Step::Reply(vec![raw(b"AT+HTTPINIT\r")]),
            ok(),
        ];
        for line in [&b"RDY"[..], b"+CFUN: 1", b"+CPIN: READY"] {
            script.push(support::corpus::urc(line));
        }
        script.extend([
            Step::ExpectQuiet(b"AT+SAPBR=2,1\r".to_vec()),
            lines(b"\r\n+SAPBR: 1,3,\"0.0.0.0\"\r\n\r\nOK\r\n"),
        ]);
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        rig.client
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        rig.wait_for(b"+CPIN: READY").await;
        let status = rig.client.send(&SapbrQueryWrite::new(1).unwrap()).await;
        assert!(
            matches!(&status, Ok(s) if s.status == BearerStatus::Closed),
            "SAPBR=2 answered without echo: {status:?}"
        );
        rig.finish_strict().await;
    })
    .await;
}
