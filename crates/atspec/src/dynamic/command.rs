//! A command of any package, parsed from its line, and one call that runs it the
//! way its type says.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use super::{AnyModem, BoxFuture};
use crate::call::{
    Deferred, DeferredDownload, DeferredUpload, Download, Exchange, ExchangeKind, Plain, Sink,
    Source, Upload, UploadDownload,
};
use crate::client::{AtError, Client, DecodedLine};
use crate::code::CodeInfo;
use crate::command::{
    AtCommand, Completion, DeferredCommand, DownloadRule, Form, PayloadRule, UploadRule,
};
use crate::parse::ParseError;
use crate::urc::UrcSet;

/// The data a command of any kind may need: the upload's source and the
/// download's sink. A command takes the parts its kind needs, and refuses with
/// [`AtError::WrongCall`] when one is missing.
#[derive(Default)]
pub struct AnyIo<'a> {
    /// What an uploading command sends after the prompt.
    pub source: Option<Source<'a>>,
    /// Where a downloading command's bytes go.
    pub sink: Option<Sink<'a>>,
}

impl fmt::Debug for AnyIo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnyIo")
            .field("source", &self.source.is_some())
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

/// What a command run through [`AnyCommand::run`] returned, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The typed response, as its `Debug` form shows it.
    pub response: String,
    /// The typed completion URC of a deferred command.
    pub completion: Option<String>,
    /// Bytes written to the sink by a downloading command.
    pub downloaded: Option<u64>,
}

/// A deferred command's completion URC read through the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionLine {
    /// The URC's fields.
    pub decoded: DecodedLine,
    /// Whether the URC answers this command value (a URC that echoes a
    /// parameter may belong to another request).
    pub matches: bool,
    /// The vendor code of a completion that reports failure.
    pub failure: Option<CodeInfo>,
}

/// A command of some package, known at run time: the execution facts of its
/// type, the decoding of the lines that answer it, and a call that runs it.
pub trait AnyCommand: fmt::Debug + Send + Sync {
    /// The command's name as the manual writes it (`+SETPARAM`).
    fn name(&self) -> &'static str;
    /// The form.
    fn form(&self) -> Form;
    /// The syntax as the manual gives it.
    fn syntax(&self) -> &'static str;
    /// The spec's one-line summary.
    fn summary(&self) -> &'static str;
    /// Appends the command line (without its terminator).
    fn encode(&self, out: &mut Vec<u8>);
    /// Appends the command line with secret parameters replaced by `***`.
    fn encode_redacted(&self, out: &mut Vec<u8>);
    /// The manual's maximum response time, if it gives one.
    fn timeout(&self) -> Option<Duration>;
    /// A length-prefixed payload after one of the response lines, if any.
    fn payload(&self) -> Option<PayloadRule>;
    /// Whether the modem answers without a final result code
    /// ([`AtCommand::NO_FINAL_RESULT`]).
    fn no_final_result(&self) -> bool;
    /// The data the host sends after a prompt, if the command uploads.
    fn upload(&self) -> Option<UploadRule>;
    /// The data-mode download, if the command downloads that way.
    fn download(&self) -> Option<DownloadRule>;
    /// The URC that completes a deferred command.
    fn completion(&self) -> Option<Completion>;
    /// Payload chunks announced between the final result and the completion.
    fn completion_data(&self) -> Option<PayloadRule>;
    /// The command's parameters by name, codes with their meanings; secret ones
    /// left out ([`AtCommand::decoded`]).
    fn parameters(&self) -> DecodedLine;
    /// `line` read as one of the command's declared response lines.
    fn decode_line(&self, line: &[u8]) -> Option<DecodedLine>;
    /// `line` with secret response fields replaced by `***`; `None` when it holds
    /// no secret.
    fn redact_response_line(&self, line: &[u8]) -> Option<Vec<u8>>;
    /// `line` read as the completion URC: `None` for a command that is not
    /// deferred or a line that does not start with the completion's prefix.
    fn decode_completion(&self, line: &[u8]) -> Option<Result<CompletionLine, ParseError>>;
    /// Runs the command on `modem` as its exchange kind says, taking from `io`
    /// what the kind needs. A modem of another package is refused with
    /// [`AtError::WrongCall`].
    fn run<'a>(
        &'a self,
        modem: &'a dyn AnyModem,
        io: AnyIo<'a>,
    ) -> BoxFuture<'a, Result<Outcome, AtError>>;
}

/// Runs `command` on `client` as its exchange kind says, with the parts of `io`
/// the kind needs; generated packages implement [`AnyCommand::run`] with it.
pub fn run_any<'a, C, U>(
    client: &'a Client<U>,
    command: &'a C,
    io: AnyIo<'a>,
) -> BoxFuture<'a, Result<Outcome, AtError>>
where
    C: Exchange + Send + Sync,
    C::Kind: AnyExchange<C>,
    U: UrcSet + Clone + Send + 'static,
{
    Box::pin(<C::Kind as AnyExchange<C>>::run_any(client, command, io))
}

/// An exchange kind that can run from an [`AnyIo`], and that knows whether its
/// commands complete with a URC.
pub trait AnyExchange<C: AtCommand>: ExchangeKind<C> {
    /// The URC that completes `command`, for deferred kinds.
    fn completion(command: &C) -> Option<Completion> {
        let _ = command;
        None
    }

    /// Payload chunks announced between the final result and the completion.
    fn completion_data() -> Option<PayloadRule> {
        None
    }

    /// `line` read as `command`'s completion URC.
    fn decode_completion(command: &C, line: &[u8]) -> Option<Result<CompletionLine, ParseError>> {
        let _ = (command, line);
        None
    }

