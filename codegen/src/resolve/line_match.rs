//! Matching a captured line against a declared line, ignoring spacing.

use crate::ir::{FieldType, Line};
use crate::template;
use crate::template::{Piece, Template};

/// Normalises a response line for matching: no spaces after `:` or around `,`.
pub(super) fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && (out.ends_with(':') || out.ends_with(',') || chars.peek() == Some(&',')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

pub(super) fn squeeze_template(template: &Template) -> Template {
    fn walk(pieces: &[Piece]) -> Vec<Piece> {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(t) => Piece::Literal(squeeze(t)),
                Piece::Field { .. } => p.clone(),
                Piece::Optional(inner) => Piece::Optional(walk(inner)),
                Piece::Repeat(inner) => Piece::Repeat(walk(inner)),
            })
            .filter(|p| !matches!(p, Piece::Literal(t) if t.is_empty()))
            .collect()
    }
    Template {
        pieces: walk(&template.pieces),
    }
}

pub(super) fn line_matches(line: &Line, text: &str) -> bool {
    // A text field swallows the rest, commas included.
    let squeezed_line = squeeze(text);
    let template = squeeze_template(&line.template);
    if line.fields.iter().any(|f| f.ty == FieldType::Text) {
        let prefix = squeeze(&line.template.literal_prefix());
        return squeezed_line.starts_with(&prefix);
    }
    template::match_line(&template, &squeezed_line).is_some()
}
