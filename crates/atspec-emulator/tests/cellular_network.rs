//! The 3GPP commands a cellular bring-up polls (AT+CPIN?, AT+CREG?, AT+CGREG?, AT+CEREG?,
//! AT+CGATT, AT+CSQ, AT+CFUN), sent with the generated `atspec_common` commands through
//! the runtime client to each emulated cellular module (SIM800, A76XX, EC200U), in the
//! networks [`NetworkOptions`] describes.

use std::time::Duration;

use atspec::{AtError, Client, Config, Dialect};
use atspec_common::Urc;
use atspec_common::functionality::{CfunRead, Functionality};
use atspec_common::network::{
    AccessTechnology, ChannelBer, CregRead, CregWrite, CsqExec, RegistrationReport,
    RegistrationState,
};
use atspec_common::packet::{AttachState, CeregRead, CgattRead, CgattWrite, CgregRead};
use atspec_common::sim::{CpinRead, CpinWrite, PinCode};
use atspec_common::v250::{CmeeMode, CmeeWrite};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::cellular::{NetworkOptions, Outcome, Registration, Settle, SimState};
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::sim800::Sim800;

/// The three cellular modules.
#[derive(Debug, Clone, Copy)]
enum Module {
    Sim800,
    A76xx,
    Ec200u,
}

const MODULES: [Module; 3] = [Module::Sim800, Module::A76xx, Module::Ec200u];

impl Module {
    fn dialect(self) -> &'static Dialect {
        match self {
            Self::Sim800 => &atspec_sim800::DIALECT,
            Self::A76xx => &atspec_a76xx::DIALECT,
            Self::Ec200u => &atspec_ec200u::DIALECT,
        }
    }

    /// A client talking to this module, powered on in the network `options` describes,
    /// with numeric +CME ERROR codes (AT+CMEE=1, as the common package advises).
    async fn connect(self, options: NetworkOptions) -> Client<Urc> {
        let (host, modem_side) = tokio::io::duplex(1 << 16);
        let line = ModemOptions {
            terminator: self.dialect().terminator,
            ..ModemOptions::default()
        };
        match self {
            Self::Sim800 => modem::spawn(Sim800::new().with_network(options), modem_side, line),
            Self::A76xx => modem::spawn(A76xx::new().with_network(options), modem_side, line),
            Self::Ec200u => modem::spawn(Ec200u::new().with_network(options), modem_side, line),
        };
        let client = Client::new(host, self.dialect(), Config::default());
        client
            .send(&CmeeWrite::new(Some(CmeeMode::Numeric)).unwrap())
            .await
            .unwrap();
        client
    }
}

fn registering(outcome: Outcome, settle: Settle) -> NetworkOptions {
    NetworkOptions::default().registering(Registration { outcome, settle })
}

async fn creg(client: &Client<Urc>) -> RegistrationState {
    client.send(&CregRead::new()).await.unwrap().stat
}

async fn cgreg(client: &Client<Urc>) -> RegistrationState {
    client.send(&CgregRead::new()).await.unwrap().stat
}

async fn cereg(client: &Client<Urc>) -> RegistrationState {
    client.send(&CeregRead::new()).await.unwrap().stat
}

async fn attachment(client: &Client<Urc>) -> AttachState {
    client.send(&CgattRead::new()).await.unwrap().state
}

async fn set_attach(client: &Client<Urc>, state: AttachState) -> Result<(), AtError> {
    client.send(&CgattWrite::new(state).unwrap()).await
}

