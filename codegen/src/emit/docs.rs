//! Spec text to doc attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, FieldType};

/// Doc attributes for paragraphs of text; paragraphs are separated by an empty line.
pub fn doc<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let text = paragraph.as_ref().trim();
        if text.is_empty() {
            continue;
        }
        if i > 0 && !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            super::doc_escape::escape_paragraph(text)
                .lines()
                .map(|l| format!(" {l}")),
        );
    }
    let attrs = lines.iter().map(|l| {
        if l.trim().is_empty() {
            quote!(#[doc = ""])
        } else {
            quote!(#[doc = #l])
        }
    });
    quote!(#(#attrs)*)
}

/// Inline code for docs: wraps in backticks that do not clash with the content.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Documentation paragraphs for a field or parameter.
pub fn field_doc(f: &Field) -> Vec<String> {
    let mut out = vec![f.spec.doc.clone()];
    let mut facts = Vec::new();
    match &f.ty {
        FieldType::Int { min, max, .. } => facts.push(format!("Range {min}..={max}.")),
        FieldType::String => {
            if let Some(max) = &f.spec.max_len {
                facts.push(format!("At most {} bytes.", max.value));
            }
        }
        FieldType::Enum(_) if !f.spec.tables.is_empty() => {
            let tables: Vec<String> = f.spec.tables.iter().map(|t| code(t)).collect();
            facts.push(format!(
                "Codes of table {}; the value says which.",
                tables.join(" or ")
            ));
        }
        FieldType::Enum(t) => facts.push(format!("Codes of table `{}`.", t.name)),
        FieldType::Count { of } => facts.push(format!(
            "Number of `{of}` values; derived, not set by hand."
        )),
        FieldType::Text => facts.push("The rest of the line.".to_owned()),
    }
    if !f.spec.prefix.is_empty() {
        let prefixes: Vec<String> = f.spec.prefix.iter().map(|p| code(p)).collect();
        facts.push(format!("Starts with {}.", prefixes.join(" or ")));
    }
    if let Some(pattern) = &f.spec.pattern {
        facts.push(format!("Matches the pattern {}.", code(pattern)));
    }
    if let Some(unit) = &f.spec.unit {
        facts.push(format!("Unit: {}.", unit.value));
    }
    if let Some(default) = &f.spec.default {
        facts.push(format!("Default: {}.", default.value));
    }
    if f.usage.optional && !f.usage.repeated {
        facts.push("Optional.".to_owned());
    }
    if f.spec.secret {
        facts.push("Secret: redacted in logs.".to_owned());
    }
    out.push(facts.join(" "));
    if let Some(why) = &f.spec.unconfirmed {
        out.push(format!("UNCONFIRMED: {why}"));
    }
    out
}
