//! Parsing code: the statements that read a command line, response line or URC
//! by its template with a `LineParser`, and the prefix that recognises a line.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::{count_type, element, field_ident, int, stored};
use crate::ir::{Field, FieldType, IntType, TableRef};
use crate::model::{Quoting, TableKind};
use crate::template::{Piece, Template, alternatives};

pub use crate::urc_order::match_prefix;

/// The prefix several lines' shared rule recognises them by: the longest common
/// start of their [`match_prefix`]es (`+X:` for `+X: <len>` and `+X: DATA,<len>`).
pub fn common_prefix<'a>(templates: impl IntoIterator<Item = &'a Template>) -> String {
    let mut common: Option<String> = None;
    for template in templates {
        let prefix = match_prefix(template);
        common = Some(match common {
            None => prefix,
            Some(so_far) => so_far
                .char_indices()
                .zip(prefix.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(String::new(), |((at, c), _)| {
                    so_far[..at + c.len_utf8()].to_owned()
                }),
        });
    }
    common.unwrap_or_default()
}

/// How parse code leaves a group when a piece does not match.
#[derive(Clone)]
enum OnFail {
    Return,
    Break(syn::Lifetime),
    /// Leave an alternative with the error (`break 'label Err(e)`).
    BreakErr(syn::Lifetime),
}

/// Statements that parse `template` with the `LineParser` named `p`, binding one
/// local per field (`T`, `Option<T>` or `Vec<T>`). `command`: the template is a
/// command syntax, read by a command-line parser (a quoted string that nothing can
/// follow is then read to the end of the line when it comes bare).
pub fn parse_body(
    template: &Template,
    fields: &[Field],
    package: &str,
    escape: Option<char>,
    command: bool,
) -> TokenStream {
    let mut counter = 0usize;
    let cx = Fields {
        fields,
        package,
        escape,
        command,
    };
    let top = Place {
        group: None,
        last: true,
    };
    if let Some(alternatives) = alternatives(template) {
        return alternatives_body(&alternatives, cx, &mut counter);
    }
    let decls = slot_decls(fields, package, false);
    let body = sequence(
        &template.pieces,
        cx,
        &format_ident!("p"),
        &OnFail::Return,
        &mut counter,
        top,
    );
    quote!(#decls #body)
}

/// The locals of the optional and repeated fields, unset.
fn slot_decls(fields: &[Field], package: &str, maybe_unused: bool) -> TokenStream {
    let allow = maybe_unused.then(|| quote!(#[allow(unused_mut, unused_assignments)]));
    fields
        .iter()
        .filter(|f| f.usage.optional || f.usage.repeated)
        .map(|f| {
            let name = field_ident(f);
            let ty = stored(f, package);
            let init = if f.usage.repeated {
                quote!(Vec::new())
            } else {
                quote!(None)
            };
            quote!(#allow let mut #name: #ty = #init;)
        })
        .collect()
}

/// A template with groups that need backtracking (see `template::alternatives`):
/// each alternative reads the whole line with a clone of `p`, in order; the first
/// that reads to the end gives the fields, and when none does the error is the
/// first alternative's (the one with the most text).
fn alternatives_body(
    alternatives: &[Vec<Piece>],
    cx: Fields<'_>,
    counter: &mut usize,
) -> TokenStream {
    let names: Vec<Ident> = cx.fields.iter().map(field_ident).collect();
    let attempts: Vec<TokenStream> = alternatives
        .iter()
        .map(|pieces| {
            *counter += 1;
            let label =
                syn::Lifetime::new(&format!("'alt{counter}"), proc_macro2::Span::call_site());
            let decls = slot_decls(cx.fields, cx.package, true);
            let body = sequence(
                pieces,
                cx,
                &format_ident!("p"),
                &OnFail::BreakErr(label.clone()),
                counter,
                Place {
                    group: None,
                    last: true,
                },
            );
            quote! {
                #label: {
                    let mut p = p.clone();
                    #decls
                    #body
                    if let Err(e) = p.end() {
                        break #label Err(e);
                    }
                    Ok(((#(#names,)*), p))
                }
            }
        })
        .collect();
    // Each later alternative runs only when the earlier ones failed, and keeps
    // their first error.
    let (first, others) = attempts.split_first().expect("at least two alternatives");
    let retries = others.iter().map(|attempt| {
        quote! {
            let read = match read {
                Ok(found) => Ok(found),
                Err(first) => {
                    let again = #attempt;
                    again.map_err(|_| first)
                }
            };
        }
    });
    quote! {
        let read = #first;
        #(#retries)*
        let ((#(#names,)*), rest) = read?;
        p = rest;
    }
}

/// What field reads need besides the piece being read.
#[derive(Clone, Copy)]
struct Fields<'a> {
    fields: &'a [Field],
    package: &'a str,
    escape: Option<char>,
    /// The template is a command syntax.
    command: bool,
}

/// Where a sequence of pieces stands.
#[derive(Clone, Copy)]
struct Place<'a> {
    /// The parser of the enclosing group, if any.
    group: Option<&'a Ident>,
    /// Nothing can follow the sequence on the line.
    last: bool,
}

/// Parse code for `pieces` with parser `p`. Fields at this level are assigned to
/// the locals `parse_body` declares (`Some(..)` into Option slots) when inside a group.
fn sequence(
    pieces: &[Piece],
    cx: Fields<'_>,
    p: &Ident,
    on_fail: &OnFail,
    counter: &mut usize,
    place: Place<'_>,
) -> TokenStream {
    let (fields, package, escape) = (cx.fields, cx.package, cx.escape);
    let group = place.group;
    let mut out = TokenStream::new();
    for (index, piece) in pieces.iter().enumerate() {
        let last = place.last && index + 1 == pieces.len();
        match piece {
            Piece::Literal(text) => {
                let step = quote!(#p.literal(#text));
                out.extend(fail_or(step, on_fail, false));
            }
            Piece::Field { name, .. } => {
                let Some(field) = fields.iter().find(|f| &f.spec.name.value == name) else {
                    continue;
                };
                let ident = field_ident(field);
                let to_end = cx.command && last;
                let read = fail_or(read_field(field, package, escape, p, to_end), on_fail, true);
                out.extend(match (group, field.usage.repeated, field.usage.optional) {
                    (None, false, false) => quote!(let #ident = #read;),
                    (_, true, _) => quote!(#ident.push(#read);),
                    (_, false, _) => quote!(#ident = Some(#read);),
                });
            }
            Piece::Optional(inner) => {
                *counter += 1;
                let label =
                    syn::Lifetime::new(&format!("'group{counter}"), proc_macro2::Span::call_site());
                let q = format_ident!("q{counter}");
                let inner_fields: Vec<&Field> = Template {
                    pieces: inner.clone(),
                }
                .fields()
                .iter()
                .filter_map(|u| fields.iter().find(|f| f.spec.name.value == u.name))
                .collect();
                // Parse with a clone of the parser; on failure, undo what the group
                // stored (each field occurs once, so an optional one was still unset,
                // and a repeated one only grew).
                let saves = inner_fields.iter().filter(|f| f.usage.repeated).map(|f| {
                    let name = field_ident(f);
                    let saved = format_ident!("saved_{}", name);
                    quote!(let #saved = #name.len();)
                });
                let restores = inner_fields.iter().map(|f| {
                    let name = field_ident(f);
                    let saved = format_ident!("saved_{}", name);
                    if f.usage.repeated {
                        quote!(#name.truncate(#saved);)
                    } else {
                        quote!(#name = None;)
                    }
                });
                let body = sequence(
                    inner,
                    cx,
                    &q,
                    &OnFail::Break(label.clone()),
                    counter,
                    Place {
                        group: Some(&q),
                        last,
                    },
                );
                out.extend(quote! {
                    {
                        #(#saves)*
                        let mut #q = #p.clone();
                        let matched = #label: {
                            #body
                            break #label true;
                        };
                        if matched {
                            #p = #q;
                        } else {
                            #(#restores)*
                        }
                    }
                });
            }
            Piece::Repeat(inner) => {
                *counter += 1;
                let label =
                    syn::Lifetime::new(&format!("'group{counter}"), proc_macro2::Span::call_site());
                let q = format_ident!("q{counter}");
                // Another repetition may follow.
                let body = sequence(
                    inner,
                    cx,
                    &q,
                    &OnFail::Break(label.clone()),
                    counter,
                    Place {
                        group: Some(&q),
                        last: false,
                    },
                );
                out.extend(quote! {
                    loop {
                        let mut #q = #p.clone();
                        let before = #q.remaining();
                        let matched = #label: {
                            #body
                            break #label true;
                        };
                        if !matched || #q.remaining() == before {
                            break;
                        }
                        #p = #q;
                    }
                });
            }
        }
    }
    out
}

/// Wraps a fallible step: `?` at top level, `break 'label false` inside a group.
fn fail_or(step: TokenStream, on_fail: &OnFail, value: bool) -> TokenStream {
    match (on_fail, value) {
        (OnFail::Return, true) => quote!(#step?),
        (OnFail::Return, false) => quote!(#step?;),
        (OnFail::Break(label), true) => {
            quote!(match #step { Ok(v) => v, Err(_) => break #label false })
        }
        (OnFail::Break(label), false) => quote!(if #step.is_err() { break #label false; }),
        (OnFail::BreakErr(label), true) => {
            quote!(match #step { Ok(v) => v, Err(e) => break #label Err(e) })
        }
        (OnFail::BreakErr(label), false) => {
            quote!(if let Err(e) = #step { break #label Err(e); })
        }
    }
}

/// Expression reading one field with parser `p`, of type `Result<T, ParseError>`.
/// `to_end`: a plain string that may come bare takes the rest of the line.
fn read_field(
    field: &Field,
    package: &str,
    escape: Option<char>,
    p: &Ident,
    to_end: bool,
) -> TokenStream {
    let name = field.spec.name.value.as_str();
    let quoting = quoting(field.quoting);
    let to_end = to_end && field.quoting == Quoting::Always;
    match &field.ty {
        FieldType::Int { ty, .. } => number(p, *ty, name, field.quoting),
        FieldType::Count { .. } => number(p, count_type(field), name, field.quoting),
        FieldType::String => match (&field.spec.non_ascii_prefix, escape) {
            (Some(prefix), _) => quote!(#p.string_non_ascii(#name, #quoting, #prefix)),
            (None, Some(escape)) if field.quoting != Quoting::Never => {
                quote!(#p.string_escaped(#name, #quoting, #escape))
            }
            (None, _) if to_end => quote!(#p.string_to_end(#name, #quoting)),
            (None, _) => quote!(#p.string(#name, #quoting)),
        },
        FieldType::Text => quote!(Ok::<_, ::atspec::ParseError>(#p.rest())),
        FieldType::Enum(t) => {
            let path = element(field, package);
            enum_read(t, &path, name, field.quoting, p, to_end)
        }
    }
}

/// Reads an integer of type `ty`; a number that may come quoted reads its quotes.
fn number(p: &Ident, ty: IntType, name: &str, quoting: Quoting) -> TokenStream {
    let rust = int(ty);
    match (ty.unsigned(), quoting) {
        (true, Quoting::Never) => quote!(#p.uint::<#rust>(#name)),
        (false, Quoting::Never) => quote!(#p.int::<#rust>(#name)),
        (true, q) => {
            let q = self::quoting(q);
            quote!(#p.uint_quoted::<#rust>(#name, #q))
        }
        (false, q) => {
            let q = self::quoting(q);
            quote!(#p.int_quoted::<#rust>(#name, #q))
        }
    }
}

fn enum_read(
    t: &TableRef,
    path: &TokenStream,
    name: &str,
    field_quoting: Quoting,
    p: &Ident,
    to_end: bool,
) -> TokenStream {
    let quoting = quoting(field_quoting);
    match t.kind {
        TableKind::Int => {
            let code = number(p, t.raw, name, field_quoting);
            quote!(#code.map(#path::from_code))
        }
        TableKind::Text if to_end => {
            quote!(#p.string_to_end(#name, #quoting).map(|text| #path::from_text(&text)))
        }
        TableKind::Text => quote!(#p.string(#name, #quoting).map(|text| #path::from_text(&text))),
    }
}

/// Tokens of a `Quoting` value.
pub fn quoting(q: Quoting) -> TokenStream {
    match q {
        Quoting::Always => quote!(::atspec::parse::Quoting::Always),
        Quoting::Never => quote!(::atspec::parse::Quoting::Never),
        Quoting::Optional => quote!(::atspec::parse::Quoting::Optional),
    }
}
