//! State shared by the reader task and the command futures.

use std::sync::{Mutex, MutexGuard};

use tokio::sync::{Notify, broadcast, mpsc, oneshot};

use crate::command::{DownloadEnd, PayloadRule};
use crate::dialect::FinalResult;
use crate::urc::Unsolicited;

/// What the reader hands the running command.
#[derive(Debug)]
pub(crate) enum Event {
    /// An information line (or a same-line payload header).
    Line(Vec<u8>),
    /// A data prompt.
    Prompt(&'static str),
    /// Raw payload bytes.
    Data(Vec<u8>),
    /// The payload is complete.
    DataEnd,
    /// A final result code, with the error-detail line that preceded it.
    Final(FinalResult, Option<String>),
    /// An over-long line was dropped.
    Overflow(usize),
    /// A response line that invites an upload of this many bytes.
    Announced(Vec<u8>, usize),
}

/// The command waiting for its answer.
pub(crate) struct Pending {
    /// Identifies the exchange, so a cancelled one does not remove its successor.
    pub id: u64,
    /// Where its events go.
    pub events: mpsc::Sender<Event>,
    /// The command line as sent, dropped once if the modem echoes it.
    pub echo: Option<Vec<u8>>,
    /// The command line as logged (secrets as `***`), for its echo.
    pub echo_shown: Vec<u8>,
    /// Hides secret values in the command's response lines, for logs.
    pub redact_response_line: fn(&[u8]) -> Option<Vec<u8>>,
    /// Recognises the command's information lines that have a prefix.
    pub is_response_line: fn(&[u8]) -> bool,
    /// Whether the command also answers with free text (lines without a prefix).
    pub free_text: bool,
    /// Bare prompts the framer may report now.
    pub bare_prompts: Vec<&'static str>,
    /// Prompts sent as whole lines (`DOWNLOAD`, `CONNECT`).
    pub line_prompts: Vec<&'static str>,
    /// A payload one of its lines may announce (downloads only).
    pub payload: Option<PayloadRule>,
    /// A response line that invites an upload and states its length (uploads only).
    pub announce: Option<PayloadRule>,
    /// Data mode after a line prompt (downloads only).
    pub data_mode: Option<DownloadEnd>,
    /// For data mode ended by `OK`: the text that must follow that `OK` for it to
    /// count as the end (the completion URC's prefix); an `OK` not followed by it is
    /// part of the data.
    pub data_confirm: Option<&'static str>,
    /// Whether an `OK` may arrive before the prompt (uploads).
    pub awaiting_prompt: bool,
    /// A final result was delivered; later lines are not this command's.
    pub finished: bool,
    /// Raw payload bytes are arriving for it.
    pub receiving_data: bool,
    /// An error-detail line waiting for its error result.
    pub detail: Option<String>,
}

/// Tells whether a line is the URC a deferred command waits for.
pub(crate) type CompletionMatcher = Box<dyn Fn(&[u8]) -> bool + Send>;

/// A deferred command waiting for its completion URC.
pub(crate) struct Waiter {
    /// Identifies the waiter.
    pub id: u64,
    /// Whether a line is the awaited URC.
    pub matches: CompletionMatcher,
    /// Where the URC goes.
    pub tx: Option<oneshot::Sender<Vec<u8>>>,
    /// Payload chunks reported before the completion: their announcing line, and
    /// where the chunks go.
    pub data: Option<(PayloadRule, mpsc::Sender<Event>)>,
}

/// Everything behind the lock.
pub(crate) struct State<U> {
    pub pending: Option<Pending>,
    pub waiters: Vec<Waiter>,
    /// Final results still owed by timed-out commands.
    pub stale: usize,
    /// Why the transport closed, once it has.
    pub closed: Option<String>,
    /// Unsolicited output; taken (dropped) when the transport closes so
    /// subscribers see the end.
    pub urc_tx: Option<broadcast::Sender<Unsolicited<U>>>,
    pub next_id: u64,
    /// Whether the modem has been seen echoing commands.
    pub echo_on: bool,
    /// The waiter whose payload chunk is being read (raw data goes there, not to
    /// the running command).
    pub data_target: Option<u64>,
    /// A transfer was abandoned mid-payload: the framer leaves raw data.
    pub cancel_data: bool,
}

/// The lock and the notifications.
pub(crate) struct Shared<U> {
    state: Mutex<State<U>>,
    /// Signalled when a stale final result has been absorbed.
    pub stale_absorbed: Notify,
}

impl<U> Shared<U> {
    pub fn new(urc_tx: broadcast::Sender<Unsolicited<U>>) -> Self {
        Self {
            state: Mutex::new(State {
                pending: None,
                waiters: Vec::new(),
                stale: 0,
                closed: None,
                urc_tx: Some(urc_tx),
                next_id: 1,
                echo_on: false,
                data_target: None,
                cancel_data: false,
            }),
            stale_absorbed: Notify::new(),
        }
    }

    /// Locks the state. A panic while holding the lock cannot leave it half
    /// updated in a way that matters more than losing the client, so poisoning is
    /// ignored rather than propagated as a second panic.
    pub fn lock(&self) -> MutexGuard<'_, State<U>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<U> State<U> {
    pub fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The pending command if it still takes lines.
    pub fn active(&mut self) -> Option<&mut Pending> {
        self.pending.as_mut().filter(|p| !p.finished)
    }
}
