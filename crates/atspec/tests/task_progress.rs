//! Progress reports of the counting adapters, and the chunks of a transfer.

use std::pin::Pin;
use std::task::{Context, Poll};

use atspec::task::{Chunk, Chunks, CountingReader, CountingWriter, Progress, ProgressFn};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

/// A sink that takes at most `per_write` bytes per write.
struct Trickle {
    data: Vec<u8>,
    per_write: usize,
}

impl AsyncWrite for Trickle {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let n = buf.len().min(self.per_write);
        self.data.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A sink that refuses every write.
struct Broken;

impl AsyncWrite for Broken {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(Err(std::io::Error::other("disk full")))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A source that hands out at most 3 bytes per read.
struct Dribble<'a>(&'a [u8]);

impl AsyncRead for Dribble<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = self.0.len().min(3).min(buf.remaining());
        buf.put_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Poll::Ready(Ok(()))
    }
}

fn assert_monotonic(seen: &[Progress]) {
    for pair in seen.windows(2) {
        assert!(pair[0].done < pair[1].done, "not monotonic: {seen:?}");
    }
}

#[tokio::test]
async fn the_writer_reports_every_byte_accepted_and_a_total_set_later() {
    let mut seen = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    let progress: &mut ProgressFn<'_> = &mut record;
    let mut sink = Trickle {
        data: Vec::new(),
        per_write: 1,
    };
    {
        let mut counting = CountingWriter::new(&mut sink, Some(progress));
        counting.write_all(b"abc").await.unwrap();
        // The length is learnt mid-transfer.
        counting.set_total(Some(5));
        counting.write_all(b"de").await.unwrap();
        counting.flush().await.unwrap();
        assert_eq!(counting.written(), 5);
    }
    assert_eq!(sink.data, b"abcde");
    let expected: Vec<Progress> = [(1, None), (2, None), (3, None), (4, Some(5)), (5, Some(5))]
        .into_iter()
        .map(|(done, total)| Progress { done, total })
        .collect();
    assert_eq!(seen, expected, "one report per 1-byte write");
}

#[tokio::test]
async fn the_writer_counts_what_the_sink_took_not_what_was_offered() {
    let mut seen = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    let mut sink = Trickle {
        data: Vec::new(),
        per_write: 4,
    };
    let mut counting = CountingWriter::new(&mut sink, Some(&mut record));
    let n = counting.write(&[7u8; 10]).await.unwrap();
    assert_eq!((n, counting.written()), (4, 4));
    counting.write_all(&[7u8; 6]).await.unwrap();
    // An empty write moves nothing: no report.
    assert_eq!(counting.write(&[]).await.unwrap(), 0);
    counting.report();
    assert_eq!(
        seen.iter().map(|p| p.done).collect::<Vec<_>>(),
        [4, 8, 10, 10]
    );
    assert_eq!(seen.last().unwrap().done, sink.data.len() as u64);

    // A failed write is no progress.
    let mut seen = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    let mut broken = Broken;
    let mut counting = CountingWriter::new(&mut broken, Some(&mut record));
    assert!(counting.write_all(b"x").await.is_err());
    assert_eq!(counting.written(), 0);
    assert!(seen.is_empty());
}

#[tokio::test]
async fn the_writer_without_a_callback_still_counts() {
    let mut body = Vec::new();
    let mut counting = CountingWriter::new(&mut body, None);
    counting.write_all(&[1u8; 1000]).await.unwrap();
    assert_eq!(counting.written(), 1000);
}

#[tokio::test]
async fn the_reader_reports_bytes_read_against_the_length() {
    let data: Vec<u8> = (0..20).collect();
    let mut seen = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    let mut source = Dribble(&data);
    let mut out = Vec::new();
    {
        let mut counting = CountingReader::new(&mut source, Some(20), Some(&mut record));
        counting.read_to_end(&mut out).await.unwrap();
        assert_eq!(counting.read(), 20);
    }
    assert_eq!(out, data);
    assert_monotonic(&seen);
    assert_eq!(seen.len(), 7, "20 bytes in reads of 3: {seen:?}");
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: 20,
            total: Some(20)
        })
    );
    assert!(seen.iter().all(|p| p.total == Some(20) && p.done <= 20));
}

#[tokio::test]
async fn the_reader_takes_no_byte_past_the_announced_length() {
    let data: Vec<u8> = (0..20).collect();
    let mut source = Dribble(&data);
    let mut out = Vec::new();
    let mut counting = CountingReader::new(&mut source, Some(8), None);
    counting.read_to_end(&mut out).await.unwrap();
    assert_eq!(counting.read(), 8);
    assert_eq!(out, &data[..8], "an upload of 8 bytes reads 8 bytes");
    let mut rest = Vec::new();
    source.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, &data[8..], "the rest stays in the source");
}

fn pieces(chunks: Chunks) -> Vec<(u64, u64)> {
    chunks
        .map(|Chunk { offset, size }| (offset, size))
        .collect()
}

#[test]
fn chunks_cover_the_total_exactly_with_a_short_last_piece() {
    assert_eq!(pieces(Chunks::new(0, 10, 5).unwrap()), [(0, 5), (5, 5)]);
    assert_eq!(
        pieces(Chunks::new(0, 11, 5).unwrap()),
        [(0, 5), (5, 5), (10, 1)]
    );
    assert_eq!(pieces(Chunks::new(0, 3, 5).unwrap()), [(0, 3)]);
    assert_eq!(
        pieces(Chunks::new(0, 4, 1).unwrap()),
        [(0, 1), (1, 1), (2, 1), (3, 1)]
    );
}

#[test]
fn chunks_start_at_the_offset() {
    assert_eq!(
        pieces(Chunks::new(100, 7, 3).unwrap()),
        [(100, 3), (103, 3), (106, 1)]
    );
}

#[test]
fn chunks_of_nothing_and_of_no_size() {
    assert_eq!(pieces(Chunks::new(5, 0, 3).unwrap()), []);
    assert!(
        Chunks::new(0, 10, 0).is_none(),
        "max 0 could never progress"
    );
    assert!(
        Chunks::new(u64::MAX, 2, 1).is_none(),
        "past the last offset"
    );
    let huge = Chunks::new(u64::MAX - 10, 10, 4).unwrap();
    assert_eq!(
        pieces(huge),
        [(u64::MAX - 10, 4), (u64::MAX - 6, 4), (u64::MAX - 2, 2)]
    );
}

#[test]
fn chunks_know_how_many_are_left() {
    let mut chunks = Chunks::new(0, 1_000_000, 4096).unwrap();
    assert_eq!(chunks.remaining(), 245);
    assert_eq!(chunks.size_hint(), (245, Some(245)));
    chunks.next();
    assert_eq!(chunks.remaining(), 244);
    assert_eq!(chunks.count(), 244);
}
