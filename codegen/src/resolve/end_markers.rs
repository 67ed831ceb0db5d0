//! `payload.end_marker` on the data line of a completion: a chunk header whose
//! length says "the transfer is over" (`+X: 0` after `+X: <n>` chunks) is the
//! completion, not an empty chunk.

use std::collections::BTreeSet;

use super::Cx;
use super::line_match::line_matches;
use crate::ir::Line;
use crate::load::SpecFile;
use crate::model::{Located, ModuleSpec};
use crate::template::Piece;

/// The line an end marker stands for, when the data line's template is literal
/// text around its length field only (`+X: <len>` with marker 0 gives `+X: 0`).
pub(super) fn marker_line(data: &Line) -> Option<String> {
    let payload = data.spec.payload.as_ref()?;
    let marker = payload.end_marker.as_ref()?;
    let mut text = String::new();
    for piece in &data.template.pieces {
        match piece {
            Piece::Literal(literal) => text.push_str(literal),
            Piece::Field { name, .. } if *name == payload.length.value => {
                text.push_str(&marker.value.to_string());
            }
            _ => return None,
        }
    }
    Some(text)
}

/// A command's completion reads the end marker of its data line: otherwise the
/// marker could end nothing. Reported at the command's `completion.data` (`at`), in
/// the file being checked.
pub(super) fn check_marker_completes(
    cx: &mut Cx<'_>,
    at: &Located<String>,
    data: &Line,
    completion: &Line,
) {
    if let Some(text) = marker_line(data)
        && !line_matches(completion, &text)
    {
        cx.at(
            at,
            format!(
                "the end marker line `{text}` of `{}` is not a `{}` line, so it cannot complete the command",
                data.spec.name.value, completion.spec.template.value
            ),
        );
    }
}

/// URCs of one module file that declare an end marker but that no command form
/// or variant of the package names as its `completion.data`.
pub(super) fn check_markers_used(
    cx: &mut Cx<'_>,
    urcs: &[Line],
    modules: &[(SpecFile, ModuleSpec)],
) {
    let named: BTreeSet<&str> = modules
        .iter()
        .flat_map(|(_, m)| &m.commands)
        .flat_map(|c| [&c.test, &c.read, &c.write, &c.exec])
        .flatten()
        .flat_map(|form| {
            let variants = form.variants.iter().filter_map(|v| v.completion.as_ref());
            form.completion.iter().chain(variants)
        })
        .filter_map(|c| c.data.as_ref().map(|d| d.value.as_str()))
        .collect();
    for urc in urcs {
        let Some(marker) = urc
            .spec
            .payload
            .as_ref()
            .and_then(|p| p.end_marker.as_ref())
        else {
            continue;
        };
        if !named.contains(urc.spec.name.value.as_str()) {
            cx.at(
                marker,
                format!(
                    "`end_marker` only matters on the data line of a completion, and no `completion.data` names `{}`",
                    urc.spec.name.value
                ),
            );
        }
    }
}
