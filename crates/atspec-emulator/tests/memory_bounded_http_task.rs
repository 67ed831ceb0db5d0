//! A 64 MiB download through the HTTP task (ESP-AT, whose module prints the body in
//! pieces as it arrives) keeps the process's memory bounded: the task streams the
//! pieces into the caller's sink, which hashes them without keeping them. Its own
//! binary, so no other test's allocations raise the peak it measures.

mod memory_support;
mod tasks_support;

use atspec::task::{Http, HttpRequest};
use atspec_emulator::PayloadReader;
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::ModemOptions;
use memory_support::{HashingSink, assert_bounded, peak_rss_kib};
use sha2::{Digest, Sha256};

const SIZE: u64 = 64 * 1024 * 1024;
const SEED: u64 = 21;

/// The SHA-256 of the payload the server sends, computed in pieces.
fn payload_digest() -> Vec<u8> {
    use std::io::Read;
    let mut digest = Sha256::new();
    let mut reader = PayloadReader::new(SIZE, SEED);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        digest.update(&chunk[..n]);
    }
    digest.finalize().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_http_get_streams_in_bounded_memory() {
    let expected = payload_digest();
    let server = HttpServer::start().await;
    let modem = tasks_support::esp_at(ModemOptions::default()).await;

    let before = peak_rss_kib();
    let mut sink = HashingSink::default();
    let url = server.url(&format!("/bytes/{SIZE}?seed={SEED}"));
    let response = modem
        .request(HttpRequest::get(url), &mut sink)
        .await
        .unwrap();
    let after = peak_rss_kib();

    assert!(response.is_success(), "{response}");
    assert_eq!((response.received, sink.len), (SIZE, SIZE));
    assert_eq!(sink.finish(), expected, "every byte arrived, in order");
    assert_bounded(before, after, "a 64 MiB HTTP task download");
}
