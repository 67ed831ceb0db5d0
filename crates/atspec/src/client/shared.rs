//! State shared by the reader task and the command futures, and the one place
//! that hands lines nobody is waiting for to the subscribers.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::{Notify, broadcast, mpsc, oneshot};
use tokio::time::Instant;

use super::error::ErrorDetail;
use crate::command::{DownloadEnd, PayloadRule};
use crate::dialect::FinalResult;
use crate::urc::{Unsolicited, UrcSet};

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
    /// A final result code, with the error-detail line that preceded it and the
    /// line as received.
    Final(FinalResult, Option<ErrorDetail>, Vec<u8>),
    /// The answer is complete without a final result code (commands the modem
    /// answers with information lines only).
    Complete,
    /// An over-long line was dropped.
    Overflow(usize),
    /// A response line that invites an upload of this many bytes.
    Announced(Vec<u8>, usize),
}

/// A line predicate given at run time (raw commands).
pub(crate) type LinePredicate = std::sync::Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// Which lines without a final-result meaning belong to the running command.
pub(crate) enum Accept {
    /// A generated command: lines of its response's shape, and free text when the
    /// command answers free text and no URC of the set claims the line.
    Typed {
        is_response_line: fn(&[u8]) -> bool,
        free_text: bool,
    },
    /// A raw command: every line that is not a URC of the set.
    Raw,
}

/// How the running command's answer ends besides a final result code.
pub(crate) enum EndRule {
    /// Only a final result ends it.
    FinalResult,
    /// No final result follows: the answer is complete once the lines taken so far
    /// pass this check (a typed command's `parse_response`).
    WhenParsed {
        complete: fn(&[&[u8]]) -> bool,
        lines: Vec<Vec<u8>>,
    },
    /// A line for which this returns true also ends the answer (raw commands).
    AtLine(LinePredicate),
}

/// The command waiting for its answer.
pub(crate) struct Pending {
    /// Identifies the exchange, so a cancelled one does not remove its successor.
    pub id: u64,
    /// The command's name (for late answers and logs).
    pub name: &'static str,
    /// Where its events go.
    pub events: mpsc::Sender<Event>,
    /// The command line as sent, dropped once if the modem echoes it.
    pub echo: Option<Vec<u8>>,
    /// The command line as logged (secrets as `***`), for its echo.
    pub echo_shown: Vec<u8>,
    /// Lines it would take that came while its echo was awaited (see `echo`).
    pub held: Vec<Vec<u8>>,
    /// Hides secret values in the command's response lines, for logs.
    pub redact_response_line: fn(&[u8]) -> Option<Vec<u8>>,
    /// Which lines are its own.
    pub accept: Accept,
    /// How its answer ends.
    pub end: EndRule,
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
    /// Its answer is complete; later lines are not this command's.
    pub finished: bool,
    /// An error-detail line waiting for its error result.
    pub detail: Option<ErrorDetail>,
    /// The completion waiter of a deferred command, removed when the command
    /// fails.
    pub linked_waiter: Option<u64>,
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
    /// The URC handed over, kept until the waiter goes: if its command fails
    /// instead of taking it, the URC goes to the subscribers.
    pub taken: Option<Vec<u8>>,
    /// Payload chunks reported before the completion: their announcing line, and
    /// where the chunks go.
    pub data: Option<(PayloadRule, mpsc::Sender<Event>)>,
}

/// Who raw bytes the framer is reading belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The exchange with this id.
    Exchange(u64),
    /// The deferred waiter with this id (chunks between `OK` and its completion).
    Waiter(u64),
}

