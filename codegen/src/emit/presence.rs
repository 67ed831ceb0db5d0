//! Presence of a parameter value: the expressions optional-group rules and
//! encoding test.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::field_ident;
use crate::ir::{Field, FieldType};

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

pub fn presence(f: &Field, params: &[Field], on_self: bool) -> TokenStream {
    presence_is(f, params, on_self, true)
}

pub fn present(f: &Field, params: &[Field]) -> TokenStream {
    presence_is(f, params, false, true)
}

pub fn absent(f: &Field, params: &[Field]) -> TokenStream {
    presence_is(f, params, false, false)
}
