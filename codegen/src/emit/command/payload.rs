//! Raw payloads announced by a line: the `PayloadRule` that tells the framer
//! how many bytes follow the line and where.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::template_parse::{match_prefix, quoting};
use crate::ir::{Command, FieldType, Line};
use crate::model::{PlacementSpec, TableKind};
use crate::template::Piece;

/// `AtCommand::PAYLOAD`, for a command with a response line that announces a payload.
pub(super) fn payload_rule(c: &Command) -> TokenStream {
    match c.response.iter().find_map(announced_payload) {
        Some(rule) => quote!(const PAYLOAD: Option<::atspec::PayloadRule> = Some(#rule);),
        None => quote!(),
    }
}

/// The `PayloadRule` of a line whose spec announces a payload.
pub(super) fn announced_payload(line: &Line) -> Option<TokenStream> {
    let payload = line.spec.payload.as_ref()?;
    let placement = match payload.placement {
        PlacementSpec::NextLine => quote!(::atspec::Placement::NextLine),
        PlacementSpec::SameLine => quote!(::atspec::Placement::SameLine),
    };
    Some(length_rule(line, &payload.length.value, placement))
}

/// A `PayloadRule` whose length function parses `line` only up to its field
/// `length`, so the same code serves a payload that follows on the same line.
pub(super) fn length_rule(line: &Line, length: &str, placement: TokenStream) -> TokenStream {
    let prefix = match_prefix(&line.template);
    let mut steps = TokenStream::new();
    for piece in &line.template.pieces {
        match piece {
            Piece::Literal(text) => steps.extend(quote!(p.literal(#text)?;)),
            Piece::Field { name, .. } if name == length => {
                steps.extend(length_read(line, name));
                break;
            }
            Piece::Field { name, .. } => {
                let Some(field) = line.fields.iter().find(|f| &f.spec.name.value == name) else {
                    continue;
                };
                let q = quoting(field.quoting);
                steps.extend(match &field.ty {
                    FieldType::Int { .. } | FieldType::Count { .. } => {
                        quote!(p.int::<i64>(#name)?;)
                    }
                    FieldType::Enum(t) if t.kind == TableKind::Int => quote!(p.int::<i64>(#name)?;),
                    _ => quote!(p.string(#name, #q)?;),
                });
            }
            _ => break,
        }
    }
    quote! {
        ::atspec::PayloadRule {
            prefix: #prefix,
            placement: #placement,
            length: |line| {
                let mut p = ::atspec::LineParser::new(line);
                #steps
                #[allow(unreachable_code)]
                Err(::atspec::ParseError::new(line, 0, #length))
            },
        }
    }
}

/// Reads the length field and returns it, refusing a value below the field's `min`
/// and the end marker: such a line announces no bytes (see `atspec::PayloadLength`).
/// The field's `max` is not applied: a payload longer than the manual's maximum still
/// arrives, and reading its bytes as lines would corrupt them.
fn length_read(line: &Line, name: &str) -> TokenStream {
    let min = line
        .fields
        .iter()
        .find(|f| f.spec.name.value == name)
        .and_then(|f| match f.ty {
            FieldType::Int { min, .. } if min > 0 => Some(min as u64),
            _ => None,
        });
    let marker = line
        .spec
        .payload
        .as_ref()
        .and_then(|p| p.end_marker.as_ref())
        .map(|m| {
            let m = m.value;
            let text = format!("a chunk length other than the end marker {m}");
            quote! {
                if len as u64 == #m {
                    return Err(::atspec::ParseError::new(line, at, #text));
                }
            }
        });
    let min = min.map(|min| {
        let text = format!("payload length `{name}` of at least {min}");
        quote! {
            if (len as u64) < #min {
                return Err(::atspec::ParseError::new(line, at, #text));
            }
        }
    });
    if marker.is_none() && min.is_none() {
        return quote!(return Ok((p.uint::<usize>(#name)?, p.offset())););
    }
    quote! {
        let at = p.offset();
        let len = p.uint::<usize>(#name)?;
        #marker
        #min
        return Ok((len, p.offset()));
    }
}
