//! Reading command lines as modules read them: what a modem's command parser
//! accepts beyond the canonical line that `encode` writes, and picking the command
//! shape a line is (or the closest one, for the error).

use super::ParseError;
use super::literal::{LiteralRules, match_literal};

/// What a modem accepts in a command line beyond its canonical form. Generated crates
/// declare one per dialect (`COMMAND_TOLERANCE`), from the spec's `dialect.accepts`.
///
/// Spaces after `=` and around `,` are always accepted in command lines; everything
/// else is opt-in because some modems refuse it (some take an upper-case `AT` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommandTolerance {
    /// Letters of the fixed text (the `AT` prefix, command names, keyword tokens such
    /// as `"CONTYPE"`) match in either case. String values are never changed: they
    /// are returned as sent.
    pub any_case: bool,
    /// Numeric parameters may be sent between double quotes (`"CID","1"`).
    pub quoted_numbers: bool,
    /// String parameters the spec sends quoted may come without quotes. An unquoted
    /// value is not empty and does not start with `?` (`AT+X=?` is the test form);
    /// it ends at the next `,`, or, when nothing can follow it in the command's
    /// syntax, at the end of the line (so a bare URL keeps its commas).
    pub unquoted_strings: bool,
}

impl CommandTolerance {
    /// Canonical command lines only (besides spaces after `=` and around `,`).
    pub const EXACT: Self = Self {
        any_case: false,
        quoted_numbers: false,
        unquoted_strings: false,
    };

    pub(super) fn literal_rules(self) -> LiteralRules {
        LiteralRules {
            any_case: self.any_case,
            space_after_equals: true,
        }
    }
}

/// Whether command line `line` starts with the fixed text `prefix`, as
/// [`LineParser::command_line`](super::LineParser::command_line) matches it.
pub fn starts_like_command(line: &[u8], prefix: &str, tolerance: CommandTolerance) -> bool {
    match_literal(line, prefix.as_bytes(), tolerance.literal_rules()).is_ok()
}

/// One command shape a package's command-line parser can read.
#[derive(Debug)]
pub struct CommandShape<T: 'static> {
    /// The fixed text the shape's lines start with (`AT+SETPARAM="URL",`).
    pub prefix: &'static str,
    /// The shape's syntax as the spec writes it, named in refusals.
    pub syntax: &'static str,
    /// Reads a whole line of this shape.
    pub parse: fn(&[u8]) -> Result<T, ParseError>,
}

