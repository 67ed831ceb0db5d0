//! The constructor's checks: each parameter's value against the manual's
//! limits, and the rules of optional groups.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::presence::{absent, present};
use crate::emit::types::{direct_fields, field_ident};
use crate::ir::{Field, FieldType, IntType};
use crate::model::{Quoting, Scalar};
use crate::template::Piece;

/// Checks of one parameter's value(s).
pub(super) fn check(p: &Field, escape: Option<char>) -> TokenStream {
    if !can_refuse(p) {
        return quote!();
    }
    let name = field_ident(p);
    let param = p.spec.name.value.as_str();
    let one = |v: TokenStream| -> TokenStream {
        match &p.ty {
            FieldType::Int { ty, min, max } if !full_range(*ty, *min, *max) => {
                let (min, max) = (
                    proc_macro2::Literal::i128_unsuffixed(*min as i128),
                    proc_macro2::Literal::i128_unsuffixed(*max as i128),
                );
                quote!(::atspec::param::check_range(#param, #v, #min, #max)?;)
            }
            FieldType::String => {
                let min_len = p.spec.min_len.as_ref().map_or(0, |m| m.value as usize);
                let max_len = match &p.spec.max_len {
                    Some(m) => {
                        let m = m.value as usize;
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                let quoted = p.quoting == Quoting::Always;
                let ascii_only = p.spec.ascii_only;
                let forbid = p.spec.forbid.clone().unwrap_or_default();
                let reserved = &p.spec.reserved;
                let escape = match escape {
                    Some(c) => quote!(Some(#c)),
                    None => quote!(None),
                };
                let text_rules = text_rules(p, &v);
                quote! {
                    ::atspec::StringRules {
                        min_len: #min_len,
                        max_len: #max_len,
                        quoted: #quoted,
                        ascii_only: #ascii_only,
                        forbid: #forbid,
                        reserved: &[#(#reserved),*],
                        escape: #escape,
                    }
                    .check(#param, #v)?;
                    #text_rules
                }
            }
            FieldType::Enum(_) => {
                let (refused, error) = enum_refusal(p, &v, &quote!(&#v));
                quote!(if #refused { #error })
            }
            FieldType::Int { .. } | FieldType::Count { .. } | FieldType::Text => quote!(),
        }
    };
    let by_value = matches!(p.ty, FieldType::Int { .. });
    match (p.usage.repeated, p.usage.optional) {
        (true, _) => {
            let item = if by_value {
                one(quote!(*item))
            } else {
                one(quote!(item))
            };
            let max = p.spec.max_count.as_ref().map(|m| {
                let m = m.value as usize;
                quote! {
                    if #name.len() > #m {
                        return Err(::atspec::ParamError::TooMany { param: #param, count: #name.len(), max: #m });
                    }
                }
            });
            quote!(#max for item in &#name { #item })
        }
        (false, true) => {
            let item = if by_value {
                one(quote!(*value))
            } else {
                one(quote!(value))
            };
            let scrutinee = if matches!(p.ty, FieldType::String) {
                quote!(#name)
            } else {
                quote!(&#name)
            };
            if matches!(p.ty, FieldType::Enum(_)) {
                let (refused, error) = enum_refusal(p, &quote!(value), &quote!(value));
                quote!(if let Some(value) = #scrutinee && #refused { #error })
            } else {
                quote!(if let Some(value) = #scrutinee { #item })
            }
        }
        (false, false) => one(quote!(#name)),
    }
}

/// Whether [`check`] can refuse a value of `p`: false only when every value its
/// Rust type can hold is one the manual allows (rest-of-line text, an integer whose
/// range is its type's whole range), and a list has no maximum length. Enums are
/// always checked: their `Unlisted` variant holds codes the manual does not list.
pub(super) fn can_refuse(p: &Field) -> bool {
    if p.usage.repeated && p.spec.max_count.is_some() {
        return true;
    }
    match &p.ty {
        FieldType::Int { ty, min, max } => !full_range(*ty, *min, *max),
        FieldType::String | FieldType::Enum(_) => true,
        FieldType::Count { .. } | FieldType::Text => false,
    }
}

/// Whether `min..=max` is every value of `ty`, so a range check could refuse nothing.
fn full_range(ty: IntType, min: i64, max: i64) -> bool {
    let (lo, hi): (i128, i128) = match ty {
        IntType::U8 => (0, u8::MAX.into()),
        IntType::U16 => (0, u16::MAX.into()),
        IntType::U32 => (0, u32::MAX.into()),
        IntType::U64 => (0, u64::MAX.into()),
        IntType::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntType::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntType::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntType::I64 => (i64::MIN.into(), i64::MAX.into()),
    };
    (i128::from(min), i128::from(max)) == (lo, hi)
}

/// The `prefix` and `pattern` checks of a string parameter (none when it has neither).
fn text_rules(p: &Field, v: &TokenStream) -> TokenStream {
    let param = p.spec.name.value.as_str();
    let prefix = (!p.spec.prefix.is_empty()).then(|| {
        let prefixes = p.spec.prefix.iter().map(|p| p.value.as_str());
        quote!(::atspec::text_rules::check_prefix(#param, #v, &[#(#prefixes),*])?;)
    });
    let pattern = p.spec.pattern.as_ref().map(|pattern| {
        let source = pattern.value.as_str();
        quote! {
            {
                static PATTERN: ::atspec::Pattern = ::atspec::Pattern::new(#source);
                PATTERN.check(#param, #v)?;
            }
        }
    });
    quote!(#prefix #pattern)
}

/// The condition under which an enum parameter value is refused, and the refusal.
fn enum_refusal(p: &Field, v: &TokenStream, reference: &TokenStream) -> (TokenStream, TokenStream) {
    let FieldType::Enum(t) = &p.ty else {
        return (quote!(false), quote!());
    };
    let param = p.spec.name.value.as_str();
    let allowed: Vec<String> = match &p.spec.allowed {
        Some(list) => list.iter().map(|v| scalar_text(&v.value)).collect(),
        None => Vec::new(),
    };
    let listed = if allowed.is_empty() {
        format!("the codes of table `{}`", t.name)
    } else {
        allowed.join(", ")
    };
    let refused = if allowed.is_empty() {
        quote!(!#v.is_known())
    } else {
        quote!(!(#v.is_known() && [#(#allowed),*].contains(&::atspec::CodeTable::code_text(#reference).as_str())))
    };
    let error = quote! {
        return Err(::atspec::ParamError::NotAllowed {
            param: #param,
            value: ::atspec::CodeTable::code_text(#reference),
            allowed: #listed,
        });
    };
    (refused, error)
}

fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Int(v) => v.to_string(),
        Scalar::Text(v) => v.clone(),
    }
}

/// Optional-group rules: the direct fields of a group come all together, and a
/// nested group needs the fields of the group around it.
pub(super) fn group_checks(
    pieces: &[Piece],
    params: &[Field],
    enclosing: Option<&Field>,
) -> TokenStream {
    let mut out = TokenStream::new();
    for piece in pieces {
        let (Piece::Optional(inner) | Piece::Repeat(inner)) = piece else {
            continue;
        };
        let direct = direct_fields(inner, params);
        if let Some(first) = direct.first() {
            for other in direct.iter().skip(1) {
                let (a, b) = (present(first, params), present(other, params));
                let (not_a, not_b) = (absent(first, params), absent(other, params));
                let (an, bn) = (
                    first.spec.name.value.as_str(),
                    other.spec.name.value.as_str(),
                );
                out.extend(quote! {
                    if #a && #not_b {
                        return Err(::atspec::ParamError::Requires { param: #an, requires: #bn });
                    }
                    if #b && #not_a {
                        return Err(::atspec::ParamError::Requires { param: #bn, requires: #an });
                    }
                });
            }
            if let Some(outer) = enclosing {
                let (a, not_b) = (present(first, params), absent(outer, params));
                let (an, bn) = (
                    first.spec.name.value.as_str(),
                    outer.spec.name.value.as_str(),
                );
                out.extend(quote! {
                    if #a && #not_b {
                        return Err(::atspec::ParamError::Requires { param: #an, requires: #bn });
                    }
                });
            }
        }
        out.extend(group_checks(
            inner,
            params,
            direct.first().copied().or(enclosing),
        ));
    }
    out
}
