//! The two ways to build a checked command: `new` from values and `parse` from
//! a command line, which reads the values and hands them to `new`.

use proc_macro2::TokenStream;
use quote::quote;

use super::param_checks::{check, group_checks};
use crate::emit::docs::{doc, field_doc};
use crate::emit::template_parse::parse_body;
use crate::emit::types::{field_ident, stored};
use crate::ir::{Command, Field, FieldType};

/// Constructor argument type: strings by reference.
fn arg_type(p: &Field, package: &str) -> TokenStream {
    match (&p.ty, p.usage.repeated, p.usage.optional) {
        (FieldType::String, false, false) => quote!(&str),
        (FieldType::String, false, true) => quote!(Option<&str>),
        _ => stored(p, package),
    }
}

pub(super) fn constructor(
    c: &Command,
    params: &[&Field],
    package: &str,
    escape: Option<char>,
) -> TokenStream {
    let args = params.iter().map(|p| {
        let name = field_ident(p);
        let ty = arg_type(p, package);
        quote!(#name: #ty)
    });
    let checks = params.iter().map(|p| check(p, escape));
    let groups = group_checks(&c.template.pieces, &c.params, None);
    let assigns = params.iter().map(|p| {
        let name = field_ident(p);
        match (&p.ty, p.usage.repeated, p.usage.optional) {
            (FieldType::String, false, false) => quote!(#name: #name.to_owned()),
            (FieldType::String, false, true) => quote!(#name: #name.map(str::to_owned)),
            _ => quote!(#name),
        }
    });
    let param_docs: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.spec.name.value,
                field_doc(p).join(" ").trim()
            )
        })
        .collect();
    let mut paragraphs = vec![
        "Builds the command, checking every parameter against the manual's limits.".to_owned(),
    ];
    if !param_docs.is_empty() {
        paragraphs.push(param_docs.join("\n"));
    }
    paragraphs.push("Returns a [`::atspec::ParamError`] naming the parameter when a value is out of range, too long, not allowed, or holds a character the command line cannot carry.".to_owned());
    let docs = doc(&paragraphs);
    let allow = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #docs
        #allow
        pub fn new(#(#args),*) -> Result<Self, ::atspec::ParamError> {
            #(#checks)*
            #groups
            Ok(Self { #(#assigns),* })
        }
    }
}

/// `parse`: a command line back to the typed command, with the constructor's checks.
pub(super) fn parse_command(
    c: &Command,
    params: &[&Field],
    package: &str,
    escape: Option<char>,
) -> TokenStream {
    let body = parse_body(&c.template, &c.params, package, escape, true);
    let counts: Vec<_> = c
        .params
        .iter()
        .filter(|p| matches!(p.ty, FieldType::Count { .. }))
        .map(field_ident)
        .collect();
    let ignore_counts = if counts.is_empty() {
        quote!()
    } else {
        // Counts are derived from their lists by `new`.
        quote!(#(let _ = #counts;)*)
    };
    let args = params.iter().map(|p| {
        let name = field_ident(p);
        match (&p.ty, p.usage.repeated, p.usage.optional) {
            (FieldType::String, false, false) => quote!(&#name),
            (FieldType::String, false, true) => quote!(#name.as_deref()),
            _ => quote!(#name),
        }
    });
    quote! {
        /// Parses a command line of this shape (without its terminator), with the
        /// same checks as [`Self::new`]: the inverse of `encode`, for emulators and
        /// log readers. It accepts what the modem accepts
        /// ([`COMMAND_TOLERANCE`](crate::COMMAND_TOLERANCE)); a value the checks
        /// refuse is reported at the end of the line, which was read as this shape.
        pub fn parse(line: &[u8]) -> Result<Self, ::atspec::ParseError> {
            let mut p = ::atspec::LineParser::command_line(line, crate::COMMAND_TOLERANCE);
            #body
            p.end()?;
            #ignore_counts
            Self::new(#(#args),*).map_err(|e| ::atspec::ParseError::new(line, p.offset(), e.to_string()))
        }
    }
}
