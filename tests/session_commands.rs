//! The commands and URCs real sessions mix in around HTTP and FTP (issue 9, class
//! 5), now specified: the SIM800 client runs them against the scripted modem of
//! `support` in every mode, and their lines classify and parse as the specs say.

mod support;

use atspec::{AtCommand, Unsolicited};
use atspec_common::functionality::{Functionality, FunctionalityChangedUrc};
use atspec_common::network::{
    ChannelBer, CregRead, CsqExec, RegistrationReport, RegistrationState,
};
use atspec_common::packet::{MePdnDeactivatedUrc, NetworkDetachedUrc, PacketEventUrc};
use atspec_common::sim::{CpinWrite, PinCode, SimStatusUrc};
use atspec_sim800::Urc;
use atspec_sim800::tcpip::{
    CallReadyUrc, CifsrExec, CipshutExec, CipstatusExec, CsttWrite, IpState, PowerOnReadyUrc,
    SmsReadyUrc,
};
use support::{Step, expect, modes, reply, rig};

fn common(urc: atspec_common::Urc) -> Unsolicited<Urc> {
    Unsolicited::Urc(Urc::Common(urc))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cipshut_ends_with_shut_ok() {
    for mode in modes() {
        let script = vec![expect(b"AT+CIPSHUT"), reply(b"\r\nSHUT OK\r\n")];
        let rig = rig(mode, support::config(), script);
        rig.client
            .send(&CipshutExec::new())
            .await
            .unwrap_or_else(|e| panic!("[{mode}] AT+CIPSHUT: {e}"));
        rig.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_urc_during_the_read_reaches_subscribers() {
    for mode in modes() {
        let script = vec![
            expect(b"AT+CREG?"),
            Step::Unsolicited(b"+CREG: 1".to_vec()),
            reply(b"\r\n+CREG: 0,5\r\n\r\nOK\r\n"),
        ];
        let rig = rig(mode, support::config(), script);
        let status = rig
            .client
            .send(&CregRead::new())
            .await
            .unwrap_or_else(|e| panic!("[{mode}] AT+CREG?: {e}"));
        assert_eq!(status.n, RegistrationReport::Disabled, "[{mode}]");
        assert_eq!(
            status.stat,
            RegistrationState::RegisteredRoaming,
            "[{mode}]"
        );
        // The URC arrived while the read was pending; `finish` checks it reached
        // the subscription typed (see `support::expected_event`).
        rig.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_urcs_arrive_typed() {
    let boot: [&[u8]; 5] = [
        b"RDY",
        b"+CFUN: 1",
        b"+CPIN: READY",
        b"Call Ready",
        b"SMS Ready",
    ];
    let mut script: Vec<Step> = boot
        .iter()
        .map(|line| Step::Unsolicited(line.to_vec()))
        .collect();
    script.extend([expect(b"AT+CSQ"), reply(b"\r\n+CSQ: 20,99\r\n\r\nOK\r\n")]);
    let mut rig = rig(modes()[0], support::config(), script);
    let want = [
        Unsolicited::Urc(Urc::PowerOnReady(PowerOnReadyUrc {})),
        common(atspec_common::Urc::FunctionalityChanged(
            FunctionalityChangedUrc {
                fun: Functionality::Full,
            },
        )),
        common(atspec_common::Urc::SimStatus(SimStatusUrc {
            code: PinCode::Ready,
        })),
        Unsolicited::Urc(Urc::CallReady(CallReadyUrc {})),
        Unsolicited::Urc(Urc::SmsReady(SmsReadyUrc {})),
    ];
    for expected in want {
        assert_eq!(rig.next_event().await, expected);
    }
    let quality = rig.client.send(&CsqExec::new()).await.expect("AT+CSQ");
    assert_eq!((quality.rssi, quality.ber), (20, ChannelBer::NotKnown));
    rig.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cipstatus_returns_the_state_line_after_ok() {
    for mode in modes() {
        let script = vec![
            expect(b"AT+CIPSTATUS"),
            reply(b"\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"),
        ];
        let rig = rig(mode, support::config(), script);
        let ((), report) = rig
            .client
            .send_deferred(&CipstatusExec::new())
            .await
            .unwrap_or_else(|e| panic!("[{mode}] AT+CIPSTATUS: {e}"));
        assert_eq!(report.state, IpState::IpInitial, "[{mode}]");
        rig.finish().await;
    }
}

#[test]
fn cifsr_is_answered_by_a_bare_address_and_no_final_result() {
    // Checked when the test compiles: the spec's `no_final_result` reaches the type.
    const {
        assert!(<CifsrExec as AtCommand>::NO_FINAL_RESULT);
        assert!(<CifsrExec as AtCommand>::FREE_TEXT);
        assert!(!<CsttWrite as AtCommand>::NO_FINAL_RESULT);
    }
    let address = CifsrExec::parse_response(&[b"10.78.245.128".as_slice()]).expect("one line");
    assert_eq!(address.ip_address, "10.78.245.128");
}

#[test]
fn apn_password_and_pin_are_redacted_in_logs() {
    let cstt = CsttWrite::new("internet", Some("user"), Some("s3cret")).unwrap();
    let mut line = Vec::new();
    cstt.encode(&mut line);
    assert_eq!(line, b"AT+CSTT=\"internet\",\"user\",\"s3cret\"");
    line.clear();
    cstt.encode_redacted(&mut line);
    assert!(
        !line.windows(6).any(|w| w == b"s3cret"),
        "{}",
        String::from_utf8_lossy(&line)
    );
    let cpin = CpinWrite::new("1234", None).unwrap();
    line.clear();
    cpin.encode_redacted(&mut line);
    assert!(
        !line.windows(4).any(|w| w == b"1234"),
        "{}",
        String::from_utf8_lossy(&line)
    );
}

#[test]
fn packet_events_parse_to_their_forms_or_keep_the_text() {
    assert_eq!(
        Urc::parse(b"+CGEV: ME PDN DEACT 1"),
        Some(Ok(Urc::Common(atspec_common::Urc::MePdnDeactivated(
            MePdnDeactivatedUrc { cid: 1 }
        ))))
    );
    assert_eq!(
        Urc::parse(b"+CGEV: NW DETACH"),
        Some(Ok(Urc::Common(atspec_common::Urc::NetworkDetached(
            NetworkDetachedUrc {}
        ))))
    );
    assert_eq!(
        Urc::parse(b"+CGEV: NW DEACT \"IP\",\"10.0.0.1\",1"),
        Some(Ok(Urc::Common(atspec_common::Urc::PacketEvent(
            PacketEventUrc {
                event: "NW DEACT \"IP\",\"10.0.0.1\",1".to_owned()
            }
        ))))
    );
}

/// One `?` carries both building and sending: a parameter error becomes the
/// client's error, and nothing reaches the modem (its script expects nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parameter_error_is_a_client_error_and_nothing_is_sent() {
    use atspec::{AtError, ParamError};
    use atspec_sim800::http::HttpparaCidWrite;

    let rig = rig(modes()[0], support::config(), Vec::new());
    let set_cid = async |cid: u8| -> Result<(), AtError> {
        rig.client.send(&HttpparaCidWrite::new(cid)?).await?;
        Ok(())
    };
    match set_cid(9).await {
        Err(AtError::Param(e)) => {
            assert!(
                matches!(*e, ParamError::OutOfRange { param: "cid", .. }),
                "{e}"
            );
        }
        other => panic!("expected the parameter error, got {other:?}"),
    }
    rig.finish().await;
}
