//! A 64 MiB FTP download through the emulated A76xx keeps the process's memory
//! bounded: client, runtime and emulator all stream.

mod memory_support;

use atspec::{Client, Config};
use atspec_a76xx::ftps::{CftpsgetStreamWrite, CftpsloginWrite, CftpsstartExec, ServerType};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use memory_support::{HashingSink, assert_bounded, peak_rss_kib, write_payload_file};

const SIZE: u64 = 64 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_ftp_download_streams_in_bounded_memory() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let expected = write_payload_file(&server.root().join("big.bin"), SIZE);
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(A76xx::new(), modem_side, ModemOptions::default());
    let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
    client.send_deferred(&CftpsstartExec::new()).await.unwrap();
    let login = CftpsloginWrite::new(
        "127.0.0.1",
        server.port(),
        server.user(),
        server.password(),
        Some(ServerType::from_code(0)),
    )
    .unwrap();
    client.send_deferred(&login).await.unwrap();

    let before = peak_rss_kib();
    let mut sink = HashingSink::default();
    let (_, _, bytes) = client
        .send_deferred_download(
            &CftpsgetStreamWrite::new("big.bin", None).unwrap(),
            &mut sink,
        )
        .await
        .unwrap();
    let after = peak_rss_kib();

    assert_eq!((bytes, sink.len), (SIZE, SIZE));
    assert_eq!(sink.finish(), expected, "every byte arrived, in order");
    assert_bounded(before, after, "a 64 MiB download");
}
