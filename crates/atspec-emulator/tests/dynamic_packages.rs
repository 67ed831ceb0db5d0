//! The run-time view of the packages (`atspec::dynamic`, listed by
//! `atspec-packages`): command lines checked and decoded through the spec,
//! secrets masked, completions matched, and commands and tasks run on emulated
//! modems chosen by name.

use atspec::Config;
use atspec::dynamic::{AnyIo, Package};
use atspec::task::Link;
use atspec::{AtError, Form};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::esp_at::EspAt;
use atspec_emulator::modems::sim800::Sim800;

fn package(name: &str) -> &'static dyn Package {
    atspec_packages::find(name).unwrap_or_else(|| panic!("{name} is listed"))
}

#[test]
fn every_modem_package_is_listed_and_found_by_its_names() {
    assert_eq!(
        atspec_packages::names(),
        ["a76xx", "ec200u", "esp_at", "sim800"]
    );
    assert_eq!(package("esp-at").id(), "esp_at");
    assert_eq!(package("SIM800").id(), "sim800");
    assert!(
        atspec_packages::find("fixture_tasks").is_none(),
        "fixtures are left out"
    );
    assert!(atspec_packages::find("nokia").is_none());
    assert!(package("sim800").modules().contains(&"SIM800L"));
}

#[test]
fn a_command_line_is_read_through_the_package_and_the_packages_it_builds_on() {
    let sim800 = package("sim800");
    let own = sim800.parse_command(b"AT+HTTPACTION=0").unwrap();
    assert_eq!((own.name(), own.form()), ("+HTTPACTION", Form::Write));
    assert_eq!(own.syntax(), "AT+HTTPACTION=<method>");
    // AT+CSQ is declared by the shared 3GPP package the SIM800's builds on.
    let inherited = sim800.parse_command(b"AT+CSQ").unwrap();
    assert_eq!(
        (inherited.name(), inherited.form()),
        ("+CSQ", Form::Execute)
    );
    assert!(sim800.commands().iter().any(|c| c.name == "+CSQ"));
    assert!(sim800.commands().iter().any(|c| c.name == "+HTTPACTION"));
}

#[test]
fn an_out_of_range_value_is_refused_with_the_place_and_the_rule() {
    let error = package("sim800")
        .parse_command(b"AT+HTTPACTION=7")
        .unwrap_err();
    // The column is where reading stopped: just after the value.
    assert_eq!(error.column, 15, "{error}");
    assert!(
        error
            .to_string()
            .contains("`method`: 7 is not one of the allowed values"),
        "{error}"
    );
    let unknown = package("sim800").parse_command(b"AT+NOSUCH=1").unwrap_err();
    assert_eq!(
        unknown.expected,
        "a command of this package (none is named `+NOSUCH`)"
    );
    // A command the package has, in a form it lacks: the forms it has are listed.
    let form = package("sim800")
        .parse_command(b"AT+HTTPACTION")
        .unwrap_err();
    assert_eq!(
        form.expected,
        "one of the forms of `+HTTPACTION`: AT+HTTPACTION=?, AT+HTTPACTION=<method>"
    );
}

