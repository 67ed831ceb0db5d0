//! Property tests of `atspec::Framer`'s contract (see the `atspec::framer` docs):
//! however a byte stream is cut into reads, the frames are the same, and after
//! every drained read the framer holds at most `max_line` bytes (plus the data-mode
//! terminator's length while in data mode).
//!
//! Each mode has a generator of streams built from items whose frames are known,
//! so every property checks three things: fed whole, the stream gives exactly the
//! items' frames; fed in random pieces, one byte at a time and (for short streams)
//! cut in two at every position, it gives the same frames; and the buffer bound
//! holds after every read. Adjacent `Data` frames are joined before comparing
//! (how many there are depends on the reads); nothing else is merged: one
//! over-long line is exactly one `Overflow` counting every byte.
//!
//! The stream is driven the way the client's reader drives it: a `+R: <n>` line
//! switches to `n` bytes of raw data, a `CONNECT` line to data mode ended by
//! `\r\nOK\r\n` (confirmed by a following `+Q:` line in the confirmed mode).

use std::fmt;

use atspec::{Expect, Frame, Framer, LineParser, ParseError, PayloadRule, Placement};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Cases per mode.
const CASES: u32 = 10_000;
/// Streams up to this long are also cut in two at every position.
const TWO_PIECE_MAX: usize = 96;

const TERMINATOR: &[u8] = b"\r\nOK\r\n";
const CONFIRM: &[u8] = b"+Q:";
const PROMPTS: &[&str] = &["> ", "A", "DOWNLOAD"];
/// Prompts for garbage: some start others.
const OVERLAPPING_PROMPTS: &[&str] = &["> ", "A", "AB", "DOWN", "DOWNLOAD"];
/// Bytes a generated line may start with: never a prompt, payload header,
/// announcement or `CONNECT`.
const FIRST: &[u8] = b"bcefghijklmnopqrstuvwxyzBEFGHIJKLMNOPRSTUVWXYZ0123456789";

fn same_line_len(line: &[u8]) -> Result<(usize, usize), ParseError> {
    let mut p = LineParser::new(line);
    p.literal("+C:")?;
    let len = p.uint::<usize>("len")?;
    Ok((len, p.offset()))
}

const SAME_LINE: PayloadRule = PayloadRule {
    prefix: "+C:",
    placement: Placement::SameLine,
    length: same_line_len,
};

// ---------------------------------------------------------------------------
// Driving the framer

/// How a `CONNECT` line switches the framer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connect {
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
struct Driver {
    max_line: usize,
    prompts: &'static [&'static str],
    same_line: bool,
    connect: Connect,
    /// Also switch to raw data right after a `DOWNLOAD` prompt (4 bytes) and an
    /// Overflow (2 bytes): the contract holds for any caller that decides on
    /// the frames received.
    eager: bool,
}

impl Driver {
    fn new(max_line: usize) -> Self {
        Self {
            max_line,
            prompts: &[],
            same_line: false,
            connect: Connect::Line,
            eager: false,
        }
    }

