//! Matching fixed template text with the whitespace (and, for command lines, letter
//! case) tolerance of [`LineParser::literal`](super::LineParser::literal).

/// How leniently template text is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct LiteralRules {
    /// Letters match in either case (command names and keyword tokens of command lines).
    pub any_case: bool,
    /// `=` may be followed by spaces (command lines).
    pub space_after_equals: bool,
}

/// Matches `text` at the start of `input`. Returns the number of input bytes taken,
/// or, on a mismatch, the input offset where it happened and the offset in `text` of
/// the piece that did not match.
pub(super) fn match_literal(
    input: &[u8],
    text: &[u8],
    rules: LiteralRules,
) -> Result<usize, (usize, usize)> {
    let mut at = 0;
    for (index, &expected) in text.iter().enumerate() {
        match expected {
            b' ' => at = skip(input, at, |b| b == b' '),
            b',' => {
                at = skip(input, at, is_space);
                at = expect(input, at, b',', false).map_err(|at| (at, index))?;
                at = skip(input, at, is_space);
            }
            b':' => {
                at = expect(input, at, b':', false).map_err(|at| (at, index))?;
                at = skip(input, at, is_space);
            }
            b'=' if rules.space_after_equals => {
                at = expect(input, at, b'=', false).map_err(|at| (at, index))?;
                at = skip(input, at, |b| b == b' ');
            }
            other => at = expect(input, at, other, rules.any_case).map_err(|at| (at, index))?,
        }
    }
    Ok(at)
}

/// Spaces and tabs, as the field readers skip them.
pub(super) fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip(input: &[u8], mut at: usize, what: impl Fn(u8) -> bool) -> usize {
    while input.get(at).is_some_and(|b| what(*b)) {
        at += 1;
    }
    at
}

fn expect(input: &[u8], at: usize, byte: u8, any_case: bool) -> Result<usize, usize> {
    match input.get(at) {
        Some(b) if *b == byte || (any_case && b.eq_ignore_ascii_case(&byte)) => Ok(at + 1),
        _ => Err(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: LiteralRules = LiteralRules {
        any_case: false,
        space_after_equals: false,
    };
    const COMMAND: LiteralRules = LiteralRules {
        any_case: true,
        space_after_equals: true,
    };

    #[test]
    fn whitespace_around_separators() {
        assert_eq!(match_literal(b"+X:  0", b"+X: ", EXACT), Ok(5));
        assert_eq!(match_literal(b"a ,\tb", b"a,b", EXACT), Ok(5));
        assert_eq!(match_literal(b"+X:0", b"+X: ", EXACT), Ok(3));
    }

    #[test]
    fn a_mismatch_reports_where_it_happened() {
        assert_eq!(
            match_literal(b"AT+SETPARAM=\"UR", b"AT+SETPARAM=\"URL\",", EXACT),
            Err((15, 15))
        );
        assert_eq!(match_literal(b"at+x", b"AT+X", EXACT), Err((0, 0)));
    }

    #[test]
    fn command_lines_ignore_case_and_spaces_after_equals() {
        assert_eq!(
            match_literal(b"at+bearr= 3,", b"AT+BEARR=3,", COMMAND),
            Ok(12)
        );
        assert_eq!(
            match_literal(b"\"Contype\"", b"\"CONTYPE\"", COMMAND),
            Ok(9)
        );
        assert_eq!(
            match_literal(b"AT+BEARR =3", b"AT+BEARR=3", COMMAND),
            Err((8, 8))
        );
    }
}
