//! `impl atspec::task::Ftp for Modem`: one method per declared operation, each
//! running the session's steps, its own, and the cleanup of both.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

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
    let has_list = task.list.is_some();
    let has_mkdir = task.mkdir.is_some();
    let has_rmdir = task.rmdir.is_some();
    let has_rename = task.rename.is_some();
    let has_pwd = task.pwd.is_some();
    let get = get(&inputs, package, task);
    let put = put(&inputs, package, task);
    let operation = |procedure: &Option<Procedure>, shape: fn(&Procedure) -> Shape| {
        procedure
            .as_ref()
            .map(|p| operation(&inputs, package, task, p, shape(p)))
            .unwrap_or_default()
    };
    let size = operation(&task.size, size);
    let delete = operation(&task.delete, delete);
    let list = operation(&task.list, list);
    let mkdir = operation(&task.mkdir, mkdir);
    let rmdir = operation(&task.rmdir, rmdir);
    let rename = operation(&task.rename, rename);
    let pwd = operation(&task.pwd, pwd);
    let allowances = super::allowances();
    quote! {
        #allowances
        impl ::atspec::task::Ftp for Modem {
            const FTP: ::atspec::task::FtpOptions = ::atspec::task::FtpOptions {
                security: &[#(::atspec::task::FtpSecurity::#securities),*],
                resume_get: #resume_get,
                append_put: #append_put,
                list: #has_list,
                size: #has_size,
                delete: #has_delete,
                mkdir: #has_mkdir,
                rmdir: #has_rmdir,
                rename: #has_rename,
                pwd: #has_pwd,
                max_put: #max_put,
            };

            #get
            #put
            #size
            #delete
            #list
            #mkdir
            #rmdir
            #rename
            #pwd
        }
    }
}

