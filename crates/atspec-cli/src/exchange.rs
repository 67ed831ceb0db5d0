//! One command line sent the way `at` and `term` send it: checked against the spec
//! (or sent as typed with `--raw`), run as its command type says (waiting for a
//! deferred command's completion, sending an upload's data), and the bytes of the
//! exchange explained by the decoder `atspec decode` uses.

use atspec::dynamic::{AnyIo, Outcome, Package};
use atspec::{AtError, ParseError, RawCommand};

use crate::connect::Session;
use crate::data_arg::Data;
use crate::decode::{self, Dir, Entry};
use crate::exit::{Failure, Kind};
use crate::record::{Recorder, Way};
use crate::redact;

/// What to send.
#[derive(Debug)]
pub struct Request<'a> {
    /// The command line, without its terminator.
    pub line: &'a str,
    /// Send the line unchecked, as a command no spec declares.
    pub raw: bool,
    /// The data an uploading command sends after its prompt.
    pub data: Option<Data>,
    /// Show secrets in the explained lines instead of `***`.
    pub show_secrets: bool,
}

/// How the exchange went.
#[derive(Debug)]
pub struct Exchanged {
    /// Every line that crossed, explained (unsolicited ones that arrived meanwhile
    /// included).
    pub entries: Vec<Entry>,
    /// The typed result, or why the command failed.
    pub outcome: Result<Option<Outcome>, AtError>,
}

/// Sends `request` on `session`, whose line `recorder` watches. A line the spec
/// does not read is refused with the spec's explanation, and nothing is sent.
pub async fn send(
    session: &Session,
    recorder: &Recorder,
    request: Request<'_>,
) -> Result<Exchanged, Failure> {
    let outcome = if request.raw {
        let command = RawCommand::new(request.line).map_err(|e| Failure::usage(e.to_string()))?;
        match session.modem.send_raw(&command).await {
            Ok(response) => response.into_ok().map(|_| None),
            Err(e) => Err(e),
        }
    } else {
        let command = session
            .package
            .parse_command(request.line.as_bytes())
            .map_err(|e| refusal(session, request.line, &e, request.show_secrets))?;
        let mut source = request.data.map(|d| d.reader);
        let mut sink = tokio::io::sink();
        let io = AnyIo {
            source: source
                .as_mut()
                .map(|s| s as &mut (dyn tokio::io::AsyncRead + Unpin + Send)),
            sink: Some(&mut sink),
        };
        match command.run(&*session.modem, io).await {
            Err(AtError::WrongCall { what, .. }) if command.upload().is_some() => {
                return Err(Failure::usage(format!(
                    "{}: {what} with --data TEXT or --data @FILE",
                    command.name()
                )));
            }
            other => other.map(Some),
        }
    };
    Ok(Exchanged {
        entries: explain(session, recorder, request.show_secrets),
        outcome,
    })
}

/// What crossed since the last call (URCs while idle, or an exchange), explained.
pub fn explain(session: &Session, recorder: &Recorder, show_secrets: bool) -> Vec<Entry> {
    explain_pieces(session.package, recorder.take(), show_secrets)
}

/// `pieces` recorded on a line to a modem of `package`, explained.
pub fn explain_pieces(
    package: &dyn Package,
    pieces: Vec<(Way, Vec<u8>)>,
    show_secrets: bool,
) -> Vec<Entry> {
    let pieces: Vec<(Dir, &[u8])> = pieces
        .iter()
        .map(|(way, bytes)| {
            let dir = match way {
                Way::Host => Dir::Host,
                Way::Modem => Dir::Modem,
            };
            (dir, bytes.as_slice())
        })
        .collect();
    if pieces.is_empty() {
        return Vec::new();
    }
    let mut entries = decode::explain_recorded(package, &pieces, show_secrets);
    number_shown_lines(&mut entries);
    entries
}

/// Numbers the explained lines 1, 2, 3, ... (the recording counts the empty lines
/// between CR LF pairs, which are not shown), references to them included.
fn number_shown_lines(entries: &mut [Entry]) {
    let mut order: Vec<usize> = entries.iter().map(|e| e.line).collect();
    order.dedup();
    let renumber = |line: usize| {
        order
            .iter()
            .position(|&l| l == line)
            .map_or(line, |i| i + 1)
    };
    for entry in entries.iter_mut() {
        entry.line = renumber(entry.line);
        if let Some(command) = entry.command.as_mut() {
            command.line = renumber(command.line);
        }
    }
}

/// The spec's refusal of `line`: where it stops reading and what it expected. A
/// line whose command has a secret parameter is shown masked, without the caret.
fn refusal(session: &Session, line: &str, error: &ParseError, show_secrets: bool) -> Failure {
    let masked =
        String::from_utf8_lossy(&redact::host_line(session.package, line.as_bytes())).into_owned();
    let (shown, caret) = if show_secrets || masked == line {
        (
            line.to_owned(),
            " ".repeat(error.column.min(line.len())) + "^ ",
        )
    } else {
        (masked, String::new())
    };
    Failure::new(
        Kind::Usage,
        format!(
            "the {} spec does not take this line (nothing was sent; `at --raw`, or `!` in the terminal, sends it unchecked):\n  {shown}\n  {caret}expected {}",
            session.package.id(),
            error.expected
        ),
    )
}
