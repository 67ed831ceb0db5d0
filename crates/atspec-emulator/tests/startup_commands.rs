//! The start-up, status and SMS-mode commands published host libraries send before their
//! HTTP or FTP sessions (gsmHat, Adafruit's ESP_ATcontrol, and cellular libraries in
//! general), answered as a module with a usable SIM and no message traffic would: SMS text
//! mode and storages (AT+CMGF, AT+CPMS, AT+CNMI) on every cellular module, the SIM808's
//! GNSS receiver (AT+CGNSPWR, AT+CGNSINF, AT+CGNSTST), and the ESP-AT station and
//! connection queries (AT+CWSTATE?, AT+CIPSTA?, AT+CIFSR, AT+CIPMUX, AT+CIPSTATE?,
//! AT+CIPSSLCCONF?). Commands the emulator does not implement still get `ERROR`.

use std::time::Duration;

use atspec::{Client, Config, Dialect};
use atspec_emulator::modem::{self, Behaviour, Gaps, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::cellular::{NetworkOptions, SimState};
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use atspec_emulator::modems::sim800::Sim800;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// `module` powered on, on a line ended as `dialect` says; the host's end of the line.
fn powered_on(module: impl Behaviour, dialect: &Dialect) -> DuplexStream {
    powered_on_noting(module, dialect, Gaps::default())
}

/// [`powered_on`], recording what the emulator cannot do in `gaps`.
fn powered_on_noting(module: impl Behaviour, dialect: &Dialect, gaps: Gaps) -> DuplexStream {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator: dialect.terminator,
        gaps,
        ..ModemOptions::default()
    };
    modem::spawn(module, modem_side, options);
    host
}

/// The cellular modules, each powered on with `sim`; the host's end of its line.
fn cellular(sim: SimState) -> Vec<(&'static str, &'static Dialect, DuplexStream)> {
    let network = NetworkOptions::default().with_sim(sim);
    vec![
        (
            "SIM800",
            &atspec_sim800::DIALECT,
            powered_on(
                Sim800::new().with_network(network.clone()),
                &atspec_sim800::DIALECT,
            ),
        ),
        (
            "A76XX",
            &atspec_a76xx::DIALECT,
            powered_on(
                A76xx::new().with_network(network.clone()),
                &atspec_a76xx::DIALECT,
            ),
        ),
        (
            "EC200U",
            &atspec_ec200u::DIALECT,
            powered_on(Ec200u::new().with_network(network), &atspec_ec200u::DIALECT),
        ),
    ]
}

