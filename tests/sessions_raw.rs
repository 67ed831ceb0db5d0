//! Regression corpus (issue 9), commands outside the specs through
//! `Client::send_raw`, interleaved with typed commands as the public logs show
//! them: `SHUT OK`, a bare IP address without `OK`, `OK` followed by the state
//! line, verbose `+CME ERROR` texts, chained commands, a raw command that times
//! out. Raw commands take every line no URC of the vendor's set claims, so the
//! modes that inject URCs inject only the vendor's typed URCs here (an unknown
//! injected line would rightly be part of the raw answer). Every session runs in
//! every mode of `support` on paused time.

mod support;

use std::time::Duration;

use atspec::{AtError, RAW, RawCommand, ResultKind, Stage};
use atspec_common::v250::{CmeeMode, CmeeWrite};
use atspec_sim800::bearer::{
    BearerContype, SapbrOpenWrite, SapbrQueryWrite, SapbrSetApnWrite, SapbrSetContypeWrite,
};
use support::corpus::{self, assert_raw_ended, at, at_esp, lines, text, unechoed};
use support::{Seg, Step, for_all_modes_paused, ok};

fn raw(line: &str) -> RawCommand {
    RawCommand::new(line).unwrap()
}

/// The text of a verbose `+CME ERROR: <text>` answer, checked to carry the
/// meaning the vendor's table gives that text.
fn verbose_error(answer: atspec::RawResponse) -> String {
    assert!(!answer.is_ok());
    match answer.into_ok() {
        Err(AtError::Command {
            command: RAW,
            result: "+CME ERROR:",
            code: Some(code),
            meaning,
            ..
        }) => {
            assert_eq!(
                meaning,
                Some(code.as_str()),
                "the table's meaning of {code:?}"
            );
            code
        }
        other => panic!("expected a verbose +CME ERROR, got {other:?}"),
    }
}

fn is_ip_address(line: &[u8]) -> bool {
    !line.is_empty() && line.iter().all(|b| b.is_ascii_digit() || *b == b'.')
}

