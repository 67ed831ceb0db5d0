//! Deferred completion: the `DeferredCommand` implementation of a command that
//! finishes with a URC after its final result.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::payload::announced_payload;
use crate::ir::{Command, FieldType};

pub(super) fn deferred(c: &Command) -> TokenStream {
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
    let data = match c.completion_data.as_ref().and_then(announced_payload) {
        Some(rule) => quote!(const DATA: Option<::atspec::PayloadRule> = Some(#rule);),
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
    let family_timeout = (!c.completion_by_family.is_empty()).then(|| {
        let by_model = crate::emit::family::bound_by_model(
            &c.completion_by_family,
            |ms| quote!(::core::time::Duration::from_millis(#ms)),
            quote!(Self::COMPLETION.timeout),
        );
        quote! {
            fn completion_timeout(&self) -> ::core::time::Duration {
                #by_model
            }
        }
    });
    quote! {
        impl ::atspec::DeferredCommand for #ident {
            type Completion = crate::#module::#urc_ident;
            const COMPLETION: ::atspec::Completion = ::atspec::Completion {
                prefix: #prefix,
                timeout: ::core::time::Duration::from_millis(#timeout),
            };

            #data

            #family_timeout

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