/// Sends `command` and returns everything up to and including the final result line.
async fn exchange(line: &mut DuplexStream, terminator: &str, command: &str) -> String {
    line.write_all(format!("{command}{terminator}").as_bytes())
        .await
        .unwrap();
    let mut got = Vec::new();
    let finished = |text: &str| {
        text.lines().any(|l| {
            matches!(l, "OK" | "ERROR")
                || l.starts_with("+CMS ERROR:")
                || l.starts_with("+CME ERROR:")
        }) && text.ends_with("\r\n")
    };
    tokio::time::timeout(Duration::from_secs(5), async {
        let mut chunk = [0u8; 1024];
        while !finished(&String::from_utf8_lossy(&got)) {
            let n = line.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the module hung up after {command}");
            got.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no final result to {command}: {:?}",
            String::from_utf8_lossy(&got)
        )
    });
    String::from_utf8(got).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cellular_module_takes_sms_text_mode_with_empty_storages() {
    use atspec_common::Urc;
    use atspec_common::sms::{
        CmgfRead, CmgfTest, CmgfWrite, CnmiMode, CnmiMt, CnmiRead, CnmiWrite, CpmsRead, CpmsWrite,
        MessageFormat, MessageStorage,
    };

    for (name, dialect, host) in cellular(SimState::Ready) {
        let client: Client<Urc> = Client::new(host, dialect, Config::default());
        let supported = client.send(&CmgfTest::new()).await.unwrap();
        assert_eq!(supported.supported, "(0,1)", "{name}");
        // PDU mode at power-on, text mode once asked (gsmHat's first command).
        let format = client.send(&CmgfRead::new()).await.unwrap();
        assert_eq!(format.mode, MessageFormat::Pdu, "{name}");
        client
            .send(&CmgfWrite::new(Some(MessageFormat::Text)).unwrap())
            .await
            .unwrap();
        let format = client.send(&CmgfRead::new()).await.unwrap();
        assert_eq!(format.mode, MessageFormat::Text, "{name}");

        // gsmHat's second: the SIM storage, empty.
        let usage = client
            .send(&CpmsWrite::new(MessageStorage::Sim, None, None).unwrap())
            .await
            .unwrap();
        assert_eq!(
            (usage.used1, usage.total1, usage.used3, usage.total3),
            (0, 30, 0, 30),
            "{name}"
        );
        let storages = client.send(&CpmsRead::new()).await.unwrap();
        assert_eq!(storages.mem1, MessageStorage::Sim, "{name}");
        assert_eq!((storages.used2, storages.used3), (0, 0), "{name}");

        client
            .send(
                &CnmiWrite::new(
                    Some(CnmiMode::BufferWhenBusy),
                    Some(CnmiMt::StoredIndex),
                    Some(0),
                    Some(0),
                    Some(0),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        let indications = client.send(&CnmiRead::new()).await.unwrap();
        assert_eq!(
            (indications.mode, indications.mt),
            (CnmiMode::BufferWhenBusy, CnmiMt::StoredIndex),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_commands_fail_as_27005_says_and_unimplemented_ones_get_error() {
    for (name, dialect, mut host) in cellular(SimState::NotInserted) {
        let cr = dialect.terminator;
        // The test form answers whatever the SIM; the others need one.
        let test = exchange(&mut host, cr, "AT+CPMS=?").await;
        assert!(
            test.contains(r#"+CPMS: ("SM","ME","SM_P","ME_P","MT"),"#),
            "{name}: {test:?}"
        );
        let refused = exchange(&mut host, cr, "AT+CPMS?").await;
        assert!(refused.contains("+CMS ERROR: 310"), "{name}: {refused:?}");
    }
    for (name, dialect, mut host) in cellular(SimState::Ready) {
        let cr = dialect.terminator;
        let storage = exchange(&mut host, cr, r#"AT+CPMS="BM""#).await;
        assert!(storage.contains("+CMS ERROR: 302"), "{name}: {storage:?}");
        // Reading and sending messages are not emulated.
        for command in ["AT+CMGL=\"ALL\"", "AT+CMGR=1", "AT+CMGD=1"] {
            let answer = exchange(&mut host, cr, command).await;
            assert_eq!(answer, "\r\nERROR\r\n", "{name} {command}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sim808_runs_its_gnss_receiver_without_a_fix() {
    use atspec_sim800::Urc;
    use atspec_sim800::gnss::{
        CgnsinfExec, CgnspwrRead, CgnspwrWrite, CgnststWrite, GnssFix, GnssPower, NmeaCopy,
    };

    let gaps = Gaps::default();
    let host = powered_on_noting(
        Sim800::new().with_gnss(),
        &atspec_sim800::DIALECT,
        gaps.clone(),
    );
    let client: Client<Urc> = Client::new(host, &atspec_sim800::DIALECT, Config::default());

    let power = client.send(&CgnspwrRead::new()).await.unwrap();
    assert_eq!(power.mode, GnssPower::Off, "off at power-on");
    let off = client.send(&CgnsinfExec::new()).await.unwrap();
    assert_eq!((off.run_status, off.fix_status), (GnssPower::Off, None));
    assert_eq!(off.navigation, ",".repeat(18), "nothing but the run status");

    client
        .send(&CgnspwrWrite::new(GnssPower::On).unwrap())
        .await
        .unwrap();
    let power = client.send(&CgnspwrRead::new()).await.unwrap();
    assert_eq!(power.mode, GnssPower::On);
    let info = client.send(&CgnsinfExec::new()).await.unwrap();
    assert_eq!(info.run_status, GnssPower::On);
    assert_eq!(info.fix_status, Some(GnssFix::NoFix));
    // The receiver's clock from the GPS epoch, then no position (three empty values).
    let values: Vec<&str> = info.navigation.split(',').collect();
    assert_eq!(values.len(), 19, "{info:?}");
    assert!(values[0].starts_with("198001"), "{info:?}");
    assert_eq!(values[1..4], ["", "", ""], "{info:?}");
    client
        .send(&CgnststWrite::new(NmeaCopy::Stop).unwrap())
        .await
        .unwrap();
    // Copying NMEA sentences to the AT port is not emulated, and says so.
    assert!(
        client
            .send(&CgnststWrite::new(NmeaCopy::Start).unwrap())
            .await
            .is_err()
    );
    let seen = gaps.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].line, "AT+CGNSTST=1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sim800_without_a_receiver_refuses_the_gnss_commands() {
    let mut host = powered_on(Sim800::new(), &atspec_sim800::DIALECT);
    let cr = atspec_sim800::DIALECT.terminator;
    for command in ["AT+CGNSPWR?", "AT+CGNSPWR=1", "AT+CGNSINF"] {
        assert_eq!(
            exchange(&mut host, cr, command).await,
            "\r\nERROR\r\n",
            "{command}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_answers_the_status_queries_before_and_after_joining() {
    use atspec_esp_at::Urc;
    use atspec_esp_at::status::{
        CifsrExec, CipmuxRead, CipmuxWrite, CipsslcconfRead, CipstaRead, CipstateRead,
        ConnectionMode, CwstateRead, InterfaceAddress, SslAuthMode, StationState,
    };
    use atspec_esp_at::wifi::CwjapJoinWrite;

    let host = powered_on(EspAt::new(), &atspec_esp_at::DIALECT);
    let client: Client<Urc> = Client::new(host, &atspec_esp_at::DIALECT, Config::default());

    // ESP_ATcontrol's begin(): AT+CIPMUX?, AT+CIPSSLCCONF?, AT+CWSTATE?.
    let mux = client.send(&CipmuxRead::new()).await.unwrap();
    assert_eq!(mux.mode, ConnectionMode::Single);
    let ssl = client.send(&CipsslcconfRead::new()).await.unwrap();
    assert_eq!(ssl.ssl_client_config.len(), 1);
    assert_eq!(ssl.ssl_client_config[0].auth_mode, SslAuthMode::None);
    let state = client.send(&CwstateRead::new()).await.unwrap();
    assert_eq!((state.state, state.ssid.as_str()), (StationState::Idle, ""));
    let open = client.send(&CipstateRead::new()).await.unwrap();
    assert!(open.connection_info.is_empty());
    let ip = client.send(&CipstaRead::new()).await.unwrap();
    assert_eq!(ip.station_ip.ip, "0.0.0.0");

    // A wrong password: disconnected, with the SSID tried.
    let wrong = CwjapJoinWrite::new(Some(DEFAULT_SSID), Some("not it"), None).unwrap();
    assert!(client.send(&wrong).await.is_err());
    let state = client.send(&CwstateRead::new()).await.unwrap();
    assert_eq!(
        (state.state, state.ssid.as_str()),
        (StationState::Disconnected, DEFAULT_SSID)
    );

    let join = CwjapJoinWrite::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).unwrap();
    client.send(&join).await.unwrap();
    let state = client.send(&CwstateRead::new()).await.unwrap();
    assert_eq!(
        (state.state, state.ssid.as_str()),
        (StationState::GotIp, DEFAULT_SSID)
    );
    let ip = client.send(&CipstaRead::new()).await.unwrap();
    assert_eq!(
        (
            ip.station_ip.ip.as_str(),
            ip.station_gateway.gateway.as_str(),
            ip.station_netmask.netmask.as_str()
        ),
        ("192.168.3.112", "192.168.3.1", "255.255.255.0")
    );
    let addresses = client.send(&CifsrExec::new()).await.unwrap();
    let station_ip = addresses
        .interface_address_line
        .iter()
        .find(|l| l.kind == InterfaceAddress::StationIp)
        .expect("a STAIP line");
    assert_eq!(station_ip.address, "192.168.3.112");

    client
        .send(&CipmuxWrite::new(ConnectionMode::Multiple).unwrap())
        .await
        .unwrap();
    let mux = client.send(&CipmuxRead::new()).await.unwrap();
    assert_eq!(mux.mode, ConnectionMode::Multiple);
    let ssl = client.send(&CipsslcconfRead::new()).await.unwrap();
    assert_eq!(ssl.ssl_client_config.len(), 5, "one line per link");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_still_refuses_what_it_does_not_implement() {
    let mut host = powered_on(EspAt::new(), &atspec_esp_at::DIALECT);
    let crlf = atspec_esp_at::DIALECT.terminator;
    // Raw sockets, the ESP8266's SSL buffer size, and SMS (an ESP has none).
    for command in [
        r#"AT+CIPSTART="TCP","127.0.0.1",80"#,
        "AT+CIPSSLSIZE=4096",
        "AT+CMGF=1",
    ] {
        assert_eq!(
            exchange(&mut host, crlf, command).await,
            "\r\nERROR\r\n",
            "{command}"
        );
    }
}
