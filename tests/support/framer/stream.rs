//! Streams with known frames: items, their encoding and the frames they must give.

use proptest::test_runner::TestCaseError;

use super::driver::{Driver, Tok, check, push_tok};
use super::{CONFIRM, TERMINATOR};

#[derive(Debug, Clone)]
pub enum Item {
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
pub fn build(items: &[Item], max_line: usize) -> (Vec<u8>, Vec<Tok>) {
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

pub fn confirm_line(n: usize) -> Vec<u8> {
    format!("+Q: 0,{n}").into_bytes()
}

pub fn is_line_end(b: &u8) -> bool {
    *b == b'\r' || *b == b'\n'
}

/// Where confirmed data mode ends in `s`: the first terminator followed by at
/// most `max_line - CONFIRM.len()` line ends and `+Q:` (the framer's rule, written
/// naively).
pub fn confirmed_end(s: &[u8], max_line: usize) -> Option<usize> {
    let limit = max_line.checked_sub(CONFIRM.len())?;
    (0..s.len()).find(|&p| {
        s[p..].starts_with(TERMINATOR) && {
            let after = &s[p + TERMINATOR.len()..];
            let ends = after.iter().take_while(|b| is_line_end(b)).count();
            ends <= limit && after[ends..].starts_with(CONFIRM)
        }
    })
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn mode(d: Driver, items: &[Item], sizes: &[usize]) -> Result<(), TestCaseError> {
    let (stream, want) = build(items, d.max_line);
    check(&d, &stream, Some(want.as_slice()), sizes)
}
