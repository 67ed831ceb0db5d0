//! Fields: types, ranges, defaults, repeats and value checks.

use std::collections::BTreeSet;

use super::{Cx, package::Scope};
use crate::ir::{Field, FieldType, IntType, TableRef};
use crate::model::{FieldKind, FieldSpec, Located, Quoting, Scalar, TableKind};
use crate::names;
use crate::template;
use crate::template::{Piece, Template};

/// What a field belongs to, which decides the keys it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldOwner {
    Command,
    Response,
    Urc,
}

/// Resolves the declared fields of a template, in template order, checking that
/// each placeholder is declared once and each declaration is used.
pub(super) fn resolve_fields(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    at: &Located<String>,
    template: &Template,
    declared: &[FieldSpec],
    owner: FieldOwner,
) -> Vec<Field> {
    let uses = template.fields();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for usage in &uses {
        if !seen.insert(usage.name.clone()) {
            cx.at(
                at,
                format!(
                    "placeholder `<{}>` appears twice in `{}`",
                    usage.name, at.value
                ),
            );
            continue;
        }
        // Later declarations (form, variant) override earlier ones (command).
        let Some(spec) = declared.iter().rev().find(|f| f.name.value == usage.name) else {
            cx.at_pos(
                at.line,
                at.column + usage.offset as u64,
                format!(
                    "placeholder `<{}>` has no declaration in `params`/`fields`{}",
                    usage.name,
                    crate::suggest::did_you_mean(
                        &usage.name,
                        declared.iter().map(|f| f.name.as_str())
                    )
                ),
            );
            continue;
        };
        if let Some(field) = resolve_field(cx, scope, spec, usage.clone(), owner) {
            out.push(field);
        }
    }
    for piece in repeat_groups(&template.pieces) {
        let count = Template {
            pieces: piece.to_vec(),
        }
        .fields()
        .len();
        if count != 1 {
            cx.at(
                at,
                "a repeatable group `[...]...` must contain exactly one field",
            );
        }
    }
    for field in &out {
        if field.ty == FieldType::Text
            && !matches!(template.pieces.last(), Some(Piece::Field { name, .. }) if *name == field.spec.name.value)
        {
            cx.at(
                &field.spec.kind,
                "a `text` field must be the last thing in its template",
            );
        }
        if let FieldType::Count { of } = &field.ty {
            let target = uses.iter().find(|u| &u.name == of);
            if !target.is_some_and(|t| t.repeated) {
                cx.at(
                    &field.spec.kind,
                    format!("`count_of: {of}` must name a repeated field of the same template"),
                );
            }
        }
    }
    out
}

pub(super) fn repeat_groups(pieces: &[Piece]) -> Vec<&[Piece]> {
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Repeat(inner) => {
                out.push(inner.as_slice());
                out.extend(repeat_groups(inner));
            }
            Piece::Optional(inner) => out.extend(repeat_groups(inner)),
            _ => {}
        }
    }
    out
}

