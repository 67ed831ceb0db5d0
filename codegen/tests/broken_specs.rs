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
fn a_misspelt_key_names_the_nearest_valid_key() {
    expect("unknown_field", MODULE, 19, 54, "did you mean `max`?");
}

#[test]
fn misspelt_references_name_the_nearest_declared_name() {
    let case = "misspelt_names";
    expect(
        case,
        MODULE,
        18,
        56,
        "unknown table `mdoe` in package `demo`; did you mean `mode`?",
    );
    expect(
        case,
        MODULE,
        16,
        30,
        "placeholder `<count>` has no declaration in `params`/`fields`; did you mean `cuont`?",
    );
    expect(
        case,
        MODULE,
        24,
        26,
        "unknown URC `demo_dnoe`; did you mean `demo_done`?",
    );
    // Examples are checked only once every definition is sound: their own case.
    expect(
        "misspelt_expect",
        MODULE,
        31,
        15,
        "`expect` names `cuont`, which is no field of `+DEMODONE: <count>`; did you mean `count`?",
    );
}

#[test]
fn an_example_command_matching_nothing_names_the_nearest_syntax() {
    expect(
        "example_unknown_command",
        MODULE,
        31,
        15,
        "matches the syntax of no command in this package or its dependencies; did you mean `AT+DEMO=<mode>,<n>`?",
    );
}

/// The generated files of a fixture that must generate.
fn generated(case: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let files = read_spec_tree(&dir).expect("fixture readable");
    generate_from(&files).unwrap_or_else(|e| panic!("{case}: {e}"))
}

#[test]
fn example_lines_go_to_the_urc_the_runtime_picks_the_longest_prefix() {
    // `+DEMODONE: 5` starts like `+DEMO<detail>` (declared first) and `+DEMODONE: <n>`;
    // the generated `Urc::parse` tries the longer prefix first, and so does the checker.
    let outputs = generated("urc_longest_prefix");
    let tests = outputs
        .iter()
        .find(|(p, _)| p.ends_with("tests/examples_demo.rs"))
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| {
            panic!(
                "no examples test in {:?}",
                outputs.iter().map(|(p, _)| p).collect::<Vec<_>>()
            )
        });
    assert!(tests.contains("Urc::DemoDone"), "{tests}");
    assert!(!tests.contains("Urc::DemoEvent"), "{tests}");
}

#[test]
fn an_expectation_for_a_urc_the_runtime_would_not_pick_is_refused() {
    expect(
        "urc_expect_of_shorter",
        MODULE,
        38,
        15,
        "`expect` names `detail`, which is no field of `+DEMODONE: <n>`",
    );
}

#[test]
fn an_expected_value_the_line_does_not_give_is_refused_at_the_example() {
    let case = "example_wrong_value";
    expect(
        case,
        MODULE,
        40,
        22,
        "`expect` gives `n: 7`, but `+DEMODONE: 5` reads `n` as `5`",
    );
    expect(
        case,
        MODULE,
        44,
        15,
        "`+DEMODONE: five` gives `five` for `n`, which the line's parser cannot read as an integer",
    );
    expect(
        case,
        MODULE,
        49,
        15,
        "`+DEMONOTE: 1,2` gives optional field `b` (`2`), which `expect` leaves out",
    );
}

#[test]
fn a_misspelt_result_field_names_the_nearest_enum_field() {
    expect(
        "misspelt_result_field",
        MODULE,
        20,
        69,
        "`result_field` must name an enum field of URC `demo_done`; did you mean `status`?",
    );
}

