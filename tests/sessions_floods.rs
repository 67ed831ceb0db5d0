//! Regression corpus (issue 9), URC floods: many unsolicited lines before the
//! echo, between and inside answers, more of them than a subscriber keeps (the
//! documented `Lagged` behaviour), and URCs that share their prefix with a
//! response of the running command. Every session runs in every mode of
//! `support` on paused time.

mod support;

use std::time::Duration;

use atspec::Config;
use atspec_sim800::http::{
    HttpMethod, HttpactionWrite, HttpinitExec, HttpparaCidWrite, HttptermExec,
};
use support::corpus::{self, at, echo_of, lines, unechoed, urc};
use support::{Seg, Step, for_all_modes_paused, ok};

fn urcs(lines: &[&[u8]]) -> Vec<Seg> {
    lines.iter().map(|l| Seg::Urc(l.to_vec())).collect()
}

/// A SIM800 camping on a weak cell: registration and attach state change all the
/// time (`+CREG`, `+CGREG`, with and without location), before a command's echo,
/// between the information line and `OK`, and right after `OK`. Every change
/// reaches the subscribers in order; every command gets its own answer.
///
/// Shape: FactbirdHQ/ublox-cellular-rs#41 (streams of `+CREG: 5,"07D0","009D4564",7`,
/// `+CGREG: 4`, `+CEREG: 4`), RIOT-OS/RIOT#20062 (a URC after the command was sent
/// and before its echo and first response line), ARMmbed/mbed-os#10341 (URCs
/// between the last lines of an answer).
#[tokio::test(start_paused = true)]
async fn sim800_registration_churn() {
    for_all_modes_paused(|mode| async move {
        let before: [&[u8]; 4] = [b"+CREG: 2", b"+CREG: 1", b"+CGREG: 2", b"+CGREG: 1"];
        let mut script: Vec<Step> = before.iter().map(|l| urc(l)).collect();
        // A URC between the command line and its echo.
        script.push(unechoed("AT+SAPBR=2,1"));
        script.push(Step::Reply(urcs(&[b"+CREG: 5,\"07D0\",\"009D4564\""])));
        script.extend(echo_of(mode, "AT+SAPBR=2,1"));
        let mut answer = urcs(&[b"+CGREG: 4"]);
        answer.push(Seg::Lines(b"\r\n+SAPBR: 1,1,\"10.1.2.3\"\r\n".to_vec()));
        answer.extend(urcs(&[b"+CREG: 1", b"+CGREG: 1"]));
        answer.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
        answer.extend(urcs(&[b"+CREG: 2"]));
        script.push(Step::Reply(answer));
        script.push(at("AT+HTTPINIT"));
        let mut answer = urcs(&[b"+CREG: 1", b"+CGREG: 2", b"+CGREG: 1"]);
        answer.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
        script.push(Step::Reply(answer));
        for n in 0..6 {
            let line = format!("+CREG: {}", [2, 1][n % 2]);
            script.push(urc(line.as_bytes()));
        }
        script.extend([at("AT+HTTPPARA=\"CID\",1"), ok()]);
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let status = corpus::bearer(&rig).await;
        assert_eq!(status.ip_addr, "10.1.2.3");
        rig.client
            .send(&HttpinitExec::new())
            .await
            .expect("HTTPINIT");
        rig.client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .expect("CID");
        rig.finish_strict().await;
    })
    .await;
}

/// The script of the SMS flood: 30 messages (`+CMTI: "SM",<n>`) and the calls
/// (`RING`) arriving during an HTTP session, nobody reading the subscription
/// until the session is over.
fn sms_flood() -> Vec<Step> {
    let mut script = vec![at("AT+HTTPINIT")];
    let mut answer = Vec::new();
    for n in 1..=30u8 {
        answer.push(Seg::Urc(format!("+CMTI: \"SM\",{n}").into_bytes()));
        if n % 10 == 0 {
            answer.push(Seg::Urc(b"RING".to_vec()));
        }
    }
    answer.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
    script.push(Step::Reply(answer));
    script.extend([
        at("AT+HTTPACTION=0"),
        lines(b"\r\nOK\r\n"),
        urc(b"+CMTI: \"SM\",31"),
        lines(b"\r\n+HTTPACTION: 0,200,0\r\n"),
        at("AT+HTTPTERM"),
        ok(),
    ]);
    script
}

async fn run_sms_flood(rig: &support::Rig) {
    rig.client
        .send(&HttpinitExec::new())
        .await
        .expect("HTTPINIT");
    let get = HttpactionWrite::new(HttpMethod::Get).unwrap();
    let ((), done) = rig.client.send_deferred(&get).await.expect("HTTPACTION");
    assert_eq!(done.data_len, 0);
    rig.client
        .send(&HttptermExec::new())
        .await
        .expect("HTTPTERM");
}

