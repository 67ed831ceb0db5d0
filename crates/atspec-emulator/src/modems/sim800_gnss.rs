//! The GNSS receiver of a SIM808 (AT+CGNSPWR, AT+CGNSINF, AT+CGNSTST), as a receiver
//! without a view of the sky has it: it powers on and off, runs, and never gets a fix.
//!
//! What the answers follow: the receiver is off at power-on. While it runs, AT+CGNSINF
//! reports run status 1, fix status 0, the receiver's clock (counting from 1980-01-06
//! 00:00:00, the GPS epoch a receiver starts from before any fix, as SIM808 sessions print
//! it), speed `0.00`, course `0.0`, fix mode 0 and no satellites; everything else empty.
//! While it is off, every value but the run status is empty (UNCONFIRMED). Copying NMEA
//! sentences to the AT port (AT+CGNSTST=1) is not emulated: it answers `ERROR` and is
//! recorded as a gap; AT+CGNSTST=0 is accepted.

use atspec_sim800::Command;
use atspec_sim800::gnss::{
    CgnspwrCurrent, CgnspwrSupported, CgnststCurrent, CgnststSupported, GnssFix, GnssPower,
    NavigationInfo, NmeaCopy,
};
use tokio::time::Instant;

use crate::modem::Session;

/// The receiver's state.
#[derive(Debug)]
pub struct Gnss {
    /// When the receiver was powered on, while it runs.
    running_since: Option<Instant>,
}

impl Default for Gnss {
    fn default() -> Self {
        Self::new()
    }
}

impl Gnss {
    /// A receiver powered off, as at the module's power-on.
    pub fn new() -> Self {
        Self {
            running_since: None,
        }
    }

    /// Answers `command` (sent as `line`) if it is a GNSS command (then `true`).
    pub fn answer(&mut self, command: &Command, line: &[u8], session: &Session<'_>) -> bool {
        let out = &session.out;
        let send = |l: Vec<u8>| out.line(l);
        match command {
            Command::CgnspwrTest(_) => {
                let list = CgnspwrSupported {
                    supported: "(0-1)".to_owned(),
                };
                send(encode(|o| list.encode(o)));
            }
            Command::CgnspwrRead(_) => {
                let current = CgnspwrCurrent { mode: self.power() };
                send(encode(|o| current.encode(o)));
            }
            Command::CgnspwrWrite(c) => match c.mode() {
                GnssPower::On => {
                    self.running_since.get_or_insert_with(Instant::now);
                }
                GnssPower::Off => self.running_since = None,
                _ => {
                    out.error();
                    return true;
                }
            },
            Command::CgnsinfTest(_) => {}
            Command::CgnsinfExec(_) => send(encode(|o| self.navigation().encode(o))),
            Command::CgnststTest(_) => {
                let list = CgnststSupported {
                    supported: "(0,1)".to_owned(),
                };
                send(encode(|o| list.encode(o)));
            }
            Command::CgnststRead(_) => {
                let current = CgnststCurrent {
                    mode: NmeaCopy::Stop,
                };
                send(encode(|o| current.encode(o)));
            }
            Command::CgnststWrite(c) if c.mode() == NmeaCopy::Stop => {}
            Command::CgnststWrite(_) => {
                session.gaps.record(
                    line,
                    "copying NMEA sentences to the AT port is not emulated",
                );
                out.error();
                return true;
            }
            _ => return false,
        }
        out.ok();
        true
    }

    fn power(&self) -> GnssPower {
        if self.running_since.is_some() {
            GnssPower::On
        } else {
            GnssPower::Off
        }
    }

    /// The AT+CGNSINF line: running without a fix, or off.
    fn navigation(&self) -> NavigationInfo {
        let Some(since) = self.running_since else {
            return NavigationInfo {
                run_status: GnssPower::Off,
                fix_status: None,
                navigation: ",".repeat(18),
            };
        };
        let clock = receiver_clock(since.elapsed().as_secs());
        // Time, no position, speed and course 0, fix mode 0, no DOPs, no satellites.
        NavigationInfo {
            run_status: GnssPower::On,
            fix_status: Some(GnssFix::NoFix),
            navigation: format!("{clock},,,,0.00,0.0,0,,,,,,0,0,,,,,"),
        }
    }
}

/// The receiver's clock `seconds` after it started, from the GPS epoch (1980-01-06),
/// as `yyyyMMddhhmmss.sss`.
fn receiver_clock(seconds: u64) -> String {
    const DAYS_IN_JANUARY_AFTER_EPOCH: u64 = 26;
    let days = seconds / 86_400;
    let (hh, mm, ss) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    // A receiver without a fix keeps this clock for minutes, not weeks: days past
    // January are clamped, so the date stays a valid January 1980 date.
    let day = 6 + days.min(DAYS_IN_JANUARY_AFTER_EPOCH - 1);
    format!("198001{day:02}{hh:02}{mm:02}{ss:02}.000")
}

fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}
