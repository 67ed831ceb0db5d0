//! The generated `__fuzz` hooks the fuzz targets in `fuzz/` rely on: every
//! response line and URC of every manual example is run by its package's
//! `check_line` (so no line type is left out of the fuzzing) and round-trips.

use std::path::Path;

use atspec_codegen::ir::Step;
use atspec_codegen::load::{parse_packages, read_spec_tree};
use atspec_codegen::resolve::resolve;

type CheckLine = fn(&[u8]) -> Result<usize, String>;

fn check_line(package: &str) -> CheckLine {
    match package {
        "common" => atspec_common::__fuzz::check_line,
        "sim800" => atspec_sim800::__fuzz::check_line,
        "a76xx" => atspec_a76xx::__fuzz::check_line,
        "ec200u" => atspec_ec200u::__fuzz::check_line,
        "esp_at" => atspec_esp_at::__fuzz::check_line,
        "fixture_templates" => atspec_fixture_templates::__fuzz::check_line,
        "fixture_families" => atspec_fixture_families::__fuzz::check_line,
        "fixture_tasks" => atspec_fixture_tasks::__fuzz::check_line,
        other => panic!("package `{other}` has no hook in this test: add it"),
    }
}

#[test]
fn every_example_line_is_checked_by_its_package_hook() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = read_spec_tree(&specs).expect("specs readable");
    let raw = parse_packages(&files).expect("specs load");
    let packages = resolve(&raw).expect("specs resolve");
    let mut checked = 0;
    for package in &packages {
        let check = check_line(&package.name);
        for example in package.modules.iter().flat_map(|m| &m.examples) {
            for step in &example.steps {
                let (Step::Response { line, .. } | Step::Urc { line, .. }) = step else {
                    continue;
                };
                match check(line.as_bytes()) {
                    Ok(0) => panic!(
                        "{}: no line type of the hook accepts {line:?} ({})",
                        package.name, example.spec.title
                    ),
                    Ok(_) => checked += 1,
                    Err(mismatch) => panic!("{}: {mismatch}", package.name),
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} example lines found");
}

#[test]
fn the_hook_names_every_line_type_once() {
    for types in [
        atspec_common::__fuzz::LINE_TYPES,
        atspec_sim800::__fuzz::LINE_TYPES,
        atspec_a76xx::__fuzz::LINE_TYPES,
        atspec_ec200u::__fuzz::LINE_TYPES,
        atspec_esp_at::__fuzz::LINE_TYPES,
    ] {
        let mut sorted = types.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), types.len(), "a type listed twice: {types:?}");
    }
    assert_eq!(atspec_esp_at::__fuzz::STRING_ESCAPE, Some('\\'));
    assert_eq!(atspec_sim800::__fuzz::STRING_ESCAPE, None);
}
