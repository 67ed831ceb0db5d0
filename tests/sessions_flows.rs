//! Regression corpus (issue 9), complete sessions of each vendor with the noise
//! real modules add: SIM800 bearer and HTTP GET and POST, A76XX FTPS login and
//! chunked download, EC200U FTP download in data mode, ESP-AT join and
//! `AT+HTTPCLIENT` same-line chunks. Payloads contain lines that look like
//! results (`OK`, `ERROR`, the vendor's own URCs) and must arrive byte for byte.
//! Every session runs in every mode of `support` on paused time.

mod support;

use std::time::Duration;

use atspec_sim800::bearer::{
    BearerContype, BearerStatus, SapbrCloseWrite, SapbrOpenWrite, SapbrQueryWrite,
    SapbrSetApnWrite, SapbrSetContypeWrite,
};
use atspec_sim800::http::{
    HttpMethod, HttpStatus, HttpactionWrite, HttpdataWrite, HttpinitExec, HttpparaCidWrite,
    HttpparaUrlWrite, HttpreadExec, HttptermExec,
};
use support::corpus::{self, at, at_esp, lines, raw, urc};
use support::{Seg, Step, for_all_modes_paused, ok, payload_reply, show};

/// Bytes that look like modem output: results, the vendors' URCs, prompts.
fn tricky_body(len: usize) -> Vec<u8> {
    let pattern: &[u8] =
        b"line\r\nOK\r\nERROR\r\n+HTTPACTION: 0,200,5\r\n+CFTPSGET: 0\r\n> \x1a\x00\xff";
    (0..len).map(|i| pattern[i % pattern.len()]).collect()
}

fn sim800_bearer_script() -> Vec<Step> {
    vec![
        at("AT+SAPBR=3,1,\"CONTYPE\",\"GPRS\""),
        lines(b"OK\r\n"),
        at("AT+SAPBR=3,1,\"APN\",\"internet\""),
        ok(),
        urc(b"Call Ready"),
        at("AT+SAPBR=1,1"),
        Step::Pause(Duration::from_millis(1300)),
        ok(),
        at("AT+SAPBR=2,1"),
        lines(b"\r\n+SAPBR: 1,1,\"10.89.23.4\"\r\nOK\r\n"),
        at("AT+HTTPINIT"),
        ok(),
        at("AT+HTTPPARA=\"CID\",1"),
        ok(),
    ]
}

async fn sim800_bearer(rig: &support::Rig) {
    let c = &rig.client;
    let gprs = SapbrSetContypeWrite::new(1, BearerContype::Gprs).unwrap();
    c.send(&gprs).await.expect("CONTYPE");
    c.send(&SapbrSetApnWrite::new(1, "internet").unwrap())
        .await
        .expect("APN");
    c.send(&SapbrOpenWrite::new(1).unwrap())
        .await
        .expect("SAPBR=1");
    let status = c
        .send(&SapbrQueryWrite::new(1).unwrap())
        .await
        .expect("SAPBR=2");
    assert_eq!(
        (status.status, status.ip_addr.as_str()),
        (BearerStatus::Connected, "10.89.23.4")
    );
    c.send(&HttpinitExec::new()).await.expect("HTTPINIT");
    c.send(&HttpparaCidWrite::new(1).unwrap())
        .await
        .expect("CID");
}

