//! One command exchange, from the command future's side: send the line, take the
//! reader's events until the answer is complete, upload or download on the way.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::error::{AtError, ErrorDetail, Stage};
use super::info_line::InfoLine;
use super::shared::{Accept, EndRule, Event, Pending, Shared, Target};
use super::upload::{AckedUpload, write_upload};
use crate::command::{AtCommand, DownloadRule, PayloadRule, UploadEnd, UploadRule};
use crate::dialect::{Dialect, FinalResult, Prompt, ResultKind};
use crate::urc::UrcSet;

/// What the exchange does besides the command line.
pub(crate) enum Mode<'a> {
    /// Nothing: information lines and a final result.
    Plain,
    /// Send data after the prompt; payload bytes of the answer, if any, go to the sink.
    Upload(
        UploadRule,
        &'a mut (dyn AsyncRead + Unpin + Send),
        Option<&'a mut (dyn AsyncWrite + Unpin + Send)>,
    ),
    /// Stream announced payload bytes into a sink. For data mode ended by `OK`, the
    /// text that must follow that `OK` (a completion URC's prefix), if known.
    Download(
        &'a mut (dyn AsyncWrite + Unpin + Send),
        Option<&'static str>,
    ),
}

/// One command line to run, with what the reader needs to know of its answer.
pub(crate) struct Request {
    /// The command's name (`+SETPARAM`), for errors and late answers.
    pub name: &'static str,
    /// The line as sent, without its terminator.
    pub line: Vec<u8>,
    /// The line as logged (secrets as `***`).
    pub shown: Vec<u8>,
    /// How long to wait for each step of the answer.
    pub timeout: Duration,
    /// Which lines are the command's.
    pub accept: Accept,
    /// How its answer ends.
    pub end: EndRule,
    /// Hides secrets in response lines, for logs.
    pub redact_response_line: fn(&[u8]) -> Option<Vec<u8>>,
    /// A payload one of its response lines announces.
    pub payload: Option<PayloadRule>,
    /// A data-mode download after a line prompt.
    pub download: Option<DownloadRule>,
    /// The completion waiter of a deferred command, disarmed when the command
    /// fails: a completion arriving after the error result is unsolicited.
    pub linked_waiter: Option<u64>,
}

impl Request {
    /// The request for a generated command.
    pub(crate) fn typed<C: AtCommand>(command: &C, config: &super::Config) -> Self {
        let mut line = Vec::new();
        command.encode(&mut line);
        let mut shown = Vec::new();
        command.encode_redacted(&mut shown);
        Self {
            name: C::NAME,
            line,
            shown,
            timeout: command.timeout().unwrap_or(config.default_timeout),
            accept: Accept::Typed {
                is_response_line: C::is_response_line,
                free_text: C::FREE_TEXT,
            },
            end: if C::NO_FINAL_RESULT {
                EndRule::WhenParsed {
                    complete: parses::<C>,
                    lines: Vec::new(),
                }
            } else {
                EndRule::FinalResult
            },
            redact_response_line: C::redact_response_line,
            payload: C::PAYLOAD,
            download: command.download(),
            linked_waiter: None,
        }
    }

    /// Whether a final result code is owed when the answer does not complete.
    fn owes_result(&self) -> bool {
        !matches!(self.end, EndRule::WhenParsed { .. })
    }
}

fn parses<C: AtCommand>(lines: &[&[u8]]) -> bool {
    C::parse_response(lines).is_ok()
}

/// The answer as received: how it ended, the information lines, and what else
/// happened on the way.
pub(crate) struct Answer {
    /// The final result; `None` when the answer completed without one.
    pub result: Option<(FinalResult, Option<ErrorDetail>)>,
    pub lines: Vec<Vec<u8>>,
    pub overflow: Option<usize>,
    pub data_bytes: u64,
}

impl Answer {
    /// The answer as a typed response, or the error the modem reported.
    pub(crate) fn typed<C: AtCommand>(self) -> Result<C::Response, AtError> {
        if let Some((result, detail)) = self.result
            && result.kind != ResultKind::Ok
        {
            return Err(AtError::Command {
                command: C::NAME,
                result: result.text,
                code: result.code,
                meaning: result.meaning,
                detail: detail.map(Box::new),
                info: self
                    .lines
                    .iter()
                    .map(|l| {
                        let shown = C::redact_response_line(l);
                        InfoLine::new(shown.as_deref().unwrap_or(l), C::decode_line(l))
                    })
                    .collect(),
            });
        }
        if let Some(discarded) = self.overflow {
            return Err(AtError::Overflow {
                command: C::NAME,
                discarded,
            });
        }
        let borrowed: Vec<&[u8]> = self.lines.iter().map(Vec::as_slice).collect();
        C::parse_response(&borrowed).map_err(|error| AtError::Response {
            command: C::NAME,
            error,
        })
    }
}

