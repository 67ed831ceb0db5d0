//! The lines of one response taken together: `one_of` groups of lines of which
//! exactly one arrives, and the single payload a response can announce.

use super::Cx;
use crate::emit::template_parse::common_prefix;
use crate::ir::{Line, ResponseEntry as Entry, response_entries as entries};
use crate::model::{LineSpec, RepeatSpec};
use crate::names;

/// Checks the `one_of` groups of a response (`specs`, as written) and that it
/// announces at most one payload (`resolved`: the lines that resolved).
pub(super) fn check_response(cx: &mut Cx<'_>, specs: &[LineSpec], resolved: &[Line]) {
    let mut closed: Vec<&str> = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let Some(group) = &spec.one_of else {
            continue;
        };
        let name = group.value.as_str();
        let previous = index
            .checked_sub(1)
            .and_then(|i| specs[i].one_of.as_ref())
            .map(|g| g.value.as_str());
        if previous == Some(name) {
            continue;
        }
        // The first line of a run of the group.
        if !names::is_snake(name) {
            cx.at(group, format!("`one_of` group `{name}` must be snake_case"));
        }
        if closed.contains(&name) {
            cx.at(
                group,
                format!("the lines of `one_of` group `{name}` must be adjacent"),
            );
            continue;
        }
        closed.push(name);
        let members: Vec<&LineSpec> = specs[index..]
            .iter()
            .take_while(|s| s.one_of.as_ref().map(|g| g.value.as_str()) == Some(name))
            .collect();
        if members.len() < 2 {
            cx.at(
                group,
                format!(
                    "`one_of` group `{name}` has one line (`{}`); a group names two or more lines of which one arrives",
                    spec.name.value
                ),
            );
        }
        if let Some(clash) = specs.iter().find(|s| s.name.value == name) {
            cx.at(
                group,
                format!(
                    "`one_of` group `{name}` has the name of the response line `{}`",
                    clash.name.value
                ),
            );
        }
        for member in &members {
            let repeat = member.repeat.unwrap_or(RepeatSpec::One);
            if repeat != RepeatSpec::One || member.absent.is_some() {
                let group = member.one_of.as_ref().unwrap_or(group);
                cx.at(
                    group,
                    format!(
                        "`{}` is in `one_of` group `{name}`, so it arrives exactly once: it takes no `repeat` or `absent`",
                        member.name.value
                    ),
                );
            }
        }
    }
    check_payloads(cx, resolved);
}

/// A response announces at most one payload: the framer reads the bytes of one
/// line only, so a second payload line would be read as text. Lines of one
/// `one_of` group count once (one of them arrives), and must have a common start
/// and place their bytes alike, since they share one `PayloadRule`.
fn check_payloads(cx: &mut Cx<'_>, resolved: &[Line]) {
    let mut first: Option<&Line> = None;
    for entry in entries(resolved) {
        let announcing: Vec<&Line> = match &entry {
            Entry::Line(line) => vec![*line],
            Entry::OneOf(_, members) => members.clone(),
        }
        .into_iter()
        .filter(|l| l.spec.payload.is_some())
        .collect();
        let Some(lead) = announcing.first() else {
            continue;
        };
        if let Some(first) = first {
            let payload = lead.spec.payload.as_ref().expect("filtered on payload");
            cx.at(
                &payload.length,
                format!(
                    "a response announces at most one payload, and `{}` already does: the bytes of `{}` would be read as lines; when only one of the two arrives, put both in one `one_of` group",
                    first.spec.name.value, lead.spec.name.value
                ),
            );
            continue;
        }
        first = Some(lead);
        let lead_payload = lead.spec.payload.as_ref().expect("filtered on payload");
        if common_prefix(announcing.iter().map(|l| &l.template)).is_empty() {
            cx.at(
                &lead_payload.length,
                format!(
                    "the payload lines of `one_of` group `{}` share one payload rule, which knows its lines by their common start, and they have none",
                    lead.spec.one_of.as_ref().map_or("", |g| g.value.as_str())
                ),
            );
        }
        for other in &announcing[1..] {
            let payload = other.spec.payload.as_ref().expect("filtered on payload");
            if payload.placement != lead_payload.placement {
                cx.at(
                    &payload.length,
                    format!(
                        "the payload lines of a `one_of` group share one payload rule, so their bytes must be placed alike: `{}` differs from `{}`",
                        other.spec.name.value, lead.spec.name.value
                    ),
                );
            }
        }
    }
}
