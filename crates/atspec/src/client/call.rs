//! One call for every command: [`Client::call`]. Each generated command names its
//! exchange kind ([`Exchange::Kind`]), and the kind fixes at compile time what the
//! call takes besides the command and what it returns, so an upload cannot be sent
//! without its data and a download cannot lose its sink.
//!
//! The kinds dispatch to the `send*` method of the same exchange, which keep their
//! run-time checks for code that names them directly.
//!
//! ```
//! use atspec::{AtError, Client};
//! use atspec_fixture_tasks::Urc;
//! use atspec_fixture_tasks::http::{XhttpbodyWrite, XhttpopenExec, XhttpreadWrite};
//!
//! // The test fixture's made-up modem: `AT+XHTTPOPEN` only answers, `AT+XHTTPBODY`
//! // uploads, `AT+XHTTPREAD` downloads.
//! async fn upload_then_read(client: &Client<Urc>, body: &[u8]) -> Result<Vec<u8>, AtError> {
//!     client.call(&XhttpopenExec::new(), ()).await?;
//!     client.call(&XhttpbodyWrite::new(body.len() as u16)?, &mut &body[..]).await?;
//!     let mut reply = Vec::new();
//!     let (_header, _len) = client.call(&XhttpreadWrite::new(0, 512)?, &mut reply).await?;
//!     Ok(reply)
//! }
//! ```
//!
//! An upload without its data does not compile:
//!
//! ```compile_fail,E0308
//! # use atspec::{AtError, Client};
//! # use atspec_fixture_tasks::Urc;
//! # use atspec_fixture_tasks::http::XhttpbodyWrite;
//! async fn no_body(client: &Client<Urc>) -> Result<(), AtError> {
//!     client.call(&XhttpbodyWrite::new(5)?, ()).await?;
//!     Ok(())
//! }
//! ```
//!
//! Nor does a download without a sink, or a sink given to a command that only answers:
//!
//! ```compile_fail,E0308
//! # use atspec::{AtError, Client};
//! # use atspec_fixture_tasks::Urc;
//! # use atspec_fixture_tasks::http::XhttpreadWrite;
//! async fn no_sink(client: &Client<Urc>) -> Result<(), AtError> {
//!     client.call(&XhttpreadWrite::new(0, 512)?, ()).await?;
//!     Ok(())
//! }
//! ```
//!
//! ```compile_fail,E0308
//! # use atspec::{AtError, Client};
//! # use atspec_fixture_tasks::Urc;
//! # use atspec_fixture_tasks::http::XhttpopenExec;
//! async fn stray_sink(client: &Client<Urc>) -> Result<(), AtError> {
//!     let mut sink = Vec::new();
//!     client.call(&XhttpopenExec::new(), &mut sink).await?;
//!     Ok(())
//! }
//! ```

use std::future::Future;

use tokio::io::{AsyncRead, AsyncWrite};

use super::{AtError, Client};
use crate::command::{AtCommand, DeferredCommand};
use crate::urc::UrcSet;

/// Data an upload reads from: any `AsyncRead` (a file, a byte slice, a socket).
pub type Source<'a> = &'a mut (dyn AsyncRead + Unpin + Send);

/// Where a download's bytes go: any `AsyncWrite` (a file, a `Vec<u8>`, a socket).
pub type Sink<'a> = &'a mut (dyn AsyncWrite + Unpin + Send);

/// A command whose exchange kind is known from its type; the generator implements
/// it for every command shape.
pub trait Exchange: AtCommand + Sized {
    /// One of the kinds of this module: [`Plain`], [`Upload`], [`Download`],
    /// [`UploadDownload`], [`Deferred`], [`DeferredUpload`], [`DeferredDownload`].
    type Kind: ExchangeKind<Self>;
}

/// How a command of type `C` is run: what the call takes besides the command
/// ([`Self::Io`]) and what it returns ([`Self::Output`]).
pub trait ExchangeKind<C: AtCommand> {
    /// What the call takes besides the command: `()`, a [`Source`], a [`Sink`], or both.
    type Io<'a>
    where
        C: 'a;
    /// What the call returns on success.
    type Output;

    /// Runs the exchange of `command` on `client`.
    fn run<'a, U>(
        client: &'a Client<U>,
        command: &'a C,
        io: Self::Io<'a>,
    ) -> impl Future<Output = Result<Self::Output, AtError>> + Send + 'a
    where
        U: UrcSet + Clone + Send + 'static;
}

