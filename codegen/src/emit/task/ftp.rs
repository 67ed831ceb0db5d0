//! `impl atspec::task::Ftp for Modem`: one method per declared operation, each
//! running the session's steps, its own, and the cleanup of both.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::value::{Inputs, security_variant, step_field};
use super::{step_list, steps};
use crate::emit::docs::doc;
use crate::ir::Package;
use crate::task_ir::{Expr, FtpTask, Procedure, Ref};

pub(super) fn implementation(package: &Package, task: &FtpTask) -> TokenStream {
    let inputs = Inputs {
        package: &package.name,
        methods: &[],
    };
    let securities = task.security.iter().map(|s| security_variant(s));
    let resume_get = task.resume_get;
    let append_put = task.append_put;
    let max_put = match task.max_put {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let has_size = task.size.is_some();
    let has_delete = task.delete.is_some();
    let get = get(&inputs, package, task);
    let put = put(&inputs, package, task);
    let size = task
        .size
        .as_ref()
        .map(|p| size(&inputs, package, task, p))
        .unwrap_or_default();
    let delete = task
        .delete
        .as_ref()
        .map(|p| delete(&inputs, package, task, p))
        .unwrap_or_default();
    let allowances = super::allowances();
    quote! {
        #allowances
        impl ::atspec::task::Ftp for Modem {
            const FTP: ::atspec::task::FtpOptions = ::atspec::task::FtpOptions {
                security: &[#(::atspec::task::FtpSecurity::#securities),*],
                resume_get: #resume_get,
                append_put: #append_put,
                list: false,
                size: #has_size,
                delete: #has_delete,
                mkdir: false,
                rmdir: false,
                rename: false,
                cwd: false,
                max_put: #max_put,
            };

            #get
            #put
            #size
            #delete
        }
    }
}

/// The run, the security check and the checked path every operation starts with.
fn prologue(package: &Package, task_name: TokenStream) -> TokenStream {
    let name = &package.name;
    quote! {
        let mut run = ::atspec::task::Run::new(&self.client, #name, ::atspec::task::ftp_tasks::#task_name, timeout);
        if !Self::FTP.security.contains(&server.security_mode()) {
            return Err(run.unsupported(server.security_mode().describe()));
        }
        let remote = ::atspec::task::RemotePath::new(path)
            .map_err(|why| run.error(::atspec::task::TaskErrorKind::Input { what: "path", why }))?;
    }
}

/// The method's docs: the summary and the steps it runs.
fn docs(task: &FtpTask, procedure: &Procedure, fallback: &str) -> TokenStream {
    let summary = procedure
        .summary
        .clone()
        .unwrap_or_else(|| fallback.to_owned());
    doc(&[
        summary,
        format!("The procedure ({}):", task.source),
        step_list(procedure),
    ])
}

fn get(inputs: &Inputs<'_>, package: &Package, task: &FtpTask) -> TokenStream {
    let prologue = prologue(package, quote!(GET));
    let (steps, cleanup) = steps(inputs, &task.get);
    let block = block(quote!(let sink = &mut sink;), quote!(), steps, unit());
    let docs = docs(task, &task.get, "Downloads a file.");
    quote! {
        #docs
        async fn ftp_get<'a, W>(
            &'a self,
            server: &'a ::atspec::task::FtpServer,
            path: &'a str,
            sink: &'a mut W,
            mut transfer: ::atspec::task::Transfer<'a>,
        ) -> Result<u64, ::atspec::task::TaskError>
        where
            W: ::atspec::task::AsyncWrite + Unpin + Send + ?Sized + 'a,
        {
            let timeout = transfer.timeout_value();
            #prologue
            let offset = transfer.offset();
            if offset.is_some() && !Self::FTP.resume_get {
                return Err(run.unsupported("FTP get from an offset"));
            }
            let mut progress = transfer.take_progress();
            let mut sink = ::atspec::task::CountingWriter::new(sink, progress.as_deref_mut());
            // A size the modem tells is the whole file's; a get from an offset
            // writes the rest.
            let total_from = move |size: u64| size.saturating_sub(offset.unwrap_or(0));
            let outcome = #block;
            #cleanup
            let outcome = run.finish(outcome);
            let received = sink.written();
            outcome.map(|()| received)
        }
    }
}

fn put(inputs: &Inputs<'_>, package: &Package, task: &FtpTask) -> TokenStream {
    let prologue = prologue(package, quote!(PUT));
    let (steps, cleanup) = steps(inputs, &task.put);
    let body = quote! {
        let mut body: Option<Box<dyn ::atspec::task::AsyncRead + Unpin + Send + '_>> =
            Some(Box::new(&mut reader));
        let body = &mut body;
    };
    let block = block(quote!(), body, steps, unit());
    let docs = docs(task, &task.put, "Uploads a file.");
    quote! {
        #docs
        async fn ftp_put<'a, R>(
            &'a self,
            server: &'a ::atspec::task::FtpServer,
            path: &'a str,
            source: &'a mut R,
            len: u64,
            mut transfer: ::atspec::task::Transfer<'a>,
        ) -> Result<u64, ::atspec::task::TaskError>
        where
            R: ::atspec::task::AsyncRead + Unpin + Send + ?Sized + 'a,
        {
            let timeout = transfer.timeout_value();
            #prologue
            let offset = transfer.offset();
            if offset.is_some() && !Self::FTP.append_put {
                return Err(run.unsupported("FTP put from an offset"));
            }
            if let Some(max) = Self::FTP.max_put
                && len > max
            {
                return Err(run.error(::atspec::task::TaskErrorKind::Input {
                    what: "body",
                    why: format!("{len} bytes is more than the modem puts ({max} at most)"),
                }));
            }
            let mut progress = transfer.take_progress();
            let mut reader = ::atspec::task::CountingReader::new(source, Some(len), progress.as_deref_mut());
            let outcome = #block;
            #cleanup
            let outcome = run.finish(outcome);
            let sent = reader.read();
            outcome.and_then(|()| {
                if sent < len {
                    Err(run.error(::atspec::task::TaskErrorKind::Input {
                        what: "body",
                        why: format!("the source ended after {sent} of {len} bytes"),
                    }))
                } else {
                    Ok(sent)
                }
            })
        }
    }
}

fn size(
    inputs: &Inputs<'_>,
    package: &Package,
    task: &FtpTask,
    procedure: &Procedure,
) -> TokenStream {
    let prologue = prologue(package, quote!(SIZE));
    let (steps, cleanup) = steps(inputs, procedure);
    let docs = docs(task, procedure, "Reads a file's size.");
    let block = block(quote!(), quote!(), steps, size_result(procedure));
    quote! {
        #docs
        async fn ftp_size<'a>(
            &'a self,
            server: &'a ::atspec::task::FtpServer,
            path: &'a str,
        ) -> Result<u64, ::atspec::task::TaskError> {
            let timeout: Option<::std::time::Duration> = None;
            #prologue
            let outcome = #block;
            #cleanup
            run.finish(outcome)
        }
    }
}

