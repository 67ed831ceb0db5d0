//! Response and URC lines: templates and their fields.

use super::{Cx, absent_lines, field::FieldOwner, field::resolve_fields, package::Scope};
use crate::ir::{FieldType, Line};
use crate::model::{LineSpec, Located};
use crate::names;
use crate::template::{
    MAX_BACKTRACKING_GROUPS, Template, backtracking_groups, nested_backtracking,
};

/// A command syntax can hold no group of fixed text only (`AT+X=<a>[,DATA]`):
/// the typed command has nothing to say whether to send it, so it would never be
/// sent. Such a command is two variants.
pub(super) fn check_command_template(cx: &mut Cx<'_>, text: &Located<String>, template: &Template) {
    if template.has_literal_only_group() {
        cx.at(
            text,
            format!(
                "syntax `{}`: an optional group of fixed text in a command would never be sent; declare a variant with the text and one without",
                text.value
            ),
        );
    }
}

/// Resolves a response line or URC (`command` is false for URCs).
pub(super) fn resolve_line(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    spec: &LineSpec,
    in_command_response: bool,
) -> Option<Line> {
    let before = cx.diags.len();
    if !names::is_snake(&spec.name) {
        cx.at(
            &spec.name,
            format!("line name `{}` must be snake_case", spec.name.value),
        );
    }
    if let Some(word) = names::reserved_type_suffix(&spec.name) {
        cx.at(
            &spec.name,
            format!(
                "line name `{}` ends in `_{word}`: generated types ending that way are {}; choose another name",
                spec.name.value,
                if word == "urc" { "URCs" } else if word == "response" { "command responses" } else { "commands" },
            ),
        );
    }
    if !in_command_response && spec.repeat.is_some() {
        cx.at(&spec.name, "`repeat` applies to response lines, not URCs");
    }
    if in_command_response && !spec.shares_prefix.is_empty() {
        cx.at(
            &spec.name,
            "`shares_prefix` applies to URCs, not response lines",
        );
    }
    if !in_command_response && let Some(group) = &spec.one_of {
        cx.at(group, "`one_of` applies to response lines, not URCs");
    }
    let template = parse_template(cx, &spec.template)?;
    let owner = if in_command_response {
        FieldOwner::Response
    } else {
        FieldOwner::Urc
    };
    let fields = resolve_fields(cx, scope, &spec.template, &template, &spec.fields, owner);
    if cx.diags.len() > before {
        // The payload checks look fields up by name; a refused one is reported once.
        return None;
    }
    if let Some(payload) = &spec.payload {
        let usage = template
            .fields()
            .into_iter()
            .find(|u| u.name == payload.length.value);
        let length = fields
            .iter()
            .find(|f| f.spec.name.value == payload.length.value);
        if length.is_some_and(|f| f.quoting != crate::model::Quoting::Never) {
            cx.at(
                &payload.length,
                "a payload length is read as a bare number: its field cannot be `quoted`",
            );
        }
        match (usage, length.map(|f| &f.ty)) {
            (Some(u), Some(FieldType::Int { .. })) if !u.optional => {}
            (Some(_), Some(FieldType::Int { .. })) => cx.at(
                &payload.length,
                "the payload length field may not be optional",
            ),
            _ => cx.at(
                &payload.length,
                format!(
                    "payload length `{}` must name an int field of the line",
                    payload.length.value
                ),
            ),
        }
    }
    if let Some(payload) = &spec.payload
        && let Some(marker) = &payload.end_marker
        && in_command_response
    {
        cx.at(
            marker,
            "`end_marker` applies to the data line of a completion (a URC named by `completion.data`), not to response lines",
        );
    }
    if cx.diags.len() > before {
        return None;
    }
    let line = Line {
        spec: spec.clone(),
        ident: names::pascal(&spec.name),
        template,
        fields,
    };
    absent_lines::check_absent(cx, scope, &line, in_command_response);
    if cx.diags.len() > before {
        return None;
    }
    Some(line)
}

/// Parses a template and checks that the generated parsers can read it: optional
/// groups that need backtracking are at the top level, and few enough.
pub(super) fn parse_template(cx: &mut Cx<'_>, text: &Located<String>) -> Option<Template> {
    match Template::parse(text) {
        Ok(t) => {
            if nested_backtracking(&t) {
                cx.at(
                    text,
                    format!(
                        "template `{}`: an optional group inside another group is followed by required text it could be mistaken for; the parser tries such groups both ways only at the top level, so write the line as `one_of` lines or move the group out",
                        text.value
                    ),
                );
            }
            let groups = backtracking_groups(&t.pieces).len();
            if groups > MAX_BACKTRACKING_GROUPS {
                cx.at(
                    text,
                    format!(
                        "template `{}`: {groups} optional groups are followed by required text, so the line is tried {} ways; at most {MAX_BACKTRACKING_GROUPS} such groups are supported: write some shapes as `one_of` lines",
                        text.value,
                        1u64 << groups
                    ),
                );
            }
            Some(t)
        }
        Err(e) => {
            cx.at_pos(
                text.line,
                text.column + e.offset as u64,
                format!("template `{}`: {}", text.value, e.message),
            );
            None
        }
    }
}
