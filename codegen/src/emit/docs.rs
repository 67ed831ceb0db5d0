//! Spec text to doc attributes.

use proc_macro2::TokenStream;
use quote::quote;

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
        lines.extend(text.lines().map(|l| format!(" {}", l.trim_end())));
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
