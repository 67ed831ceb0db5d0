//! Property tests of the symmetric code: every valid command value encodes and
//! parses back to itself, and so does every response line and URC value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::command::constructors::infallible;
use super::types::{constructor_args, field_ident, int};
use crate::ir::{Field, FieldType, Line, Module, Package, TableRef};
use crate::model::{Quoting, Scalar};
use crate::names;

/// `tests/roundtrip_<module>.rs`, or `None` for a module with nothing to test.
pub fn test_file(package: &Package, module: &Module) -> Option<TokenStream> {
    let krate = format_ident!("{}", names::crate_ident(&package.name));
    let module_ident = format_ident!("{}", module.name);
    let escape = package.dialect.string_escape;
    let tables = |t: &TableRef| -> Vec<Scalar> {
        package
            .modules
            .iter()
            .flat_map(|m| &m.tables)
            .find(|table| table.reference == *t)
            .map(|table| table.codes.iter().map(|c| c.code.value.clone()).collect())
            .unwrap_or_default()
    };
    let mut tests = Vec::new();
    for command in &module.commands {
        let params: Vec<&Field> = command
            .params
            .iter()
            .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
            .collect();
        let ident = format_ident!("{}", command.ident);
        let name = format_ident!("command_{}_round_trips", names::snake_of(&command.ident));
        let strategies: Vec<TokenStream> = params
            .iter()
            .map(|p| strategy(p, &tables, escape, true))
            .collect();
        let bindings: Vec<_> = params.iter().map(|p| field_ident(p)).collect();
        let args = constructor_args(&params);
        let values = tuple_strategy(&strategies);
        let pattern = tuple_pattern(&bindings);
        let built = if infallible(command) {
            quote!(Some(::#krate::#module_ident::#ident::new(#(#args),*)))
        } else {
            quote!(::#krate::#module_ident::#ident::new(#(#args),*).ok())
        };
        tests.push(quote! {
            #[test]
            fn #name() {
                let commands = #values.prop_filter_map("the spec's limits", |#pattern| {
                    #built
                });
                proptest!(|(command in commands)| {
                    let mut line = Vec::new();
                    command.encode(&mut line);
                    let parsed = ::#krate::#module_ident::#ident::parse(&line);
                    prop_assert_eq!(parsed.as_ref(), Ok(&command), "line {:?}", String::from_utf8_lossy(&line));
                    let any = ::#krate::Command::parse(&line);
                    prop_assert!(any.is_ok(), "the package dispatcher reads {:?}", String::from_utf8_lossy(&line));
                });
            }
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let lines = module
        .commands
        .iter()
        .flat_map(|c| &c.response)
        .chain(&module.urcs);
    for line in lines.filter(|l| seen.insert(l.ident.clone())) {
        tests.push(line_test(&krate, &module_ident, line, &tables));
    }
    if tests.is_empty() {
        return None;
    }
    let header = format!(
        " Round trips of `{}`: encode then parse gives back the same value.",
        module.file
    );
    // Command round trips call `AtCommand::encode`; a module of URCs only has none.
    let command_trait = if module.commands.is_empty() {
        quote!()
    } else {
        quote!(
            use ::atspec::AtCommand as _;
        )
    };
    Some(quote! {
        #![doc = #header]
        #command_trait
        use proptest::prelude::*;
        #(#tests)*
    })
}

fn line_test(
    krate: &proc_macro2::Ident,
    module: &proc_macro2::Ident,
    line: &Line,
    tables: &dyn Fn(&TableRef) -> Vec<Scalar>,
) -> TokenStream {
    let ident = format_ident!("{}", line.ident);
    let name = format_ident!("line_{}_round_trips", names::field(&line.spec.name));
    let lines = line_values(krate, module, line, &|f| strategy(f, tables, None, false));
    quote! {
        #[test]
        fn #name() {
            let lines = #lines;
            proptest!(|(value in lines)| {
                prop_assert_eq!(value.check(), Ok(()), "a value the parser can read passes the check");
                let mut line = Vec::new();
                value.encode(&mut line);
                let parsed = ::#krate::#module::#ident::parse(&line);
                prop_assert_eq!(parsed.as_ref(), Ok(&value), "line {:?}", String::from_utf8_lossy(&line));
            });
        }
    }
}

/// A strategy for values of a line struct, each field drawn by `field`, keeping
/// to the template's groups (a field is only written with the fields it is grouped
/// with).
pub(super) fn line_values(
    krate: &proc_macro2::Ident,
    module: &proc_macro2::Ident,
    line: &Line,
    field: &dyn Fn(&Field) -> TokenStream,
) -> TokenStream {
    let ident = format_ident!("{}", line.ident);
    let strategies: Vec<TokenStream> = line.fields.iter().map(field).collect();
    let bindings: Vec<_> = line.fields.iter().map(field_ident).collect();
    let values = tuple_strategy(&strategies);
    let pattern = tuple_pattern(&bindings);
    let rules = group_rules(&line.template.pieces, &line.fields, None);
    let checks: Vec<TokenStream> = rules
        .iter()
        .map(|(a, b)| {
            let (a, b) = (field_ident(a), field_ident(b));
            quote!(value.#a.is_none() || value.#b.is_some())
        })
        .collect();
    let filter = match checks.as_slice() {
        [] => quote!(),
        [only] => quote!(.prop_filter("fields written only with their group", |value| #only)),
        many => quote!(.prop_filter("fields written only with their group", |value| #((#many))&&*)),
    };
    quote! {
        #values
            .prop_map(|#pattern| ::#krate::#module::#ident { #(#bindings),* })
            #filter
    }
}

/// Tuples of strategies nest beyond 10 elements.
pub(super) fn tuple_strategy(strategies: &[TokenStream]) -> TokenStream {
    match strategies {
        [] => quote!(Just(())),
        [one] => quote!((#one,)),
        many if many.len() <= 10 => quote!((#(#many),*)),
        many => {
            let (head, tail) = many.split_at(10);
            let tail = tuple_strategy(tail);
            quote!((#(#head),*, #tail))
        }
    }
}

pub(super) fn tuple_pattern(bindings: &[proc_macro2::Ident]) -> TokenStream {
    match bindings {
        [] => quote!(()),
        [one] => quote!((#one,)),
        many if many.len() <= 10 => quote!((#(#many),*)),
        many => {
            let (head, tail) = many.split_at(10);
            let tail = tuple_pattern(tail);
            quote!((#(#head),*, #tail))
        }
    }
}

/// A strategy for one field's stored value (with Option/Vec as its place needs).
pub(super) fn strategy(
    f: &Field,
    tables: &dyn Fn(&TableRef) -> Vec<Scalar>,
    escape: Option<char>,
    command: bool,
) -> TokenStream {
    let element = match &f.ty {
        FieldType::Int { ty, min, max } => {
            let t = ty.name();
            format!("{min}{t}..={max}{t}").parse().unwrap_or_default()
        }
        FieldType::Count { .. } => {
            let ty = int(super::types::count_type(f));
            quote!((0..=16u8).prop_map(#ty::from))
        }
        FieldType::String => {
            let regex = string_regex(f, escape, command);
            quote!(proptest::string::string_regex(#regex).expect("valid regex"))
        }
        FieldType::Text => quote!(
            proptest::string::string_regex("[a-zA-Z0-9][a-zA-Z0-9,.: ]{0,14}[a-zA-Z0-9]")
                .expect("valid regex")
        ),
        FieldType::Enum(t) => {
            let path = {
                let krate = format_ident!("{}", names::crate_ident(&t.package));
                let module = format_ident!("{}", t.module);
                let ident = format_ident!("{}", t.ident);
                quote!(::#krate::#module::#ident)
            };
            let allowed: Vec<Scalar> = match &f.spec.allowed {
                Some(list) => list.iter().map(|v| v.value.clone()).collect(),
                None => tables(t),
            };
            let values = allowed.iter().map(|code| match code {
                Scalar::Int(v) => {
                    let v = proc_macro2::Literal::i128_unsuffixed(i128::from(*v));
                    quote!(#path::from_code(#v))
                }
                Scalar::Text(v) => quote!(#path::from_text(#v)),
            });
            quote!(proptest::sample::select(vec![#(#values),*]))
        }
    };
    if f.usage.repeated {
        quote!(proptest::collection::vec(#element, 0..3))
    } else if f.usage.optional {
        quote!(proptest::option::of(#element))
    } else {
        element
    }
}

/// Strings a field can hold and still read back the same: characters the spec
/// allows, within its length limit (kept short so tests stay fast).
fn string_regex(f: &Field, escape: Option<char>, command: bool) -> String {
    if let Some(pattern) = &f.spec.pattern {
        // Values the pattern allows; the constructor filters out the rest.
        return pattern.value.clone();
    }
    let quoted = f.quoting != Quoting::Never;
    let mut class = String::from("a-zA-Z0-9./:_\\-");
    if quoted {
        class.push(' ');
        if command && escape.is_some() {
            class.push_str("\",");
        }
    }
    if f.spec.non_ascii_prefix.is_some() {
        class.push('é');
    }
    if let Some(forbid) = &f.spec.forbid {
        for ch in forbid.chars() {
            class = class.replace(ch, "");
        }
    }
    let min = f.spec.min_len.as_ref().map_or(0, |m| m.value);
    // Unquoted and response strings need at least one character to be seen at all.
    let min = if quoted && command { min } else { min.max(1) };
    let cap = f.spec.max_len.as_ref().map_or(24, |m| m.value.min(24));
    let max = if f.spec.non_ascii_prefix.is_some() {
        cap / 2
    } else {
        cap
    }
    .max(min);
    if f.spec.prefix.is_empty() {
        return format!("[{class}]{{{min},{max}}}");
    }
    let prefixes: Vec<String> = f.spec.prefix.iter().map(|p| regex_literal(p)).collect();
    format!("(?:{})[{class}]{{{min},{max}}}", prefixes.join("|"))
}

/// `text` as a regex matching exactly it.
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Pairs `(a, b)`: when optional field `a` is present, `b` must be too (the direct
/// fields of a group come together; a nested group needs its enclosing group).
pub(super) fn group_rules<'f>(
    pieces: &[crate::template::Piece],
    fields: &'f [Field],
    enclosing: Option<&'f Field>,
) -> Vec<(&'f Field, &'f Field)> {
    use crate::template::Piece;
    let mut rules = Vec::new();
    for piece in pieces {
        let Piece::Optional(inner) = piece else {
            continue;
        };
        let direct: Vec<&Field> = super::types::direct_fields(inner, fields)
            .into_iter()
            .filter(|f| f.usage.optional && !f.usage.repeated)
            .collect();
        for a in &direct {
            for b in &direct {
                if !std::ptr::eq(*a, *b) {
                    rules.push((*a, *b));
                }
            }
            if let Some(outer) = enclosing {
                rules.push((*a, outer));
            }
        }
        rules.extend(group_rules(
            inner,
            fields,
            direct.first().copied().or(enclosing),
        ));
    }
    rules
}
