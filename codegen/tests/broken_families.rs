//! Mistakes in module families, each reported at its key.

mod fixture_support;

use fixture_support::{MODULE, diagnostics, expect};

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
        "`ReadShortWrite` and `ReadTaggedWrite` have the same command line `AT+READ=<n>` on family `small`",
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

#[test]
fn a_family_module_the_package_does_not_list_is_reported_at_it() {
    let package = "specs/demo/package.yaml";
    let found = diagnostics("family_module_unknown");
    // The fixture's module file has mistakes of its own; only this one is about modules.
    let about_modules: Vec<_> = found
        .iter()
        .filter(|d| d.message.contains("`modules:`"))
        .collect();
    assert_eq!(about_modules.len(), 1, "{found:#?}");
    expect(
        "family_module_unknown",
        package,
        12,
        22,
        "family `big` names module `DM300`, which the package's `modules:` does not list",
    );
}
