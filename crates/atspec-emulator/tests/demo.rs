//! The README's demo: every task passes on every modem that has it (FTP in each of
//! the modem's securities), and an injected fault is reported as a failure that says
//! which modem, task and step failed, with the vendor's code and its meaning.

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

/// The FTP checks: each modem with the FTP task, in each security it has.
fn ftp_checks() -> Vec<String> {
    let mut checks = Vec::new();
    for modem in ["SIM800", "A76XX", "EC200U"] {
        for security in ["FTP", "FTPS explicit", "FTPS implicit"] {
            for transfer in ["upload", "download"] {
                checks.push(format!("{modem} {security} {transfer} 4 KiB"));
            }
        }
    }
    checks
}

const HTTP_CHECKS: [&str; 4] = [
    "SIM800 HTTP GET 4 KiB",
    "SIM800 HTTP POST 4 KiB",
    "ESP-AT HTTP GET 4 KiB",
    "ESP-AT HTTP POST 4 KiB",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_passes_and_shows_every_vendor() {
    let (report, text) = run(None).await;
    assert!(report.passed(), "{text}");
    for line in [
        // SIM800 bearer, HTTP and FTP
        "<- +SAPBR: 1,1,\"10.0.0.2\"",
        "<- +HTTPACTION: 0,200,4096",
        "<- +FTPPUT: 1,0",
        // ESP-AT Wi-Fi and HTTP
        "<- WIFI GOT IP",
        "<- SEND OK",
        // A76XX PDP context, FTPS with explicit TLS (server type 2)
        "<- +CGACT: 1,1",
        "\"modem\",\"secret\",2",
        "<- +CFTPSGET: 0",
        // EC200U PDP context 1, FTP
        "<- +QIACT: 1,1,1,\"10.0.0.2\"",
        "<- +QFTPGET: 0,4096",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let mut checks: Vec<String> = [
        "SIM800 network (cellular, APN internet)",
        "ESP-AT network (Wi-Fi, SSID espressif)",
        "A76XX network (cellular, APN internet)",
        "EC200U network (cellular, APN UNINET)",
    ]
    .iter()
    .chain(&HTTP_CHECKS)
    .map(|c| c.to_string())
    .collect();
    checks.extend(ftp_checks());
    for check in &checks {
        assert!(
            text.contains(&format!("  ok    {check}: ")),
            "{check:?} in\n{text}"
        );
    }
    // Every transfer checked its bytes: the GETs and FTP transfers by their own
    // SHA-256, the POSTs by the one the server echoed.
    let digests = text
        .lines()
        .filter(|l| l.starts_with("  ok") && l.contains("sha256 "))
        .count();
    assert_eq!(digests, HTTP_CHECKS.len() + ftp_checks().len(), "{text}");
    // A progress line for each GET and each FTP transfer, ending at the whole file.
    let progress = text
        .lines()
        .filter(|l| l.starts_with("  .. progress") && l.contains("100% of 4096 bytes"))
        .count();
    assert_eq!(progress, 2 + ftp_checks().len(), "{text}");
    assert!(
        text.ends_with(&format!("{} checks, 0 failed\n", checks.len())),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_down_fails_the_http_checks() {
    let (report, text) = run(Some(Fault::HttpDown)).await;
    assert!(!report.passed());
    let failed = failures(&text);
    for (what, why) in [
        (
            "SIM800 HTTP GET",
            "sim800 http.request, step \"+HTTPACTION write\"",
        ),
        ("SIM800 HTTP GET", "the modem reported 601 (Network Error)"),
        ("SIM800 HTTP POST", "601 (Network Error)"),
        (
            "ESP-AT HTTP GET",
            "esp_at http.request, step \"+HTTPCLIENT write request\"",
        ),
        ("ESP-AT HTTP GET", "ERR CODE 0x010a7000: "),
        ("ESP-AT HTTP POST", "SEND FAIL (ERR CODE 0x010a7000: "),
    ] {
        assert!(
            failed.iter().any(|l| l.contains(what) && l.contains(why)),
            "{what}: {why} in\n{text}"
        );
    }
    assert_eq!(failed.len(), HTTP_CHECKS.len(), "{text}");
    assert!(failed.iter().all(|l| l.contains("HTTP")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_ftp_logins_fail_the_ftp_checks_with_the_vendor_codes() {
    let (report, text) = run(Some(Fault::FtpRefuseLogin)).await;
    assert!(!report.passed());
    let failed = failures(&text);
    for check in ftp_checks() {
        let (step, code) = match check.split(' ').next() {
            Some("SIM800") => ("+FTP", "the modem reported 72 (Password error.)"),
            Some("A76XX") => (
                "step \"+CFTPSLOGIN write\"",
                "the modem reported 9 (The server refused the operation.)",
            ),
            _ => (
                "step \"+QFTPOPEN write\"",
                "the modem reported 625 (Not logged in.), with 530 (Not logged in; \
                 the user name or password may be wrong.)",
            ),
        };
        assert!(
            failed
                .iter()
                .any(|l| l.starts_with(&format!("  FAIL  {check}: "))
                    && l.contains(step)
                    && l.contains(code)),
            "{check}: {step} {code} in\n{text}"
        );
    }
    assert_eq!(failed.len(), ftp_checks().len(), "{text}");
    // The spec's table names stay inside: the meanings speak.
    assert!(
        failed
            .iter()
            .all(|l| !l.contains("ftps_result") && !l.contains("ftp_error")),
        "{text}"
    );
}
