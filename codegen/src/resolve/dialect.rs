//! The package dialect: final results, prompts, limits and what the modem accepts.

use super::{Cx, command_tolerance, package::Scope};
use crate::ir::{Dialect, Package, ResultCode};
use crate::load::RawPackage;
use crate::template::{Piece, Template};

pub(super) fn resolve_dialect(
    cx: &mut Cx<'_>,
    raw: &RawPackage,
    scope: &Scope<'_>,
    deps: &[&Package],
) -> Dialect {
    let spec = &raw.spec.dialect;
    let mut results = Vec::new();
    for result in &spec.results {
        let template = match Template::parse(&result.template) {
            Ok(t) => t,
            Err(e) => {
                cx.at(&result.template, format!("result template: {e}"));
                continue;
            }
        };
        let fields = template.fields();
        let coded = match fields.as_slice() {
            [] => false,
            [only]
                if only.name == "code"
                    && matches!(template.pieces.last(), Some(Piece::Field { .. })) =>
            {
                true
            }
            _ => {
                cx.at(
                    &result.template,
                    "a result template is fixed text, optionally ending in `<code>`",
                );
                continue;
            }
        };
        let table = match &result.table {
            Some(name) => match scope.tables.get(name.as_str()) {
                Some(t) if coded => Some(t.clone()),
                Some(_) => {
                    cx.at(name, "a table needs a `<code>` placeholder in the template");
                    None
                }
                None => {
                    cx.at(
                        name,
                        format!(
                            "unknown table `{}`{}",
                            name.value,
                            crate::suggest::did_you_mean(name, scope.tables.keys())
                        ),
                    );
                    None
                }
            },
            None => None,
        };
        let text = template.literal_prefix().trim_end().to_owned();
        if results.iter().any(|r: &ResultCode| r.text == text) {
            cx.at(&result.template, format!("result `{text}` is listed twice"));
        }
        results.push(ResultCode {
            text,
            coded,
            kind: result.kind,
            table,
            doc: result.doc.clone(),
        });
    }
    let mut prompts = spec.prompts.clone();
    let mut dependency_urc_prefixes = Vec::new();
    for dep in deps {
        for inherited in &dep.dialect.results {
            if !results.iter().any(|r| r.text == inherited.text) {
                // A dependency's table is not part of this crate: keep the code, drop the lookup.
                results.push(ResultCode {
                    table: None,
                    ..inherited.clone()
                });
            }
        }
        for prompt in &dep.dialect.prompts {
            if !prompts.iter().any(|p| p.text.value == prompt.text.value) {
                prompts.push(prompt.clone());
            }
        }
        dependency_urc_prefixes.extend(
            dep.modules
                .iter()
                .flat_map(|m| &m.urcs)
                .map(|u| u.template.literal_prefix()),
        );
        dependency_urc_prefixes.extend(dep.dialect.dependency_urc_prefixes.iter().cloned());
    }
    let string_escape = match &spec.string_escape {
        Some(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_punctuation() => Some(c),
                _ => {
                    cx.at(
                        text,
                        "`string_escape` is a single ASCII punctuation character, for example `\\`",
                    );
                    None
                }
            }
        }
        None => None,
    };
    let accepts = command_tolerance::resolve_accepts(cx, spec.accepts.as_deref(), deps);
    Dialect {
        string_escape,
        accepts,
        terminator: spec.terminator.clone().unwrap_or_else(|| "\r".to_owned()),
        max_command_length: spec.max_command_length.as_ref().map(|m| m.value),
        results,
        prompts,
        dependency_urc_prefixes,
        notes: spec.notes.clone(),
    }
}
