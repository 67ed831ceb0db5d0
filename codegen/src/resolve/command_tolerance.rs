//! `dialect.accepts`: what a modem's command parser takes beyond canonical lines.

use super::Cx;
use crate::ir::{Accepts, Package};
use crate::model::{AcceptSpec, Located};

/// The package's own list, or the first dependency's when it gives none.
pub(super) fn resolve_accepts(
    cx: &mut Cx<'_>,
    own: Option<&[Located<AcceptSpec>]>,
    deps: &[&Package],
) -> Accepts {
    let Some(list) = own else {
        return deps.first().map(|d| d.dialect.accepts).unwrap_or_default();
    };
    let mut accepts = Accepts::default();
    for (i, item) in list.iter().enumerate() {
        if list[..i].iter().any(|earlier| earlier.value == item.value) {
            cx.at(item, "listed twice in `accepts`");
        }
        match item.value {
            AcceptSpec::AnyCase => accepts.any_case = true,
            AcceptSpec::QuotedNumbers => accepts.quoted_numbers = true,
            AcceptSpec::UnquotedStrings => accepts.unquoted_strings = true,
        }
    }
    accepts
}
