//! The README's capability matrix, generated from the resolved tasks of the
//! repository's own specs: one row per modem with tasks, every row as wide as the
//! header, fixtures named below the table instead of listed as modems.

use std::path::Path;

use atspec_codegen::load::{parse_packages, read_spec_tree};
use atspec_codegen::resolve::resolve;
use atspec_codegen::{capabilities, generate_all, readme};

fn matrix() -> String {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = read_spec_tree(&specs).expect("specs readable");
    let raw = parse_packages(&files).expect("specs load");
    let packages = resolve(&raw).expect("specs resolve");
    capabilities::table(&packages)
}

fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn each_modem_with_tasks_has_a_row_of_its_declared_options() {
    let table = matrix();
    let rows = rows(&table);
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "{table}");
    let row = |modem: &str| {
        rows.iter()
            .find(|r| r[0] == format!("`{modem}::Modem`"))
            .unwrap_or_else(|| panic!("no row for {modem}:\n{table}"))
            .clone()
    };
    assert_eq!(
        row("atspec_sim800")[1..],
        [
            "cellular",
            "GET, POST, HEAD",
            "no",
            "no",
            "yes",
            "319488 B",
            "yes",
            "plain, explicit TLS, implicit TLS",
            "yes",
            "yes",
            "size, delete, list, mkdir, rmdir",
            "not stated"
        ]
    );
    assert_eq!(
        row("atspec_esp_at")[1..],
        [
            "Wi-Fi station",
            "GET, HEAD, DELETE, POST",
            "yes",
            "yes",
            "no",
            "not stated",
            "no",
            "no",
            "-",
            "-",
            "-",
            "-"
        ]
    );
    for ftp_only in ["atspec_a76xx", "atspec_ec200u"] {
        let cells = row(ftp_only);
        assert_eq!(cells[1], "cellular", "{ftp_only}");
        assert_eq!(cells[2], "no", "{ftp_only} has no HTTP task");
        assert_eq!(cells[8], "plain, explicit TLS, implicit TLS", "{ftp_only}");
    }
    assert_eq!(row("atspec_a76xx")[11], "size, delete, list, mkdir, rmdir");
    assert_eq!(
        row("atspec_ec200u")[11],
        "size, delete, list, mkdir, rmdir, rename, pwd"
    );
    // Header, separator and the four modems: packages without tasks (`common`)
    // and fixtures have no row.
    assert_eq!(rows.len(), 6, "{table}");
}

#[test]
fn fixtures_are_named_below_the_matrix_not_listed_as_modems() {
    let table = matrix();
    assert!(!table.contains("atspec_fixture_tasks::Modem"), "{table}");
    let note = table.lines().last().unwrap_or_default();
    assert!(
        note.contains("test fixtures") && note.contains("`fixture_tasks` (`specs/fixture-tasks`)"),
        "{note}"
    );
}

#[test]
fn the_readme_section_is_generated_and_needs_its_markers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let outputs = generate_all(&root).unwrap_or_else(|e| panic!("{e}"));
    let (_, text) = outputs
        .iter()
        .find(|(path, _)| path == "README.md")
        .expect("the README is generated");
    let start = text.find(capabilities::START).expect("start marker");
    let end = text.find(capabilities::END).expect("end marker");
    assert_eq!(
        text[start + capabilities::START.len()..end].trim(),
        matrix().trim()
    );
    let without = text.replace(capabilities::END, "");
    assert!(readme::update(&without, &[]).is_none());
}
