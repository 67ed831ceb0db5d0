//! The network state and its answers to the common package's SIM, registration,
//! attach, signal and functionality commands.

use atspec_common::Command as Basic;
use atspec_common::functionality::{CfunCurrent, CfunSupported, Functionality, FunctionalityReset};
use atspec_common::network::{
    AccessTechnology, ChannelBer, CregStatus, CregSupported, CsqSupported, NetworkRegistrationUrc,
    RegistrationReport, RegistrationState, SignalQuality,
};
use atspec_common::packet::{
    AttachState, Attachment, CeregStatus, CeregSupported, CgattSupported, CgregStatus,
    CgregSupported, EpsRegistrationUrc, PacketRegistrationUrc,
};
use atspec_common::sim::{PinCode, PinState};
use atspec_common::v250::CmeError;
use tokio::time::Instant;

use super::contexts::{Contexts, Refusal};
use super::domain::{Domain, registered};
use super::operator::Operator;
use super::reply::encode;
use super::{NetworkOptions, SimState};
use crate::modem::Output;

/// The `<n>` values AT+CREG, AT+CGREG and AT+CEREG take.
const REPORT_RANGE: &str = "(0-2)";
/// The made-up location of registered answers with `<n>`=2.
const AREA: &str = "00C3";
const CELL: &str = "0000A1B2";

/// What a command answers: its information lines, or the +CME ERROR code.
type Answer = Result<Vec<Vec<u8>>, CmeError>;

/// The module's SIM, radio and registration; see the module documentation of
/// [`Cellular`](super::Cellular) for the behaviour.
#[derive(Debug)]
pub(super) struct State {
    options: NetworkOptions,
    sim: SimState,
    fun: Functionality,
    circuit: Domain,
    packet: Domain,
    /// AT+CGATT=0 was given (and no AT+CGATT=1 since).
    detached: bool,
    creg: RegistrationReport,
    cgreg: RegistrationReport,
    cereg: RegistrationReport,
    /// The states URCs last reported (or the power-on states).
    last_circuit: RegistrationState,
    last_packet: RegistrationState,
    /// AT+CGDCONT definitions.
    contexts: Contexts,
    /// AT+COPS's read format.
    operator: Operator,
}

impl State {
    pub(super) fn new(options: NetworkOptions, now: Instant) -> Self {
        let mut state = Self {
            sim: options.sim.clone(),
            fun: Functionality::Full,
            circuit: Domain::new(options.circuit),
            packet: Domain::new(options.packet),
            options,
            detached: false,
            creg: RegistrationReport::Disabled,
            cgreg: RegistrationReport::Disabled,
            cereg: RegistrationReport::Disabled,
            last_circuit: RegistrationState::NotRegistered,
            last_packet: RegistrationState::NotRegistered,
            contexts: Contexts::default(),
            operator: Operator::default(),
        };
        state.apply_power(now);
        state.last_circuit = state.circuit.state(now);
        state.last_packet = state.packet_state(now);
        state
    }

