//! Steps that move data in rounds: the session report awaited between rounds
//! (`await:`) and the response field that says a round moved data
//! (`repeat_while:`).

use super::Cx;
use crate::ir::{Command, FieldType, Package};
use crate::model::{AwaitSpec, Located, TaskStepSpec};
use crate::task_ir::AwaitUrc;

/// Wait for a report when no bound is given and the command has none either.
const DEFAULT_WAIT_MS: u64 = 60_000;

/// `await:`: a URC of the package with a result-code field.
pub(super) fn await_urc(
    cx: &mut Cx<'_>,
    package: &Package,
    shape: &Command,
    spec: &AwaitSpec,
) -> Option<AwaitUrc> {
    let urcs: Vec<_> = package.modules.iter().flat_map(|m| m.urcs.iter()).collect();
    let Some(line) = urcs.iter().find(|l| l.spec.name.value == spec.urc.value) else {
        let names: Vec<&str> = urcs.iter().map(|l| l.spec.name.as_str()).collect();
        cx.at(
            &spec.urc,
            format!(
                "no URC `{}` in this package{}",
                spec.urc.value,
                crate::suggest::did_you_mean(&spec.urc, names.iter().copied())
            ),
        );
        return None;
    };
    let Some(field) = line
        .fields
        .iter()
        .find(|f| f.spec.name.value == spec.field.value)
    else {
        let names: Vec<&str> = line.fields.iter().map(|f| f.spec.name.as_str()).collect();
        cx.at(
            &spec.field,
            format!(
                "URC `{}` has no field `{}`; it has {names:?}{}",
                spec.urc.value,
                spec.field.value,
                crate::suggest::did_you_mean(&spec.field, names.iter().copied())
            ),
        );
        return None;
    };
    if !matches!(field.ty, FieldType::Enum(_)) || field.usage.optional || field.usage.repeated {
        cx.at(
            &spec.field,
            format!(
                "`{}` must be a result code (a table field the URC always has): its \
                 codes' outcomes say whether the session goes on",
                spec.field.value
            ),
        );
        return None;
    }
    Some(AwaitUrc {
        ident: line.ident.clone(),
        field: Box::new(field.clone()),
        within_ms: spec
            .within_ms
            .or(shape.timeout_ms)
            .unwrap_or(DEFAULT_WAIT_MS),
    })
}

/// `repeat_while:`: a number field of the command's one response line.
pub(super) fn repeat_field(
    cx: &mut Cx<'_>,
    shape: &Command,
    name: &Located<String>,
) -> Option<Box<crate::ir::Field>> {
    let line = match shape.response.as_slice() {
        [only] if only.spec.repeat.is_none() && only.spec.one_of.is_none() => only,
        _ => {
            cx.at(
                name,
                "`repeat_while` needs a command whose response is one line with the count",
            );
            return None;
        }
    };
    match line.fields.iter().find(|f| f.spec.name.value == name.value) {
        Some(f) if matches!(f.ty, FieldType::Int { .. }) && !f.usage.repeated => {
            Some(Box::new(f.clone()))
        }
        Some(_) => {
            cx.at(name, format!("`{}` is not a number field", name.value));
            None
        }
        None => {
            let names: Vec<&str> = line.fields.iter().map(|f| f.spec.name.as_str()).collect();
            cx.at(
                name,
                format!(
                    "the response has no field `{}`; it has {names:?}{}",
                    name.value,
                    crate::suggest::did_you_mean(name, names.iter().copied())
                ),
            );
            None
        }
    }
}

/// `await` needs rounds; rounds of one kind at a time.
pub(super) fn check_rounds(cx: &mut Cx<'_>, spec: &Located<TaskStepSpec>) {
    if let Some(a) = &spec.await_urc
        && spec.chunks.is_none()
        && spec.repeat_while.is_none()
    {
        cx.at(
            &a.urc,
            "`await` waits between rounds: the step needs `chunks` or `repeat_while`",
        );
    }
    if let Some(r) = &spec.repeat_while {
        if spec.chunks.is_some() || spec.until.is_some() {
            cx.at(
                r,
                "`repeat_while` cannot go with `chunks` or `until`: a step repeats one way",
            );
        }
        if spec.id.is_some() {
            cx.at(r, "a repeated step cannot have an `id`");
        }
    }
}