    fn expect(&self) -> Expect<'static> {
        Expect {
            prompts: self.prompts,
            same_line: self.same_line.then_some(&SAME_LINE),
        }
    }

    /// Raw data announced by a line, as the client's reader does it.
    fn switch(&self, framer: &mut Framer, line: &[u8]) {
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
enum Tok {
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
fn push_tok(out: &mut Vec<Tok>, tok: Tok) {
    match (out.last_mut(), tok) {
        (Some(Tok::Data(prev)), Tok::Data(more)) => prev.extend_from_slice(&more),
        (_, tok) => out.push(tok),
    }
}

/// Feeds `stream` in pieces of `sizes` (cycled), draining after each read, and
/// checks the buffer bound after each drained read.
fn run(d: &Driver, stream: &[u8], sizes: &[usize]) -> Result<Vec<Tok>, TestCaseError> {
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

fn drain(d: &Driver, framer: &mut Framer, out: &mut Vec<Tok>) {
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
fn check(
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

// ---------------------------------------------------------------------------
// Streams with known frames

#[derive(Debug, Clone)]
enum Item {
    /// CR/LF bytes between lines.
    Ends(Vec<u8>),
    /// A line of spaces only, then CR LF.
    Blank(usize),
    /// A line (it may start with spaces) and its line end.
    Line(Vec<u8>, &'static [u8]),
    /// A bare prompt with spaces before and after it.
    Prompt {
        before: usize,
        prompt: &'static str,
        after: usize,
    },
    /// `+R: <n>`, its line end, the payload, CR LF.
    NextLine(Vec<u8>, &'static [u8]),
    /// `+C:<spaces><n>,<payload>` CR LF.
    SameLine(usize, Vec<u8>),
    /// `CONNECT`, the data, the terminator.
    DataMode(Vec<u8>),
    /// `CONNECT`, the data, the terminator, line ends, `+Q: 0,<n>` CR LF.
    Confirmed(Vec<u8>, Vec<u8>),
}

/// Encodes `items` and lists the frames they must give.
fn build(items: &[Item], max_line: usize) -> (Vec<u8>, Vec<Tok>) {
    let mut s = Vec::new();
    let mut want = Vec::new();
    // Spaces right after a prompt belong to it.
    let mut after_prompt = false;
    let payload = |want: &mut Vec<Tok>, data: &[u8]| {
        if !data.is_empty() {
            push_tok(want, Tok::Data(data.to_vec()));
        }
        push_tok(want, Tok::DataEnd);
    };
    let line = |want: &mut Vec<Tok>, text: &[u8], counted: usize| {
        if text.len() <= max_line {
            push_tok(want, Tok::Line(text.to_vec()));
        } else {
            // The line and the CR or LF that ended it.
            push_tok(want, Tok::Overflow(counted + 1));
        }
    };
    for item in items {
        match item {
            Item::Ends(ends) => s.extend_from_slice(ends),
            Item::Blank(n) => {
                s.extend(std::iter::repeat_n(b' ', *n));
                s.extend_from_slice(b"\r\n");
            }
            Item::Line(text, end) => {
                s.extend_from_slice(text);
                s.extend_from_slice(end);
                let shown = if after_prompt {
                    let spaces = text.iter().take_while(|b| **b == b' ').count();
                    &text[spaces..]
                } else {
                    &text[..]
                };
                line(&mut want, shown, shown.len());
            }
            Item::Prompt {
                before,
                prompt,
                after,
            } => {
                s.extend(std::iter::repeat_n(b' ', *before));
                s.extend_from_slice(prompt.trim_end().as_bytes());
                s.extend(std::iter::repeat_n(b' ', *after));
                push_tok(&mut want, Tok::Prompt(prompt));
            }
            Item::NextLine(data, end) => {
                let announce = format!("+R: {}", data.len()).into_bytes();
                s.extend_from_slice(&announce);
                s.extend_from_slice(end);
                s.extend_from_slice(data);
                s.extend_from_slice(b"\r\n");
                push_tok(&mut want, Tok::Line(announce));
                payload(&mut want, data);
            }
            Item::SameLine(spaces, data) => {
                let mut header = b"+C:".to_vec();
                header.extend(std::iter::repeat_n(b' ', *spaces));
                header.extend_from_slice(data.len().to_string().as_bytes());
                s.extend_from_slice(&header);
                s.push(b',');
                s.extend_from_slice(data);
                s.extend_from_slice(b"\r\n");
                if header.len() <= max_line {
                    push_tok(&mut want, Tok::Header(header));
                    payload(&mut want, data);
                } else {
                    // No header that long: the line is over-long (the payload
                    // generator leaves out line ends then).
                    push_tok(&mut want, Tok::Overflow(header.len() + data.len() + 2));
                }
            }
            Item::DataMode(data) => {
                s.extend_from_slice(b"CONNECT\r\n");
                s.extend_from_slice(data);
                s.extend_from_slice(TERMINATOR);
                push_tok(&mut want, Tok::Line(b"CONNECT".to_vec()));
                payload(&mut want, data);
            }
            Item::Confirmed(data, ends) => {
                let confirm = confirm_line(data.len());
                s.extend_from_slice(b"CONNECT\r\n");
                s.extend_from_slice(data);
                s.extend_from_slice(TERMINATOR);
                s.extend_from_slice(ends);
                s.extend_from_slice(&confirm);
                s.extend_from_slice(b"\r\n");
                push_tok(&mut want, Tok::Line(b"CONNECT".to_vec()));
                payload(&mut want, data);
                push_tok(&mut want, Tok::Line(confirm));
            }
        }
        after_prompt = matches!(item, Item::Prompt { .. });
    }
    (s, want)
}

fn confirm_line(n: usize) -> Vec<u8> {
    format!("+Q: 0,{n}").into_bytes()
}

fn is_line_end(b: &u8) -> bool {
    *b == b'\r' || *b == b'\n'
}

/// Where confirmed data mode ends in `s`: the first terminator followed by at
/// most `max_line - CONFIRM.len()` line ends and `+Q:` (the framer's rule, written
/// naively).
fn confirmed_end(s: &[u8], max_line: usize) -> Option<usize> {
    let limit = max_line.checked_sub(CONFIRM.len())?;
    (0..s.len()).find(|&p| {
        s[p..].starts_with(TERMINATOR) && {
            let after = &s[p + TERMINATOR.len()..];
            let ends = after.iter().take_while(|b| is_line_end(b)).count();
            ends <= limit && after[ends..].starts_with(CONFIRM)
        }
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Generators

fn sizes() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![
        3 => prop::collection::vec(1usize..12, 1..40),
        1 => prop::collection::vec(1usize..200, 1..8),
    ]
}

fn line_end() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![b"\r\n" as &[u8], b"\n", b"\r", b"\n\r"])
}

fn ends() -> impl Strategy<Value = Item> {
    prop::collection::vec(prop::sample::select(vec![b'\r', b'\n']), 1..4).prop_map(Item::Ends)
}

fn spaces(n: usize) -> Vec<u8> {
    vec![b' '; n]
}

/// `lead` spaces, then printable text without CR/LF starting with a `FIRST`
/// byte; at most `max` bytes after the spaces.
fn text(lead: std::ops::Range<usize>, max: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        lead,
        prop::sample::select(FIRST.to_vec()),
        prop::collection::vec(0x20u8..0x7f, 0..max.max(1)),
    )
        .prop_map(|(lead, first, rest)| {
            let mut t = spaces(lead);
            t.push(first);
            t.extend(rest);
            t
        })
}

fn line(lead: std::ops::Range<usize>, max: usize) -> impl Strategy<Value = Item> {
    (text(lead, max), line_end()).prop_map(|(t, end)| Item::Line(t, end))
}

/// Raw payload bytes: anything, or bytes that look like lines and results.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..60),
        prop::collection::vec(
            prop::sample::select(vec![b'\r', b'\n', b'O', b'K', b'+', b'R', b':', b' ', b'>']),
            0..40
        ),
    ]
}

fn next_line() -> impl Strategy<Value = Item> {
    (payload(), line_end()).prop_map(|(data, end)| {
        // A lone CR's LF may follow in the next read: it belongs to the line.
        let end: &'static [u8] = match end {
            b"\r" if data.first() == Some(&b'\n') => b"\r\n",
            b"\n\r" => b"\n",
            end => end,
        };
        Item::NextLine(data, end)
    })
}

fn same_line(max_line: usize) -> impl Strategy<Value = Item> {
    (prop_oneof![3 => 0usize..3, 1 => 0..max_line * 2], payload()).prop_map(
        move |(spaces, mut data)| {
            let header = 3 + spaces + data.len().to_string().len();
            if header > max_line {
                data.retain(|b| !is_line_end(b));
            }
            Item::SameLine(spaces, data)
        },
    )
}

/// Data-mode payload pieces: arbitrary bytes, the terminator, line ends and
/// text that starts like the confirmation.
fn data_mode_payload() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..12),
        Just(TERMINATOR.to_vec()),
        Just(b"\r\nOK".to_vec()),
        prop::collection::vec(prop::sample::select(vec![b'\r', b'\n']), 1..8),
        Just(b"+Q".to_vec()),
        Just(b"+".to_vec()),
        Just(b"Q:".to_vec()),
        Just(b"+R:".to_vec()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn data_mode() -> impl Strategy<Value = Item> {
    data_mode_payload().prop_map(|mut data| {
        // The first terminator ends the data: break any inside it.
        loop {
            let mut s = data.clone();
            s.extend_from_slice(TERMINATOR);
            match find(&s, TERMINATOR) {
                Some(p) if p < data.len() => data.insert(p + 1, b'x'),
                _ => return Item::DataMode(data),
            }
        }
    })
}

fn confirmed(max_line: usize) -> impl Strategy<Value = Item> {
    let limit = max_line - CONFIRM.len();
    (
        data_mode_payload(),
        prop::collection::vec(prop::sample::select(vec![b'\r', b'\n']), 0..=limit),
    )
        .prop_map(move |(mut data, ends)| {
            // A confirmed terminator inside the data would end it: break it.
            loop {
                let mut s = data.clone();
                s.extend_from_slice(TERMINATOR);
                s.extend_from_slice(&ends);
                s.extend_from_slice(&confirm_line(data.len()));
                match confirmed_end(&s, max_line) {
                    Some(p) if p < data.len() => {
                        data.insert((p + TERMINATOR.len()).min(data.len()), b'x')
                    }
                    _ => return Item::Confirmed(data, ends),
                }
            }
        })
}

fn prompt(max_line: usize) -> impl Strategy<Value = Item> {
    let around = move || prop_oneof![4 => 0usize..3, 1 => 0..max_line * 3];
    (around(), prop::sample::select(PROMPTS), around()).prop_map(|(before, prompt, after)| {
        Item::Prompt {
            before,
            prompt,
            after,
        }
    })
}

/// A line cap, the items and the read sizes for one mode.
fn scenario<S: Strategy<Value = Item> + 'static>(
    items: impl Fn(usize) -> S + 'static,
) -> impl Strategy<Value = (usize, Vec<Item>, Vec<usize>)> {
    (16usize..48).prop_flat_map(move |max_line| {
        (
            Just(max_line),
            prop::collection::vec(items(max_line), 1..10),
            sizes(),
        )
    })
}

fn mode(d: Driver, items: &[Item], sizes: &[usize]) -> Result<(), TestCaseError> {
    let (stream, want) = build(items, d.max_line);
    check(&d, &stream, Some(want.as_slice()), sizes)
}

// ---------------------------------------------------------------------------
// Properties, one per mode

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Lines with every kind of line end, CR/LF padding and short blank lines.
    #[test]
    fn plain_lines((max_line, items, sizes) in scenario(|m| prop_oneof![
        4 => line(0..3, m),
        1 => ends(),
        1 => (1usize..4).prop_map(Item::Blank),
    ])) {
        mode(Driver::new(max_line), &items, &sizes)?;
    }

    /// Lines longer than the cap and blank lines of any length: one Overflow per
    /// over-long line, counting every byte; blank lines are padding.
    #[test]
    fn overlong_and_blank_lines((max_line, items, sizes) in scenario(|m| prop_oneof![
        2 => line(0..3, m * 3),
        2 => line(0..m * 3, m),
        2 => (1..m * 4).prop_map(Item::Blank),
        1 => ends(),
    ])) {
        mode(Driver::new(max_line), &items, &sizes)?;
    }

    /// Bare prompts with and without their trailing space, spaces before and
    /// after them, followed by text on the same line, by line ends, by another
    /// prompt or line, and by announced payloads.
    #[test]
    fn bare_prompts((max_line, items, sizes) in scenario(|m| prop_oneof![
        3 => prompt(m),
        3 => line(0..3, m),
        1 => ends(),
        1 => (1..m * 2).prop_map(Item::Blank),
        1 => next_line(),
    ])) {
        let d = Driver { prompts: PROMPTS, ..Driver::new(max_line) };
        mode(d, &items, &sizes)?;
    }

    /// Same-line payloads (`+C:<n>,<bytes>`), including headers longer than the cap.
    #[test]
    fn same_line_payloads((max_line, items, sizes) in scenario(|m| prop_oneof![
        3 => same_line(m),
        2 => line(0..3, m),
        1 => ends(),
    ])) {
        let d = Driver { same_line: true, ..Driver::new(max_line) };
        mode(d, &items, &sizes)?;
    }

    /// Next-line payloads: `+R: <n>` with any line end, then counted bytes.
    #[test]
    fn next_line_payloads((max_line, items, sizes) in scenario(|m| prop_oneof![
        3 => next_line(),
        2 => line(0..3, m),
        1 => ends(),
    ])) {
        mode(Driver::new(max_line), &items, &sizes)?;
    }

    /// Data mode until the terminator.
    #[test]
    fn data_mode_until_terminator((max_line, items, sizes) in scenario(|m| prop_oneof![
        3 => data_mode(),
        2 => line(0..3, m),
        1 => ends(),
    ])) {
        let d = Driver { connect: Connect::Until, ..Driver::new(max_line) };
        mode(d, &items, &sizes)?;
    }

    /// Data mode until a confirmed terminator: terminators inside the data that
    /// no `+Q:` line follows are data, and line ends between the terminator and
    /// the confirmation (up to the cap) are padding.
    #[test]
    fn data_mode_with_confirmation((max_line, items, sizes) in scenario(|m| prop_oneof![
        3 => confirmed(m),
        2 => line(0..3, m),
        1 => ends(),
    ])) {
        let d = Driver { connect: Connect::Confirmed, ..Driver::new(max_line) };
        mode(d, &items, &sizes)?;
    }

    /// A terminator followed by more line ends than a line may hold is data, and
    /// waiting for the decision holds at most the cap: the run is not buffered.
    #[test]
    fn a_long_run_of_line_ends_after_the_terminator_is_data(
        max_line in 16usize..48,
        data in data_mode_payload(),
        extra in 1usize..400,
        pattern in prop::collection::vec(prop::sample::select(vec![b'\r', b'\n']), 1..4),
        sizes in sizes(),
    ) {
        let limit = max_line - CONFIRM.len();
        let d = Driver { connect: Connect::Confirmed, ..Driver::new(max_line) };
        let mut tail = TERMINATOR.to_vec();
        tail.extend(pattern.iter().cycle().take(limit + extra));
        tail.extend_from_slice(b"+Q: 0,1\r\n");
        let mut stream = b"CONNECT\r\n".to_vec();
        stream.extend_from_slice(&data);
        stream.extend_from_slice(&tail);
        let want = match confirmed_end(&stream[9..], max_line) {
            // The payload itself ended the data (it may hold a confirmed terminator).
            Some(_) => None,
            None => {
                // All data; the final CR LF may start a terminator and is held back.
                let data = &stream[9..stream.len() - 2];
                Some(vec![Tok::Line(b"CONNECT".to_vec()), Tok::Data(data.to_vec())])
            }
        };
        check(&d, &stream, want.as_deref(), &sizes)?;
    }

    /// Anything, with prompts, same-line payloads and data mode in force: the
    /// frames do not depend on the reads.
    #[test]
    fn garbage_frames_the_same_however_cut(
        max_line in 0usize..48,
        pieces in prop::collection::vec(garbage_piece(), 0..24),
        confirm in any::<bool>(),
        sizes in sizes(),
    ) {
        let d = Driver {
            max_line,
            prompts: OVERLAPPING_PROMPTS,
            same_line: true,
            connect: if confirm { Connect::Confirmed } else { Connect::Until },
            eager: true,
        };
        check(&d, &pieces.concat(), None, &sizes)?;
    }

    /// An over-long line is exactly one Overflow counting the line and its CR,
    /// however it is cut.
    #[test]
    fn an_overlong_line_is_one_overflow_counting_every_byte(
        max_line in 16usize..64,
        long in 65usize..400,
        sizes in sizes(),
    ) {
        let items = [Item::Line(vec![b'x'; long], b"\r\n"), Item::Line(b"OK".to_vec(), b"\r\n")];
        let (stream, want) = build(&items, max_line);
        prop_assert_eq!(&want, &vec![Tok::Overflow(long + 1), Tok::Line(b"OK".to_vec())]);
        check(&Driver::new(max_line), &stream, Some(want.as_slice()), &sizes)?;
    }

    /// Text after a prompt on the same line (a modem echoing the upload,
    /// `> hello`) is a line without the spaces, however many and however cut.
    #[test]
    fn text_after_a_prompt_on_its_line(
        spaces in 0usize..40,
        text in text(0..1, 30),
        sizes in sizes(),
    ) {
        let mut stream = b"\r\n>".to_vec();
        stream.extend(std::iter::repeat_n(b' ', spaces));
        stream.extend_from_slice(&text);
        stream.extend_from_slice(b"\r\n");
        let d = Driver { prompts: PROMPTS, ..Driver::new(64) };
        let want = [Tok::Prompt("> "), Tok::Line(text.clone())];
        check(&d, &stream, Some(&want[..]), &sizes)?;
    }

    /// Arbitrary bytes with the framer switched into and out of raw data at
    /// arbitrary points, under any expectations: no panic, no empty or over-long
    /// line, and after each drained read at most max_line (+ the terminator in
    /// data mode) held.
    #[test]
    fn garbage_never_panics_and_memory_stays_bounded(
        max_line in 0usize..80,
        ops in prop::collection::vec(garbage_op(), 0..60),
    ) {
        let mut framer = Framer::new(max_line);
        let cap = max_line.max(16);
        for op in ops {
            match op {
                Op::Push { bytes, prompts, same_line } => {
                    framer.push(&bytes);
                    let expect = Expect {
                        prompts: if prompts { PROMPTS } else { &[] },
                        same_line: same_line.then_some(&SAME_LINE),
                    };
                    while let Some(frame) = framer.next_frame(expect) {
                        if let Frame::Line(l) | Frame::Header(l) = frame {
                            prop_assert!(!l.is_empty() && l.len() <= cap);
                        }
                    }
                    let bound = if framer.in_data() { cap + TERMINATOR.len() } else { cap };
                    prop_assert!(
                        framer.buffered() <= bound,
                        "{} bytes held after draining (max_line {})", framer.buffered(), cap
                    );
                }
                Op::ExpectData(n) => framer.expect_data(n),
                Op::Until => framer.expect_data_until(TERMINATOR),
                Op::Confirmed => framer.expect_data_until_confirmed(TERMINATOR, CONFIRM),
                Op::Cancel => framer.cancel_data(),
            }
        }
    }
}

fn garbage_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..16),
        3 => prop::collection::vec(
            prop::sample::select(b"\r\n +C:R>ABDOWNLOAD0123,CONNECTOKQ".to_vec()),
            1..12
        ),
        2 => prop::sample::select(vec![
            b"\r\n".to_vec(),
            b"> ".to_vec(),
            b"A".to_vec(),
            b"DOWNLOAD".to_vec(),
            b"+C:3,".to_vec(),
            b"+R: 4\r\n".to_vec(),
            b"CONNECT\r\n".to_vec(),
            TERMINATOR.to_vec(),
            b"+Q: 0,1\r\n".to_vec(),
            vec![b' '; 40],
            vec![b'\n'; 40],
            vec![b'x'; 70],
        ]),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    /// Push these bytes, then take every frame with these expectations.
    Push {
        bytes: Vec<u8>,
        prompts: bool,
        same_line: bool,
    },
    ExpectData(u64),
    Until,
    Confirmed,
    Cancel,
}

