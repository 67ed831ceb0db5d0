//! Offsets and sizes for tasks that read or write in pieces the modem allows.

use std::iter::FusedIterator;

/// One piece of a chunked transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Where the piece starts.
    pub offset: u64,
    /// Its length in bytes (at least 1).
    pub size: u64,
}

/// The pieces that cover `total` bytes from `start`, each at most `max` bytes long
/// and only the last one shorter. An iterator of [`Chunk`]s; no pieces when `total`
/// is 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunks {
    next: u64,
    end: u64,
    max: u64,
}

impl Chunks {
    /// The pieces of `total` bytes from offset `start`, at most `max` bytes each.
    /// `None` when `max` is 0 (no piece could make progress) or when the last byte's
    /// offset would not fit in a `u64`.
    pub fn new(start: u64, total: u64, max: u64) -> Option<Self> {
        if max == 0 {
            return None;
        }
        Some(Self {
            next: start,
            end: start.checked_add(total)?,
            max,
        })
    }

    /// How many pieces are left.
    pub fn remaining(&self) -> u64 {
        (self.end - self.next).div_ceil(self.max)
    }
}

impl Iterator for Chunks {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        if self.next >= self.end {
            return None;
        }
        let chunk = Chunk {
            offset: self.next,
            size: (self.end - self.next).min(self.max),
        };
        self.next += chunk.size;
        Some(chunk)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match usize::try_from(self.remaining()) {
            Ok(n) => (n, Some(n)),
            Err(_) => (usize::MAX, None),
        }
    }
}

impl FusedIterator for Chunks {}
