//! The decoder against a made-up modem's package: what each kind of line is
//! explained as, and the anomalies it marks.

mod fake;

use atspec::dynamic::Package;

use super::model::{Dir, Entry, Kind};
use super::{Options, choose, explain_recorded, render};
use fake::FAKE;

fn explain(input: &[u8]) -> Vec<Entry> {
    match choose(&[&FAKE], Some("fake"), input, false) {
        Ok(decoded) => decoded.entries,
        Err(e) => panic!("{e}"),
    }
}

/// `(line, dir, kind, text)` of every entry.
fn shape(entries: &[Entry]) -> Vec<(usize, Dir, Kind, &str)> {
    entries
        .iter()
        .map(|e| (e.line, e.dir, e.kind, e.text.as_str()))
        .collect()
}

#[test]
fn a_deferred_commands_completion_is_tied_to_it_and_its_failure_marked() {
    let entries = explain(b"> AT+GET=1\n< OK\n< +RING: 1\n< +GET: 1,603,0\n");
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+GET=1"),
            (2, Modem, Final, "OK"),
            (3, Modem, Urc, "+RING: 1"),
            (4, Modem, Urc, "+GET: 1,603,0"),
        ]
    );
    assert!(
        entries[1]
            .explanation
            .contains("its result comes later as `+GET:`")
    );
    let completion = &entries[3];
    assert_eq!(
        completion
            .command
            .as_ref()
            .map(|c| (c.name.as_str(), c.line)),
        Some(("+GET", 1))
    );
    assert_eq!(completion.meaning.as_deref(), Some("DNS error"));
    assert_eq!(completion.anomalies, ["failure: 603 DNS error"]);
    assert!(entries[..3].iter().all(|e| e.anomalies.is_empty()));
}

#[test]
fn a_completion_that_never_comes_is_an_anomaly_on_its_command() {
    let entries = explain(b"> AT+GET=1\n< OK\n< +GET: 2,200,5\n");
    assert!(
        entries[2]
            .explanation
            .contains("not the request sent on line 1")
    );
    assert_eq!(entries[0].anomalies, ["its completion `+GET:` never came"]);
}

#[test]
fn a_payload_holding_cr_lf_and_ok_is_counted_not_read_as_lines() {
    // A text dump: the payload's line end counts as CR LF.
    let entries = explain(b"AT+READ\n+READ: 8\nab\nOK\nOK\n");
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+READ"),
            (2, Modem, Response, "+READ: 8"),
            (3, Modem, Payload, "ab\\r\\nOK\\r\\n"),
            (5, Modem, Final, "OK"),
        ]
    );
    assert_eq!(entries[2].bytes, Some(8));
    assert!(entries.iter().all(|e| e.anomalies.is_empty()));
}

#[test]
fn raw_bytes_with_an_echo_and_a_urc_inside_the_answer() {
    let entries = explain(b"AT+CSQ\r\r\n+RING: 2\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+CSQ"),
            (3, Modem, Urc, "+RING: 2"),
            (4, Modem, Response, "+CSQ: 20,0"),
            (6, Modem, Final, "OK"),
        ]
    );
    assert!(
        entries[1]
            .explanation
            .contains("inside the answer to +CSQ (line 1)")
    );
    let fields: Vec<(&str, &str)> = entries[2]
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(fields, [("rssi", "20"), ("ber", "0")]);
}

#[test]
fn an_echo_after_the_sent_command_is_the_modems() {
    let entries = explain(b"> AT+CSQ\n< AT+CSQ\n< +CSQ: 9,9\n< OK\n");
    assert_eq!(entries[1].kind, Kind::Echo);
    assert_eq!(entries[1].dir, Dir::Modem);
    assert_eq!(entries[2].kind, Kind::Response);
}

#[test]
fn a_raw_capture_of_both_directions_shows_the_command_then_its_echo() {
    let entries = explain(b"AT+CSQ\rAT+CSQ\r\r\n+CSQ: 1,2\r\n\r\nOK\r\n");
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+CSQ"),
            (2, Modem, Echo, "AT+CSQ"),
            (4, Modem, Response, "+CSQ: 1,2"),
            (6, Modem, Final, "OK"),
        ]
    );
    assert!(entries.iter().all(|e| e.anomalies.is_empty()));
}

