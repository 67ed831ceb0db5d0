//! Command shapes: a struct with private validated fields, a checking
//! constructor, getters, encoding, response parsing and execution data.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc};
use super::line::{field_doc, match_prefix};
use super::types::{element, field_ident, stored};
use crate::ir::{Command, Field, FieldType, Line};
use crate::model::{
    DownloadEndSpec, PlacementSpec, Quoting, RepeatSpec, Scalar, TableKind, UploadEndSpec,
};
use crate::template::{Piece, Template};

/// Everything generated for one command shape.
pub fn command(c: &Command, package: &str, escape: Option<char>) -> TokenStream {
    let ident = format_ident!("{}", c.ident);
    let docs = doc(&command_doc(c));
    let params: Vec<&Field> = c
        .params
        .iter()
        .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
        .collect();
    let fields = params.iter().map(|p| {
        let name = field_ident(p);
        let ty = stored(p, package);
        quote!(#name: #ty,)
    });
    let constructor = constructor(c, &params, package, escape);
    let parse = parse_command(c, &params, package, escape);
    let getters = params.iter().map(|p| getter(p, package));
    let name = &c.name;
    let form = match c.form.as_str() {
        "test" => quote!(::atspec::Form::Test),
        "read" => quote!(::atspec::Form::Read),
        "write" => quote!(::atspec::Form::Write),
        _ => quote!(::atspec::Form::Execute),
    };
    let timeout = match c.timeout_ms {
        Some(ms) => quote!(Some(::core::time::Duration::from_millis(#ms))),
        None => quote!(None),
    };
    let encode = encode_body(&c.template, &c.params, false, escape);
    let redacted = if c.params.iter().any(|p| p.spec.secret) {
        let body = encode_body(&c.template, &c.params, true, escape);
        quote! {
            fn encode_redacted(&self, out: &mut Vec<u8>) {
                let mut w = ::atspec::CommandWriter::new(out);
                #body
            }
        }
    } else {
        quote!()
    };
    let (response_ty, response_item, parse_response) = response(c);
    let prefixed: Vec<&Line> = c
        .response
        .iter()
        .filter(|l| !l.template.literal_prefix().trim().is_empty())
        .collect();
    let free_text = prefixed.len() < c.response.len();
    let is_response_line = if prefixed.is_empty() {
        quote!()
    } else {
        let tries = prefixed.iter().map(|l| {
            let ty = format_ident!("{}", l.ident);
            quote!(#ty::parse(line).is_ok())
        });
        quote! {
            fn is_response_line(line: &[u8]) -> bool {
                #(#tries)||*
            }
        }
    };
    let redact_response = redact_response_line(&prefixed);
    let free_text = if free_text {
        quote!(
            const FREE_TEXT: bool = true;
        )
    } else {
        quote!()
    };
    let no_final_result = if c.no_final_result {
        quote!(
            const NO_FINAL_RESULT: bool = true;
        )
    } else {
        quote!()
    };
    let payload = payload_rule(c);
    let upload = upload(c);
    let download = download(c);
    let deferred = deferred(c, package);
    let derive_default = if params.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #response_item

        #docs
        #[derive(Debug, Clone, #derive_default PartialEq, Eq)]
        pub struct #ident {
            #(#fields)*
        }

        #[allow(clippy::len_without_is_empty)]
        impl #ident {
            #constructor
            #parse
            #(#getters)*
        }

        impl ::atspec::AtCommand for #ident {
            type Response = #response_ty;
            const NAME: &'static str = #name;
            const FORM: ::atspec::Form = #form;
            const TIMEOUT: Option<::core::time::Duration> = #timeout;
            #free_text
            #no_final_result
            #payload

            fn encode(&self, out: &mut Vec<u8>) {
                let mut w = ::atspec::CommandWriter::new(out);
                #encode
            }

            #redacted

            fn parse_response(lines: &[&[u8]]) -> Result<Self::Response, ::atspec::ParseError> {
                #parse_response
            }

            #is_response_line

            #redact_response

            #upload
            #download
        }

        #deferred
    }
}

/// `redact_response_line` for a command whose prefixed response lines have secret
/// string fields: the line re-encoded with those values as `***`, or only its prefix
/// when it does not parse (a secret may still be in it).
fn redact_response_line(prefixed: &[&Line]) -> TokenStream {
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

fn command_doc(c: &Command) -> Vec<String> {
    let mut out = vec![c.summary.clone()];
    let form = match &c.variant {
        Some(v) => format!("{} form, sub-command `{v}`", c.form),
        None => format!("{} form", c.form),
    };
    out.push(format!(
        "AT syntax: {} ({form}). Manual: {}.",
        code(&c.syntax),
        c.source
    ));
    if let Some(d) = &c.description {
        out.push(d.clone());
    }
    for line in &c.response {
        match &line.spec.absent {
            Some(absent) => out.push(format!(
                "Response: {}; when the modem leaves it out, read as {}.",
                code(&line.spec.template),
                code(&absent.means)
            )),
            None => out.push(format!("Response: {}.", code(&line.spec.template))),
        }
    }
    if let Some(ms) = c.timeout_ms {
        out.push(format!("Maximum response time: {ms} ms."));
    }
    if let Some((completion, urc)) = &c.completion {
        let mut text = format!(
            "Completes with the URC {} within {} ms after `OK` (see [`::atspec::DeferredCommand`]).",
            code(&urc.prefix),
            completion.timeout_ms.value
        );
        if let Some(note) = &completion.note {
            text.push(' ');
            text.push_str(note);
        }
        out.push(text);
    }
    if let Some(upload) = &c.upload {
        out.push(format!(
            "Uploads data after the prompt {}.",
            code(upload.prompt.as_ref().map_or_else(
                || upload.announce.as_ref().map_or("", |a| a.line.as_str()),
                |p| p.as_str()
            ))
        ));
    }
    if let Some(download) = &c.download {
        out.push(format!(
            "Downloads in data mode after the prompt {}.",
            code(&download.prompt)
        ));
    }
    out.extend(c.notes.iter().map(|n| format!("Note: {n}")));
    out.extend(c.unconfirmed.iter().map(|u| format!("UNCONFIRMED: {u}")));
    out
}

/// Constructor argument type: strings by reference.
fn arg_type(p: &Field, package: &str) -> TokenStream {
    match (&p.ty, p.usage.repeated, p.usage.optional) {
        (FieldType::String, false, false) => quote!(&str),
        (FieldType::String, false, true) => quote!(Option<&str>),
        _ => stored(p, package),
    }
}

fn constructor(c: &Command, params: &[&Field], package: &str, escape: Option<char>) -> TokenStream {
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

/// Checks of one parameter's value(s).
fn check(p: &Field, escape: Option<char>) -> TokenStream {
    let name = field_ident(p);
    let param = p.spec.name.value.as_str();
    let one = |v: TokenStream| -> TokenStream {
        match &p.ty {
            FieldType::Int { min, max, .. } => {
                let (min, max) = (
                    proc_macro2::Literal::i128_unsuffixed(*min as i128),
                    proc_macro2::Literal::i128_unsuffixed(*max as i128),
                );
                quote!(::atspec::param::check_range(#param, #v, #min, #max)?;)
            }
            FieldType::String => {
                let min_len = p.spec.min_len.as_ref().map_or(0, |m| m.value as usize);
                let max_len = match &p.spec.max_len {
                    Some(m) => {
                        let m = m.value as usize;
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                let quoted = p.quoting == Quoting::Always;
                let ascii_only = p.spec.ascii_only;
                let forbid = p.spec.forbid.clone().unwrap_or_default();
                let reserved = &p.spec.reserved;
                let escape = match escape {
                    Some(c) => quote!(Some(#c)),
                    None => quote!(None),
                };
                quote! {
                    ::atspec::StringRules {
                        min_len: #min_len,
                        max_len: #max_len,
                        quoted: #quoted,
                        ascii_only: #ascii_only,
                        forbid: #forbid,
                        reserved: &[#(#reserved),*],
                        escape: #escape,
                    }
                    .check(#param, #v)?;
                }
            }
            FieldType::Enum(_) => {
                let (refused, error) = enum_refusal(p, &v, &quote!(&#v));
                quote!(if #refused { #error })
            }
            FieldType::Count { .. } | FieldType::Text => quote!(),
        }
    };
    let by_value = matches!(p.ty, FieldType::Int { .. });
    match (p.usage.repeated, p.usage.optional) {
        (true, _) => {
            let item = if by_value {
                one(quote!(*item))
            } else {
                one(quote!(item))
            };
            let max = p.spec.max_count.as_ref().map(|m| {
                let m = m.value as usize;
                quote! {
                    if #name.len() > #m {
                        return Err(::atspec::ParamError::TooMany { param: #param, count: #name.len(), max: #m });
                    }
                }
            });
            quote!(#max for item in &#name { #item })
        }
        (false, true) => {
            let item = if by_value {
                one(quote!(*value))
            } else {
                one(quote!(value))
            };
            let scrutinee = if matches!(p.ty, FieldType::String) {
                quote!(#name)
            } else {
                quote!(&#name)
            };
            if matches!(p.ty, FieldType::Enum(_)) {
                let (refused, error) = enum_refusal(p, &quote!(value), &quote!(value));
                quote!(if let Some(value) = #scrutinee && #refused { #error })
            } else {
                quote!(if let Some(value) = #scrutinee { #item })
            }
        }
        (false, false) => one(quote!(#name)),
    }
}

/// The condition under which an enum parameter value is refused, and the refusal.
fn enum_refusal(p: &Field, v: &TokenStream, reference: &TokenStream) -> (TokenStream, TokenStream) {
    let FieldType::Enum(t) = &p.ty else {
        return (quote!(false), quote!());
    };
    let param = p.spec.name.value.as_str();
    let allowed: Vec<String> = match &p.spec.allowed {
        Some(list) => list.iter().map(|v| scalar_text(&v.value)).collect(),
        None => Vec::new(),
    };
    let listed = if allowed.is_empty() {
        format!("the codes of table `{}`", t.name)
    } else {
        allowed.join(", ")
    };
    let refused = if allowed.is_empty() {
        quote!(!#v.is_known())
    } else {
        quote!(!(#v.is_known() && [#(#allowed),*].contains(&::atspec::CodeTable::code_text(#reference).as_str())))
    };
    let error = quote! {
        return Err(::atspec::ParamError::NotAllowed {
            param: #param,
            value: ::atspec::CodeTable::code_text(#reference),
            allowed: #listed,
        });
    };
    (refused, error)
}

fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Int(v) => v.to_string(),
        Scalar::Text(v) => v.clone(),
    }
}

/// Presence of a parameter value (for optional-group rules): of the constructor
/// argument, or of the stored field when `on_self`; `present: false` gives the
/// plain negation (`x.is_none()`).
fn presence_is(f: &Field, params: &[Field], on_self: bool, present: bool) -> TokenStream {
    let target = match &f.ty {
        FieldType::Count { of } => params
            .iter()
            .find(|p| &p.spec.name.value == of)
            .unwrap_or(f),
        _ => f,
    };
    let name = field_ident(target);
    let value = if on_self {
        quote!(self.#name)
    } else {
        quote!(#name)
    };
    match (target.usage.repeated, present) {
        (true, true) => quote!(!#value.is_empty()),
        (true, false) => quote!(#value.is_empty()),
        (false, true) => quote!(#value.is_some()),
        (false, false) => quote!(#value.is_none()),
    }
}

fn presence(f: &Field, params: &[Field], on_self: bool) -> TokenStream {
    presence_is(f, params, on_self, true)
}

fn present(f: &Field, params: &[Field]) -> TokenStream {
    presence_is(f, params, false, true)
}

fn absent(f: &Field, params: &[Field]) -> TokenStream {
    presence_is(f, params, false, false)
}

/// Optional-group rules: the direct fields of a group come all together, and a
/// nested group needs the fields of the group around it.
fn group_checks(pieces: &[Piece], params: &[Field], enclosing: Option<&Field>) -> TokenStream {
    let mut out = TokenStream::new();
    for piece in pieces {
        let (Piece::Optional(inner) | Piece::Repeat(inner)) = piece else {
            continue;
        };
        let direct = super::types::direct_fields(inner, params);
        if let Some(first) = direct.first() {
            for other in direct.iter().skip(1) {
                let (a, b) = (present(first, params), present(other, params));
                let (not_a, not_b) = (absent(first, params), absent(other, params));
                let (an, bn) = (
                    first.spec.name.value.as_str(),
                    other.spec.name.value.as_str(),
                );
                out.extend(quote! {
                    if #a && #not_b {
                        return Err(::atspec::ParamError::Requires { param: #an, requires: #bn });
                    }
                    if #b && #not_a {
                        return Err(::atspec::ParamError::Requires { param: #bn, requires: #an });
                    }
                });
            }
            if let Some(outer) = enclosing {
                let (a, not_b) = (present(first, params), absent(outer, params));
                let (an, bn) = (
                    first.spec.name.value.as_str(),
                    outer.spec.name.value.as_str(),
                );
                out.extend(quote! {
                    if #a && #not_b {
                        return Err(::atspec::ParamError::Requires { param: #an, requires: #bn });
                    }
                });
            }
        }
        out.extend(group_checks(
            inner,
            params,
            direct.first().copied().or(enclosing),
        ));
    }
    out
}

fn getter(p: &Field, package: &str) -> TokenStream {
    let name = field_ident(p);
    let docs = doc(&field_doc(p));
    let element = element(p, package);
    let copy = matches!(p.ty, FieldType::Int { .. })
        || matches!(&p.ty, FieldType::Enum(t) if t.kind == TableKind::Int);
    match (&p.ty, p.usage.repeated, p.usage.optional) {
        (_, true, _) => quote!(#docs pub fn #name(&self) -> &[#element] { &self.#name }),
        (FieldType::String, false, true) => {
            quote!(#docs pub fn #name(&self) -> Option<&str> { self.#name.as_deref() })
        }
        (FieldType::String, false, false) => {
            quote!(#docs pub fn #name(&self) -> &str { &self.#name })
        }
        (_, false, true) if copy => {
            quote!(#docs pub fn #name(&self) -> Option<#element> { self.#name })
        }
        (_, false, true) => {
            quote!(#docs pub fn #name(&self) -> Option<&#element> { self.#name.as_ref() })
        }
        (_, false, false) if copy => quote!(#docs pub fn #name(&self) -> #element { self.#name }),
        (_, false, false) => quote!(#docs pub fn #name(&self) -> &#element { &self.#name }),
    }
}

/// Statements writing the command line with `w`.
fn encode_body(
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
pub(super) fn line_encode_body(template: &Template, fields: &[Field]) -> TokenStream {
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
                        out.extend(quote!(w.int(self.#of.len() as u64);));
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
        match &field.ty {
            FieldType::Int { .. } => quote!(w.int(#value);),
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
            FieldType::Enum(t) if t.kind == TableKind::Int => quote!(w.int(#receiver.code());),
            FieldType::Enum(_) if field.quoting == Quoting::Optional => {
                quote!(w.string_for_line(#receiver.text());)
            }
            FieldType::Enum(_) => quote!(w.string(#receiver.text(), #quoted);),
            FieldType::Count { .. } => quote!(w.int(#value);),
            FieldType::Text => quote!(w.literal(#by_ref);),
        }
    }
}

/// The response type, any extra item defining it, and the body of `parse_response`.
fn response(c: &Command) -> (TokenStream, TokenStream, TokenStream) {
    let no_more = quote! {
        if let Some(extra) = lines.get(index) {
            return Err(::atspec::ParseError::new(extra, 0, "no further information line"));
        }
    };
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
            let fields = lines.iter().map(|l| {
                let name = format_ident!("{}", crate::names::field(&l.spec.name));
                let ty = format_ident!("{}", l.ident);
                let doc = doc(&[format!("{} ({})", l.spec.doc, code(&l.spec.template))]);
                match l.spec.repeat.unwrap_or(RepeatSpec::One) {
                    RepeatSpec::One => quote!(#doc pub #name: #ty,),
                    RepeatSpec::Optional => quote!(#doc pub #name: Option<#ty>,),
                    RepeatSpec::Many => quote!(#doc pub #name: Vec<#ty>,),
                }
            });
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

fn parse_step(line: &Line) -> TokenStream {
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

fn payload_rule(c: &Command) -> TokenStream {
    let Some(line) = c.response.iter().find(|l| l.spec.payload.is_some()) else {
        return quote!();
    };
    let Some(payload) = &line.spec.payload else {
        return quote!();
    };
    let placement = match payload.placement {
        PlacementSpec::NextLine => quote!(::atspec::Placement::NextLine),
        PlacementSpec::SameLine => quote!(::atspec::Placement::SameLine),
    };
    let rule = length_rule(line, &payload.length.value, placement);
    quote!(const PAYLOAD: Option<::atspec::PayloadRule> = Some(#rule);)
}

/// A `PayloadRule` whose length function parses `line` only up to its field
/// `length`, so the same code serves a payload that follows on the same line.
fn length_rule(line: &Line, length: &str, placement: TokenStream) -> TokenStream {
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
                let q = super::line::quoting(field.quoting);
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

fn param_ident(c: &Command, name: &str) -> Option<(proc_macro2::Ident, bool)> {
    c.params
        .iter()
        .find(|p| p.spec.name.value == name)
        .map(|p| (field_ident(p), p.usage.optional))
}

fn upload(c: &Command) -> TokenStream {
    let Some(u) = &c.upload else { return quote!() };
    let announce_line = u.announce.as_ref().and_then(|a| {
        let line = c
            .response
            .iter()
            .find(|l| l.spec.name.value == a.line.value)?;
        Some((line, a.length.value.clone()))
    });
    let (prompt, announce) = match (&u.prompt, announce_line) {
        (Some(prompt), _) => (prompt.value.clone(), quote!(None)),
        (None, Some((line, length))) => {
            let rule = length_rule(line, &length, quote!(::atspec::Placement::NextLine));
            (match_prefix(&line.template), quote!(Some(#rule)))
        }
        (None, None) => (String::new(), quote!(None)),
    };
    let input_timeout = match u.input_timeout.as_ref().and_then(|n| param_ident(c, n)) {
        Some((ident, false)) => {
            quote!(Some(::core::time::Duration::from_millis(self.#ident as u64)))
        }
        Some((ident, true)) => {
            quote!(self.#ident.map(|ms| ::core::time::Duration::from_millis(ms as u64)))
        }
        None => quote!(None),
    };
    let fallback = match u.end {
        UploadEndSpec::Length => quote!(None),
        UploadEndSpec::Announced => quote!(Some(::atspec::UploadEnd::Announced)),
        UploadEndSpec::Escaped => {
            let (t, e) = (u.terminator.unwrap_or(26), u.escape.unwrap_or(3));
            quote!(Some(::atspec::UploadEnd::Escaped { terminator: #t, escape: #e }))
        }
        UploadEndSpec::GuardedEscape => {
            let seq = u.sequence.clone().unwrap_or_default();
            let guard = u.guard_ms.unwrap_or(1000);
            quote!(Some(::atspec::UploadEnd::GuardedEscape { sequence: #seq, guard: ::core::time::Duration::from_millis(#guard) }))
        }
    };
    let end = match u.length.as_ref().and_then(|n| param_ident(c, n)) {
        Some((ident, false)) => quote!(Some(::atspec::UploadEnd::Length(self.#ident as usize))),
        Some((ident, true)) => {
            quote!(match self.#ident { Some(len) => Some(::atspec::UploadEnd::Length(len as usize)), None => #fallback })
        }
        None => fallback,
    };
    let ack = match &u.ack {
        Some(a) => upload_ack(c, a),
        None => quote!(None),
    };
    quote! {
        fn upload(&self) -> Option<::atspec::UploadRule> {
            let end = #end?;
            Some(::atspec::UploadRule { prompt: #prompt, end, input_timeout: #input_timeout, announce: #announce, ack: #ack })
        }
    }
}

/// The `ack` of an `UploadRule`: on when the parameter holds the spec's value (or, left
/// out, when its default does).
fn upload_ack(c: &Command, a: &crate::model::UploadAckSpec) -> TokenStream {
    let Some(param) = c.params.iter().find(|p| p.spec.name.value == a.param.value) else {
        return quote!(None);
    };
    let ident = field_ident(param);
    let when = a.when;
    let value = match param.ty {
        FieldType::Enum(_) => quote!(i64::from(v.code())),
        _ => quote!(*v as i64),
    };
    let on = if param.usage.optional {
        let default_on = param
            .spec
            .default
            .as_ref()
            .is_some_and(|d| matches!(d.value, crate::model::Scalar::Int(v) if v == when));
        if default_on {
            quote!(self.#ident.as_ref().is_none_or(|v| #value == #when))
        } else {
            quote!(self.#ident.as_ref().is_some_and(|v| #value == #when))
        }
    } else {
        quote!({ let v = &self.#ident; #value == #when })
    };
    let every = a.every.value as usize;
    let text = &a.text.value;
    quote! {
        if #on {
            Some(::atspec::UploadAck { every: #every, text: #text })
        } else {
            None
        }
    }
}

fn download(c: &Command) -> TokenStream {
    let Some(d) = &c.download else {
        return quote!();
    };
    let prompt = &d.prompt.value;
    let end = match (d.end, d.length.as_ref().and_then(|n| param_ident(c, n))) {
        (DownloadEndSpec::Length, Some((ident, false))) => {
            quote!(::atspec::DownloadEnd::Length(self.#ident as usize))
        }
        (DownloadEndSpec::Length, Some((ident, true))) => quote!(match self.#ident {
            Some(len) => ::atspec::DownloadEnd::Length(len as usize),
            None => ::atspec::DownloadEnd::FinalResult,
        }),
        _ => quote!(::atspec::DownloadEnd::FinalResult),
    };
    quote! {
        fn download(&self) -> Option<::atspec::DownloadRule> {
            Some(::atspec::DownloadRule { prompt: #prompt, end: #end })
        }
    }
}

fn deferred(c: &Command, _package: &str) -> TokenStream {
    let Some((completion, urc)) = &c.completion else {
        return quote!();
    };
    let ident = format_ident!("{}", c.ident);
    let module = format_ident!("{}", urc.module);
    let urc_ident = format_ident!("{}", urc.ident);
    let prefix = &urc.prefix.trim_end().to_owned();
    let timeout = completion.timeout_ms.value;
    let checks = completion.matches.iter().map(|(urc_field, param)| {
        let field = format_ident!("{}", crate::names::field(urc_field));
        let param_field = c.params.iter().find(|p| p.spec.name.value == param.value);
        let p = format_ident!("{}", crate::names::field(param));
        match param_field.map(|f| &f.ty) {
            Some(FieldType::Int { .. }) => quote!(i128::from(urc.#field) == i128::from(self.#p)),
            _ => quote!(urc.#field == self.#p),
        }
    });
    let checks: Vec<TokenStream> = checks.collect();
    let transferred = match &completion.length {
        Some(field) => {
            let field = format_ident!("{}", crate::names::field(field));
            quote! {
                fn transferred(urc: &Self::Completion) -> Option<u64> {
                    u64::try_from(i128::from(urc.#field)).ok()
                }
            }
        }
        None => quote!(),
    };
    let data = match &c.completion_data {
        Some(line) => match &line.spec.payload {
            Some(payload) => {
                let placement = match payload.placement {
                    PlacementSpec::NextLine => quote!(::atspec::Placement::NextLine),
                    PlacementSpec::SameLine => quote!(::atspec::Placement::SameLine),
                };
                let rule = length_rule(line, &payload.length.value, placement);
                quote!(const DATA: Option<::atspec::PayloadRule> = Some(#rule);)
            }
            None => quote!(),
        },
        None => quote!(),
    };
    let is_completion = if checks.is_empty() {
        quote!(let _ = (self, urc); true)
    } else {
        quote!(#(#checks)&&*)
    };
    let failure = match &completion.result_field {
        Some(field) => {
            let field = format_ident!("{}", crate::names::field(field));
            quote! {
                use ::atspec::CodeTable as _;
                (urc.#field.outcome() == ::atspec::code::Outcome::Failure).then(|| urc.#field.info())
            }
        }
        None => quote! {
            let _ = urc;
            None
        },
    };
    let failure_detail = match &completion.detail_field {
        Some(field) => {
            let field = format_ident!("{}", crate::names::field(field));
            quote! {
                fn failure_detail(urc: &Self::Completion) -> Option<::atspec::code::CodeInfo> {
                    use ::atspec::CodeTable as _;
                    Some(urc.#field.info())
                }
            }
        }
        None => quote!(),
    };
    quote! {
        impl ::atspec::DeferredCommand for #ident {
            type Completion = crate::#module::#urc_ident;
            const COMPLETION: ::atspec::Completion = ::atspec::Completion {
                prefix: #prefix,
                timeout: ::core::time::Duration::from_millis(#timeout),
            };

            #data

            fn parse_completion(line: &[u8]) -> Result<Self::Completion, ::atspec::ParseError> {
                crate::#module::#urc_ident::parse(line)
            }

            fn is_completion(&self, urc: &Self::Completion) -> bool {
                #is_completion
            }

            fn failure(urc: &Self::Completion) -> Option<::atspec::code::CodeInfo> {
                #failure
            }

            #failure_detail

            #transferred
        }
    }
}

/// `parse`: a command line back to the typed command, with the constructor's checks.
fn parse_command(
    c: &Command,
    params: &[&Field],
    package: &str,
    escape: Option<char>,
) -> TokenStream {
    let body = super::line::parse_body(&c.template, &c.params, package, escape, true);
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
