//! Responses with `one_of` groups: an enum per group saying which of its lines
//! arrived, and the parse step that picks it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::response::{line_field, parse_step};
use crate::emit::docs::{code, doc};
use crate::ir::{Command, Line, ResponseEntry};

/// The response type, its items and the body of `parse_response`, for a response
/// with at least one `one_of` group. A response that is one group is its enum.
pub(super) fn response(
    c: &Command,
    entries: &[ResponseEntry<'_>],
    no_more: &TokenStream,
) -> (TokenStream, TokenStream, TokenStream) {
    let mut items = TokenStream::new();
    let mut fields = Vec::new();
    let mut steps = Vec::new();
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            ResponseEntry::Line(line) => {
                fields.push(line_field(line));
                steps.push(parse_step(line));
                names.push(format_ident!("{}", crate::names::field(&line.spec.name)));
            }
            ResponseEntry::OneOf(group, members) => {
                let ty = enum_ident(c, group);
                items.extend(group_enum(c, group, members));
                let name = format_ident!("{}", crate::names::field(group));
                let doc = doc(&[format!(
                    "Which of {} arrived.",
                    alternatives_text(members, true)
                )]);
                fields.push(quote!(#doc pub #name: #ty,));
                steps.push(group_step(&ty, &name, members));
                names.push(name);
            }
        }
    }
    if let [ResponseEntry::OneOf(group, _)] = entries {
        let ty = enum_ident(c, group);
        let step = &steps[0];
        let name = &names[0];
        return (
            quote!(#ty),
            items,
            quote! {
                let mut index = 0;
                #step
                #no_more
                Ok(#name)
            },
        );
    }
    let ident = format_ident!("{}Response", c.ident);
    let docs = doc(&[format!("Information lines of [`{}`].", c.ident)]);
    items.extend(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #ident {
            #(#fields)*
        }
    });
    (
        quote!(#ident),
        items,
        quote! {
            let mut index = 0;
            #(#steps)*
            #no_more
            Ok(#ident { #(#names),* })
        },
    )
}

/// `<Command>Response<Group>`: distinct from line structs and `<Command>Response`.
fn enum_ident(c: &Command, group: &str) -> proc_macro2::Ident {
    format_ident!("{}Response{}", c.ident, crate::names::pascal(group))
}

/// The members in the order they are tried: the most fixed text first, so that
/// `+X: DATA,<len>` is not taken for a looser shape; declaration order otherwise.
fn by_specificity<'a>(members: &[&'a Line]) -> Vec<&'a Line> {
    let mut ordered = members.to_vec();
    ordered.sort_by_key(|l| std::cmp::Reverse(l.template.literal_len()));
    ordered
}

/// "`a`, `b` or `c`" (in code spans for docs, plain for error messages).
fn alternatives_text(members: &[&Line], docs: bool) -> String {
    let shown: Vec<String> = members
        .iter()
        .map(|l| {
            if docs {
                code(&l.spec.template)
            } else {
                format!("`{}`", l.spec.template.value)
            }
        })
        .collect();
    match shown.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn group_enum(c: &Command, group: &str, members: &[&Line]) -> TokenStream {
    let ty = enum_ident(c, group);
    let docs = doc(&[format!(
        "The line of [`{}`]'s response that arrived: exactly one of {}.",
        c.ident,
        alternatives_text(members, true)
    )]);
    let variants = members.iter().map(|l| {
        let variant = format_ident!("{}", l.ident);
        let doc = doc(&[format!("{} ({})", l.spec.doc, code(&l.spec.template))]);
        quote!(#doc #variant(#variant),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum #ty {
            #(#variants)*
        }
    }
}

/// Reads the next line as the first member that parses it; no line, or a line no
/// member parses, is an error naming every member.
fn group_step(
    ty: &proc_macro2::Ident,
    name: &proc_macro2::Ident,
    members: &[&Line],
) -> TokenStream {
    let expected = format!("one of the lines {}", alternatives_text(members, false));
    let tries = by_specificity(members).into_iter().map(|l| {
        let variant = format_ident!("{}", l.ident);
        quote! {
            if let Ok(value) = #variant::parse(current) {
                #ty::#variant(value)
            } else
        }
    });
    quote! {
        let Some(current) = lines.get(index) else {
            return Err(::atspec::ParseError::new(b"", 0, #expected));
        };
        index += 1;
        let #name = #(#tries)* {
            return Err(::atspec::ParseError::new(current, 0, #expected));
        };
    }
}
