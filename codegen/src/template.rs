//! The syntax-template language of specs: `AT+SAPBR=3,<cid>,"APN",<apn>`,
//! `+HTTPACTION: <method>,<status_code>,<data_len>`, `[,<a>[,<b>]]`, `[,<h>]...`.
//!
//! `<name>` is a field, `[...]` an optional group, `[...]...` a repeatable group;
//! everything else is literal text. An optional group may hold literals only
//! (`+X: [DATA,]<len>`): a line is read with or without them, and written without.

use std::fmt;

mod alternatives;
mod matching;

pub use alternatives::{
    MAX_BACKTRACKING_GROUPS, alternatives, backtracking_groups, every_choice, nested_backtracking,
};
pub use matching::{Bindings, RawValue, match_line, match_line_escaped};

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Fixed text.
    Literal(String),
    /// A field placeholder, with its byte offset in the template.
    Field {
        /// Field name.
        name: String,
        /// Byte offset of the `<`.
        offset: usize,
    },
    /// `[...]`: present or absent as a whole.
    Optional(Vec<Piece>),
    /// `[...]...`: zero or more times.
    Repeat(Vec<Piece>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Top-level pieces, in order.
    pub pieces: Vec<Piece>,
}

/// A malformed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte offset of the problem in the template text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at template byte {})", self.message, self.offset)
    }
}

/// Where a field sits in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldUse {
    /// Field name.
    pub name: String,
    /// Byte offset of the placeholder.
    pub offset: usize,
    /// Inside at least one optional group.
    pub optional: bool,
    /// Inside a repeatable group.
    pub repeated: bool,
    /// Fields of enclosing optional groups that must be present for this one
    /// (the first field of each enclosing group).
    pub requires: Vec<String>,
}

impl Template {
    /// Parses template text.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parser = Parser { text, pos: 0 };
        let pieces = parser.sequence(0)?;
        Ok(Self { pieces })
    }

    /// Every field, in order of appearance.
    pub fn fields(&self) -> Vec<FieldUse> {
        let mut out = Vec::new();
        collect_fields(&self.pieces, false, false, &mut out);
        out
    }

    /// The literal text before the first field or group (the line's prefix).
    pub fn literal_prefix(&self) -> String {
        let mut prefix = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => prefix.push_str(text),
                _ => break,
            }
        }
        prefix
    }

    /// Whether some optional group, at any depth, holds no field (`[DATA,]`).
    pub fn has_literal_only_group(&self) -> bool {
        fn walk(pieces: &[Piece]) -> bool {
            pieces.iter().any(|p| match p {
                Piece::Optional(inner) => first_field(inner).is_none() || walk(inner),
                Piece::Repeat(inner) => walk(inner),
                _ => false,
            })
        }
        walk(&self.pieces)
    }

    /// The number of literal characters, a measure of how specific a template is.
    pub fn literal_len(&self) -> usize {
        fn walk(pieces: &[Piece]) -> usize {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Literal(t) => t.len(),
                    Piece::Field { .. } => 0,
                    Piece::Optional(inner) | Piece::Repeat(inner) => walk(inner),
                })
                .sum()
        }
        walk(&self.pieces)
    }
}

fn collect_fields(pieces: &[Piece], optional: bool, repeated: bool, out: &mut Vec<FieldUse>) {
    for piece in pieces {
        match piece {
            Piece::Literal(_) => {}
            Piece::Field { name, offset } => out.push(FieldUse {
                name: name.clone(),
                offset: *offset,
                optional,
                repeated,
                requires: Vec::new(),
            }),
            Piece::Optional(inner) | Piece::Repeat(inner) => {
                let is_repeat = matches!(piece, Piece::Repeat(_));
                let mut inner_out = Vec::new();
                collect_fields(inner, true, repeated || is_repeat, &mut inner_out);
                // Every field of a group but its first needs the group's first field.
                if let Some(first) = first_field(inner) {
                    for usage in inner_out.iter_mut().filter(|u| u.name != first) {
                        if !usage.requires.contains(&first) {
                            usage.requires.push(first.clone());
                        }
                    }
                }
                out.extend(inner_out);
            }
        }
    }
}