#[test]
fn answers_without_a_command_and_commands_without_a_result_are_anomalies() {
    let entries = explain(b"< +CSQ: 9,9\n< OK\n> AT+CSQ\n> AT\n< OK\n> AT+READ\n");
    assert_eq!(
        entries[0].anomalies,
        ["an answer with no command in flight"]
    );
    assert_eq!(
        entries[1].anomalies,
        ["a final result with no command in flight"]
    );
    assert_eq!(
        entries[2].anomalies,
        ["no final result: the next command came on line 4"]
    );
    assert!(entries[3].anomalies.is_empty() && entries[4].anomalies.is_empty());
    assert_eq!(
        entries[5].anomalies,
        ["no final result before the capture ends"]
    );
}

#[test]
fn failure_codes_carry_their_meanings_and_a_detail_lines_reason() {
    let entries = explain(b"> AT+CSQ\n< +CME ERROR: 10\n> AT\n< +DETAIL: 0x01090000\n< ERROR\n");
    assert_eq!(entries[1].meaning.as_deref(), Some("SIM not inserted"));
    assert_eq!(
        entries[1].anomalies,
        ["failure: +CME ERROR 10 (SIM not inserted)"]
    );
    assert_eq!(entries[3].kind, Kind::Response);
    assert_eq!(
        entries[3].meaning.as_deref(),
        Some("parameter out of range")
    );
    assert!(entries[3].anomalies.is_empty());
    assert!(entries[4].anomalies[0].contains("reason on line 4"));
    assert!(entries[4].anomalies[0].contains("parameter out of range"));
}

#[test]
fn uploads_after_a_bare_prompt_take_their_counted_or_terminated_data() {
    let entries =
        explain(b"AT+SEND=8\r\r\n> ab\r\nOK\r\nDATA OK\r\nAT+TEXT\r\r\n> x\r\ny\x1a\r\nOK\r\n");
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+SEND=8"),
            (3, Modem, Prompt, "> "),
            (3, Host, Payload, "ab\\r\\nOK\\r\\n"),
            (5, Modem, Final, "DATA OK"),
            (6, Host, Command, "AT+TEXT"),
            (8, Modem, Prompt, "> "),
            (8, Host, Payload, "x\\r\\ny"),
            (10, Modem, Final, "OK"),
        ]
    );
    assert!(entries[6].explanation.ends_with("ended by 0x1a"));
    assert!(
        entries.iter().all(|e| e.anomalies.is_empty()),
        "{entries:#?}"
    );
}

#[test]
fn an_upload_without_its_terminator_stops_at_the_next_result() {
    let entries = explain(b"> AT+TEXT\n< > \n> abc\n< OK\n");
    assert_eq!(entries[2].text, "abc");
    assert_eq!(
        entries[2].anomalies,
        ["the data's end is not in the capture"]
    );
    assert_eq!(entries[3].kind, Kind::Final);
}

#[test]
fn data_mode_runs_to_its_ok() {
    let entries = explain(b"AT+FETCH\r\nCONNECT\r\nab\r\ncd\r\nOK\r\n");
    assert_eq!(entries[1].kind, Kind::Prompt);
    assert_eq!(
        (entries[2].kind, entries[2].text.as_str()),
        (Kind::Payload, "ab\\r\\ncd")
    );
    assert_eq!(entries[3].kind, Kind::Final);
    assert!(entries.iter().all(|e| e.anomalies.is_empty()));
}

#[test]
fn a_payload_cut_short_by_the_end_of_the_capture_is_an_anomaly() {
    let entries = explain(b"AT+READ\r\n+READ: 100\r\nabc");
    assert_eq!(entries[2].bytes, Some(3));
    assert!(entries[2].anomalies[0].starts_with("cut short: 3 of the 100 bytes"));
}

