//! Clashes: duplicate identifiers and URCs that share a command's prefix.

use std::collections::BTreeMap;

use super::Cx;
use crate::ir::{Command, Line, Table};
use crate::model::{Located, RepeatSpec};

pub(super) fn check_unique_idents(
    cx: &mut Cx<'_>,
    tables: &[Table],
    commands: &[Command],
    urcs: &[Line],
    at: &Located<String>,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |ident: &str, what: String, cx: &mut Cx<'_>| {
        if let Some(previous) = seen.insert(ident.to_owned(), what.clone())
            && previous != what
        {
            {
                cx.at(at, format!("{what} and {previous} both generate the type `{ident}` in module `{}`; set `ident` or rename one", at.value));
            }
        }
    };
    for t in tables {
        claim(
            &t.reference.ident,
            format!("table `{}`", t.reference.name),
            cx,
        );
    }
    for u in urcs {
        claim(&u.ident, format!("URC `{}`", u.spec.name.value), cx);
    }
    for c in commands {
        claim(&c.ident, format!("command `{}` ({})", c.name, c.form), cx);
        let single_line = c.response.len() == 1
            && c.response[0].spec.repeat.unwrap_or(RepeatSpec::One) == RepeatSpec::One;
        if !c.response.is_empty() && !single_line {
            claim(
                &format!("{}Response", c.ident),
                format!("response of `{}` ({})", c.name, c.form),
                cx,
            );
        }
        for line in &c.response {
            // One response line may serve several variants: same name, same template,
            // same meaning when absent.
            let absent = line
                .spec
                .absent
                .as_ref()
                .map(|a| format!(" (absent: `{}`)", a.means.value))
                .unwrap_or_default();
            claim(
                &line.ident,
                format!(
                    "response line `{}` `{}`{absent}",
                    line.spec.name.value, line.spec.template.value
                ),
                cx,
            );
        }
    }
}

pub(super) fn check_shared_prefix(
    cx: &mut Cx<'_>,
    urc: &Line,
    commands: &BTreeMap<String, Vec<Command>>,
) {
    let urc_prefix = urc.template.literal_prefix();
    if urc_prefix.trim().is_empty() {
        return;
    }
    for command in commands.values().flatten() {
        for line in &command.response {
            let prefix = line.template.literal_prefix();
            if prefix.trim().is_empty()
                || !(prefix.starts_with(&urc_prefix) || urc_prefix.starts_with(&prefix))
            {
                continue;
            }
            let key = match &command.variant {
                Some(v) => format!("{}.{}.{v}", command.name, command.form),
                None => format!("{}.{}", command.name, command.form),
            };
            let declared = urc.spec.shares_prefix.iter().any(|s| {
                s.response_of.value == key
                    || s.response_of.value == format!("{}.{}", command.name, command.form)
            });
            if !declared {
                cx.at(&urc.spec.template, format!(
                    "URC `{}` starts like the response `{}` of `{key}`; declare `shares_prefix: [{{response_of: \"{key}\", rule: ...}}]` to say how they are told apart",
                    urc.spec.name.value, line.spec.template.value
                ));
            }
        }
    }
    for shared in &urc.spec.shares_prefix {
        let exists = commands.values().flatten().any(|c| {
            let base = format!("{}.{}", c.name, c.form);
            shared.response_of.value == base
                || c.variant
                    .as_ref()
                    .is_some_and(|v| shared.response_of.value == format!("{base}.{v}"))
        });
        if !exists {
            let forms: Vec<String> = commands
                .values()
                .flatten()
                .map(|c| format!("{}.{}", c.name, c.form))
                .collect();
            cx.at(&shared.response_of, format!("`{}` names no command form of this package (write `<command>.<form>[.<variant>]`){}", shared.response_of.value, crate::suggest::did_you_mean(&shared.response_of, &forms)));
        }
    }
}
