//! The README's demo: every vendor's checks pass, and an injected fault is reported as
//! a failure that says what went wrong.

use atspec_emulator::demo::{self, Fault};

async fn run(fault: Option<Fault>) -> (demo::Report, String) {
    let mut out = Vec::new();
    let report = demo::run(fault, &mut out).await.unwrap();
    (report, String::from_utf8(out).unwrap())
}

/// The failed checks' lines.
fn failures(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("  FAIL")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_passes_and_shows_every_vendor() {
    let (report, text) = run(None).await;
    assert!(report.passed(), "{text}");
    for line in [
        // SIM800 HTTP
        "<- +HTTPACTION: 0,200,1024",
        // SIM800 FTP
        "<- +FTPPUT: 1,0",
        // ESP-AT HTTP
        "<- SEND OK",
        // A76XX FTPS
        "<- +CFTPSGET: 0",
        // EC200U FTP
        "<- +QFTPGET: 0,1024",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    for check in [
        "ok    SIM800 HTTP GET 1 KiB",
        "ok    SIM800 HTTP POST 1 KiB",
        "ok    SIM800 FTP upload 1 KiB",
        "ok    SIM800 FTP download 1 KiB",
        "ok    ESP-AT HTTP GET 1 KiB",
        "ok    ESP-AT HTTP POST 1 KiB",
        "ok    A76XX FTPS upload 1 KiB",
        "ok    A76XX FTPS download 1 KiB",
        "ok    EC200U FTP upload 1 KiB",
        "ok    EC200U FTP download 1 KiB",
    ] {
        assert!(text.contains(check), "{check:?} in\n{text}");
    }
    assert!(text.contains(" checks, 0 failed"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_down_fails_the_http_checks() {
    let (report, text) = run(Some(Fault::HttpDown)).await;
    assert!(!report.passed());
    let failed = failures(&text);
    for (what, code) in [
        ("SIM800 HTTP GET", "601 (Network Error)"),
        ("ESP-AT HTTP GET", "ERR CODE 0x010a7000: "),
        ("ESP-AT HTTP POST", "SEND FAIL (ERR CODE 0x010a7000: "),
    ] {
        assert!(
            failed.iter().any(|l| l.contains(what) && l.contains(code)),
            "{what}: {code} in\n{text}"
        );
    }
    assert!(failed.iter().all(|l| l.contains("HTTP")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_ftp_logins_fail_the_ftp_checks_with_the_vendor_codes() {
    let (report, text) = run(Some(Fault::FtpRefuseLogin)).await;
    assert!(!report.passed());
    let failed = failures(&text);
    for (what, code) in [
        ("SIM800 FTP upload", "72 (Password error.)"),
        ("SIM800 FTP download", "72 (Password error.)"),
        ("A76XX FTPS upload", "ftps_result 9"),
        ("A76XX FTPS download", "ftps_result 9"),
        ("EC200U FTP upload", "ftp_error 625"),
        ("EC200U FTP download", "ftp_error 625"),
    ] {
        assert!(
            failed.iter().any(|l| l.contains(what) && l.contains(code)),
            "{what}: {code} in\n{text}"
        );
    }
    assert!(failed.iter().all(|l| l.contains("FTP")), "{text}");
}
