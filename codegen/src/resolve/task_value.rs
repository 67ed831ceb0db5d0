//! Bindings, references and conditions of task steps, typed against the
//! parameters and fields they meet.

use super::Cx;
use super::task_step::Scope;
use crate::ir::{Field, FieldType, Package, TableRef};
use crate::model::{Located, Scalar, ValueSpec};
use crate::task_ir::{CodeLiteral, Condition, InputKind, Ref, StepField, Value};

/// Where a value is read: a step's bindings (with or without a chunk loop) or a
/// procedure's results.
pub(super) struct ValueContext<'s, 'p> {
    pub scope: &'s Scope<'p>,
    chunks: bool,
}

impl<'s, 'p> ValueContext<'s, 'p> {
    pub fn step(scope: &'s Scope<'p>, chunks: bool) -> Self {
        Self { scope, chunks }
    }

    pub fn result(scope: &'s Scope<'p>) -> Self {
        Self {
            scope,
            chunks: false,
        }
    }
}

/// What a reference yields, to check it against where it goes.
#[derive(Debug, Clone)]
enum Kind {
    Input(InputKind),
    Field(Box<Field>),
    Number,
}

/// Parses a `$` reference.
pub(super) fn reference(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    text: &Located<String>,
) -> Option<Ref> {
    reference_kind(cx, context, text, text.as_str().trim()).map(|(r, _)| r)
}

fn reference_kind(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    at: &Located<String>,
    text: &str,
) -> Option<(Ref, Kind)> {
    let Some(path) = text.strip_prefix('$') else {
        cx.at(
            at,
            format!("`{text}` is not a reference: references start with `$`"),
        );
        return None;
    };
    let Some((root, name)) = path.split_once('.') else {
        cx.at(
            at,
            format!("`{text}`: write `$input.<name>`, `$<step id>.<field>` or `$chunk.offset`"),
        );
        return None;
    };
    match root {
        "input" => {
            let Some((_, input, kind)) = context.scope.inputs.iter().find(|(n, ..)| *n == name)
            else {
                let names: Vec<&str> = context.scope.inputs.iter().map(|(n, ..)| *n).collect();
                cx.at(
                    at,
                    format!(
                        "this task has no input `{name}`; it has {names:?}{}",
                        crate::suggest::did_you_mean(name, names.iter().copied())
                    ),
                );
                return None;
            };
            Some((Ref::Input(*input), Kind::Input(*kind)))
        }
        "chunk" if context.chunks => match name {
            "offset" => Some((Ref::ChunkOffset, Kind::Number)),
            "size" => Some((Ref::ChunkSize, Kind::Number)),
            _ => {
                cx.at(
                    at,
                    format!("`$chunk.{name}`: a chunk has `offset` and `size`"),
                );
                None
            }
        },
        "chunk" => {
            cx.at(at, "`$chunk` is only known in a step with `chunks:`");
            None
        }
        step => {
            let Some((_, shape, ignores)) =
                context.scope.steps.iter().rev().find(|(id, ..)| id == step)
            else {
                let ids: Vec<&str> = context
                    .scope
                    .steps
                    .iter()
                    .map(|(i, ..)| i.as_str())
                    .collect();
                let why = if context.scope.cleanup {
                    "a `finally` step cannot read step results (the step may not have run)"
                        .to_owned()
                } else {
                    format!(
                        "no earlier step has the id `{step}`; earlier ids: {ids:?}{}",
                        crate::suggest::did_you_mean(step, ids.iter().copied())
                    )
                };
                cx.at(at, why);
                return None;
            };
            if name == "succeeded" {
                if !ignores {
                    cx.at(
                        at,
                        format!(
                            "`$${step}.succeeded` needs step `{step}` to have `ignore_error: true`"
                        )
                        .replace("$$", "$"),
                    );
                    return None;
                }
                return Some((
                    Ref::Succeeded(step.to_owned()),
                    Kind::Input(InputKind::Flag),
                ));
            }
            if *ignores {
                cx.at(
                    at,
                    format!(
                        "step `{step}` ignores its failure, so only `${step}.succeeded` can be read"
                    ),
                );
                return None;
            }
            let completion = shape
                .completion
                .as_ref()
                .and_then(|(_, urc)| find_urc(context.scope, &urc.module, &urc.ident))
                .and_then(|fields| fields.iter().find(|f| f.spec.name.value == name).cloned());
            if let Some(field) = completion {
                return Some((
                    Ref::Step(StepField {
                        step: step.to_owned(),
                        completion: true,
                        lines: None,
                        field: Box::new(field.clone()),
                    }),
                    Kind::Field(Box::new(field)),
                ));
            }
            let (line, lines) = match shape.response.as_slice() {
                [only] if only.spec.repeat.is_none() && only.spec.one_of.is_none() => (only, None),
                // Repeated lines are read by conditions only: "any line".
                [only] if only.spec.one_of.is_none() => {
                    (only, Some(crate::names::field(&only.spec.name)))
                }
                _ => {
                    cx.at(
                        at,
                        format!(
                            "`{text}`: step `{step}` has no completion field `{name}` and its \
                             response is not one line whose fields a step can read"
                        ),
                    );
                    return None;
                }
            };
            let Some(field) = line.fields.iter().find(|f| f.spec.name.value == name) else {
                let names: Vec<&str> = line.fields.iter().map(|f| f.spec.name.as_str()).collect();
                cx.at(
                    at,
                    format!(
                        "step `{step}`'s response has no field `{name}`; it has {names:?}{}",
                        crate::suggest::did_you_mean(name, names.iter().copied())
                    ),
                );
                return None;
            };
            // A field of repeated lines is many values: only a condition reads it.
            let mut kind = field.clone();
            if lines.is_some() {
                kind.usage.repeated = true;
            }
            Some((
                Ref::Step(StepField {
                    step: step.to_owned(),
                    completion: false,
                    lines,
                    field: Box::new(field.clone()),
                }),
                Kind::Field(Box::new(kind)),
            ))
        }
    }
}

