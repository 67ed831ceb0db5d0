//! A 64 MiB download in data mode (EC200U AT+QFTPGET to the port: `CONNECT`, the raw
//! bytes, `OK` and the result line) keeps the process's memory bounded: the runtime
//! streams data mode into the sink and the emulated port waits for the host.

mod ec200u_common;
mod memory_support;

use atspec_ec200u::ftp::QftpgetToPortWrite;
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use ec200u_common::{logged_in, plain};
use memory_support::{HashingSink, assert_bounded, peak_rss_kib, write_payload_file};

const SIZE: u64 = 64 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_data_mode_download_streams_in_bounded_memory() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let expected = write_payload_file(&server.root().join("big.bin"), SIZE);
    let client = logged_in(&server, plain(), 0).await;

    let before = peak_rss_kib();
    let mut sink = HashingSink::default();
    let command = QftpgetToPortWrite::new("big.bin", None, None).unwrap();
    let (_, done, bytes) = client
        .send_deferred_download(&command, &mut sink)
        .await
        .unwrap();
    let after = peak_rss_kib();

    assert_eq!(
        (u64::from(done.transferlen), bytes, sink.len),
        (SIZE, SIZE, SIZE)
    );
    assert_eq!(sink.finish(), expected, "every byte arrived, in order");
    assert_bounded(before, after, "a 64 MiB data-mode download");
}
