//! Property tests of `atspec::Framer`: how a byte stream is cut into pieces must
//! not change what comes out, garbage must never panic or grow the buffer past
//! its cap, and an over-long line must not stop the lines after it.
//!
//! A stream is built from items, each with the frames it must give:
//!
//! - a line: `\r\n<text>\r\n` gives `Line(text)`;
//! - a next-line payload: `\r\n+R: <n>\r\n<n bytes>\r\n` gives `Line("+R: n")`,
//!   the bytes, `DataEnd` (the driver calls `expect_data(n)` after the line, as
//!   the client does);
//! - a same-line payload: `\r\n+C:<n>,<n bytes>\r\n` gives `Header("+C:n")`, the
//!   bytes, `DataEnd`;
//! - data mode: `\r\nCONNECT\r\n<bytes>\r\nOK\r\n` gives `Line("CONNECT")`, the
//!   bytes, `DataEnd` (the driver calls `expect_data_until`);
//! - a bare prompt `\r\n> ` gives `Prompt("> ")`;
//! - an over-long line gives `Overflow`.
//!
//! Payload bytes are arbitrary (CR, LF, `OK`, NUL...). Data frames are joined
//! and runs of `Overflow` merged before comparing, since chunking changes how
//! many of them there are.

use atspec::{Expect, Frame, Framer, LineParser, ParseError, PayloadRule, Placement};
use proptest::prelude::*;

const PROMPTS: &[&str] = &["> "];
const DATA_MODE_END: &[u8] = b"\r\nOK\r\n";

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

fn expect() -> Expect<'static> {
    Expect {
        prompts: PROMPTS,
        same_line: Some(&SAME_LINE),
    }
}

/// A frame, owned and normalised for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Line(Vec<u8>),
    Header(Vec<u8>),
    Prompt(&'static str),
    Data(Vec<u8>),
    DataEnd,
    /// One or more `Frame::Overflow` in a row, with the bytes they report.
    Overflow(Vec<usize>),
}

impl Tok {
    /// The token without the counts that depend on chunking.
    fn shape(&self) -> Tok {
        match self {
            Tok::Overflow(_) => Tok::Overflow(Vec::new()),
            other => other.clone(),
        }
    }
}

fn push_tok(out: &mut Vec<Tok>, tok: Tok) {
    match (out.last_mut(), tok) {
        (Some(Tok::Data(prev)), Tok::Data(more)) => prev.extend_from_slice(&more),
        (Some(Tok::Overflow(prev)), Tok::Overflow(more)) => prev.extend_from_slice(&more),
        (_, tok) => out.push(tok),
    }
}

#[derive(Debug, Clone)]
enum Item {
    Line(Vec<u8>),
    NextLine(Vec<u8>),
    SameLine(Vec<u8>),
    DataMode(Vec<u8>),
    Prompt,
    Long(Vec<u8>),
}

impl Item {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Item::Line(text) | Item::Long(text) => {
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            }
            Item::NextLine(data) => {
                out.extend_from_slice(format!("\r\n+R: {}\r\n", data.len()).as_bytes());
                out.extend_from_slice(data);
                out.extend_from_slice(b"\r\n");
            }
            Item::SameLine(data) => {
                out.extend_from_slice(format!("\r\n+C:{},", data.len()).as_bytes());
                out.extend_from_slice(data);
                out.extend_from_slice(b"\r\n");
            }
            Item::DataMode(data) => {
                out.extend_from_slice(b"\r\nCONNECT\r\n");
                out.extend_from_slice(data);
                out.extend_from_slice(DATA_MODE_END);
            }
            Item::Prompt => out.extend_from_slice(b"\r\n> "),
        }
    }

    fn frames(&self, out: &mut Vec<Tok>) {
        let payload = |out: &mut Vec<Tok>, data: &[u8]| {
            if !data.is_empty() {
                push_tok(out, Tok::Data(data.to_vec()));
            }
            push_tok(out, Tok::DataEnd);
        };
        match self {
            Item::Line(text) => push_tok(out, Tok::Line(text.clone())),
            Item::NextLine(data) => {
                push_tok(out, Tok::Line(format!("+R: {}", data.len()).into_bytes()));
                payload(out, data);
            }
            Item::SameLine(data) => {
                push_tok(out, Tok::Header(format!("+C:{}", data.len()).into_bytes()));
                payload(out, data);
            }
            Item::DataMode(data) => {
                push_tok(out, Tok::Line(b"CONNECT".to_vec()));
                payload(out, data);
            }
            Item::Prompt => push_tok(out, Tok::Prompt("> ")),
            Item::Long(_) => push_tok(out, Tok::Overflow(Vec::new())),
        }
    }
}

