//! `src/__fuzz.rs` of every generated crate: one entry point that runs every
//! response-line and URC parser of the package, for the fuzz targets in `fuzz/`.
//!
//! A fuzzer cannot name the hundreds of line types one by one (and must not go
//! stale when a spec adds one), so the generator lists them: `check_line` tries
//! each type's `parse` on a line and, for every type that accepts it, checks that
//! `encode` writes a line that parses back to an equal value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Line, Package};

/// File name of the module, relative to the crate's `src/`.
pub const FILE: &str = "__fuzz.rs";

/// The declaration appended to `lib.rs`: hidden, since it is no API for users.
pub fn declaration() -> TokenStream {
    quote! {
        /// Checks for the fuzz targets in `fuzz/` (see the module docs); not part of the API.
        #[doc(hidden)]
        pub mod __fuzz;
    }
}

/// Every line type the crate defines, as `(module, struct)`, in the order the
/// module files emit them (a command's response lines once per module, then URCs).
fn line_types(package: &Package) -> Vec<(&str, &Line)> {
    let mut out = Vec::new();
    for module in &package.modules {
        let mut seen = std::collections::BTreeSet::new();
        let responses = module.commands.iter().flat_map(|c| &c.response);
        for line in responses.chain(&module.urcs) {
            if seen.insert(line.ident.as_str()) {
                out.push((module.name.as_str(), line));
            }
        }
    }
    out
}

/// The module's tokens.
pub fn module_rs(package: &Package) -> TokenStream {
    let types = line_types(package);
    let names: Vec<String> = types
        .iter()
        .map(|(module, line)| format!("{module}::{}", line.ident))
        .collect();
    let checks = types.iter().zip(&names).map(|((module, line), name)| {
        let (module, ident) = (format_ident!("{}", module), format_ident!("{}", line.ident));
        quote!(check(#name, line, crate::#module::#ident::parse, crate::#module::#ident::encode))
    }).collect::<Vec<_>>();
    let escape = match package.dialect.string_escape {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let docs = super::docs::doc(&[
        format!(
            "Checks for the fuzz targets in the repository's `fuzz/` directory (package `{}`).",
            package.name
        ),
        "Hidden from the docs and not part of the API: `check_line` runs every \
         response-line and URC parser of the package on one line and checks that each \
         value it accepts round-trips through `encode`; `STRING_ESCAPE` tells the \
         command fuzzer how quoted strings of this dialect escape a `\"`."
            .to_owned(),
    ]);
    // Inner doc attributes: the docs are the module's own.
    let docs: TokenStream = docs
        .to_string()
        .replace("# [doc", "#![doc")
        .parse()
        .unwrap_or_default();
    // One type: its outcome is the answer (a loop over one element is a lint).
    let body = match checks.as_slice() {
        [only] => quote!(#only),
        _ => quote! {
            let mut accepted = 0;
            for outcome in [#(#checks),*] {
                accepted += outcome?;
            }
            Ok(accepted)
        },
    };
    quote! {
        #docs

        /// The character this dialect writes before a `"`, `,` or itself inside a
        /// quoted string, if it has one (`None`: such strings hold no `"`).
        pub const STRING_ESCAPE: Option<char> = #escape;

        /// Every response-line and URC type [`check_line`] runs, as `module::Type`.
        pub const LINE_TYPES: &[&str] = &[#(#names),*];

        /// Runs every response-line and URC type's `parse` on `line` (without its
        /// CR LF). For each type that accepts it, the value is encoded and parsed
        /// again: the encoding must hold no CR or LF (unless `line` did) and parse
        /// back to an equal value. Returns how many types accepted the line, or the
        /// first mismatch, naming the type, the line, the value and the encoding.
        pub fn check_line(line: &[u8]) -> Result<usize, String> {
            use ::atspec::round_trip::check_line as check;
            #body
        }
    }
}