/// SIM800: GPRS bearer, HTTP GET, body read, session and bearer closed. The
/// module condenses some answers, prints `Call Ready` and a registration URC in
/// between, and sends `+HTTPACTION` seconds after `OK`; the body (300 bytes)
/// holds `OK`, `ERROR` and a fake `+HTTPACTION` line.
///
/// Shape: SIM800 IP application note §3.2 (shared/manuals/000_3a63732502dc6c74.txt:
/// the GET sequence), vshymanskyy/TinyGSM#184 (condensed `+SAPBR` answer, timing),
/// botletics/SIM7000-LTE-Shield#74 (the same HTTP sequence from a library's log).
#[tokio::test(start_paused = true)]
async fn sim800_bearer_and_http_get() {
    for_all_modes_paused(|mode| async move {
        let body = tricky_body(300);
        let mut script = sim800_bearer_script();
        script.extend([
            at("AT+HTTPPARA=\"URL\",\"http://example.com/api\""),
            ok(),
            at("AT+HTTPACTION=0"),
            ok(),
            Step::Pause(Duration::from_secs(2)),
            urc(b"+CREG: 1"),
            lines(b"\r\n+HTTPACTION: 0,200,300\r\n"),
            at("AT+HTTPREAD"),
            payload_reply(b"\r\n+HTTPREAD: 300\r\n", &body, b"\r\nOK\r\n"),
            at("AT+HTTPTERM"),
            ok(),
            at("AT+SAPBR=0,1"),
            ok(),
        ]);
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        sim800_bearer(&rig).await;
        let c = &rig.client;
        let url = HttpparaUrlWrite::new("http://example.com/api").unwrap();
        c.send(&url).await.expect("URL");
        let get = HttpactionWrite::new(HttpMethod::Get).unwrap();
        let ((), done) = c.send_deferred(&get).await.expect("HTTPACTION");
        assert_eq!(
            (done.status_code, done.data_len),
            (HttpStatus::Ok.into(), 300)
        );
        let mut got = Vec::new();
        let (header, n) = c
            .send_download(&HttpreadExec::new(), &mut got)
            .await
            .expect("HTTPREAD");
        assert_eq!((header.data_len, n), (300, 300));
        assert_eq!(got, body, "body {}", show(&got));
        c.send(&HttptermExec::new()).await.expect("HTTPTERM");
        c.send(&SapbrCloseWrite::new(1).unwrap())
            .await
            .expect("SAPBR=0");
        rig.finish_strict().await;
    })
    .await;
}

/// SIM800: HTTP POST of a JSON body (`AT+HTTPDATA`, `DOWNLOAD`, the body, `OK`),
/// `AT+HTTPACTION=1` answered `+HTTPACTION: 1,201,12` after a `RING`, and the
/// reply read back.
///
/// Shape: SIM800 IP application note §3.3 (shared/manuals/000_3a63732502dc6c74.txt:
/// the POST sequence), tessel/gprs-sim900#15 (`AT+HTTPDATA=100,4000` answered
/// `DOWNLOAD`), ostaquet/Arduino-SIM800L-driver#18 (a POST session's log).
#[tokio::test(start_paused = true)]
async fn sim800_http_post() {
    for_all_modes_paused(|mode| async move {
        let json: &[u8] = b"{\"t\":21.5,\"ok\":\"OK\r\n\"}";
        let reply: &[u8] = b"{\"id\":\"ERROR\"}";
        let mut script = sim800_bearer_script();
        script.extend(support::http::post_exchange(json, reply));
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        sim800_bearer(&rig).await;
        let c = &rig.client;
        c.send(&HttpparaUrlWrite::new("http://example.com/post").unwrap())
            .await
            .expect("URL");
        let data = HttpdataWrite::new(json.len() as u32, 10000).unwrap();
        c.send_upload(&data, &mut &json[..])
            .await
            .expect("HTTPDATA");
        let post = HttpactionWrite::new(HttpMethod::Post).unwrap();
        let ((), done) = c.send_deferred(&post).await.expect("HTTPACTION=1");
        assert_eq!(done.status_code, HttpStatus::Created);
        let mut got = Vec::new();
        c.send_download(&HttpreadExec::new(), &mut got)
            .await
            .expect("HTTPREAD");
        assert_eq!(got, reply);
        c.send(&HttptermExec::new()).await.expect("HTTPTERM");
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [json.to_vec()]);
    })
    .await;
}

