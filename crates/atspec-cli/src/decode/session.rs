//! The decoder's walk through a capture: which command is in flight, which
//! deferred commands await their completion, and what each line is to them.
//! Modem lines are read in [`super::answer`], raw data in [`super::data`].

use atspec::dynamic::{AnyCommand, Package};
use atspec::parse::ParseError;
use atspec::{Form, Placement};

use super::fields::{codes_meaning, command_fields, describe, with_meanings};
use super::format::Stream;
use super::model::{CommandRef, Dir, Entry, Kind, printable};
use super::tape::{Expect, Piece, Tape, Unit};
use crate::redact;

/// The command sent last, until its final result.
pub(super) struct Flight {
    /// Its name and line.
    pub cmd: CommandRef,
    /// The index of its entry.
    pub entry: usize,
    /// The command as the spec reads it; `None` for a line it does not read.
    pub command: Option<Box<dyn AnyCommand>>,
    /// The line as sent, for recognising its echo.
    pub sent: Vec<u8>,
    /// Whether anything answered it yet (an echo comes first).
    pub answered: bool,
    /// Whether its final result came (an upload answered `OK` before its prompt
    /// stays in flight until its data is sent).
    pub finished: bool,
    /// Whether its data prompt came.
    pub prompted: bool,
    /// Whether its completion came before its final result.
    pub completed: bool,
}

/// A deferred command answered `OK`, until its completion URC.
impl Flight {
    /// Whether the command may end here: it got its final result, or it is one
    /// the modem answers without a final result and its answer came.
    fn may_end(&self) -> bool {
        self.finished
            || (self.answered && self.command.as_ref().is_some_and(|c| c.no_final_result()))
    }
}

pub(super) struct Awaiting {
    /// Its name and line.
    pub cmd: CommandRef,
    /// The index of its entry.
    pub entry: usize,
    /// The command.
    pub command: Box<dyn AnyCommand>,
}

/// The decoder's state.
pub(super) struct Session<'p> {
    pub package: &'p dyn Package,
    pub show_secrets: bool,
    /// Whether the capture leaves directions to the decoder.
    infer_dir: bool,
    pub entries: Vec<Entry>,
    pub flight: Option<Flight>,
    pub awaiting: Vec<Awaiting>,
    /// An error-detail line (its line and what it says) waiting for the result it
    /// qualifies.
    pub detail: Option<(usize, String)>,
}

/// Explains every line of `stream` with `package`'s specs.
pub fn explain(package: &dyn Package, stream: Stream, show_secrets: bool) -> Vec<Entry> {
    let mut session = Session {
        package,
        show_secrets,
        infer_dir: stream.format.infers_direction(),
        entries: Vec::new(),
        flight: None,
        awaiting: Vec::new(),
        detail: None,
    };
    let mut tape = Tape::new(stream);
    loop {
        let prompts = session.bare_prompts();
        let expect = Expect {
            bare_prompts: &prompts,
            same_line: session.same_line_rule(),
        };
        match tape.next(&expect) {
            None => break,
            Some(Unit::Line(piece)) => session.line(piece, &mut tape),
            Some(Unit::Prompt(piece)) => session.bare_prompt(piece, &mut tape),
            Some(Unit::Header {
                header,
                payload,
                announced,
            }) => session.same_line_payload(header, payload, announced),
        }
    }
    session.finish()
}

