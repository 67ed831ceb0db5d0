//! Commands: forms, variants and their shapes.

use std::collections::BTreeSet;

use super::{
    Cx, family::resolve_only, family_timeouts::TimeoutLevel, family_timeouts::bounds_by_family,
    family_timeouts::timeout_level, package::Scope, package::check_source, package::citation,
    shape::ShapeInput, shape::resolve_shape,
};
use crate::ir::Command;
use crate::model::{CommandSpec, CompletionSpec, FormSpec, ModuleSpec};
use crate::names;

pub(super) const FORMS: [&str; 4] = ["test", "read", "write", "exec"];

pub(super) fn resolve_command(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    module: &ModuleSpec,
    command: &CommandSpec,
) -> Vec<Command> {
    let base = match &command.ident {
        Some(ident) if names::is_pascal(ident) => ident.value.clone(),
        Some(ident) => {
            cx.at(ident, format!("ident `{}` must be PascalCase", ident.value));
            return Vec::new();
        }
        None => names::command_ident(&command.name),
    };
    if let Some(source) = &command.source {
        check_source(cx, &scope.manuals, source);
    }
    let source = citation(
        scope.manual_specs,
        command.source.as_ref().unwrap_or(&module.source),
        command.section.as_deref(),
    );
    let forms: Vec<(&str, &FormSpec)> = FORMS
        .iter()
        .zip([&command.test, &command.read, &command.write, &command.exec])
        .filter_map(|(name, form)| form.as_ref().map(|f| (*name, f)))
        .collect();
    if forms.is_empty() {
        cx.at(
            &command.name,
            format!(
                "command `{}` has no form (test, read, write or exec)",
                command.name.value
            ),
        );
    }
    let command_only = resolve_only(cx, scope, command.only.as_ref(), None, "command");
    let mut used_params = BTreeSet::new();
    let mut out = Vec::new();
    for (form_name, form) in forms {
        let form_only = resolve_only(
            cx,
            scope,
            form.only.as_ref(),
            command_only.as_deref().map(|o| (o, "command")),
            "form",
        )
        .or_else(|| command_only.clone());
        let form_within = form_only.as_deref().map(|o| (o, "form"));
        let form_level = timeout_level(
            cx,
            scope,
            (form.timeout_ms.as_ref(), &form.families),
            form.completion.as_ref(),
            form_within,
        );
        // Every command type ends in its form, so none reads as a response line or
        // a URC (`Httpaction` beside the URC `HttpAction` did).
        let suffix = match form_name {
            "test" => "Test",
            "read" => "Read",
            "write" => "Write",
            _ => "Exec",
        };
        let mut shapes: Vec<ShapeInput<'_>> = Vec::new();
        match (&form.syntax, form.variants.is_empty()) {
            (Some(syntax), true) => shapes.push(ShapeInput {
                ident: format!("{base}{suffix}"),
                variant: None,
                syntax,
                summary: form
                    .summary
                    .clone()
                    .unwrap_or_else(|| command.summary.clone()),
                params: command.params.iter().chain(&form.params).collect(),
                own_params: form.params.iter().collect(),
                response: &form.response,
                timeout_ms: form.timeout_ms.as_ref(),
                timeout_by_family: bounds_by_family(scope, &[form_level], form_only.as_deref()),
                completion_by_family: completion_bounds(
                    scope,
                    form.completion.as_ref(),
                    form_only.as_deref(),
                ),
                completion: form.completion.as_ref(),
                upload: form.upload.as_ref(),
                download: form.download.as_ref(),
                no_final_result: form.no_final_result.as_ref(),
                notes: form.notes.clone(),
                unconfirmed: form.unconfirmed.iter().cloned().collect(),
                only: form_only.clone(),
            }),
            (None, false) => {
                for variant in &form.variants {
                    if !names::is_snake(&variant.name) {
                        cx.at(
                            &variant.name,
                            format!("variant name `{}` must be snake_case", variant.name.value),
                        );
                    }
                    let only =
                        resolve_only(cx, scope, variant.only.as_ref(), form_within, "variant")
                            .or_else(|| form_only.clone());
                    let variant_within = only.as_deref().map(|o| (o, "variant"));
                    let variant_level = timeout_level(
                        cx,
                        scope,
                        (variant.timeout_ms.as_ref(), &variant.families),
                        variant.completion.as_ref(),
                        variant_within,
                    );
                    let completion = variant.completion.as_ref().or(form.completion.as_ref());
                    shapes.push(ShapeInput {
                        ident: format!("{base}{}{suffix}", names::pascal(&variant.name)),
                        variant: Some(variant.name.value.clone()),
                        syntax: &variant.syntax,
                        summary: variant.summary.clone(),
                        params: command
                            .params
                            .iter()
                            .chain(&form.params)
                            .chain(&variant.params)
                            .collect(),
                        own_params: variant.params.iter().collect(),
                        response: variant.response.as_ref().unwrap_or(&form.response),
                        timeout_ms: variant.timeout_ms.as_ref().or(form.timeout_ms.as_ref()),
                        timeout_by_family: bounds_by_family(
                            scope,
                            &[variant_level, form_level],
                            only.as_deref(),
                        ),
                        completion_by_family: completion_bounds(scope, completion, only.as_deref()),
                        completion,
                        upload: variant.upload.as_ref().or(form.upload.as_ref()),
                        download: variant.download.as_ref().or(form.download.as_ref()),
                        no_final_result: form.no_final_result.as_ref(),
                        notes: form.notes.iter().chain(&variant.notes).cloned().collect(),
                        unconfirmed: form
                            .unconfirmed
                            .iter()
                            .chain(&variant.unconfirmed)
                            .cloned()
                            .collect(),
                        only,
                    });
                }
            }
            (Some(syntax), false) => {
                cx.at(syntax, "a form has either `syntax` or `variants`, not both");
                continue;
            }
            (None, true) => {
                cx.at(
                    &command.name,
                    format!(
                        "the {form_name} form of `{}` needs `syntax` or `variants`",
                        command.name.value
                    ),
                );
                continue;
            }
        }
        for shape in shapes {
            if let Some(resolved) = resolve_shape(
                cx,
                scope,
                command,
                form_name,
                &source,
                shape,
                &mut used_params,
            ) {
                let mut resolved = resolved;
                super::family_fields::apply_to_command(cx, scope, &mut resolved);
                out.push(resolved);
            }
        }
    }
    super::family_shapes::check_same_syntax(cx, scope, &out, |shape| {
        let form = match shape.form.as_str() {
            "test" => command.test.as_ref(),
            "read" => command.read.as_ref(),
            "write" => command.write.as_ref(),
            _ => command.exec.as_ref(),
        }?;
        form.variants
            .iter()
            .find(|v| Some(&v.name.value) == shape.variant.as_ref())
            .map(|v| v.syntax.clone())
            .or_else(|| form.syntax.clone())
    });
    for param in &command.params {
        if !used_params.contains(&param.name.value) {
            cx.at(
                &param.name,
                format!(
                    "parameter `{}` is declared but no syntax template uses it",
                    param.name.value
                ),
            );
        }
    }
    out
}

/// The completion wait of each family of a shape whose bound differs from the
/// completion's `timeout_ms`.
fn completion_bounds(
    scope: &Scope<'_>,
    completion: Option<&CompletionSpec>,
    only: Option<&[String]>,
) -> Vec<(String, u64)> {
    completion.map_or_else(Vec::new, |c| {
        let level = TimeoutLevel {
            common: Some(&c.timeout_ms),
            families: &c.families,
        };
        bounds_by_family(scope, &[level], only)
    })
}
