//! Tolerant parsing of response, URC and command lines.
//!
//! Manuals show one field with and without a space after the colon
//! (`+XYZ: 0,200,1000` / `+XYZ: 0, 200,14384`), and one string both
//! quoted and bare (`+XYZ: 0,/` / `+XYZ: 0,"/"`). Generated parsers drive a
//! [`LineParser`] through a line's template; it accepts those variants and reports
//! anything else as a [`ParseError`] that says what was expected and where.
//!
//! Command lines (what a modem receives, read by emulators and log readers) are read
//! with [`LineParser::command_line`], which also accepts what the dialect's
//! [`CommandTolerance`] says the modem accepts: letters in any case, quoted numbers,
//! unquoted strings. Response and URC parsing is not affected by it.

mod command;
mod literal;

use std::fmt;

use winnow::ascii::{dec_int, dec_uint, space0};
use winnow::error::ContextError;
use winnow::prelude::*;

pub use command::{CommandShape, CommandTolerance, parse_command_line, starts_like_command};
use literal::{LiteralRules, is_space, match_literal};

/// The longest part of an offending line kept in a [`ParseError`].
const MAX_LINE_IN_ERROR: usize = 160;

/// A line that does not have the shape the spec gives for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What was expected (a literal, a field name and type, the end of the line).
    pub expected: String,
    /// Byte offset in the line where the mismatch starts.
    pub column: usize,
    /// The line (lossily decoded, cut at 160 bytes).
    pub line: String,
}

impl ParseError {
    /// Builds an error for `line` at byte offset `column`.
    pub fn new(line: &[u8], column: usize, expected: impl Into<String>) -> Self {
        let shown = &line[..line.len().min(MAX_LINE_IN_ERROR)];
        Self {
            expected: expected.into(),
            column,
            line: String::from_utf8_lossy(shown).into_owned(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected {} at byte {} of line {:?}",
            self.expected, self.column, self.line
        )
    }
}

impl std::error::Error for ParseError {}

/// How a string field is delimited on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Always between double quotes.
    Always,
    /// Never quoted; ends at the next `,` (or takes the rest of the line, see
    /// [`LineParser::rest`]).
    Never,
    /// Either form; the modem has been seen sending both.
    Optional,
}

/// Where an unquoted string value ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Before the next `,`.
    Comma,
    /// At the end of the line.
    End,
}

/// A cursor over one line, advanced field by field by generated code.
#[derive(Debug, Clone)]
pub struct LineParser<'a> {
    line: &'a [u8],
    rest: &'a [u8],
    /// `Some` for a command line: what the modem accepts beyond the canonical form.
    command: Option<CommandTolerance>,
}

impl<'a> LineParser<'a> {
    /// Starts at the beginning of a response or URC `line` (without its CR LF).
    pub fn new(line: &'a [u8]) -> Self {
        Self {
            line,
            rest: line,
            command: None,
        }
    }

    /// Starts at the beginning of a command `line` (without its terminator), reading
    /// it as a modem with `tolerance` does. Besides the tolerance of [`Self::new`]:
    /// `=` may be followed by spaces; with [`CommandTolerance::any_case`] fixed text
    /// matches in any letter case; with [`CommandTolerance::quoted_numbers`] integers
    /// may be quoted; with [`CommandTolerance::unquoted_strings`] strings that are
    /// always quoted may come bare (see [`Self::string`] and [`Self::string_to_end`]).
    /// A literal that does not match is reported where the mismatch is, not where
    /// the literal starts, so that the shape that read furthest can be told.
    pub fn command_line(line: &'a [u8], tolerance: CommandTolerance) -> Self {
        Self {
            line,
            rest: line,
            command: Some(tolerance),
        }
    }

    fn column(&self) -> usize {
        self.line.len() - self.rest.len()
    }

    fn error(&self, expected: impl Into<String>) -> ParseError {
        ParseError::new(self.line, self.column(), expected)
    }

    fn literal_rules(&self) -> LiteralRules {
        self.command
            .map(CommandTolerance::literal_rules)
            .unwrap_or_default()
    }

    /// Matches fixed template text. A space in the template matches any run of spaces
    /// (or none); `:` and `,` may be followed by spaces and `,` preceded by them.
    pub fn literal(&mut self, text: &str) -> Result<(), ParseError> {
        match match_literal(self.rest, text.as_bytes(), self.literal_rules()) {
            Ok(taken) => {
                self.rest = &self.rest[taken..];
                Ok(())
            }
            Err((at, index)) if self.command.is_some() => Err(ParseError::new(
                self.line,
                self.column() + at,
                format!("{:?}", &text[index..]),
            )),
            Err(_) => Err(self.error(format!("{text:?}"))),
        }
    }

