//! The README's demo: every check passes, and an injected fault is reported as a
//! failure that says what went wrong.

use atspec_emulator::demo::{self, Fault};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_passes_and_shows_its_transcript() {
    let mut out = Vec::new();
    let report = demo::run(None, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(report.passed(), "{text}");
    assert!(
        text.contains("-> AT+HTTPACTION=0") && text.contains("<- +HTTPACTION: 0,200,1024"),
        "{text}"
    );
    assert!(text.contains("0 failed"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_injected_fault_fails_clearly() {
    let mut out = Vec::new();
    let report = demo::run(Some(Fault::HttpDown), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!report.passed());
    assert!(
        text.contains("FAIL") && text.contains("601 (Network Error)"),
        "{text}"
    );
}
