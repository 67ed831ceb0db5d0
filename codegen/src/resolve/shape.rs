//! One command shape: parameters, response lines, completion and transfers.

use std::collections::BTreeSet;

use super::{
    Cx, end_markers, field::FieldOwner, field::resolve_fields, line::check_command_template,
    line::parse_template, line::resolve_line, package::Scope, response_groups,
    upload::check_upload,
};
use crate::ir::{Command, FieldType};
use crate::model::{CommandSpec, FieldSpec, LineSpec, Located};

pub(super) struct ShapeInput<'a> {
    pub(super) ident: String,
    pub(super) variant: Option<String>,
    pub(super) syntax: &'a Located<String>,
    pub(super) summary: String,
    pub(super) params: Vec<&'a FieldSpec>,
    pub(super) own_params: Vec<&'a FieldSpec>,
    pub(super) response: &'a [LineSpec],
    pub(super) timeout_ms: Option<&'a Located<u64>>,
    /// The bound of each family of the shape that differs from `timeout_ms`.
    pub(super) timeout_by_family: Vec<(String, u64)>,
    /// The completion wait of each family of the shape that differs from the completion's.
    pub(super) completion_by_family: Vec<(String, u64)>,
    pub(super) completion: Option<&'a crate::model::CompletionSpec>,
    pub(super) upload: Option<&'a crate::model::UploadSpec>,
    pub(super) download: Option<&'a crate::model::DownloadSpec>,
    pub(super) no_final_result: Option<&'a Located<bool>>,
    pub(super) notes: Vec<String>,
    /// UNCONFIRMED notes of the form, then of the variant.
    pub(super) unconfirmed: Vec<String>,
    /// Families that have the shape (`None`: all).
    pub(super) only: Option<Vec<String>>,
}

