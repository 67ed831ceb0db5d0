//! The modem side of the serial line: reads command lines, hands them to a
//! vendor's [`Behaviour`], and writes what it answers, with the realism settings of
//! [`ModemOptions`] (echo, baud-rate throttling, output cut at random boundaries,
//! unrelated URCs between lines).
//!
//! Vendor behaviours parse commands and encode answers with the generated crates,
//! so the emulator speaks exactly the spec's syntax.

mod gaps;
mod input;
mod late;
mod line;
mod log;
mod options;
mod output;
#[cfg(unix)]
pub mod pty;

use std::future::Future;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;

use atspec::dynamic::CommandInfo;
pub use gaps::{Gap, Gaps, names_one_of};
pub use input::{Input, LF_GRACE};
pub use late::Late;
pub use line::{BACKSPACE, HARD_LIMIT, Line, LineEditor, LineEnds};
pub use log::{CommandLog, Logged};
pub use options::{Chunking, ModemOptions};
pub use output::{Output, STREAM_BACKLOG};

/// A vendor's command handling: one call per command line.
pub trait Behaviour: Send + 'static {
    /// Handles one command line (without its terminator). Answers go to
    /// `session.out`; upload data is read from `session.input`.
    fn command(
        &mut self,
        line: &[u8],
        session: &mut Session<'_>,
    ) -> impl Future<Output = ()> + Send;

    /// The longest command line the module takes, in characters after `AT` (the
    /// dialect's `max_command_length`); a longer line is answered `ERROR` unread.
    fn max_command_len(&self) -> Option<usize> {
        None
    }
}

/// What a behaviour works with while it handles a command.
pub struct Session<'a> {
    /// Where answers and URCs go (clone it to send URCs later, from a task).
    pub out: Output,
    /// The bytes the host sends after a prompt.
    pub input: &'a mut Input,
    /// Whether command lines are echoed (`ATE0`/`ATE1` change it).
    pub echo: &'a mut bool,
    /// Where lines the emulator cannot answer as a module would are recorded.
    pub gaps: &'a Gaps,
}

impl Session<'_> {
    /// Answers `ERROR` to a line the package's command parser refused (`error`). A
    /// line naming none of the package's `commands` is a gap in the emulation, and is
    /// recorded as one; a known command with a bad value is the module's own refusal.
    pub fn unparsed(&self, line: &[u8], error: impl std::fmt::Display, commands: &[CommandInfo]) {
        self.out.error();
        if !gaps::names_one_of(line, commands) {
            self.gaps.record(line, error);
        }
    }
}

/// Runs `behaviour` on `transport` until the host closes it.
pub fn spawn<B, T>(mut behaviour: B, transport: T, options: ModemOptions) -> JoinHandle<()>
where
    B: Behaviour,
    T: AsyncRead + AsyncWrite + Send + 'static,
{
    let (read, write) = tokio::io::split(transport);
    let out = output::start(write, options.clone());
    tokio::spawn(async move {
        let mut input = Input::new(read, options.terminator, behaviour.max_command_len());
        let mut echo = options.echo;
        while let Some(line) = input.command_line(echo.then_some(&out)).await {
            let line = match line {
                Line::Command(line) => line,
                // Modules refuse an over-long line whole, before reading any of it.
                Line::TooLong { .. } => {
                    out.error();
                    continue;
                }
            };
            let mut session = Session {
                out: out.clone(),
                input: &mut input,
                echo: &mut echo,
                gaps: &options.gaps,
            };
            behaviour.command(&line, &mut session).await;
        }
    })
}