/// The GPRS set-up TinyGSM runs on a SIM800: `AT+CIPSHUT` (`SHUT OK`, no `OK`),
/// `AT+CGATT=0`, the bearer settings (typed), `AT+CGDCONT`, `AT+CGACT=1,1`
/// (answered after 6.5 s), the bearer opened and queried (typed), `AT+CGATT=1`,
/// `AT+CIPMUX=1`.
///
/// Shape: vshymanskyy/TinyGSM#184 and #197 (the whole sequence, with its timing:
/// `AT+CIPSHUT` `SHUT OK`, `AT+CGACT=1,1` `OK` 6.5 s later, `+SAPBR: 1,1,"100.88.72.189"`).
#[tokio::test(start_paused = true)]
async fn sim800_tinygsm_gprs_connect() {
    for_all_modes_paused(|mode| async move {
        let mut script = vec![at("AT+CIPSHUT"), lines(b"\r\nSHUT OK\r\n")];
        for line in [
            "AT+CGATT=0",
            "AT+SAPBR=3,1,\"CONTYPE\",\"GPRS\"",
            "AT+SAPBR=3,1,\"APN\",\"tim.com.br\"",
            "AT+CGDCONT=1,\"IP\",\"tim.com.br\"",
        ] {
            script.extend([at(line), ok()]);
        }
        script.extend([
            at("AT+CGACT=1,1"),
            Step::Pause(Duration::from_millis(6500)),
            ok(),
            at("AT+SAPBR=1,1"),
            Step::Pause(Duration::from_millis(1300)),
            ok(),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"100.88.72.189\"\r\nOK\r\n"),
            at("AT+CGATT=1"),
            ok(),
            at("AT+CIPMUX=1"),
            ok(),
        ]);
        let rig = corpus::sim800(mode, corpus::config(), script, true);
        let c = &rig.client;
        let shut = raw("AT+CIPSHUT").ends_at(|l| l == b"SHUT OK");
        let answer = c.send_raw(&shut).await.expect("CIPSHUT");
        assert_raw_ended(&atspec_sim800::DIALECT, &answer, &[], b"SHUT OK");
        let detach = c.send_raw(&raw("AT+CGATT=0")).await.expect("CGATT=0");
        assert!(detach.lines.is_empty() && detach.is_ok(), "{detach:?}");
        let gprs = SapbrSetContypeWrite::new(1, BearerContype::Gprs).unwrap();
        c.send(&gprs).await.expect("CONTYPE");
        c.send(&SapbrSetApnWrite::new(1, "tim.com.br").unwrap())
            .await
            .expect("APN");
        let context = raw("AT+CGDCONT=1,\"IP\",\"tim.com.br\"");
        c.send_raw(&context)
            .await
            .expect("CGDCONT")
            .into_ok()
            .expect("OK");
        let activate = raw("AT+CGACT=1,1").timeout(Duration::from_secs(10));
        let answer = c.send_raw(&activate).await.expect("CGACT");
        assert_eq!(answer.result.map(|r| r.kind), Some(ResultKind::Ok));
        c.send(&SapbrOpenWrite::new(1).unwrap())
            .await
            .expect("SAPBR=1");
        let status = c
            .send(&SapbrQueryWrite::new(1).unwrap())
            .await
            .expect("SAPBR=2");
        assert_eq!(status.ip_addr, "100.88.72.189");
        for line in ["AT+CGATT=1", "AT+CIPMUX=1"] {
            let answer = c.send_raw(&raw(line)).await.expect(line);
            assert_eq!(answer.into_ok().expect(line), Vec::<Vec<u8>>::new());
        }
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 TCP/IP stack by hand: `AT+CSTT`, `AT+CIICR`, `AT+CIFSR` answered by a
/// bare IP address and no `OK` (ended by a caller-given line), `AT+CIPSTATUS`
/// answered `OK` and then the state line (which reaches the subscribers; the
/// host waits for it), `AT+CIPSHUT`, and the state again.
///
/// Shape: vshymanskyy/TinyGSM#66 (`AT+CIICR` `OK`, then `AT+CIFSR;E0` and
/// `10.255.78.194`), vshymanskyy/TinyGSM#9 (`AT+CIFSR` for the local address);
/// `OK` before `STATE: <state>`: SIM800 manual V1.09 AT+CIPSTATUS (issue 9,
/// class 5).
#[tokio::test(start_paused = true)]
async fn sim800_cifsr_and_cipstatus() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+CSTT=\"internet\""),
            ok(),
            at("AT+CIICR"),
            Step::Pause(Duration::from_millis(1800)),
            ok(),
            at("AT+CIFSR"),
            lines(b"\r\n10.255.78.194\r\n"),
            at("AT+CIPSTATUS"),
            Step::Reply(vec![
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
                Seg::Urc(b"STATE: IP STATUS".to_vec()),
            ]),
            at("AT+CIPSHUT"),
            lines(b"\r\nSHUT OK\r\n"),
            at("AT+CIPSTATUS"),
            Step::Reply(vec![
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
                Seg::Urc(b"STATE: IP INITIAL".to_vec()),
            ]),
        ];
        let mut rig = corpus::sim800(mode, corpus::config(), script, true);
        let c = rig.client.clone();
        c.send_raw(&raw("AT+CSTT=\"internet\""))
            .await
            .expect("CSTT")
            .into_ok()
            .expect("OK");
        let bring_up = raw("AT+CIICR").timeout(Duration::from_secs(85));
        c.send_raw(&bring_up)
            .await
            .expect("CIICR")
            .into_ok()
            .expect("OK");
        let address = c
            .send_raw(&raw("AT+CIFSR").ends_at(is_ip_address))
            .await
            .expect("CIFSR");
        assert_eq!(text(&address.lines), ["10.255.78.194"]);
        assert_eq!(address.result, None);
        for state in [&b"STATE: IP STATUS"[..], b"STATE: IP INITIAL"] {
            let status = c.send_raw(&raw("AT+CIPSTATUS")).await.expect("CIPSTATUS");
            assert!(status.lines.is_empty() && status.is_ok(), "{status:?}");
            rig.wait_for(state).await;
            if state == b"STATE: IP STATUS" {
                let shut = raw("AT+CIPSHUT").ends_at(|l| l == b"SHUT OK");
                let answer = c.send_raw(&shut).await.expect("CIPSHUT");
                assert_raw_ended(&atspec_sim800::DIALECT, &answer, &[], b"SHUT OK");
            }
        }
        drop(c);
        rig.finish_strict().await;
    })
    .await;
}