    /// Runs `command`, taking the source and sink the kind needs from `io`.
    fn run_any<'a, U>(
        client: &'a Client<U>,
        command: &'a C,
        io: AnyIo<'a>,
    ) -> impl Future<Output = Result<Outcome, AtError>> + Send + 'a
    where
        U: UrcSet + Clone + Send + 'static;
}

fn source<'a, C: AtCommand>(io: &mut AnyIo<'a>) -> Result<Source<'a>, AtError> {
    io.source.take().ok_or(AtError::WrongCall {
        command: C::NAME,
        what: "this command uploads: give it the data to send",
    })
}

fn sink<'a, C: AtCommand>(io: &mut AnyIo<'a>) -> Result<Sink<'a>, AtError> {
    io.sink.take().ok_or(AtError::WrongCall {
        command: C::NAME,
        what: "this command downloads: give it somewhere to write the bytes",
    })
}

fn outcome(response: &impl fmt::Debug) -> Outcome {
    Outcome {
        response: format!("{response:?}"),
        completion: None,
        downloaded: None,
    }
}

/// A URC read as its fields, for tools that explain a session; generated for every
/// URC.
pub trait Decode {
    /// The URC's fields by their spec names, codes with their meanings; secret
    /// fields are left out.
    fn decoded(&self) -> DecodedLine;
}

fn completion_of<C: DeferredCommand>(command: &C) -> Option<Completion> {
    Some(Completion {
        prefix: C::COMPLETION.prefix,
        timeout: command.completion_timeout(),
    })
}

fn decode_completion_of<C>(command: &C, line: &[u8]) -> Option<Result<CompletionLine, ParseError>>
where
    C: DeferredCommand,
    C::Completion: Decode,
{
    if !crate::parse::starts_like(line, C::COMPLETION.prefix) {
        return None;
    }
    Some(C::parse_completion(line).map(|urc| CompletionLine {
        decoded: urc.decoded(),
        matches: command.is_completion(&urc),
        failure: C::failure(&urc),
    }))
}

/// The deferred facts of a deferred kind.
macro_rules! deferred_facts {
    () => {
        fn completion(command: &C) -> Option<Completion> {
            completion_of(command)
        }
        fn completion_data() -> Option<PayloadRule> {
            C::DATA
        }
        fn decode_completion(
            command: &C,
            line: &[u8],
        ) -> Option<Result<CompletionLine, ParseError>> {
            decode_completion_of(command, line)
        }
    };
}

/// One kind's `AnyExchange`: its bounds and how it turns `io` into its call.
macro_rules! any_kind {
    ($kind:ident where [$($bounds:tt)*], $($facts:ident)? |$client:ident, $command:ident, $io:ident| $body:block) => {
        impl<C> AnyExchange<C> for $kind
        where
            $kind: ExchangeKind<C>,
            $($bounds)*
        {
            async fn run_any<'a, U>(
                $client: &'a Client<U>,
                $command: &'a C,
                #[allow(unused_mut)] mut $io: AnyIo<'a>,
            ) -> Result<Outcome, AtError>
            where
                U: UrcSet + Clone + Send + 'static,
            {
                $body
            }
            $($facts!();)?
        }
    };
}

any_kind!(Plain where [C: AtCommand + Send + Sync, C::Response: fmt::Debug], |client, command, io| {
    let _ = io;
    Ok(outcome(&client.send(command).await?))
});
any_kind!(Upload where [C: AtCommand + Send + Sync, C::Response: fmt::Debug], |client, command, io| {
    let mut data = source::<C>(&mut io)?;
    Ok(outcome(&client.send_upload(command, &mut data).await?))
});
any_kind!(Download where [C: AtCommand + Send + Sync, C::Response: fmt::Debug], |client, command, io| {
    let mut out = sink::<C>(&mut io)?;
    let (response, written) = client.send_download(command, &mut out).await?;
    Ok(Outcome { downloaded: Some(written), ..outcome(&response) })
});
any_kind!(UploadDownload where [C: AtCommand + Send + Sync, C::Response: fmt::Debug], |client, command, io| {
    let mut data = source::<C>(&mut io)?;
    let mut out = sink::<C>(&mut io)?;
    let (response, written) = client.send_upload_download(command, &mut data, &mut out).await?;
    Ok(Outcome { downloaded: Some(written), ..outcome(&response) })
});
any_kind!(Deferred where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send + fmt::Debug, C::Completion: Send + fmt::Debug + Decode], deferred_facts |client, command, io| {
    let _ = io;
    let (response, completion) = client.send_deferred(command).await?;
    Ok(Outcome { completion: Some(format!("{completion:?}")), ..outcome(&response) })
});
any_kind!(DeferredUpload where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send + fmt::Debug, C::Completion: Send + fmt::Debug + Decode], deferred_facts |client, command, io| {
    let mut data = source::<C>(&mut io)?;
    let (response, completion) = client.send_deferred_upload(command, &mut data).await?;
    Ok(Outcome { completion: Some(format!("{completion:?}")), ..outcome(&response) })
});
any_kind!(DeferredDownload where [C: DeferredCommand + Clone + Send + Sync + 'static, C::Response: Send + fmt::Debug, C::Completion: Send + fmt::Debug + Decode], deferred_facts |client, command, io| {
    let mut out = sink::<C>(&mut io)?;
    let (response, completion, written) = client.send_deferred_download(command, &mut out).await?;
    Ok(Outcome {
        response: format!("{response:?}"),
        completion: Some(format!("{completion:?}")),
        downloaded: Some(written),
    })
});
