//! Helpers of the ESP-AT HTTP end-to-end tests: the realism modes, a module restored and
//! joined to its access point, and the requests and answers the flows repeat.
#![allow(dead_code)]

use atspec::{AtError, Client, Config};
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_esp_at::basic::{RestoreExec, SyslogStatus, SyslogWrite};
use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequestWrite, TransportType};
use atspec_esp_at::wifi::{CwjapJoinWrite, CwmodeWrite, WifiMode};
use atspec_esp_at::{DIALECT, Urc};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const SIZES: [usize; 3] = [0, 1024, 1 << 20];

pub fn plain() -> ModemOptions {
    ModemOptions {
        terminator: DIALECT.terminator,
        ..ModemOptions::default()
    }
}

/// Every realism setting a flow runs with: whole answers, and 1-byte chunks with echo
/// and unrelated URCs between lines (1 MiB bodies included).
pub fn modes() -> Vec<ModemOptions> {
    vec![
        plain(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: vec!["WIFI DISCONNECT", "WIFI GOT IP", "ready"],
            ..plain()
        },
    ]
}

/// A module after AT+RESTORE, in station mode and joined to its access point.
pub async fn joined(options: ModemOptions) -> Client<Urc> {
    joined_with(EspAt::new(), options).await
}

pub async fn joined_with(module: EspAt, options: ModemOptions) -> Client<Urc> {
    let client = started_with(module, options);
    client.send(&RestoreExec::new()).await.unwrap();
    client
        .send(&CwmodeWrite::new(WifiMode::from_code(1), None).unwrap())
        .await
        .unwrap();
    client
        .send(&CwjapJoinWrite::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).unwrap())
        .await
        .unwrap();
    client
}

pub fn started(options: ModemOptions) -> Client<Urc> {
    started_with(EspAt::new(), options)
}

pub fn started_with(module: EspAt, options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    Client::new(host, &DIALECT, Config::default())
}

pub fn request(opt: u8, url: &str, headers: Vec<String>) -> HttpclientRequestWrite {
    HttpclientRequestWrite::new(
        HttpOpt::from_code(opt),
        ContentType::from_code(0),
        url,
        None,
        None,
        TransportType::from_code(1),
        headers,
    )
    .unwrap()
}

pub fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the server's JSON echo")
}

/// The code on the `ERR CODE` line of an error result, with its meaning.
pub fn detail(err: &AtError) -> Option<(&str, Option<&'static str>)> {
    match err {
        AtError::Command { detail, .. } => detail.as_ref().map(|d| {
            assert_eq!(d.line, format!("ERR CODE:{}", d.code.as_deref().unwrap()));
            (d.code.as_deref().unwrap(), d.meaning)
        }),
        other => panic!("expected an error result, got {other}"),
    }
}

/// ESP-AT's code of every HTTP failure without an answer, with its meaning.
pub const CONNECTION_FAILED: (&str, Option<&str>) =
    ("0x010a7000", Some("The HTTP connection could not be made."));

/// Asserts that `err` carries `CONNECTION_FAILED` and says so in words.
pub fn assert_connection_failed(err: &AtError) {
    assert_eq!(detail(err), Some(CONNECTION_FAILED), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("(ERR CODE 0x010a7000: The HTTP connection could not be made.)"),
        "{text}"
    );
    assert!(!text.contains("err_code"), "{text}");
}

pub async fn syslog_on(client: &Client<Urc>) {
    client
        .send(&SyslogWrite::new(SyslogStatus::from_code(1)).unwrap())
        .await
        .unwrap();
}