/// SIMCom A7670: FTPS service start, login, a 2 500-byte file in
/// `+CFTPSGET: DATA,<n>` chunks (1024, 1024, 452) whose bytes hold `OK` and a fake
/// `+CFTPSGET: 0`, with a registration URC between two chunks, then
/// `+CFTPSGET: 0`, logout and stop.
///
/// Shape: the A76XX FTPS chapter (shared/manuals/001_691bcb5d40dc5a4f.txt: AT+CFTPSSTART,
/// AT+CFTPSLOGIN, AT+CFTPSGET with `+CFTPSGET: DATA,<len>` pieces of at most 1024
/// bytes, AT+CFTPSLOGOUT, AT+CFTPSSTOP), Xinyuan-LilyGO/LilyGo-Modem-Series#320
/// (the same command sequence on an A7670E).
#[tokio::test(start_paused = true)]
async fn a76xx_ftps_login_and_chunked_get() {
    use atspec_a76xx::ftps::{
        CftpsgetStreamWrite, CftpsloginWrite, CftpslogoutExec, CftpsstartExec, CftpsstopExec,
        FtpsResult, ServerType,
    };
    for_all_modes_paused(|mode| async move {
        let file = tricky_body(2500);
        let mut get = vec![Seg::Lines(b"\r\nOK\r\n".to_vec())];
        for (i, chunk) in file.chunks(1024).enumerate() {
            let head = format!("\r\n+CFTPSGET: DATA,{}\r\n", chunk.len());
            get.push(Seg::Lines(head.into_bytes()));
            get.push(Seg::Raw(chunk.to_vec()));
            if i == 0 {
                get.push(Seg::Urc(b"+CREG: 1".to_vec()));
            }
        }
        get.push(Seg::Lines(b"\r\n+CFTPSGET: 0\r\n".to_vec()));
        let script = vec![
            at("AT+CFTPSSTART"),
            lines(b"\r\nOK\r\n\r\n+CFTPSSTART: 0\r\n"),
            at("AT+CFTPSLOGIN=\"ftp.example.com\",21,\"user\",\"s3cret\",0"),
            lines(b"\r\nOK\r\n"),
            Step::Pause(Duration::from_secs(3)),
            lines(b"\r\n+CFTPSLOGIN: 0\r\n"),
            at("AT+CFTPSGET=\"/fw/app.bin\""),
            Step::Reply(get),
            at("AT+CFTPSLOGOUT"),
            lines(b"\r\nOK\r\n\r\n+CFTPSLOGOUT: 0\r\n"),
            at("AT+CFTPSSTOP"),
            lines(b"\r\nOK\r\n\r\n+CFTPSSTOP: 0\r\n"),
        ];
        let rig = corpus::a76xx(mode, corpus::config(), script, false);
        let c = &rig.client;
        let ((), started) = c
            .send_deferred(&CftpsstartExec::new())
            .await
            .expect("START");
        assert_eq!(started.errcode, FtpsResult::from_code(0));
        let login = CftpsloginWrite::new(
            "ftp.example.com",
            21,
            "user",
            "s3cret",
            Some(ServerType::Ftp),
        )
        .unwrap();
        let ((), logged_in) = c.send_deferred(&login).await.expect("LOGIN");
        assert_eq!(logged_in.errcode, FtpsResult::from_code(0));
        let mut got = Vec::new();
        let get = CftpsgetStreamWrite::new("/fw/app.bin", None).unwrap();
        let (_, done, n) = c.send_deferred_download(&get, &mut got).await.expect("GET");
        assert_eq!((done.errcode, n), (FtpsResult::from_code(0), 2500));
        assert_eq!(got, file, "the file, byte for byte");
        let ((), out) = c
            .send_deferred(&CftpslogoutExec::new())
            .await
            .expect("LOGOUT");
        assert_eq!(out.errcode, FtpsResult::from_code(0));
        let ((), stopped) = c.send_deferred(&CftpsstopExec::new()).await.expect("STOP");
        assert_eq!(stopped.errcode, FtpsResult::from_code(0));
        rig.finish_strict().await;
    })
    .await;
}

