//! The client: executes any vendor's generated commands over any byte transport.
//!
//! One background task reads the transport and routes what the modem sends; the
//! command futures write. Commands from any number of tasks queue on one lock, so
//! exactly one is in flight. What the client knows of the vendor arrives as data:
//! the [`Dialect`] (result codes, prompts) and the command types' trait items.

pub mod call;
mod config;
mod deferred;
mod echo;
mod error;
mod exchange;
mod info_line;
mod raw;
mod reader;
mod resync;
mod route;
mod shared;
mod upload;

use std::marker::PhantomData;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Mutex, broadcast};
use tokio::task::JoinHandle;

pub use config::Config;
pub use error::{AtError, ErrorDetail, Stage};
pub(crate) use error::{failure_text, refusal_text, stage_text};
pub use info_line::{DecodedLine, InfoLine, LineField};
pub use raw::{RAW, RawCommand, RawResponse};

use crate::command::{AtCommand, DeferredCommand};
use crate::dialect::Dialect;
use crate::urc::{Unsolicited, UrcSet};
use exchange::{Mode, Request, exchange};
use shared::Shared;

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
    /// [`Config::urc_capacity`] events (rounded up to a power of two) is told how
    /// many it missed.
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
        self.run(command, Mode::Plain)
            .await
            .and_then(exchange::Answer::typed::<C>)
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
        self.run(command, Mode::Upload(rule, data, None))
            .await
            .and_then(exchange::Answer::typed::<C>)
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
        let answer = self
            .run(command, Mode::Upload(rule, data, Some(sink)))
            .await?;
        let bytes = answer.data_bytes;
        Ok((answer.typed::<C>()?, bytes))
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
        let answer = self.run(command, Mode::Download(sink, None)).await?;
        let bytes = answer.data_bytes;
        Ok((answer.typed::<C>()?, bytes))
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

    /// Runs one exchange of a generated command, holding the writer so exchanges
    /// never overlap.
    async fn run<C: AtCommand>(
        &self,
        command: &C,
        mode: Mode<'_>,
    ) -> Result<exchange::Answer, AtError> {
        let request = Request::typed(command, &self.config);
        let mut writer = self.writer.lock().await;
        exchange(
            &self.shared,
            &mut **writer,
            self.dialect,
            &self.config,
            request,
            mode,
        )
        .await
    }
}
