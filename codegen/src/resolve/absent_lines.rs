//! `absent` on a response line: what firmware means by leaving out a line the
//! response otherwise always has (SIM800 AT+HTTPREAD on an empty body: only `OK`).

use super::Cx;
use super::field::check_value;
use super::line_match::{line_matches, squeeze, squeeze_template};
use super::package::Scope;
use crate::ir::{FieldType, Line};
use crate::model::{Located, RepeatSpec, Scalar, TableKind};
use crate::template;

/// Checks a resolved line's `absent`: response lines with `repeat: one` only, and
/// `means` must be a line of the template with values inside the fields' limits and,
/// for a line announcing a payload, a length of 0.
pub(super) fn check_absent(cx: &mut Cx<'_>, scope: &Scope<'_>, line: &Line, response: bool) {
    let Some(absent) = &line.spec.absent else {
        return;
    };
    let means = &absent.means;
    if !response {
        cx.at(means, "`absent` applies to response lines, not URCs");
        return;
    }
    if line.spec.repeat.is_some_and(|r| r != RepeatSpec::One) {
        cx.at(
            means,
            "`absent` is for a line the response otherwise always has (`repeat: one`); an optional or repeated line may be left out already",
        );
        return;
    }
    let template_text = &line.spec.template.value;
    let bindings = template::match_line(&squeeze_template(&line.template), &squeeze(means));
    let Some(bindings) = bindings.filter(|_| line_matches(line, means)) else {
        cx.at(
            means,
            format!(
                "`absent.means` `{}` is not a `{template_text}` line",
                means.value
            ),
        );
        return;
    };
    for field in &line.fields {
        let Some((_, raw)) = bindings
            .iter()
            .find(|(name, _)| *name == field.spec.name.value)
        else {
            continue;
        };
        let value = match &field.ty {
            FieldType::Int { .. } | FieldType::Count { .. } => raw.text.parse().map(Scalar::Int),
            FieldType::Enum(t) if t.kind == TableKind::Int => raw.text.parse().map(Scalar::Int),
            _ => Ok(Scalar::Text(raw.text.clone())),
        };
        let Ok(value) = value else {
            cx.at(
                means,
                format!(
                    "`{}` of `absent.means` is not a number",
                    field.spec.name.value
                ),
            );
            return;
        };
        let located = Located {
            value,
            line: means.line,
            column: means.column,
        };
        if !check_value(cx, scope, &field.ty, &field.spec, &located) {
            return;
        }
        let announces = line
            .spec
            .payload
            .as_ref()
            .is_some_and(|p| p.length.value == field.spec.name.value);
        if announces && located.value != Scalar::Int(0) {
            cx.at(
                means,
                format!(
                    "an absent line announces no bytes: `{}` in `absent.means` must be 0",
                    field.spec.name.value
                ),
            );
        }
    }
}
