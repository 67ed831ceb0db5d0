//! Raw payloads announced by a line: the `PayloadRule` that tells the framer
//! how many bytes follow the line and where.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::template_parse::{common_prefix, match_prefix, quoting};
use crate::ir::{Command, FieldType, Line};
use crate::model::{PlacementSpec, TableKind};
use crate::template::{Piece, every_choice};

/// `AtCommand::PAYLOAD`, for a command with a response line that announces a payload.
/// Several such lines are the members of one `one_of` group (the resolver refuses
/// any other second payload line): they start alike and place their bytes alike, and
/// the rule's length function reads the header as each member in turn.
pub(super) fn payload_rule(c: &Command) -> TokenStream {
    let mut announcing: Vec<&Line> = c
        .response
        .iter()
        .filter(|l| l.spec.payload.is_some())
        .collect();
    let rule = match announcing.as_slice() {
        [] => return quote!(),
        [one] => announced_payload(one),
        [lead, ..] => {
            let placement = placement(lead);
            let prefix = common_prefix(announcing.iter().map(|l| &l.template));
            // The most fixed text first, as the response parser tries them.
            announcing.sort_by_key(|l| std::cmp::Reverse(l.template.literal_len()));
            let shapes = announcing.iter().filter_map(|l| announced_payload(l));
            Some(quote! {
                ::atspec::PayloadRule {
                    prefix: #prefix,
                    placement: #placement,
                    length: |line| {
                        // Each rule's `length` is a `PayloadLength` function pointer.
                        let shapes = [#((#shapes).length),*];
                        let mut refused = None;
                        for shape in shapes {
                            match shape(line) {
                                Ok(found) => return Ok(found),
                                Err(e) => {
                                    refused.get_or_insert(e);
                                }
                            }
                        }
                        Err(refused.unwrap_or_else(|| ::atspec::ParseError::new(line, 0, "a payload header")))
                    },
                }
            })
        }
    };
    match rule {
        Some(rule) => quote!(const PAYLOAD: Option<::atspec::PayloadRule> = Some(#rule);),
        None => quote!(),
    }
}

fn placement(line: &Line) -> TokenStream {
    match line.spec.payload.as_ref().map(|p| p.placement) {
        Some(PlacementSpec::SameLine) => quote!(::atspec::Placement::SameLine),
        _ => quote!(::atspec::Placement::NextLine),
    }
}

/// The `PayloadRule` of a line whose spec announces a payload.
pub(super) fn announced_payload(line: &Line) -> Option<TokenStream> {
    let payload = line.spec.payload.as_ref()?;
    Some(length_rule(line, &payload.length.value, placement(line)))
}

/// A `PayloadRule` whose length function parses `line` only up to its field
/// `length`, so the same code serves a payload that follows on the same line.
pub(super) fn length_rule(line: &Line, length: &str, placement: TokenStream) -> TokenStream {
    let prefix = match_prefix(&line.template);
    let pieces = &line.template.pieces;
    let header = pieces
        .iter()
        .position(|p| matches!(p, Piece::Field { name, .. } if name == length))
        .map_or(pieces.as_slice(), |at| &pieces[..=at]);
    let body = if header.iter().any(|p| matches!(p, Piece::Optional(_))) {
        // Optional text before the length (`+X: [DATA,]<len>`): try each reading.
        let tries = every_choice(header)
            .into_iter()
            .enumerate()
            .map(|(n, choice)| {
                let label =
                    syn::Lifetime::new(&format!("'header{n}"), proc_macro2::Span::call_site());
                let steps = header_steps(line, &choice, length, Some(&label));
                quote! {
                    #label: {
                        let mut p = ::atspec::LineParser::new(line);
                        #steps
                    }
                }
            });
        quote! {
            #(#tries)*
            Err(::atspec::ParseError::new(line, 0, #length))
        }
    } else {
        let steps = header_steps(line, pieces, length, None);
        quote! {
            let mut p = ::atspec::LineParser::new(line);
            #steps
            #[allow(unreachable_code)]
            Err(::atspec::ParseError::new(line, 0, #length))
        }
    };
    quote! {
        ::atspec::PayloadRule {
            prefix: #prefix,
            placement: #placement,
            length: |line| {
                #body
            },
        }
    }
}

/// Steps reading `pieces` up to the length field, which returns. A failing step
/// returns the error, or leaves the block `label` (one reading of optional text).
fn header_steps(
    line: &Line,
    pieces: &[Piece],
    length: &str,
    label: Option<&syn::Lifetime>,
) -> TokenStream {
    let fallible = |step: TokenStream| match label {
        None => quote!(#step?),
        Some(label) => quote!(match #step { Ok(v) => v, Err(_) => break #label }),
    };
    let mut steps = TokenStream::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => {
                let step = fallible(quote!(p.literal(#text)));
                steps.extend(quote!(#step;));
            }
            Piece::Field { name, .. } if name == length => {
                steps.extend(length_read(line, name, &fallible));
                break;
            }
            Piece::Field { name, .. } => {
                let Some(field) = line.fields.iter().find(|f| &f.spec.name.value == name) else {
                    continue;
                };
                let q = quoting(field.quoting);
                let read = match &field.ty {
                    FieldType::Int { .. } | FieldType::Count { .. } => {
                        quote!(p.int::<i64>(#name))
                    }
                    FieldType::Enum(t) if t.kind == TableKind::Int => quote!(p.int::<i64>(#name)),
                    _ => quote!(p.string(#name, #q)),
                };
                let step = fallible(read);
                steps.extend(quote!(#step;));
            }
            _ => break,
        }
    }
    steps
}

/// Reads the length field and returns it, refusing a value below the field's `min`
/// and the end marker: such a line announces no bytes (see `atspec::PayloadLength`).
/// The field's `max` is not applied: a payload longer than the manual's maximum still
/// arrives, and reading its bytes as lines would corrupt them.
fn length_read(
    line: &Line,
    name: &str,
    fallible: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
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
    let read = fallible(quote!(p.uint::<usize>(#name)));
    if marker.is_none() && min.is_none() {
        return quote!(return Ok((#read, p.offset())););
    }
    quote! {
        let at = p.offset();
        let len = #read;
        #marker
        #min
        return Ok((len, p.offset()));
    }
}
