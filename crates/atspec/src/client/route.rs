//! Where each frame goes: to the running command, to a deferred command's
//! completion waiter, or to the subscribers. Decided under the lock, so a
//! command or waiter that has ended can never be handed a line afterwards.

use tokio::sync::mpsc;

use super::echo;
use super::error::ErrorDetail;
use super::shared::{Accept, EndRule, Event, Pending, Shared, State, Target, unsolicited_line};
use crate::command::{DownloadEnd, Placement};
use crate::dialect::{Dialect, FinalResult, ResultKind};
use crate::framer::Frame;
use crate::parse::starts_like;
use crate::urc::{Unsolicited, UrcSet};

/// Raw data that starts after the frame just routed.
pub(crate) enum RawSwitch {
    Counted(u64),
    UntilOk(Option<&'static str>),
}

/// An event (and possibly a second one right after it) for a command or a
/// waiter's data channel. Everything else was handled under the lock.
pub(crate) struct Delivery {
    pub target: Target,
    /// The command's name, for an event that finds its command gone.
    pub name: Option<&'static str>,
    pub tx: mpsc::Sender<Event>,
    pub event: Event,
    /// Further events, in order (held lines released with a final result).
    pub more: Vec<Event>,
    /// A delivery to another target that follows this one.
    pub next: Option<Box<Delivery>>,
}

/// Decides where a frame goes, under the lock, and says whether the framer must
/// switch into raw data before the next frame is taken.
pub(crate) fn route<U: UrcSet>(
    shared: &Shared<U>,
    dialect: &Dialect,
    frame: Frame<'_>,
    switch: &mut Option<RawSwitch>,
) -> Option<Delivery> {
    let mut state = shared.lock();
    let owed_before = state.owed.len();
    let delivery = route_frame(&mut state, dialect, frame, switch);
    if state.owed.len() < owed_before {
        shared.late_absorbed.notify_waiters();
    }
    delivery
}

fn to_exchange(p: &Pending, event: Event) -> Option<Delivery> {
    Some(Delivery {
        target: Target::Exchange(p.id),
        name: Some(p.name),
        tx: p.events.clone(),
        event,
        more: Vec::new(),
        next: None,
    })
}

/// The data channel for raw bytes of `target`.
fn data_channel<U>(
    state: &State<U>,
    target: Target,
) -> Option<(mpsc::Sender<Event>, Option<&'static str>)> {
    match target {
        Target::Exchange(id) => state
            .pending
            .as_ref()
            .filter(|p| p.id == id)
            .map(|p| (p.events.clone(), Some(p.name))),
        Target::Waiter(id) => state
            .waiters
            .iter()
            .find(|w| w.id == id)
            .and_then(|w| w.data.as_ref())
            .map(|(_, tx)| (tx.clone(), None)),
    }
}

fn to_target<U>(state: &State<U>, target: Target, event: Event) -> Option<Delivery> {
    let (tx, name) = data_channel(state, target)?;
    Some(Delivery {
        target,
        name,
        tx,
        event,
        more: Vec::new(),
        next: None,
    })
}

fn route_frame<U: UrcSet>(
    state: &mut State<U>,
    dialect: &Dialect,
    frame: Frame<'_>,
    switch: &mut Option<RawSwitch>,
) -> Option<Delivery> {
    match frame {
        Frame::Line(line) => {
            if tracing::enabled!(tracing::Level::DEBUG) {
                let shown = shown_line(state, line);
                tracing::debug!(line = %String::from_utf8_lossy(&shown), "received");
            }
            route_line(state, dialect, line, switch)
        }
        Frame::Prompt(prompt) => {
            let p = state.active()?;
            p.awaiting_prompt = false;
            to_exchange(p, Event::Prompt(prompt))
        }
        Frame::Header(header) => match state.active() {
            Some(p) => {
                // The framer reads the same-line payload that follows by itself.
                let id = p.id;
                let delivery = to_exchange(p, Event::Line(header.to_vec()));
                state.raw_owner = Some(Target::Exchange(id));
                delivery
            }
            None => {
                state.broadcast(Unsolicited::Unrecognised(header.to_vec()));
                None
            }
        },
        Frame::Data(bytes) => {
            tracing::trace!(bytes = bytes.len(), "payload");
            // Raw bytes whose owner has gone cannot be given to anyone.
            let owner = state.raw_owner?;
            to_target(state, owner, Event::Data(bytes.to_vec()))
        }
        Frame::DataEnd => match state.raw_owner.take()? {
            Target::Exchange(id) => {
                let p = state.pending.as_mut().filter(|p| p.id == id)?;
                if p.data_mode == Some(DownloadEnd::FinalResult) {
                    // The terminator of data mode is the final `OK`.
                    p.finished = true;
                    let ok = FinalResult {
                        kind: ResultKind::Ok,
                        text: "OK",
                        code: None,
                        meaning: None,
                    };
                    to_exchange(p, Event::Final(ok, None, b"OK".to_vec()))
                } else {
                    to_exchange(p, Event::DataEnd)
                }
            }
            waiter => to_target(state, waiter, Event::DataEnd),
        },
        Frame::Overflow { discarded } => {
            tracing::warn!(discarded, "dropped an over-long line");
            match state.active() {
                Some(p) => to_exchange(p, Event::Overflow(discarded)),
                None => {
                    state.broadcast(Unsolicited::Overflow { discarded });
                    None
                }
            }
        }
    }
}

/// A received line as logs show it: an echo of the running command as that command
/// was logged, its response lines with secret values hidden.
fn shown_line<'a, U>(state: &mut State<U>, line: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    use std::borrow::Cow;
    let Some(p) = state.active() else {
        return Cow::Borrowed(line);
    };
    if p.echo
        .as_deref()
        .is_some_and(|echo| trim(line) == trim(echo))
    {
        return Cow::Owned(p.echo_shown.clone());
    }
    match (p.redact_response_line)(line) {
        Some(hidden) => Cow::Owned(hidden),
        None => Cow::Borrowed(line),
    }
}

