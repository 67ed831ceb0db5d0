//! Response lines and URCs: a struct with public fields and a tolerant parser.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc, field_doc};
use super::line_decode::line_decoded;
use super::template_encode::line_encode_body;
use super::template_parse::{match_prefix, parse_body, quoting};
use super::types::{field_ident, stored};
use crate::ir::{FieldType, Line};
use crate::model::TableKind;

/// The struct and its `parse` function.
pub fn line_struct(line: &Line, package: &str, kind: &str) -> TokenStream {
    let ident = format_ident!("{}", line.ident);
    let mut paragraphs = vec![
        line.spec.doc.clone(),
        format!("{kind} line {}.", code(&line.spec.template)),
    ];
    if let Some(payload) = &line.spec.payload {
        paragraphs.push(format!(
            "Announces a raw payload of `{}` bytes ({}); the bytes are not part of this value.",
            payload.length.value,
            match payload.placement {
                crate::model::PlacementSpec::NextLine => "after this line",
                crate::model::PlacementSpec::SameLine => "on the same line, after the length",
            }
        ));
    }
    if let Some(why) = &line.spec.unconfirmed {
        paragraphs.push(format!("UNCONFIRMED: {why}"));
    }
    let docs = doc(&paragraphs);
    let fields = line.fields.iter().map(|f| {
        let name = field_ident(f);
        let ty = stored(f, package);
        let doc = doc(&field_doc(f));
        quote!(#doc pub #name: #ty,)
    });
    let prefix = match_prefix(&line.template);
    let absent = line.spec.absent.as_ref().map(|absent| {
        let mut paragraphs = vec![format!(
            "The line a response without this line is read as: firmware may leave it out, and then means {}.",
            code(&absent.means)
        )];
        paragraphs.extend(absent.note.clone());
        paragraphs.extend(absent.unconfirmed.iter().map(|u| format!("UNCONFIRMED: {u}")));
        let docs = doc(&paragraphs);
        let text = proc_macro2::Literal::byte_string(absent.means.as_bytes());
        quote!(#docs pub const ABSENT: &'static [u8] = #text;)
    });
    let body = parse_body(&line.template, &line.fields, package, None, false);
    let encode = line_encode_body(&line.template, &line.fields);
    let checks = value_checks(line);
    let names = line.fields.iter().map(field_ident);
    // Response lines may come before an error result, which carries them decoded;
    // URCs are decoded for tools that explain a session.
    let decoded = line_decoded(line);
    let decode_impl = (kind == "URC").then(|| {
        quote! {
            impl ::atspec::dynamic::Decode for #ident {
                fn decoded(&self) -> ::atspec::DecodedLine {
                    #ident::decoded(self)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #ident {
            #(#fields)*
        }

        impl #ident {
            /// The literal start of the line.
            pub const PREFIX: &'static str = #prefix;

            #absent

            /// Parses the line (without CR LF), accepting the whitespace and quoting
            /// variants modems send.
            pub fn parse(line: &[u8]) -> Result<Self, ::atspec::ParseError> {
                let mut p = ::atspec::LineParser::new(line);
                #body
                p.end()?;
                Ok(Self { #(#names),* })
            }

            /// Appends the line as the modem sends it (without CR LF): the inverse of
            /// [`Self::parse`], for emulators and tests. Only a value that passes
            /// [`Self::check`] is written as a line that parses back to it.
            pub fn encode(&self, out: &mut Vec<u8>) {
                let mut w = ::atspec::CommandWriter::new(out);
                #encode
            }

            /// Checks that [`Self::encode`] writes this value as one line that
            /// [`Self::parse`] reads back unchanged: no control characters (CR, LF,
            /// NUL, ...) in text, and no text the line's quoting cannot carry. Build
            /// lines from outside data (a server's file names) through it.
            pub fn check(&self) -> Result<(), ::atspec::ParamError> {
                #checks
                Ok(())
            }

            #decoded
        }

        #decode_impl
    }
}

/// The statements of a line's `check`: each string, text and text-code field.
fn value_checks(line: &Line) -> TokenStream {
    let mut out = TokenStream::new();
    for f in &line.fields {
        let name = f.spec.name.value.as_str();
        let q = quoting(f.quoting);
        let check = |v: TokenStream| match &f.ty {
            FieldType::Text => quote!(::atspec::param::check_line_text(#name, #v)?;),
            FieldType::String if f.spec.non_ascii_prefix.is_some() => quote! {
                // Non-ASCII text goes out hex-encoded.
                if #v.is_ascii() {
                    ::atspec::param::check_line_string(#name, #v, #q)?;
                }
            },
            FieldType::String => quote!(::atspec::param::check_line_string(#name, #v, #q)?;),
            FieldType::Enum(t) if t.kind == TableKind::Text => {
                quote!(::atspec::param::check_line_string(#name, #v.text(), #q)?;)
            }
            _ => quote!(),
        };
        let field = field_ident(f);
        let one = check(quote!(value));
        if one.is_empty() {
            continue;
        }
        out.extend(match (f.usage.repeated, f.usage.optional) {
            (true, _) => quote!(for value in &self.#field { #one }),
            (false, true) => quote!(if let Some(value) = &self.#field { #one }),
            (false, false) => quote!({ let value = &self.#field; #one }),
        });
    }
    out
}
