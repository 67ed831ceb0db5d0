//! `modem.rs`: the package's `Modem` type and its task trait implementations,
//! straight-line async code generated from `tasks.yaml`.

mod ftp;
mod http;
mod network;
mod step;
mod value;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::doc;
use crate::ir::Package;
use crate::task_ir::Procedure;
use value::Inputs;

/// File name of the generated module.
pub const FILE: &str = "modem.rs";

/// The module, or `None` for a package without tasks.
pub fn modem_rs(package: &Package) -> Option<TokenStream> {
    if package.tasks.is_empty() {
        return None;
    }
    let name = &package.name;
    let module_doc = doc(&[format!(
        "{} as a modem that runs tasks: the procedures of `specs/{}/tasks.yaml` as \
         implementations of the runtime's vendor-neutral task traits.",
        package.title, package.folder
    )])
    .to_string()
    .replace("# [doc", "#![doc");
    let module_doc: TokenStream = module_doc.parse().unwrap_or_default();
    let type_doc = doc(&[
        format!("A {} on a byte transport, running tasks.", package.title),
        format!("Implements {}.", implemented(package)),
        "Every command a task sends goes through the client, so `tracing` and transcripts \
         show them; the client is reachable through [`Modem::client`] for commands no task \
         covers."
            .to_owned(),
    ]);
    let network = package
        .tasks
        .network
        .as_ref()
        .map(|n| network::implementation(package, n))
        .unwrap_or_default();
    let http = package
        .tasks
        .http
        .as_ref()
        .map(|h| http::implementation(package, h))
        .unwrap_or_default();
    let ftp = package
        .tasks
        .ftp
        .as_ref()
        .map(|f| ftp::implementation(package, f))
        .unwrap_or_default();
    Some(quote! {
        #module_doc

        #type_doc
        pub struct Modem {
            client: ::atspec::Client<crate::Urc>,
        }

        impl ::core::fmt::Debug for Modem {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("Modem").field("client", &self.client).finish()
            }
        }

        impl Modem {
            /// Starts the modem's client on `transport` with the default settings.
            /// Must be called inside a tokio runtime.
            pub fn new<T>(transport: T) -> Self
            where
                T: ::atspec::task::AsyncRead + ::atspec::task::AsyncWrite + Send + 'static,
            {
                Self::with_config(transport, ::atspec::Config::default())
            }

            /// Starts the modem's client on `transport` with `config`.
            pub fn with_config<T>(transport: T, config: ::atspec::Config) -> Self
            where
                T: ::atspec::task::AsyncRead + ::atspec::task::AsyncWrite + Send + 'static,
            {
                Self {
                    client: ::atspec::Client::new(transport, &crate::DIALECT, config),
                }
            }

            /// Wraps a client already running.
            pub fn from_client(client: ::atspec::Client<crate::Urc>) -> Self {
                Self { client }
            }

            /// The client the tasks send through, for single commands.
            pub fn client(&self) -> &::atspec::Client<crate::Urc> {
                &self.client
            }
        }

        impl ::atspec::task::Driver for Modem {
            const NAME: &'static str = #name;
            type Urc = crate::Urc;

            fn client(&self) -> &::atspec::Client<crate::Urc> {
                &self.client
            }
        }

        /// The request body an uploading step sends.
        #[allow(dead_code)]
        fn body_source<'b, 'a>(
            body: &'b mut Option<Box<dyn ::atspec::task::AsyncRead + Unpin + Send + 'a>>,
            run: &::atspec::task::Run<'_, crate::Urc>,
        ) -> Result<&'b mut Box<dyn ::atspec::task::AsyncRead + Unpin + Send + 'a>, ::atspec::task::TaskError> {
            body.as_mut().ok_or_else(|| run.unexpected("this step uploads the request body, and the request has none"))
        }

        #network
        #http
        #ftp
    })
}

fn implemented(package: &Package) -> String {
    let mut traits = Vec::new();
    if package.tasks.network.is_some() {
        traits.push("[`Network`](::atspec::task::Network)");
    }
    if package.tasks.http.is_some() {
        traits.push("[`Http`](::atspec::task::Http)");
    }
    if package.tasks.ftp.is_some() {
        traits.push("[`Ftp`](::atspec::task::Ftp)");
    }
    traits.join(", ")
}

/// The steps of a procedure and, after them, its cleanup steps.
fn steps(inputs: &Inputs<'_>, p: &Procedure) -> (TokenStream, TokenStream) {
    let steps = p.steps.iter().map(|s| step::step(inputs, s));
    let cleanup = p.finally.iter().map(|s| step::cleanup(inputs, s));
    (quote!(#(#steps)*), quote!(#(#cleanup)*))
}

/// Doc lines listing a procedure's steps, for the trait method's docs.
fn step_list(p: &Procedure) -> String {
    let mut lines: Vec<String> = p
        .steps
        .iter()
        .map(|s| match &s.note {
            Some(note) => format!("1. `{}`: {note}", s.command.label),
            None => format!("1. `{}`", s.command.label),
        })
        .collect();
    lines.extend(
        p.finally
            .iter()
            .map(|s| format!("1. `{}` (always)", s.command.label)),
    );
    lines.join("\n")
}

/// The lints a generated task impl silences: bindings convert whatever integer
/// types the spec gives, a step's result may go unread, and table codes may or may
/// not be `Copy`, so one code shape serves every declaration.
fn allowances() -> TokenStream {
    quote! {
        #[allow(
            unused_variables,
            clippy::let_and_return,
            clippy::unnecessary_fallible_conversions,
            clippy::useless_conversion,
            clippy::redundant_closure_call,
            clippy::nonminimal_bool,
            clippy::clone_on_copy
        )]
    }
}
