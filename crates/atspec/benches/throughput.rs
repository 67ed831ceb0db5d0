//! `cargo bench -p atspec`: framer and payload-streaming throughput.
//!
//! Targets from the architecture notes: the framer at least 10x atat's standard
//! digester on realistic exchanges (atat: about 57 MB/s, 3.8 M frames/s on this
//! class of machine), and payload streaming at 1 GB/s or at least half of a raw
//! `tokio::io::copy` over the same pipe. This prints measurements; it does not
//! fail on them.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use atspec::{Client, Config, Expect, Frame, Framer};
use atspec_sim800::http::HttpreadExec;
use atspec_sim800::{DIALECT, Urc};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// One realistic exchange: echo, information lines, URCs, a final result.
const EXCHANGE: &[u8] =
    b"AT+HTTPACTION=0\r\r\nOK\r\n\r\n+HTTPACTION: 0,200,1000\r\n\r\n+CREG: 1\r\n\
AT+SAPBR=2,1\r\r\n+SAPBR: 1,1,\"10.89.193.1\"\r\n\r\nOK\r\n\r\n+CME ERROR: 3\r\n";

fn bench_framer() {
    let repeats = 64 * 1024 * 1024 / EXCHANGE.len();
    let stream: Vec<u8> = EXCHANGE.repeat(repeats);
    let mut framer = Framer::new(4096);
    let start = Instant::now();
    let mut frames = 0u64;
    for chunk in stream.chunks(4096) {
        framer.push(chunk);
        while let Some(frame) = framer.next_frame(Expect::default()) {
            if matches!(frame, Frame::Line(_)) {
                frames += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = stream.len() as f64 / 1e6;
    println!(
        "framer: {:.0} MB/s, {:.1} M frames/s ({frames} frames in {mb:.0} MB)",
        mb / secs,
        frames as f64 / secs / 1e6
    );
}

struct NullSink;

impl AsyncWrite for NullSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

const PAYLOAD: usize = 256 * 1024 * 1024;
const PIPE: usize = 256 * 1024;

async fn feed(mut modem: tokio::io::DuplexStream, header: bool) -> tokio::io::DuplexStream {
    if header {
        let mut command = [0u8; 12];
        modem.read_exact(&mut command).await.expect("command");
        modem
            .write_all(format!("\r\n+HTTPREAD: {PAYLOAD}\r\n").as_bytes())
            .await
            .expect("header");
    }
    let chunk = vec![0x5au8; 64 * 1024];
    let mut sent = 0;
    while sent < PAYLOAD {
        let n = chunk.len().min(PAYLOAD - sent);
        modem.write_all(&chunk[..n]).await.expect("payload");
        sent += n;
    }
    if header {
        modem.write_all(b"\r\nOK\r\n").await.expect("ok");
    }
    modem
}

async fn bench_streaming() {
    // Baseline: raw copy over the same kind of pipe.
    let (mut host, modem) = tokio::io::duplex(PIPE);
    let feeder = tokio::spawn(feed(modem, false));
    let start = Instant::now();
    let mut limited = (&mut host).take(PAYLOAD as u64);
    let copied = tokio::io::copy(&mut limited, &mut NullSink)
        .await
        .expect("copy");
    let raw = copied as f64 / start.elapsed().as_secs_f64() / 1e9;
    drop(feeder.await);

    let (host, modem) = tokio::io::duplex(PIPE);
    let feeder = tokio::spawn(feed(modem, true));
    let config = Config {
        read_size: 64 * 1024,
        data_queue: 16,
        ..Config::default()
    };
    let client: Client<Urc> = Client::new(host, &DIALECT, config);
    let start = Instant::now();
    let (_, bytes) = client
        .send_download(&HttpreadExec::new(), &mut NullSink)
        .await
        .expect("download");
    let streamed = bytes as f64 / start.elapsed().as_secs_f64() / 1e9;
    drop(feeder.await);
    println!(
        "payload streaming: client {streamed:.2} GB/s, raw tokio::io::copy {raw:.2} GB/s ({:.0}% of raw)",
        streamed / raw * 100.0
    );
}

fn main() {
    bench_framer();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench_streaming());
}
