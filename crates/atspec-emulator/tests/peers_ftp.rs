//! Every FTP modem against a real vsftpd, through the standing emulator and the task
//! layer: plain FTP, explicit FTPS and implicit FTPS, the FTPS servers with
//! `force_local_data_ssl` (transfers need `PBSZ 0` and `PROT P`); 0 B, 1 KiB and 1 MiB
//! round trips compared by SHA-256, resumed gets and puts, a wrong password and a
//! missing file. The modules check no certificate, as their SSL settings say by default;
//! `peers_tls.rs` has the settings that ask them to.
//!
//! Skipped with a message without vsftpd (see `peers_support`).

mod peers_support;

use atspec::task::{Ftp, FtpSecurity, LinkKind, Transfer};
use atspec_emulator::payload;
use atspec_emulator::serve::Vendor;
use peers_support::{FTP_USER, Vsftpd, linked, sha, standing};

/// Put, size, get and delete of 0 B, 1 KiB and 1 MiB: vsftpd holds the bytes put, the
/// get returns them.
async fn roundtrip<M: Ftp + Sync>(modem: &M, server: &Vsftpd) {
    let login = server.login();
    for size in [0, 1024, 1 << 20] {
        let name = format!("t{size}.bin");
        let data = payload(size, size as u64 + 11);
        let sent = modem
            .ftp_put(&login, &name, &mut &data[..], size as u64, Transfer::new())
            .await
            .unwrap_or_else(|e| panic!("{}: put {size} B: {e}", M::NAME));
        assert_eq!(sent, size as u64);
        let on_disk = std::fs::read(server.root().join(&name)).unwrap();
        assert_eq!(sha(&on_disk), sha(&data), "{}: {size} B on vsftpd", M::NAME);
        if M::FTP.size {
            let reported = modem.ftp_size(&login, &name).await.unwrap();
            assert_eq!(reported, size as u64, "{}: size of {name}", M::NAME);
        }
        let mut back = Vec::new();
        let got = modem
            .ftp_get(&login, &name, &mut back, Transfer::new())
            .await
            .unwrap_or_else(|e| panic!("{}: get {size} B: {e}", M::NAME));
        assert_eq!(got, size as u64);
        assert_eq!(sha(&back), sha(&data), "{}: {size} B back", M::NAME);
        if M::FTP.delete {
            modem.ftp_delete(&login, &name).await.unwrap();
            assert!(!server.root().join(&name).exists(), "{name} deleted");
        }
    }
}

/// A get from an offset brings the rest of the file; a put from an offset completes
/// a file the server holds the start of.
async fn resume<M: Ftp + Sync>(modem: &M, server: &Vsftpd) {
    let login = server.login();
    let data = payload(150_000, 21);
    if M::FTP.resume_get {
        server.put_file("resume.bin", &data);
        let mut rest = Vec::new();
        let got = modem
            .ftp_get(
                &login,
                "resume.bin",
                &mut rest,
                Transfer::new().from_offset(100_000),
            )
            .await
            .unwrap_or_else(|e| panic!("{}: get from 100000: {e}", M::NAME));
        assert_eq!(got, 50_000);
        assert_eq!(sha(&rest), sha(&data[100_000..]), "{}: the rest", M::NAME);
    }
    if M::FTP.append_put {
        let start = &data[..60_000];
        modem
            .ftp_put(&login, "up.bin", &mut &start[..], 60_000, Transfer::new())
            .await
            .unwrap_or_else(|e| panic!("{}: put the start: {e}", M::NAME));
        let rest = &data[60_000..];
        modem
            .ftp_put(
                &login,
                "up.bin",
                &mut &rest[..],
                rest.len() as u64,
                Transfer::new().from_offset(60_000),
            )
            .await
            .unwrap_or_else(|e| panic!("{}: put from 60000: {e}", M::NAME));
        let whole = std::fs::read(server.root().join("up.bin")).unwrap();
        assert_eq!(sha(&whole), sha(&data), "{}: resumed put", M::NAME);
    }
}

/// A wrong password fails with the modem's code; a missing file fails the get with
/// the modem's code and writes nothing; the next operation works.
async fn failures<M: Ftp + Sync>(modem: &M, server: &Vsftpd) {
    let wrong = server.login().login(FTP_USER, "not-the-password");
    let mut sink = Vec::new();
    let error = modem
        .ftp_get(&wrong, "any.bin", &mut sink, Transfer::new())
        .await
        .unwrap_err();
    assert!(
        error.vendor_code().is_some(),
        "{}: a refused login carries the modem's code: {error}",
        M::NAME
    );
    let login = server.login();
    let error = modem
        .ftp_get(&login, "absent.bin", &mut sink, Transfer::new())
        .await
        .unwrap_err();
    assert_eq!(error.task, "ftp.get", "{error}");
    assert!(error.vendor_code().is_some(), "{}: {error}", M::NAME);
    assert!(sink.is_empty());
    let data = payload(100, 5);
    modem
        .ftp_put(&login, "after.bin", &mut &data[..], 100, Transfer::new())
        .await
        .unwrap_or_else(|e| panic!("{}: the operation after the failures: {e}", M::NAME));
    assert_eq!(
        std::fs::read(server.root().join("after.bin")).unwrap(),
        data
    );
}

/// One test per modem and security: a fresh vsftpd, a fresh standing emulator.
macro_rules! vsftpd_tests {
    ($($test:ident: $vendor:expr, $driver:path, $security:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let Some(server) = Vsftpd::start(stringify!($test), $security) else {
                return;
            };
            let serving = standing($vendor).await;
            let modem = linked(&serving, LinkKind::Cellular, $driver).await;
            roundtrip(&modem, &server).await;
            resume(&modem, &server).await;
            failures(&modem, &server).await;
        }
    )*};
}

vsftpd_tests! {
    sim800_ftp_with_vsftpd: Vendor::Sim800, atspec_sim800::Modem::new, FtpSecurity::Plain;
    sim800_explicit_ftps_with_vsftpd: Vendor::Sim800, atspec_sim800::Modem::new, FtpSecurity::Explicit;
    sim800_implicit_ftps_with_vsftpd: Vendor::Sim800, atspec_sim800::Modem::new, FtpSecurity::Implicit;
    a76xx_ftp_with_vsftpd: Vendor::A76xx, atspec_a76xx::Modem::new, FtpSecurity::Plain;
    a76xx_explicit_ftps_with_vsftpd: Vendor::A76xx, atspec_a76xx::Modem::new, FtpSecurity::Explicit;
    a76xx_implicit_ftps_with_vsftpd: Vendor::A76xx, atspec_a76xx::Modem::new, FtpSecurity::Implicit;
    ec200u_ftp_with_vsftpd: Vendor::Ec200u, atspec_ec200u::Modem::new, FtpSecurity::Plain;
    ec200u_explicit_ftps_with_vsftpd: Vendor::Ec200u, atspec_ec200u::Modem::new, FtpSecurity::Explicit;
    ec200u_implicit_ftps_with_vsftpd: Vendor::Ec200u, atspec_ec200u::Modem::new, FtpSecurity::Implicit;
}
