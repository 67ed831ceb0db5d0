//! The start-up and status commands published libraries send before any transfer
//! (identity, SIM, operator, registration, error mode, line characters): every
//! parameterless command of the shared 3GPP/V.250 package is answered by each
//! emulated cellular module as its spec says, so the typed response parses.

use atspec::Config;
use atspec::dynamic::{AnyIo, Package};
use atspec_emulator::modem::{self, Behaviour, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::modems::ec200u::Ec200u;
use atspec_emulator::modems::sim800::Sim800;

/// Every command line of the shared package that takes no parameter.
fn parameterless_common_lines() -> Vec<&'static str> {
    atspec_common::COMMANDS
        .iter()
        .map(|c| c.syntax)
        .filter(|syntax| !syntax.contains('<'))
        .collect()
}

async fn every_line_answers_as_specified(package: &str, module: impl Behaviour) {
    let package: &dyn Package = atspec_packages::find(package).expect("listed");
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, ModemOptions::default());
    let modem = package.open(Box::new(host), Config::default());
    let lines = parameterless_common_lines();
    assert!(lines.len() > 30, "{lines:?}");
    let mut failures = Vec::new();
    for line in lines {
        let command = package.parse_command(line.as_bytes()).unwrap();
        if let Err(error) = command.run(&*modem, AnyIo::default()).await {
            failures.push(format!("{line}: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        package.id(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn sim800_answers_every_status_command_as_specified() {
    every_line_answers_as_specified("sim800", Sim800::new()).await;
}

#[tokio::test]
async fn a76xx_answers_every_status_command_as_specified() {
    every_line_answers_as_specified("a76xx", A76xx::new()).await;
}

#[tokio::test]
async fn ec200u_answers_every_status_command_as_specified() {
    every_line_answers_as_specified("ec200u", Ec200u::new()).await;
}
