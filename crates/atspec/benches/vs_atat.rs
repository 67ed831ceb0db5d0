//! `cargo bench -p atspec --bench vs_atat`: what a client does with each line the
//! modem sends, side by side with atat's standard digester, in one process.
//!
//! Both are fed the same stream of one-command-in-flight exchanges (a URC, an
//! information line and OK, OK, a completion URC, +CME ERROR, ERROR) cut into reads
//! four ways: one exchange per read (each under 64 bytes, as a UART driver hands them
//! over), single bytes, 4 KiB, and the whole stream at once.
//!
//! - atat: `AtDigester` with a URC parser for the stream's URCs, driven like its
//!   ingress: bytes appended to a buffer, `digest` called until it finds nothing, the
//!   consumed bytes dropped.
//! - atspec: the client's per-line work: `Framer`, then `Dialect::classify`, then the
//!   generated `Urc::parse` for URC lines (typed values, strings allocated).
//!
//! Each side's counts of URCs, successes and failures are checked against the stream;
//! a side that miscounts is reported. Rounds alternate which side goes first, and the
//! figure printed is the median over rounds of the per-round ratio atat time / atspec
//! time (above 1: atspec is faster), so machine noise hits both sides alike. It prints
//! measurements and does not fail on them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use atat::digest::ParseError as AtatParseError;
use atat::digest::parser::urc_helper;
use atat::nom::branch::alt;
use atat::{AtDigester, DigestResult, Digester, Parser};
use atspec::{Expect, Frame, Framer, LineClass, ResultKind};
use atspec_sim800::{DIALECT, Urc};

/// One of each exchange a client meets with one command in flight, echo off.
const EXCHANGES: [&[u8]; 7] = [
    b"\r\n+CREG: 1\r\n",
    b"\r\n+SAPBR: 1,1,\"10.89.193.1\"\r\n\r\nOK\r\n",
    b"\r\nOK\r\n",
    b"\r\n+HTTPACTION: 0,200,1000\r\n",
    b"\r\n+CME ERROR: 3\r\n",
    b"\r\nERROR\r\n",
    b"\r\n+FTPGET: 1,1\r\n",
];

/// What each pass over the exchanges holds: URCs, successes, failures.
const PER_PASS: Counts = Counts {
    urcs: 3,
    successes: 2,
    failures: 2,
};

const ROUNDS: usize = 15;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    urcs: u64,
    successes: u64,
    failures: u64,
}

impl Counts {
    fn times(self, n: u64) -> Self {
        Self {
            urcs: self.urcs * n,
            successes: self.successes * n,
            failures: self.failures * n,
        }
    }
}

/// atat's URC parser for the stream's URCs, as its derive would generate it.
struct StreamUrcs;

impl Parser for StreamUrcs {
    fn parse(buf: &[u8]) -> Result<(&[u8], usize), AtatParseError> {
        let (_, found) = alt((
            urc_helper("+CREG"),
            urc_helper("+HTTPACTION"),
            urc_helper("+FTPGET"),
        ))(buf)?;
        Ok(found)
    }
}

fn atat_counts(reads: &[&[u8]]) -> Counts {
    let mut digester = AtDigester::<StreamUrcs>::new();
    let mut counts = Counts::default();
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    for read in reads {
        buf.extend_from_slice(read);
        let mut at = 0;
        loop {
            let (result, used) = digester.digest(&buf[at..]);
            at += used;
            match result {
                DigestResult::Urc(urc) => {
                    black_box(urc);
                    counts.urcs += 1;
                }
                DigestResult::Response(Ok(data)) => {
                    black_box(data);
                    counts.successes += 1;
                }
                DigestResult::Response(Err(error)) => {
                    black_box(error);
                    counts.failures += 1;
                }
                DigestResult::Prompt(p) => {
                    black_box(p);
                }
                DigestResult::None if used == 0 => break,
                DigestResult::None => {}
            }
        }
        buf.drain(..at);
    }
    counts
}

fn atspec_counts(reads: &[&[u8]]) -> Counts {
    let mut framer = Framer::new(4096);
    let mut counts = Counts::default();
    for read in reads {
        framer.push(read);
        while let Some(frame) = framer.next_frame(Expect::default()) {
            let Frame::Line(line) = frame else { continue };
            match DIALECT.classify(line) {
                LineClass::Urc(_) => {
                    if let Some(Ok(urc)) = Urc::parse(line) {
                        black_box(urc);
                        counts.urcs += 1;
                    }
                }
                LineClass::Result(result) => match result.kind {
                    ResultKind::Ok => counts.successes += 1,
                    ResultKind::Error => counts.failures += 1,
                    ResultKind::Detail | ResultKind::Busy => {}
                },
                LineClass::Text | LineClass::Prompt(_) => {
                    black_box(line);
                }
            }
        }
    }
    counts
}

fn timed(run: impl Fn() -> Counts) -> (Duration, Counts) {
    let start = Instant::now();
    let counts = run();
    (start.elapsed(), counts)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn compare(label: &str, stream: &[u8], reads: &[&[u8]], passes: u64) {
    let expected = PER_PASS.times(passes);
    let atat = atat_counts(reads);
    let ours = atspec_counts(reads);
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut atat_mbs, mut ours_mbs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (atat_time, ours_time) = if round % 2 == 0 {
            let a = timed(|| atat_counts(reads)).0;
            (a, timed(|| atspec_counts(reads)).0)
        } else {
            let o = timed(|| atspec_counts(reads)).0;
            (timed(|| atat_counts(reads)).0, o)
        };
        ratios.push(atat_time.as_secs_f64() / ours_time.as_secs_f64());
        let mb = stream.len() as f64 / 1e6;
        atat_mbs.push(mb / atat_time.as_secs_f64());
        ours_mbs.push(mb / ours_time.as_secs_f64());
    }
    println!(
        "{label:<26} atspec {:>6.1}x atat  (atspec {:>7.1} MB/s, atat {:>7.1} MB/s, medians of {ROUNDS} rounds)",
        median(&mut ratios),
        median(&mut ours_mbs),
        median(&mut atat_mbs),
    );
    for (who, got) in [("atspec", ours), ("atat", atat)] {
        if got != expected {
            println!("    {who} miscounts: {got:?}, the stream holds {expected:?}");
        }
    }
}

fn main() {
    println!("== per-line client work vs atat's AtDigester (same stream, same reads)");
    for (label, bytes, cut) in [
        ("one exchange per read", 4 << 20, Cut::Exchange),
        ("1-byte reads", 256 << 10, Cut::Bytes(1)),
        ("4 KiB reads", 4 << 20, Cut::Bytes(4096)),
        ("whole stream in one read", 4 << 20, Cut::Whole),
    ] {
        let pass: usize = EXCHANGES.iter().map(|e| e.len()).sum();
        let passes = (bytes / pass).max(1);
        let stream: Vec<u8> = EXCHANGES.concat().repeat(passes);
        let reads: Vec<&[u8]> = match cut {
            Cut::Exchange => {
                let mut reads = Vec::with_capacity(passes * EXCHANGES.len());
                let mut at = 0;
                for _ in 0..passes {
                    for exchange in EXCHANGES {
                        reads.push(&stream[at..at + exchange.len()]);
                        at += exchange.len();
                    }
                }
                reads
            }
            Cut::Bytes(n) => stream.chunks(n).collect(),
            Cut::Whole => vec![&stream[..]],
        };
        compare(label, &stream, &reads, passes as u64);
    }
}

#[derive(Clone, Copy)]
enum Cut {
    Exchange,
    Bytes(usize),
    Whole,
}
