//! The exchange kind of a command shape: its `atspec::Exchange` implementation,
//! which lets `Client::call` take exactly the data sources and sinks the exchange
//! needs, decided from the spec at generation time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Command;

/// The kinds of `atspec::call`, by what the exchange moves besides lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Upload,
    Download,
    UploadDownload,
    Deferred,
    DeferredUpload,
    DeferredDownload,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Plain => "Plain",
            Self::Upload => "Upload",
            Self::Download => "Download",
            Self::UploadDownload => "UploadDownload",
            Self::Deferred => "Deferred",
            Self::DeferredUpload => "DeferredUpload",
            Self::DeferredDownload => "DeferredDownload",
        }
    }

    /// What `Client::call` takes besides the command, as a user writes it.
    fn io(self) -> &'static str {
        match self {
            Self::Plain | Self::Deferred => "()",
            Self::Upload | Self::DeferredUpload => "&mut source",
            Self::Download | Self::DeferredDownload => "&mut sink",
            Self::UploadDownload => "(&mut source, &mut sink)",
        }
    }
}

/// The kind of `c`, or `None` for a deferred command that both uploads and
/// downloads, which no call of the client runs.
fn kind(c: &Command) -> Option<Kind> {
    let deferred = c.completion.is_some();
    let upload = c.upload.is_some();
    // The same tests as the client's `send*` checks: a data-mode download, a
    // payload after a response line, or chunks before the completion URC.
    let download = c.download.is_some()
        || c.response.iter().any(|l| l.spec.payload.is_some())
        || c.completion_data
            .as_ref()
            .is_some_and(|l| l.spec.payload.is_some());
    Some(match (deferred, upload, download) {
        (false, false, false) => Kind::Plain,
        (false, true, false) => Kind::Upload,
        (false, false, true) => Kind::Download,
        (false, true, true) => Kind::UploadDownload,
        (true, false, false) => Kind::Deferred,
        (true, true, false) => Kind::DeferredUpload,
        (true, false, true) => Kind::DeferredDownload,
        (true, true, true) => return None,
    })
}

/// The `impl ::atspec::Exchange` of a command shape (none for a shape no call runs).
pub(super) fn exchange(c: &Command) -> TokenStream {
    let Some(kind) = kind(c) else {
        return quote!();
    };
    let ident = format_ident!("{}", c.ident);
    let kind = format_ident!("{}", kind.name());
    quote! {
        impl ::atspec::Exchange for #ident {
            type Kind = ::atspec::call::#kind;
        }
    }
}

/// The command doc's sentence on how to send it.
pub(super) fn exchange_doc(c: &Command) -> String {
    match kind(c) {
        Some(kind) => format!(
            "Sent with `client.call(&command, {})`: a [`{}`](::atspec::call::{}) exchange.",
            kind.io(),
            kind.name(),
            kind.name()
        ),
        None => {
            "Uploads, downloads and completes with a URC: no call of the client runs it.".to_owned()
        }
    }
}
