//! Generated docs cite manuals by title, version and section, link a public
//! location where the spec gives one, and never name the spec authors' files.

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;

fn generated(case: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let files = read_spec_tree(&dir).expect("fixture readable");
    generate_from(&files).unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn file<'a>(outputs: &'a [(String, String)], path: &str) -> &'a str {
    outputs
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("{path} not generated"))
}

#[test]
fn items_cite_title_version_and_section_with_the_public_link() {
    let outputs = generated("citations");
    let module = file(&outputs, "crates/atspec-demo/src/demo.rs");
    assert!(
        module.contains(
            "[Demo AT Command Manual V2.01 (2020-01-31)](https://example.com/demo-manual.pdf), section 3.2 AT+DEMO"
        ),
        "{module}"
    );
    // A manual without a public location is cited by title alone.
    assert!(
        module.contains("Manual: Demo Application Note, section 4.1."),
        "{module}"
    );
}

#[test]
fn the_source_list_names_no_private_path() {
    let outputs = generated("citations");
    let lib = file(&outputs, "crates/atspec-demo/src/lib.rs");
    assert!(
        lib.contains(
            "- `M`: [Demo AT Command Manual V2.01 (2020-01-31)](https://example.com/demo-manual.pdf): chapter 3 only"
        ),
        "{lib}"
    );
    for (path, text) in outputs.iter().filter(|(p, _)| p.ends_with(".rs")) {
        assert!(!text.contains("shared/"), "{path} names a private path");
    }
}

#[test]
fn no_generated_crate_of_the_repository_names_a_private_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = read_spec_tree(&root.join("specs")).expect("specs readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in outputs.iter().filter(|(p, _)| p.ends_with(".rs")) {
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("shared/manuals") && !line.contains("shared/reference"),
                "{path}:{}: {line}",
                n + 1
            );
        }
    }
}
