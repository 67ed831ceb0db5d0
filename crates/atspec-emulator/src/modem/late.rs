//! A module that is slow to answer some commands: it takes a command line, stays silent
//! for a while, then answers as usual. The host's per-call timeouts are tested against it:
//! a timeout shorter than the delay must fail naming the step, a longer one must succeed,
//! and the answer that comes after a timeout must not be taken for a later command's.

use std::time::Duration;

use super::{Behaviour, Session};

/// `inner`, answering the next `times` command lines that start with a prefix only after
/// a delay (the module busy, or a slow network behind it). Commands are handled in order,
/// so lines sent meanwhile wait behind the late one, as on a real module.
pub struct Late<B> {
    inner: B,
    prefix: Vec<u8>,
    delay: Duration,
    times: usize,
}

impl<B> Late<B> {
    /// `inner`, its answer to the next command line starting with `prefix` (for example
    /// `AT+HTTPINIT`) held back by `delay`.
    pub fn new(inner: B, prefix: &str, delay: Duration) -> Self {
        Self {
            inner,
            prefix: prefix.as_bytes().to_vec(),
            delay,
            times: 1,
        }
    }

    /// Holds back the next `times` matching answers instead of one.
    pub fn times(self, times: usize) -> Self {
        Self { times, ..self }
    }
}

impl<B: Behaviour> Behaviour for Late<B> {
    async fn command(&mut self, line: &[u8], session: &mut Session<'_>) {
        if self.times > 0 && line.starts_with(&self.prefix) {
            self.times -= 1;
            tokio::time::sleep(self.delay).await;
        }
        self.inner.command(line, session).await;
    }
}
