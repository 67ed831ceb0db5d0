//! Spec prose that would break `cargo doc -D warnings` is escaped in generated
//! docs, and what cannot be escaped is a located diagnostic.

use std::path::Path;

use atspec_codegen::load::read_spec_tree;
use atspec_codegen::{GenerateError, generate_from};

fn fixture(case: &str) -> Vec<atspec_codegen::load::SpecFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    read_spec_tree(&dir).expect("fixture readable")
}

#[test]
fn brackets_tags_urls_and_stray_backticks_are_escaped() {
    let outputs = generate_from(&fixture("doc_text_escaped")).unwrap_or_else(|e| panic!("{e}"));
    let module = outputs
        .iter()
        .find(|(p, _)| p == "crates/atspec-demo/src/demo.rs")
        .map(|(_, text)| text.as_str())
        .expect("module generated");
    for wanted in [
        r"/// Demo command \[DATA,\] of &lt;mode&gt;.",
        r"AT+DEMO=&lt;mode&gt;\[,&lt;n&gt;\]\[...\]; see <http://example.com/demo>.",
        "A code span `may go on\n",
        "/// over a line break`, and a lone ``` ` ``` is code.",
    ] {
        assert!(module.contains(wanted), "missing {wanted:?} in:\n{module}");
    }
}

#[test]
fn text_the_docs_cannot_render_is_reported_where_it_stands() {
    let found = match generate_from(&fixture("doc_text_unrenderable")) {
        Err(GenerateError::Specs(d)) => d.0,
        other => panic!("accepted or failed otherwise: {other:?}"),
    };
    let at = |text: &str| {
        found
            .iter()
            .find(|d| d.message.contains(text))
            .map(|d| (d.file.as_str(), d.line, d.column))
            .unwrap_or_else(|| panic!("no diagnostic mentions {text:?}: {found:#?}"))
    };
    assert_eq!(
        at("`notes` has a backtick that opens a code span and none closes it"),
        ("specs/demo/demo.yaml", 17, 40)
    );
    assert_eq!(
        at("`public` must be an http:// or https:// URL"),
        ("specs/demo/package.yaml", 8, 13)
    );
    assert_eq!(
        at("the URL in `location` contains white space"),
        ("specs/demo/package.yaml", 11, 15)
    );
}
