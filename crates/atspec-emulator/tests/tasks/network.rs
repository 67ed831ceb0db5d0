//! The network task on every cellular modem: bring-up waits for the SIM and the
//! registration, is idempotent, and reports what stops it; on ESP-AT a failed
//! join says why. Paused tokio time: the polls' pauses pass at once.

use std::time::Duration;

use atspec::task::{Link, Network, TaskErrorKind};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::cellular::{NetworkOptions, Outcome, Registration, Settle, SimState};
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_emulator::modems::sim800::Sim800;

/// A registration that searches for the first three polls.
fn slow_registration() -> NetworkOptions {
    NetworkOptions::default().registering(Registration {
        outcome: Outcome::Home,
        settle: Settle::AfterPolls(3),
    })
}

fn denied() -> NetworkOptions {
    NetworkOptions::default().registering(Registration {
        outcome: Outcome::Denied,
        settle: Settle::AtOnce,
    })
}

fn locked_sim() -> NetworkOptions {
    NetworkOptions::default().with_sim(SimState::PinRequired {
        pin: "1234".to_owned(),
    })
}

fn no_sim() -> NetworkOptions {
    NetworkOptions::default().with_sim(SimState::NotInserted)
}

/// Bring-up waits out the search, a second bring-up leaves the link alone, and the
/// link goes down and up again.
async fn waits_for_registration<M: Network + Sync>(modem: &M, link: &Link) {
    let state = modem.connect(link, None).await.unwrap();
    assert!(state.up, "up after the search");
    assert!(
        modem.connect(link, None).await.unwrap().up,
        "connect is idempotent"
    );
    modem.disconnect().await.unwrap();
    assert!(
        !modem.link_state().await.unwrap().up,
        "down after disconnect"
    );
    assert!(modem.connect(link, None).await.unwrap().up, "up again");
}

/// The state reports the address of the context connect brought up, and none
/// once it is down.
async fn reports_its_address<M: Network + Sync>(modem: &M, link: &Link, address: &str) {
    let state = modem.connect(link, None).await.unwrap();
    assert_eq!(state.address.as_deref(), Some(address), "from connect");
    let state = modem.link_state().await.unwrap();
    assert!(state.up);
    assert_eq!(state.address.as_deref(), Some(address), "from the state");
    modem.disconnect().await.unwrap();
    let state = modem.link_state().await.unwrap();
    assert_eq!((state.up, state.address), (false, None), "down");
}

/// A network that refuses the module: bring-up ends at once, in the registration
/// step, naming the state; no waiting for the poll's limit.
async fn denied_registration_ends_at_once<M: Network + Sync>(modem: &M, link: &Link) {
    let started = tokio::time::Instant::now();
    let error = modem.connect(link, None).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no waiting: {error}"
    );
    assert_eq!(error.task, "network.connect");
    let step = error.step.unwrap_or_default();
    assert!(step.contains("REG"), "the registration step: {error}");
    assert!(
        matches!(error.kind, TaskErrorKind::Unexpected { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("Registration denied"), "{error}");
}

/// A SIM asking for its PIN: bring-up ends at once at the SIM step, saying so.
async fn locked_sim_ends_at_once<M: Network + Sync>(modem: &M, link: &Link) {
    let started = tokio::time::Instant::now();
    let error = modem.connect(link, None).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no waiting: {error}"
    );
    assert_eq!(error.step, Some("+CPIN read"), "{error}");
    assert!(
        error.to_string().contains("SIM PIN must be given"),
        "{error}"
    );
}

