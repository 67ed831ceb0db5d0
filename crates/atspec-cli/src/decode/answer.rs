//! What a modem line is: a final result, a prompt, a chunk of a deferred
//! transfer, an answer to the command in flight, a completion, a URC, or nobody's.
//! The order is the client's, so a line is explained as a running client took it.

use atspec::dialect::{FinalResult, LineClass, ResultKind};
use atspec::dynamic::AnyCommand;
use atspec::parse::{ParseError, starts_like};
use atspec::{DecodedLine, Placement};

use super::fields::{codes_meaning, decoded_fields, describe};
use super::model::{CommandRef, Dir, Entry, Field, Kind};
use super::session::{Awaiting, Session, trim_end};
use super::tape::{Piece, Tape};

/// Whose completion a line may be.
enum Waiter {
    /// The command in flight (a completion before its final result).
    Flight,
    /// The awaited deferred command at this index.
    Awaiting(usize),
}

impl Session<'_> {
    /// Explains the modem line `piece`, reading the raw data it announces from `tape`.
    pub(super) fn answer(&mut self, piece: &Piece, dir: Dir, tape: &mut Tape) {
        let line = trim_end(&piece.bytes);
        let dialect = self.package.dialect();
        if let Some(result) = dialect.final_result(line) {
            return self.result(piece, dir, result);
        }
        if self.data_prompt(piece, dir, tape) || self.completion_chunk(piece, dir, tape) {
            return;
        }
        if self.announced_upload(piece, dir, tape) || self.flight_answer(piece, dir, tape) {
            return;
        }
        if self.completion(piece, dir) || self.urc(piece, dir) {
            return;
        }
        let mut entry = self.modem_entry(piece, dir, Kind::Response, None);
        if let LineClass::Prompt(_) = dialect.classify(line) {
            entry.kind = Kind::Prompt;
            entry.read = true;
            entry.explanation = "a data prompt".to_owned();
            entry
                .anomalies
                .push("a prompt that no command in flight waits for".to_owned());
        } else if let Some(flight) = &self.flight {
            entry.command = Some(flight.cmd.clone());
            entry.explanation = format!(
                "an answer to {} that its spec does not declare",
                on_line(&flight.cmd)
            );
        } else {
            entry.kind = Kind::Unknown;
            entry.explanation = "a line the package does not read".to_owned();
            entry
                .anomalies
                .push("an answer with no command in flight".to_owned());
        }
        self.entries.push(entry);
    }

    /// An entry for a modem line answering `owner`, its text shown as that
    /// command's answers are.
    pub(super) fn modem_entry(
        &self,
        piece: &Piece,
        dir: Dir,
        kind: Kind,
        owner: Option<&dyn AnyCommand>,
    ) -> Entry {
        let owner = owner.or_else(|| self.flight.as_ref().and_then(|f| f.command.as_deref()));
        let text = self.shown_answer(owner, trim_end(&piece.bytes));
        Entry::new(piece.at.line, dir, text, kind)
    }

    fn result(&mut self, piece: &Piece, dir: Dir, result: FinalResult) {
        let described = describe_result(&result);
        let mut entry = self.modem_entry(piece, dir, Kind::Final, None);
        entry.read = true;
        entry.meaning = result.meaning.map(str::to_owned);
        if let Some(code) = &result.code {
            entry.fields.push(Field {
                name: "code".to_owned(),
                value: code.clone(),
                coded: true,
                meaning: entry.meaning.clone(),
            });
        }
        if result.kind == ResultKind::Detail {
            entry.kind = Kind::Response;
            entry.command = self.flight.as_ref().map(|f| f.cmd.clone());
            entry.explanation = format!("error detail {described}, for the result that follows");
            self.entries.push(entry);
            self.detail = Some((piece.at.line, described));
            return;
        }
        // A detail line qualifies an error; before a success it is nobody's.
        let reason = match (self.detail.take(), result.kind) {
            (Some((line, detail)), ResultKind::Error | ResultKind::Busy) => {
                format!(" (reason on line {line}: {detail})")
            }
            _ => String::new(),
        };
        let waits_for_prompt = self.flight.as_ref().is_some_and(|f| {
            !f.finished && !f.prompted && f.command.as_ref().is_some_and(|c| c.upload().is_some())
        });
        match self.flight.take() {
            None => {
                entry.explanation = format!("{described}, with no command in flight");
                entry
                    .anomalies
                    .push("a final result with no command in flight".to_owned());
            }
            Some(mut flight) if result.kind == ResultKind::Ok && waits_for_prompt => {
                entry.command = Some(flight.cmd.clone());
                entry.explanation =
                    format!("{} is ready: its data prompt follows", on_line(&flight.cmd));
                flight.finished = true;
                self.flight = Some(flight);
            }
            Some(flight) => {
                let on = on_line(&flight.cmd);
                entry.command = Some(flight.cmd.clone());
                entry.explanation = match result.kind {
                    ResultKind::Ok => format!("{described}: {on} succeeded"),
                    ResultKind::Busy => {
                        format!("{described}: {on} was ignored, an earlier command still runs")
                    }
                    _ => format!("{described}: {on} failed"),
                };
                match result.kind {
                    ResultKind::Ok => self.await_completion(flight, &mut entry),
                    ResultKind::Busy => entry.anomalies.push(format!("busy: {on} was not run")),
                    _ => entry
                        .anomalies
                        .push(format!("failure: {described}{reason}")),
                }
            }
        }
        self.entries.push(entry);
    }

    /// After `OK`, a deferred command's real result is still to come.
    fn await_completion(&mut self, flight: super::session::Flight, entry: &mut Entry) {
        let Some(command) = flight.command.filter(|_| !flight.completed) else {
            return;
        };
        if let Some(completion) = command.completion() {
            entry.explanation += &format!(
                "; its result comes later as `{}`",
                completion.prefix.trim_end()
            );
            self.awaiting.push(Awaiting {
                cmd: flight.cmd,
                entry: flight.entry,
                command,
            });
        }
    }

    /// A line that announces a chunk of an awaited transfer's data.
    fn completion_chunk(&mut self, piece: &Piece, dir: Dir, tape: &mut Tape) -> bool {
        let line = trim_end(&piece.bytes);
        let found = self.awaiting.iter().enumerate().find_map(|(at, a)| {
            let rule = a.command.completion_data()?;
            let announced = rule.placement == Placement::NextLine && starts_like(line, rule.prefix);
            let (len, _) = (rule.length)(line).ok().filter(|_| announced)?;
            Some((at, len))
        });
        let Some((at, len)) = found else {
            return false;
        };
        let awaiting = &self.awaiting[at];
        let cmd = awaiting.cmd.clone();
        let mut entry =
            self.modem_entry(piece, dir, Kind::Response, Some(awaiting.command.as_ref()));
        entry.read = true;
        entry.command = Some(cmd.clone());
        let what = format!("data of {}", on_line(&cmd));
        entry.explanation = format!("announces {len} bytes of {what}");
        self.entries.push(entry);
        self.payload(tape, len, &cmd, &what, piece.at.line, dir);
        true
    }

    /// An answer of the command in flight: a declared line, or one announcing a
    /// payload.
    fn flight_answer(&mut self, piece: &Piece, dir: Dir, tape: &mut Tape) -> bool {
        let line = trim_end(&piece.bytes);
        let Some(flight) = &self.flight else {
            return false;
        };
        let Some(command) = flight.command.as_deref() else {
            return false;
        };
        let decoded = command.decode_line(line);
        let announced = command
            .payload()
            .filter(|r| r.placement == Placement::NextLine && starts_like(line, r.prefix))
            .and_then(|r| (r.length)(line).ok())
            .map(|(len, _)| len);
        if decoded.is_none() && announced.is_none() {
            return false;
        }
        let cmd = flight.cmd.clone();
        let mut entry = self.modem_entry(piece, dir, Kind::Response, Some(command));
        entry.read = true;
        entry.command = Some(cmd.clone());
        entry.explanation = format!("answer to {}", on_line(&cmd));
        if let Some(decoded) = &decoded {
            fill(&mut entry, decoded);
        }
        if let Some(len) = announced {
            entry.explanation += &format!(", announcing {len} bytes");
        }
        self.entries.push(entry);
        if let Some(len) = announced {
            let what = format!("the answer to {}", on_line(&cmd));
            self.payload(tape, len, &cmd, &what, piece.at.line, dir);
        }
        true
    }

    /// A deferred command's completion URC: the command in flight's (before its
    /// final result) or an awaited one's.
    fn completion(&mut self, piece: &Piece, dir: Dir) -> bool {
        let line = trim_end(&piece.bytes);
        let flight = self
            .flight
            .as_ref()
            .filter(|f| !f.completed)
            .and_then(|f| f.command.as_deref())
            .map(|c| (Waiter::Flight, c));
        let awaited = self
            .awaiting
            .iter()
            .enumerate()
            .map(|(at, a)| (Waiter::Awaiting(at), a.command.as_ref()));
        let Some((waiter, read)) = flight
            .into_iter()
            .chain(awaited)
            .find_map(|(w, c)| c.decode_completion(line).map(|r| (w, r)))
        else {
            return false;
        };
        let cmd = match &waiter {
            Waiter::Flight => self.flight.as_ref().map(|f| f.cmd.clone()),
            Waiter::Awaiting(at) => Some(self.awaiting[*at].cmd.clone()),
        };
        let Some(cmd) = cmd else {
            return false;
        };
        let mut entry = self.modem_entry(piece, dir, Kind::Urc, None);
        entry.command = Some(cmd.clone());
        let on = on_line(&cmd);
        match read {
            Ok(completion) => {
                entry.read = true;
                entry.explanation = format!("completes {on}");
                fill(&mut entry, &completion.decoded);
                if let Some(failure) = &completion.failure {
                    entry.anomalies.push(format!("failure: {failure}"));
                }
                if !completion.matches {
                    entry.explanation +=
                        &format!(" (but not the request sent on line {})", cmd.line);
                } else {
                    match waiter {
                        Waiter::Flight => {
                            if let Some(f) = self.flight.as_mut() {
                                f.completed = true;
                            }
                        }
                        Waiter::Awaiting(at) => {
                            self.awaiting.remove(at);
                        }
                    }
                }
            }
            Err(error) => {
                entry.explanation =
                    format!("starts like the completion of {on} but {}", misfit(&error));
                entry.anomalies.push("an unreadable completion".to_owned());
            }
        }
        self.entries.push(entry);
        true
    }

    /// A URC of the package.
    fn urc(&mut self, piece: &Piece, dir: Dir) -> bool {
        let line = trim_end(&piece.bytes);
        let Some(read) = self.package.decode_urc(line) else {
            return false;
        };
        let mut entry = self.modem_entry(piece, dir, Kind::Urc, None);
        match read {
            Ok(decoded) => {
                entry.read = true;
                entry.explanation = "URC".to_owned();
                fill(&mut entry, &decoded);
            }
            Err(error) => entry.explanation = format!("starts like a URC but {}", misfit(&error)),
        }
        if let Some(flight) = &self.flight {
            entry.explanation += &format!(", inside the answer to {}", on_line(&flight.cmd));
        }
        self.entries.push(entry);
        true
    }
}

