//! Code tables: result codes, enums and their entries.

use std::collections::BTreeSet;

use super::{Cx, package::citation};
use crate::ir::{IntType, Package, Table, TableRef};
use crate::model::{CodeSpec, Located, ManualSpec, Scalar, SourceRef, TableKind, TableSpec};
use crate::names;

/// What a table is resolved against: its package, the manuals it may cite, and the
/// tables `extends` may name (the dependencies' and this package's own).
pub(super) struct TableContext<'a> {
    pub(super) package: &'a str,
    pub(super) manuals: &'a [ManualSpec],
    pub(super) deps: &'a [&'a Package],
    pub(super) local: &'a [&'a TableSpec],
}

pub(super) fn resolve_table(
    cx: &mut Cx<'_>,
    context: &TableContext<'_>,
    module: &str,
    table: &TableSpec,
    default_source: &SourceRef,
) -> Option<Table> {
    let TableContext {
        package,
        manuals,
        deps,
        local,
    } = *context;
    let before = cx.diags.len();
    if !names::is_snake(&table.name) {
        cx.at(
            &table.name,
            format!("table name `{}` must be snake_case", table.name.value),
        );
    }
    let mut codes = Vec::new();
    if let Some(ext) = &table.extends {
        let mut chain = vec![table.name.value.clone()];
        match inherited(ext, local, deps, &mut chain) {
            Base::Codes(base, kind) if kind == table.kind => codes.extend(base),
            Base::Codes(..) => cx.at(
                ext,
                format!("table `{}` is not of type {:?}", ext.value, table.kind),
            ),
            Base::Unknown => {
                let candidates = local
                    .iter()
                    .filter(|t| t.name.value != table.name.value)
                    .map(|t| t.name.value.clone())
                    .chain(deps.iter().flat_map(|d| {
                        d.modules
                            .iter()
                            .flat_map(|m| &m.tables)
                            .map(|t| format!("{}.{}", d.name, t.reference.name))
                    }));
                let candidates: Vec<String> = candidates.collect();
                let hint = crate::suggest::did_you_mean(&ext.value, &candidates);
                cx.at(
                    ext,
                    format!(
                        "`extends: {}` names no table of this package or of a dependency (`<table>` or `<package>.<table>`){hint}",
                        ext.value
                    ),
                )
            }
            // Reported once, at the cycle's table with the smallest name.
            Base::Cycle(cycle) if cycle.iter().min() == Some(&table.name.value) => cx.at(
                ext,
                format!(
                    "table `{}` extends itself: {}",
                    table.name.value,
                    cycle.join(" → ")
                ),
            ),
            // A base that is refused, or a cycle elsewhere: reported there.
            Base::Cycle(_) | Base::Failed => return None,
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
        parts: Vec::new(),
    })
}

/// What `extends` leads to.
enum Base {
    /// The inherited codes (the base's own after those it inherits) and its kind.
    Codes(Vec<CodeSpec>, TableKind),
    /// No table of that name.
    Unknown,
    /// The chain comes back to a table on it: the cycle's tables, in order.
    Cycle(Vec<String>),
    /// A table further down the chain is broken (and reported on its own).
    Failed,
}

/// The codes a table inherits through `extends: name`: from a dependency's
/// resolved table (`<package>.<table>`), or from a table of this package, following
/// that table's own `extends`. `chain`: the tables followed so far.
fn inherited(
    name: &Located<String>,
    local: &[&TableSpec],
    deps: &[&Package],
    chain: &mut Vec<String>,
) -> Base {
    if let Some((pkg, table)) = name.split_once('.') {
        let found = deps
            .iter()
            .find(|d| d.name == pkg)
            .into_iter()
            .flat_map(|d| d.modules.iter().flat_map(|m| &m.tables))
            .find(|t| t.reference.name == table);
        return match found {
            Some(base) => Base::Codes(base.codes.clone(), base.reference.kind),
            None => Base::Unknown,
        };
    }
    let Some(base) = local.iter().find(|t| t.name.value == name.value) else {
        return Base::Unknown;
    };
    if let Some(start) = chain.iter().position(|t| *t == name.value) {
        let mut cycle = chain[start..].to_vec();
        cycle.push(name.value.clone());
        return Base::Cycle(cycle);
    }
    chain.push(name.value.clone());
    let mut codes = match &base.extends {
        Some(next) => match inherited(next, local, deps, chain) {
            Base::Codes(codes, _) => codes,
            Base::Unknown => return Base::Failed,
            other => return other,
        },
        None => Vec::new(),
    };
    codes.extend(base.codes.iter().cloned());
    Base::Codes(codes, base.kind)
}
