//! Regression corpus (issue 9), answers that come after the client gave up:
//! late `OK`, `ERROR` and `+CME ERROR`, completions of deferred commands that
//! had timed out, an upload prompt that comes late, and downloads (data mode,
//! announced chunks, a length-prefixed body) that stop half-way. Every session
//! runs in every mode of `support` on paused time (the manuals' long response
//! times cost nothing) and checks each command's result, the payload bytes, and
//! every event the subscribers got.

mod support;

use std::time::Duration;

use atspec::{AtError, Stage};
use atspec_sim800::Urc;
use atspec_sim800::bearer::{BearerStatus, SapbrCloseWrite, SapbrOpenWrite};
use atspec_sim800::http::{
    HttpMethod, HttpStatus, HttpactionWrite, HttpdataWrite, HttpinitExec, HttpparaCidWrite,
    HttpparaUrlWrite, HttpreadExec, HttptermExec,
};
use support::corpus::{self, at, lines, urc};
use support::{Seg, Step, for_all_modes_paused, ok, payload_reply, show};

fn late(line: &[u8]) -> Step {
    Step::Late(line.to_vec())
}

/// SIM800 opening its GPRS bearer on a slow network: `AT+SAPBR=1,1` is answered
/// after the manual's 85 s; the late `OK` comes while the host is idle and is
/// attributed to `+SAPBR`; the next query gets its own answer without a probe.
///
/// Shape: vshymanskyy/TinyGSM#184 (`AT+CGACT=1,1` answered after 6.5 s,
/// `AT+SAPBR=1,1` after 1.3 s, then `+SAPBR: 1,1,"100.88.72.189"`); the 85 s
/// limit: SIM800 manual V1.09 §9.2.1.
#[tokio::test(start_paused = true)]
async fn sim800_bearer_open_answered_after_the_timeout() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=1,1"),
            Step::Pause(Duration::from_millis(85_500)),
            late(b"OK"),
            at("AT+SAPBR=2,1"),
            lines(b"\r\n+SAPBR: 1,1,\"100.88.72.189\"\r\n\r\nOK\r\n"),
        ];
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        match rig.client.send(&SapbrOpenWrite::new(1).unwrap()).await {
            Err(AtError::Timeout {
                command: "+SAPBR",
                stage: Stage::FinalResult,
                waited,
            }) => assert_eq!(waited, Duration::from_secs(85)),
            other => panic!("expected the 85 s timeout, got {other:?}"),
        }
        assert_eq!(rig.next_late().await, (b"OK".to_vec(), Some("+SAPBR")));
        let status = corpus::bearer(&rig).await;
        assert_eq!(
            (status.cid, status.status, status.ip_addr.as_str()),
            (1, BearerStatus::Connected, "100.88.72.189")
        );
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 closing a bearer that is not open: `AT+SAPBR=0,1` answers
/// `+CME ERROR: 3` only after the client's 65 s, while the host's next command
/// waits for its probe. Whichever of the probe and the late error comes first,
/// the next command (`AT+HTTPTERM` without a session: `ERROR`) gets its own
/// answer and one late result reaches the subscribers.
///
/// Shape: botletics/SIM7000-LTE-Shield#74 (`AT+HTTPTERM` sent first, answered
/// before `AT+HTTPINIT`), ostaquet/Arduino-SIM800L-driver#60 (the second session
/// fails until the first is closed); the 65 s limit: SIM800 manual V1.09 §9.2.1.
#[tokio::test(start_paused = true)]
async fn sim800_bearer_close_error_after_the_timeout() {
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+SAPBR=0,1"),
            Step::Pause(Duration::from_millis(65_500)),
            late(b"+CME ERROR: 3"),
            at("AT"),
            ok(),
            at("AT+HTTPTERM"),
            lines(b"\r\nERROR\r\n"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        match rig.client.send(&SapbrCloseWrite::new(1).unwrap()).await {
            Err(AtError::Timeout {
                command: "+SAPBR",
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected a timeout, got {other:?}"),
        }
        match rig.client.send(&HttptermExec::new()).await {
            Err(AtError::Command {
                command: "+HTTPTERM",
                result: "ERROR",
                code: None,
                ..
            }) => {}
            other => panic!("HTTPTERM must get its own ERROR, got {other:?}"),
        }
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 HTTP GET on a slow server: `AT+HTTPACTION=0` is confirmed with `OK`,
/// but `+HTTPACTION: 0,200,17` comes after the 120 s the client waits for it. The
/// completion reaches the subscribers typed; the host, which watched for it,
/// reads the body.
///
/// Shape: Seeed-Studio/GPRS_SIM900#40 ("I need to wait for 10 seconds at least
/// after sending AT+HTTPACTION=0"), elementzonline/Arduino-Sample-Codes#1 (the
/// answer takes up to the HTTP timeout, 120 s by default).
#[tokio::test(start_paused = true)]
async fn sim800_http_action_completes_after_the_client_gave_up() {
    for_all_modes_paused(|mode| async move {
        let body: &[u8] = b"{\"state\":\"OK\"}\r\n";
        let mut script = Vec::new();
        for line in [
            "AT+HTTPINIT",
            "AT+HTTPPARA=\"CID\",1",
            "AT+HTTPPARA=\"URL\",\"http://example.com/state\"",
            "AT+HTTPACTION=0",
        ] {
            script.extend([at(line), ok()]);
        }
        script.push(Step::Pause(Duration::from_secs(150)));
        script.push(urc(b"+HTTPACTION: 0,200,16"));
        script.extend([
            at("AT+HTTPREAD"),
            payload_reply(b"\r\n+HTTPREAD: 16\r\n", body, b"\r\nOK\r\n"),
            at("AT+HTTPTERM"),
            ok(),
        ]);
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        let client = rig.client.clone();
        client.send(&HttpinitExec::new()).await.expect("HTTPINIT");
        client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("CID");
        let url = HttpparaUrlWrite::new("http://example.com/state").unwrap();
        client.send(&url).await.expect("URL");
        match client
            .send_deferred(&HttpactionWrite::new(HttpMethod::Get).unwrap())
            .await
        {
            Err(AtError::Timeout {
                command: "+HTTPACTION",
                stage: Stage::Completion,
                waited,
            }) => assert_eq!(waited, Duration::from_secs(120)),
            other => panic!("expected the completion timeout, got {other:?}"),
        }
        rig.wait_for(b"+HTTPACTION: 0,200,16").await;
        let done = rig.seen.last().cloned();
        assert!(
            matches!(done, Some(atspec::Unsolicited::Urc(Urc::HttpAction(ref a)))
                if a.status_code == HttpStatus::Ok && a.data_len == 16),
            "the completion, typed: {done:?}"
        );
        let mut got = Vec::new();
        let (header, n) = client
            .send_download(&HttpreadExec::new(), &mut got)
            .await
            .expect("HTTPREAD");
        assert_eq!((header.data_len, n), (16, 16));
        assert_eq!(got, body, "body {}", show(&got));
        client.send(&HttptermExec::new()).await.expect("HTTPTERM");
        drop(client);
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 HTTP POST whose `DOWNLOAD` prompt comes after the client gave up: the
/// module then takes the probe as body data and answers `OK` only when its
/// input time (10 s) runs out, so the next command fails without being sent;
/// the late `OK` reaches the subscribers, and the retry (probe, then the POST
/// body) works.
///
/// Shape: tessel/gprs-sim900#15 (`AT+HTTPDATA=100,4000` answered `DOWNLOAD`,
/// missed by the host, which waits until the module gives up),
/// carrascoacd/ArduinoSIM800L#37 (waiting up to 2 s for `DOWNLOAD`); the input
/// time: SIM800 manual V1.09 §11.2.4.
#[tokio::test(start_paused = true)]
async fn sim800_upload_prompt_comes_late() {
    for_all_modes_paused(|mode| async move {
        let body: &[u8] = b"{\"t\":21.5}";
        let script = vec![
            at("AT+HTTPDATA=10,10000"),
            Step::Pause(Duration::from_millis(2500)),
            urc(b"DOWNLOAD"),
            // The probe, taken as body data: never echoed, never answered.
            Step::ExpectQuiet(b"AT\r".to_vec()),
            Step::Pause(Duration::from_secs(10)),
            late(b"OK"),
            at("AT"),
            ok(),
            at("AT+HTTPDATA=10,10000"),
            lines(b"\r\nDOWNLOAD\r\n"),
            Step::Upload(body.to_vec()),
            ok(),
        ];
        let mut rig = corpus::sim800(mode, corpus::config(), script, false);
        let post = HttpdataWrite::new(10, 10000).unwrap();
        match rig.client.send_upload(&post, &mut &body[..]).await {
            Err(AtError::Timeout {
                command: "+HTTPDATA",
                stage: Stage::Prompt,
                ..
            }) => {}
            other => panic!("expected a prompt timeout, got {other:?}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        match rig.client.send_upload(&post, &mut &body[..]).await {
            Err(AtError::Timeout {
                command: "+HTTPDATA",
                stage: Stage::Resync,
                ..
            }) => {}
            other => {
                panic!("the probe was taken as data: expected a resync timeout, got {other:?}")
            }
        }
        assert_eq!(rig.next_late().await, (b"OK".to_vec(), Some("+HTTPDATA")));
        rig.client
            .send_upload(&post, &mut &body[..])
            .await
            .expect("the retried POST body");
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [body.to_vec()]);
    })
    .await;
}

/// SIMCom A7670 FTPS login to a server that refuses it slowly: `OK`, and
/// `+CFTPSLOGIN: 9` only after the 120 s the client waits. The completion goes
/// to the subscribers typed (it used to be taken by the stale waiter and
/// dropped), and stopping the service works.
///
/// Shape: issue 9 class 1 (`+CFTPSLOGIN: 9` after its command ended),
/// Xinyuan-LilyGO/LilyGo-Modem-Series#320 (A7670E FTPS sessions failing with
/// result codes after `OK`); syntax: shared/manuals/001_691bcb5d40dc5a4f.txt.
#[tokio::test(start_paused = true)]
async fn a76xx_ftps_login_refused_after_the_client_gave_up() {
    use atspec_a76xx::Urc as A76xxUrc;
    use atspec_a76xx::ftps::{CftpsloginWrite, CftpsstopExec, FtpsResult};
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+CFTPSLOGIN=\"ftp.example.com\",21,\"user\",\"s3cret\",0"),
            ok(),
            Step::Pause(Duration::from_secs(130)),
            urc(b"+CFTPSLOGIN: 9"),
            at("AT+CFTPSSTOP"),
            lines(b"\r\nOK\r\n\r\n+CFTPSSTOP: 0\r\n"),
        ];
        let mut rig = corpus::a76xx(mode, corpus::config(), script, false);
        let server = atspec_a76xx::ftps::ServerType::from_code(0);
        let login =
            CftpsloginWrite::new("ftp.example.com", 21, "user", "s3cret", Some(server)).unwrap();
        match rig.client.send_deferred(&login).await {
            Err(AtError::Timeout {
                command: "+CFTPSLOGIN",
                stage: Stage::Completion,
                ..
            }) => {}
            other => panic!("expected the completion timeout, got {other:?}"),
        }
        rig.wait_for(b"+CFTPSLOGIN: 9").await;
        let refused = rig.seen.last().cloned();
        assert!(
            matches!(refused, Some(atspec::Unsolicited::Urc(A76xxUrc::LoginResult(ref r)))
                if r.errcode == FtpsResult::from_code(9)),
            "{refused:?}"
        );
        let ((), stopped) = rig
            .client
            .send_deferred(&CftpsstopExec::new())
            .await
            .expect("CFTPSSTOP");
        assert_eq!(stopped.errcode.code(), 0);
        rig.finish_strict().await;
    })
    .await;
}

/// Quectel EC200U asked for the size of a missing file while stalled: no `OK`
/// within the 180 s; then `OK` and `+QFTPSIZE: 627,550` (server reply 550). The
/// late `OK` is attributed to `+QFTPSIZE`, the completion reaches the
/// subscribers typed, and the logout that follows works.
///
/// Shape: issue 9 class 1 (`+QFTPSIZE: 627,550` after its command ended); codes
/// and syntax: shared/manuals/003_ef7dcc2f00f7d2d5.txt §2.7, §2.18, chapter 4.
#[tokio::test(start_paused = true)]
async fn ec200u_size_answered_after_the_timeout() {
    use atspec_ec200u::Urc as Ec200uUrc;
    use atspec_ec200u::ftp::{FtpError, QftpcloseExec, QftpsizeWrite};
    for_all_modes_paused(|mode| async move {
        let script = vec![
            at("AT+QFTPSIZE=\"missing.bin\""),
            Step::Pause(Duration::from_secs(181)),
            late(b"OK"),
            urc(b"+QFTPSIZE: 627,550"),
            at("AT+QFTPCLOSE"),
            lines(b"\r\nOK\r\n\r\n+QFTPCLOSE: 0,0\r\n"),
        ];
        let mut rig = corpus::ec200u(mode, corpus::config(), script, false);
        let size = QftpsizeWrite::new("missing.bin").unwrap();
        match rig.client.send_deferred(&size).await {
            Err(AtError::Timeout {
                command: "+QFTPSIZE",
                stage: Stage::FinalResult,
                ..
            }) => {}
            other => panic!("expected a final-result timeout, got {other:?}"),
        }
        assert_eq!(rig.next_late().await, (b"OK".to_vec(), Some("+QFTPSIZE")));
        rig.wait_for(b"+QFTPSIZE: 627,550").await;
        let missing = rig.seen.last().cloned();
        assert!(
            matches!(missing, Some(atspec::Unsolicited::Urc(Ec200uUrc::SizeResult(ref r)))
                if r.err == FtpError::from_code(627) && r.file_size == 550),
            "{missing:?}"
        );
        let ((), closed) = rig
            .client
            .send_deferred(&QftpcloseExec::new())
            .await
            .expect("QFTPCLOSE");
        assert_eq!(closed.err, FtpError::Success);
        rig.finish_strict().await;
    })
    .await;
}

/// SIMCom A7670 FTPS download cut off: one `+CFTPSGET: DATA,1024` chunk, then
/// the server closes the connection (`+CFTPSNOTIFY: PEER CLOSED`) and the result
/// is `+CFTPSGET: 4`. The command fails with the vendor code; the chunk that came
/// is in the sink, byte for byte; the notification reaches the subscribers.
///
/// Shape: Xinyuan-LilyGO/LilyGo-Modem-Series#320 (FTPS transfers on an A7670E
/// ending with an error code); chunks and codes:
/// shared/manuals/001_691bcb5d40dc5a4f.txt (AT+CFTPSGET, ftps result codes).
#[tokio::test(start_paused = true)]
async fn a76xx_ftps_get_stops_after_one_chunk() {
    use atspec_a76xx::ftps::CftpsgetStreamWrite;
    for_all_modes_paused(|mode| async move {
        let chunk: Vec<u8> = (0..1024u32)
            .map(|i| b"OK\r\nERROR\r\n"[i as usize % 11])
            .collect();
        let script = vec![
            at("AT+CFTPSGET=\"/logs/today.txt\""),
            ok(),
            payload_reply(b"\r\n+CFTPSGET: DATA,1024\r\n", &chunk, b""),
            urc(b"+CFTPSNOTIFY: PEER CLOSED"),
            lines(b"\r\n+CFTPSGET: 4\r\n"),
        ];
        let rig = corpus::a76xx(mode, corpus::config(), script, false);
        let mut file = Vec::new();
        let get = CftpsgetStreamWrite::new("/logs/today.txt", None).unwrap();
        match rig.client.send_deferred_download(&get, &mut file).await {
            Err(AtError::Failed {
                command: "+CFTPSGET",
                code,
                ..
            }) => {
                assert_eq!((code.table, code.code.as_str()), ("ftps_result", "4"));
            }
            other => panic!("expected +CFTPSGET: 4, got {other:?}"),
        }
        assert_eq!(file, chunk, "the chunk that arrived");
        rig.finish_strict().await;
    })
    .await;
}

/// Quectel EC200U downloading to the port: `CONNECT`, 600 bytes, then the data
/// connection closes; the module leaves data mode with `OK` and reports
/// `+QFTPGET: 607,0`. The command fails with code 607 and the bytes that came
/// are in the sink; the next command works.
///
/// Shape: data mode as shared/manuals/003_ef7dcc2f00f7d2d5.txt §2.6 describes it
/// (`CONNECT`, data, `OK`, `+QFTPGET: <err>,...`); 607 "Data connection closed"
/// from its chapter 4 (the second field on this failure is UNCONFIRMED).
#[tokio::test(start_paused = true)]
async fn ec200u_data_mode_download_stops_half_way() {
    use atspec_ec200u::ftp::{QftpgetToPortWrite, QftppwdExec};
    for_all_modes_paused(|mode| async move {
        let part: Vec<u8> = (0..600u32).map(|i| (i % 251) as u8).collect();
        let script = vec![
            at("AT+QFTPGET=\"big.bin\",\"COM:\""),
            Step::Reply(vec![
                Seg::Lines(b"\r\nCONNECT\r\n".to_vec()),
                Seg::Raw(part.clone()),
                Seg::Raw(b"\r\nOK\r\n\r\n+QFTPGET: 607,0\r\n".to_vec()),
            ]),
            at("AT+QFTPPWD"),
            lines(b"\r\nOK\r\n\r\n+QFTPPWD: 0,\"/\"\r\n"),
        ];
        let rig = corpus::ec200u(mode, corpus::config(), script, false);
        let mut file = Vec::new();
        let get = QftpgetToPortWrite::new("big.bin", None, None).unwrap();
        match rig.client.send_deferred_download(&get, &mut file).await {
            Err(AtError::Failed {
                command: "+QFTPGET",
                code,
                ..
            }) => {
                assert_eq!(code.code, "607");
            }
            other => panic!("expected +QFTPGET: 607, got {other:?}"),
        }
        assert_eq!(file, part, "the bytes before the cut");
        let ((), pwd) = rig
            .client
            .send_deferred(&QftppwdExec::new())
            .await
            .expect("QFTPPWD");
        assert_eq!(pwd.path_name, "/");
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800 reading an HTTP body that stops after 40 of its 100 announced bytes
/// (the module hangs): the read fails waiting for data, the bytes that came are
/// in the sink, and after the probe the session is closed normally.
///
/// Shape: ostaquet/Arduino-SIM800L-driver#18 (transfers cut short by a supply
/// problem, the session then closed and retried); AT+HTTPREAD: SIM800 manual
/// V1.09 §11.2.6.
#[tokio::test(start_paused = true)]
async fn sim800_http_body_stops_half_way() {
    for_all_modes_paused(|mode| async move {
        let body: Vec<u8> = (0..100u8).map(|i| b'a' + i % 26).collect();
        let script = vec![
            at("AT+HTTPREAD"),
            // Nothing after the bytes that came, not even an injected URC.
            Step::Reply(vec![
                Seg::Lines(b"\r\n+HTTPREAD: 100\r\n".to_vec()),
                Seg::Raw(body[..40].to_vec()),
            ]),
            at("AT"),
            ok(),
            at("AT+HTTPTERM"),
            ok(),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let mut got = Vec::new();
        match rig
            .client
            .send_download(&HttpreadExec::new(), &mut got)
            .await
        {
            Err(AtError::Timeout {
                command: "+HTTPREAD",
                stage: Stage::Data,
                ..
            }) => {}
            other => panic!("expected a data timeout, got {other:?}"),
        }
        assert_eq!(got, &body[..40]);
        rig.client
            .send(&HttptermExec::new())
            .await
            .expect("HTTPTERM");
        rig.finish_strict().await;
    })
    .await;
}
