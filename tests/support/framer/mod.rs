//! The stream model the framer's property tests (`tests/framer_props_*.rs`) share:
//! a driver that feeds the framer the way the client's reader does and checks the
//! contract for one stream ([`driver::check`]), streams built from items whose
//! frames are known ([`stream::build`]), and the generators of those items.
//!
//! The stream is driven the way the client's reader drives it: a `+R: <n>` line
//! switches to `n` bytes of raw data, a `CONNECT` line to data mode ended by
//! `\r\nOK\r\n` (confirmed by a following `+Q:` line in the confirmed mode).

use atspec::{LineParser, ParseError, PayloadRule, Placement};

pub mod driver;
pub mod generators;
pub mod stream;

/// Cases per mode.
pub const CASES: u32 = 10_000;
/// Streams up to this long are also cut in two at every position.
pub const TWO_PIECE_MAX: usize = 96;

pub const TERMINATOR: &[u8] = b"\r\nOK\r\n";
pub const CONFIRM: &[u8] = b"+Q:";
pub const PROMPTS: &[&str] = &["> ", "A", "DOWNLOAD"];
/// Prompts for garbage: some start others.
pub const OVERLAPPING_PROMPTS: &[&str] = &["> ", "A", "AB", "DOWN", "DOWNLOAD"];
/// Bytes a generated line may start with: never a prompt, payload header,
/// announcement or `CONNECT`.
pub const FIRST: &[u8] = b"bcefghijklmnopqrstuvwxyzBEFGHIJKLMNOPRSTUVWXYZ0123456789";

pub fn same_line_len(line: &[u8]) -> Result<(usize, usize), ParseError> {
    let mut p = LineParser::new(line);
    p.literal("+C:")?;
    let len = p.uint::<usize>("len")?;
    Ok((len, p.offset()))
}

pub const SAME_LINE: PayloadRule = PayloadRule {
    prefix: "+C:",
    placement: Placement::SameLine,
    length: same_line_len,
};
