//! Per-family facts of fields: `families: { <family>: { max_len: ... } }` beside the
//! common values, and codes of a table that only some families have.

use super::{Cx, family::check_family, field::FieldOwner, field::check_value, package::Scope};
use crate::ir::{Field, FieldType, IntType};
use crate::model::{FieldSpec, Located, Scalar};

/// The integer type of a field that holds the values of every family.
pub(super) fn widened_int(spec: &FieldSpec, common: IntType, min: i64, max: i64) -> IntType {
    let (lo, hi) = spec.families.values().fold((min, max), |(lo, hi), o| {
        (
            o.min.as_ref().map_or(lo, |m| lo.min(m.value)),
            o.max.as_ref().map_or(hi, |m| hi.max(m.value)),
        )
    });
    if (lo, hi) == (min, max) {
        common
    } else {
        IntType::for_range(lo, hi)
    }
}

/// Resolves the family overrides of a command shape's parameters and response
/// fields. Run after the shape stands, so that a wrong override is reported
/// alone and leaves the field with its common facts; a parameter shared by
/// several shapes is reported once.
pub(super) fn apply_to_command(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    command: &mut crate::ir::Command,
) {
    for param in &mut command.params {
        param.by_family = once(cx, |cx| {
            field_by_family(cx, scope, param, FieldOwner::Command)
        });
    }
    for line in &mut command.response {
        apply_to_line(cx, scope, line, FieldOwner::Response);
    }
}

/// Resolves the family overrides of a response line's or URC's fields.
pub(super) fn apply_to_line(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    line: &mut crate::ir::Line,
    owner: FieldOwner,
) {
    for field in &mut line.fields {
        field.by_family = once(cx, |cx| field_by_family(cx, scope, field, owner));
    }
}

/// Runs `check`, keeping only the diagnostics not reported already.
pub(super) fn once<T>(cx: &mut Cx<'_>, check: impl FnOnce(&mut Cx<'_>) -> T) -> T {
    let before = cx.diags.len();
    let out = check(cx);
    let new = cx.diags.split_off(before);
    for d in new {
        if !cx.diags.contains(&d) {
            cx.diags.push(d);
        }
    }
    out
}

/// The codes of an enum field's table that `family` does not have.
fn excluded_codes(scope: &Scope<'_>, ty: &FieldType, family: &str) -> Vec<Scalar> {
    let FieldType::Enum(t) = ty else {
        return Vec::new();
    };
    scope
        .code_families
        .get(&t.name)
        .into_iter()
        .flatten()
        .filter(|(_, only)| !only.iter().any(|f| f == family))
        .map(|(code, _)| code.clone())
        .collect()
}

/// The field as each overriding family sees it. Reports unknown families, keys
/// the field's type does not have, and limits that contradict each other.
pub(super) fn field_by_family(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    field: &Field,
    owner: FieldOwner,
) -> Vec<(String, Field)> {
    let spec = &field.spec;
    let kind = spec.kind.value;
    let mut out = Vec::new();
    let mut unknown = false;
    for key in spec.families.keys() {
        unknown |= !check_family(cx, scope, &key.0);
    }
    if unknown {
        return out;
    }
    for family in &scope.families {
        let given = spec.families.iter().find(|(k, _)| k.0.value == *family);
        let excluded = excluded_codes(scope, &field.ty, family);
        let o = match given {
            Some((_, o)) => o.clone(),
            None if !excluded.is_empty() => Default::default(),
            None => continue,
        };
        let before = cx.diags.len();
        let wrong_key = |name: &str, line: u64, column: u64, cx: &mut Cx<'_>| {
            cx.at_pos(
                line,
                column,
                format!(
                    "family `{family}` overrides `{name}`, which a field of type {kind:?} does not have"
                ),
            );
        };
        let int = matches!(field.ty, FieldType::Int { .. });
        for (name, value) in [("min", &o.min), ("max", &o.max)] {
            if let Some(v) = value.as_ref().filter(|_| !int) {
                wrong_key(name, v.line, v.column, cx);
            }
        }
        let string = field.ty == FieldType::String;
        for (name, value) in [("min_len", &o.min_len), ("max_len", &o.max_len)] {
            if let Some(v) = value.as_ref().filter(|_| !string) {
                wrong_key(name, v.line, v.column, cx);
            }
        }
        if owner != FieldOwner::Command
            && let Some(d) = &o.default
        {
            cx.at(d, "`default` applies to command parameters");
        }
        if cx.diags.len() > before {
            continue;
        }
        let mut merged = spec.clone();
        merged.families.clear();
        merged.min = o.min.clone().or(merged.min);
        merged.max = o.max.clone().or(merged.max);
        merged.min_len = o.min_len.clone().or(merged.min_len);
        merged.max_len = o.max_len.clone().or(merged.max_len);
        merged.default = o.default.clone().or(merged.default);
        let ty = match &field.ty {
            FieldType::Int { ty, .. } => {
                let min = merged.min.as_ref().map_or(0, |m| m.value);
                let max = merged.max.as_ref().map_or(u32::MAX as i64, |m| m.value);
                if min > max {
                    let (line, column) = o
                        .min
                        .as_ref()
                        .or(o.max.as_ref())
                        .map_or((spec.kind.line, spec.kind.column), |m| (m.line, m.column));
                    cx.at_pos(
                        line,
                        column,
                        format!("min {min} is greater than max {max} on family `{family}`"),
                    );
                    continue;
                }
                FieldType::Int { ty: *ty, min, max }
            }
            other => other.clone(),
        };
        if let (Some(lo), Some(hi)) = (&merged.min_len, &merged.max_len)
            && lo.value > hi.value
        {
            let at = o.min_len.as_ref().or(o.max_len.as_ref()).unwrap_or(lo);
            cx.at(
                at,
                format!(
                    "min_len {} is greater than max_len {} on family `{family}`",
                    lo.value, hi.value
                ),
            );
            continue;
        }
        if let (FieldType::Enum(t), false) = (&ty, excluded.is_empty()) {
            let listed: Vec<Scalar> = match &merged.allowed {
                Some(allowed) => allowed.iter().map(|v| v.value.clone()).collect(),
                None => scope.table_codes.get(&t.name).cloned().unwrap_or_default(),
            };
            let left: Vec<_> = listed
                .into_iter()
                .filter(|c| !excluded.contains(c))
                .map(Located::unplaced)
                .collect();
            if left.is_empty() {
                cx.at(
                    &spec.name,
                    format!(
                        "on family `{family}` no code of table `{}` is left for `{}`",
                        t.name, spec.name.value
                    ),
                );
                continue;
            }
            merged.allowed = Some(left);
        }
        if let Some(default) = &o.default
            && !check_value(cx, scope, &ty, &merged, default)
        {
            continue;
        }
        out.push((
            family.clone(),
            Field {
                spec: merged,
                ty,
                usage: field.usage.clone(),
                quoting: field.quoting,
                by_family: Vec::new(),
            },
        ));
    }
    out
}