fn garbage_op() -> impl Strategy<Value = Op> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        prop::collection::vec(
            prop::sample::select(vec![
                b'\r', b'\n', b'+', b'C', b':', b'1', b'9', b',', b'>', b' ', b'O', b'K', b'Q',
            ]),
            0..60
        ),
    ];
    prop_oneof![
        8 => (bytes, any::<bool>(), any::<bool>()).prop_map(|(bytes, prompts, same_line)| {
            Op::Push { bytes, prompts, same_line }
        }),
        1 => (0u64..300).prop_map(Op::ExpectData),
        1 => Just(Op::Until),
        1 => Just(Op::Confirmed),
        1 => Just(Op::Cancel),
    ]
}

// ---------------------------------------------------------------------------
// The split-dependent cases found by fuzzing (issue 9, class 4), as examples

/// Frames of `stream` fed whole and fed as `pieces`.
fn whole_and_cut(d: &Driver, pieces: &[&[u8]]) -> (Vec<Tok>, Vec<Tok>) {
    let stream = pieces.concat();
    let whole = run(d, &stream, &[usize::MAX]).expect("bound");
    let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
    let cut = run(d, &stream, &sizes).expect("bound");
    (whole, cut)
}

#[test]
fn spaces_after_a_prompt_are_eaten_however_they_arrive() {
    let d = Driver {
        prompts: &["> "],
        connect: Connect::Until,
        ..Driver::new(64)
    };
    let (whole, cut) = whole_and_cut(&d, &[b"\r\n> ", b"  CONNECT\r\nab\r\nOK\r\n"]);
    let want = [
        Tok::Prompt("> "),
        Tok::Line(b"CONNECT".to_vec()),
        Tok::Data(b"ab".to_vec()),
        Tok::DataEnd,
    ];
    assert_eq!(whole, want);
    assert_eq!(
        cut, want,
        "the data-mode switch after a prompt's late spaces"
    );
}

