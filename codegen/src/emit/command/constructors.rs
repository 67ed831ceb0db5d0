//! The two ways to build a checked command: `new` from values and `parse` from
//! a command line, which reads the values and hands them to `new`.

use proc_macro2::TokenStream;
use quote::quote;

use super::param_checks::{can_refuse, check, group_checks};
use crate::emit::docs::{doc, field_doc};
use crate::emit::family::{carries_model, variant};
use crate::emit::template_parse::parse_body;
use crate::emit::types::{constructor_args, field_ident, stored};
use crate::ir::{Command, Family, Field, FieldType};

/// Whether `new` of this command shape can refuse nothing, and so returns `Self`
/// rather than `Result<Self, ParamError>`: no parameter has a value its type can
/// hold that the manual forbids (see `can_refuse`), and no optional group has a
/// rule tying its parameters together. Emitters that call `new` ask this.
pub(crate) fn infallible(command: &Command) -> bool {
    command.params.iter().all(|p| !can_refuse(p))
        && group_checks(&command.template.pieces, &command.params, None).is_empty()
}

/// Whether `new_for` of this command shape can refuse nothing: `new` cannot, every
/// family has the shape, and no family's own limits can refuse a value.
pub(crate) fn infallible_for(command: &Command, families: &[Family]) -> bool {
    infallible(command)
        && !lacks_family(command, families)
        && command
            .params
            .iter()
            .flat_map(|p| &p.by_family)
            .all(|(_, field)| !can_refuse(field))
}

/// Whether some family of the package lacks this command shape.
fn lacks_family(command: &Command, families: &[Family]) -> bool {
    command
        .only
        .as_ref()
        .is_some_and(|only| only.len() < families.len())
}

/// The `Ok(..)`-wrapped or bare return of a constructor, and its return type.
fn returned(infallible: bool, value: TokenStream) -> (TokenStream, TokenStream) {
    if infallible {
        (quote!(Self), value)
    } else {
        (
            quote!(Result<Self, ::atspec::ParamError>),
            quote!(Ok(#value)),
        )
    }
}

/// Constructor argument type: strings by reference.
fn arg_type(p: &Field, package: &str) -> TokenStream {
    match (&p.ty, p.usage.repeated, p.usage.optional) {
        (FieldType::String, false, false) => quote!(&str),
        (FieldType::String, false, true) => quote!(Option<&str>),
        _ => stored(p, package),
    }
}

pub(super) fn constructor(
    c: &Command,
    params: &[&Field],
    package: &str,
    escape: Option<char>,
) -> TokenStream {
    let args = args(params, package);
    let checks = params.iter().map(|p| check(p, escape));
    let groups = group_checks(&c.template.pieces, &c.params, None);
    let mut assigns = assigns(params);
    if carries_model(c) {
        assigns.push(quote!(model: None));
    }
    let param_docs: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.spec.name.value,
                field_doc(p).join(" ").trim()
            )
        })
        .collect();
    let infallible = infallible(c);
    let mut paragraphs = vec![match (infallible, params.is_empty()) {
        (true, true) => "Builds the command. It has no parameters, so this cannot fail.",
        (true, false) => {
            "Builds the command. This cannot fail: every value of the parameters' types is one the manual allows."
        }
        (false, _) => "Builds the command, checking every parameter against the manual's limits.",
    }
    .to_owned()];
    if !param_docs.is_empty() {
        paragraphs.push(param_docs.join("\n"));
    }
    if !infallible {
        paragraphs.push("Returns a [`::atspec::ParamError`] naming the parameter when a value is out of range, too long, not allowed, or holds a character the command line cannot carry.".to_owned());
    }
    let docs = doc(&paragraphs);
    let allow = allow_many(params.len());
    let (ty, value) = returned(infallible, quote!(Self { #(#assigns),* }));
    quote! {
        #docs
        #allow
        pub fn new(#(#args),*) -> #ty {
            #(#checks)*
            #groups
            #value
        }
    }
}

/// The constructor's arguments, one per parameter.
fn args(params: &[&Field], package: &str) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| {
            let name = field_ident(p);
            let ty = arg_type(p, package);
            quote!(#name: #ty)
        })
        .collect()
}

/// Clippy's limit is seven arguments; the manual decides how many there are.
fn allow_many(arguments: usize) -> TokenStream {
    if arguments > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    }
}

