//! The modems' own limits: a request body over what the module takes is refused before
//! anything is sent.

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
