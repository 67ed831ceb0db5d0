//! A procedure's results: what each reads (a reference, a condition, or the field
//! of the repeated line a condition picks), and whether the task can return it.

use super::Cx;
use super::task_value::{ValueContext, condition, reference};
use crate::ir::FieldType;
use crate::model::{Located, ProcedureSpec};
use crate::task_ir::{Expr, Procedure, Ref, StepField};

/// A result: a reference, a condition, or a field of the repeated line a
/// condition picks (`<reference> where <condition>`).
pub(super) fn expr(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    text: &Located<String>,
) -> Option<Expr> {
    let t = text.as_str().trim();
    if let Some((read, when)) = t.split_once(" where ") {
        pick(cx, context, text, read.trim(), when.trim())
    } else if t.contains("==") || t.contains("!=") || t.starts_with("not ") {
        condition(cx, context, text).map(Expr::Condition)
    } else {
        let read = reference(cx, context, text)?;
        if let Ref::Step(f) = &read
            && f.lines.is_some()
        {
            cx.at(
                text,
                format!(
                    "`{t}` is a field of repeated lines: a result can test it \
                     (`{t} == <value>` holds when any line has it) or pick one line \
                     (`{t} where <condition on the same lines>`)"
                ),
            );
            return None;
        }
        Some(Expr::Ref(read))
    }
}

/// `read where when`: `read` a field of a step's repeated lines, `when` a
/// condition on a field of the same lines.
fn pick(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    text: &Located<String>,
    read: &str,
    when: &str,
) -> Option<Expr> {
    let read_text = Located {
        value: read.to_owned(),
        line: text.line,
        column: text.column,
    };
    let Ref::Step(field) = reference(cx, context, &read_text)? else {
        cx.at(
            text,
            format!("`{read}`: `where` picks one of a step's repeated lines; read a step's field"),
        );
        return None;
    };
    let Some(lines) = &field.lines else {
        cx.at(
            text,
            format!(
                "`{read}` is a field of step `{}`'s one response line: read it without `where`",
                field.step
            ),
        );
        return None;
    };
    let when_text = Located {
        value: when.to_owned(),
        line: text.line,
        column: text.column,
    };
    let condition = condition(cx, context, &when_text)?;
    let same_lines = matches!(
        &condition.subject,
        Ref::Step(s) if s.step == field.step && s.lines.as_ref() == Some(lines)
    );
    if !same_lines {
        cx.at(
            text,
            format!(
                "`where {when}` must test a field of the same lines as `{read}` (step `{}`)",
                field.step
            ),
        );
        return None;
    }
    Some(Expr::Pick {
        field,
        when: condition,
    })
}

pub(super) const UP_KIND: &str =
    "network `up` must be a condition (`$<id>.<field> == <value>`, `$<id>.succeeded`)";
pub(super) const ADDRESS_KIND: &str = "network `address` must read a text field of a step: \
     `$<id>.<field>`, or `$<id>.<field> where <condition>` to pick one of repeated lines";
pub(super) const NUMBER_KIND: &str =
    "must read a number field of a step's one line or completion (`$<id>.<field>`)";

pub(super) fn is_condition(e: &Expr) -> bool {
    matches!(e, Expr::Condition(_) | Expr::Ref(Ref::Succeeded(_)))
}

fn is_text(f: &StepField) -> bool {
    matches!(f.field.ty, FieldType::String | FieldType::Text) && !f.field.usage.repeated
}

pub(super) fn is_text_read(e: &Expr) -> bool {
    match e {
        Expr::Ref(Ref::Step(f)) => is_text(f),
        Expr::Pick { field, .. } => is_text(field),
        _ => false,
    }
}

pub(super) fn is_number_read(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Ref(Ref::Step(f))
            if matches!(f.field.ty, FieldType::Int { .. } | FieldType::Enum(_) | FieldType::Count { .. })
                && !f.field.usage.repeated
    )
}

/// Refuses result `name` at its text when the generated code cannot return it as
/// its task says (`why`).
pub(super) fn check_result(
    cx: &mut Cx<'_>,
    spec: &ProcedureSpec,
    resolved: &Procedure,
    name: &str,
    fits: fn(&Expr) -> bool,
    why: &str,
) {
    let Some((_, expr)) = resolved.results.iter().find(|(n, _)| n == name) else {
        return;
    };
    if !fits(expr)
        && let Some(text) = spec.result.get(name)
    {
        let why = if why.starts_with("must") {
            format!("`{name}` {why}")
        } else {
            why.to_owned()
        };
        cx.at(text, why);
    }
}