/// The fields of a URC struct of the package or a dependency.
fn find_urc<'a>(scope: &'a Scope<'_>, module: &str, ident: &str) -> Option<&'a [Field]> {
    let packages = std::iter::once(scope.package).chain(scope.deps.values());
    packages
        .flat_map(|p| p.modules.iter())
        .filter(|m| m.name == module)
        .flat_map(|m| m.urcs.iter())
        .find(|l| l.ident == ident)
        .map(|l| l.fields.as_slice())
}

/// Parses `[not ]$ref[ (==|!=) literal[|literal...]]`.
pub(super) fn condition(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    text: &Located<String>,
) -> Option<Condition> {
    let mut rest = text.as_str().trim();
    let mut negate = false;
    if let Some(after) = rest.strip_prefix("not ") {
        negate = true;
        rest = after.trim();
    }
    let (subject_text, test) = match rest.find("==").or_else(|| rest.find("!=")) {
        Some(at) => {
            if &rest[at..at + 2] == "!=" {
                negate = !negate;
            }
            (rest[..at].trim(), Some(rest[at + 2..].trim()))
        }
        None => (rest, None),
    };
    let (subject, kind) = reference_kind(cx, context, text, subject_text)?;
    let equals = match test {
        None => {
            if let Kind::Field(f) = &kind
                && !(f.usage.optional || f.usage.repeated)
            {
                cx.at(
                    text,
                    format!("`{subject_text}` is always present: compare it with `==`"),
                );
                return None;
            }
            if matches!(
                kind,
                Kind::Input(
                    InputKind::Number | InputKind::Text | InputKind::Method | InputKind::Security
                )
            ) {
                cx.at(
                    text,
                    format!("`{subject_text}` is always given: compare it with `==`"),
                );
                return None;
            }
            None
        }
        Some(literals) => {
            let mut values = Vec::new();
            for literal in literals.split('|').map(str::trim) {
                values.push(compared(cx, text, context.scope, &kind, literal)?);
            }
            Some(values)
        }
    };
    Some(Condition {
        negate,
        subject,
        equals,
    })
}

