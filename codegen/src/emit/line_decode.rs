//! Response lines read through their spec for errors: a line's `decoded` (its
//! fields by name, codes with their table's meaning) and a command's
//! `decode_line`, which tries its declared lines on a line sent before an error
//! result.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::field_ident;
use crate::ir::{Field, FieldType, Line};

/// The `decoded` method of a response line's struct. Secret fields are left out.
pub fn line_decoded(line: &Line) -> TokenStream {
    let fields: Vec<&Field> = line.fields.iter().collect();
    let body = decoded_body(line.spec.name.value.as_str(), &fields);
    quote! {
        /// The line's fields by their spec names, codes with their meanings, for
        /// errors that carry the line; secret fields are left out.
        pub fn decoded(&self) -> ::atspec::DecodedLine {
            #body
        }
    }
}

/// `AtCommand::decoded` of a command shape: its parameters by their spec names,
/// codes with their meanings, secret ones left out. Empty for a shape without
/// parameters to show (the trait's default names the command alone).
pub fn command_decoded(name: &str, params: &[&Field]) -> TokenStream {
    if !params.iter().any(|f| !f.spec.secret) {
        return quote!();
    }
    let body = decoded_body(name, params);
    quote! {
        fn decoded(&self) -> ::atspec::DecodedLine {
            #body
        }
    }
}

/// Builds a `DecodedLine` named `name` from the non-secret `fields` of `self`.
fn decoded_body(name: &str, fields: &[&Field]) -> TokenStream {
    let shown: Vec<_> = fields.iter().filter(|f| !f.spec.secret).collect();
    if shown.is_empty() {
        return quote!(::atspec::DecodedLine::new(#name));
    }
    let adds = shown.iter().map(|f| {
        let field = field_ident(f);
        let spec_name = f.spec.name.value.as_str();
        let add = |value: TokenStream| match f.ty {
            FieldType::Enum(_) => quote!(decoded.code(#spec_name, #value);),
            _ => quote!(decoded.value(#spec_name, #value);),
        };
        match (f.usage.repeated, f.usage.optional) {
            (true, _) => {
                let add = add(quote!(value));
                quote!(for value in &self.#field { #add })
            }
            (false, true) => {
                let add = add(quote!(value));
                quote!(if let Some(value) = &self.#field { #add })
            }
            (false, false) => add(quote!(&self.#field)),
        }
    });
    quote! {
        let mut decoded = ::atspec::DecodedLine::new(#name);
        #(#adds)*
        decoded
    }
}

/// The `decode_line` of a command: the first of its declared response lines, in
/// the order given, that reads the line. Empty without response lines.
pub fn decode_line(lines: &[&Line]) -> TokenStream {
    if lines.is_empty() {
        return quote!();
    }
    let tries = lines.iter().map(|l| {
        let ty = format_ident!("{}", l.ident);
        quote! {
            if let Ok(value) = #ty::parse(line) {
                return Some(value.decoded());
            }
        }
    });
    quote! {
        fn decode_line(line: &[u8]) -> Option<::atspec::DecodedLine> {
            #(#tries)*
            None
        }
    }
}
