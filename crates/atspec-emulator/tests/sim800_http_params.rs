//! SIM800 HTTP parameters end to end (application note 3.5 to 3.8): a proxy, redirects,
//! a download cut off midway and resumed with "BREAK", and AT+HTTPSTATUS? while requests
//! run. The module performs every request for real against loopback HTTP servers; every
//! flow runs whole, with 1-byte output chunks, echo on and injected URCs, and with random
//! chunks.

mod sim800_support;
mod support;

use sim800_support::modes;
use std::time::Duration;

use atspec::{AtError, Client, Config};
use atspec_emulator::backend::http::{HttpServer, PROXY_VIA};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;
use atspec_sim800::bearer::{
    BearerContype, SapbrOpenWrite, SapbrSetApnWrite, SapbrSetContypeWrite,
};
use atspec_sim800::http::{
    HttpMethod, HttpactionWrite, HttpdataWrite, HttpinitExec, HttpparaBreakStartWrite,
    HttpparaCidWrite, HttpparaContentWrite, HttpparaProipWrite, HttpparaProportWrite,
    HttpparaRedirWrite, HttpparaUrlWrite, HttpreadExec, HttpstatusRead, HttpstatusState,
    HttptermExec,
};
use atspec_sim800::{DIALECT, Urc};
use support::sha256;

/// A module with bearer 1 open (application note 3.1), then AT+HTTPINIT and
/// AT+HTTPPARA="CID",1 as every HTTP example starts.
async fn connected(module: Sim800, options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    let contype = SapbrSetContypeWrite::new(1, BearerContype::from_text("GPRS")).unwrap();
    client.send(&contype).await.unwrap();
    let apn = SapbrSetApnWrite::new(1, "CMNET").unwrap();
    client.send(&apn).await.unwrap();
    client.send(&SapbrOpenWrite::new(1).unwrap()).await.unwrap();
    client.send(&HttpinitExec::new()).await.unwrap();
    client
        .send(&HttpparaCidWrite::new(1).unwrap())
        .await
        .unwrap();
    client
}

fn get() -> HttpactionWrite {
    HttpactionWrite::new(HttpMethod::from_code(0)).unwrap()
}

/// AT+HTTPREAD: the whole body.
async fn read_body(client: &Client<Urc>) -> Vec<u8> {
    let mut body = Vec::new();
    let (header, n) = client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .unwrap();
    assert_eq!(u64::from(header.data_len), n);
    body
}

fn failure_code(err: AtError) -> String {
    match err {
        AtError::Failed { code, .. } => code.code,
        other => panic!("expected a failure URC, got {other}"),
    }
}

/// Manual flow: simcom-sim800 AN "3.5"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_through_the_proxy_of_proip_and_proport() {
    let origin = HttpServer::start().await;
    let proxy = HttpServer::start().await;
    for options in modes() {
        let client = connected(Sim800::new(), options.clone()).await;
        let url = origin.url("/bytes/1000?seed=5");
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let ip = proxy.addr().ip().to_string();
        client
            .send(&HttpparaProipWrite::new(&ip).unwrap())
            .await
            .unwrap();
        let port = HttpparaProportWrite::new(proxy.addr().port());
        client.send(&port).await.unwrap();
        let (_, done) = client.send_deferred(&get()).await.unwrap();
        assert_eq!((done.status_code.code(), done.data_len), (200, 1000));
        assert_eq!(read_body(&client).await, payload(1000, 5), "{options:?}");

        // The origin's echo shows the proxy's Via header: the request went through it.
        let echo_url = origin.url("/get");
        client
            .send(&HttpparaUrlWrite::new(&echo_url).unwrap())
            .await
            .unwrap();
        client.send_deferred(&get()).await.unwrap();
        let echo = String::from_utf8(read_body(&client).await).unwrap();
        assert!(
            echo.contains(&format!("\"via\": \"{PROXY_VIA}\"")),
            "{echo}"
        );
        // Without the proxy the same request carries no Via.
        client
            .send(&HttpparaProipWrite::new("").unwrap())
            .await
            .unwrap();
        client.send_deferred(&get()).await.unwrap();
        let direct = String::from_utf8(read_body(&client).await).unwrap();
        assert!(!direct.contains("\"via\""), "{direct}");
        client.send(&HttptermExec::new()).await.unwrap();
    }
    // A proxy that is gone fails the request although the origin is up: 601.
    let client = connected(Sim800::new(), ModemOptions::default()).await;
    let proxy_addr = proxy.addr();
    proxy.stop().await;
    let url = origin.url("/get");
    client
        .send(&HttpparaUrlWrite::new(&url).unwrap())
        .await
        .unwrap();
    let ip = proxy_addr.ip().to_string();
    client
        .send(&HttpparaProipWrite::new(&ip).unwrap())
        .await
        .unwrap();
    let port = HttpparaProportWrite::new(proxy_addr.port());
    client.send(&port).await.unwrap();
    let err = client.send_deferred(&get()).await.unwrap_err();
    assert_eq!(failure_code(err), "601");
}