/// Quectel EC200U: PDP context set and activated, FTP configured and opened,
/// the file's size asked, then the file downloaded to the port in data mode
/// (`CONNECT`, the bytes with `\r\nOK\r\n` inside, `OK`, `+QFTPGET: 0,<n>`), and the
/// session closed; `+CGREG` and `RING` come in between.
///
/// Shape: the EC200U FTP(S) application note (shared/manuals/003_ef7dcc2f00f7d2d5.txt:
/// §3 example: AT+QICSGP, AT+QIACT, AT+QFTPCFG, AT+QFTPOPEN `+QFTPOPEN: 0,0`,
/// AT+QFTPCWD, AT+QFTPSIZE, AT+QFTPGET to `COM:` with `CONNECT`, AT+QFTPCLOSE).
#[tokio::test(start_paused = true)]
async fn ec200u_ftp_download_in_data_mode() {
    use atspec_ec200u::ftp::{
        FileType, FtpError, QftpcfgAccountWrite, QftpcfgContextIdWrite, QftpcfgFileTypeWrite,
        QftpcfgTransmodeWrite, QftpcloseExec, QftpcwdWrite, QftpgetToPortWrite, QftpopenWrite,
        QftpsizeWrite, TransferMode,
    };
    use atspec_ec200u::support::{PdpType, QiactWrite, QicsgpSetWrite};
    for_all_modes_paused(|mode| async move {
        let file = [
            &b"first\r\nOK\r\n"[..],
            &tricky_body(700),
            b"\r\nOK\r\nlast",
        ]
        .concat();
        let mut script = Vec::new();
        for line in [
            "AT+QICSGP=1,1,\"internet\"",
            "AT+QIACT=1",
            "AT+QFTPCFG=\"contextid\",1",
            "AT+QFTPCFG=\"account\",\"user\",\"s3cret\"",
            "AT+QFTPCFG=\"filetype\",0",
            "AT+QFTPCFG=\"transmode\",1",
        ] {
            script.extend([at(line), ok()]);
        }
        script.extend([
            urc(b"+CGREG: 1"),
            at("AT+QFTPOPEN=\"ftp.example.com\",21"),
            ok(),
            Step::Pause(Duration::from_secs(2)),
            lines(b"\r\n+QFTPOPEN: 0,0\r\n"),
            at("AT+QFTPCWD=\"/fw\""),
            lines(b"\r\nOK\r\n\r\n+QFTPCWD: 0,0\r\n"),
            at("AT+QFTPSIZE=\"app.bin\""),
            lines(format!("\r\nOK\r\n\r\n+QFTPSIZE: 0,{}\r\n", file.len()).as_bytes()),
            urc(b"RING"),
            at("AT+QFTPGET=\"app.bin\",\"COM:\""),
            Step::Reply(vec![
                Seg::Lines(b"\r\nCONNECT\r\n".to_vec()),
                raw(&file),
                raw(format!("\r\nOK\r\n\r\n+QFTPGET: 0,{}\r\n", file.len()).as_bytes()),
            ]),
            at("AT+QFTPCLOSE"),
            lines(b"\r\nOK\r\n\r\n+QFTPCLOSE: 0,0\r\n"),
        ]);
        let rig = corpus::ec200u(mode, corpus::config(), script, false);
        let c = &rig.client;
        c.send(&QicsgpSetWrite::new(1, PdpType::Ipv4, "internet").unwrap())
            .await
            .expect("QICSGP");
        c.send(&QiactWrite::new(1).unwrap()).await.expect("QIACT");
        c.send(&QftpcfgContextIdWrite::new(1).unwrap())
            .await
            .expect("contextid");
        c.send(&QftpcfgAccountWrite::new("user", "s3cret").unwrap())
            .await
            .expect("account");
        c.send(&QftpcfgFileTypeWrite::new(FileType::Binary).unwrap())
            .await
            .expect("filetype");
        let passive = QftpcfgTransmodeWrite::new(TransferMode::Passive).unwrap();
        c.send(&passive).await.expect("transmode");
        let open = QftpopenWrite::new("ftp.example.com", Some(21)).unwrap();
        let ((), opened) = c.send_deferred(&open).await.expect("QFTPOPEN");
        assert_eq!(opened.err, FtpError::Success);
        let ((), cwd) = c
            .send_deferred(&QftpcwdWrite::new("/fw").unwrap())
            .await
            .expect("CWD");
        assert_eq!(cwd.err, FtpError::Success);
        let ((), size) = c
            .send_deferred(&QftpsizeWrite::new("app.bin").unwrap())
            .await
            .expect("SIZE");
        assert_eq!(size.file_size as usize, file.len());
        let mut got = Vec::new();
        let get = QftpgetToPortWrite::new("app.bin", None, None).unwrap();
        let (_, done, n) = c
            .send_deferred_download(&get, &mut got)
            .await
            .expect("QFTPGET");
        assert_eq!(
            (done.transferlen as usize, n as usize),
            (file.len(), file.len())
        );
        assert_eq!(got, file, "the file, byte for byte");
        let ((), closed) = c.send_deferred(&QftpcloseExec::new()).await.expect("CLOSE");
        assert_eq!(closed.err, FtpError::Success);
        rig.finish_strict().await;
    })
    .await;
}

