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
        lines.extend(
            text.lines()
                .map(|l| format!(" {}", escape_html(l.trim_end()))),
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

/// Spec prose writes placeholders like `<method>`; outside code spans rustdoc
/// would read them as HTML tags, so angle brackets there are escaped.
fn escape_html(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for ch in line.chars() {
        match ch {
            '`' => {
                in_code = !in_code;
                out.push(ch);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
    out
}