/// Manual flow: simcom-sim800 AN "3.6"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redir_1_follows_redirects_and_redir_0_reports_them() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(Sim800::new(), options.clone()).await;
        client
            .send(&HttpparaRedirWrite::new(1).unwrap())
            .await
            .unwrap();
        let url = server.url("/redirect/3");
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let (_, done) = client.send_deferred(&get()).await.unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        let body = read_body(&client).await;
        assert_eq!(body.len(), done.data_len as usize);
        let echo = String::from_utf8(body).unwrap();
        assert!(
            echo.contains("\"path\": \"/get\""),
            "the chain's end: {echo}"
        );

        client
            .send(&HttpparaRedirWrite::new(0).unwrap())
            .await
            .unwrap();
        let (_, first_hop) = client.send_deferred(&get()).await.unwrap();
        assert_eq!(
            (first_hop.status_code.code(), first_hop.data_len),
            (302, 0),
            "{options:?}"
        );
        client.send(&HttptermExec::new()).await.unwrap();
    }
}

/// Manual flow: simcom-sim800 AN "3.7"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_cut_midway_resumes_with_break() {
    let server = HttpServer::start().await;
    let (len, cut) = (100_000usize, 40_000usize);
    for options in modes() {
        let client = connected(Sim800::new(), options.clone()).await;
        let url = server.url(&format!("/bytes/{len}?seed=11&cut={cut}"));
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        // The server declares 100000 bytes and closes after 40000: the module reports a
        // network error, and AT+HTTPREAD gives what arrived.
        let err = client.send_deferred(&get()).await.unwrap_err();
        assert_eq!(failure_code(err), "601", "{options:?}");
        let mut file = read_body(&client).await;
        assert!(
            !file.is_empty() && file.len() <= cut,
            "{} bytes before the cut",
            file.len()
        );
        assert_eq!(file, payload(file.len(), 11));
        let idle = client.send(&HttpstatusRead::new()).await.unwrap();
        assert_eq!((idle.status.code(), idle.finish, idle.remain), (0, 0, 0));

        // BREAK from what was received (BREAKEND 0: to the end), as in the manual.
        while file.len() < len {
            let from = u32::try_from(file.len()).unwrap();
            let offset = HttpparaBreakStartWrite::new(from);
            client.send(&offset).await.unwrap();
            match client.send_deferred(&get()).await {
                Ok((_, rest)) => {
                    assert_eq!(rest.status_code.code(), 206);
                    assert_eq!(rest.data_len as usize, len - file.len());
                }
                // Cut again before the break point: resume once more.
                Err(err) => assert_eq!(failure_code(err), "601"),
            }
            let part = read_body(&client).await;
            assert!(!part.is_empty(), "the resumed GET made progress");
            file.extend(part);
        }
        assert_eq!(sha256(&file), sha256(&payload(len, 11)), "{options:?}");
        client.send(&HttptermExec::new()).await.unwrap();
    }
}

/// AT+HTTPSTATUS? every 50 ms until `pick` accepts an answer (at most 5 s).
async fn poll_status(
    client: &Client<Urc>,
    pick: impl Fn(&HttpstatusState) -> bool,
) -> HttpstatusState {
    for _ in 0..100 {
        let status = client.send(&HttpstatusRead::new()).await.unwrap();
        if pick(&status) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no matching AT+HTTPSTATUS? answer within 5 s");
}

/// Manual flow: simcom-sim800 AN "3.8"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpstatus_during_and_after_a_get_and_a_post() {
    let server = HttpServer::start().await;
    let (get_len, post_len) = (64 * 1024u32, 24 * 1024usize);
    for options in modes() {
        // A 64 KiB/s bearer: each transfer lasts about a second.
        let module = Sim800::new().with_link_rate(64 * 1024);
        let client = connected(module, options.clone()).await;
        let url = server.url(&format!("/bytes/{get_len}?seed=2"));
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let action = get();
        let (done, receiving) = tokio::join!(
            client.send_deferred(&action),
            poll_status(&client, |s| s.status.code() == 1 && s.finish > 0)
        );
        assert_eq!(receiving.mode.text(), "GET");
        assert_eq!(
            receiving.finish + receiving.remain,
            get_len,
            "{receiving:?}"
        );
        assert!(receiving.finish < get_len, "{receiving:?}");
        let (_, done) = done.unwrap();
        assert_eq!((done.status_code.code(), done.data_len), (200, get_len));
        let over = client.send(&HttpstatusRead::new()).await.unwrap();
        assert_eq!(
            (
                over.mode.text(),
                over.status.code(),
                over.finish,
                over.remain
            ),
            ("GET", 0, 0, 0)
        );

        let data = payload(post_len, 4);
        let url = server.url("/post");
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let content = HttpparaContentWrite::new("application/octet-stream").unwrap();
        client.send(&content).await.unwrap();
        let input = HttpdataWrite::new(post_len as u32, 10_000).unwrap();
        client.send_upload(&input, &mut &data[..]).await.unwrap();
        let post = HttpactionWrite::new(HttpMethod::from_code(1)).unwrap();
        let (done, sending) = tokio::join!(
            client.send_deferred(&post),
            poll_status(&client, |s| s.status.code() == 2 && s.finish > 0)
        );
        assert_eq!(sending.mode.text(), "POST");
        assert_eq!(sending.finish as usize + sending.remain as usize, post_len);
        assert_eq!(sending.finish % 1440, 0, "sent in 1440-byte pieces");
        let (_, done) = done.unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        let over = client.send(&HttpstatusRead::new()).await.unwrap();
        assert_eq!(
            (
                over.mode.text(),
                over.status.code(),
                over.finish,
                over.remain
            ),
            ("POST", 0, 0, 0)
        );
        let echo = String::from_utf8(read_body(&client).await).unwrap();
        assert!(echo.contains(&sha256(&data)), "the server got the body");
        client.send(&HttptermExec::new()).await.unwrap();
    }
}
