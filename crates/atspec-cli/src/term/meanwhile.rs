//! Lines the modem sends while the terminal waits for the user (URCs), decoded and
//! printed above the prompt as they come, without breaking the line being typed.

use std::time::Duration;

use atspec::dynamic::Package;
use rustyline::ExternalPrinter;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::decode::entry_line;
use crate::exchange;
use crate::record::Recorder;

/// How often the recording is looked at: quick enough to feel immediate.
const POLL: Duration = Duration::from_millis(50);

/// A running watch over the recording, printing through `P`.
pub struct Watch<P> {
    stop: oneshot::Sender<()>,
    task: JoinHandle<P>,
}

impl<P: ExternalPrinter + Send + 'static> Watch<P> {
    /// Starts printing what `recorder` gets, decoded for `package`, through `printer`.
    pub fn start(package: &'static dyn Package, recorder: Recorder, mut printer: P) -> Self {
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL);
            loop {
                tokio::select! {
                    _ = &mut stopped => return printer,
                    _ = tick.tick() => {}
                }
                // Whole lines only: the rest stays recorded for the next look.
                let Some(pieces) = recorder.take_whole_lines() else {
                    continue;
                };
                for entry in exchange::explain_pieces(package, pieces, false) {
                    // A printer that fails has lost the terminal: nothing can show more.
                    if printer.print(entry_line(&entry)).is_err() {
                        break;
                    }
                }
            }
        });
        Self { stop, task }
    }

    /// Stops watching (after any line being printed) and gives the printer back.
    pub async fn stop(self) -> Option<P> {
        let _ = self.stop.send(());
        self.task.await.ok()
    }
}
