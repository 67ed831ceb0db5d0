//! The modems' own limits: a request body over what the module takes is refused before
//! anything is sent, a response past what it can read before the first read.

use atspec::Config;
use atspec::task::{Http, HttpRequest, Network, TaskErrorKind};
use atspec_emulator::modem::{CommandLog, Logged, ModemOptions};
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;

use crate::tasks_support::sim800_with;

/// A POST one byte over the modem's limit: [`TaskErrorKind::Input`] naming the body and
/// both sizes, and no HTTP command sent.
async fn oversized_body_refused<M: Http + Network + Sync>(modem: &M, log: &CommandLog) {
    let max = M::HTTP.max_body.expect("the modem has a body limit");
    let data = payload(max as usize + 1, 3);
    let mut echo = Vec::new();
    let error = modem
        .request(
            HttpRequest::post("http://127.0.0.1:1/post").body_bytes(&data),
            &mut echo,
        )
        .await
        .unwrap_err();
    let TaskErrorKind::Input { what, why } = &error.kind else {
        panic!("not an input error: {error}");
    };
    assert_eq!(*what, "body");
    assert!(
        why.contains(&format!("{}", max + 1)) && why.contains(&max.to_string()),
        "{why}"
    );
    assert_eq!(error.step, None, "refused before the first step: {error}");
    modem.link_state().await.unwrap();
    let http: Vec<String> = log
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("AT+HTTP"))
        .collect();
    assert!(http.is_empty(), "nothing of the request was sent: {http:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_refuses_a_post_body_over_319488_bytes() {
    assert_eq!(<atspec_sim800::Modem as Http>::HTTP.max_body, Some(319_488));
    let (module, log) = Logged::new(Sim800::new());
    let modem = sim800_with(module, ModemOptions::default(), Config::default()).await;
    oversized_body_refused(&modem, &log).await;
}

/// A response larger than the module's read window: refused as an input error
/// naming the sizes once its length is known, before the first read, and the
/// session is still ended (the next request works).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_refuses_a_response_past_its_read_window() {
    let server = atspec_emulator::backend::http::HttpServer::start().await;
    let (module, log) = Logged::new(Sim800::new());
    let modem = sim800_with(module, ModemOptions::default(), Config::default()).await;
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::get(server.url("/bytes/700000")), &mut body)
        .await
        .unwrap_err();
    let TaskErrorKind::Input { what, why } = &error.kind else {
        panic!("not an input error: {error}");
    };
    assert_eq!(*what, "transfer");
    assert!(why.contains("700000") && why.contains("319488"), "{why}");
    assert!(body.is_empty(), "nothing read");
    let reads = log
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("AT+HTTPREAD"))
        .count();
    assert_eq!(reads, 0, "no read was sent");
    let mut small = Vec::new();
    let response = modem
        .request(HttpRequest::get(server.url("/bytes/100")), &mut small)
        .await
        .unwrap();
    assert_eq!((response.status, small.len()), (Some(200), 100));
}
