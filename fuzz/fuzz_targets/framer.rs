//! The framer's contract: the same bytes give the same frames however the reads
//! split them, in every mode, and draining never leaves more than about
//! `max_line` bytes buffered. Never a panic.
//!
//! Input (see `fuzz/README.md`): `[cap, n_ops, n_ops x (at, op, arg), n_sizes,
//! n_sizes x size, stream...]`. Each op switches the framer the way the client's
//! reader does (raw data of a length, data mode until a terminator, confirmed or
//! not, cancel; bare prompts and a same-line payload rule expected or not); it
//! takes effect once `at` frames other than `Data` have come out. The stream is
//! framed three times with the same ops at the same frame positions: pushed
//! whole, cut in pieces of the given sizes (cycled), and one byte at a time.
//! The frames must be equal after joining adjacent `Data` frames and adjacent
//! `Overflow` reports (how many pieces a payload or a dropped line comes in
//! depends on the reads; the bytes do not).
#![no_main]

use atspec::AtCommand;
use atspec::{Expect, Frame, Framer, PayloadRule};
use libfuzzer_sys::fuzz_target;

/// Bytes the framer may hold after draining beyond the line cap: a held-back
/// partial terminator and the start of a confirming line.
const SLACK: usize = 64;

/// The bare prompts of the dialects (`> ` and `>` alone).
const PROMPT_SETS: [&[&str]; 3] = [&["> "], &[">"], &["> ", ">"]];
/// Data-mode terminators and the lines that confirm one.
const TERMINATORS: [&[u8]; 3] = [b"\r\nOK\r\n", b"\r\nNO CARRIER\r\n", b"+++"];
const CONFIRMS: [&[u8]; 3] = [b"+QFTPGET:", b"+Q:", b"OK"];

/// Same-line payload rules of the generated packages (ESP-AT `+HTTPCLIENT:<n>,` and `+HTTPCGET:<n>,`).
fn same_line_rules() -> [PayloadRule; 2] {
    let rule = |r: Option<PayloadRule>| r.expect("the command announces a same-line payload");
    [
        rule(atspec_esp_at::http::HttpclientRequestWrite::PAYLOAD),
        rule(atspec_esp_at::http::HttpcgetWrite::PAYLOAD),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Op {
    ExpectData(u64),
    Until(usize),
    Confirmed(usize, usize),
    Cancel,
    Prompts(Option<usize>),
    SameLine(Option<usize>),
}

#[derive(Debug)]
struct Case<'a> {
    max_line: usize,
    ops: Vec<(usize, Op)>,
    sizes: Vec<usize>,
    stream: &'a [u8],
}

fn decode(data: &[u8]) -> Option<Case<'_>> {
    let (&cap, rest) = data.split_first()?;
    let (&n_ops, mut rest) = rest.split_first()?;
    let mut ops = Vec::new();
    for _ in 0..n_ops % 32 {
        let ([at, op, arg], tail) = rest.split_first_chunk::<3>()?;
        rest = tail;
        let arg = *arg as usize;
        let op = match op % 8 {
            0 => Op::ExpectData(arg as u64),
            1 => Op::ExpectData((arg as u64) << 8),
            2 => Op::Until(arg % TERMINATORS.len()),
            3 => Op::Confirmed(arg % TERMINATORS.len(), (arg / 4) % CONFIRMS.len()),
            4 => Op::Cancel,
            5 => Op::Prompts((arg % 4).checked_sub(1)),
            6 => Op::SameLine((arg % 3).checked_sub(1)),
            _ => Op::Prompts(None),
        };
        ops.push((*at as usize, op));
    }
    let (&n_sizes, mut rest) = rest.split_first()?;
    let mut sizes = Vec::new();
    for _ in 0..n_sizes % 16 {
        let (&size, tail) = rest.split_first()?;
        rest = tail;
        sizes.push(size as usize + 1);
    }
    if sizes.is_empty() {
        sizes.push(7);
    }
    Some(Case {
        max_line: cap as usize,
        ops,
        sizes,
        stream: rest,
    })
}

/// A frame, owned, with the read-dependent counts joined.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Line(Vec<u8>),
    Prompt(&'static str),
    Header(Vec<u8>),
    Data(Vec<u8>),
    DataEnd,
    Overflow(usize),
}