/// No SIM: bring-up fails at the SIM step with the module's refusal.
async fn no_sim_fails_at_the_sim<M: Network + Sync>(modem: &M, link: &Link) {
    let error = modem
        .connect(link, Some(Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(error.step, Some("+CPIN read"), "{error}");
    assert!(
        error.at_error().is_some(),
        "the module's answer travels: {error}"
    );
}

/// A link with credentials on a modem whose procedure sends none is refused.
async fn credentials_not_dropped<M: Network + Sync>(modem: &M) {
    let link = Link::cellular("internet").user("u").password("p");
    if let Err(error) = modem.connect(&link, None).await {
        assert!(
            matches!(error.kind, TaskErrorKind::Unsupported { .. }),
            "only a refusal of the credentials may stop it: {error}"
        );
    }
}

fn spawn_line<B: atspec_emulator::modem::Behaviour + Send + 'static>(
    behaviour: B,
) -> tokio::io::DuplexStream {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(behaviour, modem_side, ModemOptions::default());
    host
}

fn sim800(network: NetworkOptions) -> atspec_sim800::Modem {
    atspec_sim800::Modem::new(spawn_line(Sim800::new().with_network(network)))
}

fn a76xx(network: NetworkOptions) -> atspec_a76xx::Modem {
    atspec_a76xx::Modem::new(spawn_line(A76xx::new().with_network(network)))
}

fn ec200u(network: NetworkOptions) -> atspec_ec200u::Modem {
    atspec_ec200u::Modem::new(spawn_line(Ec200u::new().with_network(network)))
}

#[tokio::test(start_paused = true)]
async fn sim800_bring_up_waits_refuses_and_reports() {
    let link = Link::cellular("internet");
    waits_for_registration(&sim800(slow_registration()), &link).await;
    denied_registration_ends_at_once(&sim800(denied()), &link).await;
    locked_sim_ends_at_once(&sim800(locked_sim()), &link).await;
    no_sim_fails_at_the_sim(&sim800(no_sim()), &link).await;
    credentials_not_dropped(&sim800(NetworkOptions::default())).await;
}

#[tokio::test(start_paused = true)]
async fn a76xx_bring_up_waits_refuses_and_reports() {
    let link = Link::cellular("internet");
    waits_for_registration(&a76xx(slow_registration()), &link).await;
    reports_its_address(&a76xx(NetworkOptions::default()), &link, "10.64.0.1").await;
    denied_registration_ends_at_once(&a76xx(denied()), &link).await;
    locked_sim_ends_at_once(&a76xx(locked_sim()), &link).await;
    no_sim_fails_at_the_sim(&a76xx(no_sim()), &link).await;
    credentials_not_dropped(&a76xx(NetworkOptions::default())).await;
}

#[tokio::test(start_paused = true)]
async fn ec200u_bring_up_waits_refuses_and_reports() {
    let link = Link::cellular("internet");
    waits_for_registration(&ec200u(slow_registration()), &link).await;
    let with_login = Link::cellular("internet").user("u").password("p");
    waits_for_registration(&ec200u(slow_registration()), &with_login).await;
    reports_its_address(&ec200u(NetworkOptions::default()), &link, "10.0.0.2").await;
    denied_registration_ends_at_once(&ec200u(denied()), &link).await;
    locked_sim_ends_at_once(&ec200u(locked_sim()), &link).await;
    no_sim_fails_at_the_sim(&ec200u(no_sim()), &link).await;
}

fn esp_at() -> atspec_esp_at::Modem {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator: atspec_esp_at::DIALECT.terminator,
        ..ModemOptions::default()
    };
    modem::spawn(EspAt::new(), modem_side, options);
    atspec_esp_at::Modem::new(host)
}

/// A wrong Wi-Fi password, and an access point that is not there: the join fails
/// with the reason the module sent before `ERROR` (`+CWJAP:<code>`), decoded
/// through the spec's table, as data and in the error's text; the state says
/// down until a join succeeds, and again after disconnect.
#[tokio::test(start_paused = true)]
async fn esp_at_join_failure_says_why() {
    let modem = esp_at();
    let error = modem
        .connect(&Link::wifi(DEFAULT_SSID, "not-the-password"), None)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "esp_at network.connect, step \"+CWJAP write join\": the modem answered ERROR \
         after +CWJAP:2 (The password is wrong.)"
    );
    assert_eq!(
        error.vendor_code(),
        Some(("2".to_owned(), Some("The password is wrong.")))
    );
    let reason = error.info_lines()[0]
        .decoded
        .as_ref()
        .and_then(|line| line.field("error_code"))
        .expect("the reason's field");
    assert_eq!(reason.meaning, Some("The password is wrong."));

    let error = modem
        .connect(&Link::wifi("elsewhere", DEFAULT_PASSWORD), None)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("after +CWJAP:3 (The access point was not found.)"),
        "{error}"
    );
    assert!(!modem.link_state().await.unwrap().up, "not joined");
    assert!(
        modem
            .connect(&Link::wifi(DEFAULT_SSID, DEFAULT_PASSWORD), None)
            .await
            .unwrap()
            .up,
        "the right password joins"
    );
    modem.disconnect().await.unwrap();
    assert!(
        !modem.link_state().await.unwrap().up,
        "down after disconnect"
    );
}
