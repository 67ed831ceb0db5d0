//! The short-message settings of 3GPP TS 27.005 that host libraries send at start-up
//! (AT+CMGF, AT+CPMS, AT+CNMI), answered as a module with a usable SIM and no message
//! traffic would: every storage is empty. Reading, sending and deleting messages are not
//! emulated (those commands get `ERROR`).
//!
//! Choices the manuals leave open, each documented here: the SIM holds 30 messages and the
//! module's own storage 30 (the `MT` storage both), as SIM800s commonly report; AT+CNMI
//! starts at `2,1,0,0,0` (SIM800-class modules report new messages as `+CMTI` by default;
//! UNCONFIRMED); a storage the module does not list is refused with `+CMS ERROR: 302`
//! (operation not allowed). Without a SIM every command answers `+CMS ERROR: 310`, and
//! while the SIM PIN is pending `+CMS ERROR: 311`, as 27.005 codes them.

use atspec_common::Command as Basic;
use atspec_common::sms::{
    CmgfCurrent, CmgfSupported, CnmiCurrent, CnmiMode, CnmiMt, CnmiSupported, CpmsCurrent,
    CpmsSupported, CpmsUsage, MessageFormat, MessageStorage,
};

use super::SimState;
use super::reply::encode;

/// What an SMS command answers: its information lines, or the `+CMS ERROR` code.
pub(super) type SmsAnswer = Result<Vec<Vec<u8>>, u16>;

/// The storages AT+CPMS takes, as SIM800-class modules list them.
const STORAGES: &str = r#"("SM","ME","SM_P","ME_P","MT")"#;
/// Messages the SIM holds, and the module's own storage.
const SIM_CAPACITY: u32 = 30;
const MODULE_CAPACITY: u32 = 30;

/// 27.005 clause 3.2.5 codes.
const NOT_ALLOWED: u16 = 302;
const SIM_NOT_INSERTED: u16 = 310;
const SIM_PIN_REQUIRED: u16 = 311;

/// The module's message settings, from power-on.
#[derive(Debug)]
pub(super) struct Messages {
    format: MessageFormat,
    /// Read/delete, write/send and receive storages.
    storages: [MessageStorage; 3],
    indications: Indications,
}

#[derive(Debug, Clone, Copy)]
struct Indications {
    mode: CnmiMode,
    mt: CnmiMt,
    bm: u8,
    ds: u8,
    bfr: u8,
}

impl Default for Messages {
    /// PDU mode, every storage on the SIM, new messages reported as `+CMTI`.
    fn default() -> Self {
        Self {
            format: MessageFormat::Pdu,
            storages: [
                MessageStorage::Sim,
                MessageStorage::Sim,
                MessageStorage::Sim,
            ],
            indications: Indications {
                mode: CnmiMode::BufferWhenBusy,
                mt: CnmiMt::StoredIndex,
                bm: 0,
                ds: 0,
                bfr: 0,
            },
        }
    }
}

