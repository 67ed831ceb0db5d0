//! Code tables as open enums.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc};
use super::types::int;
use crate::ir::Table;
use crate::model::{OutcomeSpec, Scalar, TableKind};
use crate::names;

/// The enum, its inherent methods and its `CodeTable` impl.
pub fn table(t: &Table) -> TokenStream {
    if !t.parts.is_empty() {
        return super::table_union::union(t);
    }
    let ident = format_ident!("{}", t.reference.ident);
    let table_name = &t.reference.name;
    let numeric = t.reference.kind == TableKind::Int;
    let raw = int(t.raw_int);
    let raw_ty = if numeric { raw.clone() } else { quote!(String) };
    let variants: Vec<_> = t
        .codes
        .iter()
        .map(|c| format_ident!("{}", names::pascal(&c.name)))
        .collect();
    let shown: Vec<String> = t
        .codes
        .iter()
        .map(|c| match &c.code.value {
            Scalar::Int(v) => v.to_string(),
            Scalar::Text(v) => v.clone(),
        })
        .collect();
    let variant_docs = t.codes.iter().zip(&shown).map(|(c, shown)| {
        let mut paragraphs = vec![format!("{}: {}", code(shown), c.meaning)];
        if let Some(text) = &c.text {
            paragraphs.push(format!("Verbose form: {}.", code(text)));
        }
        if let Some(why) = &c.unconfirmed {
            paragraphs.push(format!("UNCONFIRMED: {why}"));
        }
        doc(&paragraphs)
    });
    let meanings = t.codes.iter().map(|c| c.meaning.as_str());
    let outcomes = t.codes.iter().map(|c| match c.outcome {
        Some(OutcomeSpec::Success) => quote!(::atspec::code::Outcome::Success),
        Some(OutcomeSpec::Failure) => quote!(::atspec::code::Outcome::Failure),
        Some(OutcomeSpec::Progress) => quote!(::atspec::code::Outcome::Progress),
        None => quote!(::atspec::code::Outcome::Unspecified),
    });
    let verbose: Vec<String> = t
        .codes
        .iter()
        .map(|c| c.text.clone().unwrap_or_else(|| c.meaning.clone()))
        .collect();
    let summary = doc(&[
        t.doc.clone(),
        format!(
            "Table `{table_name}` ({}). Codes the manual does not list are kept in `Unlisted`.",
            t.source
        ),
    ]);

    let conversions = if numeric {
        let codes = t.codes.iter().map(|c| match c.code.value {
            Scalar::Int(v) => proc_macro2::Literal::i64_unsuffixed(v),
            Scalar::Text(_) => proc_macro2::Literal::i64_unsuffixed(0),
        });
        let codes2 = codes.clone();
        quote! {
            /// The enum value of a numeric code.
            pub const fn from_code(code: #raw) -> Self {
                match code {
                    #(#codes => Self::#variants,)*
                    other => Self::Unlisted(other),
                }
            }

            /// The numeric code.
            pub const fn code(&self) -> #raw {
                match self {
                    #(Self::#variants => #codes2,)*
                    Self::Unlisted(other) => *other,
                }
            }

            /// The enum value of a code sent as a number or as its verbose text
            /// (case-insensitive), as in `+CME ERROR: <err>` with either error mode.
            pub fn from_verbose(text: &str) -> Option<Self> {
                let text = text.trim();
                if let Ok(code) = text.parse::<#raw>() {
                    return Some(Self::from_code(code));
                }
                const VERBOSE: &[(&str, #ident)] = &[#((#verbose, #ident::#variants)),*];
                VERBOSE.iter().find(|(v, _)| v.eq_ignore_ascii_case(text)).map(|(_, code)| *code)
            }
        }
    } else {
        let texts = shown.iter();
        let texts2 = shown.iter();
        quote! {
            /// The enum value of a text code (exact match, then case-insensitive).
            pub fn from_text(text: &str) -> Self {
                match text {
                    #(#texts => Self::#variants,)*
                    other => {
                        const ALL: &[(&str, #ident)] = &[#((#shown, #ident::#variants)),*];
                        ALL.iter()
                            .find(|(t, _)| t.eq_ignore_ascii_case(other))
                            .map(|(_, v)| v.clone())
                            .unwrap_or_else(|| Self::Unlisted(other.to_owned()))
                    }
                }
            }

            /// The code's text as sent.
            pub fn text(&self) -> &str {
                match self {
                    #(Self::#variants => #texts2,)*
                    Self::Unlisted(other) => other,
                }
            }
        }
    };
    let copy = if numeric { quote!(Copy,) } else { quote!() };
    let code_text = if numeric {
        quote!(self.code().to_string())
    } else {
        quote!(self.text().to_owned())
    };
    quote! {
        #summary
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_docs #variants,)*
            /// A code the manual does not list.
            Unlisted(#raw_ty),
        }

        impl #ident {
            #conversions

            /// Whether the manual lists this code.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unlisted(_))
            }
        }

        impl ::atspec::CodeTable for #ident {
            const TABLE: &'static str = #table_name;

            fn meaning(&self) -> Option<&'static str> {
                match self {
                    #(Self::#variants => Some(#meanings),)*
                    Self::Unlisted(_) => None,
                }
            }

            fn outcome(&self) -> ::atspec::code::Outcome {
                match self {
                    #(Self::#variants => #outcomes,)*
                    Self::Unlisted(_) => ::atspec::code::Outcome::Unspecified,
                }
            }

            fn code_text(&self) -> String {
                #code_text
            }
        }

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                use ::atspec::CodeTable as _;
                ::core::fmt::Display::fmt(&self.info(), f)
            }
        }
    }
}
