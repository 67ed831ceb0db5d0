//! Project automation.
//!
//! - `cargo xtask codegen` regenerates every generated file from `specs/` and
//!   prints what changed; `--check` writes nothing and fails naming stale files;
//!   `--only <folder>` limits both to one spec folder (and `specs/common`), so
//!   work on one vendor is not blocked by another's unfinished spec.
//! - `cargo xtask coverage` compares each manual's command and example index
//!   with the specs and with the tests' `Manual flow:` tags, and fails if anything
//!   listed is missing.
#![forbid(unsafe_code)]

mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atspec_codegen::load::{SpecFile, read_spec_tree};

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--only <spec folder>] | cargo xtask coverage";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    match args.as_slice() {
        ["coverage"] => coverage(&root),
        ["codegen", rest @ ..] => match parse_codegen(rest) {
            Some((check, only)) => codegen(&root, check, only),
            None => usage(),
        },
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn parse_codegen<'a>(args: &[&'a str]) -> Option<(bool, Option<&'a str>)> {
    let (mut check, mut only) = (false, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--check" => check = true,
            "--only" => only = Some(*rest.next()?),
            _ => return None,
        }
    }
    Some((check, only))
}

fn codegen(root: &Path, check: bool, only: Option<&str>) -> ExitCode {
    let files = match read_spec_tree(&root.join("specs")) {
        Ok(files) => files,
        Err(e) => return fail(format!("reading specs: {e}")),
    };
    let files: Vec<SpecFile> = match only {
        Some(folder) => {
            let keep = [format!("specs/{folder}/"), "specs/common/".to_owned()];
            files
                .into_iter()
                .filter(|f| keep.iter().any(|k| f.path.starts_with(k.as_str())))
                .collect()
        }
        None => files,
    };
    let readme = if only.is_none() {
        std::fs::read_to_string(root.join("README.md")).ok()
    } else {
        None
    };
    let outputs = match atspec_codegen::generate_with_readme(&files, readme.as_deref()) {
        Ok(outputs) => outputs,
        Err(e) => return fail(e.to_string()),
    };
    let plan = match sync::plan(root, &outputs, only.is_none()) {
        Ok(plan) => plan,
        Err(e) => return fail(format!("reading generated files: {e}")),
    };
    if check {
        if plan.is_empty() {
            println!("codegen: {} generated files are up to date", outputs.len());
            return ExitCode::SUCCESS;
        }
        for change in &plan {
            eprintln!("{change}");
        }
        eprintln!(
            "codegen: {} generated file(s) are stale; run `cargo xtask codegen`",
            plan.len()
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = sync::apply(root, &plan) {
        return fail(format!("writing generated files: {e}"));
    }
    for change in &plan {
        println!("{change}");
    }
    println!(
        "codegen: {} files generated, {} changed",
        outputs.len(),
        plan.len()
    );
    ExitCode::SUCCESS
}

fn coverage(root: &Path) -> ExitCode {
    match atspec_codegen::coverage_all(root) {
        Ok(report) => {
            print!("{report}");
            if report.complete() {
                println!(
                    "coverage: every listed command and example is specified and tested, \
                     and every example runs end to end"
                );
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "coverage: listed commands or examples are missing from the specs, \
                     or examples have no end-to-end flow"
                );
                ExitCode::FAILURE
            }
        }
        Err(e) => fail(e.to_string()),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
