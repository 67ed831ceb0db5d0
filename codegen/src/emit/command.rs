//! Command shapes: a struct with private validated fields and its `AtCommand`
//! implementation, assembled from the parts in the submodules.

pub(crate) mod constructors;
mod deferred;
mod exchange;
mod one_of;
mod param_checks;
mod payload;
mod response;
mod transfer;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc, field_doc};
use super::family::{bound_by_model, bound_text, carries_model};
use super::line_decode::{command_decoded, decode_line};
use super::template_encode::encode_body;
use super::types::{element, field_ident, stored};
use crate::ir::{Command, Family, Field, FieldType, Line};
use crate::model::TableKind;

use constructors::{constructor, constructor_for, parse_command};
use deferred::deferred;
use exchange::{exchange, exchange_doc};
use payload::payload_rule;
use response::{redact_response_line, response};
use transfer::{download, upload};

/// Everything generated for one command shape.
pub fn command(
    c: &Command,
    package: &str,
    families: &[Family],
    escape: Option<char>,
) -> TokenStream {
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
    let model_field = carries_model(c).then(|| {
        quote! {
            /// The family the value was built for (`new_for`), whose timeouts apply.
            model: Option<crate::Model>,
        }
    });
    let constructor = constructor(c, &params, package, escape);
    let constructor_for = constructor_for(c, &params, package, families, escape);
    let parse = parse_command(c, &params, package, escape);
    let getters = params.iter().map(|p| getter(p, package));
    // V.250's bare `AT` has no name after the prefix; errors and logs call it `AT`.
    let name = if c.name.is_empty() { "AT" } else { &c.name };
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
    let family_timeout = (!c.timeout_by_family.is_empty()).then(|| {
        let by_model = bound_by_model(
            &c.timeout_by_family,
            |ms| quote!(Some(::core::time::Duration::from_millis(#ms))),
            quote!(Self::TIMEOUT),
        );
        quote! {
            fn timeout(&self) -> Option<::core::time::Duration> {
                #by_model
            }
        }
    });
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
    // Free-text lines last: their templates read any line, so a line of a
    // prefixed shape is read as that.
    let free: Vec<&Line> = c
        .response
        .iter()
        .filter(|l| l.template.literal_prefix().trim().is_empty())
        .collect();
    let decode_line = decode_line(&[prefixed.as_slice(), free.as_slice()].concat());
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
    let deferred = deferred(c);
    let exchange = exchange(c);
    let (syntax_text, summary_text) = (&c.syntax, &c.summary);
    let params_decoded = command_decoded(name, &params);
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
            #model_field
        }

        #[allow(clippy::len_without_is_empty)]
        impl #ident {
            #constructor
            #constructor_for
            #parse
            #(#getters)*
        }

        impl ::atspec::AtCommand for #ident {
            type Response = #response_ty;
            const NAME: &'static str = #name;
            const FORM: ::atspec::Form = #form;
            const SYNTAX: &'static str = #syntax_text;
            const SUMMARY: &'static str = #summary_text;
            const TIMEOUT: Option<::core::time::Duration> = #timeout;
            #free_text
            #no_final_result
            #payload

            #family_timeout

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

            #decode_line

            #params_decoded

            #upload
            #download
        }

        #deferred

        #exchange
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
    match (c.timeout_ms, c.timeout_by_family.as_slice()) {
        (Some(ms), bounds) => out.push(format!(
            "Maximum response time: {}.",
            bound_text(ms, bounds)
        )),
        (None, []) => {}
        (None, bounds) => out.push(format!(
            "Maximum response time: {}; none given for the other families.",
            bounds
                .iter()
                .map(|(family, ms)| format!("{ms} ms on `{family}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    if let Some((completion, urc)) = &c.completion {
        let mut text = format!(
            "Completes with the URC {} within {} after `OK` (see [`::atspec::DeferredCommand`]).",
            code(&urc.prefix),
            bound_text(completion.timeout_ms.value, &c.completion_by_family)
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
    out.push(exchange_doc(c));
    out.extend(c.notes.iter().map(|n| format!("Note: {n}")));
    out.extend(c.unconfirmed.iter().map(|u| format!("UNCONFIRMED: {u}")));
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
