//! [`AnyCommand`] for every generated command type: the facts come from the
//! command's traits, and running it goes through the typed client of its package.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use super::command::{AnyCommand, AnyExchange, AnyIo, CompletionLine, Outcome, run_any};
use super::{AnyModem, BoxFuture};
use crate::call::Exchange;
use crate::client::{AtError, Client, DecodedLine};
use crate::command::{AtCommand, Completion, DownloadRule, Form, PayloadRule, UploadRule};
use crate::parse::ParseError;
use crate::urc::UrcSet;

/// A generated command `C` of a package whose URC set is `U`, as an
/// [`AnyCommand`]. Its `Debug` shows the line with secrets masked, never the
/// values themselves.
pub struct Typed<C, U> {
    command: C,
    urc: PhantomData<fn() -> U>,
}

impl<C, U> Typed<C, U> {
    /// Wraps `command`.
    pub fn new(command: C) -> Self {
        Self {
            command,
            urc: PhantomData,
        }
    }

    /// The command.
    pub fn command(&self) -> &C {
        &self.command
    }
}

impl<C: AtCommand, U> fmt::Debug for Typed<C, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = Vec::new();
        self.command.encode_redacted(&mut line);
        f.debug_tuple("Typed")
            .field(&String::from_utf8_lossy(&line))
            .finish()
    }
}

impl<C, U> AnyCommand for Typed<C, U>
where
    C: Exchange + Send + Sync + 'static,
    C::Kind: AnyExchange<C>,
    U: UrcSet + Clone + Send + 'static,
{
    fn name(&self) -> &'static str {
        C::NAME
    }
    fn form(&self) -> Form {
        C::FORM
    }
    fn syntax(&self) -> &'static str {
        C::SYNTAX
    }
    fn summary(&self) -> &'static str {
        C::SUMMARY
    }
    fn encode(&self, out: &mut Vec<u8>) {
        self.command.encode(out);
    }
    fn encode_redacted(&self, out: &mut Vec<u8>) {
        self.command.encode_redacted(out);
    }
    fn timeout(&self) -> Option<Duration> {
        self.command.timeout()
    }
    fn payload(&self) -> Option<PayloadRule> {
        C::PAYLOAD
    }
    fn no_final_result(&self) -> bool {
        C::NO_FINAL_RESULT
    }
    fn upload(&self) -> Option<UploadRule> {
        self.command.upload()
    }
    fn download(&self) -> Option<DownloadRule> {
        self.command.download()
    }
    fn completion(&self) -> Option<Completion> {
        <C::Kind as AnyExchange<C>>::completion(&self.command)
    }
    fn completion_data(&self) -> Option<PayloadRule> {
        <C::Kind as AnyExchange<C>>::completion_data()
    }
    fn parameters(&self) -> DecodedLine {
        self.command.decoded()
    }
    fn decode_line(&self, line: &[u8]) -> Option<DecodedLine> {
        C::decode_line(line)
    }
    fn redact_response_line(&self, line: &[u8]) -> Option<Vec<u8>> {
        C::redact_response_line(line)
    }
    fn decode_completion(&self, line: &[u8]) -> Option<Result<CompletionLine, ParseError>> {
        <C::Kind as AnyExchange<C>>::decode_completion(&self.command, line)
    }
    fn run<'a>(
        &'a self,
        modem: &'a dyn AnyModem,
        io: AnyIo<'a>,
    ) -> BoxFuture<'a, Result<Outcome, AtError>> {
        match modem.client_any().downcast_ref::<Client<U>>() {
            Some(client) => run_any(client, &self.command, io),
            None => Box::pin(async {
                Err(AtError::WrongCall {
                    command: C::NAME,
                    what: "a modem of the package the command was parsed for",
                })
            }),
        }
    }
}
