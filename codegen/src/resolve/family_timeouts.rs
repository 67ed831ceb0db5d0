//! Per-family timeouts: `families: { <family>: { timeout_ms: ... } }` beside the
//! `timeout_ms` of a form, a variant or a completion.

use super::{Cx, family::check_within, package::Scope};
use crate::model::{CompletionSpec, Located, TimeoutFamilies};

/// One place that states a timeout: its common value and the families' own.
#[derive(Clone, Copy)]
pub(super) struct TimeoutLevel<'a> {
    pub(super) common: Option<&'a Located<u64>>,
    pub(super) families: &'a TimeoutFamilies,
}

/// The timeouts a form or variant states (`timeout_ms` and its `families:`), once
/// the families it and its completion name are checked: each declared and, when
/// `within` is given, one of those of the form or variant.
pub(super) fn timeout_level<'a>(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    (common, families): (Option<&'a Located<u64>>, &'a TimeoutFamilies),
    completion: Option<&CompletionSpec>,
    within: Option<(&[String], &str)>,
) -> TimeoutLevel<'a> {
    let keys = families
        .keys()
        .chain(completion.into_iter().flat_map(|c| c.families.keys()));
    for key in keys {
        check_within(cx, scope, &key.0, within);
    }
    TimeoutLevel { common, families }
}

/// The bound of each family of a shape (`only`: its families, `None` for all) that
/// differs from the shape's common bound. A family's bound is the nearest one given,
/// `levels` listed nearest first: a level's entry for the family, then its common
/// value.
pub(super) fn bounds_by_family(
    scope: &Scope<'_>,
    levels: &[TimeoutLevel<'_>],
    only: Option<&[String]>,
) -> Vec<(String, u64)> {
    let common = levels.iter().find_map(|l| l.common).map(|t| t.value);
    scope
        .families
        .iter()
        .filter(|f| only.is_none_or(|o| o.contains(f)))
        .filter_map(|family| {
            let bound = levels.iter().find_map(|level| {
                level
                    .families
                    .iter()
                    .find(|(key, _)| key.0.value == *family)
                    .map(|(_, spec)| spec.timeout_ms.value)
                    .or(level.common.map(|t| t.value))
            })?;
            (Some(bound) != common).then(|| (family.clone(), bound))
        })
        .collect()
}
