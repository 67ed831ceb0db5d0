//! Raw data in a capture: payloads announced by length, the data a host uploads
//! after a prompt, and data-mode downloads. Their bytes may hold CR LF and `OK`;
//! they are taken as the command's rules say, never as lines.

use atspec::dynamic::AnyCommand;
use atspec::parse::starts_like;
use atspec::{DownloadEnd, Placement, UploadEnd};

use super::answer::on_line;
use super::model::{CommandRef, Dir, Entry, Kind, printable};
use super::session::{Session, trim_end};
use super::tape::{Piece, Tape};

/// How uploaded or downloaded data ended.
enum Ending {
    /// After the bytes its rule counts.
    Counted,
    /// At this marker.
    By(String),
    /// Its end marker is not in the capture.
    Missing,
}

impl Ending {
    fn describe(&self) -> String {
        match self {
            Ending::Counted => String::new(),
            Ending::By(marker) => format!(", ended by {marker}"),
            Ending::Missing => ", with no end marker in the capture".to_owned(),
        }
    }
}

/// What the command in flight does after a prompt.
enum Transfer {
    /// The host uploads (`announced`: the byte count the prompt line stated).
    Upload(Option<usize>),
    /// The modem sends data mode.
    Download,
}

impl Session<'_> {
    /// `len` announced bytes for `owner` as one payload entry.
    pub(super) fn payload(
        &mut self,
        tape: &mut Tape,
        len: usize,
        owner: &CommandRef,
        what: &str,
        announced_on: usize,
        dir: Dir,
    ) {
        if len == 0 {
            return;
        }
        let piece = tape.take(len);
        let got = piece.bytes.len();
        let explanation = format!("{got} bytes of {what}, announced on line {announced_on}");
        self.push_payload(piece, owner, explanation, Some(len), dir);
    }

    fn push_payload(
        &mut self,
        piece: Piece,
        owner: &CommandRef,
        explanation: String,
        announced: Option<usize>,
        dir: Dir,
    ) {
        let dir = match piece.at.dir {
            Dir::Unknown => dir,
            said => said,
        };
        let mut entry = Entry::new(piece.at.line, dir, printable(&piece.bytes), Kind::Payload);
        entry.read = true;
        entry.command = Some(owner.clone());
        entry.bytes = Some(piece.bytes.len());
        entry.explanation = explanation;
        if let Some(len) = announced.filter(|len| piece.bytes.len() < *len) {
            entry.anomalies.push(format!(
                "cut short: {} of the {len} bytes announced before the capture ends",
                piece.bytes.len()
            ));
        }
        self.entries.push(entry);
    }

    /// A bare prompt the tape recognised for the command in flight.
    pub(super) fn bare_prompt(&mut self, piece: Piece, tape: &mut Tape) {
        let Some(command) = self.flight.as_ref().and_then(|f| f.command.as_deref()) else {
            return;
        };
        let prompt = trim_end(&piece.bytes);
        let uploads = command
            .upload()
            .is_some_and(|u| u.prompt.trim_end().as_bytes() == prompt);
        let transfer = if uploads {
            Transfer::Upload(None)
        } else {
            Transfer::Download
        };
        self.prompted(&piece, Dir::Modem, transfer, tape);
    }

    /// A prompt line (`DOWNLOAD`, `CONNECT`) the command in flight waits for.
    pub(super) fn data_prompt(&mut self, piece: &Piece, dir: Dir, tape: &mut Tape) -> bool {
        let Some(command) = self.flight.as_ref().and_then(|f| f.command.as_deref()) else {
            return false;
        };
        let line = trim_end(&piece.bytes);
        let is = |text: &str| text.trim_end().as_bytes() == line;
        let transfer = if command
            .upload()
            .is_some_and(|u| u.announce.is_none() && is(u.prompt))
        {
            Transfer::Upload(None)
        } else if command.download().is_some_and(|d| is(d.prompt)) {
            Transfer::Download
        } else {
            return false;
        };
        self.prompted(piece, dir, transfer, tape);
        true
    }

    /// A prompt line that states how many bytes the modem takes (`+X: 2,<n>`).
    pub(super) fn announced_upload(&mut self, piece: &Piece, dir: Dir, tape: &mut Tape) -> bool {
        let Some(command) = self.flight.as_ref().and_then(|f| f.command.as_deref()) else {
            return false;
        };
        let line = trim_end(&piece.bytes);
        let Some(rule) = command.upload().and_then(|u| u.announce) else {
            return false;
        };
        if !starts_like(line, rule.prefix) {
            return false;
        }
        let Ok((len, _)) = (rule.length)(line) else {
            return false;
        };
        self.prompted(piece, dir, Transfer::Upload(Some(len)), tape);
        true
    }

    /// The prompt's entry, then the data that follows it.
    fn prompted(&mut self, piece: &Piece, dir: Dir, transfer: Transfer, tape: &mut Tape) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        flight.prompted = true;
        let cmd = flight.cmd.clone();
        let mut entry = self.modem_entry(piece, dir, Kind::Prompt, None);
        entry.text = printable(&piece.bytes);
        entry.read = true;
        entry.command = Some(cmd.clone());
        entry.explanation = match transfer {
            Transfer::Upload(Some(len)) => format!("{} takes {len} bytes now", on_line(&cmd)),
            Transfer::Upload(None) => format!("{} waits for the host's data", on_line(&cmd)),
            Transfer::Download => format!("{} starts data mode", on_line(&cmd)),
        };
        let dialect = self.package.dialect();
        let absent = tape
            .peek_line()
            .is_some_and(|l| dialect.final_result(trim_end(l)).is_some());
        if absent {
            entry.explanation += " (the data is not in the capture)";
        }
        self.entries.push(entry);
        if absent {
            return;
        }
        let Some(command) = self.flight.as_ref().and_then(|f| f.command.as_deref()) else {
            return;
        };
        let (piece, ending, announced, dir, what) = match transfer {
            Transfer::Upload(announced) => {
                let (piece, ending) = self.upload_data(command, announced, tape);
                (piece, ending, announced, Dir::Host, "data for")
            }
            Transfer::Download => {
                let (piece, ending) = self.download_data(command, tape);
                (piece, ending, None, Dir::Modem, "data from")
            }
        };
        let explanation = format!(
            "{} bytes of {what} {}{}",
            piece.bytes.len(),
            on_line(&cmd),
            ending.describe()
        );
        self.push_payload(piece, &cmd, explanation, announced, dir);
        if let (Ending::Missing, Some(entry)) = (ending, self.entries.last_mut()) {
            entry
                .anomalies
                .push("the data's end is not in the capture".to_owned());
        }
    }

    /// The host's data after an upload prompt, and how it ended.
    fn upload_data(
        &self,
        command: &dyn AnyCommand,
        announced: Option<usize>,
        tape: &mut Tape,
    ) -> (Piece, Ending) {
        let Some(rule) = command.upload() else {
            return (tape.take(0), Ending::Counted);
        };
        match rule.end {
            UploadEnd::Length(len) => (tape.take(len), Ending::Counted),
            UploadEnd::Announced => (tape.take(announced.unwrap_or(0)), Ending::Counted),
            UploadEnd::Escaped { terminator, escape } => {
                match tape.take_escaped(terminator, escape) {
                    Some(piece) => (piece, Ending::By(format!("0x{terminator:02x}"))),
                    None => (self.up_to_result(tape), Ending::Missing),
                }
            }
            UploadEnd::GuardedEscape { sequence, .. } => match tape.take_until(sequence.as_bytes())
            {
                Some(piece) => (piece, Ending::By(format!("`{sequence}`"))),
                None => (self.up_to_result(tape), Ending::Missing),
            },
        }
    }

    /// The modem's data-mode bytes after a download prompt, and how they ended.
    fn download_data(&self, command: &dyn AnyCommand, tape: &mut Tape) -> (Piece, Ending) {
        let Some(rule) = command.download() else {
            return (tape.take(0), Ending::Counted);
        };
        match rule.end {
            DownloadEnd::Length(len) => (tape.take(len), Ending::Counted),
            DownloadEnd::FinalResult => {
                // A deferred download's `OK` ends data mode only when its
                // completion follows; an `OK` line inside the data does not.
                let confirm = command.completion().map(|c| c.prefix);
                let ends = |line: &[u8], next: Option<&[u8]>| {
                    trim_end(line) == b"OK"
                        && confirm.is_none_or(|p| next.is_none_or(|n| starts_like(n, p)))
                };
                match tape.take_until_line(ends) {
                    Some(piece) => (piece, Ending::By("OK".to_owned())),
                    None => (tape.take(usize::MAX), Ending::Missing),
                }
            }
        }
    }

    /// The data up to the next final result, for data whose end marker is missing.
    fn up_to_result(&self, tape: &mut Tape) -> Piece {
        let dialect = self.package.dialect();
        tape.take_until_line(|line, _| dialect.final_result(trim_end(line)).is_some())
            .unwrap_or_else(|| tape.take(usize::MAX))
    }

    /// A payload announced on the same line as its length.
    pub(super) fn same_line_payload(&mut self, header: Piece, payload: Piece, announced: usize) {
        let line = trim_end(&header.bytes);
        let flight = self
            .flight
            .as_ref()
            .and_then(|f| Some((f.cmd.clone(), f.command.as_deref()?)))
            .filter(|(_, c)| announces(c.payload(), line));
        let awaited = self
            .awaiting
            .iter()
            .find(|a| announces(a.command.completion_data(), line))
            .map(|a| (a.cmd.clone(), a.command.as_ref()));
        let Some((cmd, command)) = flight.or(awaited) else {
            return;
        };
        let dir = match header.at.dir {
            Dir::Unknown => Dir::Modem,
            said => said,
        };
        let mut entry = self.modem_entry(&header, dir, Kind::Response, Some(command));
        entry.read = true;
        entry.command = Some(cmd.clone());
        entry.explanation = format!(
            "answer to {}, announcing {announced} bytes on this line",
            on_line(&cmd)
        );
        self.entries.push(entry);
        let what = format!("the answer to {}", on_line(&cmd));
        let explanation = format!(
            "{} bytes of {what}, announced on line {}",
            payload.bytes.len(),
            header.at.line
        );
        self.push_payload(payload, &cmd, explanation, Some(announced), dir);
    }
}

fn announces(rule: Option<atspec::PayloadRule>, line: &[u8]) -> bool {
    rule.is_some_and(|r| r.placement == Placement::SameLine && starts_like(line, r.prefix))
}
