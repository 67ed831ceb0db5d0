//! What the task tests share: the emulated modems on in-memory lines with their links
//! up, the realism modes, and digests to compare bodies by.

#![allow(dead_code)] // Each test binary uses its own share of these.

use atspec::Config;
use atspec::task::{Link, Network};
use atspec_emulator::modem::{self, Behaviour, Chunking, ModemOptions};
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_emulator::modems::sim800::Sim800;
use sha2::{Digest, Sha256};

/// Unrelated URCs each modem may send, injected between answer lines.
pub const SIM800_URCS: &[&str] = &["+CREG: 1", "RDY", "+SAPBR 1: DEACT"];
/// See [`SIM800_URCS`].
pub const ESP_AT_URCS: &[&str] = &["WIFI GOT IP", "WIFI CONNECTED"];

/// Whole answers; 1-byte chunks with echo and injected URCs; random chunks.
pub fn modes(urcs: &'static [&'static str]) -> Vec<ModemOptions> {
    vec![
        ModemOptions::default(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: urcs.to_vec(),
            ..ModemOptions::default()
        },
        ModemOptions {
            chunking: Chunking::Random(7),
            ..ModemOptions::default()
        },
    ]
}

/// The SHA-256 of `bytes` in hex.
pub fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A SIM800 on an in-memory line, its link (the bearer) up.
pub async fn sim800(options: ModemOptions) -> atspec_sim800::Modem {
    sim800_with(Sim800::new(), options, Config::default()).await
}

/// `module` (a SIM800 behaviour, maybe wrapped) on an in-memory line, the client set up
/// with `config`, the bearer up.
pub async fn sim800_with(
    module: impl Behaviour,
    options: ModemOptions,
    config: Config,
) -> atspec_sim800::Modem {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let modem = atspec_sim800::Modem::with_config(host, config);
    let state = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(state.up, "the bearer is open after connect");
    modem
}

/// An ESP-AT on an in-memory line, joined to the emulated access point.
pub async fn esp_at(options: ModemOptions) -> atspec_esp_at::Modem {
    esp_at_with(EspAt::new(), options, Config::default()).await
}

/// `module` (an ESP-AT behaviour, maybe wrapped) on an in-memory line, the client set up
/// with `config`, joined to the emulated access point.
pub async fn esp_at_with(
    module: impl Behaviour,
    options: ModemOptions,
    config: Config,
) -> atspec_esp_at::Modem {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator: atspec_esp_at::DIALECT.terminator,
        ..options
    };
    modem::spawn(module, modem_side, options);
    let modem = atspec_esp_at::Modem::with_config(host, config);
    let state = modem
        .connect(&Link::wifi(DEFAULT_SSID, DEFAULT_PASSWORD), None)
        .await
        .unwrap();
    assert!(state.up, "the station is joined after connect");
    modem
}
