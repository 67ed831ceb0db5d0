//! Property tests of `atspec::Framer`'s contract (see the `atspec::framer` docs):
//! however a byte stream is cut into reads, the frames are the same, and after
//! every drained read the framer holds at most `max_line` bytes (plus the data-mode
//! terminator's length while in data mode).
//!
//! This file: lines with every kind of line end, over-long and blank lines, and
//! bare prompts.
//!
//! Each mode has a generator of streams built from items whose frames are known
//! (`support::framer`), so every property checks three things: fed whole, the
//! stream gives exactly the items' frames; fed in random pieces, one byte at a time
//! and (for short streams) cut in two at every position, it gives the same frames;
//! and the buffer bound holds after every read. Adjacent `Data` frames are joined
//! before comparing (how many there are depends on the reads); nothing else is
//! merged: one over-long line is exactly one `Overflow` counting every byte.

mod support;

use proptest::prelude::*;
use support::framer::driver::{Driver, Tok, check};
use support::framer::generators::{ends, line, next_line, prompt, scenario, sizes, text};
use support::framer::stream::{Item, build, mode};
use support::framer::{CASES, PROMPTS};

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
}