#[test]
fn secret_parameters_are_masked_in_the_redacted_line_and_in_debug() {
    let command = package("sim800")
        .parse_command(br#"AT+SAPBR=3,1,"PWD","hunter2""#)
        .unwrap();
    let mut shown = Vec::new();
    command.encode_redacted(&mut shown);
    let shown = String::from_utf8(shown).unwrap();
    assert!(
        !shown.contains("hunter2") && shown.contains("***"),
        "{shown}"
    );
    assert!(!format!("{command:?}").contains("hunter2"));
    let mut sent = Vec::new();
    command.encode(&mut sent);
    assert!(String::from_utf8(sent).unwrap().contains("hunter2"));
    assert!(
        package("sim800")
            .commands()
            .iter()
            .any(|c| c.name == "+SAPBR" && c.secret)
    );
}

#[test]
fn a_deferred_command_knows_its_completion_and_which_urc_is_its_own() {
    let get = package("sim800").parse_command(b"AT+HTTPACTION=0").unwrap();
    assert_eq!(get.completion().map(|c| c.prefix), Some("+HTTPACTION:"));
    let mine = get
        .decode_completion(b"+HTTPACTION: 0,404,0")
        .unwrap()
        .unwrap();
    assert!(mine.matches);
    let status = mine.decoded.field("status_code").unwrap();
    assert_eq!(
        (status.value.as_str(), status.meaning),
        ("404", Some("Not Found"))
    );
    let post = get
        .decode_completion(b"+HTTPACTION: 1,200,5")
        .unwrap()
        .unwrap();
    assert!(!post.matches, "a POST's completion is not the GET's");
    let failed = get
        .decode_completion(b"+HTTPACTION: 0,603,0")
        .unwrap()
        .unwrap();
    assert_eq!(failed.failure.map(|f| f.code), Some("603".to_owned()));
    assert!(get.decode_completion(b"+CREG: 1").is_none());
    let method = get.parameters();
    let method = method.field("method").unwrap();
    assert_eq!((method.value.as_str(), method.meaning), ("0", Some("GET")));
    let plain = package("sim800").parse_command(b"AT+CSQ").unwrap();
    assert!(plain.completion().is_none());
}

#[test]
fn urcs_are_decoded_with_their_fields_and_code_meanings() {
    let sim800 = package("sim800");
    let action = sim800
        .decode_urc(b"+HTTPACTION: 0,200,14")
        .unwrap()
        .unwrap();
    assert_eq!(action.name, "http_action");
    assert_eq!(action.field("data_len").unwrap().value, "14");
    // A URC of the shared package the SIM800's builds on.
    let creg = sim800.decode_urc(b"+CREG: 5").unwrap().unwrap();
    assert!(creg.fields.iter().any(|f| f.meaning.is_some()), "{creg:?}");
    assert!(sim800.decode_urc(b"+HTTPACTION: x").unwrap().is_err());
    assert!(sim800.decode_urc(b"HELLO").is_none());
}

#[tokio::test]
async fn a_modem_opened_by_name_runs_parsed_commands_and_its_tasks() {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800::new(), modem_side, ModemOptions::default());
    let sim800 = package("sim800");
    let modem = sim800.open(Box::new(host), Config::default());
    assert_eq!(modem.name(), "sim800");
    let csq = sim800.parse_command(b"AT+CSQ").unwrap();
    let outcome = csq.run(&*modem, AnyIo::default()).await.unwrap();
    assert!(outcome.response.contains("rssi"), "{outcome:?}");
    let state = modem
        .network()
        .expect("the SIM800 brings a link up")
        .connect(&Link::cellular("internet"), None)
        .await
        .unwrap();
    assert!(state.up);
    assert!(modem.http().is_some() && modem.ftp().is_some());
    // A command of another package is refused, not sent.
    let esp = package("esp_at").parse_command(b"AT+CWMODE=1").unwrap();
    let refused = esp.run(&*modem, AnyIo::default()).await.unwrap_err();
    assert!(matches!(refused, AtError::WrongCall { .. }), "{refused}");
}

#[tokio::test]
async fn a_task_the_modem_lacks_is_absent_and_an_upload_needs_its_data() {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator: atspec_esp_at::DIALECT.terminator,
        ..ModemOptions::default()
    };
    modem::spawn(EspAt::new(), modem_side, options);
    let esp_at = package("esp_at");
    let modem = esp_at.open(Box::new(host), Config::default());
    assert!(modem.ftp().is_none(), "ESP-AT has no FTP task");
    assert!(modem.http().is_some());
    assert!(
        package("a76xx")
            .commands()
            .iter()
            .all(|c| !c.name.starts_with("+HTTP"))
    );
    let upload = esp_at
        .parse_command(br#"AT+HTTPCPOST="http://127.0.0.1/echo",5"#)
        .unwrap();
    assert!(upload.upload().is_some());
    let missing = upload.run(&*modem, AnyIo::default()).await.unwrap_err();
    assert!(matches!(missing, AtError::WrongCall { .. }), "{missing}");
}