impl Messages {
    /// The answer to `command`, or `None` when it is not one of these SMS commands.
    pub(super) fn answer(&mut self, command: &Basic, sim: &SimState) -> Option<SmsAnswer> {
        let line = |encode_line: &dyn Fn(&mut Vec<u8>)| vec![encode(encode_line)];
        // Test forms answer whatever the SIM's state; the others need a usable SIM.
        let test = match command {
            Basic::CmgfTest(_) => {
                let list = CmgfSupported {
                    supported: "(0,1)".to_owned(),
                };
                Some(encode(|o| list.encode(o)))
            }
            Basic::CpmsTest(_) => {
                let list = CpmsSupported {
                    supported: [STORAGES; 3].join(","),
                };
                Some(encode(|o| list.encode(o)))
            }
            Basic::CnmiTest(_) => {
                let list = CnmiSupported {
                    supported: "(0-3),(0-3),(0-3),(0-2),(0,1)".to_owned(),
                };
                Some(encode(|o| list.encode(o)))
            }
            _ => None,
        };
        if let Some(test) = test {
            return Some(Ok(vec![test]));
        }
        if !handles(command) {
            return None;
        }
        match sim {
            SimState::NotInserted => return Some(Err(SIM_NOT_INSERTED)),
            SimState::PinRequired { .. } => return Some(Err(SIM_PIN_REQUIRED)),
            SimState::Ready => {}
        }
        Some(match command {
            Basic::CmgfRead(_) => {
                let current = CmgfCurrent { mode: self.format };
                Ok(line(&|o| current.encode(o)))
            }
            Basic::CmgfWrite(c) => match c.mode() {
                // 27.005: a left-out <mode> is 0.
                None => {
                    self.format = MessageFormat::Pdu;
                    Ok(Vec::new())
                }
                Some(mode) if mode.is_known() => {
                    self.format = mode;
                    Ok(Vec::new())
                }
                Some(_) => Err(NOT_ALLOWED),
            },
            Basic::CpmsRead(_) => {
                let [mem1, mem2, mem3] = self.storages.clone();
                let current = CpmsCurrent {
                    used1: 0,
                    total1: capacity(&mem1),
                    used2: 0,
                    total2: capacity(&mem2),
                    used3: 0,
                    total3: capacity(&mem3),
                    mem1,
                    mem2,
                    mem3,
                };
                Ok(line(&|o| current.encode(o)))
            }
            Basic::CpmsWrite(c) => {
                let wanted = [Some(c.mem1()), c.mem2(), c.mem3()];
                if wanted.iter().flatten().any(|m| !offered(m)) {
                    return Some(Err(NOT_ALLOWED));
                }
                for (slot, mem) in self.storages.iter_mut().zip(wanted) {
                    if let Some(mem) = mem {
                        *slot = mem.clone();
                    }
                }
                let [mem1, mem2, mem3] = &self.storages;
                let usage = CpmsUsage {
                    used1: 0,
                    total1: capacity(mem1),
                    used2: 0,
                    total2: capacity(mem2),
                    used3: 0,
                    total3: capacity(mem3),
                };
                Ok(line(&|o| usage.encode(o)))
            }
            Basic::CnmiRead(_) => {
                let i = self.indications;
                let current = CnmiCurrent {
                    mode: i.mode,
                    mt: i.mt,
                    bm: i.bm,
                    ds: i.ds,
                    bfr: i.bfr,
                };
                Ok(line(&|o| current.encode(o)))
            }
            Basic::CnmiWrite(c) => {
                if c.mode().is_some_and(|m| !m.is_known()) || c.mt().is_some_and(|m| !m.is_known())
                {
                    return Some(Err(NOT_ALLOWED));
                }
                // Left-out trailing values keep their setting.
                let i = &mut self.indications;
                i.mode = c.mode().unwrap_or(i.mode);
                i.mt = c.mt().unwrap_or(i.mt);
                i.bm = c.bm().unwrap_or(i.bm);
                i.ds = c.ds().unwrap_or(i.ds);
                i.bfr = c.bfr().unwrap_or(i.bfr);
                Ok(Vec::new())
            }
            _ => return None,
        })
    }
}

/// Whether `command` is a read or write form of AT+CMGF, AT+CPMS or AT+CNMI.
fn handles(command: &Basic) -> bool {
    matches!(
        command,
        Basic::CmgfRead(_)
            | Basic::CmgfWrite(_)
            | Basic::CpmsRead(_)
            | Basic::CpmsWrite(_)
            | Basic::CnmiRead(_)
            | Basic::CnmiWrite(_)
    )
}

/// Whether the module has this storage (the AT+CPMS=? list).
fn offered(mem: &MessageStorage) -> bool {
    matches!(
        mem,
        MessageStorage::Sim
            | MessageStorage::MobileEquipment
            | MessageStorage::SimPreferred
            | MessageStorage::MobileEquipmentPreferred
            | MessageStorage::Any
    )
}

fn capacity(mem: &MessageStorage) -> u32 {
    match mem {
        MessageStorage::Sim | MessageStorage::SimPreferred => SIM_CAPACITY,
        MessageStorage::MobileEquipment | MessageStorage::MobileEquipmentPreferred => {
            MODULE_CAPACITY
        }
        _ => SIM_CAPACITY + MODULE_CAPACITY,
    }
}
