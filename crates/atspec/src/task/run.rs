//! The context generated task code runs its steps through: it names the modem, the
//! task and the step in every error, bounds every wait by the caller's timeout, and
//! turns parameter errors into input errors.

use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::error::{TaskError, TaskErrorKind};
use super::timed::Timed;
use crate::client::{AtError, Client};
use crate::command::{AtCommand, DeferredCommand};
use crate::param::ParamError;
use crate::urc::{Unsolicited, UrcSet};

/// One run of a task on one modem.
///
/// The run's `timeout` is the caller's bound for the whole task, counted from
/// [`Run::new`]: each command waits at most the time left when it is sent (for its
/// final result and, deferred, again for its completion), in place of the spec's
/// waits, and a step that would start after the bound has run out fails with
/// [`TaskErrorKind::Timeout`] without sending anything. Without a timeout every
/// command waits what its spec says.
#[derive(Debug)]
pub struct Run<'c, U> {
    pub(super) client: &'c Client<U>,
    modem: &'static str,
    task: &'static str,
    step: Option<&'static str>,
    timeout: Option<Duration>,
    started: Instant,
    /// The transport loss a cleanup step ran into, kept so that the task still
    /// reports it when everything else succeeded.
    lost: Mutex<Option<(Option<&'static str>, String)>>,
    /// The URCs sent since [`watch`](Self::watch), for steps that wait for a
    /// session's reports.
    pub(super) urcs: Option<broadcast::Receiver<Unsolicited<U>>>,
}

/// An integer type a command parameter takes, for [`Run::fit`].
pub trait IntParam: TryFrom<u64> {
    /// The type's largest value, as a `u64` (saturated for wider types).
    const MAX: u64;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl IntParam for $t {
            const MAX: u64 = if (<$t>::MAX as u128) > u64::MAX as u128 {
                u64::MAX
            } else {
                <$t>::MAX as u64
            };
        }
    )*};
}

int_param!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

