//! Which constructors can fail, on the code the generator writes for
//! `fixtures/infallible`: a constructor that can refuse nothing returns the command,
//! every other one a `Result`, and the docs and golden tests follow.

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;

fn generated(path: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/infallible");
    let files = read_spec_tree(&dir).expect("fixture readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    outputs
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("{path} not generated"))
}

/// The `impl <ident> {` block of a command struct, whitespace removed.
fn inherent_impl(source: &str, ident: &str) -> String {
    let start = format!("impl {ident} {{");
    let at = source
        .find(&start)
        .unwrap_or_else(|| panic!("no `{start}`"));
    let rest = &source[at..];
    let end = rest.find("\n}").map_or(rest.len(), |end| end + 2);
    rest[..end].split_whitespace().collect()
}

const FALLIBLE: &str = "->Result<Self,::atspec::ParamError>";

#[test]
fn constructors_that_can_refuse_nothing_return_the_command() {
    let source = generated("crates/atspec-demo/src/demo.rs");
    let ping = inherent_impl(&source, "PingExec");
    assert!(ping.contains("pubfnnew()->Self{"), "{ping}");
    assert!(
        ping.contains("pubfnnew_for(model:crate::Model)->Self{"),
        "{ping}"
    );
    assert!(
        ping.contains("Ithasnoparameters,sothiscannotfail."),
        "{ping}"
    );
    assert!(
        ping.contains("Ok(Self::new())"),
        "parse wraps the command: {ping}"
    );
    let handle = inherent_impl(&source, "HandleWrite");
    assert!(handle.contains("pubfnnew(h:u32)->Self{"), "{handle}");
    assert!(!handle.contains("check_range"), "{handle}");
    assert!(handle.contains("Thiscannotfail"), "{handle}");
}

#[test]
fn constructors_that_can_refuse_a_value_keep_their_result() {
    let source = generated("crates/atspec-demo/src/demo.rs");
    for (ident, why) in [
        ("PartWrite", "a narrower range"),
        ("SetmodeWrite", "an enum's unlisted codes"),
        ("SpanWrite", "a group whose parameters come together"),
    ] {
        let block = inherent_impl(&source, ident);
        assert!(
            block.contains(&format!("){FALLIBLE}")),
            "{ident} ({why}): {block}"
        );
        assert!(!block.contains("cannotfail"), "{ident}: {block}");
    }
    // `new_for` keeps its Result where a family lacks the shape or limits a value.
    let big = inherent_impl(&source, "BigExec");
    assert!(big.contains("pubfnnew()->Self{"), "{big}");
    assert!(
        big.contains(&format!("pubfnnew_for(model:crate::Model){FALLIBLE}")),
        "{big}"
    );
    let limit = inherent_impl(&source, "LimitWrite");
    assert!(limit.contains("pubfnnew(n:u8)->Self{"), "{limit}");
    assert!(
        limit.contains(&format!("pubfnnew_for(model:crate::Model,n:u8){FALLIBLE}")),
        "{limit}"
    );
}

#[test]
fn golden_tests_unwrap_only_constructors_that_can_fail() {
    let test: String = generated("crates/atspec-demo/tests/examples_demo.rs")
        .split_whitespace()
        .collect();
    assert!(
        test.contains("letcommand=::atspec_demo::demo::PingExec::new();"),
        "{test}"
    );
    assert!(
        test.contains("::atspec_demo::demo::PartWrite::new(3).expect("),
        "{test}"
    );
}