#[test]
fn secrets_are_masked_in_commands_echoes_and_answers_unless_asked_for() {
    let input =
        b"AT+PASS=\"me\",\"hunter2\"\r\r\nOK\r\nAT+PASS?\r\r\n+PASS: \"me\",\"hunter2\"\r\nOK\r\n";
    for json in [false, true] {
        let options = Options {
            modem: Some("fake".into()),
            json,
            show_secrets: false,
        };
        let shown = render(input, &options, &[&FAKE]).unwrap();
        assert!(!shown.stdout.contains("hunter2"), "{}", shown.stdout);
        let asked = render(
            input,
            &Options {
                show_secrets: true,
                ..options
            },
            &[&FAKE],
        )
        .unwrap();
        assert!(asked.stdout.contains("hunter2"));
    }
    let entries = explain(input);
    assert_eq!(entries[0].text, r#"AT+PASS="me","***""#);
    assert_eq!(entries[0].fields[1].value, "***");
    assert_eq!(entries[3].text, r#"+PASS: "me","***""#);
}

/// The made-up package under another name, refusing every command line when
/// `deaf`.
struct Renamed {
    id: &'static str,
    deaf: bool,
}

impl Package for Renamed {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        FAKE.title()
    }
    fn vendor(&self) -> &'static str {
        FAKE.vendor()
    }
    fn modules(&self) -> &'static [&'static str] {
        FAKE.modules()
    }
    fn families(&self) -> &'static [atspec::dynamic::FamilyInfo] {
        FAKE.families()
    }
    fn dialect(&self) -> &'static atspec::Dialect {
        FAKE.dialect()
    }
    fn commands(&self) -> Vec<atspec::dynamic::CommandInfo> {
        FAKE.commands()
    }
    fn parse_command(
        &self,
        line: &[u8],
    ) -> Result<Box<dyn atspec::dynamic::AnyCommand>, atspec::ParseError> {
        if self.deaf {
            return Err(atspec::ParseError::new(line, 0, "nothing"));
        }
        FAKE.parse_command(line)
    }
    fn decode_urc(&self, line: &[u8]) -> Option<Result<atspec::DecodedLine, atspec::ParseError>> {
        FAKE.decode_urc(line)
    }
    fn open(
        &self,
        transport: atspec::dynamic::BoxTransport,
        config: atspec::Config,
    ) -> Box<dyn atspec::dynamic::AnyModem> {
        FAKE.open(transport, config)
    }
}

#[test]
fn without_modem_the_package_reading_most_lines_is_picked_and_ties_are_named() {
    let deaf = Renamed {
        id: "deaf",
        deaf: true,
    };
    let twin = Renamed {
        id: "twin",
        deaf: false,
    };
    let packages: [&dyn Package; 3] = [&deaf, &FAKE, &twin];
    let decoded = choose(&packages, None, b"> AT+CSQ\n< +CSQ: 1,2\n< OK\n", false).unwrap();
    assert_eq!(decoded.package.id(), "fake");
    assert_eq!(
        decoded.header[1],
        "package: fake (Made-up modem), picked: its specs read 3 of 3 lines, the most; \
         twin read as many (equally good; name one with --modem)"
    );
    let e = choose(&packages, Some("nope"), b"", false).err().unwrap();
    assert_eq!(
        e.to_string(),
        "no package is named `nope`; there are: deaf, fake, twin"
    );
}

#[test]
fn bytes_recorded_each_way_are_explained_with_their_directions() {
    let pieces: [(Dir, &[u8]); 3] = [
        (Dir::Host, b"AT+GET=1\r"),
        (Dir::Modem, b"AT+GET=1\r\r\nOK\r\n"),
        (Dir::Modem, b"\r\n+GET: 1,200,5\r\n"),
    ];
    let entries = explain_recorded(&FAKE, &pieces, false);
    use {Dir::*, Kind::*};
    assert_eq!(
        shape(&entries),
        [
            (1, Host, Command, "AT+GET=1"),
            (2, Modem, Echo, "AT+GET=1"),
            (4, Modem, Final, "OK"),
            (6, Modem, Urc, "+GET: 1,200,5"),
        ]
    );
    assert!(entries.iter().all(|e| e.anomalies.is_empty()));
}
