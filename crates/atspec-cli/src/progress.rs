//! Transfer progress on stderr: a bar while bytes move (only on a terminal, and
//! not under `-v`, whose transcript would tear it), then one plain line with the
//! count.

use std::io::IsTerminal;
use std::time::Duration;

use atspec::task::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bars of one command (an upload and a download share the screen).
#[derive(Debug, Clone)]
pub struct Bars {
    multi: MultiProgress,
    visible: bool,
}

impl Bars {
    /// Bars drawn only when stderr is a terminal and `quiet` is false.
    pub fn new(quiet: bool) -> Self {
        let visible = !quiet && std::io::stderr().is_terminal();
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            visible,
        }
    }

    /// A bar for bytes being `verb` (`received`, `sent`).
    pub fn bar(&self, verb: &'static str) -> Bar {
        let bar = self.multi.add(ProgressBar::no_length());
        bar.set_style(spinner_style());
        bar.set_message(verb);
        if self.visible {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Bar { bar, verb }
    }
}

/// One transfer's bar.
#[derive(Debug, Clone)]
pub struct Bar {
    bar: ProgressBar,
    verb: &'static str,
}

impl Bar {
    /// Starts the count at `offset` (a resumed transfer).
    pub fn start_at(&self, offset: u64) {
        self.bar.set_position(offset);
    }

    /// A progress callback for a task: `offset` is added to what the task counts
    /// (a resumed transfer counts from where it starts).
    pub fn callback(&self, offset: u64) -> impl FnMut(Progress) + Send + 'static {
        let bar = self.bar.clone();
        move |progress: Progress| {
            if let Some(total) = progress.total
                && bar.length() != Some(total + offset)
            {
                bar.set_length(total + offset);
                bar.set_style(bar_style());
            }
            bar.set_position(progress.done + offset);
        }
    }

    /// Removes the bar and prints `N bytes <verb>`.
    pub fn finish(&self, bytes: u64) {
        self.bar.finish_and_clear();
        eprintln!("{}", count_line(bytes, self.verb));
    }
}

/// `1 byte received`, `2048 bytes sent`.
pub fn count_line(bytes: u64, verb: &str) -> String {
    match bytes {
        1 => format!("1 byte {verb}"),
        n => format!("{n} bytes {verb}"),
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .expect("the template is valid")
    .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {bytes} {binary_bytes_per_sec}")
        .expect("the template is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_line_says_bytes_and_what_happened_to_them() {
        assert_eq!(count_line(1, "sent"), "1 byte sent");
        assert_eq!(count_line(0, "received"), "0 bytes received");
        assert_eq!(count_line(2048, "received"), "2048 bytes received");
    }

    #[test]
    fn the_callback_learns_the_total_and_counts_from_the_offset() {
        let bar = Bars::new(true).bar("received");
        let mut report = bar.callback(100);
        report(Progress {
            done: 10,
            total: None,
        });
        assert_eq!((bar.bar.position(), bar.bar.length()), (110, None));
        report(Progress {
            done: 50,
            total: Some(400),
        });
        assert_eq!((bar.bar.position(), bar.bar.length()), (150, Some(500)));
    }
}
