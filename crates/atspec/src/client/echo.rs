//! The running command's echo: recognising it, and what to do with the lines
//! that arrive while it is awaited.
//!
//! With echo on, nothing before a command's echo is its answer, so lines it would
//! take are held until the echo comes (then they go to the subscribers). If a
//! final result or a prompt comes first, the modem has stopped echoing (a reset
//! restored `ATE0`, or the echo was garbled), and the held lines were the
//! command's after all.

use super::shared::Pending;
use crate::parse::starts_like;

/// Where the running command stands with its echo, for one line.
pub(crate) enum Check {
    /// No echo is awaited (it came, or the modem is not known to echo).
    NotAwaited,
    /// This line is the echo.
    Echo,
    /// The echo is awaited and this line is something else.
    Before,
}

/// Classifies `line` for the running command `p`.
pub(crate) fn check(p: &Pending, echo_on: bool, line: &[u8]) -> Check {
    match &p.echo {
        None => Check::NotAwaited,
        Some(echo) if is_echo(line, echo) => Check::Echo,
        Some(_) if echo_on => Check::Before,
        Some(_) => Check::NotAwaited,
    }
}

/// Whether `line` is the echo of the command line `echo`. Bytes that are not
/// printable before it (a NUL or a 0xFF left by a reset or a baud-rate change)
/// do not hide it.
pub(crate) fn is_echo(line: &[u8], echo: &[u8]) -> bool {
    let (line, echo) = (trim(line), trim(echo));
    match line.len().checked_sub(echo.len()) {
        Some(junk) => line.ends_with(echo) && line[..junk].iter().all(|b| !b.is_ascii_graphic()),
        None => false,
    }
}

/// Whether `line` shows that the command has been answered without an echo: a
/// prompt, an upload invitation or a payload header it waits for.
pub(crate) fn proves_no_echo(p: &Pending, line: &[u8]) -> bool {
    let prompt = p
        .line_prompts
        .iter()
        .any(|t| trim(line) == t.trim_end().as_bytes());
    let announces = |rule: Option<crate::command::PayloadRule>| {
        rule.is_some_and(|r| starts_like(line, r.prefix) && (r.length)(line).is_ok())
    };
    // Raw bytes follow a payload header at once: they cannot wait for a release.
    prompt || announces(p.announce) || announces(p.payload)
}

/// The echo came: the lines held before it were not the command's.
pub(crate) fn seen(p: &mut Pending) -> Vec<Vec<u8>> {
    p.echo = None;
    std::mem::take(&mut p.held)
}

/// The modem answered without echoing: the held lines are the command's.
pub(crate) fn stopped(p: &mut Pending) -> Vec<Vec<u8>> {
    p.echo = None;
    std::mem::take(&mut p.held)
}

fn trim(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\r' | b'\n'] = line {
        line = head;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::is_echo;

    #[test]
    fn junk_before_an_echo_does_not_hide_it() {
        assert!(is_echo(b"AT+CSQ", b"AT+CSQ"));
        assert!(is_echo(b"\0AT+CSQ", b"AT+CSQ"));
        assert!(is_echo(b"\xff\xffAT+CSQ ", b"AT+CSQ"));
        assert!(
            !is_echo(b"xAT+CSQ", b"AT+CSQ"),
            "printable text is not junk"
        );
        assert!(!is_echo(b"AT+CSQ=?", b"AT+CSQ"));
        assert!(!is_echo(b"CSQ", b"AT+CSQ"));
    }
}
