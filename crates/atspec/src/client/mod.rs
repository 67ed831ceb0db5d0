//! The client: executes any vendor's generated commands over any byte transport.
//!
//! One background task reads the transport and routes what the modem sends; the
//! command futures write. Commands from any number of tasks queue on one lock, so
//! exactly one is in flight. What the client knows of the vendor arrives as data:
//! the [`Dialect`] (result codes, prompts) and the command types' trait items.

mod config;
mod error;
mod exchange;
mod reader;
mod shared;
mod upload;

use std::marker::PhantomData;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Mutex, broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;

pub use config::Config;
pub use error::{AtError, Stage};

use crate::command::{AtCommand, DeferredCommand};
use crate::dialect::Dialect;
use crate::urc::{Unsolicited, UrcSet};
use exchange::{Mode, exchange};
use shared::{Event, Shared, Waiter};

type Writer = Box<dyn AsyncWrite + Unpin + Send>;

#[doc = include_str!("../../docs/client.md")]
pub struct Client<U> {
    shared: Arc<Shared<U>>,
    writer: Mutex<Writer>,
    dialect: &'static Dialect,
    config: Config,
    reader: JoinHandle<()>,
    _urcs: PhantomData<fn() -> U>,
}

impl<U> std::fmt::Debug for Client<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("dialect", &self.dialect.name)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<U> Drop for Client<U> {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl<U: UrcSet + Clone + Send + 'static> Client<U> {
    /// Starts a client on `transport` (a serial port, a TCP stream, an in-memory
    /// pipe: anything that reads and writes bytes). Must be called inside a tokio
    /// runtime: it spawns the reader task.
    pub fn new<T>(transport: T, dialect: &'static Dialect, config: Config) -> Self
    where
        T: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (read, write) = tokio::io::split(transport);
        let (urc_tx, _) = broadcast::channel(config.urc_capacity.max(1));
        let shared = Arc::new(Shared::new(urc_tx));
        let reader = tokio::spawn(reader::run::<U, _>(
            read,
            shared.clone(),
            dialect,
            config.max_line,
            config.read_size,
        ));
        Self {
            shared,
            writer: Mutex::new(Box::new(write)),
            dialect,
            config,
            reader,
            _urcs: PhantomData,
        }
    }

    /// A subscription to everything the modem sends that no command is waiting
    /// for: typed URCs, malformed URC lines, unrecognised lines. It ends when the
    /// transport closes; a subscriber that falls behind by more than
    /// [`Config::urc_capacity`] events is told how many it missed.
    pub fn subscribe(&self) -> broadcast::Receiver<Unsolicited<U>> {
        match &self.shared.lock().urc_tx {
            Some(tx) => tx.subscribe(),
            None => broadcast::channel(1).1,
        }
    }

