//! Data-mode transfers: the `upload` and `download` rules of a command that
//! sends or receives raw bytes after a prompt.

use proc_macro2::TokenStream;
use quote::quote;

use super::payload::length_rule;
use crate::emit::template_parse::match_prefix;
use crate::emit::types::field_ident;
use crate::ir::{Command, FieldType};
use crate::model::{DownloadEndSpec, UploadEndSpec};

fn param_ident(c: &Command, name: &str) -> Option<(proc_macro2::Ident, bool)> {
    c.params
        .iter()
        .find(|p| p.spec.name.value == name)
        .map(|p| (field_ident(p), p.usage.optional))
}

pub(super) fn upload(c: &Command) -> TokenStream {
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
    // The spec checked the unit (`ms` or `s`); the parameter's unit decides the reading.
    let unit_ms = u
        .input_timeout
        .as_ref()
        .and_then(|n| c.params.iter().find(|p| p.spec.name.value == n.value))
        .and_then(crate::resolve::duration_unit)
        .unwrap_or(1);
    let duration = |value: TokenStream| match unit_ms {
        1 => quote!(::core::time::Duration::from_millis(#value as u64)),
        _ => quote!(::core::time::Duration::from_secs(#value as u64)),
    };
    let input_timeout = match u.input_timeout.as_ref().and_then(|n| param_ident(c, n)) {
        Some((ident, false)) => {
            let duration = duration(quote!(self.#ident));
            quote!(Some(#duration))
        }
        Some((ident, true)) => {
            let value = if unit_ms == 1 {
                quote!(ms)
            } else {
                quote!(secs)
            };
            let duration = duration(value.clone());
            quote!(self.#ident.map(|#value| #duration))
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

pub(super) fn download(c: &Command) -> TokenStream {
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