/// The running exchange's slot in the shared state and its event channel.
/// However the exchange ends (answered, timed out, or its future dropped), the
/// slot is removed under the lock; an unanswered command is recorded as owing its
/// final result, raw data it was receiving is abandoned, and events it never took
/// go to the subscribers.
struct Slot<'s, U: UrcSet> {
    shared: &'s Shared<U>,
    id: u64,
    name: &'static str,
    owes_result: bool,
    rx: mpsc::Receiver<Event>,
}

impl<U: UrcSet> Drop for Slot<'_, U> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        if let Some(pending) = state.pending.take_if(|p| p.id == self.id)
            && !pending.finished
            && self.owes_result
        {
            state.owed.push_back(self.name);
        }
        if state.raw_owner == Some(Target::Exchange(self.id)) {
            state.raw_owner = None;
            state.cancel_data = true;
        }
        self.rx.close();
        while let Ok(event) = self.rx.try_recv() {
            state.orphaned(event, Some(self.name));
        }
    }
}

/// Runs one exchange after making sure no answer of an earlier command is still
/// due (see [`resync`](super::resync)). The caller holds the writer lock, so
/// exchanges never overlap.
pub(crate) async fn exchange<U: UrcSet>(
    shared: &Arc<Shared<U>>,
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    dialect: &Dialect,
    config: &super::Config,
    request: Request,
    mode: Mode<'_>,
) -> Result<Answer, AtError> {
    prepare(shared, writer, dialect, config, &request).await?;
    transact(shared, writer, dialect, config, request, mode).await
}

/// What comes before an exchange: the line-length check, and getting back in
/// step if an earlier command ended without its answer.
pub(crate) async fn prepare<U: UrcSet>(
    shared: &Arc<Shared<U>>,
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    dialect: &Dialect,
    config: &super::Config,
    request: &Request,
) -> Result<(), AtError> {
    check_length(dialect, request)?;
    super::resync::ensure_synced(shared, writer, dialect, config, request.name).await
}

/// Refuses a line longer than the dialect allows, before anything is sent.
fn check_length(dialect: &Dialect, request: &Request) -> Result<(), AtError> {
    let Some(max) = dialect.max_command_len else {
        return Ok(());
    };
    // V.250 counts the characters after the `AT` prefix.
    let prefixed = request.line.len() >= 2 && request.line[..2].eq_ignore_ascii_case(b"AT");
    let len = request.line.len() - if prefixed { 2 } else { 0 };
    if len > max {
        return Err(AtError::LineTooLong {
            command: request.name,
            len,
            max,
        });
    }
    Ok(())
}

/// Runs one exchange without resynchronising first.
pub(crate) async fn transact<U: UrcSet>(
    shared: &Arc<Shared<U>>,
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    dialect: &Dialect,
    config: &super::Config,
    request: Request,
    mut mode: Mode<'_>,
) -> Result<Answer, AtError> {
    let name = request.name;
    let timeout = request.timeout;
    let owes_result = request.owes_result();
    let (tx, rx) = mpsc::channel(config.data_queue.max(1) + 8);
    let mut line = request.line.clone();
    let shown = request.shown.clone();
    let id = install(shared, dialect, request, &mode, tx)?;
    let mut slot = Slot {
        shared,
        id,
        name,
        owes_result,
        rx,
    };

    tracing::debug!(line = %String::from_utf8_lossy(&shown), "send");
    line.extend_from_slice(dialect.terminator.as_bytes());
    writer.write_all(&line).await?;
    writer.flush().await?;

    let mut answer = Answer {
        result: None,
        lines: Vec::new(),
        overflow: None,
        data_bytes: 0,
    };
    let mut uploaded = !matches!(mode, Mode::Upload(..));
    let mut acked: Option<AckedUpload> = None;
    let mut receiving = false;
    loop {
        let event = match tokio::time::timeout(timeout, slot.rx.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => return Err(closed(shared)),
            Err(_) => {
                // The slot records the answer still owed.
                let stage = match (receiving, uploaded) {
                    (true, _) => Stage::Data,
                    (false, true) => Stage::FinalResult,
                    (false, false) => Stage::Prompt,
                };
                return Err(AtError::Timeout {
                    command: name,
                    stage,
                    waited: timeout,
                });
            }
        };
        match event {
            Event::Line(l) => answer.lines.push(l),
            Event::Prompt(prompt) => {
                if let Mode::Upload(rule, source, _) = &mut mode
                    && !uploaded
                {
                    match (&mut acked, rule.ack, rule.end) {
                        (Some(upload), _, _) => {
                            if prompt == upload.text() {
                                uploaded = upload.step(writer, &mut **source, name).await?;
                            }
                        }
                        (None, Some(ack), UploadEnd::Length(total)) => {
                            // From now on the acknowledgement is the prompt to wait for.
                            set_prompts(shared, id, vec![ack.text]);
                            let mut upload = AckedUpload::new(ack, total);
                            uploaded = upload.step(writer, &mut **source, name).await?;
                            acked = Some(upload);
                        }
                        _ => {
                            let sent = write_upload(
                                writer,
                                &mut **source,
                                rule.end,
                                config.guard_time,
                                name,
                            )
                            .await?;
                            tracing::debug!(bytes = sent, prompt, "uploaded");
                            uploaded = true;
                        }
                    }
                    if uploaded && let Some(upload) = &acked {
                        set_prompts(shared, id, Vec::new());
                        tracing::debug!(bytes = upload.sent(), "uploaded, acknowledged");
                    }
                }
            }
            Event::Announced(line, accepted) => {
                answer.lines.push(line);
                if let Mode::Upload(_, source, _) = &mut mode
                    && !uploaded
                {
                    let end = UploadEnd::Length(accepted);
                    let sent =
                        write_upload(writer, &mut **source, end, config.guard_time, name).await?;
                    tracing::debug!(bytes = sent, accepted, "uploaded the announced length");
                    uploaded = true;
                }
            }
            Event::Data(bytes) => {
                receiving = true;
                answer.data_bytes += bytes.len() as u64;
                match &mut mode {
                    Mode::Download(sink, _) | Mode::Upload(_, _, Some(sink)) => {
                        sink.write_all(&bytes).await?
                    }
                    _ => {}
                }
            }
            Event::DataEnd => {
                receiving = false;
                tracing::debug!(bytes = answer.data_bytes, "payload complete");
            }
            Event::Overflow(discarded) => answer.overflow = Some(discarded),
            Event::Complete => break,
            Event::Final(result, detail, _) => {
                // Some modems confirm the command before prompting for its data; after
                // an acknowledged upload's last byte, the result may come without a
                // last acknowledgement.
                let data_pending = !acked.as_ref().is_some_and(AckedUpload::all_sent);
                if !uploaded && data_pending && result.kind == ResultKind::Ok {
                    continue;
                }
                answer.result = Some((result, detail));
                break;
            }
        }
    }
    if let Mode::Download(sink, _) | Mode::Upload(_, _, Some(sink)) = &mut mode {
        sink.flush().await?;
    }
    let succeeded = answer
        .result
        .as_ref()
        .is_none_or(|(result, _)| result.kind == ResultKind::Ok);
    if succeeded {
        note_echo_setting(shared, &shown);
    }
    Ok(answer)
}