/// Adds a decoded line's name, fields and meanings to `entry`.
pub(super) fn fill(entry: &mut Entry, decoded: &DecodedLine) {
    entry.fields = decoded_fields(decoded);
    entry.meaning = codes_meaning(&entry.fields);
    entry.explanation += &format!(": {}", decoded.name);
    if !entry.fields.is_empty() {
        entry.explanation += &format!(" [{}]", describe(&entry.fields));
    }
}

/// `+NAME (line N)`.
pub(super) fn on_line(cmd: &CommandRef) -> String {
    format!("{} (line {})", cmd.name, cmd.line)
}

/// Why a line does not fit its spec, without repeating the line (which may hold
/// a secret).
pub(super) fn misfit(error: &ParseError) -> String {
    format!(
        "does not fit it (expected {} at byte {})",
        error.expected, error.column
    )
}

/// A result as a user reads it: `OK`, `+CME ERROR 3 (operation not allowed)`.
fn describe_result(result: &FinalResult) -> String {
    let head = result.text.trim_end_matches([':', ' ']);
    match (&result.code, result.meaning) {
        (Some(code), Some(meaning)) => format!("{head} {code} ({meaning})"),
        (Some(code), None) => format!("{head} {code} (not listed in the manual)"),
        (None, _) => head.to_owned(),
    }
}