/// What feeding `stream` in pieces of the given sizes (cycled) yields, driving
/// the framer the way the client does. Checks the memory bound on the way.
fn run(stream: &[u8], sizes: &[usize], max_line: usize) -> Vec<Tok> {
    let mut framer = Framer::new(max_line);
    let cap = max_line.max(16);
    let mut out = Vec::new();
    let mut rest = stream;
    let mut sizes = sizes.iter().cycle();
    let mut largest_push = 0;
    while !rest.is_empty() {
        let n = (*sizes.next().expect("sizes")).clamp(1, rest.len());
        framer.push(&rest[..n]);
        largest_push = largest_push.max(n);
        rest = &rest[n..];
        assert!(
            framer.buffered() <= cap + largest_push,
            "buffered {} > max_line {cap} + largest push {largest_push}",
            framer.buffered()
        );
        drain(&mut framer, &mut out);
        assert!(
            framer.buffered() <= cap,
            "{} bytes held after draining (max_line {cap})",
            framer.buffered()
        );
    }
    out
}

fn drain(framer: &mut Framer, out: &mut Vec<Tok>) {
    loop {
        let tok = match framer.next_frame(expect()) {
            None => return,
            Some(Frame::Line(l)) => Tok::Line(l.to_vec()),
            Some(Frame::Header(h)) => Tok::Header(h.to_vec()),
            Some(Frame::Prompt(p)) => Tok::Prompt(p),
            Some(Frame::Data(d)) => Tok::Data(d.to_vec()),
            Some(Frame::DataEnd) => Tok::DataEnd,
            Some(Frame::Overflow { discarded }) => Tok::Overflow(vec![discarded]),
        };
        // Announcing lines switch the framer to raw data, as the client's reader does.
        if let Tok::Line(line) = &tok {
            let announced = line
                .strip_prefix(b"+R: ")
                .and_then(|n| std::str::from_utf8(n).ok()?.parse::<u64>().ok());
            if let Some(len) = announced {
                framer.expect_data(len);
            } else if line == b"CONNECT" {
                framer.expect_data_until(DATA_MODE_END);
            }
        }
        push_tok(out, tok);
    }
}

fn shapes(toks: &[Tok]) -> Vec<Tok> {
    toks.iter().map(Tok::shape).collect()
}

// ---------------------------------------------------------------------------
// Generators

/// Printable text without CR/LF that starts with a letter or digit (so it is
/// neither a prompt, nor a payload header, nor `CONNECT`... by accident).
fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(b"abcdefghijklmnopqrstuvwxyzABDEFGHIJ0123456789".to_vec()),
        prop::collection::vec(0x20u8..0x7f, 0..max),
    )
        .prop_map(|(first, rest)| {
            let mut t = vec![first];
            t.extend(rest);
            t
        })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80),
        // Bytes that look like lines and result codes.
        prop::collection::vec(
            prop::sample::select(vec![b'\r', b'\n', b'O', b'K', b'+', b'R', b':', b' ', b'>']),
            0..40
        ),
    ]
}

fn data_mode_payload() -> impl Strategy<Value = Vec<u8>> {
    payload().prop_filter("must not contain the data-mode terminator", |d| {
        let mut s = d.clone();
        s.extend_from_slice(DATA_MODE_END);
        memmem(&s, DATA_MODE_END) == Some(d.len())
    })
}

