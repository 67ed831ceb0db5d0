//! Manual examples: steps, matched commands, expected responses and URCs.

use std::collections::BTreeMap;

use super::{
    Cx, example_values::check_captured_values, field::check_value, line_match::line_matches,
    package::Scope,
};
use crate::ir::{Command, Dialect, FieldType, Line, Step, TableRef};
use crate::model::{Located, Quoting, Scalar, TableKind};
use crate::names;
use crate::template;

pub(super) fn resolve_steps(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    example: &crate::model::ExampleSpec,
    commands: &[(String, &Command)],
    urcs: &[&Line],
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut last: Option<&Command> = None;
    let mut last_path = String::new();
    // An upload's command may answer `OK` before its prompt and keep answering after.
    let mut awaiting_prompt = false;
    for step in &example.steps {
        let kinds = [
            step.send.is_some(),
            step.recv.is_some(),
            step.data.is_some() || step.data_len.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            let at = step
                .send
                .as_ref()
                .or(step.recv.as_ref())
                .or(step.data.as_ref());
            match at {
                Some(at) => cx.at(
                    at,
                    "an example step has exactly one of `send`, `recv`, `data`/`data_len`",
                ),
                None => cx.at(
                    &example.source.manual,
                    format!(
                        "example `{}`: a step has none of `send`, `recv`, `data`/`data_len`",
                        example.title
                    ),
                ),
            }
            continue;
        }
        if let Some(line) = &step.send {
            if step.expect.is_some() {
                cx.at(line, "`expect` applies to `recv` steps");
            }
            match match_command(cx, scope, dialect, line, commands) {
                Some((path, command, args)) => {
                    steps.push(Step::Send {
                        module: path.clone(),
                        ident: command.ident.clone(),
                        line: line.value.clone(),
                        args,
                        command: Box::new(command.clone()),
                    });
                    awaiting_prompt = command.upload.as_ref().is_some_and(|u| u.prompt.is_some());
                    last = Some(command);
                    last_path = path;
                }
                None => last = None,
            }
        } else if let Some(line) = &step.recv {
            if let Some(step) = classify_recv(
                cx,
                scope,
                dialect,
                line,
                step.expect.as_ref(),
                last.map(|c| (last_path.as_str(), c)),
                urcs,
            ) {
                // After its final result a command has no more information lines.
                match &step {
                    Step::Prompt { .. } => awaiting_prompt = false,
                    Step::Result { kind, .. }
                        if *kind != crate::model::ResultKindSpec::Detail && !awaiting_prompt =>
                    {
                        last = None;
                    }
                    _ => {}
                }
                steps.push(step);
            }
        } else {
            steps.push(Step::Data);
        }
    }
    steps
}

type Match<'c> = (String, &'c Command, Vec<String>);

pub(super) fn match_command<'c>(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    line: &Located<String>,
    commands: &[(String, &'c Command)],
) -> Option<Match<'c>> {
    let mut candidates: Vec<(usize, &String, &Command, template::Bindings)> = commands
        .iter()
        .filter_map(|(path, c)| {
            template::match_line_escaped(&c.template, line, dialect.string_escape)
                .map(|b| (c.template.literal_len(), path, *c, b))
        })
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    match candidates.as_slice() {
        [] => {
            cx.at(
                line,
                format!(
                    "example command `{}` matches the syntax of no command in this package or its dependencies{}",
                    line.value,
                    nearest_syntax(line, commands)
                ),
            );
            None
        }
        [(len, ..), (len2, _, other, _), ..] if len == len2 => {
            cx.at(
                line,
                format!(
                    "example command `{}` matches several syntaxes equally well (one is `{}`)",
                    line.value, other.syntax
                ),
            );
            None
        }
        [(_, path, command, bindings), ..] => {
            let args = example_args(cx, scope, line, command, bindings)?;
            Some(((*path).clone(), *command, args))
        }
    }
}

