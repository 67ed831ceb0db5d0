//! Timeouts given per module family, through the generated crate of
//! `specs/fixture-families` (no vendor manual in this repository gives a timeout
//! that differs by family): a value built with `new_for` carries its family's
//! bounds, `new` keeps the common ones, and the client waits the value's bound
//! (paused time).

use std::time::Duration;

use atspec::{AtCommand, AtError, Client, Config, DeferredCommand, Stage};
use atspec_fixture_families::timing::{XmodeFastWrite, XmodeSlowWrite, XrunExec, XsetWrite};
use atspec_fixture_families::{DIALECT, Model, Urc};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::time::Instant;

/// A modem that reads the command line `expected`, answers `reply` and then stays
/// silent; it keeps its end open until the test ends.
fn silent_modem(mut modem: DuplexStream, expected: &'static str, reply: &'static [u8]) {
    tokio::spawn(async move {
        let mut got = vec![0u8; expected.len()];
        modem.read_exact(&mut got).await.unwrap();
        assert_eq!(String::from_utf8_lossy(&got), expected);
        modem.write_all(reply).await.unwrap();
        std::future::pending::<()>().await;
    });
}

fn client(host: DuplexStream) -> Client<Urc> {
    // The default timeout differs from every bound of the spec, so a wait of
    // that length would show that the command's bound was not used.
    let config = Config {
        default_timeout: Duration::from_secs(50),
        ..Config::default()
    };
    Client::<Urc>::new(host, &DIALECT, config)
}

/// How long the client waits for the final result code of `command` to a modem
/// that never answers.
async fn final_result_wait(command: XsetWrite) -> Duration {
    let (host, modem) = tokio::io::duplex(1 << 12);
    silent_modem(modem, "AT+XSET=5\r", b"");
    let client = client(host);
    let started = Instant::now();
    match client.send(&command).await {
        Err(AtError::Timeout {
            command: "+XSET",
            stage: Stage::FinalResult,
            waited,
        }) => {
            assert_eq!(started.elapsed(), waited);
            waited
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_client_waits_the_final_result_bound_of_the_values_family() {
    let big = XsetWrite::new_for(Model::Big, 5).unwrap();
    assert_eq!(final_result_wait(big).await, Duration::from_secs(8));
    let small = XsetWrite::new_for(Model::Small, 5).unwrap();
    assert_eq!(final_result_wait(small).await, Duration::from_secs(2));
    // `new` keeps the common bound.
    assert_eq!(
        final_result_wait(XsetWrite::new(5).unwrap()).await,
        Duration::from_secs(2)
    );
}

/// How long the client waits for the completion URC of `command` after its `OK`.
async fn completion_wait(command: XrunExec) -> Duration {
    let (host, modem) = tokio::io::duplex(1 << 12);
    silent_modem(modem, "AT+XRUN\r", b"\r\nOK\r\n");
    let client = client(host);
    match client.send_deferred(&command).await {
        Err(AtError::Timeout {
            command: "+XRUN",
            stage: Stage::Completion,
            waited,
        }) => waited,
        other => panic!("expected a completion timeout, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_client_waits_the_completion_bound_of_the_values_family() {
    let started = Instant::now();
    let big = XrunExec::new_for(Model::Big);
    assert_eq!(completion_wait(big).await, Duration::from_secs(90));
    assert_eq!(started.elapsed(), Duration::from_secs(90));
    let small = XrunExec::new_for(Model::Small);
    assert_eq!(completion_wait(small).await, Duration::from_secs(30));
    assert_eq!(
        completion_wait(XrunExec::new()).await,
        Duration::from_secs(30)
    );
}

#[test]
fn a_values_bounds_are_its_familys_and_new_keeps_the_common_ones() {
    let ms = |ms| Some(Duration::from_millis(ms));
    assert_eq!(XsetWrite::TIMEOUT, ms(2000));
    assert_eq!(
        XsetWrite::new_for(Model::Big, 1).unwrap().timeout(),
        ms(8000)
    );
    assert_eq!(
        XsetWrite::new_for(Model::Small, 1).unwrap().timeout(),
        ms(2000)
    );
    assert_eq!(XsetWrite::new(1).unwrap().timeout(), ms(2000));
    // A value read back from a command line was built with `new`.
    assert_eq!(XsetWrite::parse(b"AT+XSET=1").unwrap().timeout(), ms(2000));
    assert_eq!(
        XrunExec::new_for(Model::Big).completion_timeout(),
        Duration::from_secs(90)
    );
    assert_eq!(XrunExec::new_for(Model::Big).timeout(), ms(1000));
    assert_eq!(XrunExec::COMPLETION.timeout, Duration::from_secs(30));
}

#[test]
fn a_variants_own_timeout_wins_over_the_forms_family_bound() {
    let ms = |ms| Some(Duration::from_millis(ms));
    // The fast variant gives 500 ms for every family: the nearest bound given.
    assert_eq!(XmodeFastWrite::new_for(Model::Big).timeout(), ms(500));
    // The slow one inherits the form's bounds, the big series' included.
    assert_eq!(XmodeSlowWrite::new_for(Model::Big).timeout(), ms(6000));
    assert_eq!(XmodeSlowWrite::new_for(Model::Small).timeout(), ms(3000));
    assert_eq!(XmodeSlowWrite::new().timeout(), ms(3000));
}

#[test]
fn the_format_guides_example_is_this_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let guide = std::fs::read_to_string(root.join("specs/README.md")).unwrap();
    let fixture = std::fs::read_to_string(root.join("specs/fixture-families/timing.yaml")).unwrap();
    assert!(
        guide.contains(&format!("```yaml\n{fixture}```")),
        "specs/README.md 4.19 shows specs/fixture-families/timing.yaml as it is"
    );
}