pub(super) fn resolve_field(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    spec: &FieldSpec,
    usage: template::FieldUse,
    owner: FieldOwner,
) -> Option<Field> {
    let command = owner == FieldOwner::Command;
    let before = cx.diags.len();
    if !names::is_snake(&spec.name) {
        cx.at(
            &spec.name,
            format!("field name `{}` must be snake_case", spec.name.value),
        );
    }
    let kind = spec.kind.value;
    let not_for = |key: &str, present: bool, cx: &mut Cx<'_>| {
        if present {
            cx.at(
                &spec.kind,
                format!("`{key}` does not apply to a field of type {kind:?}"),
            );
        }
    };
    not_for(
        "min/max",
        (spec.min.is_some() || spec.max.is_some())
            && !matches!(kind, FieldKind::Int | FieldKind::Count),
        cx,
    );
    not_for(
        "min_len/max_len",
        (spec.min_len.is_some() || spec.max_len.is_some()) && kind != FieldKind::String,
        cx,
    );
    not_for(
        "table/tables",
        (spec.table.is_some() || !spec.tables.is_empty()) && kind != FieldKind::Enum,
        cx,
    );
    not_for(
        "count_of",
        spec.count_of.is_some() && kind != FieldKind::Count,
        cx,
    );
    not_for(
        "ascii_only/forbid/reserved",
        (spec.ascii_only || spec.forbid.is_some() || !spec.reserved.is_empty())
            && kind != FieldKind::String,
        cx,
    );
    not_for(
        "quoted",
        spec.quoted.is_some() && kind == FieldKind::Text,
        cx,
    );
    if let Some(unit) = &spec.unit
        && !matches!(kind, FieldKind::Int | FieldKind::Count)
    {
        cx.at(
            unit,
            format!("`unit` does not apply to a field of type {kind:?}"),
        );
    }
    if let Some(at) = spec.prefix.first().or(spec.pattern.as_ref())
        && kind != FieldKind::String
    {
        cx.at(
            at,
            format!("`prefix`/`pattern` does not apply to a field of type {kind:?}"),
        );
    }
    check_text_rules(cx, spec);
    if spec.secret && owner == FieldOwner::Urc {
        cx.at(
            &spec.name,
            "`secret` applies to command parameters and response lines (a URC belongs to no command)",
        );
    }
    if spec.secret && kind != FieldKind::String {
        cx.at(&spec.name, "`secret` applies to string fields");
    }
    let ty = match kind {
        FieldKind::Int | FieldKind::Count => {
            let min = spec.min.as_ref().map_or(0, |m| m.value);
            let max = spec.max.as_ref().map_or(u32::MAX as i64, |m| m.value);
            if min > max {
                let (line, column) = spec
                    .min
                    .as_ref()
                    .map_or((spec.kind.line, spec.kind.column), |m| (m.line, m.column));
                cx.at_pos(line, column, format!("min {min} is greater than max {max}"));
            }
            if kind == FieldKind::Count {
                match &spec.count_of {
                    Some(of) => FieldType::Count {
                        of: of.value.clone(),
                    },
                    None => {
                        cx.at(&spec.kind, "a `count` field needs `count_of`");
                        return None;
                    }
                }
            } else {
                FieldType::Int {
                    ty: super::family_fields::widened_int(
                        spec,
                        IntType::for_range(min, max),
                        min,
                        max,
                    ),
                    min,
                    max,
                }
            }
        }
        FieldKind::String => {
            if let (Some(lo), Some(hi)) = (&spec.min_len, &spec.max_len)
                && lo.value > hi.value
            {
                {
                    cx.at(
                        lo,
                        format!("min_len {} is greater than max_len {}", lo.value, hi.value),
                    );
                }
            }
            FieldType::String
        }
        FieldKind::Text => {
            if command {
                cx.at(
                    &spec.kind,
                    "`text` fields belong to response lines; use `string` for parameters",
                );
            }
            FieldType::Text
        }
        FieldKind::Enum if !spec.tables.is_empty() => {
            // Checked with the tables; a refused list was reported there.
            let name = super::table_union::union_name(spec);
            FieldType::Enum(scope.tables.get(&name)?.clone())
        }
        FieldKind::Enum => match &spec.table {
            Some(name) => match scope.tables.get(name.as_str()) {
                Some(t) => FieldType::Enum(t.clone()),
                None if scope.refused.contains(name.as_str()) => return None,
                None => {
                    cx.at(
                        name,
                        format!(
                            "unknown table `{}` in package `{}`{}",
                            name.value,
                            scope.package,
                            crate::suggest::did_you_mean(name, scope.tables.keys())
                        ),
                    );
                    return None;
                }
            },
            None => {
                cx.at(&spec.kind, "an `enum` field needs `table`");
                return None;
            }
        },
    };
    if let (Some(allowed), FieldType::Enum(t)) = (&spec.allowed, &ty) {
        let codes = &scope.table_codes[&t.name];
        for value in allowed {
            if !codes.contains(&value.value) {
                cx.at(
                    value,
                    format!("{} is not a code of table `{}`", value.value, t.name),
                );
            }
        }
    } else if spec.allowed.is_some() {
        cx.at(&spec.kind, "`allowed` applies to enum fields");
    }
    if let Some(default) = &spec.default {
        check_value(cx, scope, &ty, spec, default);
    }
    let quoting = match (spec.quoted, &ty) {
        (Some(Quoting::Optional), _) if command => {
            cx.at(
                &spec.name,
                "a command parameter is quoted `always` or `never`",
            );
            Quoting::Always
        }
        (Some(q), _) => q,
        (None, FieldType::String)
        | (
            None,
            FieldType::Enum(TableRef {
                kind: TableKind::Text,
                ..
            }),
        ) => {
            if command {
                Quoting::Always
            } else {
                Quoting::Optional
            }
        }
        (None, _) => Quoting::Never,
    };
    if cx.diags.len() > before {
        return None;
    }
    // Family overrides are resolved once the shape or line stands
    // (`family::apply_to_command`, `family::apply_to_line`).
    Some(Field {
        spec: spec.clone(),
        ty,
        usage,
        quoting,
        by_family: Vec::new(),
    })
}

