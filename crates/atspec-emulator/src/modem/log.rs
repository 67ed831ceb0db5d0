//! What the module was sent: a record of every command line a behaviour was handed, so a
//! test can check that a refused request put nothing on the wire.

use std::sync::{Arc, Mutex};

use super::{Behaviour, Session};

/// The command lines a [`Logged`] module received, in order; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct CommandLog {
    lines: Arc<Mutex<Vec<String>>>,
}

impl CommandLog {
    /// Every command line so far, without terminators (upload data is not a command line).
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether any command line so far starts with `prefix`.
    pub fn any_starts_with(&self, prefix: &str) -> bool {
        self.lines().iter().any(|l| l.starts_with(prefix))
    }

    fn push(&self, line: &[u8]) {
        let line = String::from_utf8_lossy(line).into_owned();
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }
}

/// `inner`, recording each command line into a [`CommandLog`] before handling it.
pub struct Logged<B> {
    inner: B,
    log: CommandLog,
}

impl<B> Logged<B> {
    /// `inner` and the log its command lines go to.
    pub fn new(inner: B) -> (Self, CommandLog) {
        let log = CommandLog::default();
        (
            Self {
                inner,
                log: log.clone(),
            },
            log,
        )
    }
}

impl<B: Behaviour> Behaviour for Logged<B> {
    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        self.log.push(line);
        self.inner.command(line, session).await;
    }

    fn max_command_len(&self) -> Option<usize> {
        self.inner.max_command_len()
    }
}
