//! What a cellular module says about itself: `ATI`, `AT+CGMI`, `AT+CGMM`,
//! `AT+CGMR`, `AT+CGSN` and their V.250 twins `AT+GMI`, `AT+GMM`, `AT+GMR`,
//! `AT+GSN`, answered with the texts each emulated module is given, in the style real
//! modules answer (the manuals give the commands, not these texts).

use atspec_common::Command as Basic;

use crate::modem::Output;

/// A module's identification texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// `AT+CGMI`.
    pub manufacturer: &'static str,
    /// `AT+CGMM`.
    pub model: &'static str,
    /// `AT+CGMR`.
    pub revision: &'static str,
    /// `AT+CGSN`: the IMEI (a made-up one, with a valid Luhn check digit).
    pub serial_number: &'static str,
}

impl Identity {
    /// Answers `command` if it asks who the module is (then `true`).
    pub fn answer(&self, command: &Basic, out: &Output) -> bool {
        let revision = format!("Revision: {}", self.revision);
        let lines: Vec<&str> = match command {
            Basic::IExec(_) => vec![self.manufacturer, self.model, &revision],
            Basic::CgmiExec(_) | Basic::GmiExec(_) => vec![self.manufacturer],
            Basic::CgmmExec(_) | Basic::GmmExec(_) => vec![self.model],
            Basic::CgmrExec(_) | Basic::GmrExec(_) => vec![&revision],
            Basic::CgsnExec(_) | Basic::GsnExec(_) => vec![self.serial_number],
            _ => return false,
        };
        for line in lines {
            out.line(line);
        }
        out.ok();
        true
    }
}