fn memmem(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Any printable text without CR/LF: may look like a payload header
/// (`+C:3,abc`, `+R: 4`), `CONNECT`, contain `> `, or be longer than the line
/// cap. It does not start with `>` (text right after a prompt on the same line:
/// see `text_after_a_prompt_on_its_line`).
fn wild_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(0x20u8..0x7f, 1..70),
        prop::collection::vec(
            prop::sample::select(b"+CR: 0123,> CONNECTOK".to_vec()),
            1..12
        ),
    ]
    .prop_filter("starts like a prompt", |t| t[0] != b'>')
}

fn item(max_line: usize, wild: bool) -> BoxedStrategy<Item> {
    let line = if wild {
        wild_text().boxed()
    } else {
        text(max_line.min(60)).boxed()
    };
    prop_oneof![
        4 => line.prop_map(Item::Line),
        2 => payload().prop_map(Item::NextLine),
        2 => payload().prop_map(Item::SameLine),
        1 => data_mode_payload().prop_map(Item::DataMode),
        1 => Just(Item::Prompt),
        1 => (max_line + 1..max_line * 3)
            .prop_flat_map(|n| prop::collection::vec(b'a'..=b'z', n))
            .prop_map(Item::Long),
    ]
    .boxed()
}

/// A line cap, items, and piece sizes. `wild`: lines may be anything printable,
/// so the items' own frames are not known (only chunking invariance is checked).
fn scenario(wild: bool) -> impl Strategy<Value = (usize, Vec<Item>, Vec<usize>)> {
    (16usize..100).prop_flat_map(move |max_line| {
        (
            Just(max_line),
            prop::collection::vec(item(max_line, wild), 0..24),
            prop::collection::vec(1usize..24, 1..40),
        )
    })
}

fn build(items: &[Item]) -> (Vec<u8>, Vec<Tok>) {
    let mut stream = Vec::new();
    let mut want = Vec::new();
    for item in items {
        item.encode(&mut stream);
        item.frames(&mut want);
    }
    (stream, want)
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Fed whole, the stream gives exactly the items' frames.
    #[test]
    fn whole_stream_gives_the_items_frames((max_line, items, _) in scenario(false)) {
        let (stream, want) = build(&items);
        let got = run(&stream, &[usize::MAX], max_line);
        prop_assert_eq!(shapes(&got), want);
    }

    /// Cut anywhere (random sizes, and one byte at a time), the stream gives the
    /// same frames as fed whole, whatever the lines say.
    #[test]
    fn chunking_does_not_change_the_frames((max_line, items, sizes) in scenario(true)) {
        let (stream, _) = build(&items);
        let whole = shapes(&run(&stream, &[usize::MAX], max_line));
        let cut = shapes(&run(&stream, &sizes, max_line));
        prop_assert_eq!(&cut, &whole, "cut in pieces of {:?}", sizes);
        let bytes = shapes(&run(&stream, &[1], max_line));
        prop_assert_eq!(&bytes, &whole, "one byte at a time");
    }

    /// An over-long line gives Overflow, and the lines after it still frame, for
    /// any chunking.
    #[test]
    fn lines_after_an_overlong_line_still_frame(
        max_line in 16usize..64,
        long in 65usize..400,
        lines in prop::collection::vec(text(16), 1..6),
        sizes in prop::collection::vec(1usize..32, 1..20),
    ) {
        let mut items = vec![Item::Long(vec![b'x'; long])];
        items.extend(lines.iter().cloned().map(Item::Line));
        let (stream, want) = build(&items);
        for sizes in [&sizes[..], &[1], &[usize::MAX]] {
            let got = run(&stream, sizes, max_line);
            prop_assert_eq!(shapes(&got), want.clone(), "pieces of {:?}", sizes);
            let Some(Tok::Overflow(reports)) = got.first() else {
                panic!("no Overflow first: {got:?}");
            };
            prop_assert!(reports.iter().all(|d| *d > 0));
        }
    }

    /// Arbitrary bytes, cut anywhere, with the framer switched into and out of
    /// raw data at arbitrary points and arbitrary prompts and payload rules in
    /// force: no panic, and with every push drained (as the client's reader
    /// does), the buffer never holds more than max_line + the largest push.
    #[test]
    fn garbage_never_panics_and_memory_stays_bounded(
        max_line in 0usize..80,
        ops in prop::collection::vec(garbage_op(), 0..60),
    ) {
        let mut framer = Framer::new(max_line);
        let cap = max_line.max(16);
        let mut largest_push = 0;
        for op in ops {
            match op {
                Op::Push { bytes, prompts, same_line } => {
                    largest_push = largest_push.max(bytes.len());
                    framer.push(&bytes);
                    prop_assert!(
                        framer.buffered() <= cap + largest_push,
                        "buffered {} > max_line {} + largest push {}",
                        framer.buffered(), cap, largest_push
                    );
                    let expect = Expect {
                        prompts: if prompts { PROMPTS } else { &[] },
                        same_line: same_line.then_some(&SAME_LINE),
                    };
                    while let Some(frame) = framer.next_frame(expect) {
                        if let Frame::Line(l) | Frame::Header(l) = frame {
                            prop_assert!(!l.is_empty() && l.len() <= cap);
                        }
                    }
                    prop_assert!(
                        framer.buffered() <= cap,
                        "{} bytes held after draining (max_line {})", framer.buffered(), cap
                    );
                }
                Op::ExpectData(n) => framer.expect_data(n),
                Op::Until => framer.expect_data_until(DATA_MODE_END),
                Op::Cancel => framer.cancel_data(),
            }
        }
    }
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
    Cancel,
}

