//! What the memory-bound tests share: a large file written in pieces, a sink that hashes
//! instead of keeping, and the process's peak resident set. Each such test is its own
//! binary, so no other test's allocations blur the measurement.

use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use atspec_emulator::PayloadReader;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWrite;

/// Most the peak resident set may grow while 64 MiB stream through: a fraction of the
/// file, so keeping it whole anywhere fails.
pub const GROWTH_LIMIT_MIB: u64 = 24;

/// Writes `size` payload bytes to `path` in pieces; their SHA-256.
#[allow(dead_code)] // The downloads from a server that makes its payload write no file.
pub fn write_payload_file(path: &Path, size: u64) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut digest = Sha256::new();
    let mut file = std::fs::File::create(path).unwrap();
    let mut reader = PayloadReader::new(size, 64);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        digest.update(&chunk[..n]);
        file.write_all(&chunk[..n]).unwrap();
    }
    digest.finalize().to_vec()
}

/// Hashes what it is given instead of keeping it.
#[derive(Default)]
pub struct HashingSink {
    digest: Sha256,
    /// Bytes taken so far.
    pub len: u64,
}

impl HashingSink {
    /// The SHA-256 of everything taken.
    pub fn finish(self) -> Vec<u8> {
        self.digest.finalize().to_vec()
    }
}

impl AsyncWrite for HashingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.digest.update(buf);
        self.len += buf.len() as u64;
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
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Asserts the peak resident set grew less than [`GROWTH_LIMIT_MIB`] between two
/// readings (skipped where `/proc` is not there).
pub fn assert_bounded(before: Option<u64>, after: Option<u64>, what: &str) {
    if let (Some(before), Some(after)) = (before, after) {
        let grown_mib = after.saturating_sub(before) / 1024;
        eprintln!(
            "peak RSS before {before} KiB, after {after} KiB: grew {grown_mib} MiB for {what}"
        );
        assert!(
            grown_mib < GROWTH_LIMIT_MIB,
            "peak memory grew by {grown_mib} MiB for {what}"
        );
    }
}
