//! The 3GPP TS 27.007 network side every emulated cellular module shares, free of any
//! vendor: the SIM (AT+CPIN), registration in the circuit-switched domain (AT+CREG) and
//! the packet domain (AT+CGREG, AT+CEREG), PS attach (AT+CGATT), signal (AT+CSQ) and the
//! level of functionality (AT+CFUN), parsed and answered with the `atspec_common` types.
//!
//! A vendor behaviour owns one [`Cellular`] and offers it each command of the common
//! package before its own handling; [`NetworkOptions`] says how the network behaves
//! (SIM state, how registration goes, signal). What the answers follow, where the spec
//! leaves a choice:
//!
//! - While a SIM PIN is pending, the read, write and execute forms of +CREG, +CGREG,
//!   +CEREG, +CGATT and +CSQ are refused with `+CME ERROR: 11` (the +CPIN note: only a
//!   few commands are accepted then); +CPIN and +CFUN always answer, and so do test forms.
//! - Without a SIM, AT+CPIN? and AT+CPIN=... answer `+CME ERROR: 10`; registration
//!   reads answer state 0 (not registered, not searching).
//! - Registration starts when the SIM is ready and the radio is on (AT+CFUN=1): at
//!   power-on, after the PIN is entered, after AT+CFUN=1 or a reset (`AT+CFUN=<fun>,1`,
//!   which also asks for the PIN again). A [`Settle`] delay counts from then.
//! - The module attaches by itself once registered in the packet domain; AT+CGATT=0
//!   detaches it, after which +CGREG and +CEREG report state 0 until AT+CGATT=1.
//!   AT+CGATT=1 without a packet registration answers `+CME ERROR: 30` (no network
//!   service), or 107 (PS services not allowed) when registration was denied.
//! - AT+CFUN takes 0, 1 and 4 (as `AT+CFUN=?` says); other levels answer
//!   `+CME ERROR: 50`. With 0 or 4 nothing is registered and +CSQ reports 99,99.
//! - A registration change is sent as a +CREG, +CGREG or +CEREG URC when its AT+xREG
//!   setting is 1 or 2: right after the command that caused it, or when a [`Settle::After`]
//!   delay ends (a timer task started at the first command the module answers here).
//! - With `<n>`=2, registered reads and URCs carry a made-up location (area `00C3`, cell
//!   `0000A1B2`) and the configured access technology, if any.
//! - AT+CGDCONT defines, lists and undefines contexts 1 to 15 (others answer
//!   `+CME ERROR: 50`); AT+CGACT activates defined contexts (attaching first; without
//!   a packet registration `+CME ERROR: 30`) and deactivates them. Both are kept and
//!   listed only. AT+CGPADDR lists an active context's made-up address
//!   (`10.64.0.<cid>`, `fd00::<cid>` for IPv6), none for an inactive one, and refuses
//!   an undefined context.
//! - AT+COPS reads a made-up test network (MCC 001, MNC 01: "Test Network", "TESTNET",
//!   `00101`) while registered, and mode 0 alone otherwise; `AT+COPS=3,<format>` sets the
//!   read format, automatic and manual selection of that network are taken, deregistering
//!   (mode 2) is not emulated (`+CME ERROR: 4`). AT+CIMI gives an IMSI on that network.
//! - ATS3?, ATS4? and ATS5? read 13, 10 and 8; setting them to anything else answers
//!   `ERROR`, because the emulated line keeps those characters.
//! - Errors follow AT+CMEE (the caller passes the mode): plain `ERROR`, the number, or
//!   the common package's wording.
//! - The short-message settings (AT+CMGF, AT+CPMS, AT+CNMI) answer as with empty
//!   message storages, failing with `+CMS ERROR` without a usable SIM (see `sms`).

mod contexts;
mod domain;
mod identity;
mod operator;
mod registers;
mod reply;
mod sms;
mod state;

pub use identity::Identity;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use atspec_common::Command as Basic;
use atspec_common::network::{AccessTechnology, ChannelBer};
use atspec_common::v250::CmeeMode;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::modem::Output;
use sms::Messages;
use state::State;

pub use reply::{cme_error, cmee_setting};

/// The SIM card as the module finds it at power-on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimState {
    /// Inserted and unlocked: `+CPIN: READY`.
    Ready,
    /// Inserted and locked: `+CPIN: SIM PIN` until `AT+CPIN="<pin>"` gives this PIN.
    PinRequired {
        /// The PIN that unlocks it.
        pin: String,
    },
    /// No SIM: AT+CPIN answers `+CME ERROR: 10`.
    NotInserted,
}

/// Where registration in one domain ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Registered with the home network (state 1).
    Home,
    /// Registered with a visited network (state 5).
    Roaming,
    /// Registration denied (state 3).
    Denied,
    /// Searching (state 2) for ever.
    SearchingForever,
}

/// How long registration searches (state 2) before it reaches its [`Outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// No search: the outcome is reported from the start.
    AtOnce,
    /// The first `n` reads of the domain's state (AT+CREG?, or AT+CGREG? and AT+CEREG?
    /// together for the packet domain) answer searching; the next ones the outcome.
    AfterPolls(u32),
    /// Searching until this much (tokio) time has passed since registration started.
    After(Duration),
}

