//! The status queries host libraries send before HTTP: AT+CWSTATE?, AT+CIPSTA?, AT+CIFSR,
//! AT+CIPMUX, AT+CIPSTATE? and AT+CIPSSLCCONF?, answered from the emulated station.
//!
//! What the answers follow: a joined station has the made-up address 192.168.3.112 on
//! 192.168.3.0/24 (gateway .1, the TCP/IP examples' values) and MAC 18:fe:34:00:00:02; a
//! station that is not joined reports 0.0.0.0 everywhere. AT+CWSTATE? reports 2 and the
//! SSID while joined, 4 and the last SSID tried after a failed or lost connection, and 0
//! with `""` before any attempt (or outside station mode). In SoftAP modes AT+CIFSR also
//! lists the SoftAP's 192.168.4.1 (the ESP-AT default) and MAC 1a:fe:34:00:00:03. No
//! TCP/UDP/SSL connection is ever open (they are not emulated), so AT+CIPSTATE? answers OK
//! alone, and every SSL client verifies nothing (`0,0,0`): one line for link 0 in single
//! connection mode, one for each of the links 0 to 4 in multiple mode. AT+CIPMUX takes 0
//! and 1 and is lost at a restart.

use atspec_esp_at::Command;
use atspec_esp_at::status::{
    ConnectionMode, ConnectionModeSetting, InterfaceAddress, InterfaceAddressLine, SslAuthMode,
    SslClientConfig, StationGateway, StationIp, StationNetmask, StationState, StationStatus,
};

use super::{EspAt, PARA_INVALID, encoded};
use crate::modem::Output;

const STATION_IP: &str = "192.168.3.112";
const GATEWAY: &str = "192.168.3.1";
const NETMASK: &str = "255.255.255.0";
const NO_ADDRESS: &str = "0.0.0.0";
const STATION_MAC: &str = "18:fe:34:00:00:02";
const SOFTAP_IP: &str = "192.168.4.1";
const SOFTAP_MAC: &str = "1a:fe:34:00:00:03";

impl EspAt {
    /// Answers `command` if it is one of the status queries (then `true`).
    pub(super) fn status(&mut self, command: &Command, out: &Output) -> bool {
        match command {
            Command::CwstateRead(_) => {
                let (state, ssid) = self.station_state();
                let line = StationStatus { state, ssid };
                out.line(encoded(|o| line.encode(o)));
            }
            Command::CipstaRead(_) => {
                let joined = self.ram.joined.is_some();
                let pick = |value: &str| if joined { value } else { NO_ADDRESS }.to_owned();
                let ip = StationIp {
                    ip: pick(STATION_IP),
                };
                let gateway = StationGateway {
                    gateway: pick(GATEWAY),
                };
                let netmask = StationNetmask {
                    netmask: pick(NETMASK),
                };
                out.line(encoded(|o| ip.encode(o)));
                out.line(encoded(|o| gateway.encode(o)));
                out.line(encoded(|o| netmask.encode(o)));
            }
            Command::CifsrExec(_) => {
                for (kind, address) in self.addresses() {
                    let line = InterfaceAddressLine {
                        kind,
                        address: address.to_owned(),
                    };
                    out.line(encoded(|o| line.encode(o)));
                }
            }
            Command::CipmuxRead(_) => {
                let mode = if self.ram.multiple_connections {
                    ConnectionMode::Multiple
                } else {
                    ConnectionMode::Single
                };
                let line = ConnectionModeSetting { mode };
                out.line(encoded(|o| line.encode(o)));
            }
            Command::CipmuxWrite(c) => match c.mode() {
                ConnectionMode::Single => self.ram.multiple_connections = false,
                ConnectionMode::Multiple => self.ram.multiple_connections = true,
                _ => {
                    self.fail(out, PARA_INVALID);
                    return true;
                }
            },
            // No connection is open: OK alone.
            Command::CipstateRead(_) => {}
            Command::CipsslcconfRead(_) => {
                let links = if self.ram.multiple_connections {
                    0..5
                } else {
                    0..1
                };
                for link_id in links {
                    let line = SslClientConfig {
                        link_id,
                        auth_mode: SslAuthMode::None,
                        pki_number: 0,
                        ca_number: 0,
                    };
                    out.line(encoded(|o| line.encode(o)));
                }
            }
            _ => return false,
        }
        out.ok();
        true
    }

    fn station_state(&self) -> (StationState, String) {
        if !self.station() {
            return (StationState::Idle, String::new());
        }
        match (&self.ram.joined, &self.ram.last_attempt) {
            (Some(ssid), _) => (StationState::GotIp, ssid.clone()),
            (None, Some(ssid)) => (StationState::Disconnected, ssid.clone()),
            (None, None) => (StationState::Idle, String::new()),
        }
    }

    /// The AT+CIFSR lines of the current Wi-Fi mode.
    fn addresses(&self) -> Vec<(InterfaceAddress, &'static str)> {
        let mut lines = Vec::new();
        if matches!(self.flash.mode, 2 | 3) {
            lines.push((InterfaceAddress::ApIp, SOFTAP_IP));
            lines.push((InterfaceAddress::ApMac, SOFTAP_MAC));
        }
        if self.station() {
            let ip = if self.ram.joined.is_some() {
                STATION_IP
            } else {
                NO_ADDRESS
            };
            lines.push((InterfaceAddress::StationIp, ip));
            lines.push((InterfaceAddress::StationMac, STATION_MAC));
        }
        lines
    }
}
