//! `identify` against each emulated module: the answers to the identification
//! commands, and the package (and family) they point to.

use atspec_cli::identify::{fits, identify};
use atspec_emulator::modem::{self, Behaviour, ModemOptions};
use atspec_emulator::modems::{a76xx::A76xx, ec200u::Ec200u, esp_at::EspAt, sim800::Sim800};

async fn ask(
    module: impl Behaviour,
    terminator: &'static str,
) -> atspec_cli::identify::Identification {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator,
        ..ModemOptions::default()
    };
    modem::spawn(module, modem_side, options);
    identify(Box::new(host), atspec_packages::PACKAGES)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_emulated_module_is_told_by_its_answers() {
    let cases: [(
        &str,
        &str,
        Option<&str>,
        atspec_cli::identify::Identification,
    ); 4] = [
        ("sim800", "SIM800L", None, ask(Sim800::new(), "\r").await),
        (
            "a76xx",
            "A7600",
            Some("a76xx"),
            ask(A76xx::new(), "\r").await,
        ),
        (
            "ec200u",
            "EC200U series",
            None,
            ask(Ec200u::new(), "\r").await,
        ),
        (
            "esp_at",
            "ESP32",
            None,
            ask(EspAt::new(), atspec_esp_at::DIALECT.terminator).await,
        ),
    ];
    for (package, module, family, found) in cases {
        let best = found
            .fits
            .first()
            .unwrap_or_else(|| panic!("{package}: {found:?}"));
        assert_eq!(best.package, package, "{}", found.to_text());
        assert_eq!(best.module, module, "{}", found.to_text());
        assert_eq!(best.family.map(|f| f.0), family, "{}", found.to_text());
        assert_eq!(found.fits.len(), 1, "{}", found.to_text());
    }
}

#[tokio::test]
async fn a_refused_question_is_reported_and_the_rest_still_asked() {
    let found = ask(EspAt::new(), atspec_esp_at::DIALECT.terminator).await;
    let answer = |q: &str| {
        found
            .answers
            .iter()
            .find(|(question, _)| *question == q)
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(answer("ATI"), None, "ESP-AT has no ATI");
    let version = answer("AT+GMR").expect("AT+GMR answered");
    assert!(
        version.iter().any(|l| l.contains("ESP32-WROOM-32")),
        "{version:?}"
    );
    assert!(found.to_text().contains("ATI: refused"));
}

#[test]
fn the_longest_module_name_wins_and_unknown_answers_fit_nothing() {
    let packages = atspec_packages::PACKAGES;
    let sim7600 = fits(&["SIMCOM_SIM7600E-H"], packages);
    assert_eq!(sim7600[0].package, "a76xx");
    assert_eq!(sim7600[0].family.map(|f| f.0), Some("sim7600"));
    assert!(fits(&["Nokia 3310"], packages).is_empty());
    assert!(fits(&[], packages).is_empty());
}