/// A literal a condition compares with, typed by the subject.
fn compared(
    cx: &mut Cx<'_>,
    at: &Located<String>,
    scope: &Scope<'_>,
    kind: &Kind,
    literal: &str,
) -> Option<Value> {
    match kind {
        Kind::Input(InputKind::Method) => {
            if ["get", "post", "put", "delete", "head"].contains(&literal) {
                Some(Value::Text(literal.to_owned()))
            } else {
                cx.at(
                    at,
                    format!("`{literal}` is not a method (get, post, put, delete, head)"),
                );
                None
            }
        }
        Kind::Input(InputKind::Security) => {
            if crate::task_ir::FTP_SECURITIES.contains(&literal) {
                Some(Value::Text(literal.to_owned()))
            } else {
                cx.at(
                    at,
                    format!(
                        "`{literal}` is not an FTP security ({}){}",
                        crate::task_ir::FTP_SECURITIES.join(", "),
                        crate::suggest::did_you_mean(
                            literal,
                            crate::task_ir::FTP_SECURITIES.iter().copied()
                        )
                    ),
                );
                None
            }
        }
        Kind::Field(f) => match &f.ty {
            FieldType::Enum(table) => table_code(cx, at, scope, table, literal),
            FieldType::Int { .. } => match literal.parse::<i64>() {
                Ok(n) => Some(Value::Int(n)),
                Err(_) => {
                    cx.at(at, format!("`{literal}` is not a number"));
                    None
                }
            },
            _ => Some(Value::Text(literal.to_owned())),
        },
        _ => {
            cx.at(
                at,
                "only a field, `$input.method` or `$input.security` can be compared",
            );
            None
        }
    }
}

/// A table code written as a number, a text code, or a code's name.
fn table_code(
    cx: &mut Cx<'_>,
    at: &Located<String>,
    scope: &Scope<'_>,
    table: &TableRef,
    literal: &str,
) -> Option<Value> {
    let codes = table_codes(scope.package, scope.deps.values(), table);
    let code = codes.iter().find(|c| {
        c.name.value == literal
            || match &c.code.value {
                Scalar::Int(n) => literal.parse::<i64>().ok() == Some(*n),
                Scalar::Text(t) => t == literal,
            }
    });
    match code {
        Some(c) => Some(Value::Code(
            table.clone(),
            match &c.code.value {
                Scalar::Int(n) => CodeLiteral::Number(*n),
                Scalar::Text(t) => CodeLiteral::Text(t.clone()),
            },
        )),
        None => {
            let names: Vec<&str> = codes.iter().map(|c| c.name.as_str()).collect();
            cx.at(
                at,
                format!(
                    "table `{}` has no code `{literal}`{}",
                    table.name,
                    crate::suggest::did_you_mean(literal, names.iter().copied())
                ),
            );
            None
        }
    }
}

/// The codes of a table, looked up where it is defined (the package or, through
/// its dependencies' tables merged in, itself).
pub(crate) fn table_codes<'a>(
    package: &'a Package,
    deps: impl Iterator<Item = &'a Package>,
    table: &TableRef,
) -> Vec<&'a crate::model::CodeSpec> {
    std::iter::once(package)
        .chain(deps)
        .filter(|p| p.name == table.package)
        .flat_map(|p| p.modules.iter())
        .flat_map(|m| m.tables.iter())
        .find(|t| t.reference == *table)
        .map(|t| t.codes.iter().collect())
        .unwrap_or_default()
}

