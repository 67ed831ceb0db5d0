//! Reading spec files and deserializing them into the model.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;
use crate::model::{IndexSpec, ModuleSpec, PackageSpec, TasksSpec};

/// First-line schema comment of a `package.yaml`.
pub const PACKAGE_SCHEMA_LINE: &str =
    "# yaml-language-server: $schema=../schema/package.schema.json";
/// First-line schema comment of a `manual-index.yaml`.
pub const INDEX_SCHEMA_LINE: &str = "# yaml-language-server: $schema=../schema/index.schema.json";
/// File name of a package's manual index.
pub const INDEX_FILE: &str = "manual-index.yaml";
/// File name of a package's tasks.
pub const TASKS_FILE: &str = "tasks.yaml";
/// First-line schema comment of a `tasks.yaml`.
pub const TASKS_SCHEMA_LINE: &str = "# yaml-language-server: $schema=../schema/tasks.schema.json";
/// First-line schema comment of a module file.
pub const MODULE_SCHEMA_LINE: &str = "# yaml-language-server: $schema=../schema/module.schema.json";

/// A spec file's path (relative, `/`-separated, for messages) and text.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path such as `specs/simcom-sim800/http.yaml`.
    pub path: String,
    /// File contents.
    pub text: String,
}

/// A package as written: its `package.yaml` and its module files (sorted by path).
#[derive(Debug, Clone)]
pub struct RawPackage {
    /// Folder name under `specs/`.
    pub folder: String,
    /// The package file.
    pub file: SpecFile,
    /// Its content.
    pub spec: PackageSpec,
    /// Module files with their content.
    pub modules: Vec<(SpecFile, ModuleSpec)>,
    /// The manual index, if the package has one.
    pub index: Option<(SpecFile, IndexSpec)>,
    /// The package's tasks, if it declares any.
    pub tasks: Option<(SpecFile, TasksSpec)>,
}

/// Reads every `*.yaml` of every folder of `specs_dir` (which is `<root>/specs`).
/// Paths in the result are relative to `<root>`.
pub fn read_spec_tree(specs_dir: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut files = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(specs_dir)?.collect::<Result<Vec<_>, _>>()?;
    folders.sort_by_key(|e| e.file_name());
    for folder in folders {
        if !folder.file_type()?.is_dir() || folder.file_name() == "schema" {
            continue;
        }
        let mut entries: Vec<_> =
            std::fs::read_dir(folder.path())?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") {
                let text = std::fs::read_to_string(entry.path())?;
                let path = format!("specs/{}/{name}", folder.file_name().to_string_lossy());
                files.push(SpecFile { path, text });
            }
        }
    }
    Ok(files)
}

/// Deserializes spec files into packages. Every problem becomes a diagnostic;
/// all files are tried so that one run reports as much as possible.
pub fn parse_packages(files: &[SpecFile]) -> Result<Vec<RawPackage>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut by_folder: BTreeMap<String, Vec<&SpecFile>> = BTreeMap::new();
    for file in files {
        let folder = file
            .path
            .rsplit_once('/')
            .map(|(dir, _)| dir.rsplit('/').next().unwrap_or(dir))
            .unwrap_or("");
        by_folder.entry(folder.to_owned()).or_default().push(file);
    }
    let mut packages = Vec::new();
    for (folder, files) in by_folder {
        let (index_files, files): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|f| f.path.ends_with(&format!("/{INDEX_FILE}")));
        let (task_files, files): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|f| f.path.ends_with(&format!("/{TASKS_FILE}")));
        let tasks = task_files.first().and_then(|file| {
            parse_file::<TasksSpec>(file, TASKS_SCHEMA_LINE, &mut diagnostics)
                .map(|tasks| ((*file).clone(), tasks))
        });
        let (package_files, module_files): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|f| f.path.ends_with("/package.yaml"));
        let index = index_files.first().and_then(|file| {
            parse_file::<IndexSpec>(file, INDEX_SCHEMA_LINE, &mut diagnostics)
                .map(|index| ((*file).clone(), index))
        });
        let Some(package_file) = package_files.first() else {
            let Some(first) = module_files.first().or(index_files.first()) else {
                continue;
            };
            diagnostics.push(Diagnostic::at(
                &first.path,
                &first.text,
                0,
                0,
                format!("folder `specs/{folder}` has no package.yaml"),
            ));
            continue;
        };
        let package =
            parse_file::<PackageSpec>(package_file, PACKAGE_SCHEMA_LINE, &mut diagnostics);
        let mut modules = Vec::new();
        for file in module_files {
            if let Some(module) =
                parse_file::<ModuleSpec>(file, MODULE_SCHEMA_LINE, &mut diagnostics)
            {
                modules.push(((*file).clone(), module));
            }
        }
        if let Some(spec) = package {
            packages.push(RawPackage {
                folder,
                file: (*package_file).clone(),
                spec,
                modules,
                index,
                tasks,
            });
        }
    }
    if diagnostics.is_empty() {
        Ok(packages)
    } else {
        Err(diagnostics)
    }
}

/// Deserializes one document, checking its schema line first.
pub fn parse_file<T: DeserializeOwned>(
    file: &SpecFile,
    schema_line: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    if file.text.lines().next() != Some(schema_line) {
        diagnostics.push(Diagnostic::at(
            &file.path,
            &file.text,
            1,
            1,
            format!("the first line must name the schema: `{schema_line}`"),
        ));
    }
    match parse_yaml::<T>(&file.text) {
        Ok(value) => Some(value),
        Err((line, column, message)) => {
            diagnostics.push(Diagnostic::at(
                &file.path, &file.text, line, column, message,
            ));
            None
        }
    }
}

/// Deserializes YAML text, rejecting duplicate keys; on failure returns the line,
/// column and message of the problem.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, (u64, u64, String)> {
    serde_saphyr::from_str::<T>(text).map_err(|err| {
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = crate::suggest::annotate_unknown(&first_message_line(
            &err.without_snippet().to_string(),
        ));
        (line, column, message)
    })
}

/// The library's message without its own location suffix and snippet lines.
fn first_message_line(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or("invalid YAML").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first.rfind(" at line ") {
        Some(cut) => first[..cut].to_owned(),
        None => first.to_owned(),
    }
}
