//! Flow tags checked against the workspace's real manual indexes.

use std::path::Path;

use atspec_codegen::coverage::coverage;
use atspec_codegen::flows::scan;
use atspec_codegen::load::{SpecFile, parse_packages, read_spec_tree};

fn workspace_packages() -> Vec<atspec_codegen::load::RawPackage> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = read_spec_tree(&root.join("specs")).expect("specs readable");
    parse_packages(&files).expect("workspace specs parse")
}

fn tags(text: &str) -> Vec<atspec_codegen::flows::FlowTag> {
    let (tags, diags) = scan(&SpecFile {
        path: "crates/demo/tests/flows.rs".to_owned(),
        text: text.to_owned(),
    });
    assert!(diags.is_empty(), "{diags:?}");
    tags
}

#[test]
fn a_tag_marks_its_section_as_flowed() {
    let packages = workspace_packages();
    let before = coverage(&packages, &[]).expect("no tags, no problems");
    let after = coverage(
        &packages,
        &tags("/// Manual flow: simcom-sim800 AN \"3.2\"\n#[test]\nfn get() {}\n"),
    )
    .expect("a valid tag");
    let missing = |report: &atspec_codegen::coverage::Coverage| {
        report
            .manuals
            .iter()
            .find(|m| m.package == "sim800" && m.manual == "AN")
            .map(|m| m.flows_missing.clone())
            .expect("the SIM800 AN row")
    };
    assert!(missing(&before).iter().any(|s| s.starts_with("§3.2 ")));
    assert!(!missing(&after).iter().any(|s| s.starts_with("§3.2 ")));
    assert_eq!(missing(&before).len(), missing(&after).len() + 1);
    assert!(!after.complete());
}

#[test]
fn a_tag_for_an_unlisted_section_is_reported_at_its_line() {
    let packages = workspace_packages();
    let diags = coverage(
        &packages,
        &tags("\n\n    /// Manual flow: simcom-sim800 AN \"3.99\"\n"),
    )
    .expect_err("3.99 is not an AN example section");
    let text = diags[0].to_string();
    assert!(text.contains("crates/demo/tests/flows.rs:3:9"), "{text}");
    assert!(text.contains("\"3.99\""), "{text}");
    assert!(text.contains("3 |     /// Manual flow"), "{text}");
}

#[test]
fn a_tag_naming_another_folder_does_not_count() {
    let packages = workspace_packages();
    let diags = coverage(
        &packages,
        &tags("/// Manual flow: simcom-a76xx AN \"3.2\"\n"),
    )
    .expect_err("the A76xx index has no AN manual");
    assert!(diags[0].message.contains("specs/simcom-a76xx"));
}

#[test]
fn pending_flows_are_listed_without_failing() {
    use atspec_codegen::load::parse_packages;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = read_spec_tree(&root.join("specs")).expect("specs readable");
    let index = files
        .iter_mut()
        .find(|f| f.path == "specs/simcom-a76xx/manual-index.yaml")
        .expect("the A76XX index");
    index.text = index.text.replace(
        "  - manual: FTPS\n",
        "  - manual: FTPS\n    flows_pending: no emulator behaviour yet\n",
    );
    let packages = parse_packages(&files).expect("the edited index parses");
    let report = coverage(&packages, &[]).expect("no tags, no problems");
    let ftps = report
        .manuals
        .iter()
        .find(|m| m.package == "a76xx" && m.manual == "FTPS")
        .unwrap();
    assert_eq!(ftps.flows_missing.len(), 19);
    assert!(
        report
            .to_string()
            .contains("end-to-end flows pending: no emulator behaviour yet")
    );
    // Other manuals without tags still fail the report; once every manual's flows are
    // pending, it passes.
    assert!(!report.complete());
    for file in files
        .iter_mut()
        .filter(|f| f.path.ends_with("manual-index.yaml"))
    {
        let mut text = String::new();
        for line in file.text.lines() {
            text.push_str(line);
            text.push('\n');
            if line.starts_with("  - manual: ") {
                text.push_str("    flows_pending: later\n");
            }
        }
        file.text = text.replace(
            "    flows_pending: later\n    flows_pending",
            "    flows_pending",
        );
    }
    let packages = parse_packages(&files).expect("the edited indexes parse");
    assert!(coverage(&packages, &[]).unwrap().complete());
}