#[test]
fn an_acknowledgement_after_a_space_is_still_a_prompt() {
    let d = Driver {
        prompts: &["A"],
        ..Driver::new(64)
    };
    let (whole, cut) = whole_and_cut(&d, &[b"A", b" A"]);
    assert_eq!(whole, [Tok::Prompt("A"), Tok::Prompt("A")]);
    assert_eq!(cut, whole);
}

#[test]
fn a_blank_line_longer_than_the_cap_is_padding_however_cut() {
    let d = Driver::new(16);
    let blank = [b' '; 40];
    let (whole, cut) = whole_and_cut(&d, &[b"\r\n", &blank, b"\r\nOK\r\n"]);
    assert_eq!(whole, [Tok::Line(b"OK".to_vec())]);
    assert_eq!(cut, whole);
}

#[test]
fn a_same_line_header_longer_than_the_cap_is_an_overflow_however_cut() {
    let d = Driver {
        same_line: true,
        ..Driver::new(16)
    };
    let header = [b"+C:".as_slice(), &[b' '; 20], b"3,abc\r\nOK\r\n"].concat();
    let (whole, cut) = whole_and_cut(&d, &[&header[..20], &header[20..]]);
    assert_eq!(whole, [Tok::Overflow(29), Tok::Line(b"OK".to_vec())]);
    assert_eq!(cut, whole);
}

