//! The background task that reads the transport, frames the bytes and routes
//! every frame: to the running command, to a deferred command's completion
//! waiter, or to the URC subscribers.

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::shared::{Event, Shared};
use crate::command::DownloadEnd;
use crate::dialect::{Dialect, FinalResult, ResultKind};
use crate::framer::{Expect, Frame, Framer};
use crate::parse::starts_like;
use crate::urc::{Unsolicited, UrcSet};

/// Data mode ended by a final result: the terminator that ends the raw bytes.
const DATA_MODE_END: &[u8] = b"\r\nOK\r\n";

/// Raw data that starts after the frame just routed.
enum RawSwitch {
    Counted(u64),
    UntilOk(Option<&'static str>),
}

/// Where a frame goes.
enum Route<U> {
    Command(mpsc::Sender<Event>, Event),
    Waiter(
        oneshot::Sender<Vec<u8>>,
        Vec<u8>,
        Option<broadcast::Sender<Unsolicited<U>>>,
    ),
    Broadcast(Option<broadcast::Sender<Unsolicited<U>>>, Unsolicited<U>),
    Drop,
}

/// Runs until the transport ends or fails, then closes the client.
pub(crate) async fn run<U, R>(
    mut io: R,
    shared: Arc<Shared<U>>,
    dialect: &'static Dialect,
    max_line: usize,
    read_size: usize,
) where
    U: UrcSet + Clone + Send + 'static,
    R: AsyncRead + Unpin,
{
    let mut framer = Framer::new(max_line);
    let reason = loop {
        // Hand out every complete frame before reading more.
        loop {
            let (prompts, same_line) = {
                let mut state = shared.lock();
                if std::mem::take(&mut state.cancel_data) {
                    framer.cancel_data();
                }
                match state.active() {
                    Some(p) => (
                        p.bare_prompts.clone(),
                        p.payload
                            .filter(|r| r.placement == crate::command::Placement::SameLine),
                    ),
                    None => (Vec::new(), None),
                }
            };
            let expect = Expect {
                prompts: &prompts,
                same_line: same_line.as_ref(),
            };
            let Some(frame) = framer.next_frame(expect) else {
                break;
            };
            let mut switch = None;
            let route = route(&shared, dialect, frame, &mut switch);
            match switch {
                Some(RawSwitch::Counted(len)) => framer.expect_data(len),
                Some(RawSwitch::UntilOk(None)) => framer.expect_data_until(DATA_MODE_END),
                Some(RawSwitch::UntilOk(Some(confirm))) => {
                    framer.expect_data_until_confirmed(DATA_MODE_END, confirm.as_bytes())
                }
                None => {}
            }
            deliver(route).await;
        }
        framer.read_buffer().reserve(read_size);
        match io.read_buf(framer.read_buffer()).await {
            Ok(0) => break "the modem side closed the connection".to_owned(),
            Ok(n) => tracing::trace!(bytes = n, "read"),
            Err(e) => break format!("read failed: {e}"),
        }
    };
    tracing::debug!(%reason, "transport closed");
    let mut state = shared.lock();
    state.closed = Some(reason);
    // Dropping the senders ends the running command, the waiters and the subscriptions.
    state.pending = None;
    state.waiters.clear();
    state.urc_tx = None;
}

async fn deliver<U>(route: Route<U>) {
    match route {
        // A send fails only if the command future was dropped; nothing is owed to it then.
        Route::Command(tx, event) => {
            let _ = tx.send(event).await;
        }
        Route::Waiter(tx, line, urc_tx) => {
            let _ = tx.send(line);
            drop(urc_tx);
        }
        Route::Broadcast(tx, event) => {
            if let Some(tx) = tx {
                let _ = tx.send(event);
            }
        }
        Route::Drop => {}
    }
}

/// Decides where a frame goes, under the lock, and switches the framer into raw
/// data before the next frame is taken when the frame announces data.
fn route<U: UrcSet>(
    shared: &Shared<U>,
    dialect: &Dialect,
    frame: Frame<'_>,
    framer_mode: &mut Option<RawSwitch>,
) -> Route<U> {
    let mut state = shared.lock();
    let stale_before = state.stale;
    let route = route_frame(&mut state, dialect, frame, framer_mode);
    if state.stale < stale_before {
        shared.stale_absorbed.notify_waiters();
    }
    route
}

/// A received line as logs show it: an echo of the running command as that command
/// was logged, its response lines with secret values hidden.
fn shown_line<'a, U: UrcSet>(
    state: &mut super::shared::State<U>,
    line: &'a [u8],
) -> std::borrow::Cow<'a, [u8]> {
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