/// The struct fields from the checked arguments.
fn assigns(params: &[&Field]) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| {
            let name = field_ident(p);
            match (&p.ty, p.usage.repeated, p.usage.optional) {
                (FieldType::String, false, false) => quote!(#name: #name.to_owned()),
                (FieldType::String, false, true) => quote!(#name: #name.map(str::to_owned)),
                _ => quote!(#name),
            }
        })
        .collect()
}

/// `new_for`: the constructor for one module family, which checks that the family
/// has this shape and applies the limits the family gives differently. Nothing
/// for a package without families.
pub(super) fn constructor_for(
    c: &Command,
    params: &[&Field],
    package: &str,
    families: &[Family],
    escape: Option<char>,
) -> TokenStream {
    if families.is_empty() {
        return quote!();
    }
    let args = args(params, package);
    let mut uses_model = false;
    let availability = match &c.only {
        Some(only) if lacks_family(c, families) => {
            uses_model = true;
            let having = only.iter().map(|f| {
                let v = variant(f);
                quote!(crate::Model::#v)
            });
            let syntax = &c.syntax;
            quote! {
                if !matches!(model, #(#having)|*) {
                    return Err(::atspec::ParamError::Unavailable {
                        command: #syntax,
                        family: ::atspec::Family::id(model),
                    });
                }
            }
        }
        _ => quote!(),
    };
    let checks: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            if p.by_family.is_empty() {
                return check(p, escape);
            }
            uses_model = true;
            let arms = p.by_family.iter().map(|(family, field)| {
                let (v, body) = (variant(family), check(field, escape));
                quote!(crate::Model::#v => { #body })
            });
            let common = check(p, escape);
            let rest = (p.by_family.len() < families.len()).then(|| quote!(_ => { #common }));
            quote!(match model { #(#arms)* #rest })
        })
        .collect();
    let mut assigns = assigns(params);
    if carries_model(c) {
        uses_model = true;
        assigns.push(quote!(model: Some(model)));
    }
    let unused = (!uses_model).then(|| quote!(let _ = model;));
    let groups = group_checks(&c.template.pieces, &c.params, None);
    let infallible = infallible_for(c, families);
    let mut paragraphs = vec![if infallible {
        "Builds the command for the module family `model`, whose timeouts then apply.".to_owned()
    } else {
        "Builds the command for the module family `model`: checks that the family has this command and checks every parameter against that family's limits (the common ones where the family gives none).".to_owned()
    }];
    let overrides: Vec<String> = params
        .iter()
        .flat_map(|p| {
            p.by_family.iter().map(move |(family, field)| {
                // The facts paragraph only: the description is that of `new`.
                let mut facts = field_doc(field).get(1).cloned().unwrap_or_default();
                if let Some(allowed) = &field.spec.allowed {
                    let codes: Vec<String> = allowed.iter().map(|c| c.value.to_string()).collect();
                    facts.push_str(&format!(" Allowed: {}.", codes.join(", ")));
                }
                format!("- `{}` on `{family}`: {}", p.spec.name.value, facts.trim())
            })
        })
        .collect();
    if !overrides.is_empty() {
        paragraphs.push(format!("Family limits:\n{}", overrides.join("\n")));
    }
    if let Some(only) = &c.only {
        paragraphs.push(format!(
            "Available on: {}.",
            only.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    paragraphs.push(if infallible {
        "This cannot fail: every family has the command and no family limits its parameters.".to_owned()
    } else {
        "Returns [`::atspec::ParamError::Unavailable`] naming the family and the command when the family lacks it, and the errors of [`Self::new`] otherwise.".to_owned()
    });
    let docs = doc(&paragraphs);
    let allow = allow_many(params.len() + 1);
    let (ty, value) = returned(infallible, quote!(Self { #(#assigns),* }));
    quote! {
        #docs
        #allow
        pub fn new_for(model: crate::Model, #(#args),*) -> #ty {
            #unused
            #availability
            #(#checks)*
            #groups
            #value
        }
    }
}

/// `parse`: a command line back to the typed command, with the constructor's checks.
pub(super) fn parse_command(
    c: &Command,
    params: &[&Field],
    package: &str,
    escape: Option<char>,
) -> TokenStream {
    let body = parse_body(&c.template, &c.params, package, escape, true);
    let counts: Vec<_> = c
        .params
        .iter()
        .filter(|p| matches!(p.ty, FieldType::Count { .. }))
        .map(field_ident)
        .collect();
    let ignore_counts = if counts.is_empty() {
        quote!()
    } else {
        // Counts are derived from their lists by `new`.
        quote!(#(let _ = #counts;)*)
    };
    let args = constructor_args(params);
    let built = if infallible(c) {
        quote!(Ok(Self::new(#(#args),*)))
    } else {
        quote!(Self::new(#(#args),*).map_err(|e| ::atspec::ParseError::new(line, p.offset(), e.to_string())))
    };
    quote! {
        /// Parses a command line of this shape (without its terminator), with the
        /// same checks as [`Self::new`]: the inverse of `encode`, for emulators and
        /// log readers. It accepts what the modem accepts
        /// ([`COMMAND_TOLERANCE`](crate::COMMAND_TOLERANCE)); a value the checks
        /// refuse is reported at the end of the line, which was read as this shape.
        pub fn parse(line: &[u8]) -> Result<Self, ::atspec::ParseError> {
            let mut p = ::atspec::LineParser::command_line(line, crate::COMMAND_TOLERANCE);
            #body
            p.end()?;
            #ignore_counts
            #built
        }
    }
}
