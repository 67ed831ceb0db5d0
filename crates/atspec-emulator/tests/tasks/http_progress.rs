//! HTTP progress both ways (the request body as it goes to the modem, the response
//! body as it reaches the sink, with the total where the modem tells it) and the
//! response headers where the modem gives them.

use std::sync::{Arc, Mutex};

use atspec::task::{Http, HttpRequest, Progress};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::payload;

use crate::tasks_support::{ESP_AT_URCS, SIM800_URCS, esp_at, modes, sha, sim800};

type Seen = Arc<Mutex<Vec<Progress>>>;

fn recorder() -> (Seen, impl FnMut(Progress) + Send + 'static) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    (seen, move |p| record.lock().unwrap().push(p))
}

/// Reports that climb (never down) to `total` and end there, each carrying
/// `total` as known (`Some`) or not (`None`).
fn assert_climbs(seen: &[Progress], done: u64, total: Option<u64>, what: &str) {
    assert!(!seen.is_empty(), "{what}: progress was reported");
    assert!(
        seen.windows(2).all(|w| w[0].done <= w[1].done),
        "{what}: progress is monotonic: {seen:?}"
    );
    assert_eq!(
        seen.last().map(|p| p.done),
        Some(done),
        "{what}: ends at the end"
    );
    assert!(
        seen.iter().all(|p| p.total == total),
        "{what}: every report has the total {total:?}: {seen:?}"
    );
}

/// A POST of `size` bytes reports the upload, out of the body's length, up to all
/// of it; the response body's progress goes to its own callback.
async fn post_reports_upload<M: Http + Sync>(modem: &M, server: &HttpServer, size: usize) {
    let data = payload(size, 21);
    let (up, on_up) = recorder();
    let (down, on_down) = recorder();
    let mut echo = Vec::new();
    let request = HttpRequest::post(server.url("/post"))
        .body_bytes(&data)
        .on_upload_progress(on_up)
        .on_progress(on_down);
    let response = modem.request(request, &mut echo).await.unwrap();
    assert!(response.is_success(), "{response}");
    assert!(String::from_utf8_lossy(&echo).contains(&sha(&data)));
    assert_climbs(
        &up.lock().unwrap(),
        size as u64,
        Some(size as u64),
        "upload",
    );
    let down = down.lock().unwrap();
    assert_eq!(
        down.last().map(|p| p.done),
        Some(echo.len() as u64),
        "the download's own reports end at the echo's length"
    );
}

/// A GET of `size` bytes reports the download up to all of it, with the total
/// when the modem tells the length before the body (`total_known`).
async fn get_reports_total<M: Http + Sync>(
    modem: &M,
    server: &HttpServer,
    size: usize,
    total_known: bool,
) {
    let (seen, on_progress) = recorder();
    let mut body = Vec::new();
    let request =
        HttpRequest::get(server.url(&format!("/bytes/{size}?seed=4"))).on_progress(on_progress);
    let response = modem.request(request, &mut body).await.unwrap();
    assert_eq!(response.received, size as u64, "{response}");
    let total = total_known.then_some(size as u64);
    assert_climbs(&seen.lock().unwrap(), size as u64, total, "download");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_reports_upload_and_download_progress_with_totals() {
    let server = HttpServer::start().await;
    for options in modes(SIM800_URCS) {
        let modem = sim800(options).await;
        post_reports_upload(&modem, &server, 4096).await;
        get_reports_total(&modem, &server, 4096, true).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_reports_upload_progress_and_a_download_of_unknown_total() {
    let server = HttpServer::start().await;
    for options in modes(ESP_AT_URCS) {
        let modem = esp_at(options).await;
        post_reports_upload(&modem, &server, 4096).await;
        // AT+HTTPCLIENT tells no length before the body's pieces.
        get_reports_total(&modem, &server, 4096, false).await;
    }
}

/// The URL of a response carrying the header `X-Atspec-Probe: seen it`.
fn probe_url(server: &HttpServer) -> String {
    server.url("/response-headers?X-Atspec-Probe=seen%20it")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_get_returns_the_servers_response_headers() {
    const { assert!(<atspec_sim800::Modem as Http>::HTTP.response_headers) };
    let server = HttpServer::start().await;
    for options in modes(SIM800_URCS) {
        let modem = sim800(options).await;
        let mut body = Vec::new();
        let response = modem
            .request(HttpRequest::get(probe_url(&server)), &mut body)
            .await
            .unwrap();
        assert_eq!(response.status, Some(200), "{response}");
        assert_eq!(
            body, b"headers set\n",
            "the body is the body, not the headers"
        );
        assert_eq!(
            response.header("x-atspec-probe"),
            Some("seen it"),
            "{:?}",
            response.headers
        );
        assert_eq!(response.header("content-length"), Some("12"));
        assert!(
            response
                .headers
                .iter()
                .all(|(n, _)| !n.starts_with("HTTP/")),
            "the status line is not a header: {:?}",
            response.headers
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_gives_no_response_headers_as_it_declares() {
    const { assert!(!<atspec_esp_at::Modem as Http>::HTTP.response_headers) };
    let server = HttpServer::start().await;
    let modem = esp_at(Default::default()).await;
    let mut body = Vec::new();
    let response = modem
        .request(HttpRequest::get(probe_url(&server)), &mut body)
        .await
        .unwrap();
    assert!(response.is_success(), "{response}");
    assert!(response.headers.is_empty(), "{:?}", response.headers);
}
