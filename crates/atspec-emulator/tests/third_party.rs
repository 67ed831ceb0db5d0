//! Published Python modem libraries against the standing emulator on a pseudo-terminal,
//! as their users run them: gsmHat's HTTP GET on a SIM808, Adafruit's ESP_ATcontrol
//! start-up and Wi-Fi join (and an HTTP GET through its command layer) on an ESP-AT
//! module. The harness is `third_party/clients.py`; the board modules the libraries
//! import are the stand-ins in `third_party/stubs`.
//!
//! The interpreter is `ATSPEC_PYTHON` (what `.ci/clients.sh` prints), else the
//! environment that script makes under `target/`, else `python3`. When it lacks the
//! libraries the tests say so and pass, unless `ATSPEC_REQUIRE_PEERS=1` (CI), where they
//! fail.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::modems::cellular::NetworkOptions;
use atspec_emulator::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID};
use atspec_emulator::serve::{Listen, ServeOptions, Serving, Vendor, start};
use serde_json::Value;

/// Longer than the harness's own deadline (40 s), so that it reports what went wrong.
const RUN_LIMIT: Duration = Duration::from_secs(90);

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/third_party")
}

fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("ATSPEC_PYTHON") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let venv = target.join("third-party-clients/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// Runs the harness with `args`; its JSON report, or why there is none.
async fn run(args: &[&str]) -> Result<Value, String> {
    let python = python();
    let child = tokio::process::Command::new(&python)
        .arg(harness().join("clients.py"))
        .args(args)
        .env("PYTHONPATH", harness().join("stubs"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let done = tokio::time::timeout(RUN_LIMIT, child.wait_with_output())
        .await
        .map_err(|_| format!("`clients.py {}` ran over {RUN_LIMIT:?}", args[0]))?
        .map_err(|e| format!("waiting for {}: {e}", python.display()))?;
    let stdout = String::from_utf8_lossy(&done.stdout);
    let stderr = String::from_utf8_lossy(&done.stderr);
    if !done.status.success() {
        return Err(format!(
            "`clients.py {}` failed ({}):\n{stderr}{stdout}",
            args[0], done.status
        ));
    }
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("no JSON report ({e}):\n{stdout}{stderr}"))
}

/// Whether the libraries are installed; when not, a skip (or, in CI, a failure).
async fn libraries_installed() -> bool {
    let Err(why) = run(&["check"]).await else {
        return true;
    };
    let hint = "run .ci/clients.sh and set ATSPEC_PYTHON to the interpreter it prints";
    if std::env::var("ATSPEC_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("ATSPEC_REQUIRE_PEERS=1 but the third-party clients are missing: {why}\n{hint}");
    }
    eprintln!("skipping the third-party client test: {why}\n({hint})");
    false
}

async fn standing(vendor: Vendor) -> Serving {
    start(ServeOptions {
        vendor,
        listen: Listen::Pty,
        // Both modules echo by default; the libraries cope with it.
        modem: ModemOptions {
            echo: true,
            ..ModemOptions::default()
        },
        ftp_tls: FtpTls::Plain,
        network: NetworkOptions::default(),
        fault: None,
    })
    .await
    .unwrap()
}

/// The standing emulator of `vendor` on a pseudo-terminal, the query only this run's
/// request for `client` carries, and the URL with it; `None` when the test is skipped.
async fn prepared(vendor: Vendor, client: &str) -> Option<(Serving, String, String)> {
    if !libraries_installed().await {
        return None;
    }
    let serving = standing(vendor).await;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let query = format!("client={client}&n={}-{nanos}", std::process::id());
    let url = serving.http().url(&format!("/get?{query}"));
    Some((serving, query, url))
}

/// The server's JSON echo of the request, as the library handed it over.
fn echoed(report: &Value) -> Value {
    let body = report["body"].as_str().expect("the report has the body");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("the body is the echo ({e}): {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gsmhat_gets_a_page_through_a_sim808() {
    let Some((serving, query, url)) = prepared(Vendor::Sim808, "gsmhat").await else {
        return;
    };
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("gsmhat.log");
    let report = run(&["gsmhat", serving.modem_at(), &url, log.to_str().unwrap()])
        .await
        .unwrap_or_else(|why| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("{why}\ngsmHat's log:\n{log}")
        });
    let echo = echoed(&report);
    assert_eq!(echo["method"], "GET", "{report}");
    assert_eq!(echo["path"], "/get", "{report}");
    assert_eq!(echo["query"], query, "{report}");
    assert_eq!(
        report["power_key_presses"], 0,
        "gsmHat restarted the module"
    );
    // The receiver runs (gsmHat powers it on) but has no fix.
    assert_eq!(report["gnss_fix"], 0, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_atcontrol_joins_the_access_point_and_gets_a_page() {
    let Some((serving, query, url)) = prepared(Vendor::EspAt, "esp-atcontrol").await else {
        return;
    };
    let report = run(&[
        "esp-at",
        serving.modem_at(),
        &url,
        DEFAULT_SSID,
        DEFAULT_PASSWORD,
    ])
    .await
    .unwrap_or_else(|why| panic!("{why}"));
    assert_eq!(report["connected"], true, "{report}");
    // ESP_ATcontrol's STATUS_APCONNECTED, derived from AT+CWSTATE? and AT+CIPSTATE?.
    assert_eq!(report["status"], 2, "{report}");
    assert_eq!(report["ip"], "192.168.3.112", "{report}");
    assert!(
        report["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("AT version:")),
        "{report}"
    );
    let echo = echoed(&report);
    assert_eq!(echo["method"], "GET", "{report}");
    assert_eq!(echo["query"], query, "{report}");
}
