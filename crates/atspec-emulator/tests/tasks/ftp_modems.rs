//! The FTP task tests instantiated for every modem with an FTP task.

use atspec::task::{FtpSecurity, Link, Network};
use atspec_emulator::backend::ftp::{FtpFaults, FtpServer};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::sim800_ftp::Sim800Ftp;

use super::ftp::{self, cutting, server_options};
use super::modes;

/// An A76XX on an in-memory line, trusting `server`'s certificate.
fn a76xx(server: &FtpServer, options: ModemOptions) -> atspec_a76xx::Modem {
    let mut module = A76xx::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls(cert.client_config());
    }
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    atspec_a76xx::Modem::new(host)
}

const A76XX_URCS: &[&str] = &["+CREG: 1", "RDY", "+CPIN: READY"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a76xx_ftp_roundtrips_in_every_security() {
    for security in [
        FtpSecurity::Plain,
        FtpSecurity::Explicit,
        FtpSecurity::Implicit,
    ] {
        let server = FtpServer::start(server_options(security)).await;
        for options in modes(A76XX_URCS) {
            let modem = a76xx(&server, options);
            ftp::roundtrip(&modem, &server, &[0, 1024, 1 << 20]).await;
        }
        let modem = a76xx(&server, ModemOptions::default());
        ftp::missing_file(&modem, &server).await;
        ftp::wrong_password(&modem, &server).await;
        ftp::unsupported_security(&modem).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a76xx_ftp_resumes_cut_transfers_and_recovers_from_timeouts() {
    // Each server cuts its first transfer only.
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    let modem = a76xx(&cut, ModemOptions::default());
    assert!(
        modem
            .connect(&Link::cellular("internet"), None)
            .await
            .unwrap()
            .up
    );
    ftp::resume_get(&modem, &cut).await;
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    ftp::resume_put(&modem, &cut).await;
    let slow = FtpServer::start(server_options(FtpSecurity::Plain).with_faults(FtpFaults {
        delay: std::time::Duration::from_secs(2),
        ..FtpFaults::default()
    }))
    .await;
    let fast = FtpServer::start(server_options(FtpSecurity::Plain)).await;
    let modem = a76xx(&slow, ModemOptions::default());
    ftp::timeout_then_recovery(&modem, &slow, &fast).await;
}

/// An EC200U on an in-memory line, trusting `server`'s certificate, its network up
/// (PDP context 1 active, the application note's step before any FTP command).
async fn ec200u(server: &FtpServer, options: ModemOptions) -> atspec_ec200u::Modem {
    let mut module = Ec200u::new();
    if let Some(cert) = server.certificate() {
        module = module.trusting(cert.client_config());
    }
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let modem = atspec_ec200u::Modem::new(host);
    let link = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(link.up);
    modem
}

const EC200U_URCS: &[&str] = &["+CREG: 1", "RDY", "+QIURC: \"pdpdeact\",2"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec200u_ftp_roundtrips_in_every_security() {
    for security in [
        FtpSecurity::Plain,
        FtpSecurity::Explicit,
        FtpSecurity::Implicit,
    ] {
        let server = FtpServer::start(server_options(security)).await;
        for options in modes(EC200U_URCS) {
            let modem = ec200u(&server, options).await;
            ftp::roundtrip(&modem, &server, &[0, 1024, 1 << 20]).await;
        }
        let modem = ec200u(&server, ModemOptions::default()).await;
        ftp::missing_file(&modem, &server).await;
        ftp::wrong_password(&modem, &server).await;
        ftp::unsupported_security(&modem).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec200u_ftp_resumes_cut_transfers_and_recovers_from_timeouts() {
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    let modem = ec200u(&cut, ModemOptions::default()).await;
    ftp::resume_get(&modem, &cut).await;
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    ftp::resume_put(&modem, &cut).await;
    let slow = FtpServer::start(server_options(FtpSecurity::Plain).with_faults(FtpFaults {
        delay: std::time::Duration::from_secs(2),
        ..FtpFaults::default()
    }))
    .await;
    let fast = FtpServer::start(server_options(FtpSecurity::Plain)).await;
    let modem = ec200u(&slow, ModemOptions::default()).await;
    ftp::timeout_then_recovery(&modem, &slow, &fast).await;
}

/// A SIM800 on an in-memory line, trusting `server`'s certificate, its bearer up.
async fn sim800(server: &FtpServer, options: ModemOptions) -> atspec_sim800::Modem {
    let mut module = Sim800Ftp::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls_config(cert.client_config());
    }
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let modem = atspec_sim800::Modem::new(host);
    let link = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(link.up);
    modem
}

const SIM800_URCS: &[&str] = &["+CREG: 1", "RDY", "+SAPBR 1: DEACT"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_ftp_roundtrips_in_every_security() {
    for security in [
        FtpSecurity::Plain,
        FtpSecurity::Explicit,
        FtpSecurity::Implicit,
    ] {
        let server = FtpServer::start(server_options(security)).await;
        for options in modes(SIM800_URCS) {
            let modem = sim800(&server, options).await;
            ftp::roundtrip(&modem, &server, &[0, 1024, 1 << 20]).await;
        }
        let modem = sim800(&server, ModemOptions::default()).await;
        ftp::missing_file(&modem, &server).await;
        ftp::wrong_password(&modem, &server).await;
        ftp::unsupported_security(&modem).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_ftp_resumes_cut_transfers_and_recovers_from_timeouts() {
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    let modem = sim800(&cut, ModemOptions::default()).await;
    ftp::resume_get(&modem, &cut).await;
    let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
    ftp::resume_put(&modem, &cut).await;
    let slow = FtpServer::start(server_options(FtpSecurity::Plain).with_faults(FtpFaults {
        delay: std::time::Duration::from_secs(2),
        ..FtpFaults::default()
    }))
    .await;
    let fast = FtpServer::start(server_options(FtpSecurity::Plain)).await;
    let modem = sim800(&slow, ModemOptions::default()).await;
    ftp::timeout_then_recovery(&modem, &slow, &fast).await;
}