/// "did you mean" for an example line: the syntax of the command whose name is
/// nearest to the name the line sends (`AT+HTTPPARAM=...` names `+HTTPPARAM`).
fn nearest_syntax(line: &str, commands: &[(String, &Command)]) -> String {
    let body = line.get(2..).unwrap_or_default();
    let sent = body
        .split(['=', '?'])
        .next()
        .unwrap_or_default()
        .to_uppercase();
    let names: Vec<&str> = commands.iter().map(|(_, c)| c.name.as_str()).collect();
    let exact = names.iter().copied().find(|n| *n == sent);
    match exact.or_else(|| crate::suggest::nearest(&sent, &names)) {
        Some(name) => {
            let syntaxes: Vec<&str> = commands
                .iter()
                .filter(|(_, c)| c.name == name)
                .map(|(_, c)| c.syntax.as_str())
                .collect();
            format!("; did you mean `{}`?", syntaxes.join("` or `"))
        }
        None => String::new(),
    }
}

/// Rust expressions for a command's constructor arguments from an example line.
pub(super) fn example_args(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    line: &Located<String>,
    command: &Command,
    bindings: &template::Bindings,
) -> Option<Vec<String>> {
    let mut args = Vec::new();
    for param in command
        .params
        .iter()
        .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
    {
        let values: Vec<&template::RawValue> = bindings
            .iter()
            .filter(|(n, _)| *n == param.spec.name.value)
            .map(|(_, v)| v)
            .collect();
        let mut exprs = Vec::new();
        for value in &values {
            let want_quoted = param.quoting == Quoting::Always;
            if value.quoted != want_quoted {
                cx.at(
                    line,
                    format!(
                        "parameter `{}` is {} in `{}`",
                        param.spec.name.value,
                        if want_quoted {
                            "quoted in the syntax but not"
                        } else {
                            "unquoted in the syntax but quoted"
                        },
                        line.value
                    ),
                );
                return None;
            }
            let scalar = match &param.ty {
                FieldType::Int { .. } => match value.text.parse::<i64>() {
                    Ok(v) => Scalar::Int(v),
                    Err(_) => {
                        cx.at(
                            line,
                            format!(
                                "parameter `{}`: `{}` is not an integer",
                                param.spec.name.value, value.text
                            ),
                        );
                        return None;
                    }
                },
                FieldType::Enum(TableRef {
                    kind: TableKind::Int,
                    ..
                }) => match value.text.parse::<i64>() {
                    Ok(v) => Scalar::Int(v),
                    Err(_) => {
                        cx.at(
                            line,
                            format!(
                                "parameter `{}`: `{}` is not a numeric code",
                                param.spec.name.value, value.text
                            ),
                        );
                        return None;
                    }
                },
                _ => Scalar::Text(value.text.clone()),
            };
            let located = Located {
                value: scalar,
                line: line.line,
                column: line.column,
            };
            if !check_value(cx, scope, &param.ty, &param.spec, &located) {
                return None;
            }
            exprs.push(match (&located.value, param.usage.repeated) {
                (Scalar::Text(text), false) if param.ty == FieldType::String => format!("{text:?}"),
                _ => value_expr(&param.ty, &located.value),
            });
        }
        let expr = match (param.usage.repeated, param.usage.optional, exprs.as_slice()) {
            (true, _, _) => format!("vec![{}]", exprs.join(", ")),
            (false, true, []) => "None".to_owned(),
            (false, true, [one]) => format!("Some({one})"),
            (false, false, [one]) => one.clone(),
            _ => {
                cx.at(
                    line,
                    format!(
                        "parameter `{}` is missing in `{}`",
                        param.spec.name.value, line.value
                    ),
                );
                return None;
            }
        };
        args.push(expr);
    }
    Some(args)
}

/// A Rust expression for a value of a field type, as used in generated tests.
pub(super) fn value_expr(ty: &FieldType, value: &Scalar) -> String {
    match (ty, value) {
        (FieldType::Enum(t), Scalar::Int(v)) => format!(
            "{}::{}::{}::from_code({v})",
            names::crate_ident(&t.package),
            t.module,
            t.ident
        ),
        (FieldType::Enum(t), Scalar::Text(v)) => format!(
            "{}::{}::{}::from_text({v:?})",
            names::crate_ident(&t.package),
            t.module,
            t.ident
        ),
        (_, Scalar::Int(v)) => v.to_string(),
        (_, Scalar::Text(v)) => format!("String::from({v:?})"),
    }
}