fn route_frame<U: UrcSet>(
    state: &mut super::shared::State<U>,
    dialect: &Dialect,
    frame: Frame<'_>,
    framer_mode: &mut Option<RawSwitch>,
) -> Route<U> {
    let urc_tx = state.urc_tx.clone();
    match frame {
        Frame::Line(line) => {
            if tracing::enabled!(tracing::Level::DEBUG) {
                let shown = shown_line(state, line);
                tracing::debug!(line = %String::from_utf8_lossy(&shown), "received");
            }
            route_line(state, dialect, line, framer_mode, urc_tx)
        }
        Frame::Prompt(prompt) => match state.active() {
            Some(p) => {
                p.awaiting_prompt = false;
                Route::Command(p.events.clone(), Event::Prompt(prompt))
            }
            None => Route::Drop,
        },
        Frame::Header(header) => match state.active() {
            Some(p) => Route::Command(p.events.clone(), Event::Line(header.to_vec())),
            None => Route::Broadcast(urc_tx, Unsolicited::Unrecognised(header.to_vec())),
        },
        Frame::Data(bytes) => {
            tracing::trace!(bytes = bytes.len(), "payload");
            if let Some(tx) = data_waiter(state) {
                return Route::Command(tx, Event::Data(bytes.to_vec()));
            }
            match state.active() {
                Some(p) => Route::Command(p.events.clone(), Event::Data(bytes.to_vec())),
                None => Route::Drop,
            }
        }
        Frame::DataEnd if state.data_target.is_some() => {
            let tx = data_waiter(state);
            state.data_target = None;
            match tx {
                Some(tx) => Route::Command(tx, Event::DataEnd),
                None => Route::Drop,
            }
        }
        Frame::DataEnd => match state.active() {
            Some(p) if p.data_mode == Some(DownloadEnd::FinalResult) => {
                // The terminator of data mode is the final `OK`.
                p.finished = true;
                let ok = FinalResult {
                    kind: ResultKind::Ok,
                    text: "OK",
                    code: None,
                    meaning: None,
                };
                Route::Command(p.events.clone(), Event::Final(ok, None))
            }
            Some(p) => Route::Command(p.events.clone(), Event::DataEnd),
            None => Route::Drop,
        },
        Frame::Overflow { discarded } => {
            tracing::warn!(discarded, "dropped an over-long line");
            match state.active() {
                Some(p) => Route::Command(p.events.clone(), Event::Overflow(discarded)),
                None => Route::Broadcast(urc_tx, Unsolicited::Overflow { discarded }),
            }
        }
    }
}

