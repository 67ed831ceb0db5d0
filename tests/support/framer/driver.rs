//! Driving the framer as the client's reader does, and the contract for one stream.

use std::fmt;

use atspec::{Expect, Frame, Framer};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::{CONFIRM, SAME_LINE, TERMINATOR, TWO_PIECE_MAX};

/// How a `CONNECT` line switches the framer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// It is just a line.
    Line,
    /// Data mode until the terminator.
    Until,
    /// Data mode until a terminator confirmed by a `+Q:` line.
    Confirmed,
}

/// What the caller expects, fixed for a whole stream; raw data switches follow
/// from the frames, as in the client's reader.
#[derive(Debug, Clone, Copy)]
pub struct Driver {
    pub max_line: usize,
    pub prompts: &'static [&'static str],
    pub same_line: bool,
    pub connect: Connect,
    /// Also switch to raw data right after a `DOWNLOAD` prompt (4 bytes) and an
    /// Overflow (2 bytes): the contract holds for any caller that decides on
    /// the frames received.
    pub eager: bool,
}

impl Driver {
    pub fn new(max_line: usize) -> Self {
        Self {
            max_line,
            prompts: &[],
            same_line: false,
            connect: Connect::Line,
            eager: false,
        }
    }

    pub fn expect(&self) -> Expect<'static> {
        Expect {
            prompts: self.prompts,
            same_line: self.same_line.then_some(&SAME_LINE),
        }
    }

    /// Raw data announced by a line, as the client's reader does it.
    pub fn switch(&self, framer: &mut Framer, line: &[u8]) {
        let announced = line
            .strip_prefix(b"+R: ")
            .and_then(|n| std::str::from_utf8(n).ok()?.parse::<u64>().ok());
        if let Some(len) = announced {
            framer.expect_data(len);
        } else if line == b"CONNECT" {
            match self.connect {
                Connect::Line => {}
                Connect::Until => framer.expect_data_until(TERMINATOR),
                Connect::Confirmed => framer.expect_data_until_confirmed(TERMINATOR, CONFIRM),
            }
        }
    }
}

/// A frame, owned, for comparison.
#[derive(Clone, PartialEq, Eq)]
pub enum Tok {
    Line(Vec<u8>),
    Header(Vec<u8>),
    Prompt(&'static str),
    Data(Vec<u8>),
    DataEnd,
    Overflow(usize),
}

impl fmt::Debug for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Line(l) => write!(f, "Line({:?})", l.escape_ascii().to_string()),
            Tok::Header(h) => write!(f, "Header({:?})", h.escape_ascii().to_string()),
            Tok::Prompt(p) => write!(f, "Prompt({p:?})"),
            Tok::Data(d) => write!(f, "Data({:?})", d.escape_ascii().to_string()),
            Tok::DataEnd => write!(f, "DataEnd"),
            Tok::Overflow(n) => write!(f, "Overflow({n})"),
        }
    }
}

/// Appends a frame; adjacent data is joined.
pub fn push_tok(out: &mut Vec<Tok>, tok: Tok) {
    match (out.last_mut(), tok) {
        (Some(Tok::Data(prev)), Tok::Data(more)) => prev.extend_from_slice(&more),
        (_, tok) => out.push(tok),
    }
}

/// Feeds `stream` in pieces of `sizes` (cycled), draining after each read, and
/// checks the buffer bound after each drained read.
pub fn run(d: &Driver, stream: &[u8], sizes: &[usize]) -> Result<Vec<Tok>, TestCaseError> {
    let mut framer = Framer::new(d.max_line);
    let cap = d.max_line.max(16);
    let mut out = Vec::new();
    let mut rest = stream;
    let mut sizes = sizes.iter().cycle();
    while !rest.is_empty() {
        let n = sizes
            .next()
            .copied()
            .unwrap_or(usize::MAX)
            .clamp(1, rest.len());
        framer.push(&rest[..n]);
        rest = &rest[n..];
        drain(d, &mut framer, &mut out);
        let bound = if framer.in_data() {
            cap + TERMINATOR.len()
        } else {
            cap
        };
        prop_assert!(
            framer.buffered() <= bound,
            "{} bytes held after draining (max_line {cap}, in data: {})",
            framer.buffered(),
            framer.in_data()
        );
    }
    Ok(out)
}

pub fn drain(d: &Driver, framer: &mut Framer, out: &mut Vec<Tok>) {
    loop {
        let tok = match framer.next_frame(d.expect()) {
            None => return,
            Some(Frame::Line(l)) => Tok::Line(l.to_vec()),
            Some(Frame::Header(h)) => Tok::Header(h.to_vec()),
            Some(Frame::Prompt(p)) => Tok::Prompt(p),
            Some(Frame::Data(d)) => Tok::Data(d.to_vec()),
            Some(Frame::DataEnd) => Tok::DataEnd,
            Some(Frame::Overflow { discarded }) => Tok::Overflow(discarded),
        };
        match &tok {
            Tok::Line(line) => d.switch(framer, line),
            Tok::Prompt("DOWNLOAD") if d.eager => framer.expect_data(4),
            Tok::Overflow(_) if d.eager => framer.expect_data(2),
            _ => {}
        }
        push_tok(out, tok);
    }
}

/// The contract for one stream: fed whole it gives `want` (when known), and
/// every way of cutting it gives the same.
pub fn check(
    d: &Driver,
    stream: &[u8],
    want: Option<&[Tok]>,
    sizes: &[usize],
) -> Result<(), TestCaseError> {
    let whole = run(d, stream, &[usize::MAX])?;
    if let Some(want) = want {
        prop_assert_eq!(
            &whole,
            &want,
            "fed whole: {:?}",
            stream.escape_ascii().to_string()
        );
    }
    let cut = run(d, stream, sizes)?;
    prop_assert_eq!(&cut, &whole, "pieces of {:?}", sizes);
    let bytes = run(d, stream, &[1])?;
    prop_assert_eq!(&bytes, &whole, "one byte at a time");
    if stream.len() <= TWO_PIECE_MAX {
        for at in 1..stream.len() {
            let two = run(d, stream, &[at, usize::MAX])?;
            prop_assert_eq!(&two, &whole, "cut in two at {}", at);
        }
    }
    Ok(())
}

/// Frames of `stream` fed whole and fed as `pieces`.
pub fn whole_and_cut(d: &Driver, pieces: &[&[u8]]) -> (Vec<Tok>, Vec<Tok>) {
    let stream = pieces.concat();
    let whole = run(d, &stream, &[usize::MAX]).expect("bound");
    let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
    let cut = run(d, &stream, &sizes).expect("bound");
    (whole, cut)
}