    /// Whether fixed template text comes next, without consuming it. Used for
    /// optional and repeated groups.
    pub fn peek_literal(&self, text: &str) -> bool {
        match_literal(self.rest, text.as_bytes(), self.literal_rules()).is_ok()
    }

    /// Byte offset of the next unread byte in the line.
    pub fn offset(&self) -> usize {
        self.column()
    }

    /// How many bytes are left (used to make sure repeated groups advance).
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether only spaces remain.
    pub fn is_at_end(&self) -> bool {
        self.rest.iter().all(|b| *b == b' ')
    }

    /// Requires that nothing but spaces remains.
    pub fn end(&mut self) -> Result<(), ParseError> {
        if self.is_at_end() {
            self.rest = &self.rest[self.rest.len()..];
            Ok(())
        } else {
            Err(self.error("end of line"))
        }
    }

    /// The digits between a leading `"` and its closing quote when the number may
    /// come quoted (its field's `quoting`, or a command line whose dialect takes
    /// quoted numbers); otherwise the input as it stands. `None`: a number that must
    /// be quoted comes bare.
    fn number_input(&self, quoting: Quoting) -> Option<(&'a [u8], bool)> {
        let start = self
            .rest
            .iter()
            .position(|b| !is_space(*b))
            .unwrap_or(self.rest.len());
        let may_quote = quoting != Quoting::Never || self.command.is_some_and(|t| t.quoted_numbers);
        let quoted = may_quote && self.rest.get(start) == Some(&b'"');
        if quoting == Quoting::Always && !quoted {
            return None;
        }
        Some(if quoted {
            (&self.rest[start + 1..], true)
        } else {
            (self.rest, false)
        })
    }