/// A7670E without a SIM, verbose errors on: `AT+CIMI` and `AT+COPS?` fail with
/// `+CME ERROR: SIM not inserted` / `no network service` (returned as data, with
/// the table's meaning), `AT+CSQ=?` and `AT+CSQ` answer, and `AT+CREG?` answers
/// `+CREG: 0,11` while a registration URC `+CREG: 2` arrives between the command
/// line and its echo: it has the URC's shape (the answer `+CREG: <n>,<stat>` has
/// not), so it reaches the subscribers, echo on or off.
///
/// Shape: Xinyuan-LilyGO/T-Internet-COM#24 (`AT+CIMI` `+CME ERROR: SIM not
/// inserted`, `AT+CSQ=?` `+CSQ: (0-31,99),(0-7,99)`, `AT+COPS?` `+CME ERROR: no
/// network service`), Xinyuan-LilyGO/LilyGo-Modem-Series#247 (`+CREG: 0,11`),
/// FactbirdHQ/atat#223 (a `+CREG` URC taken for the `+CREG?` response).
#[tokio::test(start_paused = true)]
async fn a76xx_queries_without_a_sim() {
    for_all_modes_paused(|mode| async move {
        let mut script = vec![
            at("AT+CMEE=2"),
            ok(),
            at("AT+CIMI"),
            lines(b"\r\n+CME ERROR: SIM not inserted\r\n"),
            at("AT+CSQ=?"),
            lines(b"\r\n+CSQ: (0-31,99),(0-7,99)\r\n\r\nOK\r\n"),
            at("AT+CSQ"),
            lines(b"\r\n+CSQ: 99,99\r\n\r\nOK\r\n"),
            at("AT+COPS?"),
            lines(b"\r\n+CME ERROR: no network service\r\n"),
            unechoed("AT+CREG?"),
        ];
        script.push(Step::Reply(vec![Seg::Urc(b"+CREG: 2".to_vec())]));
        script.extend(corpus::echo_of(mode, "AT+CREG?"));
        script.push(lines(b"\r\n+CREG: 0,11\r\n\r\nOK\r\n"));
        let rig = corpus::a76xx(mode, corpus::config(), script, true);
        let c = &rig.client;
        c.send(&CmeeWrite::new(Some(CmeeMode::Verbose)).unwrap())
            .await
            .expect("CMEE=2");
        let imsi = c.send_raw(&raw("AT+CIMI")).await.expect("CIMI");
        assert_eq!(verbose_error(imsi), "SIM not inserted");
        let support = c.send_raw(&raw("AT+CSQ=?")).await.expect("CSQ=?");
        assert_eq!(
            text(&support.into_ok().unwrap()),
            ["+CSQ: (0-31,99),(0-7,99)"]
        );
        let signal = c.send_raw(&raw("AT+CSQ")).await.expect("CSQ");
        assert_eq!(text(&signal.into_ok().unwrap()), ["+CSQ: 99,99"]);
        let operator = c.send_raw(&raw("AT+COPS?")).await.expect("COPS?");
        assert_eq!(verbose_error(operator), "no network service");
        let registration = c.send_raw(&raw("AT+CREG?")).await.expect("CREG?");
        assert_eq!(text(&registration.into_ok().unwrap()), ["+CREG: 0,11"]);
        rig.finish_strict().await;
    })
    .await;
}

