//! `atspec term`: an interactive terminal on the modem. Each line typed is checked
//! and sent as `atspec at` sends it, and the exchange printed decoded; lines the
//! modem sends meanwhile (URCs) are shown as they come, above the prompt. Line editing and
//! history come from rustyline, Tab completes command names from the spec, and
//! Ctrl+C or Ctrl+D leaves.

pub mod complete;
mod meanwhile;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use crate::args::Connection;
use crate::connect::{self, EmulatorSetup, Session};
use crate::decode::entry_line;
use crate::exchange::{self, Request};
use crate::exit::{Failure, Kind};
use crate::record::Recorder;
use complete::CommandCompleter;

/// The prompt.
pub const PROMPT: &str = "at> ";

/// What the first character of a typed line asks for.
const RAW_MARK: char = '!';

type LineEditor = Editor<CommandCompleter, DefaultHistory>;

/// Runs `atspec term` until Ctrl+C, Ctrl+D or the end of input.
pub async fn run(connection: Connection) -> Result<(), Failure> {
    let recorder = Recorder::default();
    let session = connect::open_recorded(
        &connection,
        EmulatorSetup::default(),
        Some(recorder.clone()),
    )
    .await?;
    let mut editor: LineEditor =
        Editor::with_config(Config::builder().auto_add_history(true).build()).map_err(|e| {
            Failure::new(Kind::Internal, format!("cannot start the line editor: {e}"))
        })?;
    editor.set_helper(Some(CommandCompleter::new(&session.package.commands())));
    println!(
        "atspec term: {} ({}). Tab completes command names; a line starting with {RAW_MARK} is sent \
         unchecked; Ctrl+C or Ctrl+D leaves.",
        session.package.title(),
        session.package.id()
    );
    // Without a terminal (input from a pipe) there is no printer: URCs then show
    // before the next prompt.
    let mut printer = editor.create_external_printer().ok();
    loop {
        print_entries(&exchange::explain(&session, &recorder, false));
        let watching = printer
            .take()
            .map(|p| meanwhile::Watch::start(session.package, recorder.clone(), p));
        let (back, read) = tokio::task::spawn_blocking(move || {
            let read = editor.readline(PROMPT);
            (editor, read)
        })
        .await
        .map_err(|e| Failure::new(Kind::Internal, format!("the line editor stopped: {e}")))?;
        editor = back;
        if let Some(watching) = watching {
            printer = watching.stop().await;
        }
        match read {
            Ok(line) => one_line(&session, &recorder, line.trim()).await?,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => return Ok(()),
            Err(e) => {
                return Err(Failure::new(
                    Kind::Internal,
                    format!("cannot read the terminal: {e}"),
                ));
            }
        }
    }
}

/// Sends one typed line and prints its exchange; a refusal or a failed command is
/// printed and the terminal goes on, a lost line ends it.
async fn one_line(session: &Session, recorder: &Recorder, line: &str) -> Result<(), Failure> {
    if line.is_empty() {
        return Ok(());
    }
    let (line, raw) = match line.strip_prefix(RAW_MARK) {
        Some(rest) => (rest.trim(), true),
        None => (line, false),
    };
    let request = Request {
        line,
        raw,
        data: None,
        show_secrets: false,
    };
    match exchange::send(session, recorder, request).await {
        Ok(exchanged) => {
            print_entries(&exchanged.entries);
            if let Err(error) = exchanged.outcome {
                let failure = Failure::from(&error);
                if failure.kind == Kind::Connection {
                    return Err(failure);
                }
                println!("-- {failure}");
            }
        }
        Err(refused) => println!("-- {refused}"),
    }
    Ok(())
}

fn print_entries(entries: &[crate::decode::Entry]) {
    for entry in entries {
        println!("{}", entry_line(entry));
    }
}
