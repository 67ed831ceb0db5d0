//! Matching a concrete line against a template, with backtracking: what the
//! example checker uses to bind the values of a manual's lines.

use super::{Piece, Template};

/// A value taken from a concrete line for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawValue {
    /// The text, without quotes.
    pub text: String,
    /// Whether it was in double quotes.
    pub quoted: bool,
}

/// Field values of one match: each field name with its values (several for a
/// repeated field, none for an absent optional one), in template order.
pub type Bindings = Vec<(String, RawValue)>;

/// Matches a concrete command line exactly against a template and returns the
/// field values, or `None` if the line does not fit.
pub fn match_line(template: &Template, line: &str) -> Option<Bindings> {
    match_line_escaped(template, line, None)
}

/// Like [`match_line`] for a dialect whose quoted strings escape `"`, `,` and the
/// escape character itself with `escape`; bound values are unescaped.
pub fn match_line_escaped(
    template: &Template,
    line: &str,
    escape: Option<char>,
) -> Option<Bindings> {
    let mut state = MatchState {
        bindings: Vec::new(),
        escape,
    };
    if match_seq(&template.pieces, line, &mut state, &mut |rest, _| {
        rest.is_empty()
    }) {
        Some(state.bindings)
    } else {
        None
    }
}

/// What a match has bound so far, and how strings are escaped.
struct MatchState {
    bindings: Bindings,
    escape: Option<char>,
}

type Cont<'c> = dyn FnMut(&str, &mut MatchState) -> bool + 'c;

/// Continuation-passing matcher with backtracking: `k` is tried on what remains.
fn match_seq(pieces: &[Piece], input: &str, st: &mut MatchState, k: &mut Cont<'_>) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return k(input, st);
    };
    match first {
        Piece::Literal(text) => match input.strip_prefix(text.as_str()) {
            Some(after) => match_seq(rest, after, st, k),
            None => false,
        },
        Piece::Field { name, .. } => {
            for (value, after) in value_candidates(input, st.escape) {
                let mark = st.bindings.len();
                st.bindings.push((name.clone(), value));
                if match_seq(rest, after, st, k) {
                    return true;
                }
                st.bindings.truncate(mark);
            }
            false
        }
        Piece::Optional(inner) => {
            let mark = st.bindings.len();
            if match_seq(inner, input, st, &mut |after, s| {
                match_seq(rest, after, s, k)
            }) {
                return true;
            }
            st.bindings.truncate(mark);
            match_seq(rest, input, st, k)
        }
        Piece::Repeat(inner) => {
            let mark = st.bindings.len();
            let again = first;
            let consumed_something = |after: &str| after.len() < input.len();
            if match_seq(inner, input, st, &mut |after, s| {
                consumed_something(after)
                    && match_seq(std::slice::from_ref(again), after, s, &mut |a2, s2| {
                        match_seq(rest, a2, s2, k)
                    })
            }) {
                return true;
            }
            st.bindings.truncate(mark);
            match_seq(rest, input, st, k)
        }
    }
}

/// Ways a field value could start `input`: a quoted string, or a non-empty
/// unquoted run without `,` or `"` (longest first). An empty position is an
/// absent optional field, never an empty value.
fn value_candidates(input: &str, escape: Option<char>) -> Vec<(RawValue, &str)> {
    if let Some(body) = input.strip_prefix('"') {
        let mut text = String::new();
        let mut chars = body.char_indices();
        while let Some((at, ch)) = chars.next() {
            match ch {
                '"' => return vec![(RawValue { text, quoted: true }, &body[at + 1..])],
                c if Some(c) == escape => match chars.next() {
                    Some((_, escaped)) => text.push(escaped),
                    None => return Vec::new(),
                },
                c => text.push(c),
            }
        }
        return Vec::new();
    }
    let limit = input.find([',', '"']).unwrap_or(input.len());
    (1..=limit)
        .rev()
        .filter(|end| input.is_char_boundary(*end))
        .map(|end| {
            (
                RawValue {
                    text: input[..end].to_owned(),
                    quoted: false,
                },
                &input[end..],
            )
        })
        .collect()
}
