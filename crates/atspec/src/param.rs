//! Validation of command parameters before they are encoded.
//!
//! Generated constructors call these checks, so a command value that exists has
//! already passed them: a value outside its range, an over-long string or a
//! character that would end or split the command line is refused here and never
//! reaches the modem.

use std::fmt;

use crate::parse::Quoting;

/// Why a parameter value was refused. Every variant names the parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamError {
    /// A command (or one form or sub-command of it) that the module family the
    /// value was built for does not have.
    Unavailable {
        /// The command's syntax as the spec gives it (`AT+X=<a>`), which names the
        /// command and its form.
        command: &'static str,
        /// The family's id (see [`crate::Family::id`]).
        family: &'static str,
    },
    /// An integer outside the range the manual allows.
    OutOfRange {
        /// Parameter name as the spec gives it.
        param: &'static str,
        /// The refused value.
        value: i128,
        /// Smallest allowed value.
        min: i128,
        /// Largest allowed value.
        max: i128,
    },
    /// A string longer than the manual allows (length in bytes).
    TooLong {
        /// Parameter name.
        param: &'static str,
        /// Length of the refused value in bytes.
        len: usize,
        /// Largest allowed length in bytes.
        max: usize,
    },
    /// A string shorter than the manual allows (length in bytes).
    TooShort {
        /// Parameter name.
        param: &'static str,
        /// Length of the refused value in bytes.
        len: usize,
        /// Smallest allowed length in bytes.
        min: usize,
    },
    /// A character the command line cannot carry in this parameter (for example a
    /// double quote, CR, LF or NUL, which would end the string or the line early).
    ForbiddenChar {
        /// Parameter name.
        param: &'static str,
        /// The refused character.
        ch: char,
        /// Byte offset of the character in the value.
        at: usize,
    },
    /// A value that would select another form of the command on the command line
    /// (a file name of `"COM:"` where that token means the serial port).
    Reserved {
        /// Parameter name.
        param: &'static str,
        /// The refused value.
        value: String,
    },
    /// A value of an enumerated parameter that the manual does not list.
    NotAllowed {
        /// Parameter name.
        param: &'static str,
        /// The refused value, as text.
        value: String,
        /// The values the manual lists.
        allowed: &'static str,
    },
    /// An optional parameter given without the optional parameter it is nested in.
    Requires {
        /// The parameter that was given.
        param: &'static str,
        /// The parameter it needs.
        requires: &'static str,
    },
    /// A string that starts with none of the prefixes the manual requires (a URL
    /// that must start with `http://` or `https://`).
    MissingPrefix {
        /// Parameter name.
        param: &'static str,
        /// The refused value.
        value: String,
        /// The prefixes one of which must start the value.
        prefixes: &'static [&'static str],
    },
    /// A string that does not match the pattern the manual gives for it.
    PatternMismatch {
        /// Parameter name.
        param: &'static str,
        /// The refused value.
        value: String,
        /// The pattern (a regular expression the whole value must match).
        pattern: &'static str,
    },
    /// More repetitions of a parameter than the command allows.
    TooMany {
        /// Parameter name.
        param: &'static str,
        /// How many were given.
        count: usize,
        /// Largest allowed count.
        max: usize,
    },
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable { command, family } => {
                write!(
                    f,
                    "`{command}` is not available on module family `{family}`"
                )
            }
            Self::OutOfRange {
                param,
                value,
                min,
                max,
            } => {
                write!(
                    f,
                    "parameter `{param}`: {value} is outside the allowed range {min}..={max}"
                )
            }
            Self::TooLong { param, len, max } => {
                write!(
                    f,
                    "parameter `{param}`: {len} bytes is longer than the allowed {max} bytes"
                )
            }
            Self::TooShort { param, len, min } => {
                write!(
                    f,
                    "parameter `{param}`: {len} bytes is shorter than the required {min} bytes"
                )
            }
            Self::ForbiddenChar { param, ch, at } => {
                write!(
                    f,
                    "parameter `{param}`: character {ch:?} at byte {at} cannot be sent in this parameter"
                )
            }
            Self::Reserved { param, value } => {
                write!(
                    f,
                    "parameter `{param}`: {value:?} cannot be sent here: on the command line it selects another form of the command"
                )
            }
            Self::NotAllowed {
                param,
                value,
                allowed,
            } => {
                write!(
                    f,
                    "parameter `{param}`: {value} is not one of the allowed values ({allowed})"
                )
            }
            Self::Requires { param, requires } => {
                write!(
                    f,
                    "parameter `{param}` can only be given together with `{requires}`"
                )
            }
            Self::MissingPrefix {
                param,
                value,
                prefixes,
            } => {
                write!(
                    f,
                    "parameter `{param}`: {value:?} must start with one of {prefixes:?}"
                )
            }
            Self::PatternMismatch {
                param,
                value,
                pattern,
            } => {
                write!(
                    f,
                    "parameter `{param}`: {value:?} does not match the pattern `{pattern}`"
                )
            }
            Self::TooMany { param, count, max } => {
                write!(
                    f,
                    "parameter `{param}`: {count} values given, at most {max} allowed"
                )
            }
        }
    }
}

