//! Arbitrary bytes as a spec package: the loader and the semantic checks must
//! answer with diagnostics (which render), never a panic; specs they accept must
//! generate code that parses (a failure there is a generator bug).
//!
//! The input is UTF-8 (lossily) split at NUL bytes into files of one package
//! folder; a file whose first line is the package or manual-index schema line is
//! that file, every other one a module file. The real `common` package (from
//! `specs/common`, loaded once) is there to depend on, as vendor packages do.
#![no_main]

use std::sync::OnceLock;

use atspec_codegen::load::{
    self, INDEX_FILE, INDEX_SCHEMA_LINE, PACKAGE_SCHEMA_LINE, RawPackage, SpecFile,
};
use atspec_codegen::{Diagnostics, emit, resolve};
use libfuzzer_sys::fuzz_target;

fn common() -> &'static [RawPackage] {
    static COMMON: OnceLock<Vec<RawPackage>> = OnceLock::new();
    COMMON.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/common");
        let mut files = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("specs/common is there")
            .map(|e| {
                e.expect("readable entry")
                    .file_name()
                    .into_string()
                    .expect("UTF-8 name")
            })
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("readable spec");
            files.push(SpecFile {
                path: format!("specs/common/{name}"),
                text,
            });
        }
        load::parse_packages(&files).expect("the common package loads")
    })
}

fn files(data: &[u8]) -> Vec<SpecFile> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let (mut package, mut index) = (false, false);
    for (i, text) in text.split('\0').take(8).enumerate() {
        let first = text.lines().next();
        let name = if first == Some(PACKAGE_SCHEMA_LINE) && !package {
            package = true;
            "package.yaml".to_owned()
        } else if first == Some(INDEX_SCHEMA_LINE) && !index {
            index = true;
            INDEX_FILE.to_owned()
        } else {
            format!("module{i}.yaml")
        };
        out.push(SpecFile {
            path: format!("specs/fuzzed/{name}"),
            text: text.to_owned(),
        });
    }
    out
}

/// Diagnostics must render (file, line, column, snippet) without panicking.
fn render(diagnostics: Vec<atspec_codegen::Diagnostic>) {
    assert!(!diagnostics.is_empty(), "a failure without a diagnostic");
    let _ = Diagnostics(diagnostics).to_string();
}

fuzz_target!(|data: &[u8]| {
    let mut raw = match load::parse_packages(&files(data)) {
        Ok(raw) => raw,
        Err(diagnostics) => return render(diagnostics),
    };
    raw.extend(common().iter().cloned());
    if let Err(diagnostics) = atspec_codegen::coverage::coverage(&raw, &[]) {
        render(diagnostics);
    }
    match resolve::resolve(&raw) {
        Ok(mut packages) => {
            // The real common package is known to generate; emitting only the
            // fuzzed one keeps each run short.
            packages.retain(|p| p.folder != "common");
            if let Err(bug) = emit::generate(&packages) {
                panic!("specs the checks accept generate code that does not parse: {bug}");
            }
        }
        Err(diagnostics) => render(diagnostics),
    }
});