fn route_line<U: UrcSet>(
    state: &mut State<U>,
    dialect: &Dialect,
    line: &[u8],
    switch: &mut Option<RawSwitch>,
) -> Option<Delivery> {
    let result = dialect.final_result(line);
    let is_final = result
        .as_ref()
        .is_some_and(|r| r.kind != ResultKind::Detail);
    // Whether the running command may take this line, and whether it must hold it
    // first: with echo on, nothing that arrives before the command's echo is its
    // answer, unless the modem turns out to have stopped echoing.
    let mine = state.active().is_some();
    let mut released = Vec::new();
    let mut before_echo = false;
    let (echo_on, owed) = (state.echo_on, !state.owed.is_empty());
    match state.active().map(|p| echo::check(p, echo_on, line)) {
        None | Some(echo::Check::NotAwaited) => {}
        Some(echo::Check::Echo) => {
            let held = state.active().map(echo::seen).unwrap_or_default();
            state.echo_on = true;
            for line in held {
                state.broadcast_line(&line);
            }
            return None;
        }
        Some(echo::Check::Before) if is_final && owed => {
            // The late answer of a command that ended without it: it comes
            // before this command's echo.
            state.broadcast_late_result(line);
            return None;
        }
        Some(echo::Check::Before)
            if is_final
                || state
                    .active()
                    .is_some_and(|p| echo::proves_no_echo(p, line)) =>
        {
            // An answer without an echo: the modem stopped echoing, and the lines
            // held so far were this command's.
            state.echo_on = false;
            released = state.active().map(echo::stopped).unwrap_or_default();
        }
        Some(echo::Check::Before) => before_echo = true,
    }
    if !released.is_empty() {
        let held = release(state, released);
        let delivery = route_line(state, dialect, line, switch);
        return combine(held, delivery);
    }
    if mine && let Some(p) = state.active() {
        if let Some(result) = result {
            return take_result(state, result, line);
        }
        if let Some(prompt) = p
            .line_prompts
            .iter()
            .find(|t| trim(line) == t.trim_end().as_bytes())
            .copied()
        {
            p.awaiting_prompt = false;
            let id = p.id;
            *switch = match p.data_mode {
                Some(DownloadEnd::Length(len)) => Some(RawSwitch::Counted(len as u64)),
                Some(DownloadEnd::FinalResult) => Some(RawSwitch::UntilOk(p.data_confirm)),
                None => None,
            };
            let delivery = to_exchange(p, Event::Prompt(prompt));
            if switch.is_some() {
                state.raw_owner = Some(Target::Exchange(id));
            }
            return delivery;
        }
    } else if is_final {
        // No command takes it: the late answer of a command that ended without it,
        // or a stray result.
        state.broadcast_late_result(line);
        return None;
    }
    // A payload chunk announced for a deferred transfer.
    let chunk = state.waiters.iter().find_map(|w| {
        let (rule, tx) = w.data.as_ref()?;
        if !starts_like(line, rule.prefix) {
            return None;
        }
        let (len, _) = (rule.length)(line).ok()?;
        Some((w.id, tx.clone(), len))
    });
    if let Some((id, tx, len)) = chunk {
        *switch = Some(RawSwitch::Counted(len as u64));
        state.raw_owner = Some(Target::Waiter(id));
        return Some(Delivery {
            target: Target::Waiter(id),
            name: None,
            tx,
            event: Event::Line(line.to_vec()),
            more: Vec::new(),
            next: None,
        });
    }
    if mine
        && let Some(p) = state.active()
        && let Some(rule) = p.announce.filter(|r| starts_like(line, r.prefix))
        && let Ok((len, _)) = (rule.length)(line)
    {
        p.awaiting_prompt = false;
        return to_exchange(p, Event::Announced(line.to_vec(), len));
    }
    // A line shaped like the running command's answer is its answer, even when a
    // URC shares the prefix (the specs' `response_while_pending` rule).
    if mine
        && let Some(p) = state.active()
        && owns_by_shape(&p.accept, line)
    {
        let announcing = p
            .payload
            .filter(|r| r.placement == Placement::NextLine && starts_like(line, r.prefix));
        if let Some(rule) = announcing {
            match (rule.length)(line) {
                Ok((len, _)) => *switch = Some(RawSwitch::Counted(len as u64)),
                Err(e) => tracing::warn!(%e, "payload length unreadable"),
            }
        }
        if before_echo {
            p.held.push(line.to_vec());
            return None;
        }
        let id = p.id;
        let delivery = take_line(p, line);
        if switch.is_some() {
            state.raw_owner = Some(Target::Exchange(id));
        }
        return delivery;
    }
    // With echo on, nothing before a command's echo answers it: its completion
    // waiter takes lines only after that.
    let gated = state
        .pending
        .as_ref()
        .filter(|p| state.echo_on && p.echo.is_some())
        .and_then(|p| p.linked_waiter);
    let waiter = state
        .waiters
        .iter_mut()
        .find(|w| w.tx.is_some() && Some(w.id) != gated && (w.matches)(line));
    if let Some(w) = waiter
        && let Some(tx) = w.tx.take()
    {
        // Handed over under the lock: a waiter whose command has gone gives the
        // line back.
        w.taken = Some(line.to_vec());
        if let Err(line) = tx.send(line.to_vec()) {
            w.taken = None;
            state.broadcast_line(&line);
        }
        return None;
    }
    let event = unsolicited_line::<U>(line);
    // Free-text answers (no prefix to recognise them by) take what no URC claims.
    if mine
        && !matches!(event, Unsolicited::Urc(_))
        && let Some(p) = state.active()
        && takes_unclaimed(&p.accept)
    {
        if before_echo {
            p.held.push(line.to_vec());
            return None;
        }
        return take_line(p, line);
    }
    state.broadcast(event);
    None
}

