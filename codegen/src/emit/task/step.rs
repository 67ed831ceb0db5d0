//! One task step as straight-line async code over `atspec::task::Run`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::value::{Inputs, arg, condition};
use crate::names;
use crate::task_ir::{CommandUse, Exchange, Step};

/// `run.built(..)` or the infallible constructor, as an expression of the command.
pub(super) fn build(inputs: &Inputs<'_>, c: &CommandUse) -> TokenStream {
    let path = command_path(inputs.package, c);
    let args = c.args.iter().map(|a| arg(inputs, a));
    let label = &c.label;
    if c.infallible {
        quote!(#path::new(#(#args),*))
    } else {
        quote!(run.built(#label, #path::new(#(#args),*))?)
    }
}

fn command_path(package: &str, c: &CommandUse) -> TokenStream {
    let module = format_ident!("{}", c.module);
    let ident = format_ident!("{}", c.ident);
    if c.package == package {
        quote!(crate::#module::#ident)
    } else {
        let krate = format_ident!("{}", names::crate_ident(&c.package));
        quote!(::#krate::#module::#ident)
    }
}

/// The runtime call for the exchange, evaluating to `Result<(response, completion?), TaskError>`
/// normalised to `(response, completion)` with `()` for a missing completion.
fn call(exchange: Exchange) -> TokenStream {
    match exchange {
        Exchange::Plain => quote!(run.send(&command).await.map(|r| (r, ()))),
        Exchange::Upload => quote!(
            run.upload(&command, body_source(body, run)?)
                .await
                .map(|r| (r, ()))
        ),
        Exchange::Download => quote!(run.download(&command, sink).await.map(|(r, _)| (r, ()))),
        Exchange::UploadDownload => quote! {
            run.upload_download(&command, body_source(body, run)?, sink).await.map(|(r, _)| (r, ()))
        },
        Exchange::Deferred => quote!(run.deferred(&command).await),
        Exchange::DeferredDownload => {
            quote!(
                run.deferred_download(&command, sink)
                    .await
                    .map(|(r, c, _)| (r, c))
            )
        }
        Exchange::DeferredUpload => {
            quote!(run.deferred_upload(&command, body_source(body, run)?).await)
        }
    }
}

/// The statements of one step inside the procedure's async block.
pub(super) fn step(inputs: &Inputs<'_>, s: &Step) -> TokenStream {
    let label = &s.command.label;
    let built = build(inputs, &s.command);
    let call = call(s.command.exchange);
    let recover: Vec<TokenStream> = s
        .recover
        .iter()
        .map(|r| {
            let built = build(inputs, r);
            quote!(run.cleanup(&#built).await;)
        })
        .collect();
    let attempt = if recover.is_empty() {
        quote!(let outcome = #call;)
    } else {
        quote! {
            let first = #call;
            let outcome = match first {
                Err(error) if error.is_refusal() => {
                    #(#recover)*
                    #call
                }
                other => other,
            };
        }
    };
    let (response, completion) = match &s.id {
        Some(id) if s.command.exchange.deferred() => {
            (format_ident!("r_{id}"), format_ident!("c_{id}"))
        }
        Some(id) => (format_ident!("r_{id}"), format_ident!("_")),
        None => (format_ident!("_"), format_ident!("_")),
    };
    let finish = if s.ignore_error {
        match &s.id {
            Some(id) => {
                let flag = format_ident!("ok_{id}");
                quote!(let #flag = outcome.is_ok();)
            }
            None => quote!(let _ = outcome;),
        }
    } else {
        quote!(let (#response, #completion) = outcome?;)
    };
    let body = if let Some((test, every, within)) = &s.until {
        let test = condition(inputs, test);
        let id = s.id.as_deref().unwrap_or("step");
        let what = format!("`{label}` did not reach `{id}`'s awaited state in time");
        // A step without a completion binds `_`, which cannot be a value.
        let done = if completion == "_" {
            quote!(())
        } else {
            quote!(#completion)
        };
        quote! {
            let limit = timeout.unwrap_or(::std::time::Duration::from_millis(#within));
            let started = run.elapsed();
            let (#response, #completion) = loop {
                let command = #built;
                #attempt
                let (#response, #completion) = outcome?;
                if #test {
                    break (#response, #done);
                }
                if run.elapsed().saturating_sub(started) >= limit {
                    return Err(run.unexpected(#what));
                }
                run.pause(::std::time::Duration::from_millis(#every)).await?;
            };
        }
    } else if let Some((total, size)) = &s.chunks {
        let total = match total {
            crate::task_ir::Ref::Step(f) => {
                let read = super::value::step_field(f);
                quote!(u64::try_from(#read).unwrap_or(u64::MAX))
            }
            _ => quote!(0),
        };
        quote! {
            let total: u64 = #total;
            sink.set_total(Some(total));
            for chunk in ::atspec::task::Chunks::new(0, total, #size).into_iter().flatten() {
                let command = #built;
                #attempt
                #finish
            }
        }
    } else {
        quote! {
            let command = #built;
            #attempt
            #finish
        }
    };
    match &s.when {
        Some(w) if s.id.is_none() => {
            let w = condition(inputs, w);
            quote! {
                if #w {
                    run.step(#label);
                    #body
                }
            }
        }
        _ => quote! {
            run.step(#label);
            #body
        },
    }
}

/// A `finally` step: sent whatever happened, failures ignored.
pub(super) fn cleanup(inputs: &Inputs<'_>, s: &Step) -> TokenStream {
    let label = &s.command.label;
    let built = build(inputs, &s.command);
    let send = quote! {
        run.step(#label);
        let command = (|| -> Result<_, ::atspec::task::TaskError> { Ok(#built) })();
        if let Ok(command) = command {
            run.cleanup(&command).await;
        }
    };
    match &s.when {
        Some(w) => {
            let w = condition(inputs, w);
            quote!(if #w { #send })
        }
        None => send,
    }
}
