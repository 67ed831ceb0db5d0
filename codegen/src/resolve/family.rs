//! Module families: the package's list, references to it (`only:`, example
//! `families:`), and the per-family facts of fields.

use super::{Cx, field::FieldOwner, field::check_value, package::Scope, package::check_source};
use crate::ir::{Family, Field, FieldType, IntType};
use crate::model::{FieldSpec, Located, PackageSpec, Scalar};
use crate::names;

/// The package's families, checked: snake_case ids, each once, cited manuals known.
pub(super) fn resolve_families(
    cx: &mut Cx<'_>,
    spec: &PackageSpec,
    manuals: &std::collections::BTreeSet<String>,
) -> Vec<Family> {
    let mut out: Vec<Family> = Vec::new();
    for family in &spec.families {
        if !names::is_snake(&family.name) {
            cx.at(
                &family.name,
                format!("family name `{}` must be snake_case", family.name.value),
            );
        }
        if out.iter().any(|f| f.name == family.name.value) {
            cx.at(
                &family.name,
                format!("family `{}` is declared twice", family.name.value),
            );
            continue;
        }
        if let Some(source) = &family.source {
            check_source(cx, manuals, source);
        }
        out.push(Family {
            name: family.name.value.clone(),
            title: family.title.clone(),
            source: family
                .source
                .as_ref()
                .map(|s| super::package::citation(s, None)),
        });
    }
    out
}

/// Checks that `name` is a declared family; says which one was probably meant.
pub(super) fn check_family(cx: &mut Cx<'_>, scope: &Scope<'_>, name: &Located<String>) -> bool {
    if scope.families.iter().any(|f| *f == name.value) {
        return true;
    }
    let message = if scope.families.is_empty() {
        format!(
            "unknown family `{}`: package `{}` declares no `families`",
            name.value, scope.package
        )
    } else {
        let hint = match nearest(&name.value, &scope.families) {
            Some(near) => format!("; did you mean `{near}`?"),
            None => String::new(),
        };
        format!(
            "unknown family `{}`; package.yaml declares {}{hint}",
            name.value,
            scope
                .families
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    cx.at(name, message);
    false
}

/// Checks the `only:` list of a `what` (command, form, variant, code), which must
/// stay within the families of what encloses it (`within`: its families and what
/// it is); returns the family ids it names, in the package's order.
pub(super) fn resolve_only(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    only: Option<&Located<Vec<Located<String>>>>,
    within: Option<(&[String], &str)>,
    what: &str,
) -> Option<Vec<String>> {
    let located = only?;
    let list = &located.value;
    for name in list {
        if check_family(cx, scope, name)
            && let Some((outer, enclosing)) = within
            && !outer.contains(&name.value)
        {
            cx.at(
                name,
                format!(
                    "family `{}` is not among those of the {enclosing} ({})",
                    name.value,
                    outer.join(", ")
                ),
            );
        }
    }
    if list.is_empty() {
        cx.at(
            located,
            format!("`only: []` leaves the {what} to no family; leave it out instead"),
        );
    }
    Some(
        scope
            .families
            .iter()
            .filter(|f| list.iter().any(|n| &n.value == *f))
            .cloned()
            .collect(),
    )
}

/// The nearest of `candidates` to `name` by edit distance, when close enough to
/// be a slip of the keyboard.
pub(super) fn nearest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

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
fn once<T>(cx: &mut Cx<'_>, check: impl FnOnce(&mut Cx<'_>) -> T) -> T {
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

/// Checks an example's `families:`: each declared, and each having every command
/// of this package that the example sends.
pub(super) fn check_example(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    example: &crate::model::ExampleSpec,
    steps: &[crate::ir::Step],
    commands: &[(String, &crate::ir::Command)],
) {
    let Some(families) = &example.families else {
        return;
    };
    for family in families {
        if !check_family(cx, scope, family) {
            continue;
        }
        for step in steps {
            let crate::ir::Step::Send {
                module,
                ident,
                line,
                ..
            } = step
            else {
                continue;
            };
            let lacks = commands.iter().any(|(path, c)| {
                path == module
                    && &c.ident == ident
                    && c.only
                        .as_ref()
                        .is_some_and(|only| !only.contains(&family.value))
            });
            if lacks {
                cx.at(
                    family,
                    format!(
                        "the example sends `{line}`, which family `{}` does not have",
                        family.value
                    ),
                );
            }
        }
    }
}

/// Whether two shapes share a family (`None`: every family).
fn overlap<'a>(
    a: Option<&'a [String]>,
    b: Option<&'a [String]>,
    all: &'a [String],
) -> Vec<&'a str> {
    let a = a.unwrap_or(all);
    let b = b.unwrap_or(all);
    a.iter()
        .filter(|f| b.contains(f))
        .map(String::as_str)
        .collect()
}