impl std::error::Error for ParamError {}

/// Checks that `value` lies in `min..=max`.
pub fn check_range<T: Into<i128> + Copy>(
    param: &'static str,
    value: T,
    min: i128,
    max: i128,
) -> Result<T, ParamError> {
    let v: i128 = value.into();
    if v < min || v > max {
        return Err(ParamError::OutOfRange {
            param,
            value: v,
            min,
            max,
        });
    }
    Ok(value)
}

/// What a string parameter may contain, as the spec states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringRules {
    /// Smallest length in bytes.
    pub min_len: usize,
    /// Largest length in bytes, if the manual gives one.
    pub max_len: Option<usize>,
    /// Whether the value is sent between double quotes. An unquoted value also may
    /// not contain the parameter separator `,` or the command separator `;`.
    pub quoted: bool,
    /// Only ASCII characters are allowed.
    pub ascii_only: bool,
    /// Further characters the modem cannot take in this parameter.
    pub forbid: &'static str,
    /// Values that would select another form of the command (compared ignoring
    /// ASCII case, as modems read such tokens).
    pub reserved: &'static [&'static str],
    /// A character the dialect uses to escape `"`, `,` and itself inside quoted
    /// strings; with it those characters are allowed (and escaped on the wire).
    pub escape: Option<char>,
}

impl StringRules {
    /// Rules for a quoted string with no length limit and no extra restrictions.
    pub const QUOTED: Self = Self {
        min_len: 0,
        max_len: None,
        quoted: true,
        ascii_only: false,
        forbid: "",
        reserved: &[],
        escape: None,
    };

    /// Checks `value` against these rules and returns it unchanged when it passes.
    ///
    /// Control characters (CR, LF, NUL, Ctrl+Z, ESC, ...) are always refused: they end
    /// the command line, cancel it, or switch the modem's input mode.
    pub fn check<'a>(&self, param: &'static str, value: &'a str) -> Result<&'a str, ParamError> {
        if value.len() < self.min_len {
            return Err(ParamError::TooShort {
                param,
                len: value.len(),
                min: self.min_len,
            });
        }
        if let Some(max) = self.max_len
            && value.len() > max
        {
            return Err(ParamError::TooLong {
                param,
                len: value.len(),
                max,
            });
        }
        if self.reserved.iter().any(|r| r.eq_ignore_ascii_case(value)) {
            return Err(ParamError::Reserved {
                param,
                value: value.to_owned(),
            });
        }
        for (at, ch) in value.char_indices() {
            let escapable = self.quoted && self.escape.is_some();
            let refused = ch.is_control()
                || (ch == '"' && !escapable)
                || (!self.quoted && (ch == ',' || ch == ';'))
                || (self.ascii_only && !ch.is_ascii())
                || self.forbid.contains(ch);
            if refused {
                return Err(ParamError::ForbiddenChar { param, ch, at });
            }
        }
        if !self.quoted {
            // A bare value is read without the spaces around it.
            edge_spaces(param, value)?;
        }
        Ok(value)
    }
}

/// Refuses a space at either end of `value`: a bare value is read without them.
fn edge_spaces(param: &'static str, value: &str) -> Result<(), ParamError> {
    let at = if value.starts_with(' ') {
        0
    } else if value.ends_with(' ') {
        value.len() - 1
    } else {
        return Ok(());
    };
    Err(ParamError::ForbiddenChar { param, ch: ' ', at })
}

/// Checks that a string field of a response line or URC encodes to text that its
/// parser reads back unchanged. [`CommandWriter::string_for_line`](crate::CommandWriter::string_for_line)
/// writes it quoted, except an [`Optional`](Quoting::Optional) value holding a `"`,
/// which goes bare. Refused: control characters (CR, LF, NUL, ...) anywhere; a `"`
/// in an always-quoted value; for a bare value a leading `"`, a `,` (it would end the
/// value) or a space at either end (it would be dropped).
pub fn check_line_string(
    field: &'static str,
    value: &str,
    quoting: Quoting,
) -> Result<(), ParamError> {
    no_control(field, value)?;
    let bare = match quoting {
        Quoting::Never => true,
        Quoting::Optional => value.contains('"'),
        Quoting::Always => false,
    };
    if !bare {
        return match value.find('"') {
            Some(at) => Err(ParamError::ForbiddenChar {
                param: field,
                ch: '"',
                at,
            }),
            None => Ok(()),
        };
    }
    if value.starts_with('"') {
        return Err(ParamError::ForbiddenChar {
            param: field,
            ch: '"',
            at: 0,
        });
    }
    if let Some(at) = value.find(',') {
        return Err(ParamError::ForbiddenChar {
            param: field,
            ch: ',',
            at,
        });
    }
    edge_spaces(field, value)
}