/// A SIM800 receiving a burst of SMS and calls during an HTTP session, with a
/// subscriber that keeps 16 events and reads only at the end: the client says
/// exactly how many it missed, then delivers the newest 16 in order; the
/// commands are not disturbed (the `+CMTI` between `OK` and `+HTTPACTION` does not
/// hide the completion).
///
/// Shape: vshymanskyy/TinyGSM#615 (an application waiting for `+CMTI` and `RING`
/// URCs during its own commands), adafruit/Adafruit_FONA#25 (unsolicited `+CMTI`
/// mixed into answers).
#[tokio::test(start_paused = true)]
async fn sim800_sms_flood_lags_a_slow_subscriber() {
    for_all_modes_paused(|mode| async move {
        let config = Config {
            urc_capacity: 16,
            ..corpus::config()
        };
        let rig = corpus::sim800(mode, config, sms_flood(), false);
        run_sms_flood(&rig).await;
        rig.finish_lagged(16).await;
    })
    .await;
}

/// The same flood with a capacity that is not a power of two: as the docs of
/// `Config::urc_capacity` say, it is rounded up (10 keeps 16), and a subscriber
/// further behind is told how many events it missed.
#[tokio::test(start_paused = true)]
async fn urc_capacity_is_what_the_docs_say() {
    for_all_modes_paused(|mode| async move {
        let config = Config {
            urc_capacity: 10,
            ..corpus::config()
        };
        let rig = corpus::sim800(mode, config, sms_flood(), false);
        run_sms_flood(&rig).await;
        rig.finish_lagged(16).await;
    })
    .await;
}

