//! Property tests of `atspec::Framer`'s contract (see the `atspec::framer` docs):
//! however a byte stream is cut into reads, the frames are the same, and after
//! every drained read the framer holds at most `max_line` bytes (plus the data-mode
//! terminator's length while in data mode).
//!
//! This file: payloads announced on the same line and on the next, and data mode
//! until a terminator, confirmed or not.
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
use support::framer::driver::{Connect, Driver, Tok, check};
use support::framer::generators::{
    confirmed, data_mode, data_mode_payload, ends, line, next_line, same_line, scenario, sizes,
};
use support::framer::stream::{confirmed_end, mode};
use support::framer::{CASES, CONFIRM, TERMINATOR};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

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
}