/// A final result for the running command.
fn take_result<U: UrcSet>(
    state: &mut State<U>,
    result: FinalResult,
    line: &[u8],
) -> Option<Delivery> {
    let p = state.active()?;
    if result.kind == ResultKind::Detail {
        p.detail = Some(ErrorDetail::new(result, line));
        return None;
    }
    // An upload may see `OK` before its prompt; it keeps taking events.
    if !(p.awaiting_prompt && result.kind == ResultKind::Ok) {
        p.finished = true;
    }
    let mut detail = p.detail.take();
    let mut orphan = None;
    if result.kind == ResultKind::Ok {
        // A detail line qualifies an error; before a success it is nobody's.
        orphan = detail.take();
    }
    let failed = matches!(result.kind, ResultKind::Error | ResultKind::Busy);
    let linked_waiter = p.linked_waiter.filter(|_| failed);
    let delivery = to_exchange(p, Event::Final(result, detail, line.to_vec()));
    if let Some(waiter) = linked_waiter
        && let Some(at) = state.waiters.iter().position(|w| w.id == waiter)
    {
        // A failed deferred command awaits no completion: one that comes after
        // the error is unsolicited, and one that came before it goes to the
        // subscribers now.
        if let Some(completion) = state.waiters.remove(at).taken {
            state.broadcast_line(&completion);
        }
    }
    if let Some(orphan) = orphan {
        state.broadcast_line(orphan.line.as_bytes());
    }
    delivery
}