/// How registration goes in one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    /// Where it ends up.
    pub outcome: Outcome,
    /// How long it searches first.
    pub settle: Settle,
}

impl Registration {
    /// Registered with the home network at once (the default).
    pub const HOME: Self = Self {
        outcome: Outcome::Home,
        settle: Settle::AtOnce,
    };
}

/// How the emulated network behaves, given to a cellular module's `with_network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkOptions {
    /// The SIM at power-on.
    pub sim: SimState,
    /// Circuit-switched registration (AT+CREG).
    pub circuit: Registration,
    /// Packet-domain registration (AT+CGREG and AT+CEREG report the same state).
    pub packet: Registration,
    /// The `<rssi>` of AT+CSQ with the radio on (0 to 31, or 99).
    pub rssi: u8,
    /// The `<ber>` of AT+CSQ with the radio on.
    pub ber: ChannelBer,
    /// The `<AcT>` of registration reads and URCs with `<n>`=2; left out when `None`.
    pub access_technology: Option<AccessTechnology>,
}

impl Default for NetworkOptions {
    /// SIM ready, registered home in both domains at once (and so attached), signal 20
    /// (-73 dBm) with bit error rate 0, no access technology reported.
    fn default() -> Self {
        Self {
            sim: SimState::Ready,
            circuit: Registration::HOME,
            packet: Registration::HOME,
            rssi: 20,
            ber: ChannelBer::Rxqual0,
            access_technology: None,
        }
    }
}

impl NetworkOptions {
    /// These options with `registration` in both domains.
    pub fn registering(self, registration: Registration) -> Self {
        Self {
            circuit: registration,
            packet: registration,
            ..self
        }
    }

    /// These options with `sim` at power-on.
    pub fn with_sim(self, sim: SimState) -> Self {
        Self { sim, ..self }
    }
}

/// One module's network state; see the [module documentation](self).
#[derive(Debug)]
pub struct Cellular {
    state: Arc<Mutex<State>>,
    /// The task that reports registration changes when a [`Settle::After`] delay ends,
    /// and the first deadline it waits for.
    timer: Option<(Instant, JoinHandle<()>)>,
    /// The short-message settings.
    messages: Messages,
}

impl Default for Cellular {
    fn default() -> Self {
        Self::new(NetworkOptions::default())
    }
}

impl Drop for Cellular {
    fn drop(&mut self) {
        if let Some((_, task)) = self.timer.take() {
            task.abort();
        }
    }
}

impl Cellular {
    /// A module powered on now, in a network behaving as `options` says.
    pub fn new(options: NetworkOptions) -> Self {
        Self {
            state: Arc::new(Mutex::new(State::new(options, Instant::now()))),
            timer: None,
            messages: Messages::default(),
        }
    }

    /// Answers `command` if it is one of the network commands (then `true`), with errors
    /// as `cmee` asks; `false` leaves it to the vendor behaviour.
    pub fn answer(&mut self, command: &Basic, cmee: CmeeMode, out: &Output) -> bool {
        if registers::answer(command, out) {
            return true;
        }
        let now = Instant::now();
        let (handled, next) = {
            let mut state = lock(&self.state);
            if let Some(answer) = self.messages.answer(command, state.sim()) {
                match answer {
                    Ok(lines) => {
                        for line in lines {
                            out.line(line);
                        }
                        out.ok();
                    }
                    Err(code) => out.line(format!("+CMS ERROR: {code}")),
                }
                return true;
            }
            let handled = match state.answer(command, now) {
                None => false,
                Some(Ok(lines)) => {
                    for line in lines {
                        out.line(line);
                    }
                    out.ok();
                    true
                }
                Some(Err(code)) => {
                    cme_error(cmee, &atspec_common::DIALECT, &code, out);
                    true
                }
            };
            state.report_changes(now, out);
            (handled, state.next_deadline(now))
        };
        self.arm(next, out);
        handled
    }

    /// Makes sure a timer reports the change due at `next`.
    fn arm(&mut self, next: Option<Instant>, out: &Output) {
        let Some(at) = next else { return };
        if let Some((armed, task)) = &self.timer {
            if *armed == at && !task.is_finished() {
                return;
            }
            task.abort();
        }
        let task = tokio::spawn(watch(self.state.clone(), out.clone(), at));
        self.timer = Some((at, task));
    }
}

/// Sleeps to each deadline in turn and sends the URCs of what changed.
async fn watch(state: Arc<Mutex<State>>, out: Output, first: Instant) {
    let mut at = first;
    loop {
        tokio::time::sleep_until(at).await;
        let now = Instant::now();
        let next = {
            let mut state = lock(&state);
            state.report_changes(now, &out);
            state.next_deadline(now)
        };
        match next {
            Some(next) => at = next,
            None => return,
        }
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // The state stays consistent between statements; a panic elsewhere cannot break it.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}
