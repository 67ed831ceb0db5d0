//! HTTPS by the URL's scheme: a modem with TLS fetches and posts over it, bytes
//! compared; one without refuses the URL before sending anything.

use atspec::Config;
use atspec::task::{Http, HttpRequest, Network, TaskErrorKind};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{CommandLog, Logged, ModemOptions};
use atspec_emulator::modems::esp_at::EspAt;
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::tls::TestCertificate;

use super::{get_sizes, post_echo};
use crate::tasks_support::{ESP_AT_URCS, esp_at_with, modes, sim800_with};

/// GET of 0 B, 1 KiB and 1 MiB and a 1 KiB POST over HTTPS, bytes compared.
async fn https_get_and_post<M: Http + Sync>(modem: &M, server: &HttpServer, sizes: &[usize]) {
    assert!(M::HTTP.https);
    assert!(server.url("/").starts_with("https://"));
    get_sizes(modem, server, sizes).await;
    post_echo(modem, server, 1024).await;
}

/// An `https://` URL on a modem without TLS: [`TaskErrorKind::Unsupported`] naming the
/// modem and the option, and not one command sent for it.
async fn https_refused<M: Http + Network + Sync>(modem: &M, log: &CommandLog) {
    assert!(!M::HTTP.https);
    let sent_before = log.lines().len();
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::get("https://127.0.0.1:1/get"), &mut body)
        .await
        .unwrap_err();
    let TaskErrorKind::Unsupported { option } = &error.kind else {
        panic!("not an unsupported option: {error}");
    };
    assert_eq!(option, "HTTPS");
    assert_eq!((error.modem, error.task), (M::NAME, "http.request"));
    assert_eq!(
        error.to_string(),
        format!("{} http.request: the modem does not support HTTPS", M::NAME)
    );
    // One round trip after the refusal: anything the refused request sent would be in
    // the log ahead of it.
    modem.link_state().await.unwrap();
    let sent: Vec<String> = log.lines().split_off(sent_before);
    assert_eq!(sent.len(), 1, "only the state query was sent: {sent:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_https_get_and_post() {
    let cert = TestCertificate::generate();
    let server = HttpServer::start_tls(&cert).await;
    for (i, options) in modes(ESP_AT_URCS).into_iter().enumerate() {
        let module = EspAt::new().with_tls(cert.client_config());
        let modem = esp_at_with(module, options, Config::default()).await;
        // 1 MiB in one-byte writes is slow and adds nothing over the whole answers.
        let sizes: &[usize] = if i == 1 {
            &[0, 1024]
        } else {
            &[0, 1024, 1 << 20]
        };
        https_get_and_post(&modem, &server, sizes).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_refuses_https() {
    let (module, log) = Logged::new(Sim800::new());
    let modem = sim800_with(module, ModemOptions::default(), Config::default()).await;
    https_refused(&modem, &log).await;
}
