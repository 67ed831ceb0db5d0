//! Encoding code: the statements that write a command line, response line or
//! URC from its template with a `CommandWriter` named `w`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::presence::presence;
use super::types::field_ident;
use crate::ir::{Field, FieldType};
use crate::model::{Quoting, TableKind};
use crate::template::{Piece, Template};

/// Statements writing the command line with `w`.
pub fn encode_body(
    template: &Template,
    params: &[Field],
    redact: bool,
    escape: Option<char>,
) -> TokenStream {
    let writer = Writer {
        params,
        redact,
        escape,
        stored_counts: false,
    };
    writer.pieces(&template.pieces, &[])
}

/// Statements writing a response line or URC (`self` holds every field, counts
/// included) with `w`.
pub fn line_encode_body(template: &Template, fields: &[Field]) -> TokenStream {
    let writer = Writer {
        params: fields,
        redact: false,
        escape: None,
        stored_counts: true,
    };
    writer.pieces(&template.pieces, &[])
}

/// What encoding needs besides the template.
struct Writer<'a> {
    params: &'a [Field],
    redact: bool,
    escape: Option<char>,
    /// Counts are stored fields (lines) rather than derived from a list (commands).
    stored_counts: bool,
}

impl Writer<'_> {
    /// `bound`: fields already unwrapped into a local (`name`, local identifier).
    fn pieces(&self, list: &[Piece], bound: &[(String, proc_macro2::Ident)]) -> TokenStream {
        let params = self.params;
        let mut out = TokenStream::new();
        for piece in list {
            match piece {
                Piece::Literal(text) => out.extend(quote!(w.literal(#text);)),
                Piece::Field { name, .. } => {
                    let Some(field) = params.iter().find(|f| &f.spec.name.value == name) else {
                        continue;
                    };
                    let ident = field_ident(field);
                    if let FieldType::Count { of } = &field.ty
                        && !self.stored_counts
                    {
                        let of = format_ident!("{}", crate::names::field(of));
                        let write = quote!(w.int(self.#of.len() as u64););
                        out.extend(if field.quoting == Quoting::Never {
                            write
                        } else {
                            quote!(w.literal("\""); #write w.literal("\"");)
                        });
                    } else if let Some((_, local)) = bound.iter().find(|(b, _)| b == name) {
                        out.extend(self.write_value(field, Access::Ref(quote!(#local))));
                    } else if field.usage.optional {
                        let value = self.write_value(field, Access::Ref(quote!(value)));
                        out.extend(quote!(if let Some(value) = &self.#ident { #value }));
                    } else {
                        out.extend(self.write_value(field, Access::Place(quote!(self.#ident))));
                    }
                }
                Piece::Optional(inner) => {
                    let first = Template {
                        pieces: inner.clone(),
                    }
                    .fields()
                    .into_iter()
                    .next();
                    let Some(first) =
                        first.and_then(|u| params.iter().find(|f| f.spec.name.value == u.name))
                    else {
                        continue;
                    };
                    let direct = inner.iter().any(
                    |p| matches!(p, Piece::Field { name, .. } if *name == first.spec.name.value),
                );
                    if direct
                        && !first.usage.repeated
                        && (self.stored_counts || !matches!(first.ty, FieldType::Count { .. }))
                    {
                        // Unwrap the group's first field once; its presence is the group's.
                        let ident = field_ident(first);
                        let local = format_ident!("{}_value", first.spec.name.value);
                        let mut inner_bound = bound.to_vec();
                        inner_bound.push((first.spec.name.value.clone(), local.clone()));
                        let body = self.pieces(inner, &inner_bound);
                        out.extend(quote!(if let Some(#local) = &self.#ident { #body }));
                    } else {
                        let cond = presence(first, params, true);
                        let body = self.pieces(inner, bound);
                        out.extend(quote!(if #cond { #body }));
                    }
                }
                Piece::Repeat(inner) => {
                    let Some(first) = Template {
                        pieces: inner.clone(),
                    }
                    .fields()
                    .into_iter()
                    .next() else {
                        continue;
                    };
                    let Some(field) = params.iter().find(|f| f.spec.name.value == first.name)
                    else {
                        continue;
                    };
                    let ident = field_ident(field);
                    let mut inner_bound = bound.to_vec();
                    inner_bound.push((first.name.clone(), format_ident!("item")));
                    let body = self.pieces(inner, &inner_bound);
                    out.extend(quote!(for item in &self.#ident { #body }));
                }
            }
        }
        out
    }
}

/// How a value is reached: a place (`self.x`, type `T`) or a reference (`&T`).
enum Access {
    Place(TokenStream),
    Ref(TokenStream),
}

impl Writer<'_> {
    /// Writes one value.
    fn write_value(&self, field: &Field, access: Access) -> TokenStream {
        let redact = self.redact;
        let quoted = field.quoting != Quoting::Never;
        // `value`: the value itself; `by_ref`: a reference; `receiver`: for method calls.
        let (value, by_ref, receiver) = match access {
            Access::Place(place) => (quote!(#place), quote!(&#place), place),
            Access::Ref(reference) => (quote!(*#reference), reference.clone(), reference),
        };
        // A quoted number (`quoted: always`, or `optional` on a line, whose parser
        // takes either) goes between double quotes.
        let number = |write: TokenStream| {
            if quoted {
                quote!(w.literal("\""); #write w.literal("\"");)
            } else {
                write
            }
        };
        match &field.ty {
            FieldType::Int { .. } => number(quote!(w.int(#value);)),
            FieldType::String if redact && field.spec.secret => quote! {
                let _ = #by_ref;
                w.string("***", #quoted);
            },
            FieldType::String => match (&field.spec.non_ascii_prefix, self.escape) {
                (Some(prefix), _) => quote!(w.string_non_ascii(#by_ref, #quoted, #prefix);),
                (None, Some(escape)) if quoted => {
                    quote!(w.string_escaped(#by_ref, #quoted, #escape);)
                }
                // A line's parser takes the value bare too: a `"` in it must go bare.
                (None, _) if field.quoting == Quoting::Optional => {
                    quote!(w.string_for_line(#by_ref);)
                }
                (None, _) => quote!(w.string(#by_ref, #quoted);),
            },
            FieldType::Enum(t) if t.kind == TableKind::Int => {
                number(quote!(w.int(#receiver.code());))
            }
            FieldType::Enum(_) if field.quoting == Quoting::Optional => {
                quote!(w.string_for_line(#receiver.text());)
            }
            FieldType::Enum(_) => quote!(w.string(#receiver.text(), #quoted);),
            FieldType::Count { .. } => number(quote!(w.int(#value);)),
            FieldType::Text => quote!(w.literal(#by_ref);),
        }
    }
}
