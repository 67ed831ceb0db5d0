//! An example's `expect` against its captured line: the values the declared line
//! reads from the text must be the ones `expect` gives, so a wrong expectation is
//! reported at the example rather than by its generated test.

use std::collections::BTreeMap;

use super::Cx;
use super::line_match::{squeeze, squeeze_template};
use crate::ir::{Field, FieldType, Line};
use crate::model::{Located, Scalar, TableKind};
use crate::template::{self, RawValue};

/// Checks every non-repeated field of `spec` as read from `line` against `expect`;
/// reports the first disagreement and returns whether there was none.
pub(super) fn check_captured_values(
    cx: &mut Cx<'_>,
    line: &Located<String>,
    spec: &Line,
    expect: &BTreeMap<String, Located<Scalar>>,
    escape: Option<char>,
) -> bool {
    let text = line.value.trim_end();
    // As written first; spacing the modem may vary is squeezed out only when needed,
    // and string values are then compared squeezed too.
    let read = template::match_line_escaped(&spec.template, text, escape)
        .map(|b| (b, false))
        .or_else(|| {
            template::match_line_escaped(&squeeze_template(&spec.template), &squeeze(text), escape)
                .map(|b| (b, true))
        });
    // A rest-of-line field may hold commas the matcher does not split on; such
    // lines are classified by prefix and their values checked by the generated test.
    let Some((bindings, squeezed)) = read else {
        return true;
    };
    for field in spec.fields.iter().filter(|f| !f.usage.repeated) {
        let name = &field.spec.name.value;
        let captured = bindings.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let problem = match (captured, expect.get(name)) {
            (Some(raw), _) if !parses(field, raw) => Some((
                None,
                format!(
                    "`{text}` gives `{}` for `{name}`, which the line's parser cannot read as {}",
                    raw.text,
                    type_name(&field.ty)
                ),
            )),
            (Some(raw), Some(want)) if !same(field, raw, &want.value, squeezed) => Some((
                Some(want),
                format!(
                    "`expect` gives `{name}: {}`, but `{text}` reads `{name}` as `{}`",
                    want.value, raw.text
                ),
            )),
            (Some(raw), None) => Some((
                None,
                format!(
                    "`{text}` gives optional field `{name}` (`{}`), which `expect` leaves out (the test would expect none); add `{name}: {}`",
                    raw.text, raw.text
                ),
            )),
            (None, Some(want)) => Some((
                Some(want),
                format!("`expect` gives `{name}`, but `{text}` has no value for it"),
            )),
            _ => None,
        };
        if let Some((at, message)) = problem {
            match at {
                Some(value) => cx.at(value, message),
                None => cx.at(line, message),
            }
            return false;
        }
    }
    true
}

fn is_integer(ty: &FieldType) -> bool {
    matches!(
        ty,
        FieldType::Int { .. }
            | FieldType::Count { .. }
            | FieldType::Enum(crate::ir::TableRef {
                kind: TableKind::Int,
                ..
            })
    )
}

fn parses(field: &Field, raw: &RawValue) -> bool {
    !is_integer(&field.ty) || raw.text.trim().parse::<i64>().is_ok()
}

fn type_name(ty: &FieldType) -> &'static str {
    if is_integer(ty) { "an integer" } else { "text" }
}

fn same(field: &Field, raw: &RawValue, want: &Scalar, squeezed: bool) -> bool {
    match want {
        Scalar::Int(want) if is_integer(&field.ty) => raw.text.trim().parse::<i64>() == Ok(*want),
        Scalar::Text(want) if !is_integer(&field.ty) => {
            *want == raw.text || (squeezed && squeeze(want) == raw.text)
        }
        // A value of the wrong kind is reported by the range and type checks.
        _ => true,
    }
}
