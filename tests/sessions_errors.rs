//! Regression corpus (issue 9), the reasons modules give when something fails,
//! and answers real firmware shortens: ESP-AT's join failure code before
//! `ERROR`, a command line longer than the module takes, a SIM800 `AT+HTTPREAD`
//! of an empty body answered by `OK` alone, and the shorter `AT+CWJAP?` answer
//! of ESP-AT 2.1. Every session runs in every mode of `support` on paused time.

mod support;

use atspec::AtError;
use atspec_sim800::http::{HttpMethod, HttpactionWrite, HttpreadExec};
use support::corpus::{self, at, at_esp, lines};
use support::{for_all_modes_paused, ok};

/// ESP32 AT joining with a wrong password: `+CWJAP:2` ("the password is wrong")
/// then `ERROR`. The command fails, and the reason the module gave is in the
/// error (`AtError::Command::info`), decoded through the spec's `cwjap_error`
/// table and said in the error's text.
///
/// Shape: espressif/esp-at#388 (`+CWJAP:4` then `ERROR` after a failed join); the
/// codes: the ESP-AT Wi-Fi commands (specs/espressif-esp-at/wifi.yaml, AT+CWJAP).
#[tokio::test(start_paused = true)]
async fn esp_at_join_fails_with_a_reason() {
    use atspec_esp_at::wifi::CwjapJoinWrite;
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at_esp("AT+CWJAP=\"BL_841R\",\"wrong\""),
            lines(b"\r\n+CWJAP:2\r\n\r\nERROR\r\n"),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let join = CwjapJoinWrite::new(Some("BL_841R"), Some("wrong"), None).unwrap();
        let error = rig.client.send(&join).await;
        match &error {
            Err(AtError::Command {
                command: "+CWJAP",
                result: "ERROR",
                info,
                ..
            }) => {
                let [line] = info.as_slice() else {
                    panic!("one line before ERROR: {info:?}");
                };
                assert_eq!(line.line, "+CWJAP:2");
                let decoded = line.decoded.as_ref().expect("a declared line");
                assert_eq!(decoded.name, "join_error");
                let reason = decoded.field("error_code").expect("its field");
                assert_eq!(
                    (reason.value.as_str(), reason.coded, reason.meaning),
                    ("2", true, Some("The password is wrong."))
                );
            }
            other => panic!("expected ERROR after +CWJAP:2, got {other:?}"),
        }
        assert_eq!(
            error.unwrap_err().to_string(),
            "+CWJAP: the modem answered ERROR after +CWJAP:2 (The password is wrong.)"
        );
        rig.finish_strict().await;
    })
    .await;
}

/// ESP-AT takes command lines of at most 256 characters and answers a longer
/// `AT+HTTPCLIENT` with `ERROR`: the client refuses the 279-character line
/// before sending it, naming the limit, and sends the 214-character one.
///
/// Shape: espressif/esp-at#636 (a 279-character `AT+HTTPCLIENT` answered `ERROR`,
/// a 214-character one working), espressif/esp-at#363 (the limit near 255),
/// espressif/esp-at#494 ("The max length of an AT command is 256 bytes").
#[tokio::test(start_paused = true)]
async fn esp_at_command_line_over_the_limit() {
    use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequestWrite, TransportType};
    for_all_modes_paused(|mode| async move {
        let request = |url: &str| {
            HttpclientRequestWrite::new(
                HttpOpt::from_code(2),
                ContentType::from_code(3),
                url,
                None,
                None,
                TransportType::from_code(2),
                Vec::new(),
            )
            .unwrap()
        };
        // `+HTTPCLIENT=2,3,"",,,2` is 22 characters after AT.
        let long = format!(
            "https://x.example.com/hs/error.php?d={}",
            "9".repeat(279 - 22 - 37)
        );
        let short = format!(
            "https://x.example.com/hs/error.php?d={}",
            "9".repeat(214 - 22 - 37)
        );
        let sent = format!("AT+HTTPCLIENT=2,3,\"{short}\",,,2");
        let script = vec![at_esp(&sent), lines(b"\r\n+HTTPCLIENT:2,ok\r\n\r\nOK\r\n")];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let mut page = Vec::new();
        match rig.client.send_download(&request(&long), &mut page).await {
            Err(AtError::LineTooLong {
                command: "+HTTPCLIENT",
                len: 279,
                max: 256,
            }) => {}
            other => panic!("expected the 279-character line refused, got {other:?}"),
        }
        let (_, n) = rig
            .client
            .send_download(&request(&short), &mut page)
            .await
            .expect("214 characters");
        assert_eq!((n, page.as_slice()), (2, &b"ok"[..]));
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 HTTP GET of an empty resource: `+HTTPACTION: 0,200,0`, and
/// `AT+HTTPREAD` answered by `OK` alone, without the `+HTTPREAD: 0` line the
/// manual shows. The read must give zero bytes.
///
/// Shape: issue 9 class 6 (SIM800 `AT+HTTPREAD` on an empty body answers just
/// `OK`), ostaquet/Arduino-SIM800L-driver#61 (not calling `AT+HTTPREAD` when the
/// length is 0, because of this answer).
#[tokio::test(start_paused = true)]
async fn sim800_http_read_of_an_empty_body() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+HTTPACTION=0"),
            lines(b"\r\nOK\r\n\r\n+HTTPACTION: 0,200,0\r\n"),
            at("AT+HTTPREAD"),
            ok(),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let get = HttpactionWrite::new(HttpMethod::Get).unwrap();
        let ((), done) = rig.client.send_deferred(&get).await.expect("HTTPACTION");
        assert_eq!(done.data_len, 0);
        let mut body = Vec::new();
        let read = rig
            .client
            .send_download(&HttpreadExec::new(), &mut body)
            .await;
        assert!(matches!(read, Ok((_, 0))), "an empty body: {read:?}");
        assert!(body.is_empty());
        rig.finish_strict().await;
    })
    .await;
}

/// ESP8266 AT 2.1 answers `AT+CWJAP?` with eight fields
/// (`+CWJAP:"BL_841R","44:33:4c:90:96:9a",11,-55,0,0,0,0`, without the `<pmf>`
/// later firmware adds); the typed read must take it.
///
/// Shape: espressif/esp-at#479 (that answer, from `AT version:2.1.0.0`).
#[tokio::test(start_paused = true)]
async fn esp_at_cwjap_read_of_firmware_2_1() {
    use atspec_esp_at::wifi::CwjapRead;
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at_esp("AT+CWJAP?"),
            lines(b"\r\n+CWJAP:\"BL_841R\",\"44:33:4c:90:96:9a\",11,-55,0,0,0,0\r\n\r\nOK\r\n"),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let joined = rig.client.send(&CwjapRead::new()).await;
        assert!(
            matches!(&joined, Ok(c) if c.ssid == "BL_841R" && c.rssi == -55),
            "{joined:?}"
        );
        rig.finish_strict().await;
    })
    .await;
}
