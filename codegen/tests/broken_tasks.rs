//! `tasks.yaml` mistakes refused at spec time, each at its file, line and column.

mod fixture_support;

use fixture_support::{diagnostics, expect};

const TASKS: &str = "specs/demo/tasks.yaml";

#[test]
fn a_chunk_larger_than_its_parameter_takes_is_refused() {
    expect(
        "task_steps_broken",
        TASKS,
        10,
        46,
        "`chunks.size` is 1024, but `length` of `+DREAD write` takes at most 512",
    );
}

#[test]
fn a_misspelt_command_shape_names_the_nearest_one() {
    expect(
        "task_steps_broken",
        TASKS,
        12,
        12,
        "no command shape `+DRAED write` in this package or its dependencies",
    );
    let found = diagnostics("task_steps_broken");
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("did you mean `+DREAD write`?")),
        "{found:#?}"
    );
    assert_eq!(found.len(), 2, "one diagnostic per mistake: {found:#?}");
}

#[test]
fn a_misspelt_key_of_the_http_task_is_refused_at_the_key() {
    expect(
        "task_unknown_key",
        TASKS,
        8,
        3,
        "unknown field `finaly`, expected one of",
    );
}

#[test]
fn a_total_needs_its_own_steps_number_field_and_an_id() {
    expect(
        "task_totals_broken",
        TASKS,
        10,
        14,
        "a step with `total` needs an `id` to read its own field by",
    );
    expect(
        "task_totals_broken",
        TASKS,
        15,
        14,
        "`total` must be a number field of this step (`$piece.<field>`)",
    );
    expect(
        "task_totals_broken",
        TASKS,
        18,
        17,
        "the download targets here are `$output.body` and `$output.headers`",
    );
    let found = diagnostics("task_totals_broken");
    assert_eq!(found.len(), 3, "one diagnostic per mistake: {found:#?}");
}

#[test]
fn a_network_up_that_picks_a_line_is_no_condition() {
    expect(
        "task_results_broken",
        TASKS,
        15,
        11,
        "network `up` must be a condition",
    );
}

#[test]
fn a_pick_whose_condition_tests_other_lines_is_refused() {
    expect(
        "task_results_broken",
        TASKS,
        16,
        16,
        "`where $one.cid == 1` must test a field of the same lines as `$ctx.addr` (step `ctx`)",
    );
}

#[test]
fn a_pick_from_a_one_line_response_is_refused() {
    expect(
        "task_results_broken",
        TASKS,
        29,
        13,
        "`$one.code` is a field of step `one`'s one response line: read it without `where`",
    );
}

#[test]
fn a_picked_result_the_task_cannot_return_is_refused() {
    expect(
        "task_results_broken",
        TASKS,
        30,
        13,
        "`length` must read a number field of a step's one line or completion",
    );
    assert_eq!(
        diagnostics("task_results_broken").len(),
        4,
        "one diagnostic per mistake"
    );
}