/// ESP8266 (AT 2.1) joining an access point: `AT+CWJAP?` before (`No AP`), the
/// join (typed: `WIFI CONNECTED`, `WIFI GOT IP`, `OK`), `AT+CWJAP?` after (the
/// eight-field answer of AT 2.1, raw), and `AT+CIFSR` with the station's
/// address and MAC.
///
/// Shape: espressif/esp-at#479 (`AT+CWJAP?` answered `No AP` then `OK`; after the
/// join `+CWJAP:"BL_841R","44:33:4c:90:96:9a",11,-55,0,0,0,0`), FactbirdHQ/atat#219
/// (`AT+CWMODE=1`, `AT+CWJAP=...`, `WIFI CONNECTED`, `WIFI GOT IP`, `OK`,
/// `AT+CIFSR`, `+CIFSR:STAIP,"192.168.0.45"`, `+CIFSR:STAMAC,"4c:eb:d6:ed:9a:22"`).
#[tokio::test(start_paused = true)]
async fn esp_at_join_with_raw_queries() {
    use atspec_esp_at::wifi::{CwjapJoinWrite, CwmodeWrite, WifiMode};
    for_all_modes_paused(|mode| async move {
        let connection = b"+CWJAP:\"BL_841R\",\"44:33:4c:90:96:9a\",11,-55,0,0,0,0";
        let mut after = b"\r\n".to_vec();
        after.extend_from_slice(connection);
        after.extend_from_slice(b"\r\n\r\nOK\r\n");
        let script = vec![
            at_esp("AT+CWMODE=1"),
            ok(),
            at_esp("AT+CWJAP?"),
            lines(b"\r\nNo AP\r\n\r\nOK\r\n"),
            at_esp("AT+CWJAP=\"BL_841R\",\"1234567890\""),
            Step::Reply(vec![
                Seg::Urc(b"WIFI CONNECTED".to_vec()),
                Seg::Urc(b"WIFI GOT IP".to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ]),
            at_esp("AT+CWJAP?"),
            lines(&after),
            at_esp("AT+CIFSR"),
            lines(
                b"\r\n+CIFSR:STAIP,\"192.168.0.45\"\r\n+CIFSR:STAMAC,\"4c:eb:d6:ed:9a:22\"\r\n\r\nOK\r\n",
            ),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, true);
        let c = &rig.client;
        c.send(&CwmodeWrite::new(WifiMode::Station, None).unwrap()).await.expect("CWMODE=1");
        let before = c.send_raw(&raw("AT+CWJAP?")).await.expect("CWJAP?");
        assert_eq!(text(&before.into_ok().unwrap()), ["No AP"]);
        let join = CwjapJoinWrite::new(Some("BL_841R"), Some("1234567890"), None).unwrap();
        let joined = c.send(&join).await.expect("CWJAP=");
        assert_eq!(joined.join_error, None);
        let after = c.send_raw(&raw("AT+CWJAP?")).await.expect("CWJAP?");
        assert_eq!(after.into_ok().unwrap(), [connection.to_vec()]);
        let addresses = c.send_raw(&raw("AT+CIFSR")).await.expect("CIFSR");
        assert_eq!(
            text(&addresses.into_ok().unwrap()),
            ["+CIFSR:STAIP,\"192.168.0.45\"", "+CIFSR:STAMAC,\"4c:eb:d6:ed:9a:22\""]
        );
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 `AT+CGACT=1,1` given 5 s by the host but answered after 6.5 s: the raw
/// command times out, its late `OK` is attributed to the raw command, and the
/// typed bearer query after it gets its own answer.
///
/// Shape: vshymanskyy/TinyGSM#184 (`AT+CGACT=1,1` answered 6.5 s later).
#[tokio::test(start_paused = true)]
async fn sim800_raw_command_times_out() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+CGACT=1,1"),
            Step::Pause(Duration::from_millis(6500)),
            Step::Late(b"OK".to_vec()),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"100.88.72.189\"\r\n\r\nOK\r\n"),
        ];
        let mut rig = corpus::sim800(mode, corpus::config(), script, true);
        let activate = raw("AT+CGACT=1,1").timeout(Duration::from_secs(5));
        match rig.client.send_raw(&activate).await {
            Err(AtError::Timeout {
                command: RAW,
                stage: Stage::FinalResult,
                waited,
            }) => assert_eq!(waited, Duration::from_secs(5)),
            other => panic!("expected the raw timeout, got {other:?}"),
        }
        assert_eq!(rig.next_late().await, (b"OK".to_vec(), Some(RAW)));
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.ip_addr, "100.88.72.189");
        rig.finish_strict().await;
    })
    .await;
}

/// A Quectel EC200A polled by a router script with one chained command line,
/// `AT+CPIN?;+CSQ;+COPS=3,0;+COPS?;+CREG=2;+CREG?`: one `OK` ends five answer
/// lines. Lines that a URC of the vendor's set parses (`+CPIN: READY` has the
/// URC's shape) go to the subscribers; the others are the answer.
///
/// Shape: 4IceG/luci-app-3ginfo-lite#135 (the chained line and its answer:
/// `+CSQ: 17,99`, `+CREG: 2,1,"00A8","5355E8D",7`, `+CPIN: READY`,
/// `+COPS: 0,0,"NOS",7`, `+COPS: 0,2,"26803",7`, `OK`).
#[tokio::test(start_paused = true)]
async fn ec200u_chained_status_line() {
    use atspec_ec200u::Urc;
    let chained = "AT+CPIN?;+CSQ;+COPS=3,0;+COPS?;+COPS=3,2;+COPS?;+CREG=2;+CREG?";
    let answer: [&[u8]; 6] = [
        b"+CSQ: 17,99",
        b"+CREG: 2,1,\"00A8\",\"5355E8D\",7",
        b"+CPIN: READY",
        b"+COPS: 0,0,\"NOS\",7",
        b"+COPS: 0,2,\"26803\",7",
        b"OK",
    ];
    let claimed = |line: &[u8]| matches!(Urc::parse(line), Some(Ok(_)));
    for_all_modes_paused(move |mode| async move {
        let mut reply = Vec::new();
        for line in answer {
            if claimed(line) {
                reply.push(Seg::Urc(line.to_vec()));
            } else {
                reply.push(Seg::Lines([b"\r\n", line, b"\r\n"].concat()));
            }
        }
        let script = vec![at(chained), Step::Reply(reply)];
        let rig = corpus::ec200u(mode, corpus::config(), script, true);
        let status = rig
            .client
            .send_raw(&raw(chained))
            .await
            .expect("chained line");
        let want: Vec<Vec<u8>> = answer[..5]
            .iter()
            .filter(|l| !claimed(l))
            .map(|l| l.to_vec())
            .collect();
        assert_eq!(status.into_ok().expect("OK"), want);
        rig.finish_strict().await;
    })
    .await;
}
