//! Fields whose codes come from several tables (`tables: [a, b]`): one generated
//! type per distinct list, whose variants say which table a value belongs to.
//!
//! Resolved after the tables and before any field, so that fields find the
//! combined type in the scope like any other table.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cx, package::Scope};
use crate::ir::{IntType, Table, TableRef};
use crate::load::RawPackage;
use crate::model::{CodeSpec, FieldKind, FieldSpec, ModuleSpec, Scalar};
use crate::names;

/// Name of the combined table of a field's `tables` (`cme_error_or_http_status`).
pub(super) fn union_name(spec: &FieldSpec) -> String {
    let names: Vec<&str> = spec.tables.iter().map(|t| t.as_str()).collect();
    names.join("_or_")
}

/// Every field of a module: command, form and variant parameters, response line
/// and URC fields.
fn module_fields(module: &ModuleSpec) -> Vec<&FieldSpec> {
    let mut out = Vec::new();
    for command in &module.commands {
        out.extend(&command.params);
        let forms = [&command.test, &command.read, &command.write, &command.exec];
        for form in forms.into_iter().flatten() {
            out.extend(&form.params);
            out.extend(form.response.iter().flat_map(|l| &l.fields));
            for variant in &form.variants {
                out.extend(&variant.params);
                out.extend(variant.response.iter().flatten().flat_map(|l| &l.fields));
            }
        }
    }
    out.extend(module.urcs.iter().flat_map(|l| &l.fields));
    out
}

/// Checks each field's `tables` and adds one combined table per distinct list to
/// the scope and to the module of the first field that names it. A list that is
/// refused is marked so that its fields are not reported again.
pub(super) fn resolve_unions(
    cx: &mut Cx<'_>,
    raw: &RawPackage,
    scope: &mut Scope<'_>,
    tables_by_module: &mut BTreeMap<String, Vec<Table>>,
) {
    let all_tables: BTreeMap<String, Table> = tables_by_module
        .values()
        .flatten()
        .map(|t| (t.reference.name.clone(), t.clone()))
        .collect();
    let mut made: BTreeMap<String, Vec<TableRef>> = BTreeMap::new();
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        for spec in module_fields(module) {
            if spec.tables.is_empty() || spec.kind.value != FieldKind::Enum {
                continue;
            }
            let name = union_name(spec);
            let Some(mut union) = combine(&mut cx, spec, scope, &all_tables) else {
                scope.refused.insert(name);
                continue;
            };
            if let Some(parts) = made.get(&name) {
                if *parts != union.parts {
                    let at = spec.prefer.as_ref().unwrap_or(&spec.tables[0]);
                    cx.at(
                        at,
                        format!(
                            "`tables: [{}]` is given elsewhere with another `prefer`",
                            name.replace("_or_", ", ")
                        ),
                    );
                }
                continue;
            }
            if scope.tables.contains_key(&name) {
                cx.at(
                    &spec.tables[0],
                    format!("the combined table `{name}` has the name of a table of the spec"),
                );
                scope.refused.insert(name);
                continue;
            }
            union.reference.module = module.module.value.clone();
            made.insert(name.clone(), union.parts.clone());
            scope.table_codes.insert(
                name.clone(),
                union.codes.iter().map(|c| c.code.value.clone()).collect(),
            );
            scope.tables.insert(name, union.reference.clone());
            tables_by_module
                .entry(module.module.value.clone())
                .or_default()
                .push(union);
        }
    }
}

/// The combined table of one field's `tables`, or `None` after reporting why not.
fn combine(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    scope: &Scope<'_>,
    all_tables: &BTreeMap<String, Table>,
) -> Option<Table> {
    let before = cx.diags.len();
    if let Some(table) = &spec.table {
        cx.at(table, "give `table` (one) or `tables` (several), not both");
    }
    if spec.tables.len() < 2 {
        cx.at(
            &spec.tables[0],
            "`tables` lists two or more tables; use `table` for one",
        );
    }
    let mut parts: Vec<&Table> = Vec::new();
    for name in &spec.tables {
        match all_tables.get(name.as_str()) {
            Some(t) if parts.iter().any(|p| p.reference == t.reference) => {
                cx.at(name, format!("table `{}` is listed twice", name.value));
            }
            Some(t) => parts.push(t),
            None if scope.refused.contains(name.as_str()) => return None,
            None => {
                let hint = crate::suggest::did_you_mean(&name.value, all_tables.keys());
                cx.at(
                    name,
                    format!(
                        "unknown table `{}` in package `{}`{hint}",
                        name.value, scope.package
                    ),
                );
            }
        }
    }
    if cx.diags.len() > before {
        return None;
    }
    let kind = parts[0].reference.kind;
    if let Some((name, other)) = spec
        .tables
        .iter()
        .zip(&parts)
        .find(|(_, t)| t.reference.kind != kind)
    {
        cx.at(
            name,
            format!(
                "table `{}` is of type {:?}, `{}` of type {kind:?}: one field's tables are of one type",
                name.value, other.reference.kind, parts[0].reference.name
            ),
        );
        return None;
    }
    if let Some(prefer) = &spec.prefer {
        let Some(index) = parts.iter().position(|t| t.reference.name == prefer.value) else {
            cx.at(
                prefer,
                format!(
                    "`prefer: {}` is not one of the field's `tables`",
                    prefer.value
                ),
            );
            return None;
        };
        let preferred = parts.remove(index);
        parts.insert(0, preferred);
    } else if let Some((code, first, second)) = overlap(&parts) {
        let at = spec
            .tables
            .iter()
            .find(|t| t.value == second)
            .unwrap_or(&spec.tables[0]);
        cx.at(
            at,
            format!(
                "code {code} is in both `{first}` and `{second}`: say which table it belongs to with `prefer: <table>`"
            ),
        );
        return None;
    }
    let mut seen = BTreeSet::new();
    let codes: Vec<CodeSpec> = parts
        .iter()
        .flat_map(|t| &t.codes)
        .filter(|c| seen.insert(c.code.value.clone()))
        .cloned()
        .collect();
    let (min, max) = codes
        .iter()
        .fold((0i64, 0i64), |(lo, hi), c| match c.code.value {
            Scalar::Int(v) => (lo.min(v), hi.max(v)),
            Scalar::Text(_) => (lo, hi),
        });
    let raw = IntType::for_range(min, max);
    let name = union_name(spec);
    let listed: Vec<String> = parts
        .iter()
        .map(|t| format!("`{}`", t.reference.name))
        .collect();
    Some(Table {
        reference: TableRef {
            package: scope.package.to_owned(),
            module: String::new(),
            ident: names::pascal(&name),
            kind,
            name,
            raw,
        },
        doc: format!("A code of table {}.", listed.join(" or ")),
        source: String::new(),
        codes,
        raw_int: raw,
        parts: parts.iter().map(|t| t.reference.clone()).collect(),
    })
}

/// The first code found in two of the tables: `(code, first table, second table)`.
fn overlap(parts: &[&Table]) -> Option<(Scalar, String, String)> {
    for (i, a) in parts.iter().enumerate() {
        for b in &parts[i + 1..] {
            if let Some(code) = a
                .codes
                .iter()
                .find(|c| b.codes.iter().any(|d| d.code.value == c.code.value))
            {
                return Some((
                    code.code.value.clone(),
                    a.reference.name.clone(),
                    b.reference.name.clone(),
                ));
            }
        }
    }
    None
}