#[test]
fn line_ends_after_a_terminator_awaiting_confirmation_are_not_buffered() {
    let max_line = 32;
    let d = Driver {
        connect: Connect::Confirmed,
        ..Driver::new(max_line)
    };
    let mut framer = Framer::new(max_line);
    let mut out = Vec::new();
    framer.push(b"CONNECT\r\nab\r\nOK\r\n");
    drain(&d, &mut framer, &mut out);
    for _ in 0..10_000 {
        framer.push(b"\r\n");
        drain(&d, &mut framer, &mut out);
        assert!(
            framer.buffered() <= max_line + TERMINATOR.len(),
            "{} bytes held",
            framer.buffered()
        );
    }
    framer.push(b"+Q: 0,2\r\n");
    drain(&d, &mut framer, &mut out);
    let Some(Tok::Data(data)) = out.get(1) else {
        panic!("no data: {out:?}");
    };
    assert!(
        data.starts_with(b"ab\r\nOK\r\n\r\n\r\n"),
        "the terminator and the line ends are data"
    );
    assert!(!out.contains(&Tok::DataEnd), "{out:?}");
}

#[test]
fn a_payload_ending_like_the_terminator_ends_where_the_confirmation_says() {
    // A text file whose last line is `OK` without a line end.
    let d = Driver {
        connect: Connect::Confirmed,
        ..Driver::new(64)
    };
    let (whole, cut) = whole_and_cut(
        &d,
        &[b"CONNECT\r\nfile\r\nOK", b"\r\nOK\r\n\r\n+Q: 0,8\r\n"],
    );
    let want = [
        Tok::Line(b"CONNECT".to_vec()),
        Tok::Data(b"file\r\nOK".to_vec()),
        Tok::DataEnd,
        Tok::Line(b"+Q: 0,8".to_vec()),
    ];
    assert_eq!(whole, want);
    assert_eq!(cut, want);
}

#[test]
fn a_longer_prompt_is_waited_for() {
    let d = Driver {
        prompts: &["AB", "A"],
        ..Driver::new(64)
    };
    let (whole, cut) = whole_and_cut(&d, &[b"A", b"B\r\nA", b"\r\n"]);
    assert_eq!(whole, [Tok::Prompt("AB"), Tok::Prompt("A")]);
    assert_eq!(cut, whole);
}

#[test]
fn an_overlong_line_fed_whole_is_one_overflow() {
    let (stream, _) = build(
        &[
            Item::Line(vec![b'x'; 300], b"\r\n"),
            Item::Line(b"OK".to_vec(), b"\r\n"),
        ],
        64,
    );
    let got = run(&Driver::new(64), &stream, &[usize::MAX]).expect("bound");
    assert_eq!(got, [Tok::Overflow(301), Tok::Line(b"OK".to_vec())]);
}
