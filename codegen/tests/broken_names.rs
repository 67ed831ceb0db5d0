//! Misspelt names and example checks: the nearest valid name in each message, the
//! runtime's URC matching rule, and example values checked at spec time.

mod fixture_support;

use fixture_support::{MODULE, expect, generated};

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
