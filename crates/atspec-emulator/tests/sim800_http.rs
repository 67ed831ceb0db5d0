//! SIM800 HTTP end to end: the generated driver and the runtime client talk to the
//! emulated module, which performs each request for real against the loopback
//! HTTP server. Every flow runs plain and with 1-byte output chunks, echo on and
//! unrelated URCs injected.

use atspec::{Client, Config};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::payload;
use atspec_emulator::vendor::sim800::Sim800;
use atspec_sim800::bearer::{BearerContype, SapbrOpen, SapbrQuery, SapbrSetApn, SapbrSetContype};
use atspec_sim800::http::{
    HttpMethod, Httpaction, Httpdata, Httpinit, HttpparaCid, HttpparaContent, HttpparaUrl,
    HttpreadExec, Httpterm,
};
use atspec_sim800::{DIALECT, Urc};
use sha2::{Digest, Sha256};

fn modes() -> Vec<ModemOptions> {
    vec![
        ModemOptions::default(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: vec!["+CREG: 1", "RDY", "+SAPBR 1: DEACT"],
            ..ModemOptions::default()
        },
        ModemOptions {
            chunking: Chunking::Random(7),
            ..ModemOptions::default()
        },
    ]
}

async fn connected(options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800::new(), modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    client
        .send(&SapbrSetContype::new(1, BearerContype::from_text("GPRS")).unwrap())
        .await
        .unwrap();
    client
        .send(&SapbrSetApn::new(1, "internet").unwrap())
        .await
        .unwrap();
    client.send(&SapbrOpen::new(1).unwrap()).await.unwrap();
    let status = client.send(&SapbrQuery::new(1).unwrap()).await.unwrap();
    assert_eq!(status.status.code(), 1, "bearer connected");
    client.send(&Httpinit::new().unwrap()).await.unwrap();
    client.send(&HttpparaCid::new(1).unwrap()).await.unwrap();
    client
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_of_0_1k_and_1m_binary_bodies() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        for len in [0usize, 1024, 1 << 20] {
            client
                .send(&HttpparaUrl::new(&server.url(&format!("/bytes/{len}?seed=3"))).unwrap())
                .await
                .unwrap();
            let (_, done) = client
                .send_deferred(&Httpaction::new(HttpMethod::from_code(0)).unwrap())
                .await
                .unwrap();
            assert_eq!(
                (done.status_code.code(), done.data_len as usize),
                (200, len),
                "{options:?}"
            );
            let mut body = Vec::new();
            let (header, n) = client
                .send_download(&HttpreadExec::new().unwrap(), &mut body)
                .await
                .unwrap();
            assert_eq!((header.data_len as usize, n as usize), (len, len));
            assert_eq!(sha(&body), sha(&payload(len, 3)), "{options:?} len {len}");
        }
        client.send(&Httpterm::new().unwrap()).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_with_download_prompt_and_head() {
    let server = HttpServer::start().await;
    for options in modes() {
        let client = connected(options.clone()).await;
        let data = payload(1024, 9);
        client
            .send(&HttpparaUrl::new(&server.url("/post")).unwrap())
            .await
            .unwrap();
        client
            .send(&HttpparaContent::new("application/octet-stream").unwrap())
            .await
            .unwrap();
        client
            .send_upload(
                &Httpdata::new(data.len() as u32, 10000).unwrap(),
                &mut &data[..],
            )
            .await
            .unwrap();
        let (_, done) = client
            .send_deferred(&Httpaction::new(HttpMethod::from_code(1)).unwrap())
            .await
            .unwrap();
        assert_eq!(done.status_code.code(), 200, "{options:?}");
        let mut echo = Vec::new();
        client
            .send_download(&HttpreadExec::new().unwrap(), &mut echo)
            .await
            .unwrap();
        let echo = String::from_utf8(echo).unwrap();
        assert!(
            echo.contains(&sha(&data)),
            "the server saw the exact body: {echo}"
        );

        client
            .send(&HttpparaUrl::new(&server.url("/get")).unwrap())
            .await
            .unwrap();
        let (_, head) = client
            .send_deferred(&Httpaction::new(HttpMethod::from_code(2)).unwrap())
            .await
            .unwrap();
        assert_eq!((head.status_code.code(), head.data_len), (200, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_the_modules_601() {
    let server = HttpServer::start().await;
    let url = server.url("/get");
    drop(server);
    let client = connected(ModemOptions::default()).await;
    client.send(&HttpparaUrl::new(&url).unwrap()).await.unwrap();
    let err = client
        .send_deferred(&Httpaction::new(HttpMethod::from_code(0)).unwrap())
        .await
        .unwrap_err();
    match err {
        atspec::AtError::Failed { code, .. } => assert_eq!(
            (code.code.as_str(), code.meaning),
            ("601", Some("Network Error"))
        ),
        other => panic!("expected the 601 failure, got {other}"),
    }
}
