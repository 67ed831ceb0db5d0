//! Mistakes in value rules, each the only diagnostic of its fixture.

mod fixture_support;

use fixture_support::{MODULE, expect_only};

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
fn string_rules_on_a_number_are_refused() {
    // `forbid`, `reserved` and `ascii_only` are checked by the string rules only;
    // on another type they would be silently ignored.
    expect_only(
        "string_rules_on_int",
        MODULE,
        19,
        41,
        "`ascii_only/forbid/reserved` does not apply to a field of type Int",
    );
}
