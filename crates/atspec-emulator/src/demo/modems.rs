//! The only vendor-specific part of the demo: each emulated module on an in-memory
//! line, with its transport and TLS options and the link it would bring up, driven
//! by its package's generated `Modem`.

use std::sync::Arc;
use std::time::Duration;

use atspec::Config;
use atspec::task::Link;
use rustls::ClientConfig;
use tokio::io::DuplexStream;

use super::transcript::{Tap, Transcript};
use crate::modem::{self, Behaviour, ModemOptions};
use crate::modems::a76xx::A76xx;
use crate::modems::ec200u::Ec200u;
use crate::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use crate::modems::sim800_ftp::Sim800Ftp;

/// An emulated module and the generated driver on the host side of its line.
pub(super) struct Emulated<M> {
    /// The section heading (`SIMCom SIM800`).
    pub title: &'static str,
    /// How checks name the modem (`SIM800`).
    pub label: &'static str,
    /// The data link the modem brings up.
    pub link: Link,
    /// The generated driver.
    pub modem: M,
    /// What crossed the line since the last check.
    pub transcript: Transcript,
}

/// What the demo shows of a vendor, and the link its modem brings up.
struct Vendor {
    title: &'static str,
    label: &'static str,
    link: fn() -> Link,
}

const SIM800: Vendor = Vendor::new("SIMCom SIM800", "SIM800", || Link::cellular("internet"));
const ESP_AT: Vendor = Vendor::new("Espressif ESP-AT", "ESP-AT", || {
    Link::wifi(DEFAULT_SSID, DEFAULT_PASSWORD)
});
const A76XX: Vendor = Vendor::new("SIMCom A76XX", "A76XX", || Link::cellular("internet"));
const EC200U: Vendor = Vendor::new("Quectel EC200U", "EC200U", || Link::cellular("UNINET"));

impl Vendor {
    const fn new(title: &'static str, label: &'static str, link: fn() -> Link) -> Self {
        Self { title, label, link }
    }

    /// Starts `module` on a fresh in-memory line with `options`, and the host's
    /// driver, made by `driver`, on the other end, recording both directions.
    fn attach<B: Behaviour, M>(
        &self,
        module: B,
        options: ModemOptions,
        driver: impl FnOnce(Tap<DuplexStream>) -> M,
    ) -> Emulated<M> {
        let (host, modem_side) = tokio::io::duplex(1 << 16);
        modem::spawn(module, modem_side, options);
        let transcript = Transcript::default();
        Emulated {
            title: self.title,
            label: self.label,
            link: (self.link)(),
            modem: driver(Tap::new(host, transcript.clone())),
            transcript,
        }
    }
}

/// A SIM800 with its FTP(S) client, HTTP and bearer.
pub(super) fn sim800(trust: Arc<ClientConfig>) -> Emulated<atspec_sim800::Modem> {
    let module = Sim800Ftp::new().with_tls_config(trust);
    SIM800.attach(module, ModemOptions::default(), atspec_sim800::Modem::new)
}

/// An ESP-AT station near the emulated access point; it ends lines with its own
/// terminator.
pub(super) fn esp_at() -> Emulated<atspec_esp_at::Modem> {
    let options = ModemOptions {
        terminator: atspec_esp_at::DIALECT.terminator,
        ..ModemOptions::default()
    };
    ESP_AT.attach(EspAt::new(), options, atspec_esp_at::Modem::new)
}

/// An A76XX with its FTP(S) client.
pub(super) fn a76xx(trust: Arc<ClientConfig>) -> Emulated<atspec_a76xx::Modem> {
    let module = A76xx::new().with_tls(trust);
    A76XX.attach(module, ModemOptions::default(), atspec_a76xx::Modem::new)
}

/// The silence around `+++` that ends the EC200U's data-mode uploads: the manual's
/// 1 s shortened for the demo, the module needing less than the host keeps.
const EC200U_HOST_GUARD: Duration = Duration::from_millis(60);
const EC200U_MODULE_GUARD: Duration = Duration::from_millis(20);

/// An EC200U with its FTP(S) client.
pub(super) fn ec200u(trust: Arc<ClientConfig>) -> Emulated<atspec_ec200u::Modem> {
    let config = Config {
        guard_time: Some(EC200U_HOST_GUARD),
        ..Config::default()
    };
    let module = Ec200u::new()
        .trusting(trust)
        .with_guard_time(EC200U_MODULE_GUARD);
    EC200U.attach(module, ModemOptions::default(), |line| {
        atspec_ec200u::Modem::with_config(line, config)
    })
}