/// ESP32 AT: station mode, join (`WIFI CONNECTED`, `WIFI GOT IP`, `OK`), then an
/// `AT+HTTPCLIENT` GET whose body comes in same-line pieces
/// (`+HTTPCLIENT:<n>,<data>`) holding `OK`, `ERROR` and a fake `+HTTPCLIENT:`
/// header, and a `WIFI DISCONNECT`/`WIFI CONNECTED` pair after the answer.
///
/// Shape: the ESP-AT HTTP examples (shared/manuals/004_ad7819a78e68c9e9.txt: GET with
/// `+HTTPCLIENT:<size>,<data>` pieces, then `OK`), FactbirdHQ/atat#219 (the join's
/// `WIFI CONNECTED`, `WIFI GOT IP`, `OK`).
#[tokio::test(start_paused = true)]
async fn esp_at_join_and_http_get() {
    use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequestWrite, TransportType};
    use atspec_esp_at::wifi::{CwjapJoinWrite, CwmodeWrite, WifiMode};
    for_all_modes_paused(|mode| async move {
        let pieces: [Vec<u8>; 3] = [
            b"<html>\r\nOK\r\n+HTTPCLIENT:9,".to_vec(),
            tricky_body(512),
            b"\r\nERROR\r\n</html>".to_vec(),
        ];
        let mut answer = Vec::new();
        for piece in &pieces {
            answer.push(Seg::Lines(
                format!("\r\n+HTTPCLIENT:{},", piece.len()).into_bytes(),
            ));
            answer.push(Seg::Raw(piece.clone()));
        }
        answer.push(Seg::Lines(b"\r\n\r\nOK\r\n".to_vec()));
        let script = vec![
            at_esp("AT+CWMODE=1"),
            ok(),
            at_esp("AT+CWJAP=\"BL_841R\",\"1234567890\""),
            Step::Reply(vec![
                Seg::Urc(b"WIFI CONNECTED".to_vec()),
                Seg::Urc(b"WIFI GOT IP".to_vec()),
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
            ]),
            at_esp("AT+HTTPCLIENT=2,0,\"http://example.com/\",,,1"),
            Step::Reply(answer),
            urc(b"WIFI DISCONNECT"),
            urc(b"WIFI CONNECTED"),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let c = &rig.client;
        c.send(&CwmodeWrite::new(WifiMode::Station, None).unwrap())
            .await
            .expect("CWMODE");
        let join = CwjapJoinWrite::new(Some("BL_841R"), Some("1234567890"), None).unwrap();
        c.send(&join).await.expect("CWJAP");
        let get = HttpclientRequestWrite::new(
            HttpOpt::from_code(2),
            ContentType::from_code(0),
            "http://example.com/",
            None,
            None,
            TransportType::from_code(1),
            Vec::new(),
        )
        .unwrap();
        let mut page = Vec::new();
        let (response, n) = c.send_download(&get, &mut page).await.expect("HTTPCLIENT");
        let sizes: Vec<u32> = response.client_chunk.iter().map(|c| c.size).collect();
        assert_eq!(sizes, [pieces[0].len() as u32, 512, pieces[2].len() as u32]);
        assert_eq!(page, pieces.concat(), "the page, byte for byte");
        assert_eq!(n as usize, page.len());
        rig.finish_strict().await;
    })
    .await;
}

