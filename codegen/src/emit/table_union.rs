//! The type of a field whose codes come from several tables: one variant per
//! table, holding that table's enum, so a value says which table it belongs to.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc;
use super::types::{int, table_path};
use crate::ir::Table;
use crate::model::TableKind;

/// The combined enum, its conversions and its `CodeTable` impl.
pub fn union(t: &Table) -> TokenStream {
    let ident = format_ident!("{}", t.reference.ident);
    let table_name = &t.reference.name;
    let numeric = t.reference.kind == TableKind::Int;
    let raw = int(t.raw_int);
    let package = t.reference.package.as_str();
    let variants: Vec<_> = t
        .parts
        .iter()
        .map(|p| format_ident!("{}", p.ident))
        .collect();
    let paths: Vec<_> = t
        .parts
        .iter()
        .map(|p| table_path(p, Some(package)))
        .collect();
    let part_names: Vec<&str> = t.parts.iter().map(|p| p.name.as_str()).collect();
    let variant_docs = part_names
        .iter()
        .map(|name| doc(&[format!("A code of table `{name}`.")]));
    let order = part_names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", then ");
    let summary = doc(&[
        t.doc.clone(),
        format!(
            "Table `{table_name}`: a code is looked up in {order}; one that none lists is kept in `Unlisted`."
        ),
    ]);
    let (raw_ty, conversions) = if numeric {
        let lookups = t
            .parts
            .iter()
            .zip(&variants)
            .zip(&paths)
            .map(|((p, v), path)| {
                let lookup = quote! {
                    let value = #path::from_code(code);
                    if value.is_known() {
                        return Self::#v(value);
                    }
                };
                if p.raw == t.raw_int {
                    quote!({ #lookup })
                } else {
                    // A code outside the part's type is not one of its codes.
                    let part_raw = int(p.raw);
                    quote!(if let Ok(code) = #part_raw::try_from(code) { #lookup })
                }
            });
        let widen = t.parts.iter().zip(&variants).map(|(p, v)| {
            if p.raw == t.raw_int {
                quote!(Self::#v(value) => value.code(),)
            } else {
                // The combined range holds every part's, so the cast keeps the value.
                quote!(Self::#v(value) => value.code() as #raw,)
            }
        });
        (
            raw.clone(),
            quote! {
                /// The value of a numeric code: the first of the tables that lists it.
                pub fn from_code(code: #raw) -> Self {
                    #(#lookups)*
                    Self::Unlisted(code)
                }

                /// The numeric code.
                pub fn code(&self) -> #raw {
                    match self {
                        #(#widen)*
                        Self::Unlisted(code) => *code,
                    }
                }
            },
        )
    } else {
        quote_text(&variants, &paths)
    };
    let copy = if numeric { quote!(Copy,) } else { quote!() };
    let unlisted = "{} (not listed in the manual)";
    let conversions_from = t
        .parts
        .iter()
        .zip(&variants)
        .zip(&paths)
        .map(|((p, v), path)| {
            let unlisted = if !numeric {
                quote!(Self::from_text(value.text()))
            } else if p.raw == t.raw_int {
                quote!(Self::from_code(value.code()))
            } else {
                quote!(Self::from_code(value.code() as #raw))
            };
            let other = if numeric {
                quote!(*other)
            } else {
                quote!(other.clone())
            };
            quote! {
                impl From<#path> for #ident {
                    /// The part's code; one it does not list is looked up in every table.
                    fn from(value: #path) -> Self {
                        if value.is_known() { Self::#v(value) } else { #unlisted }
                    }
                }

                impl PartialEq<#path> for #ident {
                    fn eq(&self, other: &#path) -> bool {
                        *self == Self::from(#other)
                    }
                }
            }
        });
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
            #(#variant_docs #variants(#paths),)*
            /// A code none of the tables lists.
            Unlisted(#raw_ty),
        }

        impl #ident {
            #conversions

            /// Whether one of the tables lists this code.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unlisted(_))
            }

            /// The name of the table the code belongs to, `None` for an unlisted code.
            pub fn table(&self) -> Option<&'static str> {
                match self {
                    #(Self::#variants(_) => Some(#part_names),)*
                    Self::Unlisted(_) => None,
                }
            }
        }

        impl ::atspec::CodeTable for #ident {
            const TABLE: &'static str = #table_name;

            fn meaning(&self) -> Option<&'static str> {
                match self {
                    #(Self::#variants(value) => ::atspec::CodeTable::meaning(value),)*
                    Self::Unlisted(_) => None,
                }
            }

            fn outcome(&self) -> ::atspec::code::Outcome {
                match self {
                    #(Self::#variants(value) => ::atspec::CodeTable::outcome(value),)*
                    Self::Unlisted(_) => ::atspec::code::Outcome::Unspecified,
                }
            }

            fn code_text(&self) -> String {
                #code_text
            }

            /// The code with the table it belongs to (not the combined table).
            fn info(&self) -> ::atspec::code::CodeInfo {
                match self {
                    #(Self::#variants(value) => ::atspec::CodeTable::info(value),)*
                    Self::Unlisted(_) => ::atspec::code::CodeInfo {
                        table: #table_name,
                        code: ::atspec::CodeTable::code_text(self),
                        meaning: None,
                    },
                }
            }
        }

        #(#conversions_from)*

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(Self::#variants(value) => ::core::fmt::Display::fmt(value, f),)*
                    Self::Unlisted(code) => write!(f, #unlisted, code),
                }
            }
        }
    }
}

/// Conversions of a combined text table: the raw type and the methods.
fn quote_text(
    variants: &[proc_macro2::Ident],
    paths: &[TokenStream],
) -> (TokenStream, TokenStream) {
    let methods = quote! {
        /// The value of a text code: the first of the tables that lists it (exact
        /// match, then case-insensitive, as each table reads it).
        pub fn from_text(text: &str) -> Self {
            #(
                let value = #paths::from_text(text);
                if value.is_known() {
                    return Self::#variants(value);
                }
            )*
            Self::Unlisted(text.to_owned())
        }

        /// The code's text as sent.
        pub fn text(&self) -> &str {
            match self {
                #(Self::#variants(value) => value.text(),)*
                Self::Unlisted(text) => text,
            }
        }
    };
    (quote!(String), methods)
}
