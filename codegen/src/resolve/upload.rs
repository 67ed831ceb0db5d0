//! Upload rules of a command: length parameters and end markers.

use super::{Cx, package::Scope};
use crate::ir::{Field, FieldType, Line};
use crate::model::{Located, UploadEndSpec};

pub(super) fn check_upload(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    upload: &crate::model::UploadSpec,
    params: &[Field],
    response: &[Line],
    syntax: &Located<String>,
) {
    let param_type = |name: &str| {
        params
            .iter()
            .find(|p| p.spec.name.value == name)
            .map(|p| p.ty.clone())
    };
    match (&upload.prompt, &upload.announce) {
        (Some(prompt), None) if !scope.prompts.contains(prompt.as_str()) => cx.at(
            prompt,
            format!(
                "prompt `{}` is not in the dialect's prompts{}",
                prompt.value,
                crate::suggest::did_you_mean(prompt, &scope.prompts)
            ),
        ),
        (Some(prompt), Some(_)) => cx.at(prompt, "an upload has `prompt` or `announce`, not both"),
        (None, None) => cx.at(syntax, "an upload needs `prompt` or `announce`"),
        (None, Some(announce)) => {
            let line = response
                .iter()
                .find(|l| l.spec.name.value == announce.line.value);
            let field = line.and_then(|l| {
                l.fields
                    .iter()
                    .find(|f| f.spec.name.value == announce.length.value)
            });
            match (line, field) {
                (None, _) => cx.at(
                    &announce.line,
                    format!(
                        "`{}` is no response line of `{}`{}",
                        announce.line.value,
                        syntax.value,
                        crate::suggest::did_you_mean(
                            &announce.line,
                            response.iter().map(|l| l.spec.name.as_str())
                        )
                    ),
                ),
                (Some(_), Some(f))
                    if matches!(f.ty, FieldType::Int { .. }) && !f.usage.optional => {}
                (Some(_), _) => cx.at(
                    &announce.length,
                    format!(
                        "`{}` must name a required int field of that line",
                        announce.length.value
                    ),
                ),
            }
            if upload.end != UploadEndSpec::Announced {
                cx.at(
                    &announce.line,
                    "an announced upload ends with `end: announced`",
                );
            }
        }
        _ => {}
    }
    for name in [&upload.length, &upload.input_timeout]
        .into_iter()
        .flatten()
    {
        if !matches!(param_type(name), Some(FieldType::Int { .. })) {
            cx.at(
                name,
                format!(
                    "`{}` must name an int parameter of `{}`",
                    name.value, syntax.value
                ),
            );
        }
    }
    if let Some(name) = &upload.input_timeout
        && let Some(param) = params.iter().find(|p| p.spec.name.value == name.value)
        && matches!(param.ty, FieldType::Int { .. })
        && duration_unit(param).is_none()
    {
        let message = format!(
            "`input_timeout` reads `{}` as a duration: give it `unit: ms` or `unit: s`",
            name.value
        );
        match &param.spec.unit {
            Some(unit) => cx.at(unit, format!("{message} (not `{}`)", unit.value)),
            None => cx.at(&param.spec.name, message),
        }
    }
    if let Some(ack) = &upload.ack {
        if !matches!(
            param_type(&ack.param),
            Some(FieldType::Int { .. } | FieldType::Enum(_))
        ) {
            cx.at(
                &ack.param,
                format!(
                    "`ack.param` must name an int or enum parameter of `{}`",
                    syntax.value
                ),
            );
        }
        if upload.end != UploadEndSpec::Length {
            cx.at(&ack.param, "acknowledged uploads end with `end: length`");
        }
        if ack.every.value == 0 {
            cx.at(&ack.every, "`ack.every` is a byte count above 0");
        }
        if ack.text.value.is_empty() || ack.text.value.contains(['\r', '\n']) {
            cx.at(
                &ack.text,
                "`ack.text` is the acknowledgement without line ends",
            );
        }
    }
    let missing = match upload.end {
        UploadEndSpec::Length if upload.length.is_none() => Some("`end: length` needs `length`"),
        UploadEndSpec::Length => {
            let usage = upload
                .length
                .as_ref()
                .and_then(|l| params.iter().find(|p| p.spec.name.value == l.value));
            usage.is_some_and(|p| p.usage.optional).then_some(
                "with an optional `length` parameter, `end` says how the upload ends without it (escaped or guarded_escape)",
            )
        }
        UploadEndSpec::Announced if upload.announce.is_none() => {
            Some("`end: announced` needs `announce`")
        }
        UploadEndSpec::Escaped if upload.terminator.is_none() || upload.escape.is_none() => {
            Some("`end: escaped` needs `terminator` and `escape`")
        }
        UploadEndSpec::GuardedEscape if upload.sequence.is_none() || upload.guard_ms.is_none() => {
            Some("`end: guarded_escape` needs `sequence` and `guard_ms`")
        }
        _ => None,
    };
    if let Some(message) = missing {
        cx.at(syntax, message);
    }
}

/// A duration's unit: how many milliseconds one unit of the parameter is, for the
/// units a duration can have (`ms`, `s`).
pub(crate) fn duration_unit(param: &Field) -> Option<u64> {
    match param.spec.unit.as_ref()?.value.as_str() {
        "ms" => Some(1),
        "s" => Some(1000),
        _ => None,
    }
}
