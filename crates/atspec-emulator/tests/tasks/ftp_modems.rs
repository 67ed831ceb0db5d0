//! The FTP task tests instantiated for every modem with an FTP task.

use atspec::task::{FtpSecurity, Link, Network};
use atspec_emulator::backend::ftp::{FtpFaults, FtpServer};
use atspec_emulator::modem::{self, Behaviour, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::sim800_ftp::Sim800Ftp;

use super::ftp::{self, cutting, server_options};
use super::ftp_dirs;
use super::tasks_support::modes;

/// `module` on an in-memory line, driven by the modem `driver` makes, its network
/// up (the step before any FTP command).
async fn link_up<B: Behaviour, M: Network + Sync>(
    module: B,
    options: ModemOptions,
    driver: fn(tokio::io::DuplexStream) -> M,
) -> M {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let modem = driver(host);
    let link = modem
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(link.up);
    modem
}

/// An A76XX trusting `server`'s certificate.
async fn a76xx(server: &FtpServer, options: ModemOptions) -> atspec_a76xx::Modem {
    let mut module = A76xx::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls(cert.client_config());
    }
    link_up(module, options, atspec_a76xx::Modem::new).await
}

/// An EC200U trusting `server`'s certificate.
async fn ec200u(server: &FtpServer, options: ModemOptions) -> atspec_ec200u::Modem {
    let mut module = Ec200u::new();
    if let Some(cert) = server.certificate() {
        module = module.trusting(cert.client_config());
    }
    link_up(module, options, atspec_ec200u::Modem::new).await
}

/// A SIM800 trusting `server`'s certificate.
async fn sim800(server: &FtpServer, options: ModemOptions) -> atspec_sim800::Modem {
    let mut module = Sim800Ftp::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls_config(cert.client_config());
    }
    link_up(module, options, atspec_sim800::Modem::new).await
}

/// The three tests of one modem: round trips and failures in every security;
/// resumed transfers and a timeout on plain FTP; directory operations under the
/// realism modes.
macro_rules! ftp_tests {
    ($roundtrips:ident, $resumes:ident, $dirs:ident, $modem:ident, $urcs:expr, $declared:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $roundtrips() {
            for security in [
                FtpSecurity::Plain,
                FtpSecurity::Explicit,
                FtpSecurity::Implicit,
            ] {
                let server = FtpServer::start(server_options(security)).await;
                for options in modes($urcs) {
                    let modem = $modem(&server, options).await;
                    ftp::roundtrip(&modem, &server, &[0, 1024, 1 << 20]).await;
                }
                let modem = $modem(&server, ModemOptions::default()).await;
                ftp::missing_file(&modem, &server).await;
                ftp::wrong_password(&modem, &server).await;
                ftp::unsupported_security(&modem).await;
                if security == FtpSecurity::Plain {
                    ftp::unreachable_servers(&modem, &server).await;
                }
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $resumes() {
            // Each server cuts its first transfer only.
            let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
            let modem = $modem(&cut, ModemOptions::default()).await;
            ftp::resume_get(&modem, &cut).await;
            let cut = FtpServer::start(cutting(FtpSecurity::Plain, 40_000, 1)).await;
            ftp::resume_put(&modem, &cut).await;
            let slow =
                FtpServer::start(server_options(FtpSecurity::Plain).with_faults(FtpFaults {
                    delay: std::time::Duration::from_secs(2),
                    ..FtpFaults::default()
                }))
                .await;
            let fast = FtpServer::start(server_options(FtpSecurity::Plain)).await;
            let modem = $modem(&slow, ModemOptions::default()).await;
            ftp::timeout_then_recovery(&modem, &slow, &fast).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $dirs() {
            let server = FtpServer::start(server_options(FtpSecurity::Plain)).await;
            for (round, options) in modes($urcs).into_iter().enumerate() {
                let modem = $modem(&server, options).await;
                let dir = format!("listed{round}");
                ftp_dirs::populate(&server, &dir);
                ftp_dirs::listing(&modem, &server, &dir).await;
            }
            let modem = $modem(&server, ModemOptions::default()).await;
            ftp_dirs::directories(&modem, &server, $declared).await;
            ftp_dirs::missing_directory(&modem, &server).await;
            ftp_dirs::listing_over_the_limit(&modem, &server).await;
        }
    };
}

ftp_tests!(
    a76xx_ftp_roundtrips_in_every_security,
    a76xx_ftp_resumes_cut_transfers_and_recovers_from_timeouts,
    a76xx_ftp_lists_and_manages_directories,
    a76xx,
    &["+CREG: 1", "RDY", "+CPIN: READY"],
    ftp_dirs::Declared {
        rename: false,
        pwd: false
    }
);
ftp_tests!(
    ec200u_ftp_roundtrips_in_every_security,
    ec200u_ftp_resumes_cut_transfers_and_recovers_from_timeouts,
    ec200u_ftp_lists_renames_and_manages_directories,
    ec200u,
    &["+CREG: 1", "RDY", "+QIURC: \"pdpdeact\",2"],
    ftp_dirs::Declared {
        rename: true,
        pwd: true
    }
);
ftp_tests!(
    sim800_ftp_roundtrips_in_every_security,
    sim800_ftp_resumes_cut_transfers_and_recovers_from_timeouts,
    sim800_ftp_lists_and_manages_directories,
    sim800,
    &["+CREG: 1", "RDY", "+SAPBR 1: DEACT"],
    ftp_dirs::Declared {
        rename: false,
        pwd: false
    }
);