pub(super) fn classify_recv(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    line: &Located<String>,
    expect: Option<&BTreeMap<String, Located<Scalar>>>,
    last: Option<(&str, &Command)>,
    urcs: &[&Line],
) -> Option<Step> {
    let text = line.value.trim_end();
    let result = dialect.results.iter().find(|r| {
        if r.coded {
            text.starts_with(&r.text)
        } else {
            text == r.text
        }
    });
    if let Some(result) = result {
        return Some(Step::Result {
            line: text.to_owned(),
            kind: result.kind,
        });
    }
    if dialect.prompts.iter().any(|p| p.text.trim_end() == text) {
        return Some(Step::Prompt {
            line: text.to_owned(),
        });
    }
    let own_line = last.and_then(|(path, c)| {
        c.response
            .iter()
            .find(|l| line_matches(l, text))
            .map(|l| (path, c, l))
    });
    if let Some((path, command, response)) = own_line {
        let expect = expectations(cx, scope, line, response, expect, dialect.string_escape)?;
        let payload = response.spec.payload.as_ref().and_then(|p| {
            let len = expect
                .iter()
                .find(|(f, _)| *f == p.length.value)?
                .1
                .parse::<u64>()
                .ok()?;
            Some((path.to_owned(), command.ident.clone(), len))
        });
        let module = path.to_owned();
        return Some(Step::Response {
            line: text.to_owned(),
            module,
            ident: response.ident.clone(),
            expect,
            payload,
        });
    }
    let mut in_match_order = urcs.to_vec();
    crate::urc_order::sort_for_matching(&mut in_match_order, |u| u);
    if let Some(urc) = in_match_order.iter().find(|u| line_matches(u, text)) {
        let expect = expectations(cx, scope, line, urc, expect, dialect.string_escape)?;
        return Some(Step::Urc {
            line: text.to_owned(),
            variant: names::urc_variant(&urc.ident).to_owned(),
            expect,
        });
    }
    let context = last
        .map(|(_, c)| format!(" of `{}`", c.syntax))
        .unwrap_or_default();
    cx.at(
        line,
        format!(
            "`{text}` is no result code, prompt, response line{context} or URC of this package"
        ),
    );
    None
}

pub(super) fn expectations(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    line: &Located<String>,
    spec: &Line,
    expect: Option<&BTreeMap<String, Located<Scalar>>>,
    escape: Option<char>,
) -> Option<Vec<(String, String)>> {
    let empty = BTreeMap::new();
    let expect = expect.unwrap_or(&empty);
    for key in expect.keys() {
        if !spec.fields.iter().any(|f| &f.spec.name.value == key) {
            cx.at(
                line,
                format!(
                    "`expect` names `{key}`, which is no field of `{}`{}",
                    spec.spec.template.value,
                    crate::suggest::did_you_mean(
                        key,
                        spec.fields.iter().map(|f| f.spec.name.as_str())
                    )
                ),
            );
            return None;
        }
    }
    let mut out = Vec::new();
    for field in &spec.fields {
        let name = &field.spec.name.value;
        match (expect.get(name), field.usage.optional, field.usage.repeated) {
            (_, _, true) => {}
            (None, true, false) => out.push((name.clone(), "None".to_owned())),
            (None, false, false) => {
                cx.at(
                    line,
                    format!(
                        "`expect` must give field `{name}` of `{}`",
                        spec.spec.template.value
                    ),
                );
                return None;
            }
            (Some(value), optional, false) => {
                if !check_value(cx, scope, &field.ty, &field.spec, value) {
                    return None;
                }
                let expr = value_expr(&field.ty, &value.value);
                out.push((
                    name.clone(),
                    if optional {
                        format!("Some({expr})")
                    } else {
                        expr
                    },
                ));
            }
        }
    }
    if !check_captured_values(cx, line, spec, expect, escape) {
        return None;
    }
    Some(out)
}
