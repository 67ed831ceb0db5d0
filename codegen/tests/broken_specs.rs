//! Each folder of `fixtures/` holds one broken spec package; each test asserts
//! that the generator refuses it with the right message at the right place.

use std::path::Path;

use atspec_codegen::load::read_spec_tree;
use atspec_codegen::{Diagnostic, GenerateError, generate_from};

fn diagnostics(case: &str) -> Vec<Diagnostic> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let files = read_spec_tree(&dir).expect("fixture readable");
    match generate_from(&files) {
        Err(GenerateError::Specs(d)) => d.0,
        Err(other) => panic!("{case}: unexpected error {other}"),
        Ok(_) => panic!("{case}: the broken spec was accepted"),
    }
}

/// Asserts one diagnostic at `line:column` of the module file whose message holds `text`.
fn expect(case: &str, file: &str, line: u64, column: u64, text: &str) {
    let found = diagnostics(case);
    let hit = found.iter().find(|d| d.message.contains(text));
    let Some(d) = hit else {
        panic!("{case}: no diagnostic mentions {text:?}; got:\n{found:#?}")
    };
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (file, line, column),
        "{case}: {d}"
    );
    let rendered = d.to_string();
    assert!(
        rendered.contains(&format!("{file}:{line}:{column}")),
        "{rendered}"
    );
    assert!(
        rendered.contains('^'),
        "the snippet points at the column: {rendered}"
    );
}

const MODULE: &str = "specs/demo/demo.yaml";

#[test]
fn the_valid_fixture_generates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let files = read_spec_tree(&dir).expect("fixture readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outputs
            .iter()
            .any(|(p, _)| p == "crates/atspec-demo/src/demo.rs")
    );
}

#[test]
fn duplicate_key() {
    expect("duplicate_key", MODULE, 4, 1, "duplicate");
}

#[test]
fn unknown_field() {
    expect("unknown_field", MODULE, 19, 54, "maxx");
}

#[test]
fn min_above_max() {
    expect(
        "min_above_max",
        MODULE,
        19,
        51,
        "min 20 is greater than max 10",
    );
}

#[test]
fn dangling_table_reference() {
    expect("dangling_table", MODULE, 18, 56, "unknown table `modes`");
}

#[test]
fn dangling_urc_reference() {
    expect(
        "dangling_urc",
        MODULE,
        20,
        26,
        "unknown URC `demo_finished`",
    );
}

#[test]
fn default_outside_range() {
    expect(
        "default_out_of_range",
        MODULE,
        19,
        72,
        "11 is outside the range 0..=10",
    );
}

#[test]
fn example_value_outside_range() {
    expect(
        "example_out_of_range",
        MODULE,
        31,
        15,
        "50 is outside the range 0..=10",
    );
}

#[test]
fn example_matching_no_command() {
    expect(
        "example_unknown_command",
        MODULE,
        31,
        15,
        "matches the syntax of no command",
    );
}

#[test]
fn urc_prefix_clashing_with_a_response() {
    expect(
        "urc_prefix_clash",
        MODULE,
        31,
        15,
        "starts like the response",
    );
}

#[test]
fn missing_schema_line() {
    expect(
        "missing_schema_line",
        MODULE,
        1,
        1,
        "first line must name the schema",
    );
}

#[test]
fn unknown_manual() {
    expect("unknown_manual", MODULE, 4, 19, "unknown manual `X`");
}

#[test]
fn undeclared_placeholder() {
    expect(
        "undeclared_placeholder",
        MODULE,
        16,
        34,
        "`<extra>` has no declaration",
    );
}

#[test]
fn duplicate_code_value() {
    expect("duplicate_code", MODULE, 11, 17, "appears twice");
}

#[test]
fn detail_field_must_be_an_enum() {
    expect(
        "detail_field_not_enum",
        MODULE,
        20,
        69,
        "`detail_field` must name an enum field of URC `demo_done`",
    );
}

