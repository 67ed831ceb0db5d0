//! Code tables: result codes, enums and their entries.

use std::collections::BTreeSet;

use super::{Cx, package::citation};
use crate::ir::{IntType, Package, Table, TableRef};
use crate::model::{ManualSpec, Scalar, SourceRef, TableKind};
use crate::names;

pub(super) fn resolve_table(
    cx: &mut Cx<'_>,
    package: &str,
    module: &str,
    table: &crate::model::TableSpec,
    deps: &[&Package],
    manuals: &[ManualSpec],
    default_source: &SourceRef,
) -> Option<Table> {
    let before = cx.diags.len();
    if !names::is_snake(&table.name) {
        cx.at(
            &table.name,
            format!("table name `{}` must be snake_case", table.name.value),
        );
    }
    let mut codes = Vec::new();
    if let Some(ext) = &table.extends {
        let found = ext.split_once('.').and_then(|(pkg, name)| {
            deps.iter()
                .find(|d| d.name == pkg)?
                .modules
                .iter()
                .flat_map(|m| &m.tables)
                .find(|t| t.reference.name == name)
        });
        match found {
            Some(base) if base.reference.kind == table.kind => {
                codes.extend(base.codes.iter().cloned())
            }
            Some(_) => cx.at(
                ext,
                format!("table `{}` is not of type {:?}", ext.value, table.kind),
            ),
            None => cx.at(
                ext,
                format!(
                    "`extends: {}` names no table of a dependency (write `<package>.<table>`){}",
                    ext.value,
                    crate::suggest::did_you_mean(ext, &dependency_tables(deps))
                ),
            ),
        }
    }
    let mut values = BTreeSet::new();
    let mut variant_names = BTreeSet::new();
    for code in codes.iter().chain(table.codes.iter()) {
        let inherited = codes.iter().any(|c| std::ptr::eq(c, code));
        match (&code.code.value, table.kind) {
            (Scalar::Int(_), TableKind::Int) | (Scalar::Text(_), TableKind::Text) => {}
            _ if inherited => {}
            _ => cx.at(
                &code.code,
                format!(
                    "code {} does not fit a table of type {:?}",
                    code.code.value, table.kind
                ),
            ),
        }
        if !values.insert(code.code.value.clone()) && !inherited {
            cx.at(
                &code.code,
                format!(
                    "code {} appears twice in table `{}` (or in the table it extends)",
                    code.code.value, table.name.value
                ),
            );
        }
        if !inherited && code.name.value == "unlisted" {
            cx.at(
                &code.name,
                "`unlisted` is reserved for codes the manual does not list",
            );
        }
        if !inherited && !names::is_snake(&code.name) {
            cx.at(
                &code.name,
                format!("code name `{}` must be snake_case", code.name.value),
            );
        }
        if !variant_names.insert(names::pascal(&code.name)) && !inherited {
            cx.at(
                &code.name,
                format!(
                    "code name `{}` appears twice in table `{}`",
                    code.name.value, table.name.value
                ),
            );
        }
    }
    codes.extend(table.codes.iter().cloned());
    if codes.is_empty() {
        cx.at(
            &table.name,
            format!("table `{}` has no codes", table.name.value),
        );
    }
    if cx.diags.len() > before {
        return None;
    }
    let (min, max) = codes
        .iter()
        .fold((0i64, 0i64), |(lo, hi), c| match c.code.value {
            Scalar::Int(v) => (lo.min(v), hi.max(v)),
            Scalar::Text(_) => (lo, hi),
        });
    Some(Table {
        reference: TableRef {
            package: package.to_owned(),
            module: module.to_owned(),
            ident: names::pascal(&table.name),
            kind: table.kind,
            name: table.name.value.clone(),
            raw: IntType::for_range(min, max),
        },
        doc: table.doc.clone(),
        source: citation(
            manuals,
            table.source.as_ref().unwrap_or(default_source),
            None,
        ),
        codes,
        raw_int: IntType::for_range(min, max),
    })
}

/// `<package>.<table>` names of the dependencies' tables, for suggestions.
fn dependency_tables(deps: &[&Package]) -> Vec<String> {
    deps.iter()
        .flat_map(|d| {
            d.modules
                .iter()
                .flat_map(|m| &m.tables)
                .map(move |t| format!("{}.{}", d.name, t.reference.name))
        })
        .collect()
}