    /// Sends a command and returns its typed response.
    ///
    /// Commands that upload or download data need [`Client::send_upload`] or
    /// [`Client::send_download`]; they are refused here before anything is sent.
    pub async fn send<C: AtCommand>(&self, command: &C) -> Result<C::Response, AtError> {
        if command.upload().is_some() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command uploads data: use send_upload",
            });
        }
        if C::PAYLOAD.is_some() || command.download().is_some() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command returns a payload: use send_download",
            });
        }
        let mut writer = self.writer.lock().await;
        let outcome = exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            command,
            Mode::Plain,
        )
        .await?;
        Ok(outcome.response)
    }

    /// Sends a command that uploads: after the modem's prompt, the bytes of
    /// `data` are sent and ended the way the spec says (a declared length, an
    /// escaped terminator, or an escape sequence between guard times).
    pub async fn send_upload<C, R>(&self, command: &C, data: &mut R) -> Result<C::Response, AtError>
    where
        C: AtCommand,
        R: AsyncRead + Unpin + Send,
    {
        let Some(rule) = command.upload() else {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command does not upload: use send",
            });
        };
        let mut writer = self.writer.lock().await;
        let outcome = exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            command,
            Mode::Upload(rule, data, None),
        )
        .await?;
        Ok(outcome.response)
    }

    /// Sends a command that uploads `data` after its prompt and whose answer carries
    /// a payload (an HTTP POST whose response body follows), streaming that payload
    /// into `sink`. Returns the typed response and the payload bytes written.
    pub async fn send_upload_download<C, R, W>(
        &self,
        command: &C,
        data: &mut R,
        sink: &mut W,
    ) -> Result<(C::Response, u64), AtError>
    where
        C: AtCommand,
        R: AsyncRead + Unpin + Send,
        W: AsyncWrite + Unpin + Send,
    {
        let Some(rule) = command.upload() else {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command does not upload: use send_download",
            });
        };
        let mut writer = self.writer.lock().await;
        let mode = Mode::Upload(rule, data, Some(sink));
        let outcome = exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            command,
            mode,
        )
        .await?;
        Ok((outcome.response, outcome.data_bytes))
    }

    /// Sends a command whose answer carries raw bytes and streams them into
    /// `sink` as they arrive; memory use does not depend on the payload's size.
    /// Returns the typed response and the number of payload bytes written.
    pub async fn send_download<C, W>(
        &self,
        command: &C,
        sink: &mut W,
    ) -> Result<(C::Response, u64), AtError>
    where
        C: AtCommand,
        W: AsyncWrite + Unpin + Send,
    {
        if C::PAYLOAD.is_none() && command.download().is_none() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command returns no payload: use send",
            });
        }
        let mut writer = self.writer.lock().await;
        let outcome = exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            command,
            Mode::Download(sink, None),
        )
        .await?;
        Ok((outcome.response, outcome.data_bytes))
    }

    /// Sends a command answered with `OK` whose real result arrives later as a
    /// URC, and returns both. The URC is awaited from the moment the command is
    /// sent (some modems send it before `OK`) for the spec's completion timeout;
    /// a URC reporting failure becomes [`AtError::Failed`] with the vendor code.
    pub async fn send_deferred<C>(
        &self,
        command: &C,
    ) -> Result<(C::Response, C::Completion), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        if command.upload().is_some() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command uploads data: use send_deferred_upload",
            });
        }
        if C::DATA.is_some() || C::PAYLOAD.is_some() || command.download().is_some() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command returns data: use send_deferred_download",
            });
        }
        let (response, completion, _) = self.deferred(command, None).await?;
        Ok((response, completion))
    }

    /// Like [`Client::send_deferred`] for a command that also delivers data: a
    /// payload with its answer, a data-mode transfer after `CONNECT` (whose `OK`
    /// counts as the end only when the completion URC follows, so data holding
    /// `\r\nOK\r\n` is not cut short), or chunks announced between `OK` and the
    /// completion URC. The bytes stream into `sink`; returns the response, the
    /// completion URC and the number of bytes written.
    pub async fn send_deferred_download<C, W>(
        &self,
        command: &C,
        sink: &mut W,
    ) -> Result<(C::Response, C::Completion, u64), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
        W: AsyncWrite + Unpin + Send,
    {
        self.deferred(command, Some(sink)).await
    }

    /// Like [`Client::send_deferred`] for a command that uploads: `data` goes out
    /// after the prompt, then the completion URC (the upload's real result) is
    /// awaited; a failure code becomes [`AtError::Failed`].
    pub async fn send_deferred_upload<C, R>(
        &self,
        command: &C,
        data: &mut R,
    ) -> Result<(C::Response, C::Completion), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
        R: AsyncRead + Unpin + Send,
    {
        if command.upload().is_none() {
            return Err(AtError::WrongCall {
                command: C::NAME,
                what: "this command does not upload: use send_deferred",
            });
        }
        let (response, completion, _) = self.deferred_with(command, None, Some(data)).await?;
        Ok((response, completion))
    }

    async fn deferred<C>(
        &self,
        command: &C,
        sink: Option<&mut (dyn AsyncWrite + Unpin + Send)>,
    ) -> Result<(C::Response, C::Completion, u64), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        self.deferred_with(command, sink, None).await
    }

    async fn deferred_with<C>(
        &self,
        command: &C,
        mut sink: Option<&mut (dyn AsyncWrite + Unpin + Send)>,
        upload: Option<&mut (dyn AsyncRead + Unpin + Send)>,
    ) -> Result<(C::Response, C::Completion, u64), AtError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        let (tx, mut completion) = oneshot::channel();
        let (data_tx, mut data_rx) = mpsc::channel(self.config.data_queue.max(1) + 8);
        let matcher = command.clone();
        let prefix = C::COMPLETION.prefix;
        let id = {
            let mut state = self.shared.lock();
            let id = state.take_id();
            state.waiters.push(Waiter {
                id,
                matches: Box::new(move |line| {
                    crate::parse::starts_like(line, prefix)
                        && C::parse_completion(line).is_ok_and(|urc| matcher.is_completion(&urc))
                }),
                tx: Some(tx),
                data: C::DATA.map(|rule| (rule, data_tx)),
            });
            id
        };
        let _guard = WaiterGuard {
            shared: &self.shared,
            id,
        };

        let has_payload = C::PAYLOAD.is_some() || command.download().is_some();
        let (response, mut bytes) = {
            let mut writer = self.writer.lock().await;
            let mode = match (upload, command.upload(), &mut sink, has_payload) {
                (Some(source), Some(rule), _, _) => Mode::Upload(rule, source, None),
                (_, _, Some(sink), true) => Mode::Download(&mut **sink, Some(C::COMPLETION.prefix)),
                _ => Mode::Plain,
            };
            let outcome = exchange(
                &self.shared,
                &mut **writer,
                self.dialect,
                &self.config,
                command,
                mode,
            )
            .await?;
            (outcome.response, outcome.data_bytes)
        };

        // Chunks may arrive until the completion URC; each resets the wait.
        let waited = C::COMPLETION.timeout;
        let mut data_open = C::DATA.is_some();
        let line = loop {
            tokio::select! {
                biased;
                event = data_rx.recv(), if data_open => match (event, &mut sink) {
                    (Some(Event::Data(chunk)), Some(sink)) => {
                        bytes += chunk.len() as u64;
                        sink.write_all(&chunk).await?;
                    }
                    (Some(_), _) => {}
                    (None, _) => data_open = false,
                },
                done = &mut completion => match done {
                    Ok(line) => break line,
                    Err(_) => return Err(exchange::closed(&self.shared)),
                },
                () = tokio::time::sleep(waited) => {
                    return Err(AtError::Timeout { command: C::NAME, stage: Stage::Completion, waited });
                }
            }
        };
        // Chunks read before the URC are already queued; take them too.
        while let Ok(event) = data_rx.try_recv() {
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

/// Removes a completion waiter however `send_deferred` ends.
struct WaiterGuard<'s, U> {
    shared: &'s Shared<U>,
    id: u64,
}

impl<U> Drop for WaiterGuard<'_, U> {
    fn drop(&mut self) {
        self.shared.lock().waiters.retain(|w| w.id != self.id);
    }
}