/// A command line answered by information lines and a final result code; the call
/// takes `()` and returns the typed response ([`Client::send`]).
#[derive(Debug, Clone, Copy)]
pub struct Plain;

/// A command that sends data after the modem's prompt; the call takes the
/// [`Source`] and returns the typed response ([`Client::send_upload`]).
#[derive(Debug, Clone, Copy)]
pub struct Upload;

/// A command whose answer carries bytes; the call takes the [`Sink`] and returns
/// the typed response and the byte count written ([`Client::send_download`]).
#[derive(Debug, Clone, Copy)]
pub struct Download;

/// A command that uploads and whose answer carries bytes (an HTTP POST and its
/// response body); the call takes `(source, sink)` and returns the typed response
/// and the byte count written ([`Client::send_upload_download`]).
#[derive(Debug, Clone, Copy)]
pub struct UploadDownload;

/// A command whose real result is a URC after `OK`; the call takes `()` and returns
/// the response and the completion URC ([`Client::send_deferred`]).
#[derive(Debug, Clone, Copy)]
pub struct Deferred;

/// A deferred command that uploads; the call takes the [`Source`] and returns the
/// response and the completion URC ([`Client::send_deferred_upload`]).
#[derive(Debug, Clone, Copy)]
pub struct DeferredUpload;

/// A deferred command that delivers bytes; the call takes the [`Sink`] and returns
/// the response, the completion URC and the byte count written
/// ([`Client::send_deferred_download`]).
#[derive(Debug, Clone, Copy)]
pub struct DeferredDownload;

/// One kind's `ExchangeKind` implementation: the bounds on the command, what the
/// call takes and returns, and the `send*` call that runs it.
macro_rules! kind {
    ($kind:ident where [$($bounds:tt)*], $io:ty => $output:ty,
     |$client:ident, $command:ident, $io_pat:pat_param| $call:expr) => {
        impl<C> ExchangeKind<C> for $kind
        where
            $($bounds)*
        {
            type Io<'a>
                = $io
            where
                C: 'a;
            type Output = $output;

            async fn run<'a, U>(
                $client: &'a Client<U>,
                $command: &'a C,
                $io_pat: Self::Io<'a>,
            ) -> Result<Self::Output, AtError>
            where
                U: UrcSet + Clone + Send + 'static,
            {
                $call.await
            }
        }
    };
}

kind!(Plain where [C: AtCommand + Send + Sync], () => C::Response,
    |client, command, ()| client.send(command));
kind!(Upload where [C: AtCommand + Send + Sync], Source<'a> => C::Response,
    |client, command, mut data| client.send_upload(command, &mut data));
kind!(Download where [C: AtCommand + Send + Sync], Sink<'a> => (C::Response, u64),
    |client, command, mut sink| client.send_download(command, &mut sink));
kind!(UploadDownload where [C: AtCommand + Send + Sync],
    (Source<'a>, Sink<'a>) => (C::Response, u64),
    |client, command, (mut data, mut sink)| client.send_upload_download(command, &mut data, &mut sink));
kind!(Deferred where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send, C::Completion: Send],
    () => (C::Response, C::Completion),
    |client, command, ()| client.send_deferred(command));
kind!(DeferredUpload where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send, C::Completion: Send],
    Source<'a> => (C::Response, C::Completion),
    |client, command, mut data| client.send_deferred_upload(command, &mut data));
kind!(DeferredDownload where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send, C::Completion: Send],
    Sink<'a> => (C::Response, C::Completion, u64),
    |client, command, mut sink| client.send_deferred_download(command, &mut sink));

impl<U: UrcSet + Clone + Send + 'static> Client<U> {
    /// Sends any generated command the way its type says: `io` is `()` for a
    /// command that only answers, the data [`Source`] of an upload, the [`Sink`] of
    /// a download, or `(source, sink)` for both; the result is that of the
    /// matching `send*` method (see [`Exchange::Kind`]). A wrong `io` does not compile.
    pub async fn call<'a, C: Exchange>(
        &'a self,
        command: &'a C,
        io: <C::Kind as ExchangeKind<C>>::Io<'a>,
    ) -> Result<<C::Kind as ExchangeKind<C>>::Output, AtError> {
        C::Kind::run(self, command, io).await
    }
}