fn delete(
    inputs: &Inputs<'_>,
    package: &Package,
    task: &FtpTask,
    procedure: &Procedure,
) -> TokenStream {
    let prologue = prologue(package, quote!(DELETE));
    let (steps, cleanup) = steps(inputs, procedure);
    let block = block(quote!(), quote!(), steps, unit());
    let docs = docs(task, procedure, "Deletes a file.");
    quote! {
        #docs
        async fn ftp_delete<'a>(
            &'a self,
            server: &'a ::atspec::task::FtpServer,
            path: &'a str,
        ) -> Result<(), ::atspec::task::TaskError> {
            let timeout: Option<::std::time::Duration> = None;
            #prologue
            let outcome = #block;
            #cleanup
            run.finish(outcome)
        }
    }
}

/// The operation's steps in an async block over unique borrows of what they use,
/// ending in `value`: the progress callback is Send but not Sync, so no shared
/// borrow of it may live across an await.
fn block(
    before_remote: TokenStream,
    after_remote: TokenStream,
    steps: TokenStream,
    value: TokenStream,
) -> TokenStream {
    quote! {
        {
            let run = &mut run;
            #before_remote
            let remote = &remote;
            #after_remote
            async move {
                #steps
                #value
            }
            .await
        }
    }
}

/// The value of an operation that returns nothing.
fn unit() -> TokenStream {
    quote!(Ok::<(), ::atspec::task::TaskError>(()))
}

/// The `size` result as `Result<u64, TaskError>`: an error names what the modem
/// left out.
fn size_result(procedure: &Procedure) -> TokenStream {
    let Some((_, Expr::Ref(Ref::Step(f)))) = procedure.results.iter().find(|(n, _)| n == "size")
    else {
        return quote!(compile_error!(
            "an FTP size procedure without a `size` result"
        ));
    };
    let read = step_field(f);
    let negative = quote!(|_| run.unexpected("the modem reported a negative size"));
    if f.field.usage.optional {
        quote! {
            #read
                .ok_or_else(|| run.unexpected("the modem reported no size"))
                .and_then(|n| u64::try_from(n).map_err(#negative))
        }
    } else {
        quote!(u64::try_from(#read).map_err(#negative))
    }
}