    /// Reads a number with `read` and, if it was quoted, its closing quote.
    fn number<T>(
        &mut self,
        quoting: Quoting,
        read: impl FnOnce(&mut &'a [u8]) -> Option<T>,
        expected: impl FnOnce() -> String,
    ) -> Result<T, ParseError> {
        let Some((mut input, quoted)) = self.number_input(quoting) else {
            return Err(self.error(format!("`\"` before {}", expected())));
        };
        let value = read(&mut input);
        let closed = !quoted || input.first() == Some(&b'"');
        match value {
            Some(v) if closed => {
                self.rest = if quoted { &input[1..] } else { input };
                Ok(v)
            }
            _ => Err(self.error(expected())),
        }
    }

    /// Reads an unsigned decimal integer field that fits `T`.
    pub fn uint<T: TryFrom<u64>>(&mut self, field: &str) -> Result<T, ParseError> {
        self.uint_quoted(field, Quoting::Never)
    }

    /// Reads an unsigned decimal integer field that fits `T`, delimited by `quoting`
    /// (for modems that send or take an integer between double quotes).
    pub fn uint_quoted<T: TryFrom<u64>>(
        &mut self,
        field: &str,
        quoting: Quoting,
    ) -> Result<T, ParseError> {
        self.number(
            quoting,
            |input| {
                let parsed: Result<u64, ContextError> =
                    (space0, dec_uint).map(|(_, v)| v).parse_next(input);
                parsed.ok().and_then(|v| T::try_from(v).ok())
            },
            || {
                format!(
                    "unsigned integer `{field}` ({})",
                    std::any::type_name::<T>()
                )
            },
        )
    }

    /// Reads a signed decimal integer field that fits `T`.
    pub fn int<T: TryFrom<i64>>(&mut self, field: &str) -> Result<T, ParseError> {
        self.int_quoted(field, Quoting::Never)
    }

    /// Reads a signed decimal integer field that fits `T`, delimited by `quoting`.
    pub fn int_quoted<T: TryFrom<i64>>(
        &mut self,
        field: &str,
        quoting: Quoting,
    ) -> Result<T, ParseError> {
        self.number(
            quoting,
            |input| {
                let parsed: Result<i64, ContextError> =
                    (space0, dec_int).map(|(_, v)| v).parse_next(input);
                parsed.ok().and_then(|v| T::try_from(v).ok())
            },
            || format!("integer `{field}` ({})", std::any::type_name::<T>()),
        )
    }

    /// Reads a string field. An unquoted string ends before the next `,`; trailing
    /// spaces are dropped.
    pub fn string(&mut self, field: &str, quoting: Quoting) -> Result<String, ParseError> {
        self.string_until(field, quoting, Stop::Comma)
    }

    /// Reads a string field that nothing can follow on the line: like
    /// [`Self::string`], but an unquoted value takes the rest of the line, commas
    /// included (trailing spaces dropped).
    pub fn string_to_end(&mut self, field: &str, quoting: Quoting) -> Result<String, ParseError> {
        self.string_until(field, quoting, Stop::End)
    }

    fn string_until(
        &mut self,
        field: &str,
        quoting: Quoting,
        stop: Stop,
    ) -> Result<String, ParseError> {
        let start = self
            .rest
            .iter()
            .position(|b| !is_space(*b))
            .unwrap_or(self.rest.len());
        let input = &self.rest[start..];
        // A command-line string that is always quoted may come bare, but not empty
        // (an empty position is a parameter left out) and not starting with `?`
        // (`AT+X=?` is the test form, never a write of "?").
        let bare_allowed = self.command.is_some_and(|t| t.unquoted_strings);
        let (quoting, bare_min) = match quoting {
            Quoting::Always if bare_allowed => (Quoting::Optional, 1),
            other => (other, 0),
        };
        let starts_quoted = input.first() == Some(&b'"');
        match (quoting, starts_quoted) {
            (Quoting::Always | Quoting::Optional, true) => {
                match input[1..].iter().position(|b| *b == b'"') {
                    Some(close) => {
                        self.rest = &input[1 + close + 1..];
                        Ok(String::from_utf8_lossy(&input[1..1 + close]).into_owned())
                    }
                    None => Err(self.error(format!("string `{field}` with a closing quote"))),
                }
            }
            (Quoting::Never | Quoting::Optional, false) => {
                let end = match stop {
                    Stop::Comma => input.iter().position(|b| *b == b',').unwrap_or(input.len()),
                    Stop::End => input.len(),
                };
                let text = trim_trailing_spaces(&input[..end]);
                if text.len() < bare_min || (bare_min > 0 && text.starts_with(b"?")) {
                    return Err(self.error(format!("string `{field}`")));
                }
                self.rest = &input[end..];
                Ok(String::from_utf8_lossy(text).into_owned())
            }
            (Quoting::Always, false) => Err(self.error(format!("quoted string `{field}`"))),
            (Quoting::Never, true) => Err(self.error(format!("unquoted string `{field}`"))),
        }
    }

    /// Reads a string whose quoted form escapes `"`, `,` and `escape` itself with
    /// `escape` (the inverse of [`CommandWriter::string_escaped`](crate::CommandWriter::string_escaped)).
    pub fn string_escaped(
        &mut self,
        field: &str,
        quoting: Quoting,
        escape: char,
    ) -> Result<String, ParseError> {
        let start = self
            .rest
            .iter()
            .position(|b| *b != b' ')
            .unwrap_or(self.rest.len());
        let input = &self.rest[start..];
        if input.first() != Some(&b'"') {
            return self.string(field, quoting);
        }
        if quoting == Quoting::Never {
            return Err(self.error(format!("unquoted string `{field}`")));
        }
        let text = String::from_utf8_lossy(&input[1..]).into_owned();
        let mut value = String::new();
        let mut chars = text.char_indices();
        while let Some((at, ch)) = chars.next() {
            match ch {
                '"' => {
                    // `at` counts bytes of the lossy text; exact for valid UTF-8.
                    self.rest = &input[(1 + at + 1).min(input.len())..];
                    return Ok(value);
                }
                c if c == escape => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                c => value.push(c),
            }
        }
        Err(self.error(format!("string `{field}` with a closing quote")))
    }

    /// Reads a string that the modem may send as `prefix` followed by its UTF-8 bytes
    /// in hexadecimal (the inverse of [`CommandWriter::string_non_ascii`](crate::CommandWriter::string_non_ascii)).
    pub fn string_non_ascii(
        &mut self,
        field: &str,
        quoting: Quoting,
        prefix: &str,
    ) -> Result<String, ParseError> {
        let start = self
            .rest
            .iter()
            .position(|b| *b != b' ')
            .unwrap_or(self.rest.len());
        if !self.rest[start..].starts_with(prefix.as_bytes()) {
            return self.string(field, quoting);
        }
        self.rest = &self.rest[start + prefix.len()..];
        let hex = self.string(field, quoting)?;
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect();
        match bytes.and_then(|b| String::from_utf8(b).ok()) {
            Some(text) if hex.len() % 2 == 0 => Ok(text),
            _ => Err(self.error(format!("hexadecimal UTF-8 for `{field}`"))),
        }
    }

    /// Reads everything up to the end of the line as text (for a last field that
    /// may itself contain commas, such as a header line).
    pub fn rest(&mut self) -> String {
        let start = self
            .rest
            .iter()
            .position(|b| *b != b' ')
            .unwrap_or(self.rest.len());
        let text = trim_trailing_spaces(&self.rest[start..]);
        self.rest = &self.rest[self.rest.len()..];
        String::from_utf8_lossy(text).into_owned()
    }
}

/// Whether `line` starts with `prefix`, with the whitespace tolerance of
/// [`LineParser::literal`] (`+X: DATA,` matches `+X:DATA,` and `+X: DATA ,`).
pub fn starts_like(line: &[u8], prefix: &str) -> bool {
    match_literal(line, prefix.as_bytes(), LiteralRules::default()).is_ok()
}

fn trim_trailing_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [head @ .., b' '] = bytes {
        bytes = head;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_after_colon_and_commas_are_optional() {
        for line in ["+X: 0,200,1000", "+X:0, 200 ,1000", "+X:  0,200,1000  "] {
            let mut p = LineParser::new(line.as_bytes());
            p.literal("+X: ").unwrap();
            assert_eq!(p.uint::<u8>("a").unwrap(), 0);
            p.literal(",").unwrap();
            assert_eq!(p.uint::<u16>("b").unwrap(), 200);
            p.literal(",").unwrap();
            assert_eq!(p.uint::<u32>("c").unwrap(), 1000);
            p.end().unwrap();
        }
    }

    #[test]
    fn strings_quoted_or_bare() {
        let mut p = LineParser::new(b"0,/ ,\"/a,b\"");
        assert_eq!(p.uint::<u8>("e").unwrap(), 0);
        p.literal(",").unwrap();
        assert_eq!(p.string("dir", Quoting::Optional).unwrap(), "/");
        p.literal(",").unwrap();
        assert_eq!(p.string("dir", Quoting::Optional).unwrap(), "/a,b");
        p.end().unwrap();
    }

    #[test]
    fn errors_say_what_and_where() {
        let mut p = LineParser::new(b"+X: 0,abc");
        p.literal("+X: ").unwrap();
        p.uint::<u8>("a").unwrap();
        p.literal(",").unwrap();
        let err = p.uint::<u8>("b").unwrap_err();
        assert_eq!(err.column, 6);
        assert!(err.to_string().contains("`b`"), "{err}");
    }

    #[test]
    fn integer_overflow_is_an_error_not_a_wrap() {
        let mut p = LineParser::new(b"256");
        assert!(p.uint::<u8>("n").is_err());
        let mut p = LineParser::new(b"99999999999999999999999");
        assert!(p.uint::<u64>("n").is_err());
    }

    #[test]
    fn unterminated_quote_is_an_error() {
        let mut p = LineParser::new(b"\"abc");
        assert!(p.string("s", Quoting::Always).is_err());
    }

    #[test]
    fn prefixes_match_with_whitespace_tolerance() {
        assert!(starts_like(b"+X:DATA,3", "+X: DATA,"));
        assert!(starts_like(b"+X: DATA ,3", "+X: DATA,"));
        assert!(!starts_like(b"+X: 0", "+X: DATA,"));
        assert!(!starts_like(b"+XY: 1", "+X:"));
    }

    #[test]
    fn escaped_and_hex_strings_read_back() {
        let mut p = LineParser::new(b"\"{\\\"a\\\":1\\,2}\",{non-ascii}\"C3A9\",\"x\"");
        assert_eq!(
            p.string_escaped("d", Quoting::Always, '\\').unwrap(),
            "{\"a\":1,2}"
        );
        p.literal(",").unwrap();
        assert_eq!(
            p.string_non_ascii("f", Quoting::Always, "{non-ascii}")
                .unwrap(),
            "é"
        );
        p.literal(",").unwrap();
        assert_eq!(
            p.string_non_ascii("f", Quoting::Always, "{non-ascii}")
                .unwrap(),
            "x"
        );
        p.end().unwrap();
    }

    #[test]
    fn quoted_integers_follow_their_quoting() {
        let mut p = LineParser::new(b"\"7\",8");
        assert_eq!(p.uint_quoted::<u8>("id", Quoting::Always), Ok(7));
        p.literal(",").unwrap();
        assert_eq!(p.uint_quoted::<u8>("n", Quoting::Optional), Ok(8));
        assert!(
            LineParser::new(b"7")
                .uint_quoted::<u8>("id", Quoting::Always)
                .is_err()
        );
        assert!(
            LineParser::new(b"\"7")
                .int_quoted::<i8>("id", Quoting::Always)
                .is_err()
        );
        assert!(LineParser::new(b"\"7\"").uint::<u8>("id").is_err());
    }

    #[test]
    fn peek_does_not_consume() {
        let p = LineParser::new(b", 5");
        assert!(p.peek_literal(","));
        assert!(!p.peek_literal(";"));
    }
}