/// ESP32 AT: `AT+HTTPCPOST` with two request headers: `OK`, the bare `>` prompt,
/// the JSON body (holding `\r\nOK\r\n`), then the server's answer in
/// `+HTTPCPOST:<n>,<data>` pieces and `SEND OK`; a `WIFI GOT IP` comes before the
/// prompt and another after `SEND OK`.
///
/// Shape: the ESP-AT HTTP examples (shared/manuals/004_ad7819a78e68c9e9.txt:
/// `AT+HTTPCPOST="http://httpbin.org/post",427,2,"connection: keep-alive",...`,
/// `OK`, `>`, pieces `+HTTPCPOST:281,...`, `+HTTPCPOST:512,...`, `SEND OK`).
#[tokio::test(start_paused = true)]
async fn esp_at_http_post_with_prompt() {
    use atspec_esp_at::http::HttpcpostWrite;
    for_all_modes_paused(|mode| async move {
        let json: &[u8] = b"{\"note\":\"\r\nOK\r\n\",\"n\":1}";
        let pieces: [Vec<u8>; 2] = [
            tricky_body(512),
            b"\"url\": \"http://httpbin.org/post\"}".to_vec(),
        ];
        let mut answer = Vec::new();
        for piece in &pieces {
            answer.push(Seg::Lines(
                format!("\r\n+HTTPCPOST:{},", piece.len()).into_bytes(),
            ));
            answer.push(Seg::Raw(piece.clone()));
        }
        answer.push(Seg::Lines(b"\r\n\r\nSEND OK\r\n".to_vec()));
        let headers = ["connection: keep-alive", "content-type: application/json"];
        let line = format!(
            "AT+HTTPCPOST=\"http://httpbin.org/post\",{},2,\"{}\",\"{}\"",
            json.len(),
            headers[0],
            headers[1]
        );
        let script = vec![
            at_esp(&line),
            Step::Reply(vec![
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
                Seg::Urc(b"WIFI GOT IP".to_vec()),
                raw(b"\r\n>"),
            ]),
            Step::Upload(json.to_vec()),
            Step::Reply(answer),
            urc(b"WIFI GOT IP"),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let headers = headers.iter().map(|h| h.to_string()).collect();
        let post =
            HttpcpostWrite::new("http://httpbin.org/post", json.len() as u32, headers).unwrap();
        let mut reply = Vec::new();
        let (response, n) = rig
            .client
            .send_upload_download(&post, &mut &json[..], &mut reply)
            .await
            .expect("HTTPCPOST");
        let sizes: Vec<u32> = response.post_chunk.iter().map(|c| c.size).collect();
        assert_eq!(sizes, [512, pieces[1].len() as u32]);
        assert_eq!(reply, pieces.concat(), "the answer, byte for byte");
        assert_eq!(n as usize, reply.len());
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [json.to_vec()]);
    })
    .await;
}
