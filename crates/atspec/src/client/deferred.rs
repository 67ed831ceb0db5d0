//! Deferred commands: `OK` now, the real result later as a URC, possibly with
//! payload chunks announced in between.

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

use super::error::{AtError, Stage};
use super::exchange::{Mode, Request, prepare, transact};
use super::shared::{Event, Shared, Target, Waiter};
use super::{Client, Config};
use crate::command::DeferredCommand;
use crate::urc::UrcSet;

/// A deferred command's completion waiter. However the command ends, the waiter
/// is removed under the lock; a completion URC or chunk lines it received but
/// nobody took go to the subscribers, and a chunk it was receiving is abandoned.
struct CompletionSlot<'s, U: UrcSet> {
    shared: &'s Shared<U>,
    id: u64,
    /// The completion URC was taken.
    completed: bool,
    completion: oneshot::Receiver<Vec<u8>>,
    data: mpsc::Receiver<Event>,
}

impl<U: UrcSet> Drop for CompletionSlot<'_, U> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        if !self.completed {
            state.unsettled = true;
        }
        if state.raw_owner == Some(Target::Waiter(self.id)) {
            state.raw_owner = None;
            state.cancel_data = true;
        }
        self.completion.close();
        // A waiter the reader removed (its command failed) was dealt with there.
        if let Some(at) = state.waiters.iter().position(|w| w.id == self.id) {
            state.waiters.remove(at);
            if let Ok(line) = self.completion.try_recv() {
                state.broadcast_line(&line);
            }
        }
        self.data.close();
        while let Ok(event) = self.data.try_recv() {
            state.orphaned(event, None);
        }
    }
}

impl<U: UrcSet + Clone + Send + 'static> Client<U> {
    /// Runs a deferred command: the exchange (with an upload or a download when
    /// given), then the wait for its completion URC, streaming announced chunks
    /// into `sink`.
    pub(super) async fn deferred_with<C>(
        &self,
        command: &C,
        mut sink: Option<&mut (dyn AsyncWrite + Unpin + Send)>,
        upload: Option<&mut (dyn AsyncRead + Unpin + Send)>,
    ) -> Result<(C::Response, C::Completion, u64), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        let has_payload = C::PAYLOAD.is_some() || command.download().is_some();
        let mut writer = self.writer.lock().await;
        let mut request = Request::typed(command, &self.config);
        prepare(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            &request,
        )
        .await?;
        // Installed before the command is sent (some modems send the URC before
        // `OK`), and only once nothing of an earlier command is still due.
        let mut slot = register::<C, U>(&self.shared, command, &self.config);
        request.linked_waiter = Some(slot.id);
        let mode = match (upload, command.upload(), &mut sink, has_payload) {
            (Some(source), Some(rule), _, _) => Mode::Upload(rule, source, None),
            (_, _, Some(sink), true) => Mode::Download(&mut **sink, Some(C::COMPLETION.prefix)),
            _ => Mode::Plain,
        };
        let answer = transact(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            request,
            mode,
        )
        .await;
        drop(writer);
        let mut bytes = answer.as_ref().map_or(0, |a| a.data_bytes);
        // A completion that came before an error result reaches the subscribers
        // when the slot goes.
        let response = answer.and_then(|a| a.typed::<C>())?;

        // Chunks may arrive until the completion URC; each resets the wait.
        let waited = command.completion_timeout();
        let mut data_open = C::DATA.is_some();
        let line = loop {
            tokio::select! {
                biased;
                event = slot.data.recv(), if data_open => match (event, &mut sink) {
                    (Some(Event::Data(chunk)), Some(sink)) => {
                        bytes += chunk.len() as u64;
                        sink.write_all(&chunk).await?;
                    }
                    (Some(_), _) => {}
                    (None, _) => data_open = false,
                },
                done = &mut slot.completion => match done {
                    Ok(line) => {
                        slot.completed = true;
                        break line;
                    }
                    Err(_) => return Err(super::exchange::closed(&self.shared)),
                },
                () = tokio::time::sleep(waited) => {
                    return Err(AtError::Timeout { command: C::NAME, stage: Stage::Completion, waited });
                }
            }
        };
        // Chunks read before the URC are already queued; take them too.
        while let Ok(event) = slot.data.try_recv() {
            if let (Event::Data(chunk), Some(sink)) = (event, &mut sink) {
                bytes += chunk.len() as u64;
                sink.write_all(&chunk).await?;
            }
        }
        if let Some(sink) = &mut sink {
            sink.flush().await?;
        }
        let urc = C::parse_completion(&line).map_err(|error| AtError::Response {
            command: C::NAME,
            error,
        })?;
        if let Some(code) = C::failure(&urc) {
            return Err(AtError::Failed {
                command: C::NAME,
                code,
                detail: C::failure_detail(&urc).map(Box::new),
            });
        }
        if let Some(expected) = C::transferred(&urc)
            && sink.is_some()
            && expected != bytes
        {
            return Err(AtError::LengthMismatch {
                command: C::NAME,
                expected,
                received: bytes,
            });
        }
        Ok((response, urc, bytes))
    }
}

/// Installs the completion waiter of a deferred command.
fn register<'s, C, U>(shared: &'s Shared<U>, command: &C, config: &Config) -> CompletionSlot<'s, U>
where
    C: DeferredCommand + Clone + Send + Sync + 'static,
    U: UrcSet,
{
    let (tx, completion) = oneshot::channel();
    let (data_tx, data) = mpsc::channel(config.data_queue.max(1) + 8);
    let matcher = command.clone();
    let prefix = C::COMPLETION.prefix;
    let mut state = shared.lock();
    let id = state.take_id();
    state.waiters.push(Waiter {
        id,
        matches: Box::new(move |line| {
            crate::parse::starts_like(line, prefix)
                && C::parse_completion(line).is_ok_and(|urc| matcher.is_completion(&urc))
        }),
        tx: Some(tx),
        taken: None,
        data: C::DATA.map(|rule| (rule, data_tx)),
    });
    CompletionSlot {
        shared,
        id,
        completed: false,
        completion,
        data,
    }
}
