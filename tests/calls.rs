//! `Client::call`: one call for every command, whose data source or sink follows
//! from the command's type. Sessions of three vendors that name no `send*` method
//! cover every exchange kind, and the results are those of the `send*` methods.
//! Every session runs in every mode of `support` on paused time.

mod support;

use atspec_sim800::http::{
    HttpMethod, HttpStatus, HttpactionWrite, HttpdataWrite, HttpinitExec, HttpparaUrlWrite,
    HttpreadExec, HttptermExec,
};
use support::corpus::{self, at, at_esp, lines, raw};
use support::{Seg, Step, for_all_modes_paused, ok};

fn assert_send<T: Send>(_: &T) {}

/// SIM800 POST: plain commands, an upload after `DOWNLOAD`, the deferred action and
/// the download of the reply.
#[tokio::test(start_paused = true)]
async fn sim800_post_with_call_only() {
    for_all_modes_paused(|mode| async move {
        let json: &[u8] = b"{\"ok\":\"\r\nOK\r\n\"}";
        let reply: &[u8] = b"{\"id\":\"ERROR\"}";
        let mut script = vec![at("AT+HTTPINIT"), ok()];
        script.extend(support::http::post_exchange(json, reply));
        let rig = corpus::sim800(mode, corpus::config(), script, false);
        let c = &rig.client;
        c.call(&HttpinitExec::new(), ()).await.expect("HTTPINIT");
        let url = HttpparaUrlWrite::new("http://example.com/post").unwrap();
        c.call(&url, ()).await.expect("URL");
        let data = HttpdataWrite::new(json.len() as u32, 10000).unwrap();
        c.call(&data, &mut &json[..]).await.expect("HTTPDATA");
        let post = HttpactionWrite::new(HttpMethod::Post).unwrap();
        let ((), done) = c.call(&post, ()).await.expect("HTTPACTION=1");
        assert_eq!(done.status_code, HttpStatus::Created);
        let mut got = Vec::new();
        let (header, n) = c
            .call(&HttpreadExec::new(), &mut got)
            .await
            .expect("HTTPREAD");
        assert_eq!((got.as_slice(), header.data_len, n), (reply, 14, 14));
        // The future is `Send`, so generic code can spawn it.
        let httpterm = HttptermExec::new();
        let term = c.call(&httpterm, ());
        assert_send(&term);
        term.await.expect("HTTPTERM");
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [json.to_vec()]);
    })
    .await;
}

/// A76XX FTPS: a deferred start, a deferred upload whose result is the URC after
/// `OK`, and a deferred download in `+CFTPSGET: DATA,<n>` chunks.
#[tokio::test(start_paused = true)]
async fn a76xx_ftps_put_and_get_with_call_only() {
    use atspec_a76xx::ftps::{CftpsgetStreamWrite, CftpsputWrite, CftpsstartExec, FtpsResult};
    for_all_modes_paused(|mode| async move {
        let file: &[u8] = b"line\r\nOK\r\n+CFTPSGET: 0\r\n";
        let script = vec![
            at("AT+CFTPSSTART"),
            lines(b"\r\nOK\r\n\r\n+CFTPSSTART: 0\r\n"),
            at(&format!("AT+CFTPSPUT=\"/up.bin\",{}", file.len())),
            Step::Reply(vec![raw(b"\r\n> ")]),
            Step::Upload(file.to_vec()),
            lines(b"\r\nOK\r\n\r\n+CFTPSPUT: 0\r\n"),
            at("AT+CFTPSGET=\"/up.bin\""),
            Step::Reply(vec![
                Seg::Lines(b"\r\nOK\r\n".to_vec()),
                Seg::Lines(format!("\r\n+CFTPSGET: DATA,{}\r\n", file.len()).into_bytes()),
                Seg::Raw(file.to_vec()),
                Seg::Lines(b"\r\n+CFTPSGET: 0\r\n".to_vec()),
            ]),
        ];
        let rig = corpus::a76xx(mode, corpus::config(), script, false);
        let c = &rig.client;
        let ((), started) = c.call(&CftpsstartExec::new(), ()).await.expect("START");
        assert_eq!(started.errcode, FtpsResult::Success);
        let put = CftpsputWrite::new("/up.bin", Some(file.len() as u16), None).unwrap();
        let ((), stored) = c.call(&put, &mut &file[..]).await.expect("PUT");
        assert_eq!(stored.errcode, FtpsResult::Success);
        let mut got = Vec::new();
        let get = CftpsgetStreamWrite::new("/up.bin", None).unwrap();
        let (_, done, n) = c.call(&get, &mut got).await.expect("GET");
        assert_eq!(
            (done.errcode, n as usize),
            (FtpsResult::Success, file.len())
        );
        assert_eq!(got, file);
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [file.to_vec()]);
    })
    .await;
}

/// ESP-AT `AT+HTTPCPOST`: an upload after `>` whose answer carries the reply body
/// in `+HTTPCPOST:<n>,` pieces: the call takes the source and the sink together.
#[tokio::test(start_paused = true)]
async fn esp_at_post_with_call_takes_source_and_sink() {
    use atspec_esp_at::http::HttpcpostWrite;
    for_all_modes_paused(|mode| async move {
        let json: &[u8] = b"{\"n\":\"\r\nOK\r\n\"}";
        let piece: &[u8] = b"{\"id\":\"SEND OK\"}";
        let line = format!(
            "AT+HTTPCPOST=\"http://h.example/post\",{},1,\"content-type: application/json\"",
            json.len()
        );
        let script = vec![
            at_esp(&line),
            Step::Reply(vec![Seg::Lines(b"\r\nOK\r\n".to_vec()), raw(b"\r\n>")]),
            Step::Upload(json.to_vec()),
            Step::Reply(vec![
                Seg::Lines(format!("\r\n+HTTPCPOST:{},", piece.len()).into_bytes()),
                Seg::Raw(piece.to_vec()),
                Seg::Lines(b"\r\n\r\nSEND OK\r\n".to_vec()),
            ]),
        ];
        let rig = corpus::esp_at(mode, corpus::config(), script, false);
        let headers = vec!["content-type: application/json".to_owned()];
        let post =
            HttpcpostWrite::new("http://h.example/post", json.len() as u32, headers).unwrap();
        let mut reply = Vec::new();
        let (response, n) = rig
            .client
            .call(&post, (&mut &json[..], &mut reply))
            .await
            .expect("HTTPCPOST");
        assert_eq!(response.post_chunk.len(), 1);
        assert_eq!((reply.as_slice(), n as usize), (piece, piece.len()));
        let report = rig.finish_strict().await;
        assert_eq!(report.uploads, [json.to_vec()]);
    })
    .await;
}