#[test]
fn an_override_for_an_undeclared_family_names_the_nearest_one() {
    expect(
        "family_unknown",
        MODULE,
        25,
        23,
        "unknown family `bgi`; package.yaml declares `small`, `big`; did you mean `big`?",
    );
    expect(
        "family_unknown",
        MODULE,
        28,
        12,
        "unknown family `smal`; package.yaml declares `small`, `big`; did you mean `small`?",
    );
    // The field stands without the override: nothing that uses it is reported.
    let found = diagnostics("family_unknown");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn an_override_of_a_key_the_field_type_lacks_is_reported() {
    expect(
        "family_wrong_key",
        MODULE,
        25,
        39,
        "family `big` overrides `max_len`, which a field of type Int does not have",
    );
    let found = diagnostics("family_wrong_key");
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn an_override_of_a_fact_a_field_does_not_have_lists_the_keys() {
    expect("family_unknown_key", MODULE, 25, 30, "timeout_ms");
}

#[test]
fn two_shapes_with_one_command_line_must_not_share_a_family() {
    expect(
        "family_overlap",
        MODULE,
        48,
        19,
        "`ReadShort` and `ReadTagged` have the same command line `AT+READ=<n>` on family `small`",
    );
}

#[test]
fn an_example_of_a_family_that_lacks_its_command_is_reported() {
    expect(
        "family_example",
        MODULE,
        62,
        16,
        "the example sends `AT+BIG`, which family `small` does not have",
    );
    let found = diagnostics("family_example");
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn a_form_stays_within_the_families_of_its_command() {
    expect(
        "family_only",
        MODULE,
        34,
        14,
        "family `small` is not among those of the command (big)",
    );
    expect(
        "family_only",
        MODULE,
        31,
        13,
        "`only: []` leaves the form to no family; leave it out instead",
    );
}

/// Asserts that `case` is refused with exactly one diagnostic: the first error on a
/// value causes no second one.
fn expect_only(case: &str, file: &str, line: u64, column: u64, text: &str) {
    expect(case, file, line, column, text);
    let found = diagnostics(case);
    assert_eq!(found.len(), 1, "{case}: knock-on diagnostics: {found:#?}");
}

#[test]
fn min_above_max_causes_no_unused_parameter_diagnostic() {
    expect_only(
        "min_above_max",
        MODULE,
        19,
        51,
        "min 20 is greater than max 10",
    );
}

#[test]
fn a_pattern_that_does_not_compile() {
    expect_only(
        "pattern_invalid",
        MODULE,
        26,
        60,
        "pattern `[a-` does not compile",
    );
}

#[test]
fn a_default_without_a_required_prefix() {
    expect_only(
        "prefix_default",
        MODULE,
        26,
        91,
        "breaks the `prefix`/`pattern` rule of `url`",
    );
}

#[test]
fn quoted_on_a_text_field() {
    expect_only(
        "quoted_text",
        MODULE,
        26,
        39,
        "`quoted` does not apply to a field of type Text",
    );
}

#[test]
fn unit_on_a_string() {
    expect_only(
        "unit_on_string",
        MODULE,
        26,
        57,
        "`unit` does not apply to a field of type String",
    );
}

#[test]
fn extends_an_unknown_table_suggests_the_nearest() {
    expect_only(
        "extends_unknown",
        MODULE,
        15,
        14,
        "names no table of this package or of a dependency (`<table>` or `<package>.<table>`); did you mean `mode`?",
    );
}

#[test]
fn extends_cycle_is_reported_once() {
    expect_only(
        "extends_cycle",
        MODULE,
        15,
        14,
        "table `first` extends itself: first → second → first",
    );
}

#[test]
fn an_input_timeout_needs_a_duration_unit() {
    expect_only(
        "input_timeout_unit",
        MODULE,
        27,
        81,
        "`input_timeout` reads `wait` as a duration: give it `unit: ms` or `unit: s` (not `bytes`)",
    );
}

#[test]
fn tables_sharing_a_code_need_prefer() {
    expect_only(
        "tables_overlap",
        MODULE,
        24,
        64,
        "code 1 is in both `mode` and `state`: say which table it belongs to with `prefer: <table>`",
    );
}

#[test]
fn an_unknown_table_in_tables_suggests_the_nearest() {
    expect_only(
        "tables_unknown",
        MODULE,
        24,
        64,
        "unknown table `stat` in package `demo`; did you mean `state`?",
    );
}

#[test]
fn a_payload_length_cannot_be_quoted() {
    expect_only(
        "payload_length_quoted",
        MODULE,
        29,
        30,
        "a payload length is read as a bare number: its field cannot be `quoted`",
    );
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
