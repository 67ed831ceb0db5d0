//! Property tests of what reaches the wire: any text a constructor (or a line's
//! `check`) accepts encodes to one line that parses back to the same value, and
//! payload rules announce only the lengths the spec allows.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::command::constructors::infallible;
use super::roundtrip::{line_values, strategy, tuple_pattern, tuple_strategy};
use super::types::{constructor_args, field_ident, int};
use crate::ir::{Command, Field, FieldType, IntType, Line, Module, Package, TableRef};
use crate::model::Scalar;
use crate::names;

/// `tests/wire_<module>.rs`, or `None` for a module with nothing to test.
pub fn test_file(package: &Package, module: &Module) -> Option<TokenStream> {
    let krate = format_ident!("{}", names::crate_ident(&package.name));
    let module_ident = format_ident!("{}", module.name);
    let tables = |t: &TableRef| -> Vec<Scalar> {
        package
            .modules
            .iter()
            .flat_map(|m| &m.tables)
            .find(|table| table.reference == *t)
            .map(|table| table.codes.iter().map(|c| c.code.value.clone()).collect())
            .unwrap_or_default()
    };
    let escape = match package.dialect.string_escape {
        Some(c) if c.is_ascii() => {
            let byte = c as u8;
            quote!(Some(#byte))
        }
        _ => quote!(None),
    };
    let mut tests = Vec::new();
    for command in &module.commands {
        if let Some(test) = command_text_test(&krate, &module_ident, command, &tables, &escape) {
            tests.push(test);
        }
        tests.extend(payload_test(
            &krate,
            &module_ident,
            package,
            command,
            &tables,
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    let lines = module
        .commands
        .iter()
        .flat_map(|c| &c.response)
        .chain(&module.urcs);
    for line in lines.filter(|l| seen.insert(l.ident.clone())) {
        tests.extend(line_text_test(&krate, &module_ident, line, &tables));
    }
    if tests.is_empty() {
        return None;
    }
    let header = format!(
        " Wire safety of `{}`: any text a check accepts reads back, and payload lengths keep to the spec.",
        module.file
    );
    Some(quote! {
        #![doc = #header]
        #![allow(unused_imports)]
        use ::atspec::AtCommand as _;
        use ::atspec::DeferredCommand as _;
        use proptest::prelude::*;

        /// Text that probes the wire: separators, quotes, escapes, control characters,
        /// non-ASCII, and any string at all.
        fn any_text() -> impl Strategy<Value = String> {
            prop_oneof![
                proptest::string::string_regex(r#"[a-zA-Z0-9 ,;:"\\\r\n\t\x00\x1A{}é/_.-]{0,12}"#)
                    .expect("valid regex"),
                any::<String>(),
            ]
        }

        /// No CR, LF or NUL, and, when `quotes` holds the dialect's escape (if any), the
        /// double quotes pair up.
        fn one_line(line: &[u8], quotes: Option<Option<u8>>) -> bool {
            if line.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
                return false;
            }
            let Some(escape) = quotes else {
                return true;
            };
            let (mut count, mut skip) = (0usize, false);
            for &b in line {
                if skip {
                    skip = false;
                } else if Some(b) == escape {
                    skip = true;
                } else if b == b'"' {
                    count += 1;
                }
            }
            count % 2 == 0
        }

        #(#tests)*
    })
}

/// A strategy like the round-trip one, with any text for string and text fields.
fn probing(f: &Field, tables: &dyn Fn(&TableRef) -> Vec<Scalar>, command: bool) -> TokenStream {
    if !matches!(f.ty, FieldType::String | FieldType::Text) {
        return strategy(f, tables, None, command);
    }
    if f.usage.repeated {
        quote!(proptest::collection::vec(any_text(), 0..3))
    } else if f.usage.optional {
        quote!(proptest::option::of(any_text()))
    } else {
        quote!(any_text())
    }
}

fn has_text(fields: &[Field]) -> bool {
    fields
        .iter()
        .any(|f| matches!(f.ty, FieldType::String | FieldType::Text))
}

/// Every value `new` accepts, strings drawn from any text, encodes to one line with
/// paired quotes that both parsers read back.
fn command_text_test(
    krate: &Ident,
    module: &Ident,
    command: &Command,
    tables: &dyn Fn(&TableRef) -> Vec<Scalar>,
    escape: &TokenStream,
) -> Option<TokenStream> {
    let params: Vec<&Field> = command
        .params
        .iter()
        .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
        .collect();
    let owned: Vec<Field> = params.iter().map(|p| (*p).clone()).collect();
    if !has_text(&owned) {
        return None;
    }
    let ident = format_ident!("{}", command.ident);
    let name = format_ident!(
        "command_{}_takes_any_text_or_refuses_it",
        names::snake_of(&command.ident)
    );
    let strategies: Vec<TokenStream> = params.iter().map(|p| probing(p, tables, true)).collect();
    let bindings: Vec<Ident> = params.iter().map(|p| field_ident(p)).collect();
    let args = constructor_args(&params);
    let values = tuple_strategy(&strategies);
    let pattern = tuple_pattern(&bindings);
    let checks = quote! {
        let mut line = Vec::new();
        command.encode(&mut line);
        let shown = String::from_utf8_lossy(&line).into_owned();
        prop_assert!(one_line(&line, Some(#escape)), "not one line with paired quotes: {:?}", shown);
        let parsed = ::#krate::#module::#ident::parse(&line);
        prop_assert_eq!(parsed.as_ref(), Ok(&command), "line {:?}", shown);
        prop_assert!(::#krate::Command::parse(&line).is_ok(), "the package dispatcher reads {:?}", shown);
    };
    // A constructor that cannot fail takes every value: each must encode to one line.
    let built = if infallible(command) {
        quote! {
            let command = ::#krate::#module::#ident::new(#(#args),*);
            #checks
        }
    } else {
        quote! {
            if let Ok(command) = ::#krate::#module::#ident::new(#(#args),*) {
                #checks
            }
        }
    };
    Some(quote! {
        #[test]
        fn #name() {
            proptest!(|(values in #values)| {
                let #pattern = values;
                #built
            });
        }
    })
}

/// Every line value `check` accepts, text drawn from any text, encodes to one line
/// that parses back.
fn line_text_test(
    krate: &Ident,
    module: &Ident,
    line: &Line,
    tables: &dyn Fn(&TableRef) -> Vec<Scalar>,
) -> Option<TokenStream> {
    if !has_text(&line.fields) {
        return None;
    }
    let ident = format_ident!("{}", line.ident);
    let name = format_ident!(
        "line_{}_takes_any_text_or_refuses_it",
        names::field(&line.spec.name)
    );
    let lines = line_values(krate, module, line, &|f| probing(f, tables, false));
    Some(quote! {
        #[test]
        fn #name() {
            let lines = #lines;
            proptest!(|(value in lines)| {
                if value.check().is_ok() {
                    let mut line = Vec::new();
                    value.encode(&mut line);
                    let shown = String::from_utf8_lossy(&line).into_owned();
                    prop_assert!(one_line(&line, None), "not one line: {:?}", shown);
                    let parsed = ::#krate::#module::#ident::parse(&line);
                    prop_assert_eq!(parsed.as_ref(), Ok(&value), "line {:?}", shown);
                }
            });
        }
    })
}

/// The command's payload rules (`PAYLOAD`, and `DATA` of a deferred command) read
/// back every length from the length field's `min` up (past its `max` too) except
/// the end marker, and refuse the marker and the length just below `min`.
fn payload_test(
    krate: &Ident,
    module: &Ident,
    package: &Package,
    command: &Command,
    tables: &dyn Fn(&TableRef) -> Vec<Scalar>,
) -> Vec<TokenStream> {
    let ident = format_ident!("{}", command.ident);
    let mut rules = Vec::new();
    if let Some(line) = command.response.iter().find(|l| l.spec.payload.is_some()) {
        rules.push((
            quote!(<::#krate::#module::#ident as ::atspec::AtCommand>::PAYLOAD),
            module.clone(),
            line,
            "payload",
        ));
    }
    if let Some(line) = &command.completion_data
        && let Some(owner) = package
            .modules
            .iter()
            .find(|m| m.urcs.iter().any(|u| u.ident == line.ident))
    {
        rules.push((
            quote!(<::#krate::#module::#ident as ::atspec::DeferredCommand>::DATA),
            format_ident!("{}", owner.name),
            line,
            "data",
        ));
    }
    rules
        .into_iter()
        .filter_map(|(rule, line_module, line, what)| {
            let payload = line.spec.payload.as_ref()?;
            let field = line
                .fields
                .iter()
                .find(|f| f.spec.name.value == payload.length.value)?;
            let FieldType::Int { ty, min, .. } = field.ty else {
                return None;
            };
            let name = format_ident!(
                "command_{}_{what}_lengths_follow_the_spec",
                names::snake_of(&command.ident)
            );
            let length = field_ident(field);
            let t = int(ty);
            let lit =
                |v: i64| -> TokenStream { format!("{v}{}", ty.name()).parse().unwrap_or_default() };
            // Above the manual's maximum a length is still read: the bytes come anyway.
            let (lo, hi) = (lit(min), lit(type_max(ty)));
            let mut refused: Vec<i64> = Vec::new();
            if min > type_min(ty) {
                refused.push(min - 1);
            }
            let marker = payload.end_marker.as_ref().map(|m| m.value);
            if let Some(m) = marker.and_then(|m| i64::try_from(m).ok())
                && m <= type_max(ty)
                && !refused.contains(&m)
            {
                refused.push(m);
            }
            let refused: Vec<TokenStream> = refused.into_iter().map(lit).collect();
            let line_ident = format_ident!("{}", line.ident);
            let shown = quote!(String::from_utf8_lossy(&line));
            let check_read = match marker {
                Some(m) => quote! {
                    if len as u64 == #m {
                        prop_assert!(read.is_err(), "the end marker {:?} announced bytes", #shown);
                    } else {
                        prop_assert_eq!(read, Ok(len as usize), "line {:?}", #shown);
                    }
                },
                None => quote!(prop_assert_eq!(read, Ok(len as usize), "line {:?}", #shown);),
            };
            let check_refused = if refused.is_empty() {
                quote!()
            } else {
                quote! {
                    for refused in [#(#refused),*] {
                        let line = header(&mut value, refused);
                        prop_assert!((rule.length)(&line).is_err(), "{:?} announced bytes", #shown);
                    }
                }
            };
            let values = line_values(krate, &line_module, line, &|f| {
                strategy(f, tables, None, false)
            });
            Some(quote! {
                #[test]
                fn #name() {
                    let rule = #rule.expect("the command has the rule");
                    let header = |value: &mut ::#krate::#line_module::#line_ident, len: #t| {
                        value.#length = len;
                        let mut line = Vec::new();
                        value.encode(&mut line);
                        line
                    };
                    proptest!(|(mut value in #values, len in #lo..=#hi)| {
                        let line = header(&mut value, len);
                        let read = (rule.length)(&line).map(|(n, _)| n);
                        #check_read
                        #check_refused
                    });
                }
            })
        })
        .collect()
}

fn type_min(ty: IntType) -> i64 {
    match ty {
        IntType::I8 => i8::MIN.into(),
        IntType::I16 => i16::MIN.into(),
        IntType::I32 => i32::MIN.into(),
        IntType::I64 => i64::MIN,
        _ => 0,
    }
}

fn type_max(ty: IntType) -> i64 {
    match ty {
        IntType::U8 => u8::MAX.into(),
        IntType::U16 => u16::MAX.into(),
        IntType::U32 => u32::MAX.into(),
        IntType::I8 => i8::MAX.into(),
        IntType::I16 => i16::MAX.into(),
        IntType::I32 => i32::MAX.into(),
        IntType::U64 | IntType::I64 => i64::MAX,
    }
}
