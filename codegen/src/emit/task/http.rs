//! `impl atspec::task::Http for Modem`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::value::{Inputs, method_variant};
use super::{step_list, steps};
use crate::emit::docs::doc;
use crate::ir::{FieldType, Package};
use crate::task_ir::{Arg, Expr, HttpTask, Input, Ref, Value};

pub(super) fn implementation(package: &Package, task: &HttpTask) -> TokenStream {
    let package_name = &package.name;
    let methods = method_codes(package, task);
    let inputs = Inputs {
        package: &package.name,
        methods: &methods,
    };
    let (steps, cleanup) = steps(&inputs, &task.procedure);
    let listed = task.methods.iter().map(|m| method_variant(m));
    let https = task.https;
    let request_headers = task.request_headers;
    let response_headers = task.response_headers;
    let range = task.range;
    let max_body = match task.max_body {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let status = result(&task.procedure.results, "status", quote!(u16));
    let length = result(&task.procedure.results, "length", quote!(u64));
    let uses_url = uses_url_parts(task);
    let url = if uses_url {
        quote! {
            let url = request.url_parts().map_err(|why| run.error(::atspec::task::TaskErrorKind::Input { what: "url", why }))?;
        }
    } else {
        quote!()
    };
    let status_from_error = match task.status_base {
        Some(base) => {
            let base = Literal::u64_unsuffixed(base);
            quote! {
                let outcome = match outcome {
                    Err(error) => match error.detail_number().and_then(|code| code.checked_sub(#base)).filter(|status| (100..=599).contains(status)) {
                        Some(status) => Ok(::atspec::task::HttpResponse {
                            modem: #package_name,
                            status: u16::try_from(status).ok(),
                            length: None,
                            headers: Vec::new(),
                            received: 0,
                        }),
                        None => Err(error),
                    },
                    ok => ok,
                };
            }
        }
        None => quote!(),
    };
    let summary = task
        .procedure
        .summary
        .clone()
        .unwrap_or_else(|| "Runs one HTTP request.".to_owned());
    let docs = doc(&[
        summary,
        format!("The procedure ({}):", task.source),
        step_list(&task.procedure),
    ]);
    let allowances = super::allowances();
    quote! {
        #allowances
        impl ::atspec::task::Http for Modem {
            const HTTP: ::atspec::task::HttpOptions = ::atspec::task::HttpOptions {
                methods: &[#(::atspec::task::Method::#listed),*],
                https: #https,
                request_headers: #request_headers,
                max_body: #max_body,
                range: #range,
                response_headers: #response_headers,
            };

            #docs
            async fn request<'a, W>(
                &'a self,
                mut request: ::atspec::task::HttpRequest<'a>,
                sink: &'a mut W,
            ) -> Result<::atspec::task::HttpResponse, ::atspec::task::TaskError>
            where
                W: ::atspec::task::AsyncWrite + Unpin + Send + ?Sized + 'a,
            {
                let timeout = request.timeout_value();
                let mut run = ::atspec::task::Run::new(&self.client, #package_name, "http.request", timeout);
                if !Self::HTTP.methods.contains(&request.method()) {
                    return Err(run.unsupported(format!("method {}", request.method())));
                }
                if request.is_https() && !Self::HTTP.https {
                    return Err(run.unsupported("HTTPS"));
                }
                if !request.headers().is_empty() && !Self::HTTP.request_headers {
                    return Err(run.unsupported("request headers"));
                }
                if request.offset().is_some() && !Self::HTTP.range {
                    return Err(run.unsupported("range requests"));
                }
                if let (Some(len), Some(max)) = (request.body_len(), Self::HTTP.max_body)
                    && len > max
                {
                    return Err(run.error(::atspec::task::TaskErrorKind::Input {
                        what: "body",
                        why: format!("{len} bytes is more than the modem takes ({max} at most)"),
                    }));
                }
                // The body is counted as the modem takes it, out of its length; the
                // response body as it reaches the sink, out of the length the modem
                // tells (`total_from`: HTTP lengths are the bytes to come).
                let mut upload_progress = request.take_upload_progress();
                let body_len = request.body_len();
                let mut source = request.take_body();
                let mut counted = source.as_mut().map(|reader| {
                    ::atspec::task::CountingReader::new(reader, body_len, upload_progress.as_deref_mut())
                });
                let mut body: Option<Box<dyn ::atspec::task::AsyncRead + Unpin + Send + '_>> = counted
                    .as_mut()
                    .map(|reader| Box::new(reader) as Box<dyn ::atspec::task::AsyncRead + Unpin + Send + '_>);
                let mut progress = request.take_progress();
                let mut sink = ::atspec::task::CountingWriter::new(sink, progress.as_deref_mut());
                let mut headers = ::atspec::task::HeaderBlock::new();
                let total_from = |length: u64| length;
                #url
                // The steps borrow what they use uniquely and move the borrows in:
                // a request is Send but not Sync, so no shared borrow may live
                // across an await.
                let outcome = {
                    let run = &mut run;
                    let request = &mut request;
                    let sink = &mut sink;
                    let body = &mut body;
                    let headers = &mut headers;
                    async move {
                    #steps
                    Ok::<_, ::atspec::task::TaskError>(::atspec::task::HttpResponse {
                        modem: #package_name,
                        status: #status,
                        length: #length,
                        headers: headers.fields(),
                        received: 0,
                    })
                    }
                    .await
                };
                #cleanup
                let outcome = run.finish(outcome);
                #status_from_error
                let received = sink.written();
                outcome.map(|mut response| {
                    response.received = received;
                    response
                })
            }
        }
    }
}

/// A numeric result (`status`, `length`) as `Option<T>`.
fn result(results: &[(String, Expr)], name: &str, ty: TokenStream) -> TokenStream {
    match results.iter().find(|(n, _)| n == name) {
        Some((_, Expr::Ref(Ref::Step(f)))) => {
            let read = super::value::step_field(f);
            match &f.field.ty {
                FieldType::Enum(_) => quote!(#ty::try_from(#read.code()).ok()),
                _ => quote!(#ty::try_from(#read).ok()),
            }
        }
        _ => quote!(None),
    }
}

/// `(method, table, code)` for every listed method a `$input.method` binding maps.
fn method_codes(
    package: &Package,
    task: &HttpTask,
) -> Vec<(String, crate::ir::TableRef, crate::task_ir::CodeLiteral)> {
    let mut out = Vec::new();
    let all_steps = task.procedure.steps.iter().chain(&task.procedure.finally);
    for step in all_steps {
        for a in &step.command.args {
            let Arg {
                param,
                value: Some(Value::Ref(Ref::Input(Input::Method))),
            } = a
            else {
                continue;
            };
            let FieldType::Enum(table) = &param.ty else {
                continue;
            };
            for method in &task.methods {
                if let Some(code) = crate::resolve::method_code(package, table, method)
                    && !out
                        .iter()
                        .any(|(m, t, _): &(String, crate::ir::TableRef, _)| {
                            m == method && t == table
                        })
                {
                    out.push((method.clone(), table.clone(), code));
                }
            }
        }
    }
    out
}

/// Whether any binding reads the URL's parts.
fn uses_url_parts(task: &HttpTask) -> bool {
    task.procedure
        .reads(&|r| matches!(r, Ref::Input(Input::Host | Input::Port | Input::Path)))
}
