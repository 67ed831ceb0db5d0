//! A 64 MiB payload streamed through the client into a sink keeps the process's
//! memory bounded: the peak resident set grows by far less than the payload.
//!
//! Own test binary, so no other test's allocations blur the measurement.

use std::pin::Pin;
use std::task::{Context, Poll};

use atspec::{Client, Config};
use atspec_sim800::http::HttpreadExec;
use atspec_sim800::{DIALECT, Urc};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

const PAYLOAD: usize = 64 * 1024 * 1024;

/// Counts bytes and keeps a running checksum instead of storing them.
#[derive(Default)]
struct CountingSink {
    bytes: u64,
    checksum: u64,
}

impl AsyncWrite for CountingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        for &b in buf {
            self.checksum = self.checksum.wrapping_mul(31).wrapping_add(u64::from(b));
        }
        self.bytes += buf.len() as u64;
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
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The byte at `i` of the payload: every pattern a framer could trip over.
fn payload_byte(i: usize) -> u8 {
    const PATTERN: &[u8] =
        b"\r\nOK\r\n\r\nERROR\r\n+HTTPACTION: 0,200,5\r\n> DOWNLOAD\x1a\x03\x00\xff";
    PATTERN[i % PATTERN.len()] ^ ((i / PATTERN.len()) as u8 & 0x01)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_download_streams_in_bounded_memory() {
    let (host, mut modem) = tokio::io::duplex(64 * 1024);
    let modem_task = tokio::spawn(async move {
        let mut command = [0u8; 12];
        modem.read_exact(&mut command).await.unwrap();
        assert_eq!(&command, b"AT+HTTPREAD\r");
        modem
            .write_all(format!("\r\n+HTTPREAD: {PAYLOAD}\r\n").as_bytes())
            .await
            .unwrap();
        let mut chunk = vec![0u8; 32 * 1024];
        let mut sent = 0;
        while sent < PAYLOAD {
            let n = chunk.len().min(PAYLOAD - sent);
            for (k, b) in chunk[..n].iter_mut().enumerate() {
                *b = payload_byte(sent + k);
            }
            modem.write_all(&chunk[..n]).await.unwrap();
            sent += n;
        }
        modem.write_all(b"\r\nOK\r\n").await.unwrap();
        modem
    });

    let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
    let before = peak_rss_kib();
    let mut sink = CountingSink::default();
    let (header, bytes) = client
        .send_download(&HttpreadExec::new(), &mut sink)
        .await
        .unwrap();
    let after = peak_rss_kib();
    let _modem = modem_task.await.unwrap();

    assert_eq!(header.data_len as usize, PAYLOAD);
    assert_eq!((bytes, sink.bytes), (PAYLOAD as u64, PAYLOAD as u64));
    let expected = (0..PAYLOAD).fold(0u64, |c, i| {
        c.wrapping_mul(31).wrapping_add(u64::from(payload_byte(i)))
    });
    assert_eq!(sink.checksum, expected, "every byte arrived, in order");

    if let (Some(before), Some(after)) = (before, after) {
        let grown_mib = (after.saturating_sub(before)) / 1024;
        eprintln!(
            "peak RSS before {before} KiB, after {after} KiB: grew {grown_mib} MiB for a 64 MiB payload"
        );
        assert!(
            grown_mib < 16,
            "peak memory grew by {grown_mib} MiB while streaming 64 MiB"
        );
    }
}