pub(super) fn resolve_shape(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    command: &CommandSpec,
    form: &str,
    source: &str,
    shape: ShapeInput<'_>,
    used: &mut BTreeSet<String>,
) -> Option<Command> {
    let before = cx.diags.len();
    let template = parse_template(cx, shape.syntax)?;
    check_command_template(cx, shape.syntax, &template);
    if !shape.syntax.starts_with("AT") {
        cx.at(shape.syntax, "a command syntax starts with `AT`");
    }
    let declared: Vec<FieldSpec> = shape.params.iter().map(|p| (*p).clone()).collect();
    let before_params = cx.diags.len();
    let params = resolve_fields(
        cx,
        scope,
        shape.syntax,
        &template,
        &declared,
        FieldOwner::Command,
    );
    // A parameter is used when the template names it, even if its declaration was
    // refused (that refusal is the one diagnostic about it).
    let placeholders: BTreeSet<String> = template.fields().into_iter().map(|u| u.name).collect();
    used.extend(placeholders.iter().cloned());
    for own in &shape.own_params {
        if !placeholders.contains(&own.name.value) {
            cx.at(
                &own.name,
                format!(
                    "parameter `{}` is declared but `{}` does not use it",
                    own.name.value, shape.syntax.value
                ),
            );
        }
    }
    let mut response = Vec::new();
    for line in shape.response {
        if let Some(resolved) = resolve_line(cx, scope, line, true) {
            response.push(resolved);
        }
    }
    response_groups::check_response(cx, shape.response, &response);
    if cx.diags.len() > before_params {
        // The checks below look parameters up by name; with one refused they would
        // report it missing a second time.
        return None;
    }
    let param_type = |name: &str| {
        params
            .iter()
            .find(|p| p.spec.name.value == name)
            .map(|p| p.ty.clone())
    };
    let completion = match shape.completion {
        Some(c) => {
            match scope.urcs.get(c.urc.as_str()) {
                Some(urc) => {
                    for (urc_field, param) in &c.matches {
                        let field_ty = urc
                            .fields
                            .iter()
                            .find(|(n, _)| n == urc_field)
                            .map(|(_, t)| t);
                        match (field_ty, param_type(param)) {
                        (None, _) => cx.at(param, format!("URC `{}` has no field `{urc_field}`{}", c.urc.value, crate::suggest::did_you_mean(urc_field, urc.fields.iter().map(|(n, _)| n)))),
                        (_, None) => cx.at(param, format!("`{}` is not a parameter of `{}`{}", param.value, shape.syntax.value, crate::suggest::did_you_mean(param, params.iter().map(|p| p.spec.name.as_str())))),
                        (Some(a), Some(b)) if !comparable(a, &b) => cx.at(param, format!("URC field `{urc_field}` and parameter `{}` have different types", param.value)),
                        _ => {}
                    }
                    }
                    if let Some(field) = &c.result_field {
                        match urc.fields.iter().find(|(n, _)| n == field.as_str()) {
                            Some((_, FieldType::Enum(_))) => {}
                            _ => cx.at(
                                field,
                                format!(
                                    "`result_field` must name an enum field of URC `{}`{}",
                                    c.urc.value,
                                    crate::suggest::did_you_mean(
                                        field,
                                        urc.fields
                                            .iter()
                                            .filter(|(_, t)| matches!(t, FieldType::Enum(_)))
                                            .map(|(n, _)| n)
                                    )
                                ),
                            ),
                        }
                    }
                    if let Some(field) = &c.detail_field {
                        match urc.fields.iter().find(|(n, _)| n == field.as_str()) {
                            Some((_, FieldType::Enum(_))) if c.result_field.is_some() => {}
                            Some((_, FieldType::Enum(_))) => cx.at(
                                field,
                                "`detail_field` needs a `result_field` to tell failure",
                            ),
                            _ => cx.at(
                                field,
                                format!(
                                    "`detail_field` must name an enum field of URC `{}`",
                                    c.urc.value
                                ),
                            ),
                        }
                    }
                    if let Some(length) = &c.length {
                        match urc.fields.iter().find(|(n, _)| n == length.as_str()) {
                            Some((_, FieldType::Int { .. })) => {}
                            _ => cx.at(
                                length,
                                format!("`length` must name an int field of URC `{}`", c.urc.value),
                            ),
                        }
                    }
                    if let Some(data) = &c.data {
                        match scope.urc_lines.get(data.as_str()) {
                            Some(line) if line.spec.payload.is_some() => {
                                if let Some(done) = scope.urc_lines.get(c.urc.as_str()) {
                                    end_markers::check_marker_completes(cx, data, line, done);
                                }
                            }
                            Some(_) => cx.at(
                                data,
                                format!("`data` URC `{}` announces no payload", data.value),
                            ),
                            None => cx.at(
                                data,
                                format!(
                                    "`data` names no URC: `{}`{}",
                                    data.value,
                                    crate::suggest::did_you_mean(data, scope.urcs.keys())
                                ),
                            ),
                        }
                    }
                    Some((c.clone(), urc.clone()))
                }
                None if scope.refused.contains(c.urc.as_str()) => None,
                None => {
                    cx.at(
                        &c.urc,
                        format!(
                            "completion names an unknown URC `{}`{}",
                            c.urc.value,
                            crate::suggest::did_you_mean(&c.urc, scope.urcs.keys())
                        ),
                    );
                    None
                }
            }
        }
        None => None,
    };
    if let Some(upload) = shape.upload {
        check_upload(cx, scope, upload, &params, &response, shape.syntax);
    }
    if let Some(download) = shape.download {
        if !scope.prompts.contains(download.prompt.as_str()) {
            cx.at(
                &download.prompt,
                format!(
                    "prompt `{}` is not in the dialect's prompts{}",
                    download.prompt.value,
                    crate::suggest::did_you_mean(&download.prompt, &scope.prompts)
                ),
            );
        }
        if download.end == crate::model::DownloadEndSpec::Length {
            match &download.length {
                Some(name) if matches!(param_type(name), Some(FieldType::Int { .. })) => {}
                Some(name) => cx.at(name, format!("`{}` must name an int parameter", name.value)),
                None => cx.at(&download.prompt, "`end: length` needs `length`"),
            }
        }
    }
    let no_final_result = shape.no_final_result.filter(|flag| flag.value);
    if let Some(flag) = no_final_result {
        let form = crate::final_result::FormShape {
            response: &response,
            completion: shape.completion.is_some(),
            upload: shape.upload.is_some(),
            download: shape.download.is_some(),
        };
        for problem in crate::final_result::conflicts(&form) {
            cx.at(flag, problem);
        }
    }
    if cx.diags.len() > before {
        return None;
    }
    let unconfirmed = command
        .unconfirmed
        .iter()
        .chain(&shape.unconfirmed)
        .cloned()
        .collect();
    Some(Command {
        name: command.name.value.clone(),
        ident: shape.ident,
        form: form.to_owned(),
        variant: shape.variant,
        summary: shape.summary,
        description: command.description.clone(),
        source: source.to_owned(),
        syntax: shape.syntax.value.clone(),
        template,
        params,
        response,
        timeout_ms: shape.timeout_ms.map(|t| t.value),
        timeout_by_family: shape.timeout_by_family,
        completion_by_family: shape.completion_by_family,
        completion_data: shape
            .completion
            .and_then(|c| c.data.as_ref())
            .and_then(|d| scope.urc_lines.get(d.as_str()).cloned()),
        completion,
        upload: shape.upload.cloned(),
        download: shape.download.cloned(),
        no_final_result: no_final_result.is_some(),
        notes: command.notes.iter().cloned().chain(shape.notes).collect(),
        unconfirmed,
        only: shape.only,
    })
}

pub(super) fn comparable(a: &FieldType, b: &FieldType) -> bool {
    match (a, b) {
        (
            FieldType::Int { .. } | FieldType::Count { .. },
            FieldType::Int { .. } | FieldType::Count { .. },
        ) => true,
        (FieldType::Enum(x), FieldType::Enum(y)) => x == y,
        (FieldType::String, FieldType::String) => true,
        _ => false,
    }
}
