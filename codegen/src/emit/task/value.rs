//! Rust expressions for task bindings, conditions and results.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::types::{int, table_path};
use crate::ir::{Field, FieldType, IntType, TableRef};
use crate::task_ir::{Arg, CodeLiteral, Condition, Input, Ref, StepField, Value};

/// What generated task code calls its inputs: the request (HTTP) or the link
/// (network), and the method table lookup for `$input.method`.
pub(super) struct Inputs<'a> {
    /// The package being generated (table paths are relative to it).
    pub package: &'a str,
    /// `(method name, table, code)` for every method a table maps.
    pub methods: &'a [(String, TableRef, CodeLiteral)],
}

/// The constructor argument for one parameter.
pub(super) fn arg(inputs: &Inputs<'_>, a: &Arg) -> TokenStream {
    let p = &a.param;
    let Some(value) = &a.value else {
        return if p.usage.repeated {
            quote!(Vec::new())
        } else {
            quote!(None)
        };
    };
    // An optional input bound to an optional number goes through as it is: an
    // offset not given leaves the parameter out instead of sending 0.
    if p.usage.optional
        && !p.usage.repeated
        && let (Value::Ref(Ref::Input(Input::TransferOffset)), FieldType::Int { ty, .. }) =
            (value, &p.ty)
    {
        let what = &p.spec.name.value;
        let fit = fit(*ty, what, quote!(offset));
        return quote!(match offset { Some(offset) => Some(#fit), None => None });
    }
    let inner = bound(inputs, p, value);
    // One value for a repeated parameter: a list of one.
    if p.usage.repeated && !matches!(value, Value::Ref(Ref::Input(Input::HeaderLines))) {
        return quote!(vec![#inner]);
    }
    let passes_option = matches!(value, Value::Ref(Ref::Input(Input::User | Input::Password)));
    if p.usage.optional && !p.usage.repeated && !passes_option {
        quote!(Some(#inner))
    } else {
        inner
    }
}

/// A value of the parameter's element type.
fn bound(inputs: &Inputs<'_>, p: &Field, value: &Value) -> TokenStream {
    let what = &p.spec.name.value;
    match value {
        Value::Int(n) => {
            let lit = Literal::i64_unsuffixed(*n);
            quote!(#lit)
        }
        Value::Text(t) => quote!(#t),
        Value::Code(table, code) => code_value(inputs.package, table, code),
        Value::Choice(test, then, otherwise) => {
            let test = condition(inputs, test);
            let then = bound(inputs, p, then);
            let otherwise = bound(inputs, p, otherwise);
            quote!(if #test { #then } else { #otherwise })
        }
        Value::Ref(r) => match (r, &p.ty) {
            (Ref::Input(i), ty) => input_value(inputs, *i, ty, what, p.usage.optional),
            (Ref::ChunkOffset, FieldType::Int { ty, .. }) => fit(*ty, what, quote!(chunk.offset)),
            (Ref::ChunkSize, FieldType::Int { ty, .. }) => fit(*ty, what, quote!(chunk.size)),
            (Ref::Step(s), FieldType::Int { ty, .. }) => {
                let read = step_field(s);
                fit(*ty, what, quote!(u64::try_from(#read).unwrap_or(u64::MAX)))
            }
            (Ref::Step(s), FieldType::String | FieldType::Text) => {
                let read = step_field(s);
                quote!(&#read)
            }
            (Ref::Step(s), _) => {
                let read = step_field(s);
                quote!(#read.clone())
            }
            // The resolver refuses every other pairing.
            _ => quote!(compile_error!("unbindable value")),
        },
    }
}

/// `run.fit::<T>(what, value)?`.
fn fit(ty: IntType, what: &str, value: TokenStream) -> TokenStream {
    let ty = int(ty);
    quote!(run.fit::<#ty>(#what, #value)?)
}

fn code_value(package: &str, table: &TableRef, code: &CodeLiteral) -> TokenStream {
    let path = table_path(table, Some(package));
    match code {
        CodeLiteral::Number(n) => {
            let lit = Literal::i64_unsuffixed(*n);
            quote!(#path::from_code(#lit))
        }
        CodeLiteral::Text(t) => quote!(#path::from_text(#t)),
    }
}

fn input_value(
    inputs: &Inputs<'_>,
    input: Input,
    ty: &FieldType,
    what: &str,
    optional: bool,
) -> TokenStream {
    let number = |value: TokenStream| match ty {
        FieldType::Int { ty, .. } => fit(*ty, what, value),
        _ => quote!(compile_error!("a number input bound to a non-number")),
    };
    match input {
        Input::Url => quote!(request.url()),
        Input::HeaderBlock => quote!(&request.header_block()),
        Input::HeaderLines => quote! {
            request.headers().iter().map(|(name, value)| format!("{name}: {value}")).collect::<Vec<String>>()
        },
        Input::HeaderCount => number(quote!(request.headers().len() as u64)),
        Input::BodyLen => number(quote!(request.body_len().unwrap_or(0))),
        Input::Offset => number(quote!(request.offset().unwrap_or(0))),
        Input::Host => quote!(url.host),
        Input::Path => quote!(url.path),
        Input::Port => number(quote!(u64::from(url.port))),
        Input::Apn => quote!(link.apn().unwrap_or_default()),
        Input::Ssid => quote!(link.ssid().unwrap_or_default()),
        Input::User if optional => quote!(link.user_name()),
        Input::User => quote!(link.user_name().unwrap_or_default()),
        Input::Password if optional => quote!(link.password_text()),
        Input::Password => quote!(link.password_text().unwrap_or_default()),
        Input::Method => {
            let arms = inputs.methods.iter().map(|(name, table, code)| {
                let variant = method_variant(name);
                let value = code_value(inputs.package, table, code);
                quote!(::atspec::task::Method::#variant => #value,)
            });
            quote! {
                match request.method() {
                    #(#arms)*
                    #[allow(unreachable_patterns)]
                    other => return Err(run.unsupported(format!("method {other}"))),
                }
            }
        }
        Input::ServerHost => quote!(server.host()),
        Input::ServerUser => quote!(server.user()),
        Input::ServerPassword => quote!(server.password()),
        Input::ServerPort => number(quote!(u64::from(server.port_or_default()))),
        Input::RemotePath => quote!(remote.path()),
        Input::RemoteDir => quote!(remote.dir()),
        Input::RemoteName => quote!(remote.name()),
        Input::TransferOffset => number(quote!(offset.unwrap_or(0))),
        Input::PutLen => number(quote!(len)),
        Input::RenameTo => quote!(target.path()),
        Input::Https
        | Input::Headers
        | Input::Body
        | Input::Security
        | Input::Passive
        | Input::PutBody => {
            quote!(compile_error!(
                "a condition-only input bound to a parameter"
            ))
        }
    }
}

/// The runtime's `Method` variant of a method name.
pub(super) fn method_variant(name: &str) -> proc_macro2::Ident {
    let mut chars = name.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('X');
    format_ident!("{first}{}", chars.as_str())
}

/// `read` equals one of `values`, compared as the field's type.
fn field_equals(
    inputs: &Inputs<'_>,
    field: &Field,
    read: TokenStream,
    values: &[Value],
) -> TokenStream {
    let checks = values.iter().map(|v| {
        let rhs = match v {
            Value::Int(n) => {
                let lit = Literal::i64_unsuffixed(*n);
                quote!(#lit)
            }
            Value::Text(t) => quote!(#t),
            Value::Code(table, code) => code_value(inputs.package, table, code),
            _ => quote!(compile_error!("not a literal")),
        };
        match (field.usage.optional, &field.ty) {
            (true, FieldType::String | FieldType::Text) => quote!(#read.as_deref() == Some(#rhs)),
            (true, _) => quote!(#read == Some(#rhs)),
            (false, _) => quote!(#read == #rhs),
        }
    });
    quote!(#(#checks)||*)
}

/// The runtime's `FtpSecurity` variant of a security name.
pub(super) fn security_variant(name: &str) -> proc_macro2::Ident {
    method_variant(name)
}

/// Reads a field of an earlier step: `c_<id>.<field>` (completion) or
/// `r_<id>.<field>` (response line).
pub(super) fn step_field(s: &StepField) -> TokenStream {
    let var = if s.completion {
        format_ident!("c_{}", s.step)
    } else {
        format_ident!("r_{}", s.step)
    };
    let field = crate::emit::types::field_ident(&s.field);
    quote!(#var.#field)
}

/// A condition as a `bool` expression.
pub(super) fn condition(inputs: &Inputs<'_>, c: &Condition) -> TokenStream {
    let test = match (&c.subject, &c.equals) {
        (Ref::Input(i), None) => match i {
            Input::Body => quote!(request.body_len().is_some()),
            Input::Headers => quote!(!request.headers().is_empty()),
            Input::Https => quote!(request.is_https()),
            Input::Offset => quote!(request.offset().is_some()),
            Input::BodyLen => quote!(request.body_len().is_some()),
            Input::User => quote!(link.user_name().is_some()),
            Input::Password => quote!(link.password_text().is_some()),
            Input::Passive => quote!(server.passive()),
            Input::TransferOffset => quote!(offset.is_some()),
            _ => quote!(true),
        },
        (Ref::Input(Input::Security), Some(values)) => {
            let variants = values.iter().filter_map(|v| match v {
                Value::Text(t) => Some(security_variant(t)),
                _ => None,
            });
            quote!(matches!(server.security_mode(), #(::atspec::task::FtpSecurity::#variants)|*))
        }
        (Ref::Input(Input::Method), Some(values)) => {
            let variants = values.iter().filter_map(|v| match v {
                Value::Text(t) => Some(method_variant(t)),
                _ => None,
            });
            quote!(matches!(request.method(), #(::atspec::task::Method::#variants)|*))
        }
        (Ref::Succeeded(id), None) => {
            let flag = format_ident!("ok_{id}");
            quote!(#flag)
        }
        (Ref::Step(s), None) if s.lines.is_some() && !s.field.usage.optional => {
            let lines = repeated_lines(s);
            quote!(!#lines.is_empty())
        }
        (Ref::Step(s), test) if s.lines.is_some() => {
            let lines = repeated_lines(s);
            let test = one_line_test(inputs, s, test.as_deref());
            quote!(#lines.iter().any(|line| #test))
        }
        (Ref::Step(s), None) => {
            let read = step_field(s);
            if s.field.usage.repeated {
                quote!(!#read.is_empty())
            } else {
                quote!(#read.is_some())
            }
        }
        (Ref::Step(s), Some(values)) => field_equals(inputs, &s.field, step_field(s), values),
        _ => quote!(compile_error!("unsupported condition")),
    };
    if c.negate { quote!(!(#test)) } else { test }
}

/// A step's repeated lines: `r_<id>.<lines>`.
fn repeated_lines(s: &StepField) -> TokenStream {
    let var = format_ident!("r_{}", s.step);
    let lines = format_ident!("{}", s.lines.as_deref().unwrap_or_default());
    quote!(#var.#lines)
}

/// The test of `field` on one of the repeated lines, bound as `line`: present,
/// or equal to one of `values`.
fn one_line_test(inputs: &Inputs<'_>, s: &StepField, values: Option<&[Value]>) -> TokenStream {
    let field = crate::emit::types::field_ident(&s.field);
    let read = quote!(line.#field);
    match values {
        None if s.field.usage.optional => quote!(#read.is_some()),
        None => quote!(true),
        Some(values) => field_equals(inputs, &s.field, read, values),
    }
}

/// `field` of the first repeated line for which `when` holds, as an `Option`.
pub(super) fn picked(inputs: &Inputs<'_>, field: &StepField, when: &Condition) -> TokenStream {
    let lines = repeated_lines(field);
    let Ref::Step(subject) = &when.subject else {
        return quote!(compile_error!("a pick tests a field of its lines"));
    };
    let test = one_line_test(inputs, subject, when.equals.as_deref());
    let test = if when.negate { quote!(!(#test)) } else { test };
    let read = crate::emit::types::field_ident(&field.field);
    if field.field.usage.optional {
        quote!(#lines.iter().find(|line| #test).and_then(|line| line.#read.clone()))
    } else {
        quote!(#lines.iter().find(|line| #test).map(|line| line.#read.clone()))
    }
}
