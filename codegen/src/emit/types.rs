//! Rust types and identifiers for fields.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, FieldType, IntType, TableRef};
use crate::names;

/// Identifier of a field.
pub fn field_ident(field: &Field) -> Ident {
    format_ident!("{}", names::field(&field.spec.name))
}

/// The arguments that pass bound values named like `fields` to a constructor
/// (`new`): strings by reference, optional strings as `Option<&str>`.
pub fn constructor_args(fields: &[&Field]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|p| {
            let name = field_ident(p);
            match (&p.ty, p.usage.repeated, p.usage.optional) {
                (FieldType::String, false, false) => quote!(&#name),
                (FieldType::String, false, true) => quote!(#name.as_deref()),
                _ => quote!(#name),
            }
        })
        .collect()
}

/// An integer type's tokens.
pub fn int(ty: IntType) -> TokenStream {
    let ident = format_ident!("{}", ty.name());
    quote!(#ident)
}

/// Path to a table enum from inside the package that owns it, or from outside.
pub fn table_path(table: &TableRef, from_package: Option<&str>) -> TokenStream {
    let module = format_ident!("{}", table.module);
    let ident = format_ident!("{}", table.ident);
    match from_package {
        Some(p) if p == table.package => quote!(crate::#module::#ident),
        _ => {
            let krate = format_ident!("{}", names::crate_ident(&table.package));
            quote!(::#krate::#module::#ident)
        }
    }
}

/// The element type of a field (without Option/Vec).
pub fn element(field: &Field, package: &str) -> TokenStream {
    match &field.ty {
        FieldType::Int { ty, .. } => int(*ty),
        FieldType::Count { .. } => int(count_type(field)),
        FieldType::String | FieldType::Text => quote!(String),
        FieldType::Enum(t) => table_path(t, Some(package)),
    }
}

/// Integer type of a count field.
pub fn count_type(field: &Field) -> IntType {
    let min = field.spec.min.as_ref().map_or(0, |m| m.value);
    let max = field.spec.max.as_ref().map_or(u32::MAX as i64, |m| m.value);
    IntType::for_range(min, max)
}

/// The stored type of a field: `T`, `Option<T>` or `Vec<T>`.
pub fn stored(field: &Field, package: &str) -> TokenStream {
    let element = element(field, package);
    if field.usage.repeated {
        quote!(Vec<#element>)
    } else if field.usage.optional {
        quote!(Option<#element>)
    } else {
        element
    }
}

/// The fields written directly in a group's pieces (not in groups nested in it).
pub fn direct_fields<'f>(pieces: &[crate::template::Piece], fields: &'f [Field]) -> Vec<&'f Field> {
    pieces
        .iter()
        .filter_map(|p| match p {
            crate::template::Piece::Field { name, .. } => {
                fields.iter().find(|f| &f.spec.name.value == name)
            }
            _ => None,
        })
        .collect()
}
