//! Each folder of `fixtures/` holds one broken spec package; each test asserts
//! that the generator refuses it with the right message at the right place.

mod fixture_support;

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;
use fixture_support::{MODULE, diagnostics, expect};

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
fn a_misspelt_key_names_the_nearest_valid_key() {
    expect("unknown_field", MODULE, 19, 54, "did you mean `max`?");
}

#[test]
fn a_line_name_that_reads_as_a_urc_type() {
    expect(
        "line_name_reserved",
        MODULE,
        22,
        11,
        "line name `demo_done_urc` ends in `_urc`: generated types ending that way are URCs",
    );
}
