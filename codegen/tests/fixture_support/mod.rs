//! Shared by the broken-spec tests: generate a fixture package of `fixtures/` and
//! assert where and how the generator refuses it.
// Each test file uses a part of this module.
#![allow(dead_code)]

use std::path::Path;

use atspec_codegen::load::read_spec_tree;
use atspec_codegen::{Diagnostic, GenerateError, generate_from};

/// The module file of every fixture package.
pub const MODULE: &str = "specs/demo/demo.yaml";

pub fn diagnostics(case: &str) -> Vec<Diagnostic> {
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
pub fn expect(case: &str, file: &str, line: u64, column: u64, text: &str) {
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

/// The generated files of a fixture that must generate.
pub fn generated(case: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let files = read_spec_tree(&dir).expect("fixture readable");
    generate_from(&files).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// Asserts that `case` is refused with exactly one diagnostic: the first error on a
/// value causes no second one.
pub fn expect_only(case: &str, file: &str, line: u64, column: u64, text: &str) {
    expect(case, file, line, column, text);
    let found = diagnostics(case);
    assert_eq!(found.len(), 1, "{case}: knock-on diagnostics: {found:#?}");
}
