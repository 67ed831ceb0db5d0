//! Rules on the text of a string parameter beyond its characters and length: the
//! literal prefixes one of which must start it, and a pattern the whole value must
//! match. Generated constructors call these after [`StringRules`](crate::StringRules).

use std::sync::OnceLock;

use regex_lite::Regex;

use crate::param::ParamError;

/// Checks that `value` starts with one of `prefixes` (compared exactly).
pub fn check_prefix(
    param: &'static str,
    value: &str,
    prefixes: &'static [&'static str],
) -> Result<(), ParamError> {
    if prefixes.iter().any(|p| value.starts_with(p)) {
        return Ok(());
    }
    Err(ParamError::MissingPrefix {
        param,
        value: value.to_owned(),
        prefixes,
    })
}

/// A regular expression that a whole value must match, compiled on first use.
///
/// Generated code keeps one in a `static` per parameter. The generator compiles
/// every pattern with the same engine at spec time, so compiling cannot fail here;
/// if it ever did, every value is refused rather than let through.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern from the spec's `pattern` text (matched against the whole value).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec gives it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(&anchored(self.source)).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(value))
    }

    /// Checks `value` against the pattern.
    pub fn check(&self, param: &'static str, value: &str) -> Result<(), ParamError> {
        if self.matches(value) {
            return Ok(());
        }
        Err(ParamError::PatternMismatch {
            param,
            value: value.to_owned(),
            pattern: self.source,
        })
    }
}

/// The pattern wrapped so that it must match the whole value, as generator and
/// runtime both compile it.
pub fn anchored(source: &str) -> String {
    format!("^(?:{source})$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_the_prefixes_must_start_the_value() {
        const SCHEMES: &[&str] = &["http://", "https://"];
        assert_eq!(check_prefix("url", "https://a/b", SCHEMES), Ok(()));
        assert_eq!(check_prefix("url", "http://a", SCHEMES), Ok(()));
        let refused = check_prefix("url", "ftp://a", SCHEMES).unwrap_err();
        assert_eq!(
            refused,
            ParamError::MissingPrefix {
                param: "url",
                value: "ftp://a".to_owned(),
                prefixes: SCHEMES,
            }
        );
        assert!(refused.to_string().contains("`url`"), "{refused}");
        assert!(check_prefix("url", "HTTP://a", SCHEMES).is_err(), "exact");
    }

    #[test]
    fn a_pattern_matches_the_whole_value() {
        static DIGITS: Pattern = Pattern::new("[0-9]{4}");
        assert_eq!(DIGITS.check("pin", "1234"), Ok(()));
        for bad in ["123", "12345", "a1234", "1234 "] {
            assert!(
                matches!(
                    DIGITS.check("pin", bad),
                    Err(ParamError::PatternMismatch { param: "pin", .. })
                ),
                "{bad:?}"
            );
        }
        // An alternation stays inside the anchors.
        static EITHER: Pattern = Pattern::new("ab|cd");
        assert!(EITHER.matches("cd") && !EITHER.matches("abcd"));
    }

    #[test]
    fn a_pattern_that_does_not_compile_refuses_every_value() {
        static BROKEN: Pattern = Pattern::new("(");
        assert!(BROKEN.check("p", "(").is_err());
    }
}
