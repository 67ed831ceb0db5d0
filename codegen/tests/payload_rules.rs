//! The payload-length functions the generator writes for a fixture package whose
//! download ends with a line shaped like an empty chunk (`+GET: <len>` chunks of
//! 1..=1024 bytes, then `+GET: 0`): the marker and lengths below the declared
//! minimum announce no bytes, so the client hands such a line to the completion.

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;

fn generated(path: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/end_marker");
    let files = read_spec_tree(&dir).expect("fixture readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    outputs
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("{path} was not generated"))
}

/// The text of the `DATA` rule of the deferred `+GET` command.
fn data_rule(module: &str) -> &str {
    let start = module
        .find("const DATA: Option<::atspec::PayloadRule>")
        .expect("the command has a DATA rule");
    let end = module[start..]
        .find("fn parse_completion")
        .expect("the rule is followed by parse_completion");
    &module[start..start + end]
}

#[test]
fn the_data_rule_refuses_the_end_marker_and_lengths_below_the_minimum() {
    let module = generated("crates/atspec-demo/src/demo.rs");
    let rule = data_rule(&module);
    assert!(rule.contains("prefix: \"+GET:\""), "{rule}");
    let marker = rule
        .find("if len as u64 == 0u64")
        .expect("the end marker 0 is refused");
    let range = rule
        .find("if (len as u64) < 1u64")
        .expect("the declared minimum 1 is applied");
    let accepted = rule
        .find("return Ok((len, p.offset()))")
        .expect("other lengths are read");
    assert!(marker < accepted && range < accepted, "{rule}");
}

#[test]
fn the_generated_property_test_covers_the_marker_and_the_range_ends() {
    let tests = generated("crates/atspec-demo/tests/wire_demo.rs");
    let start = tests
        .find("fn command_get_exec_data_lengths_follow_the_spec")
        .expect("a property test of the DATA rule");
    let test = &tests[start..];
    assert!(test.contains("DeferredCommand>::DATA"), "{test}");
    // From the minimum up to the largest value of the field's type: a length past
    // the manual's maximum is still read.
    assert!(test.contains("len in 1u16..= 65535u16"), "{test}");
    // Below the minimum (also the end marker).
    assert!(test.contains("for refused in [0u16]"), "{test}");
}
