//! A 64 MiB FTP download through the emulated A76xx keeps the process's memory
//! bounded: client, runtime and emulator all stream. Own test binary, so no other
//! test's allocations blur the measurement.

use std::pin::Pin;
use std::task::{Context, Poll};

use atspec::{Client, Config};
use atspec_a76xx::ftps::{CftpsgetStream, Cftpslogin, Cftpsstart, ServerType};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::PayloadReader;
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::vendor::a76xx::A76xx;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWrite;

const SIZE: u64 = 64 * 1024 * 1024;

/// Hashes what it is given instead of keeping it.
struct HashingSink(Sha256, u64);

impl AsyncWrite for HashingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.0.update(buf);
        self.1 += buf.len() as u64;
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Peak resident set size of this process in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_ftp_download_streams_in_bounded_memory() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    // The file is written in pieces, and its hash computed the same way.
    let mut expected = Sha256::new();
    {
        use std::io::{Read, Write};
        let mut file = std::fs::File::create(server.root().join("big.bin")).unwrap();
        let mut reader = PayloadReader::new(SIZE, 64);
        let mut chunk = vec![0u8; 1 << 16];
        loop {
            let n = reader.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            expected.update(&chunk[..n]);
            file.write_all(&chunk[..n]).unwrap();
        }
    }
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(A76xx::new(), modem_side, ModemOptions::default());
    let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
    client
        .send_deferred(&Cftpsstart::new().unwrap())
        .await
        .unwrap();
    let login = Cftpslogin::new(
        "127.0.0.1",
        server.port(),
        server.user(),
        server.password(),
        Some(ServerType::from_code(0)),
    )
    .unwrap();
    client.send_deferred(&login).await.unwrap();

    let before = peak_rss_kib();
    let mut sink = HashingSink(Sha256::new(), 0);
    let (_, _, bytes) = client
        .send_deferred_download(&CftpsgetStream::new("big.bin", None).unwrap(), &mut sink)
        .await
        .unwrap();
    let after = peak_rss_kib();

    assert_eq!((bytes, sink.1), (SIZE, SIZE));
    assert_eq!(
        sink.0.finalize(),
        expected.finalize(),
        "every byte arrived, in order"
    );
    if let (Some(before), Some(after)) = (before, after) {
        let grown_mib = after.saturating_sub(before) / 1024;
        eprintln!(
            "peak RSS before {before} KiB, after {after} KiB: grew {grown_mib} MiB for a 64 MiB download"
        );
        assert!(
            grown_mib < 24,
            "peak memory grew by {grown_mib} MiB while downloading 64 MiB"
        );
    }
}
