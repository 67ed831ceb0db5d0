//! Registration in one domain: searching, then the configured outcome, counted in polls
//! or in time from when the module could start registering.

use atspec_common::network::RegistrationState;
use tokio::time::Instant;

use super::{Outcome, Registration, Settle};

/// One domain's registration progress.
#[derive(Debug)]
pub(super) struct Domain {
    plan: Registration,
    /// When registration started (SIM ready, radio on); `None` while it cannot run.
    since: Option<Instant>,
    /// Reads of the state so far since `since`.
    polls: u32,
}

impl Domain {
    pub(super) fn new(plan: Registration) -> Self {
        Self {
            plan,
            since: None,
            polls: 0,
        }
    }

    /// Starts registration (if it is not running) when `on`, stops it otherwise.
    pub(super) fn power(&mut self, on: bool, now: Instant) {
        match (on, self.since) {
            (true, None) => {
                self.since = Some(now);
                self.polls = 0;
            }
            (false, _) => self.since = None,
            (true, Some(_)) => {}
        }
    }

    /// The state now, without counting a poll.
    pub(super) fn state(&self, now: Instant) -> RegistrationState {
        let Some(since) = self.since else {
            return RegistrationState::NotRegistered;
        };
        let settled = match self.plan.settle {
            Settle::AtOnce => true,
            Settle::AfterPolls(n) => self.polls >= n,
            Settle::After(delay) => now >= since + delay,
        };
        match (self.plan.outcome, settled) {
            (Outcome::SearchingForever, _) | (_, false) => RegistrationState::Searching,
            (Outcome::Home, true) => RegistrationState::RegisteredHome,
            (Outcome::Roaming, true) => RegistrationState::RegisteredRoaming,
            (Outcome::Denied, true) => RegistrationState::Denied,
        }
    }

    /// The state a read reports: the state now, and the read counts as one poll.
    pub(super) fn poll(&mut self, now: Instant) -> RegistrationState {
        let state = self.state(now);
        if self.since.is_some() {
            self.polls = self.polls.saturating_add(1);
        }
        state
    }

    /// When the state changes next by itself, if it does after `now`.
    pub(super) fn deadline(&self, now: Instant) -> Option<Instant> {
        let Settle::After(delay) = self.plan.settle else {
            return None;
        };
        let at = self.since? + delay;
        (at > now && self.plan.outcome != Outcome::SearchingForever).then_some(at)
    }
}

/// Whether `state` lets the module use the network (home or roaming).
pub(super) fn registered(state: RegistrationState) -> bool {
    matches!(
        state,
        RegistrationState::RegisteredHome | RegistrationState::RegisteredRoaming
    )
}
