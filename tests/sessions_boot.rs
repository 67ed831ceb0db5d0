//! Regression corpus (issue 9), power-up: what the four vendors' modules print
//! while they boot, before and between the host's first commands, and the
//! auto-baud `AT` that goes unanswered. Every session runs in every mode of
//! `support` (chunking x echo x injected URCs) on paused time, and checks each
//! command's result and every event the subscribers got.

mod support;

use std::time::Duration;

use atspec::{AtCommand, AtError, Stage};
use atspec_common::v250::{AtExec, CgmiExec, CgmmExec, CgmrExec, CmeeMode, CmeeWrite};
use support::corpus::{self, at, at_esp, lines, noise, unechoed, urc};
use support::{Seg, Step, for_all_modes_paused, ok};

/// SIM800L at a fixed baud rate: the power-up sync bytes (`0xFF`, shown as `⸮`),
/// `RDY`, `+CFUN: 1`, `+CPIN: READY`; the host waits for `RDY`, then `Call Ready`
/// comes inside an answer and `SMS Ready` after it, and the host waits for
/// `SMS Ready` before its next commands.
///
/// Shape: Xinyuan-LilyGO/LilyGo-T-Call-SIM800#173 (`⸮`, `RDY`, `+CFUN: 1`,
/// `+CPIN: ...`), Seeed-Studio/GPRS_SIM900#39 (commands fail until `+CPIN: READY`,
/// `Call Ready`, `SMS Ready` have come), vshymanskyy/TinyGSM#537 (`Call Ready`,
/// `SMS Ready` between commands); the sync string at power-up: SIM800 manual
/// V1.09 (shared/reference/simcom-sim800.md §6).
#[tokio::test(start_paused = true)]
async fn sim800_fixed_baud_boot() {
    for_all_modes_paused(|mode| async move {
        let boot: &[u8] = b"\xff\x00\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n";
        let boot_lines: [&[u8]; 4] = [b"\xff\x00", b"RDY", b"+CFUN: 1", b"+CPIN: READY"];
        let script = vec![
            Step::Reply(vec![noise(boot, &boot_lines)]),
            at("AT"),
            ok(),
            at("AT+CMEE=2"),
            Step::Reply(vec![
                Seg::Urc(b"Call Ready".to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ]),
            urc(b"SMS Ready"),
            at("AT+CGMI"),
            lines(b"\r\nSIMCOM_Ltd\r\n\r\nOK\r\n"),
            at("AT+CGMR"),
            lines(b"\r\nRevision:1418B04SIM800L24\r\n\r\nOK\r\n"),
        ];
        // Free-text answers take every line no URC claims: only typed URCs are
        // injected.
        let mut rig = corpus::sim800(mode, corpus::config(), script, true);
        rig.wait_for(b"RDY").await;
        rig.client.send(&AtExec::new()).await.expect("AT");
        let verbose = CmeeWrite::new(Some(CmeeMode::Verbose)).unwrap();
        rig.client.send(&verbose).await.expect("AT+CMEE=2");
        rig.wait_for(b"SMS Ready").await;
        let maker = rig.client.send(&CgmiExec::new()).await.expect("CGMI");
        assert_eq!(maker.manufacturer, "SIMCOM_Ltd");
        let revision = rig.client.send(&CgmrExec::new()).await.expect("CGMR");
        assert_eq!(revision.revision, "Revision:1418B04SIM800L24");
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 with auto-bauding (the factory default): no `RDY`; the first `AT` only
/// lets the module measure the baud rate and gets no answer, so the host retries.
/// The retry is preceded by the client's resynchronisation probe (the first `AT`
/// may still be answered), and is answered. `Call Ready` and `SMS Ready` follow.
///
/// Shape: ostaquet/Arduino-SIM800L-driver#16 (`Send "AT"`, `Receive timeout`,
/// retry, `AT` `OK`), blemasle/arduino-sim808#23 (no `RDY` with auto-bauding).
#[tokio::test(start_paused = true)]
async fn sim800_auto_baud_first_at_unanswered() {
    for_all_modes_paused(|mode| async move {
        let mut script = vec![unechoed("AT")];
        // The probe, then the retried AT itself.
        script.extend([at("AT"), ok(), at("AT"), ok()]);
        script.extend([urc(b"Call Ready"), urc(b"SMS Ready")]);
        script.extend([at("AT+CMEE=1"), ok()]);
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        let mut attempts = 0;
        loop {
            attempts += 1;
            match rig.client.send(&AtExec::new()).await {
                Ok(()) => break,
                Err(
                    error @ AtError::Timeout {
                        command,
                        stage: Stage::FinalResult,
                        waited,
                    },
                ) if attempts == 1 => {
                    assert_eq!(command, <AtExec as AtCommand>::NAME);
                    assert_eq!(waited, corpus::config().default_timeout);
                    // The bare `AT` is named in the error and its Debug.
                    assert_eq!(
                        error.to_string(),
                        format!("AT: no final result within {waited:?}")
                    );
                    assert!(format!("{error:?}").contains(r#"command: "AT""#));
                }
                Err(other) => panic!("attempt {attempts}: {other:?}"),
            }
        }
        assert_eq!(attempts, 2, "answered from the second AT on");
        rig.wait_for(b"SMS Ready").await;
        let numeric = CmeeWrite::new(Some(CmeeMode::Numeric)).unwrap();
        rig.client.send(&numeric).await.expect("AT+CMEE=1");
        rig.finish_strict().await;
    })
    .await;
}

/// Quectel EC200U powering on: the host polls `AT` once a second; the first and
/// the probe before the second go unanswered (the second attempt fails without
/// being sent), then the module prints its boot URCs, and the third attempt's
/// probe and `AT` are answered. `+QIND: PB DONE` comes between commands.
///
/// Shape: ARMmbed/mbed-os#12412 (EC21: `AT`, `AT` unanswered a second apart while
/// the module powers on), ARMmbed/mbed-os#11192 (EC2X: `AT<cr><cr><ln>OK`); the
/// boot URCs `RDY`, `+CFUN: 1`, `+CPIN: READY`, `+QUSIM: 1`, `+QIND: SMS DONE`,
/// `+QIND: PB DONE` as the Quectel EC25/EC21 AT Commands Manual lists them
/// (<https://usermanual.wiki/Document/QuectelEC25EC21ATCommandsManual.874188689/html>;
/// their order on an EC200U is UNCONFIRMED).
#[tokio::test(start_paused = true)]
async fn ec200u_power_on_polled_with_at() {
    use atspec_ec200u::support::{ActiveContext, PdpState, PdpType, QiactRead};
    for_all_modes_paused(|mode| async move {
        let boot: [&[u8]; 5] = [
            b"RDY",
            b"+CFUN: 1",
            b"+CPIN: READY",
            b"+QUSIM: 1",
            b"+QIND: SMS DONE",
        ];
        let mut script = vec![unechoed("AT"), unechoed("AT")];
        script.push(Step::Pause(Duration::from_millis(1500)));
        script.extend(boot.iter().map(|l| urc(l)));
        script.extend([at("AT"), ok(), at("AT"), ok()]);
        script.push(urc(b"+QIND: PB DONE"));
        script.extend([
            at("AT+QIACT?"),
            lines(b"\r\n+QIACT: 1,1,1,\"10.7.157.1\"\r\n\r\nOK\r\n"),
        ]);
        let mut rig = corpus::ec200u(mode, corpus::config(), script, false);
        let mut failures = Vec::new();
        let at_cmd = AtExec::new();
        loop {
            match rig.client.send(&at_cmd).await {
                Ok(()) => break,
                Err(AtError::Timeout { stage, .. }) if failures.len() < 2 => failures.push(stage),
                Err(other) => panic!("after {failures:?}: {other:?}"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        assert_eq!(failures, [Stage::FinalResult, Stage::Resync]);
        rig.wait_for(b"+QIND: PB DONE").await;
        let contexts = rig.client.send(&QiactRead::new()).await.expect("QIACT?");
        assert_eq!(
            contexts.active_context,
            [ActiveContext {
                context_id: 1,
                context_state: PdpState::Activated,
                context_type: PdpType::Ipv4,
                ip_address: Some("10.7.157.1".to_owned()),
                ipv6_address: None,
            }]
        );
        rig.finish_strict().await;
    })
    .await;
}

/// SIMCom A7670E: `*ATREADY: 1`, `+CPIN: READY`, `SMS DONE` before the first
/// command (the host waits for `SMS DONE`), `+CGEV: EPS PDN ACT 1` and `PB DONE`
/// between commands; then the FTPS service starts (`OK`, then
/// `+CFTPSSTART: 0`).
///
/// Shape: Xinyuan-LilyGO/LilyGo-Modem-Series#247 (`*ATREADY: 1`, `+CPIN: READY`,
/// the host waiting for `SMS DONE`), onlinegill/LILYGO-TTGO-T-SIM7000G-ESP32-Traccar-GPS-tracker#3
/// (A7670: `+CPIN: READY`, `SMS DONE`, `+CGEV: EPS PDN ACT 1`, `PB DONE` interleaved
/// with the first commands); CFTPSSTART: shared/manuals/001_691bcb5d40dc5a4f.txt.
#[tokio::test(start_paused = true)]
async fn a76xx_boot_urcs_between_commands() {
    use atspec_a76xx::ftps::CftpsstartExec;
    for_all_modes_paused(|mode| async move {
        let script = vec![
            urc(b"*ATREADY: 1"),
            urc(b"+CPIN: READY"),
            urc(b"SMS DONE"),
            at("AT"),
            lines(b"\r\nOK\r\n"),
            urc(b"+CGEV: EPS PDN ACT 1"),
            at("AT+CGMM"),
            lines(b"\r\nA7670E-LNXY-UBL\r\n\r\nOK\r\n"),
            urc(b"PB DONE"),
            at("AT+CFTPSSTART"),
            lines(b"\r\nOK\r\n\r\n+CFTPSSTART: 0\r\n"),
        ];
        let mut rig = corpus::a76xx(mode, corpus::config(), script, true);
        rig.wait_for(b"SMS DONE").await;
        rig.client.send(&AtExec::new()).await.expect("AT");
        rig.wait_for(b"+CGEV: EPS PDN ACT 1").await;
        let model = rig.client.send(&CgmmExec::new()).await.expect("CGMM");
        assert_eq!(model.model, "A7670E-LNXY-UBL");
        rig.wait_for(b"PB DONE").await;
        let ((), started) = rig
            .client
            .send_deferred(&CftpsstartExec::new())
            .await
            .expect("CFTPSSTART");
        assert_eq!(started.errcode.code(), 0);
        rig.finish_strict().await;
    })
    .await;
}

/// ESP8266 AT firmware restarted with `AT+RST`: `OK`, then the ROM boot loader's
/// output at 74880 baud (garbage at 115200), the vendor banner, `ready`, and the
/// station reconnecting by itself (`WIFI CONNECTED`, `WIFI GOT IP`); the host
/// waits for `ready`, then asks for the version.
///
/// Shape: MaJerle/ESP8266_AT_Commands_parser#38 (`AT+RST`, `OK`, boot output,
/// `Ai-Thinker Technology Co., Ltd.`, then `ready` expected),
/// esp8266/Arduino#5025 (garbage at power-up), adafruit/Adafruit_ESP8266#1
/// (`ready` as the boot marker), espressif/esp-at#479 (`ready`, `WIFI CONNECTED`,
/// `WIFI GOT IP`), espressif/esp-at#494 (the four `AT+GMR` lines).
#[tokio::test(start_paused = true)]
async fn esp_at_restart_garbage_then_ready() {
    use atspec_esp_at::basic::{GmrExec, RstExec};
    for_all_modes_paused(|mode| async move {
        let garbage: &[u8] =
            b"\x00\xe0\x1c\x8c\xfc\x9c\x0c\x8c\x0c\xe0\x8c\r\n\x9c\xfc\x00\x8c\xe0\r\n";
        let version: [&str; 4] = [
            "AT version:2.1.0.0(883f7f2 - Jul 24 2020 11:50:07)",
            "SDK version:v4.0.1-193-ge7ac221",
            "compile time(0ad6331):Jul 28 2020 02:47:21",
            "Bin version:2.1.0(WROOM-32)",
        ];
        let gmr = format!("\r\n{}\r\n\r\nOK\r\n", version.join("\r\n"));
        let script = vec![
            at_esp("AT+RST"),
            lines(b"\r\nOK\r\n"),
            Step::Reply(vec![noise(
                garbage,
                &[
                    b"\x00\xe0\x1c\x8c\xfc\x9c\x0c\x8c\x0c\xe0\x8c",
                    b"\x9c\xfc\x00\x8c\xe0",
                ],
            )]),
            urc(b"Ai-Thinker Technology Co., Ltd."),
            urc(b"ready"),
            urc(b"WIFI CONNECTED"),
            urc(b"WIFI GOT IP"),
            at_esp("AT+GMR"),
            lines(gmr.as_bytes()),
        ];
        let mut rig = corpus::esp_at(mode, corpus::config(), script, true);
        rig.client.send(&RstExec::new()).await.expect("AT+RST");
        rig.wait_for(b"ready").await;
        let got = rig.client.send(&GmrExec::new()).await.expect("AT+GMR");
        let got: Vec<&str> = got.version_info.iter().map(|v| v.info.as_str()).collect();
        assert_eq!(got, version);
        rig.finish_strict().await;
    })
    .await;
}

/// ESP32 AT joining an access point that does not answer: the host gives up on
/// `AT+CWJAP` before the module does; while the join runs the module answers
/// every line `busy p...`. The client's resynchronisation probe answered so proves
/// nothing, so it is asked again until the resynchronisation time is up, and the
/// next command fails without being sent. When the join fails the module prints
/// `+CWJAP:4` and `ERROR`, which reach the subscribers (the `ERROR` as the join's
/// late result), and the host's retry is sent at once and answered.
///
/// Shape: espressif/esp-at#388 (`AT+CWJAP=...`, every `AT` answered `busy p...`
/// until `+CWJAP:4`, `ERROR`, then `AT` `OK`), espressif/esp-at#399 (`busy p...`
/// to a command sent while another runs), espressif/esp-at#731 (`ERR CODE:0x010b0000`
/// printed before `busy p...`).
#[tokio::test(start_paused = true)]
async fn esp_at_busy_while_joining() {
    use atspec_esp_at::wifi::{CwjapJoinWrite, CwmodeRead, WifiMode};
    for_all_modes_paused(|mode| async move {
        let mut script = vec![at_esp("AT+CWJAP=\"office\",\"s3cret\"")];
        // Probes 100 ms apart within the 250 ms resynchronisation time.
        for _ in 0..3 {
            script.push(at_esp("AT"));
            script.push(lines(b"\r\nERR CODE:0x010b0000\r\n\r\nbusy p...\r\n"));
        }
        script.extend([
            Step::Pause(Duration::from_secs(3)),
            urc(b"+CWJAP:4"),
            Step::Late(b"ERROR".to_vec()),
            at_esp("AT+CWMODE?"),
            lines(b"\r\n+CWMODE:1\r\n\r\nOK\r\n"),
        ]);
        let config = atspec::Config {
            resync_timeout: Duration::from_millis(250),
            ..corpus::config()
        };
        let rig = corpus::esp_at(mode, config, script, false);
        let join = CwjapJoinWrite::new(Some("office"), Some("s3cret"), None).unwrap();
        match rig.client.send(&join).await {
            Err(AtError::Timeout {
                command: "+CWJAP",
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected the join to time out, got {other:?}"),
        }
        match rig.client.send(&CwmodeRead::new()).await {
            Err(AtError::Timeout {
                command: "+CWMODE",
                stage: Stage::Resync,
                ..
            }) => {}
            other => panic!("expected the busy module to fail the command unsent, got {other:?}"),
        }
        tokio::time::sleep(Duration::from_secs(4)).await;
        let setting = rig.client.send(&CwmodeRead::new()).await.expect("CWMODE?");
        assert_eq!(setting.mode, WifiMode::Station);
        rig.finish_strict().await;
    })
    .await;
}