    /// The answer to `command`, or `None` when it is not a network command.
    pub(super) fn answer(&mut self, command: &Basic, now: Instant) -> Option<Answer> {
        let supported = |text: &str| text.to_owned();
        let attachable = registered(self.packet.state(now));
        if let Some(answer) = self.contexts.answer(command, attachable) {
            if self.contexts.any_active() {
                // Activating a context attaches first.
                self.detached = false;
            }
            return Some(answer.map_err(|refusal| match refusal {
                Refusal::Parameter => CmeError::IncorrectParameters,
                Refusal::NoService => CmeError::NoNetworkService,
            }));
        }
        let registered_now = registered(self.circuit.state(now));
        let act = self.options.access_technology;
        if let Some(answer) = self.operator.answer(command, registered_now, act) {
            return Some(self.unlocked().and(answer));
        }
        Some(match command {
            // SIM800 manual: the test form answers OK alone.
            Basic::CpinTest(_) => Ok(Vec::new()),
            Basic::CpinRead(_) => self.pin_code().map(|code| {
                let line = PinState { code };
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CpinWrite(c) => self.enter_pin(c.pin(), now).map(|()| Vec::new()),
            Basic::CregTest(_) => {
                let line = CregSupported {
                    supported: supported(REPORT_RANGE),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CgregTest(_) => {
                let line = CgregSupported {
                    supported: supported(REPORT_RANGE),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CeregTest(_) => {
                let line = CeregSupported {
                    supported: supported(REPORT_RANGE),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CgattTest(_) => {
                let line = CgattSupported {
                    supported: supported("(0,1)"),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CsqTest(_) => {
                let line = CsqSupported {
                    supported: supported("(0-31,99),(0-7,99)"),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CfunTest(_) => {
                let line = CfunSupported {
                    supported: supported("(0,1,4),(0,1)"),
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CregWrite(c) => self.unlocked().and_then(|()| {
                self.creg = report_setting(c.n())?;
                Ok(Vec::new())
            }),
            Basic::CgregWrite(c) => self.unlocked().and_then(|()| {
                self.cgreg = report_setting(c.n())?;
                Ok(Vec::new())
            }),
            Basic::CeregWrite(c) => self.unlocked().and_then(|()| {
                self.cereg = report_setting(c.n())?;
                Ok(Vec::new())
            }),
            Basic::CregRead(_) => self.unlocked().map(|()| {
                let stat = self.circuit.poll(now);
                let (lac, ci, act) = self.location(self.creg, stat);
                let line = CregStatus {
                    n: self.creg,
                    stat,
                    lac,
                    ci,
                    act,
                };
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CgregRead(_) => self.unlocked().map(|()| {
                let stat = self.poll_packet(now);
                let (lac, ci, act) = self.location(self.cgreg, stat);
                let line = CgregStatus {
                    n: self.cgreg,
                    stat,
                    lac,
                    ci,
                    act,
                };
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CeregRead(_) => self.unlocked().map(|()| {
                let stat = self.poll_packet(now);
                let (tac, ci, act) = self.location(self.cereg, stat);
                let line = CeregStatus {
                    n: self.cereg,
                    stat,
                    tac,
                    ci,
                    act,
                };
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CgattRead(_) => self.unlocked().map(|()| {
                let state = if registered(self.packet_state(now)) {
                    AttachState::Attached
                } else {
                    AttachState::Detached
                };
                let line = Attachment { state };
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CgattWrite(c) => self
                .unlocked()
                .and_then(|()| self.attach(c.state(), now))
                .map(|()| Vec::new()),
            Basic::CsqExec(_) => self.unlocked().map(|()| {
                let line = self.signal();
                vec![encode(|o| line.encode(o))]
            }),
            Basic::CfunRead(_) => {
                let line = CfunCurrent { fun: self.fun };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CfunWrite(c) => self
                .set_functionality(c.fun(), c.rst(), now)
                .map(|()| Vec::new()),
            _ => return None,
        })
    }

    /// Sends the URCs of registration changes since the last report, for the reports
    /// AT+CREG, AT+CGREG and AT+CEREG enabled.
    pub(super) fn report_changes(&mut self, now: Instant, out: &Output) {
        let circuit = self.circuit.state(now);
        if circuit != self.last_circuit {
            self.last_circuit = circuit;
            if self.creg != RegistrationReport::Disabled {
                let (lac, ci, act) = self.location(self.creg, circuit);
                let line = NetworkRegistrationUrc {
                    stat: circuit,
                    lac,
                    ci,
                    act,
                };
                out.line(encode(|o| line.encode(o)));
            }
        }
        let packet = self.packet_state(now);
        if packet != self.last_packet {
            self.last_packet = packet;
            if self.cgreg != RegistrationReport::Disabled {
                let (lac, ci, act) = self.location(self.cgreg, packet);
                let line = PacketRegistrationUrc {
                    stat: packet,
                    lac,
                    ci,
                    act,
                };
                out.line(encode(|o| line.encode(o)));
            }
            if self.cereg != RegistrationReport::Disabled {
                let (tac, ci, act) = self.location(self.cereg, packet);
                let line = EpsRegistrationUrc {
                    stat: packet,
                    tac,
                    ci,
                    act,
                };
                out.line(encode(|o| line.encode(o)));
            }
        }
    }

    /// When a registration state changes next by itself.
    pub(super) fn next_deadline(&self, now: Instant) -> Option<Instant> {
        [self.circuit.deadline(now), self.packet.deadline(now)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Refuses with 11 while the SIM PIN is pending.
    /// The SIM as it is now.
    pub(super) fn sim(&self) -> &SimState {
        &self.sim
    }

    fn unlocked(&self) -> Result<(), CmeError> {
        match self.sim {
            SimState::PinRequired { .. } => Err(CmeError::SimPinRequired),
            _ => Ok(()),
        }
    }

    fn pin_code(&self) -> Result<PinCode, CmeError> {
        match self.sim {
            SimState::Ready => Ok(PinCode::Ready),
            SimState::PinRequired { .. } => Ok(PinCode::SimPin),
            SimState::NotInserted => Err(CmeError::SimNotInserted),
        }
    }

    fn enter_pin(&mut self, given: &str, now: Instant) -> Result<(), CmeError> {
        match &self.sim {
            SimState::NotInserted => Err(CmeError::SimNotInserted),
            // 27.007: with no password pending the MT refuses and does nothing.
            SimState::Ready => Err(CmeError::OperationNotAllowed),
            SimState::PinRequired { pin } if pin != given => Err(CmeError::IncorrectPassword),
            SimState::PinRequired { .. } => {
                self.sim = SimState::Ready;
                self.apply_power(now);
                Ok(())
            }
        }
    }

    fn attach(&mut self, wanted: AttachState, now: Instant) -> Result<(), CmeError> {
        match wanted {
            AttachState::Detached => {
                self.detached = true;
                Ok(())
            }
            AttachState::Attached => match self.packet.state(now) {
                state if registered(state) => {
                    self.detached = false;
                    Ok(())
                }
                RegistrationState::Denied => Err(CmeError::GprsServicesNotAllowed),
                _ => Err(CmeError::NoNetworkService),
            },
            _ => Err(CmeError::IncorrectParameters),
        }
    }

    fn set_functionality(
        &mut self,
        fun: Functionality,
        reset: Option<FunctionalityReset>,
        now: Instant,
    ) -> Result<(), CmeError> {
        if !matches!(
            fun,
            Functionality::Minimum | Functionality::Full | Functionality::RadioOff
        ) {
            return Err(CmeError::IncorrectParameters);
        }
        match reset.unwrap_or(FunctionalityReset::NoReset) {
            FunctionalityReset::NoReset => {}
            FunctionalityReset::Reset => {
                // A restarted module finds its SIM as at power-on and registers anew.
                self.sim = self.options.sim.clone();
                self.detached = false;
                self.circuit.power(false, now);
                self.packet.power(false, now);
            }
            _ => return Err(CmeError::IncorrectParameters),
        }
        if fun != Functionality::Full {
            // Radio off: a later AT+CFUN=1 attaches again by itself.
            self.detached = false;
        }
        self.fun = fun;
        self.apply_power(now);
        Ok(())
    }

    /// Runs registration when the SIM is ready and the radio is on, stops it otherwise.
    fn apply_power(&mut self, now: Instant) {
        let on = self.sim == SimState::Ready && self.fun == Functionality::Full;
        self.circuit.power(on, now);
        self.packet.power(on, now);
    }

    /// The packet-domain state, 0 while detached by the host.
    fn packet_state(&self, now: Instant) -> RegistrationState {
        if self.detached {
            RegistrationState::NotRegistered
        } else {
            self.packet.state(now)
        }
    }

    fn poll_packet(&mut self, now: Instant) -> RegistrationState {
        let state = self.packet.poll(now);
        if self.detached {
            RegistrationState::NotRegistered
        } else {
            state
        }
    }

    fn signal(&self) -> SignalQuality {
        if self.fun == Functionality::Full {
            SignalQuality {
                rssi: self.options.rssi,
                ber: self.options.ber,
            }
        } else {
            SignalQuality {
                rssi: 99,
                ber: ChannelBer::NotKnown,
            }
        }
    }

    /// The location fields of a status line: only with `<n>`=2 while registered.
    fn location(
        &self,
        n: RegistrationReport,
        stat: RegistrationState,
    ) -> (Option<String>, Option<String>, Option<AccessTechnology>) {
        if n == RegistrationReport::StateAndLocation && registered(stat) {
            (
                Some(AREA.to_owned()),
                Some(CELL.to_owned()),
                self.options.access_technology,
            )
        } else {
            (None, None, None)
        }
    }
}

/// The `<n>` of AT+CREG, AT+CGREG or AT+CEREG: left out it is 0; only 0 to 2 are taken.
fn report_setting(n: Option<RegistrationReport>) -> Result<RegistrationReport, CmeError> {
    match n.unwrap_or(RegistrationReport::Disabled) {
        RegistrationReport::Unlisted(_) => Err(CmeError::IncorrectParameters),
        n => Ok(n),
    }
}
