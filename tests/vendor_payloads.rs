//! Each vendor's own payload style, end to end through the generated commands
//! and the client, with the modem's output cut into 1-byte writes (and whole):
//! SIM800 FTPGET reads in a loop until `+FTPGET: 1,0`; A76xx CFTPSGET
//! `DATA,<len>` chunks until `+CFTPSGET: 0`; ESP-AT HTTPCLIENT same-line chunks and
//! HTTPCPOST `>` then `SEND OK`; Quectel QFTPGET data mode whose content holds
//! `\r\nOK\r\n`, checked against `+QFTPGET: 0,<len>`; QFTPPUT ended by `+++`; A76xx
//! CFTPSPUT without a length, ETX-escaped.

use std::time::Duration;

use atspec::{Client, Config, Dialect, UrcSet};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;

/// What the scripted modem does next.
enum Step {
    /// Read exactly these bytes from the host.
    Expect(Vec<u8>),
    /// Write these bytes.
    Send(Vec<u8>),
    /// Read bytes until this sequence has arrived (included) and check them.
    ExpectUntil { tail: Vec<u8>, whole: Vec<u8> },
    /// Nothing may arrive for this long (the host waits for the modem).
    Quiet(Duration),
}

fn expect(bytes: impl AsRef<[u8]>) -> Step {
    Step::Expect(bytes.as_ref().to_vec())
}

fn send(bytes: impl AsRef<[u8]>) -> Step {
    Step::Send(bytes.as_ref().to_vec())
}

/// Plays `script` on the modem side, writing one byte at a time when `bytewise`.
fn modem(
    mut io: DuplexStream,
    script: Vec<Step>,
    bytewise: bool,
) -> JoinHandle<Result<DuplexStream, String>> {
    tokio::spawn(async move {
        for (n, step) in script.into_iter().enumerate() {
            match step {
                Step::Expect(want) => {
                    let mut got = vec![0u8; want.len()];
                    io.read_exact(&mut got)
                        .await
                        .map_err(|e| format!("step {n}: {e}"))?;
                    if got != want {
                        return Err(format!(
                            "step {n}: expected {:?}, got {:?}",
                            String::from_utf8_lossy(&want),
                            String::from_utf8_lossy(&got)
                        ));
                    }
                }
                Step::Send(bytes) if bytewise => {
                    for b in bytes {
                        io.write_all(&[b])
                            .await
                            .map_err(|e| format!("step {n}: {e}"))?;
                        tokio::task::yield_now().await;
                    }
                }
                Step::Send(bytes) => io
                    .write_all(&bytes)
                    .await
                    .map_err(|e| format!("step {n}: {e}"))?,
                Step::ExpectUntil { tail, whole } => {
                    let mut got = Vec::new();
                    while !got.ends_with(&tail) {
                        let mut byte = [0u8; 1];
                        io.read_exact(&mut byte)
                            .await
                            .map_err(|e| format!("step {n}: {e}"))?;
                        got.push(byte[0]);
                    }
                    if got != whole {
                        return Err(format!("step {n}: upload {got:?}, expected {whole:?}"));
                    }
                }
                Step::Quiet(wait) => {
                    let mut byte = [0u8; 1];
                    if let Ok(read) = tokio::time::timeout(wait, io.read(&mut byte)).await {
                        return Err(format!("step {n}: the host sent {read:?} without waiting"));
                    }
                }
            }
        }
        Ok(io)
    })
}

fn config() -> Config {
    Config {
        guard_time: Some(Duration::from_millis(5)),
        default_timeout: Duration::from_secs(5),
        ..Config::default()
    }
}

