//! One command exchange, from the command future's side: send the line, take the
//! reader's events until the final result, upload or download on the way.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::error::{AtError, Stage};
use super::shared::{Event, Pending, Shared};
use super::upload::{AckedUpload, write_upload};
use crate::command::{AtCommand, UploadEnd, UploadRule};
use crate::dialect::{Dialect, FinalResult, Prompt, ResultKind};

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

/// Removes the pending command when the exchange ends, however it ends
/// (including when its future is dropped).
struct PendingGuard<'s, U> {
    shared: &'s Shared<U>,
    id: u64,
}

impl<U> Drop for PendingGuard<'_, U> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        if let Some(pending) = state.pending.take_if(|p| p.id == self.id)
            && !pending.finished
        {
            {
                // Timed out or abandoned: its final result may still come, and it
                // must not be taken for the next command's; raw data it was
                // receiving is abandoned too.
                state.stale += 1;
                state.cancel_data = pending.receiving_data;
            }
        }
    }
}

/// The outcome of an exchange: the typed response and the payload bytes moved.
pub(crate) struct Outcome<R> {
    pub response: R,
    pub data_bytes: u64,
}

/// Runs one exchange. The caller holds the writer lock, so exchanges never overlap.
pub(crate) async fn exchange<C: AtCommand, U>(
    shared: &Arc<Shared<U>>,
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    dialect: &Dialect,
    config: &super::Config,
    command: &C,
    mut mode: Mode<'_>,
) -> Result<Outcome<C::Response>, AtError> {
    resync(shared, config.resync_timeout).await?;
    let mut line = Vec::new();
    command.encode(&mut line);
    let mut shown = Vec::new();
    command.encode_redacted(&mut shown);

    let (tx, mut rx) = mpsc::channel(config.data_queue.max(1) + 8);
    let echo = Echo {
        line: line.clone(),
        shown: shown.clone(),
    };
    let id = install(shared, dialect, command, &mode, tx, echo)?;
    let _guard = PendingGuard { shared, id };

    tracing::debug!(line = %String::from_utf8_lossy(&shown), "send");
    line.extend_from_slice(dialect.terminator.as_bytes());
    writer.write_all(&line).await?;
    writer.flush().await?;

    let timeout = C::TIMEOUT.unwrap_or(config.default_timeout);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut data_bytes = 0u64;
    let mut overflow = None;
    let mut uploaded = !matches!(mode, Mode::Upload(..));
    let mut acked: Option<AckedUpload> = None;
    let mut receiving = false;
    let result = loop {
        let stage = if uploaded {
            Stage::FinalResult
        } else {
            Stage::Prompt
        };
        let event = match tokio::time::timeout(timeout, rx.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => return Err(closed(shared)),
            Err(_) => {
                // The guard records the answer still owed.
                let stage = if receiving { Stage::Data } else { stage };
                return Err(AtError::Timeout {
                    command: C::NAME,
                    stage,
                    waited: timeout,
                });
            }
        };
        match event {
            Event::Line(l) => lines.push(l),
            Event::Prompt(prompt) => {
                if let Mode::Upload(rule, source, _) = &mut mode
                    && !uploaded
                {
                    match (&mut acked, rule.ack, rule.end) {
                        (Some(upload), _, _) => {
                            if prompt == upload.text() {
                                uploaded = upload.step(writer, &mut **source, C::NAME).await?;
                            }
                        }
                        (None, Some(ack), UploadEnd::Length(total)) => {
                            // From now on the acknowledgement is the prompt to wait for.
                            set_prompts(shared, id, vec![ack.text]);
                            let mut upload = AckedUpload::new(ack, total);
                            uploaded = upload.step(writer, &mut **source, C::NAME).await?;
                            acked = Some(upload);
                        }
                        _ => {
                            let sent = write_upload(
                                writer,
                                &mut **source,
                                rule.end,
                                config.guard_time,
                                C::NAME,
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
                lines.push(line);
                if let Mode::Upload(_, source, _) = &mut mode
                    && !uploaded
                {
                    let end = UploadEnd::Length(accepted);
                    let sent = write_upload(writer, &mut **source, end, config.guard_time, C::NAME)
                        .await?;
                    tracing::debug!(bytes = sent, accepted, "uploaded the announced length");
                    uploaded = true;
                }
            }
            Event::Data(bytes) => {
                receiving = true;
                set_receiving(shared, id, true);
                data_bytes += bytes.len() as u64;
                match &mut mode {
                    Mode::Download(sink, _) | Mode::Upload(_, _, Some(sink)) => {
                        sink.write_all(&bytes).await?
                    }
                    _ => {}
                }
            }
            Event::DataEnd => {
                receiving = false;
                set_receiving(shared, id, false);
                tracing::debug!(bytes = data_bytes, "payload complete");
            }
            Event::Overflow(discarded) => overflow = Some(discarded),
            Event::Final(result, detail) => {
                // Some modems confirm the command before prompting for its data; after
                // an acknowledged upload's last byte, the result may come without a
                // last acknowledgement.
                let data_pending = !acked.as_ref().is_some_and(AckedUpload::all_sent);
                if !uploaded && data_pending && result.kind == ResultKind::Ok {
                    continue;
                }
                break (result, detail);
            }
        }
    };
    if let Mode::Download(sink, _) | Mode::Upload(_, _, Some(sink)) = &mut mode {
        sink.flush().await?;
    }
    if result.0.kind == ResultKind::Ok {
        note_echo_setting(shared, &shown);
    }
    finish::<C>(result, lines, overflow).map(|response| Outcome {
        response,
        data_bytes,
    })
}

fn finish<C: AtCommand>(
    (result, detail): (FinalResult, Option<String>),
    lines: Vec<Vec<u8>>,
    overflow: Option<usize>,
) -> Result<C::Response, AtError> {
    if result.kind != ResultKind::Ok {
        return Err(AtError::Command {
            command: C::NAME,
            result: result.text,
            code: result.code,
            meaning: result.meaning,
            detail,
        });
    }
    if let Some(discarded) = overflow {
        return Err(AtError::Overflow {
            command: C::NAME,
            discarded,
        });
    }
    let borrowed: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    C::parse_response(&borrowed).map_err(|error| AtError::Response {
        command: C::NAME,
        error,
    })
}

/// A command line as the modem will echo it, and as logs show it.
struct Echo {
    line: Vec<u8>,
    shown: Vec<u8>,
}

fn install<C: AtCommand, U>(
    shared: &Shared<U>,
    dialect: &Dialect,
    command: &C,
    mode: &Mode<'_>,
    events: mpsc::Sender<Event>,
    echo: Echo,
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
            (sink.as_ref().and(C::PAYLOAD), None, true)
        }
        Mode::Download(_, confirm) => {
            data_confirm = *confirm;
            let download = command.download();
            if let Some(rule) = download {
                expect_prompt(rule.prompt);
            }
            (C::PAYLOAD, download.map(|d| d.end), false)
        }
    };
    state.pending = Some(Pending {
        id,
        events,
        echo: Some(echo.line),
        echo_shown: echo.shown,
        redact_response_line: C::redact_response_line,
        is_response_line: C::is_response_line,
        free_text: C::FREE_TEXT,
        bare_prompts,
        line_prompts,
        payload,
        announce,
        data_mode,
        data_confirm,
        awaiting_prompt,
        finished: false,
        receiving_data: false,
        detail: None,
    });
    Ok(id)
}

/// After a timeout, give the late final result a moment to arrive so it is not
/// taken for the next command's answer.
async fn resync<U>(shared: &Shared<U>, wait: Duration) -> Result<(), AtError> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let notified = shared.stale_absorbed.notified();
        {
            let mut state = shared.lock();
            if let Some(reason) = &state.closed {
                return Err(AtError::Closed {
                    reason: reason.clone(),
                });
            }
            if state.stale == 0 {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                // With echo on, a late answer is still told apart (it comes before the
                // next command's echo); without, it can no longer be.
                if !state.echo_on {
                    tracing::debug!(owed = state.stale, "no late final result; sending anyway");
                    state.stale = 0;
                }
                return Ok(());
            }
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// Records in the shared state whether the running exchange is mid-payload.
/// The bare prompts the reader may report for exchange `id` from now on.
fn set_prompts<U>(shared: &Shared<U>, id: u64, prompts: Vec<&'static str>) {
    if let Some(p) = shared.lock().pending.as_mut().filter(|p| p.id == id) {
        p.bare_prompts = prompts;
    }
}

fn set_receiving<U>(shared: &Shared<U>, id: u64, receiving: bool) {
    if let Some(p) = shared.lock().pending.as_mut().filter(|p| p.id == id) {
        p.receiving_data = receiving;
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
