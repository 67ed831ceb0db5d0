//! Getting back in step with the modem after a command ended without its final
//! result (it timed out, or its future was dropped).
//!
//! The modem may still send that result at any time, and with echo off nothing
//! tells it apart from the next command's. The client never guesses: before the
//! next command it
//!
//! 1. waits until the line has been quiet for [`Config::resync_quiet`] (bounded by
//!    [`Config::resync_timeout`]), so an answer still arriving is taken as late
//!    (it reaches the subscribers as [`Unsolicited::LateResult`]). It waits the
//!    same way after a deferred command ended without its completion URC, which
//!    a modem may send right after the error: arriving while no command is in
//!    flight, it cannot be taken for the next command's completion;
//! 2. if an answer is still owed, sends the probe `AT` (V.250, every modem has it)
//!    and waits up to `resync_timeout` for a final result. Modems answer command
//!    lines in order, so every owed answer that is ever coming arrives no later
//!    than the probe's: once a final result has come after the probe, nothing
//!    older is still due. With echo on, results before the probe's echo are
//!    known to be late ones; with echo off the first result may be the late one
//!    and the probe's own follows it at once;
//! 3. waits `resync_quiet` more, so that a probe answer queued behind a late one
//!    arrives while no command is in flight (and goes to the subscribers).
//!
//! A probe answered with a busy result (`busy p...`: the modem ignored it because
//! the earlier command is still running) proves nothing, so the client asks again
//! after a quiet period, until `resync_timeout` has passed.
//!
//! Only then is the next command sent. Once the line is quiet this costs one probe
//! round trip and two quiet periods. If the probe is not answered, the next
//! command fails with [`AtError::Timeout`] at [`Stage::Resync`] without being sent,
//! and the next call tries again.
//!
//! [`Config::resync_quiet`]: super::Config::resync_quiet
//! [`Config::resync_timeout`]: super::Config::resync_timeout
//! [`Unsolicited::LateResult`]: crate::Unsolicited::LateResult

use std::sync::Arc;

use tokio::io::AsyncWrite;
use tokio::time::Instant;

use super::error::{AtError, Stage};
use super::exchange::{Mode, Request, transact};
use super::shared::{Accept, EndRule, Shared};
use crate::dialect::{Dialect, ResultKind};
use crate::urc::UrcSet;

/// The command the probe is named as in errors and late answers.
pub(crate) const PROBE: &str = "AT (resynchronisation probe)";

/// Returns once no answer of an earlier command is due any more.
pub(crate) async fn ensure_synced<U: UrcSet>(
    shared: &Arc<Shared<U>>,
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    dialect: &Dialect,
    config: &super::Config,
    next: &'static str,
) -> Result<(), AtError> {
    if !wait_for_quiet(shared, config).await? {
        return Ok(());
    }
    let owed: Vec<&str> = shared.lock().owed.iter().copied().collect();
    tracing::debug!(?owed, "answers still owed; probing");
    let deadline = Instant::now() + config.resync_timeout;
    loop {
        let probe = Request {
            name: PROBE,
            line: b"AT".to_vec(),
            shown: b"AT".to_vec(),
            timeout: deadline.saturating_duration_since(Instant::now()),
            // Late information lines of the timed-out command go to the subscribers.
            accept: Accept::Typed {
                is_response_line: |_| false,
                free_text: false,
            },
            end: EndRule::FinalResult,
            redact_response_line: |_| None,
            payload: None,
            download: None,
            linked_waiter: None,
        };
        let answer = transact(shared, writer, dialect, config, probe, Mode::Plain).await;
        match answer {
            Ok(answer)
                if answer
                    .result
                    .as_ref()
                    .is_some_and(|(r, _)| r.kind == ResultKind::Busy) =>
            {
                // The probe was ignored: the earlier command is still running, and
                // its result is still to come. Ask again once the line is quiet.
                if Instant::now() + config.resync_quiet >= deadline {
                    return Err(AtError::Timeout {
                        command: next,
                        stage: Stage::Resync,
                        waited: config.resync_timeout,
                    });
                }
                tokio::time::sleep(config.resync_quiet).await;
            }
            Ok(_) => {
                // Whatever was owed has come or never will.
                shared.lock().owed.clear();
                tokio::time::sleep(config.resync_quiet).await;
                return Ok(());
            }
            Err(AtError::Timeout { .. }) => {
                // With echo on, results before the probe's echo count as late; a modem
                // that stopped echoing would have every probe answer taken so. The next
                // probe does not count on an echo.
                shared.lock().echo_on = false;
                return Err(AtError::Timeout {
                    command: next,
                    stage: Stage::Resync,
                    waited: config.resync_timeout,
                });
            }
            Err(e) => return Err(e),
        }
    }
}

/// Waits for the line to go quiet while answers are owed (or a completion may
/// still come). Returns whether answers still are owed.
async fn wait_for_quiet<U>(shared: &Shared<U>, config: &super::Config) -> Result<bool, AtError> {
    let deadline = Instant::now() + config.resync_timeout;
    loop {
        let notified = shared.late_absorbed.notified();
        let quiet_since = {
            let mut state = shared.lock();
            if let Some(reason) = &state.closed {
                return Err(AtError::Closed {
                    reason: reason.clone(),
                });
            }
            if state.owed.is_empty() && !state.unsettled {
                return Ok(false);
            }
            let now = Instant::now();
            if now >= state.last_rx + config.resync_quiet || now >= deadline {
                state.unsettled = false;
                return Ok(!state.owed.is_empty());
            }
            state.last_rx
        };
        let quiet_until = quiet_since + config.resync_quiet;
        let _ = tokio::time::timeout_at(quiet_until.min(deadline), notified).await;
    }
}
