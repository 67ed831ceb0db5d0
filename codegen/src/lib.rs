//! atspec code generator: YAML specs in, typed Rust drivers out.
//!
//! The pipeline is [`load`] (YAML to model, with file/line/column diagnostics),
//! [`resolve`] (semantic checks, references, merged dialects) and [`emit`] (a pure
//! function from resolved packages to `(path, text)` pairs). Only `xtask` writes
//! files; [`generate_all`] is what it calls.
#![forbid(unsafe_code)]

pub mod capabilities;
pub mod coverage;
pub mod diag;
pub mod emit;
mod final_result;
pub mod flows;
pub mod ir;
pub mod load;
mod located;
pub mod model;
pub mod names;
pub mod readme;
pub mod resolve;
pub mod schema;
mod suggest;
pub mod task_ir;
pub mod template;
pub mod urc_order;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics};

/// Why generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec files could not be read.
    Io(std::io::Error),
    /// The specs have problems; each diagnostic has a location.
    Specs(Diagnostics),
    /// The generator produced code that does not parse (a generator bug).
    Internal(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "reading specs: {e}"),
            Self::Specs(d) => write!(f, "{d}"),
            Self::Internal(e) => write!(f, "generator bug: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Everything generated from a set of spec files, sorted by path: the JSON
/// Schemas and every package's crate.
pub fn generate_from(files: &[load::SpecFile]) -> Result<Vec<emit::Output>, GenerateError> {
    generate_with_readme(files, None)
}

/// Like [`generate_from`]; with the current `README.md` text, also the README
/// with its package table brought up to date.
pub fn generate_with_readme(
    files: &[load::SpecFile],
    readme: Option<&str>,
) -> Result<Vec<emit::Output>, GenerateError> {
    let raw = load::parse_packages(files).map_err(|d| GenerateError::Specs(Diagnostics(d)))?;
    let packages = resolve::resolve(&raw).map_err(|d| GenerateError::Specs(Diagnostics(d)))?;
    let mut out = emit::generate(&packages).map_err(GenerateError::Internal)?;
    out.extend(schema::schemas());
    if let Some(updated) = readme.and_then(|text| readme::update(text, &packages)) {
        out.push(("README.md".to_owned(), updated));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Reads `<root>/specs` (and `<root>/README.md`) and generates everything.
pub fn generate_all(root: &Path) -> Result<Vec<emit::Output>, GenerateError> {
    let files = load::read_spec_tree(&root.join("specs")).map_err(GenerateError::Io)?;
    let readme = std::fs::read_to_string(root.join("README.md")).ok();
    generate_with_readme(&files, readme.as_deref())
}

/// Reads `<root>/specs` and the tests' flow tags (`<root>/crates/*/tests`) and
/// compares each package's manual index with its specs and its end-to-end flows.
pub fn coverage_all(root: &Path) -> Result<coverage::Coverage, GenerateError> {
    let files = load::read_spec_tree(&root.join("specs")).map_err(GenerateError::Io)?;
    let raw = load::parse_packages(&files).map_err(|d| GenerateError::Specs(Diagnostics(d)))?;
    let (mut tags, mut diags) = (Vec::new(), Vec::new());
    for file in flows::read_test_sources(root).map_err(GenerateError::Io)? {
        let (found, problems) = flows::scan(&file);
        tags.extend(found);
        diags.extend(problems);
    }
    if !diags.is_empty() {
        return Err(GenerateError::Specs(Diagnostics(diags)));
    }
    coverage::coverage(&raw, &tags).map_err(|d| GenerateError::Specs(Diagnostics(d)))
}
