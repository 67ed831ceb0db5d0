//! TLS as the modules do it, against the in-process FTPS server (no real servers
//! needed): a module that was given no certificate reaches an FTPS server anyway, since
//! its SSL settings ask for no verification by default; the A76XX takes its SSL
//! settings and certificate files (AT+CSSLCFG, AT+CCERTDOWN) and reports them.

use atspec::task::{Ftp, FtpSecurity, FtpServer as Login, Link, Network, Transfer};
use atspec::{Client, Config};
use atspec_a76xx::ssl::{
    AuthMode, CcertdownWrite, CsslcfgAuthModeWrite, CsslcfgCaCertWrite, CsslcfgContextQueryWrite,
    CsslcfgTest, SslVersion, Switch,
};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::modem::{self, Behaviour, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::sim800_ftp::Sim800Ftp;
use atspec_emulator::payload;

/// `module` on an in-memory line, its network up.
async fn link_up<B: Behaviour, M: Network + Sync>(
    module: B,
    driver: fn(tokio::io::DuplexStream) -> M,
) -> M {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, ModemOptions::default());
    let modem = driver(host);
    let link = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(link.up);
    modem
}

/// A get from an implicit-FTPS server whose certificate the module was never given.
async fn get_unverified<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let data = payload(5000, 12);
    std::fs::write(server.root().join("f.bin"), &data).unwrap();
    let login = Login::new("127.0.0.1")
        .port(server.port())
        .login(server.user(), server.password())
        .security(FtpSecurity::Implicit);
    let mut back = Vec::new();
    // The in-process server can lose a TLS upgrade to a race of its own (see
    // tasks/ftp.rs); a few attempts tell that apart from a refused certificate.
    let mut last = None;
    for _ in 0..5 {
        back.clear();
        match modem
            .ftp_get(&login, "f.bin", &mut back, Transfer::new())
            .await
        {
            Ok(_) => {
                last = None;
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    if let Some(e) = last {
        panic!("{}: FTPS without a certificate given: {e}", M::NAME);
    }
    assert_eq!(back, data, "{}", M::NAME);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modules_given_no_certificate_reach_an_ftps_server() {
    let server = FtpServer::start(FtpOptions::implicit_tls()).await;
    let sim800 = link_up(Sim800Ftp::new(), atspec_sim800::Modem::new).await;
    get_unverified(&sim800, &server).await;
    let a76xx = link_up(A76xx::new(), atspec_a76xx::Modem::new).await;
    get_unverified(&a76xx, &server).await;
    let ec200u = link_up(Ec200u::new(), atspec_ec200u::Modem::new).await;
    get_unverified(&ec200u, &server).await;
}

#[tokio::test]
async fn a76xx_keeps_its_ssl_settings_and_certificate_files() {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(A76xx::new(), modem_side, ModemOptions::default());
    let at: Client<Urc> = Client::new(host, &DIALECT, Config::default());

    let supported = at.send(&CsslcfgTest::new()).await.unwrap();
    let supported = format!("{supported:?}");
    assert!(supported.contains("authmode"), "{supported}");

    let before = at
        .send(&CsslcfgContextQueryWrite::new(3).unwrap())
        .await
        .unwrap();
    assert_eq!(
        (
            before.ssl_version,
            before.auth_mode,
            before.ignore_local_time,
            before.negotiate_time,
            before.ca_file.as_str(),
            before.enable_sni,
        ),
        (
            SslVersion::All,
            AuthMode::None,
            Switch::On,
            300,
            "",
            Switch::Off
        ),
        "the manual's defaults"
    );

    let pem = b"-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n";
    let down = CcertdownWrite::new("ca.pem", pem.len() as u16).unwrap();
    at.send_upload(&down, &mut &pem[..]).await.unwrap();
    at.send(&CsslcfgAuthModeWrite::new(3, AuthMode::Server).unwrap())
        .await
        .unwrap();
    at.send(&CsslcfgCaCertWrite::new(3, "ca.pem").unwrap())
        .await
        .unwrap();
    let after = at
        .send(&CsslcfgContextQueryWrite::new(3).unwrap())
        .await
        .unwrap();
    assert_eq!(after.ssl_ctx_id, 3);
    assert_eq!(after.auth_mode, AuthMode::Server);
    assert_eq!(after.ca_file, "ca.pem");
}

#[tokio::test]
async fn a76xx_certificate_after_a_cr_lf_line_is_the_bytes_sent() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let (mut host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(A76xx::new(), modem_side, ModemOptions::default());
    let mut seen = Vec::new();
    // Reads until `pattern` has arrived; everything read so far is returned.
    async fn expect(host: &mut tokio::io::DuplexStream, seen: &mut Vec<u8>, pattern: &str) {
        let wait = async {
            while !String::from_utf8_lossy(seen).contains(pattern) {
                let mut chunk = [0u8; 256];
                let n = host.read(&mut chunk).await.unwrap();
                assert!(n > 0, "the module hung up");
                seen.extend_from_slice(&chunk[..n]);
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(5), wait)
            .await
            .unwrap_or_else(|_| panic!("no {pattern:?} in {:?}", String::from_utf8_lossy(seen)));
    }
    // A host that ends its lines with CR LF, as terminals and most libraries do.
    host.write_all(b"AT+CCERTDOWN=\"ca.pem\",5\r\n")
        .await
        .unwrap();
    expect(&mut host, &mut seen, "> ").await;
    host.write_all(b"hello").await.unwrap();
    expect(&mut host, &mut seen, "OK\r\n").await;
    seen.clear();
    // The file took exactly the five bytes: nothing is left over to spoil the next line.
    host.write_all(b"AT+CSSLCFG=0\r\n").await.unwrap();
    expect(&mut host, &mut seen, "\r\nOK\r\n").await;
    let text = String::from_utf8_lossy(&seen);
    assert!(text.contains("+CSSLCFG: 0,"), "{text}");
}
