//! PDP contexts: definitions (AT+CGDCONT), activation (AT+CGACT) and the
//! addresses of active ones (AT+CGPADDR). Kept and listed; the emulated data path
//! does not depend on them.

use std::collections::BTreeMap;

use atspec_common::Command as Basic;
use atspec_common::packet::{
    CgactSupported, CgdcontSupported, CgpaddrSupported, Context, ContextState, PdpAddress,
    PdpState, PdpType,
};

use super::reply::encode;

/// The context ids AT+CGDCONT takes, as the test form lists them.
const CID_RANGE: &str = "(1-15),\"IP\",,,(0-2),(0-4)";
const LAST_CID: u8 = 15;

/// Defined contexts by id: protocol, APN and whether it is active.
#[derive(Debug, Default)]
pub(super) struct Contexts {
    defined: BTreeMap<u8, Defined>,
}

#[derive(Debug)]
struct Defined {
    pdp_type: PdpType,
    apn: String,
    active: bool,
}

/// Why AT+CGACT cannot go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    /// A context id out of range or not defined.
    Parameter,
    /// Activation needs a packet registration the module does not have.
    NoService,
}

impl Contexts {
    /// The answer to an AT+CGDCONT or AT+CGACT form: its lines, or why it is
    /// refused; `None` for any other command. `attachable`: the packet domain is
    /// registered, so an activation (which attaches first) can go ahead.
    pub(super) fn answer(
        &mut self,
        command: &Basic,
        attachable: bool,
    ) -> Option<Result<Vec<Vec<u8>>, Refusal>> {
        Some(match command {
            Basic::CgdcontTest(_) => {
                let line = CgdcontSupported {
                    supported: CID_RANGE.to_owned(),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CgdcontRead(_) => Ok(self
                .defined
                .iter()
                .map(|(&cid, context)| {
                    let line = Context {
                        cid,
                        pdp_type: context.pdp_type.clone(),
                        apn: context.apn.clone(),
                        settings: "\"0.0.0.0\",0,0".to_owned(),
                    };
                    encode(|o| line.encode(o))
                })
                .collect()),
            Basic::CgdcontWrite(c) if c.cid() == 0 || c.cid() > LAST_CID => Err(Refusal::Parameter),
            Basic::CgdcontWrite(c) => {
                match c.pdp_type() {
                    // `AT+CGDCONT=<cid>` alone makes the context undefined.
                    None => {
                        self.defined.remove(&c.cid());
                    }
                    Some(pdp_type) => {
                        let apn = c.apn().unwrap_or_default().to_owned();
                        let active = self.defined.get(&c.cid()).is_some_and(|d| d.active);
                        let context = Defined {
                            pdp_type: pdp_type.clone(),
                            apn,
                            active,
                        };
                        self.defined.insert(c.cid(), context);
                    }
                }
                Ok(Vec::new())
            }
            Basic::CgactTest(_) => {
                let line = CgactSupported {
                    supported: "(0,1)".to_owned(),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CgactRead(_) => Ok(self
                .defined
                .iter()
                .map(|(&cid, context)| {
                    let state = if context.active {
                        PdpState::Activated
                    } else {
                        PdpState::Deactivated
                    };
                    encode(|o| ContextState { cid, state }.encode(o))
                })
                .collect()),
            Basic::CgactWrite(c) => self
                .activate(c.state(), c.cid(), attachable)
                .map(|()| Vec::new()),
            Basic::CgpaddrTest(_) => {
                let cids: Vec<String> = self.defined.keys().map(u8::to_string).collect();
                let line = CgpaddrSupported {
                    supported: format!("({})", cids.join(",")),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CgpaddrWrite(c) => {
                let cids: Vec<u8> = std::iter::once(c.cid())
                    .chain(c.more_cids().iter().copied())
                    .collect();
                self.addresses(&cids)
            }
            Basic::CgpaddrExec(_) => {
                let all: Vec<u8> = self.defined.keys().copied().collect();
                self.addresses(&all)
            }
            _ => return None,
        })
    }

    /// AT+CGACT: the listed contexts (every defined one when none is listed) to
    /// `state`. A context already in that state stays as it is (TS 27.007 10.1.10).
    fn activate(&mut self, state: PdpState, cids: &[u8], attachable: bool) -> Result<(), Refusal> {
        let active = match state {
            PdpState::Activated => true,
            PdpState::Deactivated => false,
            _ => return Err(Refusal::Parameter),
        };
        let all: Vec<u8> = self.defined.keys().copied().collect();
        let cids = if cids.is_empty() { &all[..] } else { cids };
        if cids.iter().any(|cid| !self.defined.contains_key(cid)) {
            return Err(Refusal::Parameter);
        }
        if active && !attachable {
            return Err(Refusal::NoService);
        }
        for cid in cids {
            if let Some(context) = self.defined.get_mut(cid) {
                context.active = active;
            }
        }
        Ok(())
    }

    /// AT+CGPADDR: one line per listed context, with the addresses of an active
    /// one (none for an inactive one, TS 27.007 10.1.14); an undefined context is
    /// refused.
    fn addresses(&self, cids: &[u8]) -> Result<Vec<Vec<u8>>, Refusal> {
        cids.iter()
            .map(|&cid| {
                let context = self.defined.get(&cid).ok_or(Refusal::Parameter)?;
                let (addr_1, addr_2) = if context.active {
                    address_of(cid, &context.pdp_type)
                } else {
                    (None, None)
                };
                let line = PdpAddress {
                    cid,
                    addr_1,
                    addr_2,
                };
                Ok(encode(|o| line.encode(o)))
            })
            .collect()
    }

    /// Whether any context is active (activation attached the module).
    pub(super) fn any_active(&self) -> bool {
        self.defined.values().any(|d| d.active)
    }
}

/// The emulated addresses of active context `cid`: IPv4 `10.64.0.<cid>`, IPv6
/// `fd00::<cid>` (IPv4 first for a dual-stack context).
fn address_of(cid: u8, pdp_type: &PdpType) -> (Option<String>, Option<String>) {
    let v4 = format!("10.64.0.{cid}");
    let v6 = format!("fd00::{cid}");
    match pdp_type {
        PdpType::Ipv6 => (Some(v6), None),
        PdpType::Ipv4v6 => (Some(v4), Some(v6)),
        _ => (Some(v4), None),
    }
}