/// Runs `body` against a client for `script`, once with whole writes and once
/// with 1-byte writes.
async fn both_ways<U, F, Fut>(dialect: &'static Dialect, script: impl Fn() -> Vec<Step>, body: F)
where
    U: UrcSet + Clone + Send + 'static,
    F: Fn(Client<U>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for bytewise in [false, true] {
        let (host, far) = tokio::io::duplex(1 << 16);
        let task = modem(far, script(), bytewise);
        body(Client::new(host, dialect, config())).await;
        let outcome = tokio::time::timeout(Duration::from_secs(5), task).await;
        match outcome {
            Ok(Ok(Ok(_))) => {}
            other => panic!("bytewise={bytewise}: the modem script did not complete: {other:?}"),
        }
    }
}

/// Payload bytes that look like everything a framer could mistake for structure.
fn tricky(len: usize) -> Vec<u8> {
    let pattern = b"\r\nOK\r\nERROR\r\n+FTPGET: 1,0\r\n> \x1a\x03";
    (0..len).map(|i| pattern[i % pattern.len()]).collect()
}

#[tokio::test]
async fn sim800_ftpget_reads_in_a_loop_until_done() {
    use atspec_sim800::ftp::{FtpgetOpenWrite, FtpgetReadWrite};
    let body = tricky(70);
    let script = || {
        vec![
            expect(b"AT+FTPGET=1\r"),
            send(b"\r\nOK\r\n\r\n+FTPGET: 1,1\r\n"),
            expect(b"AT+FTPGET=2,50\r"),
            send([&b"\r\n+FTPGET: 2,50\r\n"[..], &body[..50], b"\r\nOK\r\n"].concat()),
            expect(b"AT+FTPGET=2,50\r"),
            send([&b"\r\n+FTPGET: 2,20\r\n"[..], &body[50..], b"\r\nOK\r\n"].concat()),
            expect(b"AT+FTPGET=2,50\r"),
            send(b"\r\n+FTPGET: 2,0\r\n\r\nOK\r\n\r\n+FTPGET: 1,0\r\n"),
        ]
    };
    both_ways::<atspec_sim800::Urc, _, _>(&atspec_sim800::DIALECT, script, |client| {
        let body = body.clone();
        async move {
            let mut urcs = client.subscribe();
            let (_, ready) = client.send_deferred(&FtpgetOpenWrite::new()).await.unwrap();
            assert_eq!(ready.status.code(), 1, "data ready");
            let mut file = Vec::new();
            loop {
                let (header, n) = client
                    .send_download(&FtpgetReadWrite::new(50).unwrap(), &mut file)
                    .await
                    .unwrap();
                assert_eq!(u64::from(header.cnflength), n);
                if n == 0 {
                    break;
                }
            }
            assert_eq!(file, body);
            // The session's end arrives as a URC.
            let done = tokio::time::timeout(Duration::from_secs(2), urcs.recv())
                .await
                .unwrap()
                .unwrap();
            assert!(format!("{done:?}").contains("GetStatusUrc"), "{done:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a76xx_cftpsget_data_chunks_until_the_result() {
    use atspec_a76xx::ftps::CftpsgetStreamWrite;
    let body = tricky(3000);
    let script = || {
        let mut steps = vec![expect(b"AT+CFTPSGET=\"/a.bin\"\r"), send(b"\r\nOK\r\n")];
        for chunk in body.chunks(1024) {
            steps.push(send(
                [
                    format!("\r\n+CFTPSGET: DATA,{}\r\n", chunk.len()).as_bytes(),
                    chunk,
                ]
                .concat(),
            ));
        }
        steps.push(send(b"\r\n+CFTPSGET: 0\r\n"));
        steps
    };
    both_ways::<atspec_a76xx::Urc, _, _>(&atspec_a76xx::DIALECT, script, |client| {
        let body = body.clone();
        async move {
            let mut file = Vec::new();
            let command = CftpsgetStreamWrite::new("/a.bin", None).unwrap();
            let (_, _, n) = client
                .send_deferred_download(&command, &mut file)
                .await
                .unwrap();
            assert_eq!((n as usize, file.len()), (body.len(), body.len()));
            assert_eq!(file, body);
        }
    })
    .await;
}

#[tokio::test]
async fn a76xx_cftpsput_without_a_length_is_etx_escaped() {
    use atspec_a76xx::ftps::CftpsputWrite;
    let data = b"a\x1ab\x03c".to_vec();
    let script = || {
        vec![
            expect(b"AT+CFTPSPUT=\"/up.bin\"\r"),
            send(b"\r\n> "),
            // Escaped data, then the lone Ctrl+Z that ends it.
            expect(b"a\x03\x1ab\x03\x03c\x1a"),
            send(b"\r\nOK\r\n\r\n+CFTPSPUT: 0\r\n"),
        ]
    };
    both_ways::<atspec_a76xx::Urc, _, _>(&atspec_a76xx::DIALECT, script, |client| {
        let data = data.clone();
        async move {
            let command = CftpsputWrite::new("/up.bin", None, None).unwrap();
            let mut source = &data[..];
            // The upload's real result is the URC after OK.
            let (_, done) = client
                .send_deferred_upload(&command, &mut source)
                .await
                .unwrap();
            assert_eq!(done.errcode.code(), 0);
        }
    })
    .await;
}

#[tokio::test]
async fn ec200u_qftpget_data_mode_keeps_ok_inside_the_data_and_checks_the_length() {
    use atspec_ec200u::ftp::QftpgetToPortWrite;
    let body = [&b"first\r\nOK\r\nsecond"[..], b"\r\nOK\r\n", b"third"].concat();
    let script = || {
        vec![
            expect(b"AT+QFTPGET=\"f.bin\",\"COM:\"\r"),
            send(
                [
                    &b"\r\nCONNECT\r\n"[..],
                    &body,
                    b"\r\nOK\r\n",
                    format!("\r\n+QFTPGET: 0,{}\r\n", body.len()).as_bytes(),
                ]
                .concat(),
            ),
        ]
    };
    both_ways::<atspec_ec200u::Urc, _, _>(&atspec_ec200u::DIALECT, script, |client| {
        let body = body.clone();
        async move {
            let mut file = Vec::new();
            let command = QftpgetToPortWrite::new("f.bin", None, None).unwrap();
            let (_, done, n) = client
                .send_deferred_download(&command, &mut file)
                .await
                .unwrap();
            assert_eq!(u64::from(done.transferlen), n);
            assert_eq!(file, body);
        }
    })
    .await;
}

#[tokio::test]
async fn ec200u_qftpget_reports_a_length_mismatch() {
    use atspec_ec200u::ftp::QftpgetToPortWrite;
    let script = || {
        vec![
            expect(b"AT+QFTPGET=\"f.bin\",\"COM:\"\r"),
            send(b"\r\nCONNECT\r\nabc\r\nOK\r\n\r\n+QFTPGET: 0,5\r\n"),
        ]
    };
    both_ways::<atspec_ec200u::Urc, _, _>(&atspec_ec200u::DIALECT, script, |client| async move {
        let mut file = Vec::new();
        let command = QftpgetToPortWrite::new("f.bin", None, None).unwrap();
        let err = client
            .send_deferred_download(&command, &mut file)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                atspec::AtError::LengthMismatch {
                    expected: 5,
                    received: 3,
                    ..
                }
            ),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn ec200u_qftpput_ends_with_guarded_plus_plus_plus() {
    use atspec_ec200u::ftp::QftpputFromPortWrite;
    let data = b"upload\r\nOK\r\n".to_vec();
    let script = || {
        vec![
            expect(b"AT+QFTPPUT=\"up.bin\",\"COM:\"\r"),
            send(b"\r\nCONNECT\r\n"),
            Step::ExpectUntil {
                tail: b"+++".to_vec(),
                whole: b"upload\r\nOK\r\n+++".to_vec(),
            },
            send(b"\r\nOK\r\n\r\n+QFTPPUT: 0,12\r\n"),
        ]
    };
    both_ways::<atspec_ec200u::Urc, _, _>(&atspec_ec200u::DIALECT, script, |client| {
        let data = data.clone();
        async move {
            let command = QftpputFromPortWrite::new("up.bin", None).unwrap();
            let mut source = &data[..];
            let (_, done) = client
                .send_deferred_upload(&command, &mut source)
                .await
                .unwrap();
            assert_eq!((done.err.code(), done.transferlen), (0, 12));
        }
    })
    .await;
}

#[tokio::test]
async fn esp_at_httpclient_same_line_chunks() {
    use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequestWrite, TransportType};
    let first = b"<html>\r\nOK\r\n+HTTPCLIENT:9,".to_vec();
    let second = b"\r\nERROR\r\n</html>".to_vec();
    let script = {
        let (first, second) = (first.clone(), second.clone());
        move || {
            vec![
                expect(b"AT+HTTPCLIENT=2,0,\"http://example.com/\",,,1\r\n"),
                send(
                    [
                        format!("+HTTPCLIENT:{},", first.len()).as_bytes(),
                        &first,
                        format!("\r\n+HTTPCLIENT:{},", second.len()).as_bytes(),
                        &second,
                        b"\r\n\r\nOK\r\n",
                    ]
                    .concat(),
                ),
            ]
        }
    };
    both_ways::<atspec_esp_at::Urc, _, _>(&atspec_esp_at::DIALECT, script, |client| {
        let body = [first.clone(), second.clone()].concat();
        async move {
            let command = HttpclientRequestWrite::new(
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
            let (response, n) = client.send_download(&command, &mut page).await.unwrap();
            assert_eq!(response.client_chunk.len(), 2, "two chunk headers");
            assert_eq!((n as usize, page), (body.len(), body));
        }
    })
    .await;
}

#[tokio::test]
async fn esp_at_httpcpost_prompt_after_ok_then_send_ok() {
    use atspec_esp_at::http::HttpcpostWrite;
    let data = b"{\"a\":\"\r\nOK\r\n\"}".to_vec();
    let answer = b"{\"echo\":1}".to_vec();
    let script = {
        let (data, answer) = (data.clone(), answer.clone());
        move || {
            vec![
                expect(format!(
                    "AT+HTTPCPOST=\"http://example.com/post\",{}\r\n",
                    data.len()
                )),
                send(b"OK\r\n\r\n>"),
                expect(&data),
                send(
                    [
                        format!("+HTTPCPOST:{},", answer.len()).as_bytes(),
                        &answer,
                        b"\r\nSEND OK\r\n",
                    ]
                    .concat(),
                ),
            ]
        }
    };
    both_ways::<atspec_esp_at::Urc, _, _>(&atspec_esp_at::DIALECT, script, |client| {
        let (data, answer) = (data.clone(), answer.clone());
        async move {
            let command =
                HttpcpostWrite::new("http://example.com/post", data.len() as u32, Vec::new())
                    .unwrap();
            let mut source = &data[..];
            let mut body = Vec::new();
            let (response, n) = client
                .send_upload_download(&command, &mut source, &mut body)
                .await
                .unwrap();
            assert_eq!(response.post_chunk.len(), 1);
            assert_eq!((n as usize, body), (answer.len(), answer));
        }
    })
    .await;
}

/// AT+QFUPL with `<ackmode>` 1: the host sends 1024 bytes, then waits for the module's
/// `A` (bare, or on a line of its own) before the next block; a last full block may be
/// acknowledged or not.
#[tokio::test]
async fn ec200u_qfupl_waits_for_each_acknowledgement() {
    use atspec_ec200u::support::{QfuplWrite, UploadAckMode};
    for (len, last_acked) in [(2500usize, false), (2048, true), (2048, false)] {
        let data = tricky(len);
        let script = || {
            let mut steps = vec![
                expect(format!("AT+QFUPL=\"UFS:f.bin\",{len},5,1\r")),
                send(b"\r\nCONNECT\r\n"),
            ];
            for (i, block) in data.chunks(1024).enumerate() {
                steps.push(expect(block));
                if block.len() < 1024 {
                    break;
                }
                let last = (i + 1) * 1024 == len;
                if last && !last_acked {
                    break;
                }
                steps.push(Step::Quiet(Duration::from_millis(30)));
                // The first acknowledgement bare, the others on lines of their own.
                steps.push(send(if i == 0 { &b"A"[..] } else { &b"\r\nA\r\n"[..] }));
            }
            steps.push(send(format!("\r\n+QFUPL: {len},1a2b\r\n\r\nOK\r\n")));
            steps
        };
        both_ways::<atspec_ec200u::Urc, _, _>(&atspec_ec200u::DIALECT, script, |client| {
            let data = data.clone();
            async move {
                let command =
                    QfuplWrite::new("UFS:f.bin", len as u32, Some(5), Some(UploadAckMode::On))
                        .unwrap();
                let stored = client.send_upload(&command, &mut &data[..]).await.unwrap();
                let line = stored;
                assert_eq!(
                    (line.upload_size as usize, line.checksum.as_str()),
                    (len, "1a2b")
                );
            }
        })
        .await;
    }
}
