//! Golden tests: every manual example exchange of a module, step by step.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::command::constructors::{infallible, infallible_for};
use crate::ir::{Family, Module, Package, Step};
use crate::model::ResultKindSpec;
use crate::names;

/// `tests/examples_<module>.rs`.
pub fn test_file(package: &Package, module: &Module) -> TokenStream {
    let krate = format_ident!("{}", names::crate_ident(&package.name));
    let tests = module.examples.iter().enumerate().map(|(i, example)| {
        let slug: String = example
            .spec
            .title
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let name = format_ident!("example_{:02}_{}", i + 1, slug);
        let section = example.spec.source.section.clone().unwrap_or_default();
        let title = format!(
            "{} ({} §{section})",
            example.spec.title, example.spec.source.manual.value
        );
        let families: Vec<&str> = example
            .spec
            .families
            .iter()
            .flatten()
            .map(|f| f.value.as_str())
            .collect();
        let steps = example
            .steps
            .iter()
            .map(|s| step(&krate, s, &families, &package.families));
        let unconfirmed = example.spec.unconfirmed.as_ref().map(|why| {
            let why = format!(" UNCONFIRMED: {why}");
            quote!(#[doc = ""] #[doc = #why])
        });
        quote! {
            #[doc = #title]
            #unconfirmed
            #[test]
            fn #name() {
                #(#steps)*
            }
        }
    });
    let header = format!(
        " Manual examples of `{}` as golden tests: commands encode to the manual's line, responses and URCs parse to the manual's values.",
        module.file
    );
    quote! {
        #![doc = #header]
        #![allow(clippy::bool_assert_comparison)]

        use ::atspec::AtCommand as _;
        #(#tests)*
    }
}

fn expr(text: &str) -> TokenStream {
    text.parse()
        .unwrap_or_else(|_| quote!(compile_error!("invalid expression in example")))
}

/// One step; a command of this crate is built for each of `families` (with
/// `new_for`) when the example names families, and with `new` otherwise.
fn step(
    krate: &proc_macro2::Ident,
    s: &Step,
    families: &[&str],
    all_families: &[Family],
) -> TokenStream {
    match s {
        Step::Send {
            module,
            ident,
            line,
            args,
            command,
        } => {
            let path = expr(&format!("::{module}::{ident}"));
            let args = args.iter().map(|a| expr(a));
            let message = format!("manual example `{line}` has valid parameters");
            let own = module.starts_with(&format!("{krate}::"));
            if own && !families.is_empty() {
                let models = families.iter().map(|f| super::family::variant(f));
                let message =
                    format!("manual example `{line}` has valid parameters for {{model:?}}: {{e}}");
                let built = if infallible_for(command, all_families) {
                    quote!(#path::new_for(model, #(#args),*))
                } else {
                    quote!(#path::new_for(model, #(#args),*).unwrap_or_else(|e| panic!(#message)))
                };
                return quote! {
                    for model in <::#krate::Model as ::atspec::Family>::ALL
                        .iter()
                        .copied()
                        .filter(|model| matches!(model, #(::#krate::Model::#models)|*))
                    {
                        let command = #built;
                        let mut encoded = Vec::new();
                        command.encode(&mut encoded);
                        assert_eq!(String::from_utf8_lossy(&encoded), #line, "{model:?}");
                    }
                };
            }
            let built = if infallible(command) {
                quote!(#path::new(#(#args),*))
            } else {
                quote!(#path::new(#(#args),*).expect(#message))
            };
            quote! {
                {
                    let command = #built;
                    let mut encoded = Vec::new();
                    command.encode(&mut encoded);
                    assert_eq!(String::from_utf8_lossy(&encoded), #line);
                }
            }
        }
        Step::Result { line, kind } => {
            let kind = match kind {
                ResultKindSpec::Ok => quote!(Ok),
                ResultKindSpec::Error => quote!(Error),
                ResultKindSpec::Detail => quote!(Detail),
                ResultKindSpec::Busy => quote!(Busy),
            };
            let message = format!("`{line}` is a final result code");
            quote! {
                match ::#krate::DIALECT.classify(#line.as_bytes()) {
                    ::atspec::LineClass::Result(result) => assert_eq!(result.kind, ::atspec::ResultKind::#kind),
                    other => panic!("{}: got {other:?}", #message),
                }
            }
        }
        Step::Prompt { line } => {
            let message = format!("`{line}` is a prompt");
            quote! {
                assert!(matches!(::#krate::DIALECT.classify(#line.as_bytes()), ::atspec::LineClass::Prompt(_)), #message);
            }
        }
        Step::Response {
            line,
            module,
            ident,
            expect,
            payload,
        } => {
            let path = expr(&format!("::{module}::{ident}"));
            let asserts = expect.iter().map(|(field, value)| {
                let field = format_ident!("{}", names::field(field));
                let value = expr(value);
                quote!(assert_eq!(value.#field, #value);)
            });
            let payload = payload.as_ref().map(|(module, command, len)| {
                let command = expr(&format!("::{module}::{command}"));
                let len = *len as usize;
                quote! {
                    let rule = <#command as ::atspec::AtCommand>::PAYLOAD.expect("the command announces a payload");
                    assert_eq!((rule.length)(#line.as_bytes()).expect("payload length parses").0, #len);
                }
            });
            let message = format!("`{line}` parses");
            quote! {
                {
                    let value = #path::parse(#line.as_bytes()).expect(#message);
                    #(#asserts)*
                    #payload
                }
            }
        }
        Step::Urc {
            line,
            variant,
            expect,
        } => {
            let variant = format_ident!("{}", variant);
            let asserts = expect.iter().map(|(field, value)| {
                let field = format_ident!("{}", names::field(field));
                let value = expr(value);
                quote!(assert_eq!(value.#field, #value);)
            });
            let message = format!("`{line}` is a URC of this package");
            let binding = if expect.is_empty() {
                quote!(_)
            } else {
                quote!(value)
            };
            quote! {
                {
                    assert!(matches!(::#krate::DIALECT.classify(#line.as_bytes()), ::atspec::LineClass::Urc(_)), #message);
                    match ::#krate::Urc::parse(#line.as_bytes()) {
                        Some(Ok(::#krate::Urc::#variant(#binding))) => {
                            #(#asserts)*
                        }
                        other => panic!("{}: got {other:?}", #message),
                    }
                }
            }
        }
        Step::Data => quote!(),
    }
}
