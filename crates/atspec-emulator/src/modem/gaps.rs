//! What the emulator could not do: each command line it answered `ERROR` because it
//! does not emulate the command (or cannot read the line), kept so the gaps between
//! the emulator and a real module are visible instead of looking like module errors.

use std::fmt;
use std::sync::{Arc, Mutex};

use atspec::dynamic::{CommandInfo, commands_named};

/// One command line answered `ERROR` for want of emulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The command line, without its terminator.
    pub line: String,
    /// Why: the parser's explanation, or that the command is read but not emulated.
    pub why: String,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "answered ERROR to `{}`: {}", self.line, self.why)
    }
}

/// The gaps of one or more emulated modules; cheap to clone. The standing emulator
/// prints each one to stderr as it happens ([`Gaps::printing`]); tests read them.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    seen: Arc<Mutex<Vec<Gap>>>,
    print: bool,
}

impl Gaps {
    /// Gaps that are also printed to stderr, one line each, as they happen.
    pub fn printing() -> Self {
        Self {
            print: true,
            ..Self::default()
        }
    }

    /// Every gap so far, in order.
    pub fn seen(&self) -> Vec<Gap> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Records that `line` was answered `ERROR` because of `why`.
    pub fn record(&self, line: &[u8], why: impl fmt::Display) {
        let gap = Gap {
            line: String::from_utf8_lossy(line).into_owned(),
            why: why.to_string(),
        };
        if self.print {
            eprintln!("emulator: {gap}");
        }
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(gap);
    }
}

/// Whether command line `line` names one of `commands` (`AT+NAME`, `AT+NAME=…`,
/// `AT+NAME?`), in any case.
pub fn names_one_of(line: &[u8], commands: &[CommandInfo]) -> bool {
    let prefixed = line.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT"));
    prefixed && commands_named(line, commands).next().is_some()
}
