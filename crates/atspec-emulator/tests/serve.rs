//! The standing emulator (`atspec emulate <module>`): a client that knows nothing but the
//! printed TCP address reaches the module, and the module reaches the printed servers,
//! HTTPS and FTPS included (it trusts their generated certificates).

mod support;

use atspec::{Client, Config, transport};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::{Chunking, ModemOptions};
use atspec_emulator::modems::cellular::NetworkOptions;
use atspec_emulator::payload;
use atspec_emulator::serve::{Listen, ServeOptions, Serving, Vendor, start};
use support::sha256;

async fn serving(vendor: Vendor, ftp_tls: FtpTls, modem: ModemOptions) -> Serving {
    start(ServeOptions {
        vendor,
        listen: Listen::Tcp("127.0.0.1:0".parse().unwrap()),
        modem,
        ftp_tls,
        network: NetworkOptions::default(),
        fault: None,
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sim800_on_tcp_fetches_from_the_printed_http_server() {
    use atspec_sim800::bearer::{
        BearerContype, SapbrOpenWrite, SapbrSetApnWrite, SapbrSetContypeWrite,
    };
    use atspec_sim800::http::{
        HttpMethod, HttpactionWrite, HttpinitExec, HttpparaCidWrite, HttpparaUrlWrite, HttpreadExec,
    };
    use atspec_sim800::{DIALECT, Urc};

    let realism = ModemOptions {
        echo: true,
        chunking: Chunking::Bytes,
        inject_urcs: vec!["+CREG: 1"],
        ..ModemOptions::default()
    };
    let serving = serving(Vendor::Sim800, FtpTls::Plain, realism).await;
    let text = serving.describe();
    let addr = serving.modem_addr().unwrap();
    assert!(text.contains(&addr.to_string()), "{text}");
    assert!(text.contains(&serving.http().url("/")), "{text}");

    // Two connections in turn: each gets a module of its own, from power-on.
    for seed in [1, 2] {
        let line = transport::tcp(addr).await.unwrap();
        let client: Client<Urc> = Client::new(line, &DIALECT, Config::default());
        let contype = SapbrSetContypeWrite::new(1, BearerContype::from_text("GPRS")).unwrap();
        client.send(&contype).await.unwrap();
        client
            .send(&SapbrSetApnWrite::new(1, "internet").unwrap())
            .await
            .unwrap();
        client.send(&SapbrOpenWrite::new(1).unwrap()).await.unwrap();
        client.send(&HttpinitExec::new()).await.unwrap();
        client
            .send(&HttpparaCidWrite::new(1).unwrap())
            .await
            .unwrap();
        let url = serving.http().url(&format!("/bytes/1024?seed={seed}"));
        client
            .send(&HttpparaUrlWrite::new(&url).unwrap())
            .await
            .unwrap();
        let get = HttpactionWrite::new(HttpMethod::from_code(0)).unwrap();
        let (_, done) = client.send_deferred(&get).await.unwrap();
        assert_eq!((done.status_code.code(), done.data_len), (200, 1024));
        let mut body = Vec::new();
        client
            .send_download(&HttpreadExec::new(), &mut body)
            .await
            .unwrap();
        assert_eq!(sha256(&body), sha256(&payload(1024, seed)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_a76xx_uploads_over_the_printed_explicit_ftps_server() {
    use atspec_a76xx::ftps::{
        CftpsloginWrite, CftpsputWrite, CftpsstartExec, FtpsResult, ServerType,
    };
    use atspec_a76xx::{DIALECT, Urc};

    let serving = serving(Vendor::A76xx, FtpTls::Explicit, ModemOptions::default()).await;
    let line = transport::tcp(serving.modem_addr().unwrap()).await.unwrap();
    let client: Client<Urc> = Client::new(line, &DIALECT, Config::default());
    client.send_deferred(&CftpsstartExec::new()).await.unwrap();
    let ftp = serving.ftp();
    let login = CftpsloginWrite::new(
        "localhost",
        ftp.port(),
        ftp.user(),
        ftp.password(),
        Some(ServerType::ExplicitTls),
    )
    .unwrap();
    // libunftp sometimes races its switch to TLS (see the A76XX tests); a host retries.
    let mut logged_in = false;
    for _ in 0..5 {
        if let Ok((_, done)) = client.send_deferred(&login).await {
            logged_in = done.errcode == FtpsResult::Success;
            break;
        }
    }
    assert!(logged_in, "the module trusts the FTPS server's certificate");
    let data = payload(2000, 9);
    let put = CftpsputWrite::new("up.bin", Some(2000), None).unwrap();
    let (_, done) = client
        .send_deferred_upload(&put, &mut &data[..])
        .await
        .unwrap();
    assert_eq!(done.errcode, FtpsResult::Success);
    let stored = std::fs::read(ftp.root().join("up.bin")).unwrap();
    assert_eq!(sha256(&stored), sha256(&data));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_esp_at_fetches_from_the_printed_https_server() {
    use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID};
    use atspec_esp_at::basic::RestoreExec;
    use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequestWrite, TransportType};
    use atspec_esp_at::wifi::{CwjapJoinWrite, CwmodeWrite, WifiMode};
    use atspec_esp_at::{DIALECT, Urc};

    let serving = serving(Vendor::EspAt, FtpTls::Plain, ModemOptions::default()).await;
    let line = transport::tcp(serving.modem_addr().unwrap()).await.unwrap();
    let client: Client<Urc> = Client::new(line, &DIALECT, Config::default());
    client.send(&RestoreExec::new()).await.unwrap();
    client
        .send(&CwmodeWrite::new(WifiMode::from_code(1), None).unwrap())
        .await
        .unwrap();
    client
        .send(&CwjapJoinWrite::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).unwrap())
        .await
        .unwrap();
    let url = serving.https().url("/bytes/2048?seed=4");
    assert!(url.starts_with("https://"), "{url}");
    let get = HttpclientRequestWrite::new(
        HttpOpt::from_code(2),
        ContentType::from_code(0),
        &url,
        None,
        None,
        TransportType::from_code(2),
        vec![],
    )
    .unwrap();
    let mut body = Vec::new();
    client.send_download(&get, &mut body).await.unwrap();
    assert_eq!(sha256(&body), sha256(&payload(2048, 4)));
}