fn route_line<U: UrcSet>(
    state: &mut super::shared::State<U>,
    dialect: &Dialect,
    line: &[u8],
    framer: &mut Option<RawSwitch>,
    urc_tx: Option<broadcast::Sender<Unsolicited<U>>>,
) -> Route<U> {
    let stale = state.stale;
    let echo_on = state.echo_on;
    // Whether the running command may take this line: with echo on, nothing that
    // arrives before the command's echo is its answer.
    let mut mine = state.active().is_some();
    if let Some(p) = state.active() {
        let awaiting_echo = p.echo.is_some();
        if p.echo
            .as_deref()
            .is_some_and(|echo| trim(line) == trim(echo))
        {
            p.echo = None;
            state.echo_on = true;
            return Route::Drop;
        }
        let is_final = dialect
            .final_result(line)
            .is_some_and(|r| r.kind != ResultKind::Detail);
        if awaiting_echo && echo_on {
            if is_final && stale > 0 {
                // The late answer of a command that timed out.
                state.stale -= 1;
                return Route::Drop;
            }
            if is_final {
                // An answer without an echo: the modem stopped echoing.
                p.echo = None;
                state.echo_on = false;
            } else {
                mine = false;
            }
        }
    }
    if mine && let Some(p) = state.active() {
        if let Some(result) = dialect.final_result(line) {
            if result.kind == ResultKind::Detail {
                p.detail = Some(String::from_utf8_lossy(line).into_owned());
                return Route::Drop;
            }
            // An upload may see `OK` before its prompt; it keeps taking events.
            if !(p.awaiting_prompt && result.kind == ResultKind::Ok) {
                p.finished = true;
            }
            let detail = p.detail.take();
            return Route::Command(p.events.clone(), Event::Final(result, detail));
        }
        if let Some(prompt) = p
            .line_prompts
            .iter()
            .find(|t| trim(line) == t.trim_end().as_bytes())
            .copied()
        {
            p.awaiting_prompt = false;
            match p.data_mode {
                Some(DownloadEnd::Length(len)) => *framer = Some(RawSwitch::Counted(len as u64)),
                Some(DownloadEnd::FinalResult) => {
                    *framer = Some(RawSwitch::UntilOk(p.data_confirm))
                }
                None => {}
            }
            return Route::Command(p.events.clone(), Event::Prompt(prompt));
        }
    } else if dialect
        .final_result(line)
        .is_some_and(|r| r.kind != ResultKind::Detail)
        && state.stale > 0
    {
        // The late answer of a command that timed out.
        state.stale -= 1;
        return Route::Drop;
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
        *framer = Some(RawSwitch::Counted(len as u64));
        state.data_target = Some(id);
        return Route::Command(tx, Event::Line(line.to_vec()));
    }
    if mine
        && let Some(p) = state.active()
        && let Some(rule) = p.announce.filter(|r| starts_like(line, r.prefix))
        && let Ok((len, _)) = (rule.length)(line)
    {
        p.awaiting_prompt = false;
        return Route::Command(p.events.clone(), Event::Announced(line.to_vec(), len));
    }
    // A line shaped like the running command's answer is its answer, even when a
    // URC shares the prefix (the specs' `response_while_pending` rule).
    if mine
        && let Some(p) = state.active()
        && (p.is_response_line)(line)
    {
        let announcing = p.payload.filter(|r| {
            r.placement == crate::command::Placement::NextLine && starts_like(line, r.prefix)
        });
        if let Some(rule) = announcing {
            match (rule.length)(line) {
                Ok((len, _)) => *framer = Some(RawSwitch::Counted(len as u64)),
                Err(e) => tracing::warn!(%e, "payload length unreadable"),
            }
        }
        let events = p.events.clone();
        if announcing.is_some() {
            state.data_target = None;
        }
        return Route::Command(events, Event::Line(line.to_vec()));
    }
    let waiter = state
        .waiters
        .iter_mut()
        .find(|w| w.tx.is_some() && (w.matches)(line));
    if let Some(tx) = waiter.and_then(|w| w.tx.take()) {
        return Route::Waiter(tx, line.to_vec(), urc_tx);
    }
    let parsed = U::parse(line);
    // Free-text answers (no prefix to recognise them by) take what no URC claims.
    if mine
        && !matches!(parsed, Some(Ok(_)))
        && let Some(p) = state.active()
        && p.free_text
    {
        return Route::Command(p.events.clone(), Event::Line(line.to_vec()));
    }
    let event = match parsed {
        Some(Ok(urc)) => Unsolicited::Urc(urc),
        Some(Err(error)) => Unsolicited::Malformed {
            line: line.to_vec(),
            error,
        },
        None => Unsolicited::Unrecognised(line.to_vec()),
    };
    Route::Broadcast(urc_tx, event)
}

fn trim(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\r' | b'\n'] = line {
        line = head;
    }
    line
}

/// The data channel of the waiter whose chunk is being read.
fn data_waiter<U>(state: &super::shared::State<U>) -> Option<mpsc::Sender<Event>> {
    let id = state.data_target?;
    state
        .waiters
        .iter()
        .find(|w| w.id == id)
        .and_then(|w| w.data.as_ref())
        .map(|(_, tx)| tx.clone())
}