/// Checks that a `text` field (the rest of a line) encodes to text its parser reads
/// back unchanged: no control characters, no space at either end.
pub fn check_line_text(field: &'static str, value: &str) -> Result<(), ParamError> {
    no_control(field, value)?;
    edge_spaces(field, value)
}

fn no_control(param: &'static str, value: &str) -> Result<(), ParamError> {
    match value.char_indices().find(|(_, ch)| ch.is_control()) {
        Some((at, ch)) => Err(ParamError::ForbiddenChar { param, ch, at }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_are_inclusive() {
        assert_eq!(check_range("n", 5u8, 5, 9), Ok(5));
        assert_eq!(check_range("n", 9u8, 5, 9), Ok(9));
        assert_eq!(
            check_range("n", 10u8, 5, 9),
            Err(ParamError::OutOfRange {
                param: "n",
                value: 10,
                min: 5,
                max: 9
            })
        );
    }

    #[test]
    fn injection_characters_are_refused() {
        let rules = StringRules::QUOTED;
        for bad in ["a\"b", "a\rb", "a\nb", "a\0b", "a\u{1a}b"] {
            assert!(
                matches!(rules.check("s", bad), Err(ParamError::ForbiddenChar { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(rules.check("s", "http://x/y?a=b,c"), Ok("http://x/y?a=b,c"));
    }

    #[test]
    fn unquoted_strings_refuse_separators() {
        let rules = StringRules {
            quoted: false,
            ..StringRules::QUOTED
        };
        assert_eq!(
            rules.check("s", "a,b"),
            Err(ParamError::ForbiddenChar {
                param: "s",
                ch: ',',
                at: 1
            })
        );
    }

    #[test]
    fn unquoted_strings_refuse_spaces_at_the_ends() {
        let rules = StringRules {
            quoted: false,
            ..StringRules::QUOTED
        };
        assert_eq!(rules.check("s", "a b"), Ok("a b"));
        for (bad, at) in [(" a", 0), ("a ", 1)] {
            assert_eq!(
                rules.check("s", bad),
                Err(ParamError::ForbiddenChar {
                    param: "s",
                    ch: ' ',
                    at
                })
            );
        }
        assert_eq!(StringRules::QUOTED.check("s", " a "), Ok(" a "));
    }

    #[test]
    fn line_values_that_would_not_read_back_are_refused() {
        let refused = |r: Result<(), ParamError>| match r {
            Err(ParamError::ForbiddenChar { ch, at, .. }) => Some((ch, at)),
            _ => None,
        };
        assert_eq!(refused(check_line_text("t", "a\r\nb")), Some(('\r', 1)));
        assert_eq!(refused(check_line_text("t", "a, b")), None);
        assert_eq!(refused(check_line_text("t", "a ")), Some((' ', 1)));
        assert_eq!(
            refused(check_line_string("s", "a\"b", Quoting::Always)),
            Some(('"', 1))
        );
        // Optional quoting: a value holding `"` goes bare, so it may not hold `,`.
        assert_eq!(
            refused(check_line_string("s", "a\"b", Quoting::Optional)),
            None
        );
        assert_eq!(
            refused(check_line_string("s", "a\"b,c", Quoting::Optional)),
            Some((',', 3))
        );
        assert_eq!(
            refused(check_line_string("s", "\"ab", Quoting::Optional)),
            Some(('"', 0))
        );
        assert_eq!(
            refused(check_line_string("s", " a,b ", Quoting::Optional)),
            None
        );
        assert_eq!(
            refused(check_line_string("s", "a,b", Quoting::Never)),
            Some((',', 1))
        );
        assert_eq!(
            refused(check_line_string("s", "a\0", Quoting::Optional)),
            Some(('\0', 1))
        );
    }

    #[test]
    fn an_escaping_dialect_allows_quotes() {
        let rules = StringRules {
            escape: Some('\\'),
            ..StringRules::QUOTED
        };
        assert_eq!(rules.check("s", "{\"a\":1}"), Ok("{\"a\":1}"));
        assert!(
            rules.check("s", "a\rb").is_err(),
            "control characters stay refused"
        );
    }

    #[test]
    fn length_is_counted_in_bytes() {
        let rules = StringRules {
            max_len: Some(3),
            ..StringRules::QUOTED
        };
        assert_eq!(rules.check("s", "äb"), Ok("äb"));
        assert_eq!(
            rules.check("s", "äbc"),
            Err(ParamError::TooLong {
                param: "s",
                len: 4,
                max: 3
            })
        );
        let message = rules.check("s", "äbc").unwrap_err().to_string();
        assert!(
            message.contains("`s`") && message.contains("3 bytes"),
            "{message}"
        );
    }

    #[test]
    fn reserved_values_are_refused_in_any_case() {
        let rules = StringRules {
            reserved: &["COM:"],
            ..StringRules::QUOTED
        };
        for bad in ["COM:", "com:", "cOM:"] {
            assert!(
                matches!(
                    rules.check("local_name", bad),
                    Err(ParamError::Reserved { .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(rules.check("local_name", "UFS:COM:"), Ok("UFS:COM:"));
    }
}
