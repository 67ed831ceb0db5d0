//! Semantic checks and resolution: from deserialized specs to the emitters' IR.
//!
//! Every check reports a [`Diagnostic`] at the offending value's position and the
//! pass goes on, so one run lists every problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::ir::Package;
use crate::load::{RawPackage, SpecFile};
use crate::model::Located;
use crate::names;

mod absent_lines;
mod command;
mod command_tolerance;
mod dialect;
mod doc_text;
mod end_markers;
mod example;
mod example_values;
mod family;
mod family_fields;
mod family_shapes;
mod family_timeouts;
mod field;
mod line;
mod line_match;
mod package;
mod response_groups;
mod shape;
mod table;
mod table_union;
mod task;
mod task_await;
mod task_ftp;
mod task_result;
mod task_step;
mod task_value;
mod uniqueness;
mod upload;

pub use task_value::method_code;
pub(crate) use upload::duration_unit;

use package::resolve_package;

/// Resolves all packages (dependencies first) or returns every problem found.
pub fn resolve(raw: &[RawPackage]) -> Result<Vec<Package>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let order = dependency_order(raw, &mut diags);
    let mut done: BTreeMap<String, Package> = BTreeMap::new();
    for index in order {
        let pkg = &raw[index];
        let mut cx = Cx {
            diags: &mut diags,
            file: &pkg.file,
        };
        if let Some(mut resolved) = resolve_package(&mut cx, pkg, &done) {
            if let Some((file, spec)) = &pkg.tasks {
                let mut cx = cx.with_file(file);
                resolved.tasks = task::resolve_tasks(&mut cx, spec, &resolved, &done);
            }
            done.insert(resolved.name.clone(), resolved);
        }
    }
    if diags.is_empty() {
        Ok(done.into_values().collect())
    } else {
        Err(diags)
    }
}

/// Diagnostic context: the file being checked.
struct Cx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    file: &'a SpecFile,
}

impl Cx<'_> {
    fn at<T>(&mut self, value: &Located<T>, message: impl Into<String>) {
        self.at_pos(value.line, value.column, message);
    }

    fn at_pos(&mut self, line: u64, column: u64, message: impl Into<String>) {
        self.diags.push(Diagnostic::at(
            &self.file.path,
            &self.file.text,
            line,
            column,
            message,
        ));
    }

    fn with_file<'b>(&'b mut self, file: &'b SpecFile) -> Cx<'b> {
        Cx {
            diags: self.diags,
            file,
        }
    }
}

fn dependency_order(raw: &[RawPackage], diags: &mut Vec<Diagnostic>) -> Vec<usize> {
    let index: BTreeMap<&str, usize> = raw
        .iter()
        .enumerate()
        .map(|(i, p)| (p.spec.package.as_str(), i))
        .collect();
    let mut seen = BTreeSet::new();
    for pkg in raw {
        let name = &pkg.spec.package;
        if !seen.insert(name.as_str()) {
            diags.push(Diagnostic::at(
                &pkg.file.path,
                &pkg.file.text,
                name.line,
                name.column,
                format!("package `{}` is defined twice", name.value),
            ));
        }
        if !names::is_snake(name) {
            diags.push(Diagnostic::at(
                &pkg.file.path,
                &pkg.file.text,
                name.line,
                name.column,
                format!("package name `{}` must be snake_case", name.value),
            ));
        }
        for dep in &pkg.spec.depends {
            if !index.contains_key(dep.as_str()) {
                diags.push(Diagnostic::at(
                    &pkg.file.path,
                    &pkg.file.text,
                    dep.line,
                    dep.column,
                    format!(
                        "unknown package `{}` in depends{}",
                        dep.value,
                        crate::suggest::did_you_mean(dep, index.keys().copied())
                    ),
                ));
            }
        }
    }
    // Depth-first topological order; a cycle is reported once at the package that closes it.
    fn visit(
        i: usize,
        raw: &[RawPackage],
        index: &BTreeMap<&str, usize>,
        state: &mut Vec<u8>,
        out: &mut Vec<usize>,
        diags: &mut Vec<Diagnostic>,
    ) {
        match state[i] {
            2 => return,
            1 => {
                let p = &raw[i];
                diags.push(Diagnostic::at(
                    &p.file.path,
                    &p.file.text,
                    p.spec.package.line,
                    p.spec.package.column,
                    format!(
                        "package `{}` depends on itself through its dependencies",
                        p.spec.package.value
                    ),
                ));
                return;
            }
            _ => {}
        }
        state[i] = 1;
        for dep in &raw[i].spec.depends {
            if let Some(&j) = index.get(dep.as_str()) {
                visit(j, raw, index, state, out, diags);
            }
        }
        state[i] = 2;
        out.push(i);
    }
    let mut state = vec![0u8; raw.len()];
    let mut out = Vec::new();
    for i in 0..raw.len() {
        visit(i, raw, &index, &mut state, &mut out, diags);
    }
    out
}