fn push_tok(out: &mut Vec<Tok>, tok: Tok) {
    match (out.last_mut(), tok) {
        (Some(Tok::Data(prev)), Tok::Data(more)) => prev.extend_from_slice(&more),
        (Some(Tok::Overflow(prev)), Tok::Overflow(more)) => *prev += more,
        (_, tok) => out.push(tok),
    }
}

/// One framing of the stream.
struct Run<'c> {
    case: &'c Case<'c>,
    rules: &'c [PayloadRule],
    framer: Framer,
    cap: usize,
    /// Frames other than `Data` so far: the positions ops refer to.
    position: usize,
    prompts: &'static [&'static str],
    same_line: Option<usize>,
    out: Vec<Tok>,
}

impl<'c> Run<'c> {
    fn new(case: &'c Case<'c>, rules: &'c [PayloadRule]) -> Self {
        let mut run = Self {
            case,
            rules,
            framer: Framer::new(case.max_line),
            cap: case.max_line.max(16),
            position: 0,
            prompts: &[],
            same_line: None,
            out: Vec::new(),
        };
        run.apply_ops();
        run
    }

    fn apply_ops(&mut self) {
        for (_, op) in self.case.ops.iter().filter(|(at, _)| *at == self.position) {
            match *op {
                Op::ExpectData(n) => self.framer.expect_data(n),
                Op::Until(t) => self.framer.expect_data_until(TERMINATORS[t]),
                Op::Confirmed(t, c) => {
                    self.framer
                        .expect_data_until_confirmed(TERMINATORS[t], CONFIRMS[c]);
                }
                Op::Cancel => self.framer.cancel_data(),
                Op::Prompts(set) => self.prompts = set.map_or(&[][..], |s| PROMPT_SETS[s]),
                Op::SameLine(rule) => self.same_line = rule,
            }
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.framer.push(bytes);
        loop {
            let expect = Expect {
                prompts: self.prompts,
                same_line: self.same_line.map(|r| &self.rules[r]),
            };
            let tok = match self.framer.next_frame(expect) {
                None => break,
                Some(Frame::Line(l)) => {
                    assert!(!l.is_empty(), "an empty line frame");
                    assert!(
                        l.len() <= self.cap,
                        "a line of {} > cap {}",
                        l.len(),
                        self.cap
                    );
                    assert!(
                        !l.iter().any(|b| matches!(b, b'\r' | b'\n')),
                        "a line frame holding a line end: {:?}",
                        String::from_utf8_lossy(l)
                    );
                    Tok::Line(l.to_vec())
                }
                Some(Frame::Prompt(p)) => Tok::Prompt(p),
                Some(Frame::Header(h)) => {
                    assert!(
                        h.len() <= self.cap,
                        "a header of {} > cap {}",
                        h.len(),
                        self.cap
                    );
                    Tok::Header(h.to_vec())
                }
                Some(Frame::Data(d)) => {
                    assert!(!d.is_empty(), "an empty data frame");
                    Tok::Data(d.to_vec())
                }
                Some(Frame::DataEnd) => Tok::DataEnd,
                Some(Frame::Overflow { discarded }) => Tok::Overflow(discarded),
            };
            let counts = !matches!(tok, Tok::Data(_));
            push_tok(&mut self.out, tok);
            if counts {
                self.position += 1;
                self.apply_ops();
            }
        }
        assert!(
            self.framer.buffered() <= self.cap + SLACK,
            "{} bytes buffered after draining (max_line {}, slack {SLACK})",
            self.framer.buffered(),
            self.cap
        );
    }
}

fn frame(case: &Case<'_>, rules: &[PayloadRule], sizes: &[usize]) -> Vec<Tok> {
    let mut run = Run::new(case, rules);
    let mut rest = case.stream;
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at((*size).min(rest.len()));
        run.push(piece);
        rest = tail;
    }
    run.out
}

fuzz_target!(|data: &[u8]| {
    let Some(case) = decode(data) else {
        return;
    };
    let rules = same_line_rules();
    let whole = frame(&case, &rules, &[usize::MAX]);
    let cut = frame(&case, &rules, &case.sizes);
    assert_eq!(
        cut, whole,
        "pieces of {:?} differ from one read",
        case.sizes
    );
    let bytes = frame(&case, &rules, &[1]);
    assert_eq!(bytes, whole, "one byte per read differs from one read");
});
