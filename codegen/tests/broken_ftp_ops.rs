//! Mistakes in the FTP operations of `tasks.yaml` (`list`, `mkdir`, `rmdir`,
//! `rename`, `pwd`), refused at spec time at their file, line and column.

mod fixture_support;

use fixture_support::{diagnostics, expect};

const TASKS: &str = "specs/demo/tasks.yaml";
const CASE: &str = "ftp_ops_broken";

#[test]
fn an_operation_that_never_reads_its_directory_is_refused() {
    expect(
        CASE,
        TASKS,
        20,
        5,
        "ftp `mkdir` never reads the directory (`$input.path`, `dir` or `name`)",
    );
}

#[test]
fn a_rename_that_never_reads_the_new_path_is_refused() {
    expect(
        CASE,
        TASKS,
        24,
        5,
        "ftp `rename` never reads the new path (`$input.to`)",
    );
    let found = diagnostics(CASE);
    assert!(
        !found.iter().any(|d| d.message.contains("the old path")),
        "`from` is read: {found:#?}"
    );
}

#[test]
fn a_list_without_a_download_is_refused() {
    expect(
        CASE,
        TASKS,
        16,
        5,
        "ftp `list` must download the listing: a step with `download: $output.listing`",
    );
}

#[test]
fn each_download_goes_to_its_own_output() {
    expect(
        CASE,
        TASKS,
        9,
        19,
        "the only download target here is `$output.body`",
    );
}

#[test]
fn a_pwd_path_must_be_text() {
    expect(CASE, TASKS, 31, 21, "`path` must be a text field of a step");
    assert_eq!(diagnostics(CASE).len(), 5, "{:#?}", diagnostics(CASE));
}
