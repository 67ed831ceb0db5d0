//! A command's response: its type, the body of `parse_response`, and the
//! redaction of secrets in its information lines.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{code, doc};
use crate::emit::types::field_ident;
use crate::ir::{Command, FieldType, Line};
use crate::model::RepeatSpec;

/// `redact_response_line` for a command whose prefixed response lines have secret
/// string fields: the line re-encoded with those values as `***`, or only its prefix
/// when it does not parse (a secret may still be in it).
pub(super) fn redact_response_line(prefixed: &[&Line]) -> TokenStream {
    let tries: Vec<TokenStream> = prefixed
        .iter()
        .filter_map(|line| {
            let hides: Vec<TokenStream> = line
                .fields
                .iter()
                .filter(|f| f.spec.secret && matches!(f.ty, FieldType::String))
                .map(|f| {
                    let name = field_ident(f);
                    match (f.usage.repeated, f.usage.optional) {
                        (true, _) => quote! {
                            for value in &mut v.#name {
                                *value = "***".to_owned();
                            }
                        },
                        (false, true) => quote! {
                            if let Some(value) = v.#name.as_mut() {
                                *value = "***".to_owned();
                            }
                        },
                        (false, false) => quote!(v.#name = "***".to_owned();),
                    }
                })
                .collect();
            if hides.is_empty() {
                return None;
            }
            let ty = format_ident!("{}", line.ident);
            Some(quote! {
                if ::atspec::parse::starts_like(line, #ty::PREFIX) {
                    let mut out = Vec::new();
                    match #ty::parse(line) {
                        Ok(mut v) => {
                            #(#hides)*
                            v.encode(&mut out);
                        }
                        Err(_) => {
                            out.extend_from_slice(#ty::PREFIX.as_bytes());
                            out.extend_from_slice(b"***");
                        }
                    }
                    return Some(out);
                }
            })
        })
        .collect();
    if tries.is_empty() {
        return quote!();
    }
    quote! {
        fn redact_response_line(line: &[u8]) -> Option<Vec<u8>> {
            #(#tries)*
            None
        }
    }
}

/// The response type, any extra item defining it, and the body of `parse_response`.
pub(super) fn response(c: &Command) -> (TokenStream, TokenStream, TokenStream) {
    let no_more = quote! {
        if let Some(extra) = lines.get(index) {
            return Err(::atspec::ParseError::new(extra, 0, "no further information line"));
        }
    };
    let entries = crate::ir::response_entries(&c.response);
    if entries
        .iter()
        .any(|e| matches!(e, crate::ir::ResponseEntry::OneOf(..)))
    {
        return super::one_of::response(c, &entries, &no_more);
    }
    match c.response.as_slice() {
        [] => (
            quote!(()),
            quote!(),
            quote! {
                let index = 0;
                #no_more
                Ok(())
            },
        ),
        [only] if only.spec.repeat.unwrap_or(RepeatSpec::One) == RepeatSpec::One => {
            let ty = format_ident!("{}", only.ident);
            let template = &only.spec.template.value;
            let read = if only.spec.absent.is_some() {
                quote! {
                    let (value, index) = match lines.first() {
                        Some(first) if ::atspec::parse::starts_like(first, #ty::PREFIX) => (#ty::parse(first)?, 1),
                        _ => (#ty::parse(#ty::ABSENT)?, 0),
                    };
                }
            } else {
                quote! {
                    let Some(first) = lines.first() else {
                        return Err(::atspec::ParseError::new(b"", 0, concat!("the line `", #template, "`")));
                    };
                    let value = #ty::parse(first)?;
                    let index = 1;
                }
            };
            (
                quote!(#ty),
                quote!(),
                quote! {
                    #read
                    #no_more
                    Ok(value)
                },
            )
        }
        lines => {
            let ident = format_ident!("{}Response", c.ident);
            let fields = lines.iter().map(line_field);
            let steps = lines.iter().map(parse_step);
            let names = lines
                .iter()
                .map(|l| format_ident!("{}", crate::names::field(&l.spec.name)));
            let docs = doc(&[format!("Information lines of [`{}`].", c.ident)]);
            (
                quote!(#ident),
                quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, Eq)]
                    pub struct #ident {
                        #(#fields)*
                    }
                },
                quote! {
                    let mut index = 0;
                    #(#steps)*
                    #no_more
                    Ok(#ident { #(#names),* })
                },
            )
        }
    }
}

/// The response struct's field for a line.
pub(super) fn line_field(l: &Line) -> TokenStream {
    let name = format_ident!("{}", crate::names::field(&l.spec.name));
    let ty = format_ident!("{}", l.ident);
    let doc = doc(&[format!("{} ({})", l.spec.doc, code(&l.spec.template))]);
    match l.spec.repeat.unwrap_or(RepeatSpec::One) {
        RepeatSpec::One => quote!(#doc pub #name: #ty,),
        RepeatSpec::Optional => quote!(#doc pub #name: Option<#ty>,),
        RepeatSpec::Many => quote!(#doc pub #name: Vec<#ty>,),
    }
}

/// The statements reading one line of a response at `index`.
pub(super) fn parse_step(line: &Line) -> TokenStream {
    let name = format_ident!("{}", crate::names::field(&line.spec.name));
    let ty = format_ident!("{}", line.ident);
    let template = &line.spec.template.value;
    match line.spec.repeat.unwrap_or(RepeatSpec::One) {
        RepeatSpec::One if line.spec.absent.is_some() => quote! {
            let #name = match lines.get(index) {
                Some(current) if ::atspec::parse::starts_like(current, #ty::PREFIX) => {
                    index += 1;
                    #ty::parse(current)?
                }
                _ => #ty::parse(#ty::ABSENT)?,
            };
        },
        RepeatSpec::One => quote! {
            let Some(current) = lines.get(index) else {
                return Err(::atspec::ParseError::new(b"", 0, concat!("the line `", #template, "`")));
            };
            let #name = #ty::parse(current)?;
            index += 1;
        },
        RepeatSpec::Optional => quote! {
            let #name = match lines.get(index).map(|l| #ty::parse(l)) {
                Some(Ok(value)) => {
                    index += 1;
                    Some(value)
                }
                _ => None,
            };
        },
        RepeatSpec::Many => quote! {
            let mut #name = Vec::new();
            while let Some(Ok(value)) = lines.get(index).map(|l| #ty::parse(l)) {
                #name.push(value);
                index += 1;
            }
        },
    }
}
