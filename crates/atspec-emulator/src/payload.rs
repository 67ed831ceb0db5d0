//! Deterministic pseudo-random test payloads.
//!
//! Byte `i` of the payload for `seed` depends only on `(seed, i)`, so any window of a
//! payload can be produced without the bytes before it: the HTTP backend streams
//! `/bytes/{n}` bodies of any size in constant memory, a test checks a download resumed
//! from an offset against the same window, and an upload can be generated on the fly.
//!
//! The generator is SplitMix64 indexed by 8-byte block: block `k` is the SplitMix64 output
//! for the state `seed + (k + 1) * 0x9E37_79B9_7F4A_7C15`, written little-endian. It is not
//! cryptographic; it only has to be reproducible and look like binary data (every byte
//! value, including CR, LF and NUL, occurs).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The 8 payload bytes of block `index` (bytes `8 * index .. 8 * index + 8`).
fn block(seed: u64, index: u64) -> [u8; 8] {
    let mut z = seed.wrapping_add(index.wrapping_add(1).wrapping_mul(GOLDEN_GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).to_le_bytes()
}

/// Fills `buf` with the payload bytes for `seed` starting at byte `offset`.
///
/// `fill_payload(seed, o, &mut b)` writes exactly what `payload(o + b.len(), seed)[o..]`
/// would hold.
pub fn fill_payload(seed: u64, offset: u64, buf: &mut [u8]) {
    let mut pos = offset;
    let mut out = 0;
    while out < buf.len() {
        let bytes = block(seed, pos / 8);
        let start = (pos % 8) as usize;
        let take = (8 - start).min(buf.len() - out);
        buf[out..out + take].copy_from_slice(&bytes[start..start + take]);
        out += take;
        pos += take as u64;
    }
}

/// The first `len` payload bytes for `seed`.
///
/// ```
/// let a = atspec_emulator::payload(1000, 7);
/// assert_eq!(a, atspec_emulator::payload(1000, 7));
/// assert_ne!(a, atspec_emulator::payload(1000, 8));
/// assert_eq!(&a[..10], &atspec_emulator::payload(10, 7)[..]);
/// ```
pub fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut buf = vec![0; len];
    fill_payload(seed, 0, &mut buf);
    buf
}

/// An [`AsyncRead`] over payload bytes `offset .. offset + len` for a seed, in constant
/// memory: the source for uploads of any size.
#[derive(Debug, Clone)]
pub struct PayloadReader {
    seed: u64,
    pos: u64,
    end: u64,
}

impl PayloadReader {
    /// A reader of the first `len` payload bytes for `seed`.
    pub fn new(len: u64, seed: u64) -> Self {
        Self::window(0, len, seed)
    }

    /// A reader of `len` payload bytes for `seed`, starting at byte `offset`.
    pub fn window(offset: u64, len: u64, seed: u64) -> Self {
        Self {
            seed,
            pos: offset,
            end: offset.saturating_add(len),
        }
    }

    /// How many bytes are left to read.
    pub fn remaining(&self) -> u64 {
        self.end - self.pos
    }

    /// Fills as much of `buf` as is left and returns how many bytes were written.
    pub fn read_into(&mut self, buf: &mut [u8]) -> usize {
        let n = usize::try_from(self.remaining()).map_or(buf.len(), |left| left.min(buf.len()));
        fill_payload(self.seed, self.pos, &mut buf[..n]);
        self.pos += n as u64;
        n
    }
}

impl io::Read for PayloadReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.read_into(buf))
    }
}

impl AsyncRead for PayloadReader {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let n = this.read_into(buf.initialize_unfilled());
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_match_the_whole() {
        let whole = payload(100, 42);
        for offset in 0..20 {
            for len in 0..20 {
                let mut part = vec![0; len];
                fill_payload(42, offset as u64, &mut part);
                assert_eq!(part, whole[offset..offset + len]);
            }
        }
    }

    #[test]
    fn every_byte_value_occurs() {
        let data = payload(64 * 1024, 1);
        let mut seen = [false; 256];
        for b in data {
            seen[usize::from(b)] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn reader_yields_the_window() {
        let mut reader = PayloadReader::window(5, 17, 3);
        let mut out = Vec::new();
        io::Read::read_to_end(&mut reader, &mut out).unwrap();
        assert_eq!(out, payload(22, 3)[5..]);
        assert_eq!(reader.remaining(), 0);
    }
}
