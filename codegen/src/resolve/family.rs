//! Module families: the package's list and the references to it (`only:`,
//! `families:` keys), with the nearest declared family when one is unknown.

use super::{Cx, package::Scope, package::check_source};
use crate::ir::Family;
use crate::model::{Located, PackageSpec};
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
        for module in &family.modules {
            if !spec.modules.contains(&module.value) {
                cx.at(
                    module,
                    format!(
                        "family `{}` names module `{}`, which the package's `modules:` does not list",
                        family.name.value, module.value
                    ),
                );
            }
        }
        out.push(Family {
            name: family.name.value.clone(),
            title: family.title.clone(),
            source: family
                .source
                .as_ref()
                .map(|s| super::package::citation(&spec.manuals, s, None)),
            modules: family.modules.iter().map(|m| m.value.clone()).collect(),
        });
    }
    out
}

/// Checks that `name` is a declared family; says which one was probably meant.
pub(super) fn check_family(cx: &mut Cx<'_>, scope: &Scope<'_>, name: &Located<String>) -> bool {
    if scope.families.contains(&name.value) {
        return true;
    }
    let message = if scope.families.is_empty() {
        format!(
            "unknown family `{}`: package `{}` declares no `families`",
            name.value, scope.package
        )
    } else {
        let hint = crate::suggest::did_you_mean(&name.value, &scope.families);
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
        check_within(cx, scope, name, within);
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

/// Checks that `name` is a declared family and, when `within` is given, one of the
/// families of what encloses it (its families and what it is).
pub(super) fn check_within(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    name: &Located<String>,
    within: Option<(&[String], &str)>,
) -> bool {
    if !check_family(cx, scope, name) {
        return false;
    }
    if let Some((outer, enclosing)) = within
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
        return false;
    }
    true
}
