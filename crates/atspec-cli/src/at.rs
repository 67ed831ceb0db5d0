//! `atspec at 'AT+…'`: one command line, checked against the spec, sent, and every
//! line of its answer printed typed.

use crate::args::Connection;
use crate::connect::{self, EmulatorSetup};
use crate::data_arg;
use crate::decode::{entry_line, json};
use crate::exchange::{self, Request};
use crate::exit::Failure;
use crate::record::Recorder;

/// What `atspec at` was asked.
#[derive(Debug)]
pub struct AtArgs {
    /// How to reach the modem.
    pub connection: Connection,
    /// The command line.
    pub line: String,
    /// Send it unchecked.
    pub raw: bool,
    /// An upload's data (`TEXT` or `@FILE`).
    pub data: Option<String>,
    /// One JSON object per line.
    pub json: bool,
}

/// Runs `atspec at`.
pub async fn run(args: AtArgs) -> Result<(), Failure> {
    let recorder = Recorder::default();
    let session = connect::open_recorded(
        &args.connection,
        EmulatorSetup::default(),
        Some(recorder.clone()),
    )
    .await?;
    let data = match &args.data {
        Some(arg) => Some(data_arg::open(arg).await?),
        None => None,
    };
    let line = args.line.trim();
    let exchanged = exchange::send(
        &session,
        &recorder,
        Request {
            line,
            raw: args.raw,
            data,
            show_secrets: false,
        },
    )
    .await?;
    for entry in &exchanged.entries {
        if args.json {
            println!("{}", json::object(entry));
        } else {
            println!("{}", entry_line(entry));
        }
    }
    match exchanged.outcome {
        Ok(_) => Ok(()),
        Err(error) => Err(Failure::from(&error)),
    }
}
