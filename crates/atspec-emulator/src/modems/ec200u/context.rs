//! PDP contexts (AT+QICSGP, AT+QIACT, AT+QIDEACT), from the EC200U TCP/IP application
//! note: kept per context id; an active context is what AT+QFTPOPEN needs.

use atspec_ec200u::Command;
use atspec_ec200u::support::{ActiveContext, ContextConfig, PdpAuth, PdpState, PdpType};

use super::Ec200u;
use super::reply::encode;
use crate::modem::Output;

/// One PDP context (AT+QICSGP, AT+QIACT).
pub(super) struct Pdp {
    pub(super) context_type: PdpType,
    pub(super) apn: String,
    pub(super) username: String,
    pub(super) password: String,
    pub(super) authentication: PdpAuth,
    pub(super) active: bool,
}

impl Default for Pdp {
    fn default() -> Self {
        Self {
            context_type: PdpType::Ipv4,
            apn: String::new(),
            username: String::new(),
            password: String::new(),
            authentication: PdpAuth::None,
            active: false,
        }
    }
}

impl Ec200u {
    pub(super) fn context(&mut self, command: Command, out: &Output) {
        match command {
            Command::QicsgpSetWrite(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                pdp.context_type = c.context_type();
                pdp.apn = c.apn().to_owned();
                out.ok();
            }
            Command::QicsgpSetWithCredentialsWrite(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                pdp.context_type = c.context_type();
                pdp.apn = c.apn().to_owned();
                pdp.username = c.username().to_owned();
                pdp.password = c.password().to_owned();
                pdp.authentication = c.authentication().unwrap_or(PdpAuth::None);
                out.ok();
            }
            Command::QicsgpQueryWrite(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                let config = ContextConfig {
                    context_type: pdp.context_type,
                    apn: pdp.apn.clone(),
                    username: pdp.username.clone(),
                    password: pdp.password.clone(),
                    authentication: pdp.authentication,
                };
                out.line(encode(|o| config.encode(o)));
                out.ok();
            }
            Command::QiactWrite(c) => {
                let pdp = self.contexts.entry(c.context_id()).or_default();
                if pdp.active {
                    // The TCP/IP note answers ERROR for a context that is already active.
                    out.error();
                } else {
                    pdp.active = true;
                    out.ok();
                }
            }
            Command::QiactRead(_) => {
                for (&context_id, pdp) in self.contexts.iter().filter(|(_, p)| p.active) {
                    let (ip_address, ipv6_address) = addresses(context_id, pdp.context_type);
                    let line = ActiveContext {
                        context_id,
                        context_state: PdpState::Activated,
                        context_type: pdp.context_type,
                        ip_address: Some(ip_address),
                        ipv6_address,
                    };
                    out.line(encode(|o| line.encode(o)));
                }
                out.ok();
            }
            Command::QideactWrite(c) => {
                if let Some(pdp) = self.contexts.get_mut(&c.context_id()) {
                    pdp.active = false;
                }
                // Deactivating closes every socket on the context, the FTP session too.
                if c.context_id() == self.cfg.context_id {
                    self.ftp = None;
                }
                out.ok();
            }
            _ => out.error(),
        }
    }
}

/// The addresses an active context reports: IPv4 first, IPv6 first for an IPv6 context.
pub(super) fn addresses(context_id: u8, context_type: PdpType) -> (String, Option<String>) {
    let v4 = format!("10.0.0.{}", u16::from(context_id) + 1);
    let v6 = format!("fd00::{}", u16::from(context_id) + 1);
    match context_type {
        PdpType::Ipv6 => (v6, None),
        PdpType::Ipv4v6 => (v4, Some(v6)),
        _ => (v4, None),
    }
}
