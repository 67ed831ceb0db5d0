//! The `Model` enum of a package with module families.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc;
use crate::ir::{Command, Package};
use crate::names;

/// The Rust variant of a family id.
pub fn variant(family: &str) -> proc_macro2::Ident {
    format_ident!("{}", names::pascal(family))
}

/// `pub enum Model`, one variant per family; nothing for a package without families.
pub fn model_enum(package: &Package) -> TokenStream {
    if package.families.is_empty() {
        return quote!();
    }
    let variants = package.families.iter().map(|f| {
        let ident = variant(&f.name);
        let text = match &f.source {
            Some(source) => format!("{} (`{}`; {source}).", f.title, f.name),
            None => format!("{} (`{}`).", f.title, f.name),
        };
        let d = doc(&[text]);
        quote!(#d #ident,)
    });
    let all = package.families.iter().map(|f| variant(&f.name));
    let ids = package.families.iter().map(|f| {
        let (ident, id) = (variant(&f.name), &f.name);
        quote!(Self::#ident => #id,)
    });
    let titles = package.families.iter().map(|f| {
        let (ident, title) = (variant(&f.name), &f.title);
        quote!(Self::#ident => #title,)
    });
    quote! {
        /// The module families of this package, whose limits or commands differ.
        /// Commands built with `new` meet the limits common to every family; those
        /// built with `new_for(model, ...)` meet the limits of `model`, which refuses
        /// a command it does not have.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Model {
            #(#variants)*
        }

        impl ::atspec::Family for Model {
            const ALL: &'static [Self] = &[#(Self::#all),*];

            fn id(self) -> &'static str {
                match self {
                    #(#ids)*
                }
            }

            fn title(self) -> &'static str {
                match self {
                    #(#titles)*
                }
            }
        }
    }
}

/// Whether values of the command remember the family they were built for: only
/// when some family's timeout differs from the common one.
pub fn carries_model(c: &Command) -> bool {
    !c.timeout_by_family.is_empty() || !c.completion_by_family.is_empty()
}

/// A `match` on the value's family giving each listed family's bound and `common`
/// for the others and for values built with `new`.
pub fn bound_by_model(
    bounds: &[(String, u64)],
    family_bound: impl Fn(u64) -> TokenStream,
    common: TokenStream,
) -> TokenStream {
    let arms = bounds.iter().map(|(family, ms)| {
        let (v, bound) = (variant(family), family_bound(*ms));
        quote!(Some(crate::Model::#v) => #bound,)
    });
    quote! {
        match self.model {
            #(#arms)*
            _ => #common,
        }
    }
}

/// `ms` and the families' own bounds, for docs: `9000 ms (20000 ms on `big`)`.
pub fn bound_text(ms: u64, bounds: &[(String, u64)]) -> String {
    if bounds.is_empty() {
        return format!("{ms} ms");
    }
    let others: Vec<String> = bounds
        .iter()
        .map(|(family, ms)| format!("{ms} ms on `{family}`"))
        .collect();
    format!("{ms} ms ({})", others.join(", "))
}