/// The code and meaning of a `+CME ERROR`, failing on any other outcome.
fn cme(result: Result<impl std::fmt::Debug, AtError>) -> (String, Option<&'static str>) {
    match result {
        Err(AtError::Command {
            result,
            code: Some(code),
            meaning,
            ..
        }) if result.starts_with("+CME ERROR") => (code, meaning),
        other => panic!("expected +CME ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn by_default_the_sim_is_ready_and_the_module_registered_home_and_attached() {
    for module in MODULES {
        let client = module.connect(NetworkOptions::default()).await;
        let pin = client.send(&CpinRead::new()).await.unwrap();
        assert_eq!(pin.code, PinCode::Ready, "{module:?}");
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(cgreg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(cereg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(attachment(&client).await, AttachState::Attached);
        let signal = client.send(&CsqExec::new()).await.unwrap();
        assert_eq!((signal.rssi, signal.ber), (20, ChannelBer::Rxqual0));
        let fun = client.send(&CfunRead::new()).await.unwrap();
        assert_eq!(fun.fun, Functionality::Full, "{module:?}");
    }
}

#[tokio::test]
async fn registration_searches_for_the_given_number_of_polls() {
    for module in MODULES {
        let client = module
            .connect(registering(Outcome::Home, Settle::AfterPolls(3)))
            .await;
        for poll in 0..3 {
            assert_eq!(
                creg(&client).await,
                RegistrationState::Searching,
                "{module:?} poll {poll}"
            );
        }
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        // The packet domain counts its own polls, over AT+CGREG? and AT+CEREG? alike;
        // it is not attached while it searches.
        assert_eq!(attachment(&client).await, AttachState::Detached);
        assert_eq!(cgreg(&client).await, RegistrationState::Searching);
        assert_eq!(cereg(&client).await, RegistrationState::Searching);
        assert_eq!(cgreg(&client).await, RegistrationState::Searching);
        assert_eq!(cereg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(cgreg(&client).await, RegistrationState::RegisteredHome);
        assert_eq!(
            attachment(&client).await,
            AttachState::Attached,
            "{module:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn registration_after_a_delay_is_announced_by_urc_with_its_location() {
    for module in MODULES {
        let options = NetworkOptions {
            access_technology: Some(AccessTechnology::EUtran),
            ..registering(Outcome::Roaming, Settle::After(Duration::from_secs(30)))
        };
        let client = module.connect(options).await;
        let started = tokio::time::Instant::now();
        let mut urcs = client.subscribe();
        let with_location = Some(RegistrationReport::StateAndLocation);
        client
            .send(&CregWrite::new(with_location).unwrap())
            .await
            .unwrap();
        assert_eq!(creg(&client).await, RegistrationState::Searching);
        let urc = tokio::time::timeout(Duration::from_secs(60), urcs.recv())
            .await
            .expect("a +CREG URC within a minute")
            .unwrap();
        let atspec::Unsolicited::Urc(Urc::NetworkRegistration(reg)) = urc else {
            panic!("{module:?}: expected +CREG, got {urc:?}");
        };
        assert_eq!(started.elapsed(), Duration::from_secs(30), "{module:?}");
        assert_eq!(reg.stat, RegistrationState::RegisteredRoaming);
        assert_eq!(reg.lac.as_deref(), Some("00C3"));
        assert_eq!(reg.act, Some(AccessTechnology::EUtran));
        let read = client.send(&CregRead::new()).await.unwrap();
        assert_eq!(read.n, RegistrationReport::StateAndLocation);
        assert_eq!(read.stat, RegistrationState::RegisteredRoaming);
        assert_eq!(read.ci.as_deref(), Some("0000A1B2"));
    }
}

#[tokio::test]
async fn roaming_registration_reports_state_5_and_attaches() {
    for module in MODULES {
        let client = module
            .connect(registering(Outcome::Roaming, Settle::AtOnce))
            .await;
        assert_eq!(creg(&client).await, RegistrationState::RegisteredRoaming);
        assert_eq!(cereg(&client).await, RegistrationState::RegisteredRoaming);
        assert_eq!(
            attachment(&client).await,
            AttachState::Attached,
            "{module:?}"
        );
    }
}

#[tokio::test]
async fn denied_registration_reports_state_3_and_refuses_to_attach() {
    for module in MODULES {
        let client = module
            .connect(registering(Outcome::Denied, Settle::AfterPolls(1)))
            .await;
        assert_eq!(creg(&client).await, RegistrationState::Searching);
        assert_eq!(creg(&client).await, RegistrationState::Denied);
        assert_eq!(cgreg(&client).await, RegistrationState::Searching);
        assert_eq!(cgreg(&client).await, RegistrationState::Denied);
        assert_eq!(attachment(&client).await, AttachState::Detached);
        let (code, meaning) = cme(set_attach(&client, AttachState::Attached).await);
        assert_eq!(code, "107", "{module:?}");
        assert_eq!(meaning, Some("GPRS (PS) services not allowed"));
    }
}

#[tokio::test]
async fn a_network_searching_for_ever_never_registers_nor_attaches() {
    for module in MODULES {
        let client = module
            .connect(registering(Outcome::SearchingForever, Settle::AtOnce))
            .await;
        for _ in 0..20 {
            assert_eq!(creg(&client).await, RegistrationState::Searching);
            assert_eq!(cereg(&client).await, RegistrationState::Searching);
        }
        let (code, meaning) = cme(set_attach(&client, AttachState::Attached).await);
        assert_eq!(code, "30", "{module:?}");
        assert_eq!(meaning, Some("no network service"));
    }
}

#[tokio::test]
async fn cgatt_detaches_and_attaches_again() {
    for module in MODULES {
        let client = module.connect(NetworkOptions::default()).await;
        set_attach(&client, AttachState::Detached).await.unwrap();
        assert_eq!(
            attachment(&client).await,
            AttachState::Detached,
            "{module:?}"
        );
        assert_eq!(cgreg(&client).await, RegistrationState::NotRegistered);
        assert_eq!(cereg(&client).await, RegistrationState::NotRegistered);
        // The circuit-switched domain is not affected.
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        set_attach(&client, AttachState::Attached).await.unwrap();
        assert_eq!(
            attachment(&client).await,
            AttachState::Attached,
            "{module:?}"
        );
        assert_eq!(cereg(&client).await, RegistrationState::RegisteredHome);
    }
}

#[tokio::test]
async fn cpin_without_a_sim_answers_cme_error_10() {
    for module in MODULES {
        let client = module
            .connect(NetworkOptions::default().with_sim(SimState::NotInserted))
            .await;
        let (code, meaning) = cme(client.send(&CpinRead::new()).await);
        assert_eq!(code, "10", "{module:?}");
        assert_eq!(meaning, Some("SIM not inserted"), "{module:?}");
        let (code, _) = cme(client.send(&CpinWrite::new("1234", None).unwrap()).await);
        assert_eq!(code, "10", "{module:?}");
        // Without a SIM nothing registers, and nothing searches.
        assert_eq!(creg(&client).await, RegistrationState::NotRegistered);
        // AT+CMEE=0: a plain ERROR.
        client
            .send(&CmeeWrite::new(Some(CmeeMode::Disabled)).unwrap())
            .await
            .unwrap();
        match client.send(&CpinRead::new()).await {
            Err(AtError::Command { result, code, .. }) => {
                assert_eq!((result, code), ("ERROR", None), "{module:?}")
            }
            other => panic!("{module:?}: expected ERROR, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_locked_sim_refuses_network_reads_until_its_pin_is_entered() {
    for module in MODULES {
        let sim = SimState::PinRequired {
            pin: "4321".to_owned(),
        };
        let client = module
            .connect(NetworkOptions::default().with_sim(sim))
            .await;
        let pin = client.send(&CpinRead::new()).await.unwrap();
        assert_eq!(pin.code, PinCode::SimPin, "{module:?}");
        let (code, meaning) = cme(client.send(&CregRead::new()).await);
        assert_eq!((code.as_str(), meaning), ("11", Some("SIM PIN required")));
        let (code, _) = cme(client.send(&CpinWrite::new("0000", None).unwrap()).await);
        assert_eq!(code, "16", "{module:?}: wrong PIN");
        client
            .send(&CpinWrite::new("4321", None).unwrap())
            .await
            .unwrap();
        let pin = client.send(&CpinRead::new()).await.unwrap();
        assert_eq!(pin.code, PinCode::Ready, "{module:?}");
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        // No PIN pending any more: entering one is not allowed.
        let (code, _) = cme(client.send(&CpinWrite::new("4321", None).unwrap()).await);
        assert_eq!(code, "3", "{module:?}");
    }
}

#[tokio::test]
async fn radio_off_deregisters_and_radio_on_registers_again() {
    use atspec_common::functionality::CfunWrite;
    for module in MODULES {
        let client = module
            .connect(registering(Outcome::Home, Settle::AfterPolls(1)))
            .await;
        assert_eq!(creg(&client).await, RegistrationState::Searching);
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        client
            .send(&CfunWrite::new(Functionality::RadioOff, None).unwrap())
            .await
            .unwrap();
        let fun = client.send(&CfunRead::new()).await.unwrap();
        assert_eq!(fun.fun, Functionality::RadioOff, "{module:?}");
        assert_eq!(creg(&client).await, RegistrationState::NotRegistered);
        assert_eq!(attachment(&client).await, AttachState::Detached);
        let signal = client.send(&CsqExec::new()).await.unwrap();
        assert_eq!((signal.rssi, signal.ber), (99, ChannelBer::NotKnown));
        client
            .send(&CfunWrite::new(Functionality::Full, None).unwrap())
            .await
            .unwrap();
        // Registration starts over: one poll searching again.
        assert_eq!(creg(&client).await, RegistrationState::Searching);
        assert_eq!(creg(&client).await, RegistrationState::RegisteredHome);
        let (code, _) = cme(client
            .send(&CfunWrite::new(Functionality::TransmitOff, None).unwrap())
            .await);
        assert_eq!(code, "50", "{module:?}: level 2 is not offered");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standing_emulator_powers_each_module_on_in_its_network() {
    use atspec_emulator::client::ftp::FtpTls;
    use atspec_emulator::serve::{Listen, ServeOptions, Vendor, start};

    for (vendor, module) in [
        (Vendor::Sim800, Module::Sim800),
        (Vendor::A76xx, Module::A76xx),
        (Vendor::Ec200u, Module::Ec200u),
    ] {
        let serving = start(ServeOptions {
            vendor,
            listen: Listen::Tcp("127.0.0.1:0".parse().unwrap()),
            modem: ModemOptions::default(),
            ftp_tls: FtpTls::Plain,
            network: registering(Outcome::Denied, Settle::AfterPolls(1)),
            fault: None,
        })
        .await
        .unwrap();
        // Every connection is a module just powered on: one search, then denied.
        for _ in 0..2 {
            let line = atspec::transport::tcp(serving.modem_addr().unwrap())
                .await
                .unwrap();
            let client: Client<Urc> = Client::new(line, module.dialect(), Config::default());
            assert_eq!(
                creg(&client).await,
                RegistrationState::Searching,
                "{vendor:?}"
            );
            assert_eq!(creg(&client).await, RegistrationState::Denied, "{vendor:?}");
        }
    }
}
