//! Generators: read sizes, the items of each mode, and garbage.

use proptest::prelude::*;

use super::stream::{Item, confirm_line, confirmed_end, find, is_line_end};
use super::{CONFIRM, FIRST, PROMPTS, TERMINATOR};

pub fn sizes() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![
        3 => prop::collection::vec(1usize..12, 1..40),
        1 => prop::collection::vec(1usize..200, 1..8),
    ]
}

pub fn line_end() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![b"\r\n" as &[u8], b"\n", b"\r", b"\n\r"])
}

pub fn ends() -> impl Strategy<Value = Item> {
    prop::collection::vec(prop::sample::select(vec![b'\r', b'\n']), 1..4).prop_map(Item::Ends)
}

pub fn spaces(n: usize) -> Vec<u8> {
    vec![b' '; n]
}

/// `lead` spaces, then printable text without CR/LF starting with a `FIRST`
/// byte; at most `max` bytes after the spaces.
pub fn text(lead: std::ops::Range<usize>, max: usize) -> impl Strategy<Value = Vec<u8>> {
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

pub fn line(lead: std::ops::Range<usize>, max: usize) -> impl Strategy<Value = Item> {
    (text(lead, max), line_end()).prop_map(|(t, end)| Item::Line(t, end))
}

/// Raw payload bytes: anything, or bytes that look like lines and results.
pub fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..60),
        prop::collection::vec(
            prop::sample::select(vec![b'\r', b'\n', b'O', b'K', b'+', b'R', b':', b' ', b'>']),
            0..40
        ),
    ]
}

pub fn next_line() -> impl Strategy<Value = Item> {
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

pub fn same_line(max_line: usize) -> impl Strategy<Value = Item> {
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
pub fn data_mode_payload() -> impl Strategy<Value = Vec<u8>> {
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

pub fn data_mode() -> impl Strategy<Value = Item> {
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

pub fn confirmed(max_line: usize) -> impl Strategy<Value = Item> {
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

pub fn prompt(max_line: usize) -> impl Strategy<Value = Item> {
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
pub fn scenario<S: Strategy<Value = Item> + 'static>(
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

pub fn garbage_piece() -> impl Strategy<Value = Vec<u8>> {
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
pub enum Op {
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

pub fn garbage_op() -> impl Strategy<Value = Op> {
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