fn first_field(pieces: &[Piece]) -> Option<String> {
    pieces.iter().find_map(|p| match p {
        Piece::Field { name, .. } => Some(name.clone()),
        Piece::Optional(inner) | Piece::Repeat(inner) => first_field(inner),
        Piece::Literal(_) => None,
    })
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> TemplateError {
        TemplateError {
            offset,
            message: message.into(),
        }
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Piece>, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        while let Some(ch) = self.rest().chars().next() {
            match ch {
                '<' => {
                    flush(&mut literal, &mut pieces);
                    let start = self.pos;
                    let close = self
                        .rest()
                        .find('>')
                        .ok_or_else(|| self.error(start, "`<` without a closing `>`"))?;
                    let name = &self.rest()[1..close];
                    let valid = !name.is_empty()
                        && name.starts_with(|c: char| c.is_ascii_lowercase())
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                    if !valid {
                        return Err(self.error(
                            start + 1,
                            format!("placeholder `<{name}>` is not a snake_case field name"),
                        ));
                    }
                    pieces.push(Piece::Field {
                        name: name.to_owned(),
                        offset: start,
                    });
                    self.pos += close + 1;
                }
                '[' => {
                    flush(&mut literal, &mut pieces);
                    let start = self.pos;
                    self.pos += 1;
                    let inner = self.sequence(depth + 1)?;
                    if !self.rest().starts_with(']') {
                        return Err(self.error(start, "`[` without a closing `]`"));
                    }
                    self.pos += 1;
                    if self.rest().starts_with("...") {
                        // A repetition of fixed text would carry nothing to count.
                        if first_field(&inner).is_none() {
                            return Err(
                                self.error(start, "a repeatable group must contain a field")
                            );
                        }
                        self.pos += 3;
                        pieces.push(Piece::Repeat(inner));
                    } else {
                        pieces.push(Piece::Optional(inner));
                    }
                }
                ']' if depth > 0 => break,
                ']' => return Err(self.error(self.pos, "`]` without an opening `[`")),
                '>' => return Err(self.error(self.pos, "`>` without an opening `<`")),
                other => {
                    literal.push(other);
                    self.pos += other.len_utf8();
                }
            }
        }
        flush(&mut literal, &mut pieces);
        Ok(pieces)
    }
}

fn flush(literal: &mut String, pieces: &mut Vec<Piece>) {
    if !literal.is_empty() {
        pieces.push(Piece::Literal(std::mem::take(literal)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &Template) -> Vec<(String, bool, bool, Vec<String>)> {
        t.fields()
            .into_iter()
            .map(|f| (f.name, f.optional, f.repeated, f.requires))
            .collect()
    }

    #[test]
    fn parses_nesting_and_repeats() {
        let t = Template::parse("AT+X=<a>[,<b>[,<c>]][,<h>]...").unwrap();
        assert_eq!(
            names(&t),
            vec![
                ("a".into(), false, false, vec![]),
                ("b".into(), true, false, vec![]),
                ("c".into(), true, false, vec!["b".into()]),
                ("h".into(), true, true, vec![]),
            ]
        );
        assert_eq!(t.literal_prefix(), "AT+X=");
    }

    #[test]
    fn reports_malformed_templates() {
        assert_eq!(Template::parse("AT+X=<a").unwrap_err().offset, 5);
        assert!(Template::parse("AT+X=[,<a>").is_err());
        assert!(Template::parse("AT+X=<Bad>").is_err());
        assert_eq!(
            Template::parse("AT+X=<a>[,]...").unwrap_err().message,
            "a repeatable group must contain a field"
        );
        assert!(Template::parse("AT+X=a]").is_err());
    }

    #[test]
    fn literal_only_groups_parse_and_match_with_or_without_their_text() {
        let t = Template::parse("+X: [DATA,]<len>").unwrap();
        assert!(t.has_literal_only_group());
        assert!(
            !Template::parse("+X: [<a>,]<len>")
                .unwrap()
                .has_literal_only_group()
        );
        assert_eq!(names(&t), vec![("len".into(), false, false, vec![])]);
        for line in ["+X: DATA,5", "+X: 5"] {
            let b = match_line(&t, line).unwrap();
            assert_eq!(b[0].1.text, "5", "{line}");
        }
    }

    #[test]
    fn matches_lines_with_literals_and_optionals() {
        let t = Template::parse("AT+SAPBR=3,<cid>,\"APN\",<apn>").unwrap();
        let b = match_line(&t, "AT+SAPBR=3,1,\"APN\",\"CMNET\"").unwrap();
        assert_eq!(
            b[1],
            (
                "apn".into(),
                RawValue {
                    text: "CMNET".into(),
                    quoted: true
                }
            )
        );
        assert!(match_line(&t, "AT+SAPBR=3,1,\"USER\",\"x\"").is_none());

        let t = Template::parse("AT+C=<a>,[<h>],[<p>],<t>[,<d>]").unwrap();
        let b = match_line(&t, "AT+C=2,,,1").unwrap();
        assert_eq!(
            b.iter()
                .map(|(n, v)| format!("{n}={}", v.text))
                .collect::<Vec<_>>(),
            ["a=2", "t=1"]
        );

        let t = Template::parse("AT+H=<u>[,<h>]...").unwrap();
        let b = match_line(&t, "AT+H=\"u\",\"a\",\"b\"").unwrap();
        assert_eq!(b.len(), 3);

        let t = Template::parse("AT+P=<data>").unwrap();
        let b = match_line_escaped(&t, "AT+P=\"{\\\"a\\\":1\\,2}\"", Some('\\')).unwrap();
        assert_eq!(b[0].1.text, "{\"a\":1,2}");

        let t = Template::parse("ATE<value>").unwrap();
        assert_eq!(match_line(&t, "ATE0").unwrap()[0].1.text, "0");
    }
}