/// The run, the security check and the checked file path a transfer starts with.
fn prologue(package: &Package, task_name: TokenStream) -> TokenStream {
    let start = start(package, task_name);
    let remote = checked_path(quote!(remote), quote!(new), "path");
    quote!(#start #remote)
}

/// The run and the security check every operation starts with.
fn start(package: &Package, task_name: TokenStream) -> TokenStream {
    let name = &package.name;
    quote! {
        let mut run = ::atspec::task::Run::new(&self.client, #name, ::atspec::task::ftp_tasks::#task_name, timeout);
        if !Self::FTP.security.contains(&server.security_mode()) {
            return Err(run.unsupported(server.security_mode().describe()));
        }
    }
}

/// `let <var> = RemotePath::<check>(<input>)?`: a path argument checked, an
/// input error naming the argument otherwise.
fn checked_path(var: TokenStream, check: TokenStream, input: &str) -> TokenStream {
    let arg = proc_macro2::Ident::new(input, proc_macro2::Span::call_site());
    quote! {
        let #var = ::atspec::task::RemotePath::#check(#arg)
            .map_err(|why| run.error(::atspec::task::TaskErrorKind::Input { what: #input, why }))?;
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
    let block = block(
        quote!(let sink = &mut sink; let remote = &remote;),
        steps,
        unit(),
    );
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
    let block = block(quote!(let remote = &remote; #body), steps, unit());
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

/// What sets one operation without data apart: its method, task name, arguments,
/// the paths it checks, and how its value is made.
struct Shape {
    /// The trait method.
    method: &'static str,
    /// The `ftp_tasks` constant.
    task_name: &'static str,
    /// Parameters after `server`.
    params: TokenStream,
    /// The success type.
    ok: TokenStream,
    /// Path checks and other bindings before the steps.
    setup: TokenStream,
    /// Bindings the steps borrow, made inside the step block.
    borrows: TokenStream,
    /// The block's value, a `Result<_, TaskError>`.
    value: TokenStream,
    /// The method's value from `outcome`, after the cleanup.
    finish: TokenStream,
    /// Docs when the spec has no summary.
    fallback: &'static str,
}

/// A trait method running `procedure` in `shape`.
fn operation(
    inputs: &Inputs<'_>,
    package: &Package,
    task: &FtpTask,
    procedure: &Procedure,
    shape: Shape,
) -> TokenStream {
    let start = start(package, ident(shape.task_name).into_token_stream());
    let (steps, cleanup) = steps(inputs, procedure);
    let block = block(shape.borrows, steps, shape.value);
    let docs = docs(task, procedure, shape.fallback);
    let (method, params, ok, setup, finish) = (
        ident(shape.method),
        shape.params,
        shape.ok,
        shape.setup,
        shape.finish,
    );
    quote! {
        #docs
        async fn #method<'a>(
            &'a self,
            server: &'a ::atspec::task::FtpServer,
            #params
        ) -> Result<#ok, ::atspec::task::TaskError> {
            let timeout: Option<::std::time::Duration> = None;
            #start
            #setup
            let outcome = #block;
            #cleanup
            #finish
        }
    }
}

fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// An operation on one path returning nothing: `path` checked as a file, or as a
/// directory (`dir`).
fn on_path(
    method: &'static str,
    task_name: &'static str,
    directory: bool,
    fallback: &'static str,
) -> Shape {
    let (arg, check) = if directory {
        ("dir", quote!(directory))
    } else {
        ("path", quote!(new))
    };
    let arg_ident = ident(arg);
    Shape {
        method,
        task_name,
        params: quote!(#arg_ident: &'a str,),
        ok: quote!(()),
        setup: checked_path(quote!(remote), check, arg),
        borrows: quote!(let remote = &remote;),
        value: unit(),
        finish: quote!(run.finish(outcome)),
        fallback,
    }
}

fn size(procedure: &Procedure) -> Shape {
    Shape {
        ok: quote!(u64),
        value: size_result(procedure),
        ..on_path("ftp_size", "SIZE", false, "Reads a file's size.")
    }
}

fn delete(_: &Procedure) -> Shape {
    on_path("ftp_delete", "DELETE", false, "Deletes a file.")
}

fn mkdir(_: &Procedure) -> Shape {
    on_path("ftp_mkdir", "MKDIR", true, "Makes a directory.")
}

fn rmdir(_: &Procedure) -> Shape {
    on_path("ftp_rmdir", "RMDIR", true, "Removes a directory.")
}

/// The listing downloads into a bounded buffer, parsed after the cleanup.
fn list(_: &Procedure) -> Shape {
    let on = on_path("ftp_list", "LIST", true, "Lists a directory.");
    let on_setup = on.setup.clone();
    Shape {
        ok: quote!(Vec<::atspec::task::FtpEntry>),
        setup: quote! {
            #on_setup
            let mut listing = ::atspec::task::ListingBuffer::new();
            let mut sink = ::atspec::task::CountingWriter::new(&mut listing, None);
        },
        borrows: quote!(let remote = &remote; let sink = &mut sink;),
        finish: quote! {
            let outcome = run.finish(outcome);
            outcome.and_then(|()| {
                listing.entries().map_err(|size| {
                    run.error(::atspec::task::TaskErrorKind::TooLarge {
                        what: "listing",
                        size,
                        limit: ::atspec::task::FTP_LISTING_LIMIT,
                    })
                })
            })
        },
        ..on
    }
}

fn rename(_: &Procedure) -> Shape {
    let from = checked_path(quote!(remote), quote!(directory), "from");
    let to = checked_path(quote!(target), quote!(directory), "to");
    Shape {
        method: "ftp_rename",
        task_name: "RENAME",
        params: quote!(from: &'a str, to: &'a str,),
        ok: quote!(()),
        setup: quote!(#from #to),
        borrows: quote!(let remote = &remote; let target = &target;),
        value: unit(),
        finish: quote!(run.finish(outcome)),
        fallback: "Renames a file or directory.",
    }
}

fn pwd(procedure: &Procedure) -> Shape {
    Shape {
        method: "ftp_pwd",
        task_name: "PWD",
        params: quote!(),
        ok: quote!(String),
        setup: quote!(),
        borrows: quote!(),
        value: path_result(procedure),
        finish: quote!(run.finish(outcome)),
        fallback: "Reports the directory a login starts in.",
    }
}

/// The operation's steps in an async block over `borrows`, unique borrows of what they use,
/// ending in `value`: the progress callback is Send but not Sync, so no shared
/// borrow of it may live across an await.
fn block(borrows: TokenStream, steps: TokenStream, value: TokenStream) -> TokenStream {
    quote! {
        {
            let run = &mut run;
            #borrows
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

/// The `path` result as `Result<String, TaskError>`.
fn path_result(procedure: &Procedure) -> TokenStream {
    let Some((_, Expr::Ref(Ref::Step(f)))) = procedure.results.iter().find(|(n, _)| n == "path")
    else {
        return quote!(compile_error!(
            "an FTP pwd procedure without a `path` result"
        ));
    };
    let read = step_field(f);
    if f.field.usage.optional {
        quote! {
            #read
                .clone()
                .map(|p| p.to_string())
                .ok_or_else(|| run.unexpected("the modem reported no directory"))
        }
    } else {
        quote!(Ok::<String, ::atspec::task::TaskError>(#read.to_string()))
    }
}
