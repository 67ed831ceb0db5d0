//! The background task that reads the transport, frames the bytes and hands
//! every frame to where [`route`](super::route) sends it.

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::route::{Delivery, RawSwitch, route};
use super::shared::Shared;
use crate::command::Placement;
use crate::dialect::Dialect;
use crate::framer::{Expect, Framer};
use crate::urc::UrcSet;

/// Data mode ended by a final result: the terminator that ends the raw bytes.
const DATA_MODE_END: &[u8] = b"\r\nOK\r\n";

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
                        p.payload.filter(|r| r.placement == Placement::SameLine),
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
            let delivery = route(&shared, dialect, frame, &mut switch);
            match switch {
                Some(RawSwitch::Counted(len)) => framer.expect_data(len),
                Some(RawSwitch::UntilOk(None)) => framer.expect_data_until(DATA_MODE_END),
                Some(RawSwitch::UntilOk(Some(confirm))) => {
                    framer.expect_data_until_confirmed(DATA_MODE_END, confirm.as_bytes())
                }
                None => {}
            }
            if let Some(delivery) = delivery {
                deliver(&shared, delivery).await;
            }
        }
        framer.read_buffer().reserve(read_size);
        match io.read_buf(framer.read_buffer()).await {
            Ok(0) => break "the modem side closed the connection".to_owned(),
            Ok(n) => {
                tracing::trace!(bytes = n, "read");
                shared.lock().last_rx = tokio::time::Instant::now();
            }
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

/// Hands events to a command or waiter. Room in its channel is awaited outside
/// the lock (a slow sink slows the reader down, which bounds memory); the event
/// is then sent under the lock only if its target is still there, so an event
/// can never fall into the channel of a command that has just ended. One that
/// finds its target gone goes to the subscribers instead.
async fn deliver<U: UrcSet>(shared: &Shared<U>, delivery: Delivery) {
    let mut next = Some(Box::new(delivery));
    while let Some(delivery) = next {
        let Delivery {
            target,
            name,
            tx,
            event,
            more,
            next: after,
        } = *delivery;
        for event in std::iter::once(event).chain(more) {
            let permit = tx.reserve().await;
            let mut state = shared.lock();
            match permit {
                Ok(permit) if state.target_alive(target) => permit.send(event),
                _ => state.orphaned(event, name),
            }
        }
        next = after;
    }
}