fn install<U>(
    shared: &Shared<U>,
    dialect: &Dialect,
    request: Request,
    mode: &Mode<'_>,
    events: mpsc::Sender<Event>,
) -> Result<u64, AtError> {
    let mut state = shared.lock();
    if let Some(reason) = &state.closed {
        return Err(AtError::Closed {
            reason: reason.clone(),
        });
    }
    let id = state.take_id();
    let (mut bare_prompts, mut line_prompts) = (Vec::new(), Vec::new());
    let mut expect_prompt =
        |text: &'static str| match dialect.prompts.iter().find(|p| p.text == text) {
            Some(Prompt { line: true, .. }) => line_prompts.push(text),
            _ => bare_prompts.push(text),
        };
    let mut announce = None;
    let mut data_confirm = None;
    let (payload, data_mode, awaiting_prompt) = match mode {
        Mode::Plain => (None, None, false),
        Mode::Upload(rule, _, sink) => {
            match rule.announce {
                Some(line) => announce = Some(line),
                None => expect_prompt(rule.prompt),
            }
            (sink.as_ref().and(request.payload), None, true)
        }
        Mode::Download(_, confirm) => {
            data_confirm = *confirm;
            if let Some(rule) = request.download {
                expect_prompt(rule.prompt);
            }
            (request.payload, request.download.map(|d| d.end), false)
        }
    };
    state.pending = Some(Pending {
        id,
        name: request.name,
        events,
        echo: Some(request.line),
        echo_shown: request.shown,
        held: Vec::new(),
        redact_response_line: request.redact_response_line,
        accept: request.accept,
        end: request.end,
        bare_prompts,
        line_prompts,
        payload,
        announce,
        data_mode,
        data_confirm,
        awaiting_prompt,
        finished: false,
        detail: None,
        linked_waiter: request.linked_waiter,
    });
    Ok(id)
}

/// The bare prompts the reader may report for exchange `id` from now on.
fn set_prompts<U>(shared: &Shared<U>, id: u64, prompts: Vec<&'static str>) {
    if let Some(p) = shared.lock().pending.as_mut().filter(|p| p.id == id) {
        p.bare_prompts = prompts;
    }
}

/// `ATE0`/`ATE1` (V.250) switch the echo the reader relies on to tell a late
/// answer from the next command's.
fn note_echo_setting<U>(shared: &Shared<U>, line: &[u8]) {
    let line = line.to_ascii_uppercase();
    match line.as_slice() {
        b"ATE" | b"ATE0" => shared.lock().echo_on = false,
        b"ATE1" => shared.lock().echo_on = true,
        _ => {}
    }
}

pub(crate) fn closed<U>(shared: &Shared<U>) -> AtError {
    let reason = shared
        .lock()
        .closed
        .clone()
        .unwrap_or_else(|| "the reader stopped".to_owned());
    AtError::Closed { reason }
}