/// Types a binding against the parameter it goes to.
pub(super) fn value(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    param: &Field,
    bound: &Located<ValueSpec>,
) -> Option<Value> {
    let name = &param.spec.name.value;
    let at = Located {
        value: String::new(),
        line: bound.line,
        column: bound.column,
    };
    match &bound.value {
        ValueSpec::Choice(choice) => {
            let test = condition(cx, context, &choice.condition)?;
            let then = value(cx, context, param, &choice.then)?;
            let otherwise = value(cx, context, param, &choice.otherwise)?;
            Some(Value::Choice(
                Box::new(test),
                Box::new(then),
                Box::new(otherwise),
            ))
        }
        ValueSpec::Text(text) if text.starts_with('$') => {
            let (r, kind) = reference_kind(cx, context, &at, text)?;
            if fits(param, &kind) {
                Some(Value::Ref(r))
            } else {
                cx.at(
                    bound,
                    format!("`{text}` cannot go to `{name}` ({})", describe(param)),
                );
                None
            }
        }
        ValueSpec::Bool(_) => {
            cx.at(
                bound,
                format!("`{name}` takes {}, not a bool", describe(param)),
            );
            None
        }
        ValueSpec::Int(n) => match &param.ty {
            FieldType::Int { min, max, .. } if (*min..=*max).contains(n) => Some(Value::Int(*n)),
            FieldType::Int { min, max, .. } => {
                cx.at(
                    bound,
                    format!("{n} is outside `{name}`'s range {min}..={max}"),
                );
                None
            }
            FieldType::Enum(table) => table_code(cx, &at, context.scope, table, &n.to_string()),
            _ => {
                cx.at(
                    bound,
                    format!("`{name}` takes {}, not a number", describe(param)),
                );
                None
            }
        },
        ValueSpec::Text(text) => match &param.ty {
            FieldType::String | FieldType::Text if !param.usage.repeated => {
                Some(Value::Text(text.clone()))
            }
            FieldType::Enum(table) => table_code(cx, &at, context.scope, table, text),
            _ => {
                cx.at(
                    bound,
                    format!("`{name}` takes {}, not text", describe(param)),
                );
                None
            }
        },
    }
}

/// Whether a reference's value can go to the parameter.
fn fits(param: &Field, kind: &Kind) -> bool {
    let list = param.usage.repeated;
    match (kind, &param.ty) {
        (Kind::Input(InputKind::TextList), FieldType::String | FieldType::Text) => list,
        (_, _) if list => false,
        (
            Kind::Input(InputKind::Text | InputKind::OptionalText),
            FieldType::String | FieldType::Text,
        ) => true,
        (
            Kind::Input(InputKind::Number | InputKind::OptionalNumber),
            FieldType::Int { min, .. },
        ) => *min >= 0,
        (Kind::Number, FieldType::Int { min, .. }) => *min >= 0,
        (Kind::Input(InputKind::Method), FieldType::Enum(_)) => true,
        (Kind::Field(f), _) if f.usage.repeated => false,
        (Kind::Field(f), FieldType::Int { min, .. }) => {
            matches!(f.ty, FieldType::Int { min: lo, .. } if lo >= 0) && *min >= 0
        }
        (Kind::Field(f), FieldType::String | FieldType::Text) => {
            matches!(f.ty, FieldType::String | FieldType::Text)
        }
        (Kind::Field(f), FieldType::Enum(t)) => matches!(&f.ty, FieldType::Enum(u) if u == t),
        _ => false,
    }
}

fn describe(param: &Field) -> String {
    let base = match &param.ty {
        FieldType::Int { min, max, .. } => format!("a number {min}..={max}"),
        FieldType::String | FieldType::Text => "text".to_owned(),
        FieldType::Enum(t) => format!("a code of table `{}`", t.name),
        FieldType::Count { of } => format!("the count of `{of}`"),
    };
    if param.usage.repeated {
        format!("a list of {base}")
    } else {
        base
    }
}

/// The code of a method table whose code is named like the runtime's method
/// (`get`, `post`), if it has one.
pub fn method_code(package: &Package, table: &TableRef, method: &str) -> Option<CodeLiteral> {
    table_codes(package, std::iter::empty(), table)
        .into_iter()
        .find(|c| c.name.value == method)
        .map(|c| match &c.code.value {
            Scalar::Int(n) => CodeLiteral::Number(*n),
            Scalar::Text(t) => CodeLiteral::Text(t.clone()),
        })
}
