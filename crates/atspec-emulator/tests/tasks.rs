//! The vendor-neutral tasks end to end: one generic test function per task, run
//! for every modem that declares it, over the emulated module and the loopback
//! servers, under each realism mode (whole answers; 1-byte chunks with echo and
//! injected URCs; random chunks). HTTPS, the error classes, timeouts and the modems'
//! limits, FTP(S) and the cellular bring-up are in the modules under `tasks/`; the 64 MiB download in bounded memory is
//! its own binary (`memory_bounded_http_task.rs`), so no other test blurs its
//! measurement.

mod tasks_support;

#[path = "tasks/ftp.rs"]
mod ftp;
#[path = "tasks/ftp_dirs.rs"]
mod ftp_dirs;
#[path = "tasks/ftp_modems.rs"]
mod ftp_modems;
#[path = "tasks/http_errors.rs"]
mod http_errors;
#[path = "tasks/http_limits.rs"]
mod http_limits;
#[path = "tasks/http_progress.rs"]
mod http_progress;
#[path = "tasks/http_timeouts.rs"]
mod http_timeouts;
#[path = "tasks/http_tls.rs"]
mod http_tls;
#[path = "tasks/network.rs"]
mod network;

use std::sync::{Arc, Mutex};

use atspec::task::{Http, HttpRequest, Link, Network, Progress, TaskErrorKind};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;
use tasks_support::{ESP_AT_URCS, SIM800_URCS, esp_at, modes, sha, sim800};

/// GET of 0 B, 1 KiB and 1 MiB (where the modem takes it): the bytes arrive
/// whole, the status is 200, progress climbs to the total and ends there.
async fn get_sizes<M: Http + Sync>(modem: &M, server: &HttpServer, sizes: &[usize]) {
    for &size in sizes {
        let url = server.url(&format!("/bytes/{size}?seed=7"));
        let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
        let record = seen.clone();
        let mut body = Vec::new();
        let request = HttpRequest::get(url).on_progress(move |p| record.lock().unwrap().push(p));
        let response = modem.request(request, &mut body).await.unwrap();
        assert!(response.is_success(), "{size} B: {response}");
        assert_eq!(sha(&body), sha(&payload(size, 7)), "{size} B body");
        assert_eq!(response.received, size as u64);
        let seen = seen.lock().unwrap();
        assert!(
            seen.windows(2).all(|w| w[0].done <= w[1].done),
            "progress is monotonic"
        );
        if size > 0 {
            assert_eq!(seen.last().map(|p| p.done), Some(size as u64));
        }
    }
}

/// A 404 is a status, not an error; `error_for_status` turns it into one.
async fn not_found_is_a_status<M: Http + Sync>(modem: &M, server: &HttpServer) {
    let mut body = Vec::new();
    let response = modem
        .request(HttpRequest::get(server.url("/status/404")), &mut body)
        .await
        .unwrap();
    assert_eq!(response.status, Some(404));
    assert_eq!(response.to_string(), "404 Not Found, 0 bytes");
    let error = response.error_for_status().unwrap_err();
    assert!(matches!(error.kind, TaskErrorKind::Status { status: 404 }));
    assert_eq!(error.modem, M::NAME);
    let text = error.to_string();
    assert!(
        text.ends_with(": the server answered 404 Not Found"),
        "{text}"
    );
}

/// A POST uploads the body; the server's echo holds its SHA-256.
async fn post_echo<M: Http + Sync>(modem: &M, server: &HttpServer, size: usize) {
    let data = payload(size, 11);
    let mut echo = Vec::new();
    let mut request = HttpRequest::post(server.url("/post")).body_bytes(&data);
    if M::HTTP.request_headers {
        request = request.header("content-type", "application/octet-stream");
    }
    let response = modem.request(request, &mut echo).await.unwrap();
    assert!(response.is_success(), "{response}");
    let echo = String::from_utf8_lossy(&echo);
    assert!(
        echo.contains(&sha(&data)),
        "the server got the body: {echo}"
    );
}

/// A method the modem lacks is refused before anything is sent, naming it.
async fn unsupported_method<M: Http + Sync>(modem: &M, server: &HttpServer) {
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::put(server.url("/put")), &mut body)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("PUT"), "{error}");
}

/// A GET from an offset brings the rest of the body where the modem can ask for a
/// range (`ranged`, what its manual has); elsewhere it is refused before anything is
/// sent, naming the option.
async fn get_from_offset<M: Http + Sync>(modem: &M, server: &HttpServer, ranged: bool) {
    assert_eq!(M::HTTP.range, ranged, "{} declares range requests", M::NAME);
    let size = 4096;
    let offset = 1000;
    let url = server.url(&format!("/bytes/{size}?seed=5"));
    let mut body = Vec::new();
    let result = modem
        .request(HttpRequest::get(url).from_offset(offset), &mut body)
        .await;
    if !M::HTTP.range {
        let error = result.unwrap_err();
        assert!(error.to_string().contains("range requests"), "{error}");
        return;
    }
    let response = result.unwrap();
    assert_eq!(response.status, Some(206), "{response}");
    assert_eq!(sha(&body), sha(&payload(size, 5)[offset as usize..]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_http_get_post_status_and_errors() {
    let server = HttpServer::start().await;
    for options in modes(SIM800_URCS) {
        let modem = sim800(options).await;
        // Connecting again leaves the open bearer alone.
        assert!(
            modem
                .connect(&Link::cellular("internet"), None)
                .await
                .unwrap()
                .up
        );
        get_sizes(&modem, &server, &[0, 1024]).await;
        not_found_is_a_status(&modem, &server).await;
        post_echo(&modem, &server, 1024).await;
        unsupported_method(&modem, &server).await;
        get_from_offset(&modem, &server, true).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_http_get_post_status_and_errors() {
    let server = HttpServer::start().await;
    for options in modes(ESP_AT_URCS) {
        let modem = esp_at(options).await;
        assert!(
            modem
                .connect(&Link::wifi(DEFAULT_SSID, DEFAULT_PASSWORD), None)
                .await
                .unwrap()
                .up
        );
        get_sizes(&modem, &server, &[0, 1024, 1 << 20]).await;
        not_found_is_a_status(&modem, &server).await;
        post_echo(&modem, &server, 1024).await;
        get_from_offset(&modem, &server, false).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_refuses_a_cellular_link_and_sim800_a_wifi_one() {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(
        EspAt::new(),
        modem_side,
        ModemOptions {
            terminator: atspec_esp_at::DIALECT.terminator,
            ..ModemOptions::default()
        },
    );
    let modem = atspec_esp_at::Modem::new(host);
    let error = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("cellular link"), "{error}");
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800::new(), modem_side, ModemOptions::default());
    let modem = atspec_sim800::Modem::new(host);
    let error = modem
        .connect(&Link::wifi("ap", "pw"), None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Wi-Fi link"), "{error}");
}