#[test]
fn secret_fields_are_strings_of_commands_or_responses() {
    expect(
        "secret_on_urc",
        MODULE,
        26,
        17,
        "`secret` applies to command parameters and response lines",
    );
    expect(
        "secret_on_urc",
        MODULE,
        26,
        17,
        "`secret` applies to string fields",
    );
}

#[test]
fn an_acknowledged_upload_names_a_parameter() {
    expect(
        "ack_unknown_param",
        MODULE,
        21,
        69,
        "`ack.param` must name an int or enum parameter",
    );
}

#[test]
fn absent_lines_must_be_mandatory_response_lines_that_parse() {
    let case = "absent_misuse";
    expect(
        case,
        MODULE,
        17,
        28,
        "an absent line announces no bytes: `len`",
    );
    expect(
        case,
        MODULE,
        29,
        28,
        "`absent` is for a line the response otherwise always has",
    );
    expect(
        case,
        MODULE,
        40,
        28,
        "`absent.means` `+STAT: 0` is not a `+STATE: <on>` line",
    );
    expect(
        case,
        MODULE,
        47,
        22,
        "`absent` applies to response lines, not URCs",
    );
}

#[test]
fn end_markers_belong_to_data_lines_their_completion_reads() {
    let case = "end_marker_misuse";
    expect(
        case,
        MODULE,
        21,
        69,
        "`end_marker` applies to the data line of a completion",
    );
    expect(
        case,
        MODULE,
        39,
        63,
        "no `completion.data` names `spare_data`",
    );
    expect(
        case,
        MODULE,
        10,
        42,
        "the end marker line `+GET: DATA,0` of `get_data` is not a `+GET: <err>` line",
    );
}

#[test]
fn an_accepted_liberty_is_listed_once() {
    expect(
        "accepts_twice",
        "specs/demo/package.yaml",
        9,
        39,
        "listed twice in `accepts`",
    );
}

#[test]
fn only_the_diagnosed_misuses_are_reported() {
    // A misused end marker does not make the command that names its line look unused.
    let found = diagnostics("end_marker_misuse");
    assert!(
        !found.iter().any(|d| d.message.contains("names `get_data`")),
        "{found:#?}"
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(diagnostics("absent_misuse").len(), 4);
}

#[test]
fn a_second_payload_line_in_one_response_is_refused() {
    let case = "dropped_payload";
    expect(
        case,
        MODULE,
        22,
        30,
        "a response announces at most one payload, and `get_head` already does: the bytes of `get_body` would be read as lines",
    );
    expect(
        case,
        MODULE,
        41,
        30,
        "their bytes must be placed alike: `put_same` differs from `put_next`",
    );
    assert_eq!(diagnostics(case).len(), 2, "{:#?}", diagnostics(case));
}

#[test]
fn one_of_groups_are_adjacent_lines_that_arrive_once() {
    let case = "one_of_misuse";
    expect(
        case,
        MODULE,
        12,
        19,
        "`one_of` group `state` has one line (`one_only`)",
    );
    expect(
        case,
        MODULE,
        29,
        19,
        "`apart_b` is in `one_of` group `state`, so it arrives exactly once",
    );
    expect(
        case,
        MODULE,
        41,
        19,
        "the lines of `one_of` group `state` must be adjacent",
    );
    expect(
        case,
        MODULE,
        52,
        19,
        "`one_of` group `clash_b` has the name of the response line `clash_b`",
    );
    expect(
        case,
        MODULE,
        61,
        13,
        "`one_of` applies to response lines, not URCs",
    );
    assert_eq!(diagnostics(case).len(), 5, "{:#?}", diagnostics(case));
}

#[test]
fn templates_the_generated_parsers_cannot_read_are_refused() {
    let case = "template_shapes_misuse";
    expect(
        case,
        MODULE,
        9,
        15,
        "an optional group of fixed text in a command would never be sent",
    );
    expect(
        case,
        MODULE,
        18,
        21,
        "an optional group inside another group is followed by required text",
    );
    expect(
        case,
        MODULE,
        30,
        21,
        "5 optional groups are followed by required text, so the line is tried 32 ways",
    );
    assert_eq!(diagnostics(case).len(), 3, "{:#?}", diagnostics(case));
}
