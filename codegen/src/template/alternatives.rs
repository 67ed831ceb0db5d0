//! Optional groups a greedy reader would misread, and the ordered alternatives
//! that read them instead.
//!
//! The generated parsers read a template left to right and take an optional group
//! whenever its text is there. That is right for trailing groups (`<a>[,<b>]`) and
//! for groups that required text after them cannot be mistaken for (`[<h>],<t>`: a
//! value never starts with `,`). It is wrong for a leading or middle group
//! (`[<method>,]<status>,<len>`): `200,5` would be read as a method and a status,
//! and then the length is missing. Such a template is read as a list of
//! alternatives, each group kept or dropped, the most text first; the first that
//! reads the whole line wins.

use super::{Piece, Template};

/// Most top-level optional groups needing backtracking in one template (so at most
/// 16 alternatives).
pub const MAX_BACKTRACKING_GROUPS: usize = 4;

/// Indices in `pieces` of the optional groups that need backtracking.
pub fn backtracking_groups(pieces: &[Piece]) -> Vec<usize> {
    (0..pieces.len())
        .filter(|&i| needs_backtracking(&pieces[i], &pieces[i + 1..]))
        .collect()
}

/// Whether an optional group inside another group needs backtracking, which the
/// generated parsers do not do (only top-level groups are read as alternatives).
pub fn nested_backtracking(template: &Template) -> bool {
    fn inside(pieces: &[Piece]) -> bool {
        pieces.iter().any(|p| match p {
            Piece::Optional(inner) | Piece::Repeat(inner) => {
                !backtracking_groups(inner).is_empty() || inside(inner)
            }
            _ => false,
        })
    }
    inside(&template.pieces)
}

/// `group` is optional and followed by required text it could be mistaken for.
fn needs_backtracking(group: &Piece, rest: &[Piece]) -> bool {
    let Piece::Optional(inner) = group else {
        return false;
    };
    let required_follows = rest
        .iter()
        .any(|p| matches!(p, Piece::Literal(_) | Piece::Field { .. }));
    if !required_follows {
        return false;
    }
    match (inner.first(), rest.first()) {
        // A value is never empty and never starts with `,`: at a `,` the group fails.
        (Some(Piece::Field { .. }), Some(Piece::Literal(next))) => !next.starts_with(','),
        // Different fixed texts: at most one of them can be there.
        (Some(Piece::Literal(own)), Some(Piece::Literal(next))) => {
            own.starts_with(next.as_str()) || next.starts_with(own.as_str())
        }
        _ => true,
    }
}

/// The alternatives `template` is read as, the most groups kept first (and among
/// those, earlier groups kept first), with each kept group's pieces in its place;
/// `None` when a greedy reading is right.
pub fn alternatives(template: &Template) -> Option<Vec<Vec<Piece>>> {
    let groups = backtracking_groups(&template.pieces);
    if groups.is_empty() {
        return None;
    }
    Some(expand(&template.pieces, &groups))
}

/// Every way to read `pieces` with each of its top-level optional groups kept or
/// dropped, in the order of [`alternatives`] (for a payload header read up to its
/// length field, where nothing after the groups can tell a wrong choice).
pub fn every_choice(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let groups: Vec<usize> = (0..pieces.len())
        .filter(|&i| matches!(pieces[i], Piece::Optional(_)))
        .collect();
    expand(pieces, &groups)
}

/// `pieces` with the optional groups at `groups` kept or dropped in every way.
fn expand(pieces: &[Piece], groups: &[usize]) -> Vec<Vec<Piece>> {
    let mut masks: Vec<u32> = (0..1u32 << groups.len()).collect();
    // Bit `i` keeps group `i`; more bits first, then the earlier groups.
    masks.sort_by_key(|m| {
        (
            std::cmp::Reverse(m.count_ones()),
            std::cmp::Reverse(m.reverse_bits()),
        )
    });
    masks
        .into_iter()
        .map(|mask| {
            let mut out = Vec::new();
            for (index, piece) in pieces.iter().enumerate() {
                match groups.iter().position(|g| *g == index) {
                    Some(bit) if mask & (1 << bit) != 0 => {
                        if let Piece::Optional(inner) = piece {
                            out.extend(inner.iter().cloned());
                        }
                    }
                    Some(_) => {}
                    None => out.push(piece.clone()),
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(text: &str) -> Option<Vec<String>> {
        let t = Template::parse(text).unwrap();
        alternatives(&t).map(|alts| alts.iter().map(|a| render(a)).collect())
    }

    fn render(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(t) => t.clone(),
                Piece::Field { name, .. } => format!("<{name}>"),
                Piece::Optional(inner) => format!("[{}]", render(inner)),
                Piece::Repeat(inner) => format!("[{}]...", render(inner)),
            })
            .collect()
    }

    #[test]
    fn leading_and_middle_groups_are_read_as_alternatives_longest_first() {
        assert_eq!(
            shapes("+X: [<method>,]<status>,<len>").unwrap(),
            ["+X: <method>,<status>,<len>", "+X: <status>,<len>"]
        );
        assert_eq!(
            shapes("+X: <a>[,<b>],<c>[,<d>]").unwrap(),
            ["+X: <a>,<b>,<c>[,<d>]", "+X: <a>,<c>[,<d>]"]
        );
        assert_eq!(
            shapes("+X: [DATA,]<len>").unwrap(),
            ["+X: DATA,<len>", "+X: <len>"]
        );
        assert_eq!(
            shapes("+X: [<a>,][<b>,]<c>").unwrap(),
            ["+X: <a>,<b>,<c>", "+X: <a>,<c>", "+X: <b>,<c>", "+X: <c>"]
        );
    }

    #[test]
    fn groups_a_greedy_reader_gets_right_need_no_alternatives() {
        for text in [
            "AT+X=<a>[,<b>[,<c>]]",
            "AT+C=<a>,[<h>],[<p>],<t>[,<d>]",
            "+X: [A:<a>,]B:<b>",
            "AT+H=<u>[,<h>]...",
        ] {
            assert_eq!(shapes(text), None, "{text}");
        }
    }

    #[test]
    fn nested_groups_that_need_backtracking_are_found() {
        let nested = Template::parse("+X: <a>[,[<b>,]<c>]").unwrap();
        assert!(nested_backtracking(&nested));
        let top = Template::parse("+X: [<b>,]<c>").unwrap();
        assert!(!nested_backtracking(&top));
    }
}
