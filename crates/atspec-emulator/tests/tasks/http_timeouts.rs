//! Per-call timeouts against a modem that answers late: a bound shorter than the delay
//! fails naming the step and leaves the modem usable (the late answer is not taken for
//! the next task's); a bound longer than the spec's wait outlasts it.

use std::time::Duration;

use atspec::Config;
use atspec::task::{Http, HttpRequest, TaskErrorKind};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{Late, ModemOptions};
use atspec_emulator::modems::esp_at::EspAt;
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;

use super::get_sizes;
use crate::tasks_support::{esp_at_with, sha, sim800_with};

/// How long the late module stays silent: far past the short bounds below, far within
/// the long one, so no ordering depends on scheduling.
const LATE: Duration = Duration::from_millis(900);
/// A caller's bound the late answer misses.
const SHORT: Duration = Duration::from_millis(250);
/// A caller's bound the late answer meets.
const LONG: Duration = Duration::from_secs(20);

/// Each modem's request command (which the late module delays) and its step.
struct Request {
    prefix: &'static str,
    step: &'static str,
}

const SIM800: Request = Request {
    prefix: "AT+HTTPACTION",
    step: "+HTTPACTION write",
};
const ESP_AT: Request = Request {
    prefix: "AT+HTTPCLIENT",
    step: "+HTTPCLIENT write request",
};

/// The request times out at its step; the next task on the same modem gets its own
/// answer, bytes compared, not the late one (a different body).
async fn late_answer_times_out<M: Http + Sync>(modem: &M, server: &HttpServer, step: &str) {
    let mut body = Vec::new();
    let request = HttpRequest::get(server.url("/bytes/2048?seed=1")).timeout(SHORT);
    let error = modem.request(request, &mut body).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(error.step, Some(step), "{error}");
    let text = error.to_string();
    assert!(text.contains(step), "{text}");
    assert!(body.is_empty(), "no body from a timed-out request");
    get_sizes(modem, server, &[1024]).await;
}

/// On a client whose wait for a final result is shorter than the module's delay, the
/// request fails without a bound of its own and succeeds with [`LONG`].
async fn caller_timeout_outlasts_the_spec<M: Http + Sync>(modem: &M, server: &HttpServer) {
    let url = server.url("/bytes/1024?seed=9");
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::get(url.clone()), &mut body)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "the spec's wait is too short: {error}");
    assert!(
        !matches!(error.kind, TaskErrorKind::Timeout { .. }),
        "{error}"
    );
    let mut body = Vec::new();
    let response = modem
        .request(HttpRequest::get(url).timeout(LONG), &mut body)
        .await
        .unwrap();
    assert!(response.is_success(), "{response}");
    assert_eq!(sha(&body), sha(&payload(1024, 9)));
}

/// The client's wait where the spec gives none, shorter than [`LATE`].
fn short_waits() -> Config {
    Config {
        default_timeout: Duration::from_millis(300),
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_late_answer_times_out_and_the_modem_recovers() {
    let server = HttpServer::start().await;
    let module = Late::new(Sim800::new(), SIM800.prefix, LATE);
    let modem = sim800_with(module, ModemOptions::default(), Config::default()).await;
    late_answer_times_out(&modem, &server, SIM800.step).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_late_answer_times_out_and_the_modem_recovers() {
    let server = HttpServer::start().await;
    let module = Late::new(EspAt::new(), ESP_AT.prefix, LATE);
    let modem = esp_at_with(module, ModemOptions::default(), Config::default()).await;
    late_answer_times_out(&modem, &server, ESP_AT.step).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_caller_timeout_outlasts_the_spec() {
    let server = HttpServer::start().await;
    let module = Late::new(Sim800::new(), SIM800.prefix, LATE).times(2);
    let modem = sim800_with(module, ModemOptions::default(), short_waits()).await;
    caller_timeout_outlasts_the_spec(&modem, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_caller_timeout_outlasts_the_spec() {
    let server = HttpServer::start().await;
    let module = Late::new(EspAt::new(), ESP_AT.prefix, LATE).times(2);
    let modem = esp_at_with(module, ModemOptions::default(), short_waits()).await;
    caller_timeout_outlasts_the_spec(&modem, &server).await;
}