/// Everything behind the lock.
pub(crate) struct State<U> {
    pub pending: Option<Pending>,
    pub waiters: Vec<Waiter>,
    /// Commands that ended without their final result (timed out or abandoned),
    /// oldest first: the final results the modem may still send for them.
    pub owed: VecDeque<&'static str>,
    /// A deferred command ended without its completion: the URC may still come
    /// right after, so the next command waits for a quiet line first.
    pub unsettled: bool,
    /// Why the transport closed, once it has.
    pub closed: Option<String>,
    /// Unsolicited output; taken (dropped) when the transport closes so
    /// subscribers see the end.
    pub urc_tx: Option<broadcast::Sender<Unsolicited<U>>>,
    pub next_id: u64,
    /// Whether the modem has been seen echoing commands.
    pub echo_on: bool,
    /// Whose raw bytes the framer is reading, if it is in raw data.
    pub raw_owner: Option<Target>,
    /// A transfer was abandoned mid-payload: the framer leaves raw data.
    pub cancel_data: bool,
    /// When the last bytes arrived from the modem (the resynchronisation waits
    /// for a quiet line).
    pub last_rx: Instant,
}

/// The lock and the notifications.
pub(crate) struct Shared<U> {
    state: Mutex<State<U>>,
    /// Signalled when a late final result has been absorbed.
    pub late_absorbed: Notify,
}

impl<U> Shared<U> {
    pub fn new(urc_tx: broadcast::Sender<Unsolicited<U>>) -> Self {
        Self {
            state: Mutex::new(State {
                pending: None,
                waiters: Vec::new(),
                owed: VecDeque::new(),
                unsettled: false,
                closed: None,
                urc_tx: Some(urc_tx),
                next_id: 1,
                echo_on: false,
                raw_owner: None,
                cancel_data: false,
                last_rx: Instant::now(),
            }),
            late_absorbed: Notify::new(),
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

    /// Whether events for `target` still have somewhere to go.
    pub fn target_alive(&self, target: Target) -> bool {
        match target {
            Target::Exchange(id) => self.pending.as_ref().is_some_and(|p| p.id == id),
            Target::Waiter(id) => self.waiters.iter().any(|w| w.id == id),
        }
    }

    /// Hands an event to the subscribers.
    pub fn broadcast(&self, event: Unsolicited<U>) {
        if let Some(tx) = &self.urc_tx {
            // An error only means nobody subscribes right now.
            let _ = tx.send(event);
        }
    }
}

impl<U: UrcSet> State<U> {
    /// A line nobody takes, typed where the vendor's URC set knows it.
    pub fn broadcast_line(&self, line: &[u8]) {
        self.broadcast(unsolicited_line(line));
    }

    /// A final result no running command takes: the late answer of the oldest
    /// command that ended without one, if any is owed.
    pub fn broadcast_late_result(&mut self, line: &[u8]) {
        let command = self.owed.pop_front();
        self.broadcast(Unsolicited::LateResult {
            line: line.to_vec(),
            command,
        });
    }

    /// An event for a command or waiter that has gone meanwhile: lines and results
    /// go to the subscribers (a result as the late answer of `command`, which is
    /// not owed one since it was answered), raw bytes cannot.
    pub fn orphaned(&mut self, event: Event, command: Option<&'static str>) {
        match event {
            Event::Line(line) | Event::Announced(line, _) => self.broadcast_line(&line),
            Event::Final(_, detail, line) => {
                if let Some(detail) = detail {
                    self.broadcast_line(detail.line.as_bytes());
                }
                self.broadcast(Unsolicited::LateResult { line, command });
            }
            Event::Overflow(discarded) => self.broadcast(Unsolicited::Overflow { discarded }),
            Event::Prompt(_) | Event::Data(_) | Event::DataEnd | Event::Complete => {}
        }
    }
}

/// What the subscribers get for a line the spec may know as a URC.
pub(crate) fn unsolicited_line<U: UrcSet>(line: &[u8]) -> Unsolicited<U> {
    match U::parse(line) {
        Some(Ok(urc)) => Unsolicited::Urc(urc),
        Some(Err(error)) => Unsolicited::Malformed {
            line: line.to_vec(),
            error,
        },
        None => Unsolicited::Unrecognised(line.to_vec()),
    }
}
