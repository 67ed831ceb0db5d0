//! One task step as straight-line async code over `atspec::task::Run`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::value::{Inputs, arg, condition};
use crate::names;
use crate::task_ir::{CommandUse, Exchange, Output, Step};

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
fn call(exchange: Exchange, output: Output) -> TokenStream {
    // The payload's target: the caller's sink, or the response's header block.
    let sink = match output {
        Output::Body => quote!(sink),
        Output::Headers => quote!(headers),
    };
    match exchange {
        Exchange::Plain => quote!(run.send(&command).await.map(|r| (r, ()))),
        Exchange::Upload => quote!(
            run.upload(&command, body_source(body, run)?)
                .await
                .map(|r| (r, ()))
        ),
        Exchange::Download => quote!(run.download(&command, #sink).await.map(|(r, _)| (r, ()))),
        Exchange::UploadDownload => quote! {
            run.upload_download(&command, body_source(body, run)?, #sink).await.map(|(r, _)| (r, ()))
        },
        Exchange::Deferred => quote!(run.deferred(&command).await),
        Exchange::DeferredDownload => {
            quote!(
                run.deferred_download(&command, #sink)
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
    let call = call(s.command.exchange, s.output);
    let recover: Vec<TokenStream> = s
        .recover
        .iter()
        .map(|r| {
            let built = build(inputs, r);
            let send = cleanup_call(r.exchange);
            quote!(run.#send(&#built).await;)
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
    // `_` binds nothing: the value a loop hands out for it is `()`.
    let value_of = |ident: &proc_macro2::Ident| {
        if ident == "_" {
            quote!(())
        } else {
            quote!(#ident)
        }
    };
    let (response_value, completion_value) = (value_of(&response), value_of(&completion));
    let body = if let Some((test, every, within)) = &s.until {
        let test = condition(inputs, test);
        let id = s.id.as_deref().unwrap_or("step");
        let what = format!("`{label}` did not reach `{id}`'s awaited state in time");
        let give_up = s
            .fail_when
            .as_ref()
            .map(|c| give_up(inputs, label, c))
            .unwrap_or_default();
        // A refusal is "not yet" while time is left (a module still booting answers
        // AT+CPIN? with SIM busy); after the limit the last refusal is the error, so
        // its code is not lost.
        quote! {
            let limit = timeout.unwrap_or(::std::time::Duration::from_millis(#within));
            let started = run.elapsed();
            let mut refused: Option<::atspec::task::TaskError>;
            let (#response, #completion) = loop {
                let command = #built;
                #attempt
                let late = run.elapsed().saturating_sub(started) >= limit;
                match outcome {
                    Ok((#response, #completion)) => {
                        if #test {
                            break (#response_value, #completion_value);
                        }
                        #give_up
                        if late {
                            return Err(run.unexpected(#what));
                        }
                        refused = None;
                    }
                    Err(error) if error.is_refusal() && !late => refused = Some(error),
                    Err(error) => return Err(error),
                }
                if let Err(out_of_time) = run.pause(::std::time::Duration::from_millis(#every)).await {
                    return Err(refused.take().unwrap_or(out_of_time));
                }
            };
        }
    } else if let Some(plan) = &s.chunks {
        let total = chunk_number(&plan.total);
        let from = plan.from.as_ref().map_or(quote!(0), chunk_number);
        let size = plan.size;
        let size = match &plan.size_from {
            Some(limit) => {
                let limit = chunk_number(limit);
                quote!(#size.min(#limit).max(1))
            }
            None => quote!(#size),
        };
        // Only a download into the caller's sink has a total to learn.
        let announce = if s.command.exchange.downloads() && s.output == Output::Body {
            quote!(sink.set_total(Some(total));)
        } else {
            quote!()
        };
        let (watch, report) = match &s.await_urc {
            Some(a) => {
                let wait = session_event(label, a);
                (quote!(run.watch();), quote!(if !#wait { break; }))
            }
            None => (quote!(), quote!()),
        };
        let reach = offset_reach(s, &size);
        quote! {
            let total: u64 = #total;
            #announce
            #reach
            let chunks = ::atspec::task::Chunks::new(#from, total, #size)
                .ok_or_else(|| run.unexpected("the transfer's end is past the largest offset"))?;
            #watch
            for chunk in chunks {
                let command = #built;
                #attempt
                #finish
                #report
            }
        }
    } else if let Some(moved) = &s.repeat_while {
        let field = crate::emit::types::field_ident(moved);
        let moved = if moved.usage.optional {
            quote!(r.#field.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
        } else {
            quote!(u64::try_from(r.#field).unwrap_or(0))
        };
        let (watch, refused, idle) = match &s.await_urc {
            Some(a) => {
                let wait = session_event(label, a);
                (
                    quote!(run.watch();),
                    // A session that ended refuses the next round; its report
                    // tells how it ended.
                    quote!(Err(error) if error.is_refusal() => 0,),
                    quote!(if moved == 0 && !#wait { break; }),
                )
            }
            None => (
                quote!(),
                quote!(),
                quote!(if moved == 0 {
                    break;
                }),
            ),
        };
        quote! {
            #watch
            loop {
                let command = #built;
                #attempt
                let moved: u64 = match outcome {
                    Ok((r, _)) => #moved,
                    #refused
                    Err(error) => return Err(error),
                };
                #idle
            }
        }
    } else {
        let announce = s
            .total
            .as_ref()
            .map(|f| announce_total(f, &response, &completion))
            .unwrap_or_default();
        quote! {
            let command = #built;
            #attempt
            #announce
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
    let call = cleanup_call(s.command.exchange);
    let send = quote! {
        run.step(#label);
        let command = (|| -> Result<_, ::atspec::task::TaskError> { Ok(#built) })();
        if let Ok(command) = command {
            run.#call(&command).await;
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

/// The cleanup call for a command: one completed by a URC waits for it.
fn cleanup_call(exchange: Exchange) -> proc_macro2::Ident {
    if exchange == Exchange::Deferred {
        format_ident!("cleanup_deferred")
    } else {
        format_ident!("cleanup")
    }
}

/// Tells the sink the download's total from the step's own answer, once it
/// succeeded: `total_from` (defined by the task) turns the field's number into the
/// bytes this call will write.
fn announce_total(
    f: &crate::task_ir::StepField,
    response: &proc_macro2::Ident,
    completion: &proc_macro2::Ident,
) -> TokenStream {
    let read = super::value::step_field(f);
    let number = if f.field.usage.optional {
        quote!(#read.and_then(|n| u64::try_from(n).ok()))
    } else {
        quote!(u64::try_from(#read).ok())
    };
    quote! {
        if let Ok((#response, #completion)) = &outcome
            && let Some(number) = #number
        {
            sink.set_total(Some(total_from(number)));
            sink.report();
        }
    }
}

/// A chunk plan's number as a `u64` expression.
fn chunk_number(r: &crate::task_ir::Ref) -> TokenStream {
    use crate::task_ir::{Input, Ref};
    match r {
        Ref::Step(f) if f.field.usage.optional => {
            let read = super::value::step_field(f);
            quote!(#read.map_or(u64::MAX, |n| u64::try_from(n).unwrap_or(u64::MAX)))
        }
        Ref::Step(f) => {
            let read = super::value::step_field(f);
            quote!(u64::try_from(#read).unwrap_or(u64::MAX))
        }
        Ref::Input(Input::PutLen) => quote!(len),
        Ref::Input(Input::TransferOffset) => quote!(offset.unwrap_or(0)),
        Ref::Input(Input::BodyLen) => quote!(request.body_len().unwrap_or(0)),
        Ref::Input(Input::Offset) => quote!(request.offset().unwrap_or(0)),
        Ref::Input(Input::HeaderCount) => quote!(request.headers().len() as u64),
        Ref::Input(Input::ServerPort) => quote!(u64::from(server.port_or_default())),
        _ => quote!(compile_error!("not a number for chunks")),
    }
}

/// `run.session_event(..).await?`: whether the session goes on after a report.
fn session_event(label: &str, a: &crate::task_ir::AwaitUrc) -> TokenStream {
    let ident = format_ident!("{}", crate::names::urc_variant(&a.ident));
    let field = crate::emit::types::field_ident(&a.field);
    let within = a.within_ms;
    quote! {
        run.session_event(
            #label,
            ::std::time::Duration::from_millis(#within),
            |urc| match urc {
                crate::Urc::#ident(report) => Some(report.#field.clone()),
                #[allow(unreachable_patterns)]
                _ => None,
            },
        )
        .await?
    }
}

/// Refuses, before the first round, a transfer whose last piece would start past
/// what the parameter bound to `$chunk.offset` takes: a clear error up front instead
/// of a refused parameter half-way.
fn offset_reach(s: &Step, size: &TokenStream) -> TokenStream {
    use crate::ir::FieldType;
    use crate::task_ir::{Ref, Value};
    let Some((name, max)) = s
        .command
        .args
        .iter()
        .find_map(|a| match (&a.value, &a.param.ty) {
            (Some(Value::Ref(Ref::ChunkOffset)), FieldType::Int { max, .. }) => {
                Some((a.param.spec.name.value.clone(), u64::try_from(*max).ok()?))
            }
            _ => None,
        })
    else {
        return quote!();
    };
    let from = s
        .chunks
        .as_ref()
        .and_then(|p| p.from.as_ref())
        .map_or(quote!(0u64), chunk_number);
    let label = &s.command.label;
    quote! {
        if total > 0 {
            let piece: u64 = #size;
            let last = (#from).saturating_add((total - 1) / piece * piece);
            if last > #max {
                return Err(run.error(::atspec::task::TaskErrorKind::Input {
                    what: "transfer",
                    why: format!(
                        "{total} bytes need a piece at offset {last}, past the {} that `{}` takes in `{}`",
                        #max, #name, #label
                    ),
                }));
            }
        }
    }
}

/// The early end of a poll: the state waiting will not change, named by its
/// meaning from the spec's table when the condition tests a code.
fn give_up(inputs: &Inputs<'_>, label: &str, c: &crate::task_ir::Condition) -> TokenStream {
    use crate::ir::FieldType;
    use crate::task_ir::Ref;
    let test = condition(inputs, c);
    let state = match &c.subject {
        Ref::Step(f)
            if matches!(f.field.ty, FieldType::Enum(_))
                && !f.field.usage.optional
                && f.lines.is_none() =>
        {
            let read = super::value::step_field(f);
            quote! {
                ::atspec::code::CodeTable::meaning(&#read)
                    .map(str::to_owned)
                    .unwrap_or_else(|| ::atspec::code::CodeTable::code_text(&#read))
            }
        }
        _ => quote!(String::from("a state waiting will not change")),
    };
    quote! {
        if #test {
            return Err(run.unexpected(format!("`{}` stopped the wait: {}", #label, #state)));
        }
    }
}