impl<'c, U: UrcSet + Clone + Send + 'static> Run<'c, U> {
    /// A run of `task` on `modem` through `client`, bounded by `timeout` when given.
    pub fn new(
        client: &'c Client<U>,
        modem: &'static str,
        task: &'static str,
        timeout: Option<Duration>,
    ) -> Self {
        Self {
            client,
            modem,
            task,
            step: None,
            timeout,
            started: Instant::now(),
            lost: Mutex::new(None),
            urcs: None,
        }
    }

    /// Names the step now running (errors carry it), e.g. the command it sends.
    pub fn step(&mut self, step: &'static str) {
        self.step = Some(step);
    }

    /// The step now running, if one was named.
    pub fn current_step(&self) -> Option<&'static str> {
        self.step
    }

    /// An error of this run at the current step.
    pub fn error(&self, kind: TaskErrorKind) -> TaskError {
        TaskError::new(self.modem, self.task, self.step, kind)
    }

    /// The modem lacks `option`.
    pub fn unsupported(&self, option: impl Into<String>) -> TaskError {
        self.error(TaskErrorKind::Unsupported {
            option: option.into(),
        })
    }

    /// The modem answered in a way the procedure does not allow.
    pub fn unexpected(&self, what: impl Into<String>) -> TaskError {
        self.error(TaskErrorKind::Unexpected { what: what.into() })
    }

    /// A command constructor's result: a [`ParamError`] becomes
    /// [`TaskErrorKind::Input`] naming `what` (the task input bound to the
    /// parameter) and saying why.
    pub fn built<C>(
        &self,
        what: &'static str,
        built: Result<C, ParamError>,
    ) -> Result<C, TaskError> {
        built.map_err(|e| {
            self.error(TaskErrorKind::Input {
                what,
                why: e.to_string(),
            })
        })
    }

    /// A task input converted to the integer type a parameter takes; a value
    /// above the type's range is an [`TaskErrorKind::Input`] naming `what`.
    pub fn fit<T: IntParam>(&self, what: &'static str, value: u64) -> Result<T, TaskError> {
        T::try_from(value).map_err(|_| {
            self.error(TaskErrorKind::Input {
                what,
                why: format!("{value} is more than the modem takes (at most {})", T::MAX),
            })
        })
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The time left of the run's bound (`None` without one); a timeout error when
    /// it has run out.
    pub(super) fn left(&self) -> Result<Option<Duration>, TaskError> {
        let Some(bound) = self.timeout else {
            return Ok(None);
        };
        match bound.checked_sub(self.elapsed()) {
            Some(left) if !left.is_zero() => Ok(Some(left)),
            _ => Err(self.error(TaskErrorKind::Timeout { waited: bound })),
        }
    }

    /// `command`, bounded by the time left, logged as this run's step.
    fn timed<C: AtCommand + Clone>(&self, command: &C) -> Result<Timed<C>, TaskError> {
        let left = self.left()?;
        tracing::debug!(
            modem = self.modem,
            task = self.task,
            step = self.step.unwrap_or(""),
            command = C::NAME,
            left = ?left,
            "task step"
        );
        Ok(Timed::new(command.clone(), left))
    }

    pub(super) fn failed(&self, e: AtError) -> TaskError {
        self.error(TaskErrorKind::Command(Box::new(e)))
    }

    /// Sends a plain command.
    pub async fn send<C>(&self, command: &C) -> Result<C::Response, TaskError>
    where
        C: AtCommand + Clone + Send + Sync,
    {
        let command = self.timed(command)?;
        self.client.send(&command).await.map_err(|e| self.failed(e))
    }

    /// Sends a command that uploads `data` after its prompt.
    pub async fn upload<C, R>(
        &self,
        command: &C,
        mut data: &mut R,
    ) -> Result<C::Response, TaskError>
    where
        C: AtCommand + Clone + Send + Sync,
        R: AsyncRead + Unpin + Send + ?Sized,
    {
        let command = self.timed(command)?;
        self.client
            .send_upload(&command, &mut data)
            .await
            .map_err(|e| self.failed(e))
    }

    /// Sends a command whose answer carries a payload, streamed into `sink`;
    /// returns the response and the bytes written.
    pub async fn download<C, W>(
        &self,
        command: &C,
        mut sink: &mut W,
    ) -> Result<(C::Response, u64), TaskError>
    where
        C: AtCommand + Clone + Send + Sync,
        W: AsyncWrite + Unpin + Send + ?Sized,
    {
        let command = self.timed(command)?;
        self.client
            .send_download(&command, &mut sink)
            .await
            .map_err(|e| self.failed(e))
    }

    /// Sends a command that uploads `data` and whose answer carries a payload,
    /// streamed into `sink`.
    pub async fn upload_download<C, R, W>(
        &self,
        command: &C,
        mut data: &mut R,
        mut sink: &mut W,
    ) -> Result<(C::Response, u64), TaskError>
    where
        C: AtCommand + Clone + Send + Sync,
        R: AsyncRead + Unpin + Send + ?Sized,
        W: AsyncWrite + Unpin + Send + ?Sized,
    {
        let command = self.timed(command)?;
        self.client
            .send_upload_download(&command, &mut data, &mut sink)
            .await
            .map_err(|e| self.failed(e))
    }

    /// Sends a deferred command and awaits its completion URC.
    pub async fn deferred<C>(&self, command: &C) -> Result<(C::Response, C::Completion), TaskError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        let command = self.timed(command)?;
        self.client
            .send_deferred(&command)
            .await
            .map_err(|e| self.failed(e))
    }

    /// Sends a deferred command that delivers data into `sink`, and awaits its
    /// completion URC; returns the bytes written too.
    pub async fn deferred_download<C, W>(
        &self,
        command: &C,
        mut sink: &mut W,
    ) -> Result<(C::Response, C::Completion, u64), TaskError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
        W: AsyncWrite + Unpin + Send + ?Sized,
    {
        let command = self.timed(command)?;
        self.client
            .send_deferred_download(&command, &mut sink)
            .await
            .map_err(|e| self.failed(e))
    }

    /// Sends a deferred command that uploads `data`, and awaits its completion URC.
    pub async fn deferred_upload<C, R>(
        &self,
        command: &C,
        mut data: &mut R,
    ) -> Result<(C::Response, C::Completion), TaskError>
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
        R: AsyncRead + Unpin + Send + ?Sized,
    {
        let command = self.timed(command)?;
        self.client
            .send_deferred_upload(&command, &mut data)
            .await
            .map_err(|e| self.failed(e))
    }

    /// A cleanup step: sends `command` with its spec's wait (it also runs after the
    /// run's bound has run out) and ignores its failure, so that the task's own
    /// result wins. Returns whether it succeeded. A lost transport is remembered
    /// for [`finish`](Self::finish).
    pub async fn cleanup<C>(&self, command: &C) -> bool
    where
        C: AtCommand + Clone + Send + Sync,
    {
        tracing::debug!(
            modem = self.modem,
            task = self.task,
            command = C::NAME,
            "task cleanup"
        );
        match self.client.send(command).await {
            Ok(_) => true,
            Err(e) => {
                self.note_cleanup_failure(C::NAME, e);
                false
            }
        }
    }

    /// A cleanup step whose command completes with a URC: like
    /// [`cleanup`](Self::cleanup), and it waits for the completion (a session that
    /// is still closing would refuse the next command).
    pub async fn cleanup_deferred<C>(&self, command: &C) -> bool
    where
        C: DeferredCommand + Clone + Send + Sync + 'static,
    {
        tracing::debug!(
            modem = self.modem,
            task = self.task,
            command = C::NAME,
            "task cleanup"
        );
        match self.client.send_deferred(command).await {
            Ok(_) => true,
            Err(e) => {
                self.note_cleanup_failure(C::NAME, e);
                false
            }
        }
    }

    fn note_cleanup_failure(&self, command: &'static str, e: AtError) {
        match e {
            AtError::Closed { reason } => {
                let mut lost = self.lost.lock().unwrap_or_else(|p| p.into_inner());
                lost.get_or_insert((self.step, reason));
            }
            e => tracing::debug!(command, error = %e, "cleanup failed; ignored"),
        }
    }

    /// The task's result after its cleanup steps: the task's own error when it
    /// failed; otherwise a transport lost during cleanup, if one was; otherwise the
    /// value.
    pub fn finish<T>(&self, result: Result<T, TaskError>) -> Result<T, TaskError> {
        let value = result?;
        let lost = self.lost.lock().unwrap_or_else(|p| p.into_inner()).take();
        match lost {
            Some((step, reason)) => Err(TaskError::new(
                self.modem,
                self.task,
                step,
                TaskErrorKind::Command(Box::new(AtError::Closed { reason })),
            )),
            None => Ok(value),
        }
    }

    /// Waits `interval` between the polls of a "poll until" step; a timeout error
    /// once the run's bound has run out (the wait is cut short at the bound).
    /// Without a bound it only waits.
    pub async fn pause(&self, interval: Duration) -> Result<(), TaskError> {
        self.pause_until(interval, self.timeout).await
    }

    /// Like [`pause`](Self::pause), bounded by `within` since the run started as
    /// well (a procedure's own limit for polling, such as a registration wait), or
    /// only by it without a run bound.
    pub async fn pause_within(
        &self,
        interval: Duration,
        within: Duration,
    ) -> Result<(), TaskError> {
        let bound = self.timeout.map_or(within, |t| t.min(within));
        self.pause_until(interval, Some(bound)).await
    }

    async fn pause_until(
        &self,
        interval: Duration,
        bound: Option<Duration>,
    ) -> Result<(), TaskError> {
        let Some(bound) = bound else {
            tokio::time::sleep(interval).await;
            return Ok(());
        };
        let left = bound.saturating_sub(self.elapsed());
        if left.is_zero() {
            return Err(self.error(TaskErrorKind::Timeout { waited: bound }));
        }
        tokio::time::sleep(interval.min(left)).await;
        if interval >= left {
            return Err(self.error(TaskErrorKind::Timeout { waited: bound }));
        }
        Ok(())
    }
}
