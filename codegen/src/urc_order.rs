//! The one rule by which a captured line is matched to a URC, shared by the
//! generated `Urc::parse` (what the runtime routes with) and the example checker.
//!
//! URCs are tried longest match prefix first (ties in identifier order); the first
//! whose prefix the line starts with and whose template reads the whole line wins.
//! A line that a more specific URC reads is therefore never taken by a shorter one
//! declared earlier.

use crate::ir::Line;
use crate::template::Template;

/// The literal prefix used to recognise a line: trailing spaces after `:` or `,`
/// are dropped because the modem may omit them.
pub fn match_prefix(template: &Template) -> String {
    let prefix = template.literal_prefix();
    let trimmed = prefix.trim_end_matches(' ');
    if trimmed.ends_with([':', ',']) {
        trimmed.to_owned()
    } else {
        prefix
    }
}

/// Sorts `urcs` into the order they are tried in: longest match prefix first, then
/// by identifier. `line` gives the URC line of an item.
pub fn sort_for_matching<T>(urcs: &mut [T], line: impl Fn(&T) -> &Line) {
    urcs.sort_by(|a, b| {
        let (a, b) = (line(a), line(b));
        match_prefix(&b.template)
            .len()
            .cmp(&match_prefix(&a.template).len())
            .then_with(|| a.ident.cmp(&b.ident))
    });
}
