//! Families and command shapes: examples of some families, and shapes that share
//! a command line on families that do not overlap.

use super::{Cx, family::check_family, family_fields::once, package::Scope};
use crate::ir::{Command, Dialect, Line, Step};
use crate::model::{ExampleSpec, Located};

/// Checks an example's `families:`: each declared, and each having every command
/// of this package that the example sends.
pub(super) fn check_example(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    example: &ExampleSpec,
    steps: &[Step],
    commands: &[(String, &Command)],
) {
    let Some(families) = &example.families else {
        return;
    };
    for family in families {
        if !check_family(cx, scope, family) {
            continue;
        }
        for step in steps {
            let Step::Send {
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
    shapes: &[Command],
    syntax_of: impl Fn(&Command) -> Option<Located<String>>,
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
    dialect: &Dialect,
    example: &ExampleSpec,
    commands: &[(String, &Command)],
    urcs: &[&Line],
) -> Vec<Step> {
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
        let views: Vec<(String, &Command)> = views.iter().map(|(p, c)| (p.clone(), c)).collect();
        let steps = once(cx, |cx| {
            super::example::resolve_steps(cx, scope, dialect, example, &views, urcs)
        });
        first.get_or_insert(steps);
    }
    first.unwrap_or_default()
}

/// The commands as `family` has them: each parameter with the family's limits,
/// and a shape left out where another with the same command line is the family's.
fn family_view(family: &str, commands: &[(String, &Command)]) -> Vec<(String, Command)> {
    let has = |c: &Command| {
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