/// Checks a literal value (default, example) against a field's type and limits.
pub(super) fn check_value(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    ty: &FieldType,
    spec: &FieldSpec,
    value: &Located<Scalar>,
) -> bool {
    let ok = match (ty, &value.value) {
        (FieldType::Int { min, max, .. }, Scalar::Int(v)) => {
            if v < min || v > max {
                cx.at(
                    value,
                    format!(
                        "{v} is outside the range {min}..={max} of `{}`",
                        spec.name.value
                    ),
                );
                return false;
            }
            true
        }
        (FieldType::Count { .. }, Scalar::Int(_)) => true,
        (FieldType::String, Scalar::Text(s)) if !text_rules_accept(spec, s) => {
            cx.at(
                value,
                format!(
                    "{:?} breaks the `prefix`/`pattern` rule of `{}`",
                    s, spec.name.value
                ),
            );
            return false;
        }
        (FieldType::String | FieldType::Text, Scalar::Text(s)) => {
            if let Some(max) = &spec.max_len
                && s.len() as u64 > max.value
            {
                {
                    cx.at(
                        value,
                        format!(
                            "{} bytes is longer than max_len {} of `{}`",
                            s.len(),
                            max.value,
                            spec.name.value
                        ),
                    );
                    return false;
                }
            }
            true
        }
        (FieldType::Enum(t), v) => {
            if !scope
                .table_codes
                .get(&t.name)
                .is_some_and(|codes| codes.contains(v))
            {
                cx.at(value, format!("{v} is not a code of table `{}`", t.name));
                return false;
            }
            true
        }
        _ => false,
    };
    if !ok {
        cx.at(
            value,
            format!(
                "{} does not fit field `{}` of type {:?}",
                value.value, spec.name.value, spec.kind.value
            ),
        );
    }
    ok
}

/// Spec-time checks of a string's `prefix` and `pattern`: no empty prefix, and a
/// pattern that compiles with the engine the runtime uses (anchored the same way).
fn check_text_rules(cx: &mut Cx<'_>, spec: &FieldSpec) {
    for prefix in &spec.prefix {
        if prefix.value.is_empty() {
            cx.at(prefix, "a `prefix` is non-empty literal text");
        }
    }
    if let Some(pattern) = &spec.pattern
        && let Err(e) = regex_lite::Regex::new(&anchored(pattern))
    {
        let first = e.to_string();
        let first = first.lines().last().unwrap_or_default().trim();
        cx.at(
            pattern,
            format!("pattern `{}` does not compile: {first}", pattern.value),
        );
    }
}

/// Whether a literal value (default, example) satisfies the field's `prefix` and
/// `pattern`, as the generated constructor checks them.
pub(super) fn text_rules_accept(spec: &FieldSpec, value: &str) -> bool {
    let prefixed =
        spec.prefix.is_empty() || spec.prefix.iter().any(|p| value.starts_with(p.as_str()));
    let matched = spec
        .pattern
        .as_ref()
        .is_none_or(|p| regex_lite::Regex::new(&anchored(p)).is_ok_and(|re| re.is_match(value)));
    prefixed && matched
}

/// The pattern wrapped to match the whole value; the same text as the runtime's
/// `atspec::text_rules::anchored`.
pub(crate) fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}