impl Session<'_> {
    /// Bare prompts the command in flight waits for.
    fn bare_prompts(&self) -> Vec<&'static str> {
        let Some(command) = self.flight.as_ref().and_then(|f| f.command.as_deref()) else {
            return Vec::new();
        };
        let dialect = self.package.dialect();
        let bare = |text: &&'static str| !dialect.prompts.iter().any(|p| p.text == *text && p.line);
        let upload = command
            .upload()
            .filter(|u| u.announce.is_none())
            .map(|u| u.prompt);
        let download = command.download().map(|d| d.prompt);
        upload.into_iter().chain(download).filter(bare).collect()
    }

    /// A same-line payload the command in flight or an awaited completion may
    /// announce now.
    fn same_line_rule(&self) -> Option<atspec::PayloadRule> {
        let flight = self
            .flight
            .as_ref()
            .and_then(|f| f.command.as_deref())
            .and_then(|c| c.payload());
        let awaited = self
            .awaiting
            .iter()
            .filter_map(|a| a.command.completion_data());
        flight
            .into_iter()
            .chain(awaited)
            .find(|r| r.placement == Placement::SameLine)
    }

    /// Who sent a line: the capture's word, or for a capture that leaves it to the
    /// decoder, the host when it starts with `AT`.
    fn direction(&self, piece: &Piece) -> Dir {
        match piece.at.dir {
            Dir::Unknown if self.infer_dir => {
                if looks_like_command(&piece.bytes) {
                    Dir::Host
                } else {
                    Dir::Modem
                }
            }
            dir => dir,
        }
    }

    fn line(&mut self, piece: Piece, tape: &mut Tape) {
        let dir = self.direction(&piece);
        let line = trim_end(&piece.bytes);
        // A capture of both directions without prefixes shows a command twice: as
        // sent, then as echoed.
        let inferred = piece.at.dir == Dir::Unknown && self.infer_dir;
        if let Some(flight) = self
            .flight
            .as_mut()
            .filter(|f| !f.answered && (dir != Dir::Host || inferred))
            && is_echo(line, &flight.sent)
        {
            flight.answered = true;
            let (cmd, sent) = (flight.cmd.clone(), flight.sent.clone());
            let text = printable(&self.shown_command(&sent));
            let mut entry = Entry::new(piece.at.line, Dir::Modem, text, Kind::Echo);
            entry.explanation = format!("echo of the command on line {}", cmd.line);
            entry.command = Some(cmd);
            self.entries.push(entry);
            return;
        }
        let commandish = looks_like_command(line);
        match dir {
            Dir::Host => self.command(&piece, dir, Kind::Command),
            Dir::Modem if commandish => self.command(&piece, dir, Kind::Echo),
            Dir::Unknown if commandish => self.command(&piece, dir, Kind::Command),
            _ => {
                if let Some(flight) = self.flight.as_mut() {
                    flight.answered = true;
                }
                self.answer(&piece, dir, tape);
            }
        }
    }

    /// A command line (or the echo of one whose sending the capture does not show).
    fn command(&mut self, piece: &Piece, dir: Dir, kind: Kind) {
        let line = strip_junk(trim_end(&piece.bytes));
        let next_at = piece.at.line;
        if let Some(old) = self.flight.take().filter(|f| !f.may_end()) {
            self.entries[old.entry].anomalies.push(format!(
                "no final result: the next command came on line {next_at}"
            ));
        }
        let parsed = self.package.parse_command(line);
        let command = parsed.as_ref().ok();
        let shown = match command {
            Some(c) => self.shown_parsed(line, c.as_ref()),
            None => self.shown_command(line),
        };
        let text = printable(&shown);
        let name = match command {
            Some(c) => c.name().to_owned(),
            None => self.guess_name(line),
        };
        let cmd = CommandRef {
            name: name.clone(),
            line: next_at,
        };
        let mut entry = Entry::new(next_at, dir, text.clone(), kind);
        entry.command = Some(cmd.clone());
        match &parsed {
            Ok(c) => {
                entry.read = true;
                entry.fields = with_meanings(command_fields(c.syntax(), &text), &c.parameters());
                entry.meaning = codes_meaning(&entry.fields);
                entry.explanation = format!("{name} ({}): {}", form_name(c.form()), c.summary());
                if !entry.fields.is_empty() {
                    entry.explanation += &format!(" [{}]", describe(&entry.fields));
                }
                if kind == Kind::Echo {
                    entry.explanation += " (the modem's echo; the capture does not show it sent)";
                }
            }
            Err(e) => entry.explanation = self.unread_command(&name, e),
        }
        self.entries.push(entry);
        self.flight = Some(Flight {
            cmd,
            entry: self.entries.len() - 1,
            command: parsed.ok(),
            sent: line.to_vec(),
            answered: kind == Kind::Echo,
            finished: false,
            prompted: false,
            completed: false,
        });
    }

    fn unread_command(&self, name: &str, error: &ParseError) -> String {
        let known = self
            .package
            .commands()
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(name));
        if known {
            format!(
                "{name}: the spec does not read this line (expected {} at byte {})",
                error.expected, error.column
            )
        } else {
            format!("{name}: a command the package does not describe")
        }
    }

    /// The command's name for a line the spec does not read: the longest name of
    /// the package the line starts with, else the text after `AT` up to `=` or `?`.
    fn guess_name(&self, line: &[u8]) -> String {
        let body = String::from_utf8_lossy(line.get(2..).unwrap_or_default()).into_owned();
        let known = self
            .package
            .commands()
            .into_iter()
            .map(|c| c.name)
            .filter(|n| {
                body.get(..n.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(n))
            })
            .max_by_key(|n| n.len());
        match known {
            Some(name) => name.to_owned(),
            None => body
                .split(['=', '?'])
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase(),
        }
    }

    /// A parsed command line as shown: as captured, unless it holds a secret.
    fn shown_parsed(&self, line: &[u8], command: &dyn AnyCommand) -> Vec<u8> {
        let (mut plain, mut masked) = (Vec::new(), Vec::new());
        command.encode(&mut plain);
        command.encode_redacted(&mut masked);
        if plain == masked || self.show_secrets {
            line.to_vec()
        } else {
            redact::host_line(self.package, line)
        }
    }

    /// A command line as shown, secrets masked unless asked for.
    pub(super) fn shown_command(&self, line: &[u8]) -> Vec<u8> {
        match self.package.parse_command(line) {
            Ok(command) => self.shown_parsed(line, command.as_ref()),
            Err(_) if self.show_secrets => line.to_vec(),
            Err(_) => redact::host_line(self.package, line),
        }
    }

    /// A modem line answering `command`, as shown.
    pub(super) fn shown_answer(&self, command: Option<&dyn AnyCommand>, line: &[u8]) -> String {
        if self.show_secrets {
            printable(line)
        } else {
            printable(&redact::modem_line(command, line))
        }
    }

    /// Marks what the capture left unfinished.
    fn finish(mut self) -> Vec<Entry> {
        if let Some(flight) = self.flight.take().filter(|f| !f.may_end()) {
            self.entries[flight.entry]
                .anomalies
                .push("no final result before the capture ends".to_owned());
        }
        for awaiting in std::mem::take(&mut self.awaiting) {
            let prefix = awaiting
                .command
                .completion()
                .map(|c| c.prefix)
                .unwrap_or("");
            self.entries[awaiting.entry]
                .anomalies
                .push(format!("its completion `{}` never came", prefix.trim_end()));
        }
        self.entries
    }
}

/// Whether a line is a command line: `AT` in any case.
fn looks_like_command(line: &[u8]) -> bool {
    strip_junk(line)
        .get(..2)
        .is_some_and(|head| head.eq_ignore_ascii_case(b"AT"))
}

/// Whether `line` is the echo of the command line `sent`.
fn is_echo(line: &[u8], sent: &[u8]) -> bool {
    strip_junk(line) == sent
}

/// `line` without the bytes that are not printable before its text (a reset's or
/// a baud-rate change's leftovers).
fn strip_junk(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| b.is_ascii_graphic())
        .unwrap_or(line.len());
    &line[start..]
}

pub(super) fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\r' | b'\n'] = line {
        line = head;
    }
    line
}

fn form_name(form: Form) -> &'static str {
    match form {
        Form::Test => "test",
        Form::Read => "read",
        Form::Write => "write",
        Form::Execute => "execute",
    }
}
