//! Templates, one-of groups and payload lines the generated parsers cannot read.

mod fixture_support;

use fixture_support::{MODULE, diagnostics, expect};

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
