//! Project automation. `cargo xtask codegen` regenerates every generated file from
//! `specs/`; `cargo xtask codegen --check` only reports stale files and fails.
#![forbid(unsafe_code)]

mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => false,
        ["codegen", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = workspace_root();
    let outputs = match atspec_codegen::generate_all(&root) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let plan = match sync::plan(&root, &outputs) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("reading generated files: {e}");
            return ExitCode::FAILURE;
        }
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
    match sync::apply(&root, &plan) {
        Ok(()) => {
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
        Err(e) => {
            eprintln!("writing generated files: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
