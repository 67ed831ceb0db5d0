//! Certificate checks as the modules' SSL settings ask for them, against a real vsftpd
//! (implicit FTPS, `force_local_data_ssl`) with a certificate made at run time: the
//! settings are sent through the generated drivers, the transfers through the task
//! layer, on the standing emulator.
//!
//! By default a module checks nothing and reaches the server. Asked to verify with no CA
//! file of its own, it checks against the emulator's CA and refuses vsftpd; with the
//! server's certificate loaded by the vendor's command (EC200U AT+QFUPL, A76XX
//! AT+CCERTDOWN) it reaches it again; with another certificate it refuses it.
//!
//! Skipped with a message without vsftpd (see `peers_support`).

mod peers_support;

use atspec::task::{Ftp, FtpSecurity, LinkKind, TaskError, Transfer};
use atspec_emulator::payload;
use atspec_emulator::serve::Vendor;
use atspec_emulator::tls::TestCertificate;
use peers_support::{Vsftpd, linked, sha, standing};

/// A get of the server's `probe.bin` through the task layer.
async fn probe<M: Ftp + Sync>(modem: &M, server: &Vsftpd) -> Result<(), TaskError> {
    let data = payload(4096, 3);
    server.put_file("probe.bin", &data);
    let mut back = Vec::new();
    modem
        .ftp_get(&server.login(), "probe.bin", &mut back, Transfer::new())
        .await?;
    assert_eq!(sha(&back), sha(&data), "{}: the probe's bytes", M::NAME);
    Ok(())
}

/// The probe fails with the modem's code `code`.
async fn refused<M: Ftp + Sync>(modem: &M, server: &Vsftpd, code: &str, why: &str) {
    let error = probe(modem, server).await.unwrap_err();
    let vendor = error.vendor_code().map(|(c, _)| c);
    assert_eq!(vendor.as_deref(), Some(code), "{}: {why}: {error}", M::NAME);
}

/// A module's SSL settings, sent through its generated driver.
trait SslSettings: Ftp + Sync {
    /// The code the modem reports for a server it refuses to trust.
    const REFUSED: &'static str;
    /// Turns server verification on or off for the FTP task's connections.
    async fn verify(&self, on: bool);
    /// Loads `pem` into the module as `name` and names it the CA file.
    async fn ca_file(&self, name: &str, pem: &str);
}

impl SslSettings for atspec_ec200u::Modem {
    const REFUSED: &'static str = "631";

    async fn verify(&self, on: bool) {
        use atspec_ec200u::support::{QsslcfgSecLevelWrite, SslSecLevel};
        let level = match on {
            true => SslSecLevel::VerifyServer,
            false => SslSecLevel::NoAuthentication,
        };
        // The FTP task uses SSL context 1.
        let command = QsslcfgSecLevelWrite::new(1, level).unwrap();
        self.client().send(&command).await.unwrap();
    }

    async fn ca_file(&self, name: &str, pem: &str) {
        use atspec_ec200u::support::{QfuplWrite, QsslcfgCaCertWrite};
        let path = format!("UFS:{name}");
        let upload = QfuplWrite::new(&path, pem.len() as u32, None, None).unwrap();
        let at = self.client();
        at.send_upload(&upload, &mut pem.as_bytes()).await.unwrap();
        let command = QsslcfgCaCertWrite::new(1, &path).unwrap();
        at.send(&command).await.unwrap();
    }
}

impl SslSettings for atspec_a76xx::Modem {
    const REFUSED: &'static str = "1";

    async fn verify(&self, on: bool) {
        use atspec_a76xx::ssl::{AuthMode, CsslcfgAuthModeWrite};
        let mode = match on {
            true => AuthMode::Server,
            false => AuthMode::None,
        };
        // Without AT+CFTPSSLCFG the FTPS connections use context 0.
        let command = CsslcfgAuthModeWrite::new(0, mode).unwrap();
        self.client().send(&command).await.unwrap();
    }

    async fn ca_file(&self, name: &str, pem: &str) {
        use atspec_a76xx::ssl::{CcertdownWrite, CsslcfgCaCertWrite, CsslcfgContextQueryWrite};
        let download = CcertdownWrite::new(name, pem.len() as u16).unwrap();
        let at = self.client();
        at.send_upload(&download, &mut pem.as_bytes())
            .await
            .unwrap();
        at.send(&CsslcfgCaCertWrite::new(0, name).unwrap())
            .await
            .unwrap();
        let settings = at
            .send(&CsslcfgContextQueryWrite::new(0).unwrap())
            .await
            .unwrap();
        assert_eq!(settings.ca_file, name, "the context reports its CA file");
    }
}

/// The sequence of every module: nothing checked by default; the emulator's CA, then
/// the server's certificate, then another one, once verification is asked for.
async fn as_the_settings_say<M: SslSettings>(modem: &M, server: &Vsftpd) {
    probe(modem, server)
        .await
        .expect("the default settings check nothing");

    modem.verify(true).await;
    refused(modem, server, M::REFUSED, "no CA file: the emulator's CA").await;

    modem
        .ca_file("peer.pem", server.certificate().cert_pem())
        .await;
    probe(modem, server)
        .await
        .expect("the server's certificate as the CA file");

    let other = TestCertificate::generate();
    modem.ca_file("other.pem", other.cert_pem()).await;
    refused(modem, server, M::REFUSED, "another CA file").await;

    modem.verify(false).await;
    probe(modem, server).await.expect("no verification again");
}

macro_rules! tls_tests {
    ($($test:ident: $vendor:expr, $driver:path;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let Some(server) = Vsftpd::start(stringify!($test), FtpSecurity::Implicit) else {
                return;
            };
            let serving = standing($vendor).await;
            let modem = linked(&serving, LinkKind::Cellular, $driver).await;
            as_the_settings_say(&modem, &server).await;
        }
    )*};
}

tls_tests! {
    ec200u_checks_vsftpd_as_its_ssl_context_says: Vendor::Ec200u, atspec_ec200u::Modem::new;
    a76xx_checks_vsftpd_as_its_ssl_context_says: Vendor::A76xx, atspec_a76xx::Modem::new;
}