/// SIM800 FTP download: while the host reads the file with `AT+FTPGET=2,<n>`
/// (answered `+FTPGET: 2,<n>` and the bytes), the module repeats its session URC
/// `+FTPGET: 1,1` ("data can be read"), which shares the `+FTPGET:` prefix with
/// the answer; the session ends with `+FTPGET: 2,0` and the URC `+FTPGET: 1,0`.
/// Each URC reaches the subscribers typed, each read gets its own bytes.
///
/// Shape: FactbirdHQ/atat#188 and #223 (a URC and a response with the same
/// prefix, taken for one another); the repeated `+FTPGET: 1,1`: SIM800 IP
/// application note (shared/manuals/000_3a63732502dc6c74.txt, FTP GET) and
/// shared/reference/simcom-sim800.md (typical FTP GET flow).
#[tokio::test(start_paused = true)]
async fn sim800_ftp_urcs_share_the_answer_prefix() {
    use atspec_sim800::ftp::{FtpgetOpenWrite, FtpgetReadWrite};
    for_all_modes_paused(|mode| async move {
        let file: Vec<u8> = (0..90u32)
            .map(|i| b"+FTPGET: 1,1\r\nOK\r\n"[i as usize % 18])
            .collect();
        let read = |part: &[u8]| {
            let head = format!("\r\n+FTPGET: 2,{}\r\n", part.len());
            Step::Reply(vec![
                Seg::Lines(head.into_bytes()),
                Seg::Raw(part.to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ])
        };
        let script = vec![
            at("AT+FTPGET=1"),
            lines(b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n"),
            at("AT+FTPGET=2,50"),
            read(&file[..50]),
            urc(b"+FTPGET: 1,1"),
            at("AT+FTPGET=2,50"),
            Step::Reply(vec![
                Seg::Urc(b"+FTPGET: 1,1".to_vec()),
                Seg::Lines(b"\r\n+FTPGET: 2,40\r\n".to_vec()),
                Seg::Raw(file[50..].to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ]),
            at("AT+FTPGET=2,50"),
            lines(b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n"),
            urc(b"+FTPGET: 1,0"),
        ];
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let ((), ready) = rig
            .client
            .send_deferred(&FtpgetOpenWrite::new())
            .await
            .expect("FTPGET=1");
        assert_eq!(ready.status.code(), 1);
        let mut got = Vec::new();
        let mut sizes = Vec::new();
        loop {
            let (header, n) = rig
                .client
                .send_download(&FtpgetReadWrite::new(50).unwrap(), &mut got)
                .await
                .expect("FTPGET=2");
            assert_eq!(u64::from(header.cnflength), n);
            sizes.push(n);
            if n == 0 {
                break;
            }
        }
        assert_eq!(sizes, [50, 40, 0]);
        assert_eq!(got, file);
        rig.finish_strict().await;
    })
    .await;
}

/// An ESP32 whose station keeps dropping and rejoining the access point
/// (`WIFI DISCONNECT`, `WIFI CONNECTED`, `WIFI GOT IP`) while the host reads its
/// mode and connection: the state changes reach the subscribers typed, in order;
/// the answers are the commands'.
///
/// Shape: FactbirdHQ/atat#219 (`WIFI CONNECTED` and `WIFI GOT IP` between the
/// echo of `AT+CWJAP` and its `OK`), espressif/esp-at#479 (`WIFI CONNECTED`,
/// `WIFI GOT IP`, then `AT+CWJAP?` answered `+CWJAP:"BL_841R","44:33:4c:90:96:9a",11,-55,...`).
#[tokio::test(start_paused = true)]
async fn esp_at_wifi_flapping() {
    use atspec_esp_at::wifi::{CwjapRead, CwmodeRead, WifiMode};
    for_all_modes_paused(|mode| async move {
        let flap: [&[u8]; 3] = [b"WIFI DISCONNECT", b"WIFI CONNECTED", b"WIFI GOT IP"];
        let mut script = vec![corpus::at_esp("AT+CWMODE?")];
        let mut answer = urcs(&flap);
        answer.push(Seg::Lines(b"\r\n+CWMODE:1\r\n".to_vec()));
        answer.extend(urcs(&flap));
        answer.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
        script.push(Step::Reply(answer));
        script.extend(flap.iter().map(|l| urc(l)));
        script.push(corpus::at_esp("AT+CWJAP?"));
        let mut answer = urcs(&flap[..1]);
        answer.push(Seg::Lines(
            b"\r\n+CWJAP:\"BL_841R\",\"44:33:4c:90:96:9a\",11,-55,0,0,0,0,0\r\n".to_vec(),
        ));
        answer.extend(urcs(&flap[1..]));
        answer.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
        script.push(Step::Reply(answer));
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let setting = rig.client.send(&CwmodeRead::new()).await.expect("CWMODE?");
        assert_eq!(setting.mode, WifiMode::Station);
        tokio::time::sleep(Duration::from_millis(10)).await;
        let joined = rig.client.send(&CwjapRead::new()).await.expect("CWJAP?");
        assert_eq!(
            (
                joined.ssid.as_str(),
                joined.bssid.as_str(),
                joined.channel,
                joined.rssi
            ),
            ("BL_841R", "44:33:4c:90:96:9a", 11, -55)
        );
        rig.finish_strict().await;
    })
    .await;
}

/// SIMCom A7670 streaming a file with `AT+CFTPSGET` while the host polls the
/// signal with `AT+CSQ` (the download's `OK` has freed the command line): the
/// `+CFTPSGET: DATA,<n>` chunks arrive before the poll's echo and between its
/// answer lines. Every byte goes to the download, every line of the answer to the
/// poll.
///
/// Shape: the A76XX FTPS chapter (shared/manuals/001_691bcb5d40dc5a4f.txt: `OK`
/// first, then the `+CFTPSGET: DATA,<len>` pieces and `+CFTPSGET: 0`), with the
/// signal polling of vshymanskyy/TinyGSM#184 (`AT+CSQ` between transfers).
#[tokio::test(start_paused = true)]
async fn a76xx_chunks_during_another_command() {
    use atspec_a76xx::ftps::CftpsgetStreamWrite;
    use std::sync::Arc;
    for_all_modes_paused(|mode| async move {
        let file: Vec<u8> = (0..1500u32)
            .map(|i| b"+CSQ: 9,9\r\nOK\r\n"[i as usize % 15])
            .collect();
        let chunk = |bytes: &[u8]| {
            vec![
                Seg::Lines(format!("\r\n+CFTPSGET: DATA,{}\r\n", bytes.len()).into_bytes()),
                Seg::Raw(bytes.to_vec()),
            ]
        };
        let mut first = vec![Seg::Lines(b"\r\nOK\r\n".to_vec())];
        first.extend(chunk(&file[..500]));
        let mut inside = chunk(&file[500..1000]);
        inside.push(Seg::Lines(b"\r\n+CSQ: 20,0\r\n".to_vec()));
        inside.extend(chunk(&file[1000..]));
        inside.push(Seg::Lines(b"\r\nOK\r\n".to_vec()));
        let script = vec![
            at("AT+CFTPSGET=\"/a.bin\""),
            Step::Reply(first),
            at("AT+CSQ"),
            Step::Reply(inside),
            lines(b"\r\n+CFTPSGET: 0\r\n"),
        ];
        let rig = corpus::a76xx(mode, corpus::config(), script, true);
        let client = Arc::clone(&rig.client);
        let download = tokio::spawn(async move {
            let mut got = Vec::new();
            let get = CftpsgetStreamWrite::new("/a.bin", None).unwrap();
            let (_, done, n) = client.send_deferred_download(&get, &mut got).await?;
            Ok::<_, atspec::AtError>((done.errcode.code(), n, got))
        });
        // The poll goes out once the download's OK has freed the command line.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let signal = rig
            .client
            .send_raw(&atspec::RawCommand::new("AT+CSQ").unwrap())
            .await
            .expect("CSQ");
        assert_eq!(signal.into_ok().expect("OK"), [b"+CSQ: 20,0".to_vec()]);
        let (code, n, got) = download.await.unwrap().expect("CFTPSGET");
        assert_eq!((code, n), (0, 1500));
        assert_eq!(got, file, "the file, byte for byte");
        rig.finish_strict().await;
    })
    .await;
}