fn garbage_op() -> impl Strategy<Value = Op> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        prop::collection::vec(
            prop::sample::select(vec![
                b'\r', b'\n', b'+', b'C', b':', b'1', b'9', b',', b'>', b' ', b'O', b'K',
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
        1 => Just(Op::Cancel),
    ]
}

/// For the properties that document known bugs: failing cases are not written
/// to `proptest-regressions/` when someone runs the ignored tests.
fn known_bug_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(known_bug_config())]

    /// The module contract: "A line longer than the cap produces one
    /// Frame::Overflow", and `discarded` is "Bytes thrown away". Fed in pieces,
    /// one line gives several Overflow frames, and the bytes dropped between them
    /// are counted nowhere.
    #[test]
    fn an_overlong_line_is_one_overflow_counting_every_byte(
        max_line in 16usize..64,
        long in 65usize..400,
        sizes in prop::collection::vec(1usize..32, 1..20),
    ) {
        let items = [Item::Long(vec![b'x'; long]), Item::Line(b"OK".to_vec())];
        let (stream, _) = build(&items);
        let got = run(&stream, &sizes, max_line);
        let Some(Tok::Overflow(reports)) = got.first() else {
            panic!("no Overflow first: {got:?}");
        };
        prop_assert_eq!(reports.len(), 1, "Overflow frames for one line: {:?}", reports);
        // The line and its CR (the framer's own convention when fed whole).
        prop_assert_eq!(reports[0], long + 1);
    }
}

/// The same, fed whole: one Overflow, counting the line and its CR.
#[test]
fn an_overlong_line_fed_whole_is_one_overflow() {
    let items = [Item::Long(vec![b'x'; 300]), Item::Line(b"OK".to_vec())];
    let (stream, _) = build(&items);
    let got = run(&stream, &[usize::MAX], 64);
    assert_eq!(
        got,
        [Tok::Overflow(vec![301]), Tok::Line(b"OK".to_vec())],
        "{got:?}"
    );
}

proptest! {
    #![proptest_config(known_bug_config())]

    /// A bare prompt followed by text on the same line (a modem echoing the
    /// upload, `> hello`). Fed whole, the prompt takes its trailing space; cut
    /// after the `>`, the framer reports the prompt at once and the space that
    /// arrives next starts the following line (` hello`).
    #[test]
    fn text_after_a_prompt_on_its_line(
        text in text(30),
        sizes in prop::collection::vec(1usize..8, 1..10),
    ) {
        let mut stream = b"\r\n> ".to_vec();
        stream.extend_from_slice(&text);
        stream.extend_from_slice(b"\r\n");
        let whole = run(&stream, &[usize::MAX], 64);
        prop_assert_eq!(&whole, &vec![Tok::Prompt("> "), Tok::Line(text.clone())]);
        for sizes in [&sizes[..], &[1]] {
            prop_assert_eq!(&run(&stream, sizes, 64), &whole, "pieces of {:?}", sizes);
        }
    }
}
