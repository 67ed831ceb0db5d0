//! Value rules that no spec of the repository uses yet, checked on the code the
//! generator writes for `fixtures/value_rules_ok`: a table extending another of the
//! same package, quoted integers, and `unconfirmed` on a form and on an example.

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;

/// The generated file at `path` (relative to the repository root).
fn generated(path: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/value_rules_ok");
    let files = read_spec_tree(&dir).expect("fixture readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    outputs
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("{path} not generated"))
}

/// The text between `start` and the next line that is exactly `}`.
fn item<'a>(source: &'a str, start: &str) -> &'a str {
    let at = source.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let rest = &source[at..];
    &rest[..rest.find("\n}").map_or(rest.len(), |end| end + 2)]
}

#[test]
fn a_table_inherits_the_codes_of_a_table_of_its_own_package() {
    let source = generated("crates/atspec-demo/src/demo.rs");
    let modes = item(&source, "pub enum MoreModes");
    let order: Vec<usize> = ["Off,", "On,", "Auto,"]
        .iter()
        .map(|v| modes.find(v).unwrap_or_else(|| panic!("{v} in {modes}")))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "inherited first: {modes}"
    );
}

#[test]
fn a_quoted_integer_is_written_and_read_between_quotes() {
    let source = generated("crates/atspec-demo/src/demo.rs");
    let compact: String = source.split_whitespace().collect();
    assert!(
        compact.contains(r#"w.literal("\"");w.int(self.id);w.literal("\"");"#),
        "the command writes the id quoted"
    );
    assert!(
        compact.contains(r#"uint_quoted::<u8>("id",::atspec::parse::Quoting::Always)"#),
        "the command parser requires the quotes"
    );
    assert!(
        compact.contains(r#"uint_quoted::<u8>("id",::atspec::parse::Quoting::Optional)"#),
        "the URC parser takes the id quoted or bare"
    );
}

#[test]
fn unconfirmed_forms_and_examples_are_documented() {
    let source = generated("crates/atspec-demo/src/demo.rs");
    assert!(
        source.contains("UNCONFIRMED: The write form is only in a later manual."),
        "form"
    );
    let examples = generated("crates/atspec-demo/tests/examples_demo.rs");
    assert!(
        examples.contains("UNCONFIRMED: The manual prints the id bare; the modem quotes it."),
        "example"
    );
}
