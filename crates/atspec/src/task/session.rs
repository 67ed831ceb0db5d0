//! Waiting for a session's reports: some modems move data in rounds and tell,
//! in a URC after each round, whether the session goes on, has ended, or failed.

use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use super::error::TaskError;
use super::run::Run;
use crate::client::{AtError, Stage};
use crate::code::{CodeTable, Outcome};
use crate::urc::{Unsolicited, UrcSet};

impl<U: UrcSet + Clone + Send + 'static> Run<'_, U> {
    /// Starts keeping the URCs the modem sends from now on, for
    /// [`session_event`](Self::session_event). Call it before the command whose
    /// reports are awaited, so that none is missed.
    pub fn watch(&mut self) {
        if self.urcs.is_none() {
            self.urcs = Some(self.client.subscribe());
        }
    }

    /// Waits, at most `within` (and the run's bound), for the next URC `pick`
    /// takes a result code from: `Ok(true)` when the code says the session goes on
    /// (a progress code), `Ok(false)` when it says the session ended well, the code
    /// as an error otherwise. URCs `pick` does not take are passed over; they stay
    /// with the client's other subscribers.
    pub async fn session_event<T: CodeTable>(
        &mut self,
        command: &'static str,
        within: Duration,
        mut pick: impl FnMut(&U) -> Option<T>,
    ) -> Result<bool, TaskError> {
        let bound = self.left()?.map_or(within, |left| left.min(within));
        self.watch();
        let Some(urcs) = self.urcs.as_mut() else {
            return Err(self.unexpected("no URC subscription"));
        };
        let wait = async {
            loop {
                match urcs.recv().await {
                    Ok(Unsolicited::Urc(urc)) => {
                        if let Some(code) = pick(&urc) {
                            return Ok(code);
                        }
                    }
                    // Lines that are no URC of the set, and reports lost to a full
                    // queue, cannot be the awaited code.
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => {
                        return Err(AtError::Closed {
                            reason: "the client stopped while a session report was awaited"
                                .to_owned(),
                        });
                    }
                }
            }
        };
        let code = match tokio::time::timeout(bound, wait).await {
            Ok(Ok(code)) => code,
            Ok(Err(e)) => return Err(self.failed(e)),
            Err(_) => {
                return Err(self.failed(AtError::Timeout {
                    command,
                    stage: Stage::Completion,
                    waited: bound,
                }));
            }
        };
        match code.outcome() {
            Outcome::Progress => Ok(true),
            Outcome::Success => Ok(false),
            Outcome::Failure | Outcome::Unspecified => Err(self.failed(AtError::Failed {
                command,
                code: code.info(),
                detail: None,
            })),
        }
    }
}