/// Reads `line` as the first of `shapes` (most specific first) that accepts it. When
/// none does, the error is that of the closest shape: the one that read furthest
/// into the line (the first of them on a tie), with its syntax named.
pub fn parse_command_line<T>(
    line: &[u8],
    tolerance: CommandTolerance,
    shapes: &[CommandShape<T>],
) -> Result<T, ParseError> {
    let mut closest: Option<(ParseError, &'static str)> = None;
    let mut keep = |error: ParseError, syntax: &'static str| {
        if closest
            .as_ref()
            .is_none_or(|(best, _)| error.column > best.column)
        {
            closest = Some((error, syntax));
        }
    };
    let mut tried = vec![false; shapes.len()];
    for (shape, tried) in shapes.iter().zip(&mut tried) {
        if starts_like_command(line, shape.prefix, tolerance) {
            *tried = true;
            match (shape.parse)(line) {
                Ok(value) => return Ok(value),
                Err(error) => keep(error, shape.syntax),
            }
        }
    }
    // No shape accepted the line: the others may still have read further into it
    // than the ones whose prefix matched (a line that breaks off inside the prefix).
    for (shape, _) in shapes.iter().zip(&tried).filter(|(_, tried)| !**tried) {
        if let Err(error) = (shape.parse)(line) {
            keep(error, shape.syntax);
        }
    }
    Err(match closest {
        Some((error, syntax)) => ParseError {
            expected: format!("{} (closest form `{syntax}`)", error.expected),
            ..error
        },
        None => ParseError::new(line, 0, "a command of this package"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{LineParser, Quoting};
    use super::*;

    const LENIENT: CommandTolerance = CommandTolerance {
        any_case: true,
        quoted_numbers: true,
        unquoted_strings: true,
    };

    #[test]
    fn literals_match_in_any_case_and_allow_spaces_after_equals() {
        let mut p = LineParser::command_line(b"at+bearr= 3 , 1,\"Contype\",\"GPRS\"", LENIENT);
        p.literal("AT+BEARR=3,").unwrap();
        assert_eq!(p.uint::<u8>("cid").unwrap(), 1);
        p.literal(",\"CONTYPE\",").unwrap();
        assert_eq!(p.string("value", Quoting::Always).unwrap(), "GPRS");
        p.end().unwrap();
        let mut exact = LineParser::command_line(b"at+bearr", CommandTolerance::EXACT);
        assert_eq!(exact.literal("AT+BEARR").unwrap_err().column, 0);
    }

    #[test]
    fn numbers_may_be_quoted_only_when_the_dialect_says() {
        let mut p = LineParser::command_line(b"\"1\", \"22\"", LENIENT);
        assert_eq!(p.uint::<u8>("a").unwrap(), 1);
        p.literal(",").unwrap();
        assert_eq!(p.int::<i16>("b").unwrap(), 22);
        p.end().unwrap();
        let unclosed = LineParser::command_line(b"\"1", LENIENT).uint::<u8>("a");
        assert_eq!(unclosed.unwrap_err().column, 0);
        assert!(
            LineParser::command_line(b"\"1\"", CommandTolerance::EXACT)
                .uint::<u8>("a")
                .is_err()
        );
        assert!(
            LineParser::new(b"\"1\"").uint::<u8>("a").is_err(),
            "responses are unchanged"
        );
    }

    #[test]
    fn bare_strings_end_at_a_comma_or_take_the_rest_of_the_line() {
        let mut p = LineParser::command_line(b"user ,pass", LENIENT);
        assert_eq!(p.string("u", Quoting::Always).unwrap(), "user");
        p.literal(",").unwrap();
        assert_eq!(p.string("p", Quoting::Always).unwrap(), "pass");
        let mut p = LineParser::command_line(b" http://h/p?a=1,b=2 ", LENIENT);
        assert_eq!(
            p.string_to_end("url", Quoting::Always).unwrap(),
            "http://h/p?a=1,b=2"
        );
        p.end().unwrap();
        // Empty is a parameter left out, never an empty bare string; `=?` is a test.
        assert!(
            LineParser::command_line(b",1", LENIENT)
                .string("s", Quoting::Always)
                .is_err()
        );
        assert!(
            LineParser::command_line(b"?", LENIENT)
                .string_to_end("s", Quoting::Always)
                .is_err()
        );
        assert!(
            LineParser::command_line(b"x", CommandTolerance::EXACT)
                .string("s", Quoting::Always)
                .is_err()
        );
        assert!(
            LineParser::new(b"x").string("s", Quoting::Always).is_err(),
            "responses are unchanged"
        );
    }

    #[test]
    fn a_literal_mismatch_is_reported_where_it_happens() {
        let mut p = LineParser::command_line(b"AT+SETPARAM=\"URX\",1", LENIENT);
        let err = p.literal("AT+SETPARAM=\"URL\",").unwrap_err();
        assert_eq!((err.column, err.expected.as_str()), (15, "\"L\\\",\""));
        let mut p = LineParser::new(b"+X: 1");
        assert_eq!(
            p.literal("+X: 2").unwrap_err().column,
            0,
            "responses are unchanged"
        );
    }

    #[derive(Debug, PartialEq)]
    enum Demo {
        Cid(u8),
        Url(String),
    }

    fn cid(line: &[u8]) -> Result<Demo, ParseError> {
        let mut p = LineParser::command_line(line, LENIENT);
        p.literal("AT+P=\"CID\",")?;
        let v = p.uint("cid")?;
        p.end()?;
        Ok(Demo::Cid(v))
    }

    fn url(line: &[u8]) -> Result<Demo, ParseError> {
        let mut p = LineParser::command_line(line, LENIENT);
        p.literal("AT+P=\"URL\",")?;
        let v = p.string_to_end("url", Quoting::Always)?;
        p.end()?;
        Ok(Demo::Url(v))
    }

    const SHAPES: &[CommandShape<Demo>] = &[
        CommandShape {
            prefix: "AT+P=\"CID\",",
            syntax: "AT+P=\"CID\",<cid>",
            parse: cid,
        },
        CommandShape {
            prefix: "AT+P=\"URL\",",
            syntax: "AT+P=\"URL\",<url>",
            parse: url,
        },
    ];

    #[test]
    fn the_first_shape_that_reads_the_line_wins() {
        let read = |line: &[u8]| parse_command_line(line, LENIENT, SHAPES);
        assert_eq!(read(b"at+p=\"cid\",\"2\""), Ok(Demo::Cid(2)));
        assert_eq!(
            read(b"AT+P=\"Url\",http://x/a,b"),
            Ok(Demo::Url("http://x/a,b".into()))
        );
    }

    #[test]
    fn a_refusal_names_the_shape_that_read_furthest() {
        let read = |line: &[u8]| parse_command_line(line, LENIENT, SHAPES).unwrap_err();
        // Breaks off inside the URL shape's prefix: no prefix matches, URL read furthest.
        let err = read(b"AT+P=\"URL\"");
        assert_eq!(err.column, 10);
        assert!(
            err.expected.contains("closest form `AT+P=\"URL\",<url>`"),
            "{err}"
        );
        // The CID shape reads up to its value, which is no number.
        let err = read(b"AT+P=\"CID\",x");
        assert_eq!(err.column, 11);
        assert!(
            err.expected.contains("`cid`") && err.expected.contains("<cid>"),
            "{err}"
        );
        let err = parse_command_line::<Demo>(b"AT", LENIENT, &[]).unwrap_err();
        assert_eq!(err.expected, "a command of this package");
    }
}
