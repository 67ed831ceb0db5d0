//! Realism settings of an emulated modem.

use std::time::Duration;

use super::Gaps;

/// How the modem's output is cut into writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunking {
    /// Each answer in one write.
    Whole,
    /// One byte per write.
    Bytes,
    /// Writes of 1 to 64 bytes, sizes drawn from this seed.
    Random(u64),
}

/// Realism and fault settings.
#[derive(Debug, Clone)]
pub struct ModemOptions {
    /// Bytes ending a command line (`"\r"`; ESP-AT: `"\r\n"`).
    pub terminator: &'static str,
    /// Echo command lines back (V.250 `ATE1`).
    pub echo: bool,
    /// Throttle output to this many bits per second (10 bits a byte), like a UART.
    pub baud: Option<u32>,
    /// How output is cut.
    pub chunking: Chunking,
    /// Unrelated URC lines written before every answer line, in turn.
    pub inject_urcs: Vec<&'static str>,
    /// Delay before each answer (a slow modem).
    pub delay: Duration,
    /// Where command lines the emulator does not emulate are recorded.
    pub gaps: Gaps,
}

impl Default for ModemOptions {
    fn default() -> Self {
        Self {
            terminator: "\r",
            echo: false,
            baud: None,
            chunking: Chunking::Whole,
            inject_urcs: Vec::new(),
            delay: Duration::ZERO,
            gaps: Gaps::default(),
        }
    }
}