/// Two shapes of one command may share a command line only when no family has
/// both: the line would not tell them apart.
pub(super) fn check_same_syntax(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    shapes: &[crate::ir::Command],
    syntax_of: impl Fn(&crate::ir::Command) -> Option<Located<String>>,
) {
    for (i, a) in shapes.iter().enumerate() {
        for b in &shapes[i + 1..] {
            if a.syntax != b.syntax {
                continue;
            }
            let shared = overlap(a.only.as_deref(), b.only.as_deref(), &scope.families);
            if shared.is_empty() && !scope.families.is_empty() {
                continue;
            }
            let Some(at) = syntax_of(b) else { continue };
            let on = if scope.families.is_empty() {
                "; declare the package's `families` and give each an `only:` list".to_owned()
            } else {
                format!(
                    " on family {}; give them `only:` lists that do not overlap",
                    shared
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            cx.at(
                &at,
                format!(
                    "`{}` and `{}` have the same command line `{}`{on}",
                    a.ident, b.ident, a.syntax
                ),
            );
        }
    }
}

/// An example's steps. An example of some families is read once per family,
/// against the commands as that family has them: its limits, and of two shapes
/// with one command line the one the family has. Each problem is reported once.
pub(super) fn example_steps(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &crate::ir::Dialect,
    example: &crate::model::ExampleSpec,
    commands: &[(String, &crate::ir::Command)],
    urcs: &[&crate::ir::Line],
) -> Vec<crate::ir::Step> {
    let families: Vec<&String> = example
        .families
        .iter()
        .flatten()
        .map(|f| &f.value)
        .filter(|f| scope.families.contains(f))
        .collect();
    if families.is_empty() {
        return super::example::resolve_steps(cx, scope, dialect, example, commands, urcs);
    }
    let mut first = None;
    for family in families {
        let views = family_view(family, commands);
        let views: Vec<(String, &crate::ir::Command)> =
            views.iter().map(|(p, c)| (p.clone(), c)).collect();
        let steps = once(cx, |cx| {
            super::example::resolve_steps(cx, scope, dialect, example, &views, urcs)
        });
        first.get_or_insert(steps);
    }
    first.unwrap_or_default()
}

/// The commands as `family` has them: each parameter with the family's limits,
/// and a shape left out where another with the same command line is the family's.
fn family_view(
    family: &str,
    commands: &[(String, &crate::ir::Command)],
) -> Vec<(String, crate::ir::Command)> {
    let has = |c: &crate::ir::Command| {
        c.only
            .as_ref()
            .is_none_or(|o| o.iter().any(|f| f == family))
    };
    commands
        .iter()
        .filter(|(path, c)| {
            has(c)
                || !commands
                    .iter()
                    .any(|(p, o)| p == path && o.syntax == c.syntax && has(o))
        })
        .map(|(path, c)| {
            let mut view = (*c).clone();
            for param in &mut view.params {
                if let Some((_, own)) = param.by_family.iter().find(|(f, _)| f == family) {
                    *param = own.clone();
                }
            }
            (path.clone(), view)
        })
        .collect()
}