/// Hands an information line to the running command; for commands whose answer
/// ends without a final result, says whether this line completes it.
fn take_line(p: &mut Pending, line: &[u8]) -> Option<Delivery> {
    let mut events = Vec::new();
    accept_line(p, line, &mut events);
    let mut events = events.into_iter();
    let mut delivery = to_exchange(p, events.next()?)?;
    delivery.more.extend(events);
    Some(delivery)
}

/// The events for one information line of the running command.
fn accept_line(p: &mut Pending, line: &[u8], events: &mut Vec<Event>) {
    let complete = match &mut p.end {
        EndRule::FinalResult => false,
        EndRule::WhenParsed { complete, lines } => {
            lines.push(line.to_vec());
            let borrowed: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
            complete(&borrowed)
        }
        EndRule::AtLine(ends) => ends(line),
    };
    events.push(Event::Line(line.to_vec()));
    if complete {
        p.finished = true;
        events.push(Event::Complete);
    }
}

/// Lines held while the echo was awaited, given to the command after all (the
/// line being routed showed the modem no longer echoes).
fn release<U>(state: &mut State<U>, held: Vec<Vec<u8>>) -> Option<Delivery> {
    let p = state.active()?;
    let mut events = Vec::new();
    for line in &held {
        if p.finished {
            break;
        }
        accept_line(p, line, &mut events);
    }
    let mut events = events.into_iter();
    let mut delivery = to_exchange(p, events.next()?)?;
    delivery.more.extend(events);
    Some(delivery)
}

/// Two deliveries, in order.
fn combine(first: Option<Delivery>, second: Option<Delivery>) -> Option<Delivery> {
    match (first, second) {
        (Some(mut first), Some(second)) => {
            if first.target == second.target {
                first.more.push(second.event);
                first.more.extend(second.more);
                first.next = second.next;
            } else {
                first.next = Some(Box::new(second));
            }
            Some(first)
        }
        (first, second) => first.or(second),
    }
}

fn owns_by_shape(accept: &Accept, line: &[u8]) -> bool {
    match accept {
        Accept::Typed {
            is_response_line, ..
        } => is_response_line(line),
        Accept::Raw => false,
    }
}

fn takes_unclaimed(accept: &Accept) -> bool {
    match accept {
        Accept::Typed { free_text, .. } => *free_text,
        Accept::Raw => true,
    }
}

pub(crate) fn trim(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\r' | b'\n'] = line {
        line = head;
    }
    line
}
