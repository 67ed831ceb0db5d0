//! Client settings.

use std::time::Duration;

/// How a [`Client`](super::Client) behaves. `Config::default()` suits a modem on a
/// serial line; tests shorten the times.
#[derive(Debug, Clone)]
pub struct Config {
    /// Longest line accepted before it is dropped as garbage (bytes).
    pub max_line: usize,
    /// Wait for a final result when the spec gives no maximum response time.
    pub default_timeout: Duration,
    /// After a command ended without its final result (a timeout), how long the
    /// next command waits for the line to go quiet, and then for the answer to the
    /// `AT` probe that puts the client back in step (see the client docs).
    pub resync_timeout: Duration,
    /// How long the line must be silent before the probe is sent, and how long the
    /// client waits after the probe's answer for one queued behind it.
    pub resync_quiet: Duration,
    /// Buffered unsolicited events per subscriber before the oldest are dropped,
    /// rounded up to a power of two (10 keeps 16): a subscriber further behind is
    /// told how many events it missed.
    pub urc_capacity: usize,
    /// Payload chunks in flight between the reader and a download's sink; with the
    /// read size this bounds the memory a transfer of any length uses.
    pub data_queue: usize,
    /// Bytes asked from the transport per read.
    pub read_size: usize,
    /// Replaces the spec's guard time around escape sequences such as `+++`
    /// (the manual's times are a second or more; tests use milliseconds).
    pub guard_time: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_line: 4096,
            default_timeout: Duration::from_secs(10),
            resync_timeout: Duration::from_secs(2),
            resync_quiet: Duration::from_millis(100),
            urc_capacity: 64,
            data_queue: 8,
            read_size: 16 * 1024,
            guard_time: None,
        }
    }
}
