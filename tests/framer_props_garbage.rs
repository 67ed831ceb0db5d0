//! Property tests of `atspec::Framer`'s contract (see the `atspec::framer` docs):
//! however a byte stream is cut into reads, the frames are the same, and after
//! every drained read the framer holds at most `max_line` bytes (plus the data-mode
//! terminator's length while in data mode).
//!
//! This file: arbitrary bytes under any expectations, and the split-dependent
//! cases fuzzing found.

mod support;

use atspec::{Expect, Frame, Framer};
use proptest::prelude::*;
use support::framer::driver::{Connect, Driver, Tok, check, drain, run, whole_and_cut};
use support::framer::generators::{Op, garbage_op, garbage_piece, sizes};
use support::framer::stream::{Item, build};
use support::framer::{CASES, CONFIRM, OVERLAPPING_PROMPTS, PROMPTS, SAME_LINE, TERMINATOR};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

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

// ---------------------------------------------------------------------------
// The split-dependent cases found by fuzzing (issue 9, class 4), as examples

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
