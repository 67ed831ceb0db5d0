//! Commands whose waits are the caller's.

use std::time::Duration;

use crate::client::DecodedLine;
use crate::code::CodeInfo;
use crate::command::UploadRule;
use crate::command::{AtCommand, Completion, DeferredCommand, DownloadRule, Form, PayloadRule};
use crate::parse::ParseError;

/// A command whose waits are the caller's: `Timed::new(cmd, Some(d))` is `cmd` in
/// every respect (its line, its parsers, its upload and download rules), except that
/// the client waits `d` for its final result code and, for a deferred command, `d`
/// for its completion URC, instead of the spec's bounds. With `None` it is `cmd`
/// exactly.
///
/// This is how a per-call timeout overrides the spec's: a caller who sets an HTTP
/// session timeout of 300 s must be able to wait 300 s, and a caller in a hurry must
/// not wait the manual's worst case.
#[derive(Debug, Clone)]
pub struct Timed<C> {
    command: C,
    timeout: Option<Duration>,
}

impl<C> Timed<C> {
    /// `command`, with its waits bounded by `timeout` when given.
    pub fn new(command: C, timeout: Option<Duration>) -> Self {
        Self { command, timeout }
    }

    /// The command without the caller's bound.
    pub fn into_inner(self) -> C {
        self.command
    }
}

impl<C: AtCommand> AtCommand for Timed<C> {
    type Response = C::Response;

    const NAME: &'static str = C::NAME;
    const FORM: Form = C::FORM;
    const TIMEOUT: Option<Duration> = C::TIMEOUT;
    const PAYLOAD: Option<PayloadRule> = C::PAYLOAD;
    const NO_FINAL_RESULT: bool = C::NO_FINAL_RESULT;
    const FREE_TEXT: bool = C::FREE_TEXT;

    fn timeout(&self) -> Option<Duration> {
        self.timeout.or_else(|| self.command.timeout())
    }

    fn encode(&self, out: &mut Vec<u8>) {
        self.command.encode(out);
    }

    fn encode_redacted(&self, out: &mut Vec<u8>) {
        self.command.encode_redacted(out);
    }

    fn parse_response(lines: &[&[u8]]) -> Result<Self::Response, ParseError> {
        C::parse_response(lines)
    }

    fn redact_response_line(line: &[u8]) -> Option<Vec<u8>> {
        C::redact_response_line(line)
    }

    fn is_response_line(line: &[u8]) -> bool {
        C::is_response_line(line)
    }

    fn decode_line(line: &[u8]) -> Option<DecodedLine> {
        C::decode_line(line)
    }

    fn upload(&self) -> Option<UploadRule> {
        self.command.upload()
    }

    fn download(&self) -> Option<DownloadRule> {
        self.command.download()
    }
}

impl<C: DeferredCommand> DeferredCommand for Timed<C> {
    type Completion = C::Completion;

    const COMPLETION: Completion = C::COMPLETION;
    const DATA: Option<PayloadRule> = C::DATA;

    fn completion_timeout(&self) -> Duration {
        self.timeout
            .unwrap_or_else(|| self.command.completion_timeout())
    }

    fn parse_completion(line: &[u8]) -> Result<Self::Completion, ParseError> {
        C::parse_completion(line)
    }

    fn is_completion(&self, urc: &Self::Completion) -> bool {
        self.command.is_completion(urc)
    }

    fn failure(urc: &Self::Completion) -> Option<CodeInfo> {
        C::failure(urc)
    }

    fn failure_detail(urc: &Self::Completion) -> Option<CodeInfo> {
        C::failure_detail(urc)
    }

    fn transferred(urc: &Self::Completion) -> Option<u64> {
        C::transferred(urc)
    }
}
