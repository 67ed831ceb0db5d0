//! SIMCom SIM800: bearer (AT+SAPBR) and HTTP (AT+HTTP*, in
//! [`sim800_http`](super::sim800_http)), performing each request for real against
//! whatever server the URL names; SIM, registration, attach, signal and functionality
//! (AT+CPIN, AT+CREG, AT+CGREG, AT+CEREG, AT+CGATT, AT+CSQ, AT+CFUN) by the shared
//! [`Cellular`] state, set up with [`Sim800::with_network`]. Built with
//! [`Sim800::with_gnss`] it is a SIM808, whose GNSS receiver ([`Gnss`]) answers
//! AT+CGNSPWR, AT+CGNSINF and AT+CGNSTST; without it those commands get `ERROR`, as on
//! the modules that have no receiver.

use std::collections::BTreeMap;

use atspec_common::Command as Basic;
use atspec_common::v250::CmeeMode;
use atspec_sim800::Command;
use atspec_sim800::bearer::{BearerStatus, SapbrStatus};

use super::cellular::{Cellular, Identity, NetworkOptions, cmee_setting};
use super::sim800_gnss::Gnss;
use super::sim800_http::HttpSession;
use crate::modem::{Behaviour, Session};

/// What the emulated module says it is (`ATI`, `AT+CGMI`, `AT+CGMM`, `AT+CGMR`, `AT+CGSN`).
pub const IDENTITY: Identity = Identity {
    manufacturer: "SIMCOM_Ltd",
    model: "SIMCOM_SIM800L",
    revision: "1418B05SIM800L24",
    serial_number: "861000000000008",
};

/// What the emulated SIM808 says it is; the texts are made up in the SIM800L's style.
pub const SIM808_IDENTITY: Identity = Identity {
    manufacturer: "SIMCOM_Ltd",
    model: "SIMCOM_SIM808",
    revision: "1418B04SIM808M32",
    serial_number: "861000000000016",
};

/// The SIM800 emulator's state.
pub struct Sim800 {
    bearer_open: BTreeMap<u8, bool>,
    apn: BTreeMap<u8, String>,
    http: Option<HttpSession>,
    link_rate: Option<u64>,
    network: Cellular,
    cmee: CmeeMode,
    identity: Identity,
    /// The GNSS receiver, on a SIM808.
    gnss: Option<Gnss>,
}

impl Default for Sim800 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim800 {
    /// A module just powered on: no bearer, no HTTP session, SIM ready and registered
    /// ([`NetworkOptions::default`]), `AT+CMEE=0` (the manual's default: plain `ERROR`).
    pub fn new() -> Self {
        Self {
            bearer_open: BTreeMap::new(),
            apn: BTreeMap::new(),
            http: None,
            link_rate: None,
            network: Cellular::default(),
            cmee: CmeeMode::Disabled,
            identity: IDENTITY,
            gnss: None,
        }
    }

    /// This module as a SIM808: a SIM800 with a GNSS receiver, powered off at first.
    pub fn with_gnss(self) -> Self {
        Self {
            identity: SIM808_IDENTITY,
            gnss: Some(Gnss::new()),
            ..self
        }
    }

    /// This module, powered on now, in a network behaving as `options` says.
    pub fn with_network(self, options: NetworkOptions) -> Self {
        Self {
            network: Cellular::new(options),
            ..self
        }
    }

    /// This module behind a bearer carrying `bytes_per_second` each way (GPRS is slow:
    /// transfers then last long enough to watch with AT+HTTPSTATUS?). Unpaced by default.
    pub fn with_link_rate(self, bytes_per_second: u64) -> Self {
        Self {
            link_rate: Some(bytes_per_second),
            ..self
        }
    }

    fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        line(&mut out);
        out
    }
}

impl Behaviour for Sim800 {
    fn max_command_len(&self) -> Option<usize> {
        atspec_sim800::DIALECT.max_command_len
    }

    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        let out = session.out.clone();
        if let Ok(basic) = Basic::parse(line) {
            if cmee_setting(&mut self.cmee, &basic, &out)
                || self.network.answer(&basic, self.cmee, &out)
                || self.identity.answer(&basic, &out)
            {
                return;
            }
            match basic {
                Basic::EWrite(e) => {
                    *session.echo = e.value().code() == 1;
                    out.ok();
                }
                _ => out.ok(),
            }
            return;
        }
        let command = match Command::parse(line) {
            Ok(command) => command,
            Err(error) => return session.unparsed(line, error, atspec_sim800::COMMANDS),
        };
        if let Some(gnss) = self.gnss.as_mut()
            && gnss.answer(&command, line, session)
        {
            return;
        }
        match command {
            Command::SapbrSetContypeWrite(_)
            | Command::SapbrSetUserWrite(_)
            | Command::SapbrSetPwdWrite(_) => out.ok(),
            Command::SapbrSetApnWrite(c) => {
                self.apn.insert(c.cid(), c.apn().to_owned());
                out.ok();
            }
            Command::SapbrOpenWrite(c) => {
                self.bearer_open.insert(c.cid(), true);
                out.ok();
            }
            Command::SapbrCloseWrite(c) => {
                self.bearer_open.insert(c.cid(), false);
                out.ok();
            }
            Command::SapbrQueryWrite(c) => {
                let open = self.bearer_open.get(&c.cid()).copied().unwrap_or(false);
                let status = SapbrStatus {
                    cid: c.cid(),
                    status: if open {
                        BearerStatus::Connected
                    } else {
                        BearerStatus::Closed
                    },
                    ip_addr: if open {
                        "10.0.0.2".to_owned()
                    } else {
                        "0.0.0.0".to_owned()
                    },
                };
                out.line(Self::encode(|o| status.encode(o)));
                out.ok();
            }
            Command::HttpinitExec(_) if self.http.is_none() => {
                self.http = Some(HttpSession::new(self.link_rate));
                out.ok();
            }
            Command::HttptermExec(_) if self.http.take().is_some() => out.ok(),
            other => match self.http.as_mut() {
                Some(http) => http.command(&self.bearer_open, other, session).await,
                // HTTP commands need AT+HTTPINIT first.
                None => out.error(),
            },
        }
    }
}
