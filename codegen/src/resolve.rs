//! Semantic checks and resolution: from deserialized specs to the emitters' IR.
//!
//! Every check reports a [`Diagnostic`] at the offending value's position and the
//! pass goes on, so one run lists every problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::ir::{
    Command, Dialect, Example, Field, FieldType, IntType, Line, Module, Package, ResultCode, Step,
    Table, TableRef, UrcRef,
};
use crate::load::{RawPackage, SpecFile};
use crate::model::{
    CommandSpec, FieldKind, FieldSpec, FormSpec, LineSpec, Located, ModuleSpec, Quoting,
    RepeatSpec, Scalar, SourceRef, TableKind, UploadEndSpec,
};
use crate::names;
use crate::template::{self, Piece, Template};

mod absent_lines;
mod command_tolerance;
mod end_markers;

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
        if let Some(resolved) = resolve_package(&mut cx, pkg, &done) {
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
                    format!("unknown package `{}` in depends", dep.value),
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

/// Package-wide lookups used while resolving its modules.
struct Scope<'a> {
    package: &'a str,
    manuals: BTreeSet<String>,
    tables: BTreeMap<String, TableRef>,
    table_codes: BTreeMap<String, Vec<Scalar>>,
    urcs: BTreeMap<String, UrcRef>,
    /// The resolved URC lines, for completions that carry data chunks.
    urc_lines: BTreeMap<String, Line>,
    prompts: BTreeSet<String>,
}

fn resolve_package(
    cx: &mut Cx<'_>,
    raw: &RawPackage,
    done: &BTreeMap<String, Package>,
) -> Option<Package> {
    let spec = &raw.spec;
    let errors_before = cx.diags.len();
    let deps: Vec<&Package> = spec
        .depends
        .iter()
        .filter_map(|d| done.get(d.as_str()))
        .collect();

    let mut manuals = BTreeSet::new();
    for manual in &spec.manuals {
        if !manuals.insert(manual.id.value.clone()) {
            cx.at(
                &manual.id,
                format!("manual id `{}` is used twice", manual.id.value),
            );
        }
    }

    // Tables first: everything else may refer to them.
    let mut scope = Scope {
        package: &spec.package,
        manuals,
        tables: BTreeMap::new(),
        table_codes: BTreeMap::new(),
        urcs: BTreeMap::new(),
        urc_lines: BTreeMap::new(),
        prompts: BTreeSet::new(),
    };
    let mut module_names = BTreeSet::new();
    let mut tables_by_module: BTreeMap<String, Vec<Table>> = BTreeMap::new();
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        if !names::is_snake(&module.module) {
            cx.at(
                &module.module,
                format!("module name `{}` must be snake_case", module.module.value),
            );
        }
        if !module_names.insert(module.module.value.clone()) {
            cx.at(
                &module.module,
                format!("module `{}` is defined in two files", module.module.value),
            );
        }
        check_source(&mut cx, &scope.manuals, &module.source);
        for table in &module.tables {
            if let Some(resolved) = resolve_table(
                &mut cx,
                &spec.package,
                &module.module,
                table,
                &deps,
                &module.source,
            ) {
                if scope.tables.contains_key(&resolved.reference.name) {
                    cx.at(
                        &table.name,
                        format!(
                            "table `{}` is defined twice in package `{}`",
                            table.name.value, spec.package.value
                        ),
                    );
                    continue;
                }
                scope.table_codes.insert(
                    resolved.reference.name.clone(),
                    resolved
                        .codes
                        .iter()
                        .map(|c| c.code.value.clone())
                        .collect(),
                );
                scope
                    .tables
                    .insert(resolved.reference.name.clone(), resolved.reference.clone());
                tables_by_module
                    .entry(module.module.value.clone())
                    .or_default()
                    .push(resolved);
            }
        }
    }

    // Dialect (needs tables), then prompts for upload checks.
    let dialect = resolve_dialect(cx, raw, &scope, &deps);
    scope.prompts = dialect
        .prompts
        .iter()
        .map(|p| p.text.value.clone())
        .collect();

    // URCs, so completions can refer to them from any module.
    let mut urcs_by_module: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        for urc in &module.urcs {
            let Some(line) = resolve_line(&mut cx, &scope, urc, false) else {
                continue;
            };
            if line.template.literal_prefix().trim().is_empty() {
                cx.at(
                    &urc.template,
                    "a URC template must start with literal text (its prefix)",
                );
            }
            if scope.urcs.contains_key(&urc.name.value) {
                cx.at(
                    &urc.name,
                    format!("URC `{}` is defined twice", urc.name.value),
                );
                continue;
            }
            scope.urc_lines.insert(urc.name.value.clone(), line.clone());
            scope.urcs.insert(
                urc.name.value.clone(),
                UrcRef {
                    module: module.module.value.clone(),
                    ident: line.ident.clone(),
                    fields: line
                        .fields
                        .iter()
                        .map(|f| (f.spec.name.value.clone(), f.ty.clone()))
                        .collect(),
                    prefix: line.template.literal_prefix(),
                },
            );
            urcs_by_module
                .entry(module.module.value.clone())
                .or_default()
                .push(line);
        }
    }

    // Commands.
    let mut command_names = BTreeSet::new();
    let mut commands_by_module: BTreeMap<String, Vec<Command>> = BTreeMap::new();
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        for command in &module.commands {
            if !command_names.insert(command.name.value.clone()) {
                cx.at(
                    &command.name,
                    format!(
                        "command `{}` is defined twice in package `{}`",
                        command.name.value, spec.package.value
                    ),
                );
            }
            let shapes = resolve_command(&mut cx, &scope, module, command);
            commands_by_module
                .entry(module.module.value.clone())
                .or_default()
                .extend(shapes);
        }
    }

    // Names must be unique inside each generated module.
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        check_unique_idents(
            &mut cx,
            tables_by_module
                .get(&module.module.value)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            commands_by_module
                .get(&module.module.value)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            urcs_by_module
                .get(&module.module.value)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            &module.module,
        );
    }

    // URC prefixes against response prefixes.
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        for urc in urcs_by_module
            .get(&module.module.value)
            .into_iter()
            .flatten()
        {
            check_shared_prefix(&mut cx, urc, &commands_by_module);
        }
        if let Some(urcs) = urcs_by_module.get(&module.module.value) {
            end_markers::check_markers_used(&mut cx, urcs, &raw.modules);
        }
    }

    // Examples.
    let all_commands: Vec<(String, &Command)> = commands_by_module
        .iter()
        .flat_map(|(m, cmds)| {
            cmds.iter()
                .map(move |c| (format!("{}::{m}", names::crate_ident(&spec.package)), c))
        })
        .chain(deps.iter().flat_map(|d| {
            d.modules.iter().flat_map(move |m| {
                m.commands
                    .iter()
                    .map(move |c| (format!("{}::{}", names::crate_ident(&d.name), m.name), c))
            })
        }))
        .collect();
    let all_urcs: Vec<&Line> = urcs_by_module.values().flatten().collect();
    let mut examples_by_module: BTreeMap<String, Vec<Example>> = BTreeMap::new();
    for (file, module) in &raw.modules {
        let mut cx = cx.with_file(file);
        for example in &module.examples {
            check_source(&mut cx, &scope.manuals, &example.source);
            let steps = resolve_steps(&mut cx, &scope, &dialect, example, &all_commands, &all_urcs);
            examples_by_module
                .entry(module.module.value.clone())
                .or_default()
                .push(Example {
                    spec: example.clone(),
                    steps,
                });
        }
    }
    drop(all_commands);
    drop(all_urcs);
    let mut modules = Vec::new();
    for (file, module) in &raw.modules {
        modules.push(Module {
            name: module.module.value.clone(),
            file: file.path.clone(),
            title: module.title.clone(),
            description: module.description.clone(),
            source: citation(&module.source, None),
            tables: tables_by_module
                .remove(&module.module.value)
                .unwrap_or_default(),
            commands: commands_by_module
                .remove(&module.module.value)
                .unwrap_or_default(),
            urcs: urcs_by_module
                .remove(&module.module.value)
                .unwrap_or_default(),
            examples: examples_by_module
                .remove(&module.module.value)
                .unwrap_or_default(),
        });
    }

    if cx.diags.len() > errors_before {
        return None;
    }
    Some(Package {
        name: spec.package.value.clone(),
        folder: raw.folder.clone(),
        title: spec.title.clone(),
        vendor: spec.vendor.clone(),
        models: spec.modules.clone(),
        description: spec.description.clone(),
        manuals: spec.manuals.clone(),
        depends: spec.depends.iter().map(|d| d.value.clone()).collect(),
        dialect,
        modules,
    })
}

fn check_source(cx: &mut Cx<'_>, manuals: &BTreeSet<String>, source: &SourceRef) {
    if !manuals.contains(source.manual.as_str()) {
        cx.at(
            &source.manual,
            format!(
                "unknown manual `{}`; package.yaml lists {:?}",
                source.manual.value, manuals
            ),
        );
    }
}

fn citation(source: &SourceRef, section: Option<&str>) -> String {
    match section.or(source.section.as_deref()) {
        Some(section) => format!("{} §{section}", source.manual.value),
        None => source.manual.value.clone(),
    }
}

fn resolve_table(
    cx: &mut Cx<'_>,
    package: &str,
    module: &str,
    table: &crate::model::TableSpec,
    deps: &[&Package],
    default_source: &SourceRef,
) -> Option<Table> {
    let before = cx.diags.len();
    if !names::is_snake(&table.name) {
        cx.at(
            &table.name,
            format!("table name `{}` must be snake_case", table.name.value),
        );
    }
    let mut codes = Vec::new();
    if let Some(ext) = &table.extends {
        let found = ext.split_once('.').and_then(|(pkg, name)| {
            deps.iter()
                .find(|d| d.name == pkg)?
                .modules
                .iter()
                .flat_map(|m| &m.tables)
                .find(|t| t.reference.name == name)
        });
        match found {
            Some(base) if base.reference.kind == table.kind => {
                codes.extend(base.codes.iter().cloned())
            }
            Some(_) => cx.at(
                ext,
                format!("table `{}` is not of type {:?}", ext.value, table.kind),
            ),
            None => cx.at(
                ext,
                format!(
                    "`extends: {}` names no table of a dependency (write `<package>.<table>`)",
                    ext.value
                ),
            ),
        }
    }
    let mut values = BTreeSet::new();
    let mut variant_names = BTreeSet::new();
    for code in codes.iter().chain(table.codes.iter()) {
        let inherited = codes.iter().any(|c| std::ptr::eq(c, code));
        match (&code.code.value, table.kind) {
            (Scalar::Int(_), TableKind::Int) | (Scalar::Text(_), TableKind::Text) => {}
            _ if inherited => {}
            _ => cx.at(
                &code.code,
                format!(
                    "code {} does not fit a table of type {:?}",
                    code.code.value, table.kind
                ),
            ),
        }
        if !values.insert(code.code.value.clone()) && !inherited {
            cx.at(
                &code.code,
                format!(
                    "code {} appears twice in table `{}` (or in the table it extends)",
                    code.code.value, table.name.value
                ),
            );
        }
        if !inherited && code.name.value == "unlisted" {
            cx.at(
                &code.name,
                "`unlisted` is reserved for codes the manual does not list",
            );
        }
        if !inherited && !names::is_snake(&code.name) {
            cx.at(
                &code.name,
                format!("code name `{}` must be snake_case", code.name.value),
            );
        }
        if !variant_names.insert(names::pascal(&code.name)) && !inherited {
            cx.at(
                &code.name,
                format!(
                    "code name `{}` appears twice in table `{}`",
                    code.name.value, table.name.value
                ),
            );
        }
    }
    codes.extend(table.codes.iter().cloned());
    if codes.is_empty() {
        cx.at(
            &table.name,
            format!("table `{}` has no codes", table.name.value),
        );
    }
    if cx.diags.len() > before {
        return None;
    }
    let (min, max) = codes
        .iter()
        .fold((0i64, 0i64), |(lo, hi), c| match c.code.value {
            Scalar::Int(v) => (lo.min(v), hi.max(v)),
            Scalar::Text(_) => (lo, hi),
        });
    Some(Table {
        reference: TableRef {
            package: package.to_owned(),
            module: module.to_owned(),
            ident: names::pascal(&table.name),
            kind: table.kind,
            name: table.name.value.clone(),
            raw: IntType::for_range(min, max),
        },
        doc: table.doc.clone(),
        source: citation(table.source.as_ref().unwrap_or(default_source), None),
        codes,
        raw_int: IntType::for_range(min, max),
    })
}

fn resolve_dialect(
    cx: &mut Cx<'_>,
    raw: &RawPackage,
    scope: &Scope<'_>,
    deps: &[&Package],
) -> Dialect {
    let spec = &raw.spec.dialect;
    let mut results = Vec::new();
    for result in &spec.results {
        let template = match Template::parse(&result.template) {
            Ok(t) => t,
            Err(e) => {
                cx.at(&result.template, format!("result template: {e}"));
                continue;
            }
        };
        let fields = template.fields();
        let coded = match fields.as_slice() {
            [] => false,
            [only]
                if only.name == "code"
                    && matches!(template.pieces.last(), Some(Piece::Field { .. })) =>
            {
                true
            }
            _ => {
                cx.at(
                    &result.template,
                    "a result template is fixed text, optionally ending in `<code>`",
                );
                continue;
            }
        };
        let table = match &result.table {
            Some(name) => match scope.tables.get(name.as_str()) {
                Some(t) if coded => Some(t.clone()),
                Some(_) => {
                    cx.at(name, "a table needs a `<code>` placeholder in the template");
                    None
                }
                None => {
                    cx.at(name, format!("unknown table `{}`", name.value));
                    None
                }
            },
            None => None,
        };
        let text = template.literal_prefix().trim_end().to_owned();
        if results.iter().any(|r: &ResultCode| r.text == text) {
            cx.at(&result.template, format!("result `{text}` is listed twice"));
        }
        results.push(ResultCode {
            text,
            coded,
            kind: result.kind,
            table,
            doc: result.doc.clone(),
        });
    }
    let mut prompts = spec.prompts.clone();
    let mut dependency_urc_prefixes = Vec::new();
    for dep in deps {
        for inherited in &dep.dialect.results {
            if !results.iter().any(|r| r.text == inherited.text) {
                // A dependency's table is not part of this crate: keep the code, drop the lookup.
                results.push(ResultCode {
                    table: None,
                    ..inherited.clone()
                });
            }
        }
        for prompt in &dep.dialect.prompts {
            if !prompts.iter().any(|p| p.text.value == prompt.text.value) {
                prompts.push(prompt.clone());
            }
        }
        dependency_urc_prefixes.extend(
            dep.modules
                .iter()
                .flat_map(|m| &m.urcs)
                .map(|u| u.template.literal_prefix()),
        );
        dependency_urc_prefixes.extend(dep.dialect.dependency_urc_prefixes.iter().cloned());
    }
    let string_escape = match &spec.string_escape {
        Some(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_punctuation() => Some(c),
                _ => {
                    cx.at(
                        text,
                        "`string_escape` is a single ASCII punctuation character, for example `\\`",
                    );
                    None
                }
            }
        }
        None => None,
    };
    let accepts = command_tolerance::resolve_accepts(cx, spec.accepts.as_deref(), deps);
    Dialect {
        string_escape,
        accepts,
        terminator: spec.terminator.clone().unwrap_or_else(|| "\r".to_owned()),
        max_command_length: spec.max_command_length.as_ref().map(|m| m.value),
        results,
        prompts,
        dependency_urc_prefixes,
        notes: spec.notes.clone(),
    }
}

/// Resolves a response line or URC (`command` is false for URCs).
fn resolve_line(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    spec: &LineSpec,
    in_command_response: bool,
) -> Option<Line> {
    let before = cx.diags.len();
    if !names::is_snake(&spec.name) {
        cx.at(
            &spec.name,
            format!("line name `{}` must be snake_case", spec.name.value),
        );
    }
    if !in_command_response && spec.repeat.is_some() {
        cx.at(&spec.name, "`repeat` applies to response lines, not URCs");
    }
    if in_command_response && !spec.shares_prefix.is_empty() {
        cx.at(
            &spec.name,
            "`shares_prefix` applies to URCs, not response lines",
        );
    }
    let template = parse_template(cx, &spec.template)?;
    let owner = if in_command_response {
        FieldOwner::Response
    } else {
        FieldOwner::Urc
    };
    let fields = resolve_fields(cx, scope, &spec.template, &template, &spec.fields, owner);
    if let Some(payload) = &spec.payload {
        let usage = template
            .fields()
            .into_iter()
            .find(|u| u.name == payload.length.value);
        let ty = fields
            .iter()
            .find(|f| f.spec.name.value == payload.length.value)
            .map(|f| &f.ty);
        match (usage, ty) {
            (Some(u), Some(FieldType::Int { .. })) if !u.optional => {}
            (Some(_), Some(FieldType::Int { .. })) => cx.at(
                &payload.length,
                "the payload length field may not be optional",
            ),
            _ => cx.at(
                &payload.length,
                format!(
                    "payload length `{}` must name an int field of the line",
                    payload.length.value
                ),
            ),
        }
    }
    if let Some(payload) = &spec.payload
        && let Some(marker) = &payload.end_marker
        && in_command_response
    {
        cx.at(
            marker,
            "`end_marker` applies to the data line of a completion (a URC named by `completion.data`), not to response lines",
        );
    }
    if cx.diags.len() > before {
        return None;
    }
    let line = Line {
        spec: spec.clone(),
        ident: names::pascal(&spec.name),
        template,
        fields,
    };
    absent_lines::check_absent(cx, scope, &line, in_command_response);
    if cx.diags.len() > before {
        return None;
    }
    Some(line)
}

fn parse_template(cx: &mut Cx<'_>, text: &Located<String>) -> Option<Template> {
    match Template::parse(text) {
        Ok(t) => Some(t),
        Err(e) => {
            cx.at_pos(
                text.line,
                text.column + e.offset as u64,
                format!("template `{}`: {}", text.value, e.message),
            );
            None
        }
    }
}

/// What a field belongs to, which decides the keys it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldOwner {
    Command,
    Response,
    Urc,
}

/// Resolves the declared fields of a template, in template order, checking that
/// each placeholder is declared once and each declaration is used.
fn resolve_fields(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    at: &Located<String>,
    template: &Template,
    declared: &[FieldSpec],
    owner: FieldOwner,
) -> Vec<Field> {
    let uses = template.fields();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for usage in &uses {
        if !seen.insert(usage.name.clone()) {
            cx.at(
                at,
                format!(
                    "placeholder `<{}>` appears twice in `{}`",
                    usage.name, at.value
                ),
            );
            continue;
        }
        // Later declarations (form, variant) override earlier ones (command).
        let Some(spec) = declared.iter().rev().find(|f| f.name.value == usage.name) else {
            cx.at_pos(
                at.line,
                at.column + usage.offset as u64,
                format!(
                    "placeholder `<{}>` has no declaration in `params`/`fields`",
                    usage.name
                ),
            );
            continue;
        };
        if let Some(field) = resolve_field(cx, scope, spec, usage.clone(), owner) {
            out.push(field);
        }
    }
    for piece in repeat_groups(&template.pieces) {
        let count = Template {
            pieces: piece.to_vec(),
        }
        .fields()
        .len();
        if count != 1 {
            cx.at(
                at,
                "a repeatable group `[...]...` must contain exactly one field",
            );
        }
    }
    for field in &out {
        if field.ty == FieldType::Text
            && !matches!(template.pieces.last(), Some(Piece::Field { name, .. }) if *name == field.spec.name.value)
        {
            cx.at(
                &field.spec.kind,
                "a `text` field must be the last thing in its template",
            );
        }
        if let FieldType::Count { of } = &field.ty {
            let target = uses.iter().find(|u| &u.name == of);
            if !target.is_some_and(|t| t.repeated) {
                cx.at(
                    &field.spec.kind,
                    format!("`count_of: {of}` must name a repeated field of the same template"),
                );
            }
        }
    }
    out
}

fn repeat_groups(pieces: &[Piece]) -> Vec<&[Piece]> {
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Repeat(inner) => {
                out.push(inner.as_slice());
                out.extend(repeat_groups(inner));
            }
            Piece::Optional(inner) => out.extend(repeat_groups(inner)),
            _ => {}
        }
    }
    out
}

fn resolve_field(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    spec: &FieldSpec,
    usage: template::FieldUse,
    owner: FieldOwner,
) -> Option<Field> {
    let command = owner == FieldOwner::Command;
    let before = cx.diags.len();
    if !names::is_snake(&spec.name) {
        cx.at(
            &spec.name,
            format!("field name `{}` must be snake_case", spec.name.value),
        );
    }
    let kind = spec.kind.value;
    let not_for = |key: &str, present: bool, cx: &mut Cx<'_>| {
        if present {
            cx.at(
                &spec.kind,
                format!("`{key}` does not apply to a field of type {kind:?}"),
            );
        }
    };
    not_for(
        "min/max",
        (spec.min.is_some() || spec.max.is_some())
            && !matches!(kind, FieldKind::Int | FieldKind::Count),
        cx,
    );
    not_for(
        "min_len/max_len",
        (spec.min_len.is_some() || spec.max_len.is_some()) && kind != FieldKind::String,
        cx,
    );
    not_for("table", spec.table.is_some() && kind != FieldKind::Enum, cx);
    not_for(
        "count_of",
        spec.count_of.is_some() && kind != FieldKind::Count,
        cx,
    );
    not_for(
        "quoted",
        spec.quoted.is_some() && !matches!(kind, FieldKind::String | FieldKind::Enum),
        cx,
    );
    if spec.secret && owner == FieldOwner::Urc {
        cx.at(
            &spec.name,
            "`secret` applies to command parameters and response lines (a URC belongs to no command)",
        );
    }
    if spec.secret && kind != FieldKind::String {
        cx.at(&spec.name, "`secret` applies to string fields");
    }
    let ty = match kind {
        FieldKind::Int | FieldKind::Count => {
            let min = spec.min.as_ref().map_or(0, |m| m.value);
            let max = spec.max.as_ref().map_or(u32::MAX as i64, |m| m.value);
            if min > max {
                let (line, column) = spec
                    .min
                    .as_ref()
                    .map_or((spec.kind.line, spec.kind.column), |m| (m.line, m.column));
                cx.at_pos(line, column, format!("min {min} is greater than max {max}"));
            }
            if kind == FieldKind::Count {
                match &spec.count_of {
                    Some(of) => FieldType::Count {
                        of: of.value.clone(),
                    },
                    None => {
                        cx.at(&spec.kind, "a `count` field needs `count_of`");
                        return None;
                    }
                }
            } else {
                FieldType::Int {
                    ty: IntType::for_range(min, max),
                    min,
                    max,
                }
            }
        }
        FieldKind::String => {
            if let (Some(lo), Some(hi)) = (&spec.min_len, &spec.max_len)
                && lo.value > hi.value
            {
                {
                    cx.at(
                        lo,
                        format!("min_len {} is greater than max_len {}", lo.value, hi.value),
                    );
                }
            }
            FieldType::String
        }
        FieldKind::Text => {
            if command {
                cx.at(
                    &spec.kind,
                    "`text` fields belong to response lines; use `string` for parameters",
                );
            }
            FieldType::Text
        }
        FieldKind::Enum => match &spec.table {
            Some(name) => match scope.tables.get(name.as_str()) {
                Some(t) => FieldType::Enum(t.clone()),
                None => {
                    cx.at(
                        name,
                        format!(
                            "unknown table `{}` in package `{}`",
                            name.value, scope.package
                        ),
                    );
                    return None;
                }
            },
            None => {
                cx.at(&spec.kind, "an `enum` field needs `table`");
                return None;
            }
        },
    };
    if let (Some(allowed), FieldType::Enum(t)) = (&spec.allowed, &ty) {
        let codes = &scope.table_codes[&t.name];
        for value in allowed {
            if !codes.contains(&value.value) {
                cx.at(
                    value,
                    format!("{} is not a code of table `{}`", value.value, t.name),
                );
            }
        }
    } else if spec.allowed.is_some() {
        cx.at(&spec.kind, "`allowed` applies to enum fields");
    }
    if let Some(default) = &spec.default {
        check_value(cx, scope, &ty, spec, default);
    }
    let quoting = match (spec.quoted, &ty) {
        (Some(Quoting::Optional), _) if command => {
            cx.at(
                &spec.name,
                "a command parameter is quoted `always` or `never`",
            );
            Quoting::Always
        }
        (Some(q), _) => q,
        (None, FieldType::String)
        | (
            None,
            FieldType::Enum(TableRef {
                kind: TableKind::Text,
                ..
            }),
        ) => {
            if command {
                Quoting::Always
            } else {
                Quoting::Optional
            }
        }
        (None, _) => Quoting::Never,
    };
    if cx.diags.len() > before {
        return None;
    }
    Some(Field {
        spec: spec.clone(),
        ty,
        usage,
        quoting,
    })
}

/// Checks a literal value (default, example) against a field's type and limits.
fn check_value(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    ty: &FieldType,
    spec: &FieldSpec,
    value: &Located<Scalar>,
) -> bool {
    let ok = match (ty, &value.value) {
        (FieldType::Int { min, max, .. }, Scalar::Int(v)) => {
            if v < min || v > max {
                cx.at(
                    value,
                    format!(
                        "{v} is outside the range {min}..={max} of `{}`",
                        spec.name.value
                    ),
                );
                return false;
            }
            true
        }
        (FieldType::Count { .. }, Scalar::Int(_)) => true,
        (FieldType::String | FieldType::Text, Scalar::Text(s)) => {
            if let Some(max) = &spec.max_len
                && s.len() as u64 > max.value
            {
                {
                    cx.at(
                        value,
                        format!(
                            "{} bytes is longer than max_len {} of `{}`",
                            s.len(),
                            max.value,
                            spec.name.value
                        ),
                    );
                    return false;
                }
            }
            true
        }
        (FieldType::Enum(t), v) => {
            if !scope
                .table_codes
                .get(&t.name)
                .is_some_and(|codes| codes.contains(v))
            {
                cx.at(value, format!("{v} is not a code of table `{}`", t.name));
                return false;
            }
            true
        }
        _ => false,
    };
    if !ok {
        cx.at(
            value,
            format!(
                "{} does not fit field `{}` of type {:?}",
                value.value, spec.name.value, spec.kind.value
            ),
        );
    }
    ok
}

const FORMS: [&str; 4] = ["test", "read", "write", "exec"];

fn resolve_command(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    module: &ModuleSpec,
    command: &CommandSpec,
) -> Vec<Command> {
    let base = match &command.ident {
        Some(ident) if names::is_pascal(ident) => ident.value.clone(),
        Some(ident) => {
            cx.at(ident, format!("ident `{}` must be PascalCase", ident.value));
            return Vec::new();
        }
        None => names::command_ident(&command.name),
    };
    if let Some(source) = &command.source {
        check_source(cx, &scope.manuals, source);
    }
    let source = citation(
        command.source.as_ref().unwrap_or(&module.source),
        command.section.as_deref(),
    );
    let forms: Vec<(&str, &FormSpec)> = FORMS
        .iter()
        .zip([&command.test, &command.read, &command.write, &command.exec])
        .filter_map(|(name, form)| form.as_ref().map(|f| (*name, f)))
        .collect();
    if forms.is_empty() {
        cx.at(
            &command.name,
            format!(
                "command `{}` has no form (test, read, write or exec)",
                command.name.value
            ),
        );
    }
    let mut used_params = BTreeSet::new();
    let mut out = Vec::new();
    for (form_name, form) in forms {
        let suffix = match form_name {
            "test" => "Test",
            "read" => "Read",
            "exec" if command.write.is_some() => "Exec",
            _ => "",
        };
        let mut shapes: Vec<ShapeInput<'_>> = Vec::new();
        match (&form.syntax, form.variants.is_empty()) {
            (Some(syntax), true) => shapes.push(ShapeInput {
                ident: format!("{base}{suffix}"),
                variant: None,
                syntax,
                summary: form
                    .summary
                    .clone()
                    .unwrap_or_else(|| command.summary.clone()),
                params: command.params.iter().chain(&form.params).collect(),
                own_params: form.params.iter().collect(),
                response: &form.response,
                timeout_ms: form.timeout_ms.as_ref(),
                completion: form.completion.as_ref(),
                upload: form.upload.as_ref(),
                download: form.download.as_ref(),
                no_final_result: form.no_final_result.as_ref(),
                notes: form.notes.clone(),
                unconfirmed: None,
            }),
            (None, false) => {
                for variant in &form.variants {
                    if !names::is_snake(&variant.name) {
                        cx.at(
                            &variant.name,
                            format!("variant name `{}` must be snake_case", variant.name.value),
                        );
                    }
                    shapes.push(ShapeInput {
                        ident: format!("{base}{}{suffix}", names::pascal(&variant.name)),
                        variant: Some(variant.name.value.clone()),
                        syntax: &variant.syntax,
                        summary: variant.summary.clone(),
                        params: command
                            .params
                            .iter()
                            .chain(&form.params)
                            .chain(&variant.params)
                            .collect(),
                        own_params: variant.params.iter().collect(),
                        response: variant.response.as_ref().unwrap_or(&form.response),
                        timeout_ms: variant.timeout_ms.as_ref().or(form.timeout_ms.as_ref()),
                        completion: variant.completion.as_ref().or(form.completion.as_ref()),
                        upload: variant.upload.as_ref().or(form.upload.as_ref()),
                        download: variant.download.as_ref().or(form.download.as_ref()),
                        no_final_result: form.no_final_result.as_ref(),
                        notes: form.notes.iter().chain(&variant.notes).cloned().collect(),
                        unconfirmed: variant.unconfirmed.clone(),
                    });
                }
            }
            (Some(syntax), false) => {
                cx.at(syntax, "a form has either `syntax` or `variants`, not both");
                continue;
            }
            (None, true) => {
                cx.at(
                    &command.name,
                    format!(
                        "the {form_name} form of `{}` needs `syntax` or `variants`",
                        command.name.value
                    ),
                );
                continue;
            }
        }
        for shape in shapes {
            if let Some(resolved) = resolve_shape(
                cx,
                scope,
                command,
                form_name,
                &source,
                shape,
                &mut used_params,
            ) {
                out.push(resolved);
            }
        }
    }
    for param in &command.params {
        if !used_params.contains(&param.name.value) {
            cx.at(
                &param.name,
                format!(
                    "parameter `{}` is declared but no syntax template uses it",
                    param.name.value
                ),
            );
        }
    }
    out
}

struct ShapeInput<'a> {
    ident: String,
    variant: Option<String>,
    syntax: &'a Located<String>,
    summary: String,
    params: Vec<&'a FieldSpec>,
    own_params: Vec<&'a FieldSpec>,
    response: &'a [LineSpec],
    timeout_ms: Option<&'a Located<u64>>,
    completion: Option<&'a crate::model::CompletionSpec>,
    upload: Option<&'a crate::model::UploadSpec>,
    download: Option<&'a crate::model::DownloadSpec>,
    no_final_result: Option<&'a Located<bool>>,
    notes: Vec<String>,
    unconfirmed: Option<String>,
}

fn resolve_shape(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    command: &CommandSpec,
    form: &str,
    source: &str,
    shape: ShapeInput<'_>,
    used: &mut BTreeSet<String>,
) -> Option<Command> {
    let before = cx.diags.len();
    let template = parse_template(cx, shape.syntax)?;
    if !shape.syntax.starts_with("AT") {
        cx.at(shape.syntax, "a command syntax starts with `AT`");
    }
    let declared: Vec<FieldSpec> = shape.params.iter().map(|p| (*p).clone()).collect();
    let params = resolve_fields(
        cx,
        scope,
        shape.syntax,
        &template,
        &declared,
        FieldOwner::Command,
    );
    for field in &params {
        used.insert(field.spec.name.value.clone());
    }
    for own in &shape.own_params {
        if !params.iter().any(|p| p.spec.name.value == own.name.value) {
            cx.at(
                &own.name,
                format!(
                    "parameter `{}` is declared but `{}` does not use it",
                    own.name.value, shape.syntax.value
                ),
            );
        }
    }
    let mut response = Vec::new();
    for line in shape.response {
        if let Some(resolved) = resolve_line(cx, scope, line, true) {
            response.push(resolved);
        }
    }
    let param_type = |name: &str| {
        params
            .iter()
            .find(|p| p.spec.name.value == name)
            .map(|p| p.ty.clone())
    };
    let completion = match shape.completion {
        Some(c) => {
            match scope.urcs.get(c.urc.as_str()) {
                Some(urc) => {
                    for (urc_field, param) in &c.matches {
                        let field_ty = urc
                            .fields
                            .iter()
                            .find(|(n, _)| n == urc_field)
                            .map(|(_, t)| t);
                        match (field_ty, param_type(param)) {
                        (None, _) => cx.at(param, format!("URC `{}` has no field `{urc_field}`", c.urc.value)),
                        (_, None) => cx.at(param, format!("`{}` is not a parameter of `{}`", param.value, shape.syntax.value)),
                        (Some(a), Some(b)) if !comparable(a, &b) => cx.at(param, format!("URC field `{urc_field}` and parameter `{}` have different types", param.value)),
                        _ => {}
                    }
                    }
                    if let Some(field) = &c.result_field {
                        match urc.fields.iter().find(|(n, _)| n == field.as_str()) {
                            Some((_, FieldType::Enum(_))) => {}
                            _ => cx.at(
                                field,
                                format!(
                                    "`result_field` must name an enum field of URC `{}`",
                                    c.urc.value
                                ),
                            ),
                        }
                    }
                    if let Some(field) = &c.detail_field {
                        match urc.fields.iter().find(|(n, _)| n == field.as_str()) {
                            Some((_, FieldType::Enum(_))) if c.result_field.is_some() => {}
                            Some((_, FieldType::Enum(_))) => cx.at(
                                field,
                                "`detail_field` needs a `result_field` to tell failure",
                            ),
                            _ => cx.at(
                                field,
                                format!(
                                    "`detail_field` must name an enum field of URC `{}`",
                                    c.urc.value
                                ),
                            ),
                        }
                    }
                    if let Some(length) = &c.length {
                        match urc.fields.iter().find(|(n, _)| n == length.as_str()) {
                            Some((_, FieldType::Int { .. })) => {}
                            _ => cx.at(
                                length,
                                format!("`length` must name an int field of URC `{}`", c.urc.value),
                            ),
                        }
                    }
                    if let Some(data) = &c.data {
                        match scope.urc_lines.get(data.as_str()) {
                            Some(line) if line.spec.payload.is_some() => {
                                if let Some(done) = scope.urc_lines.get(c.urc.as_str()) {
                                    end_markers::check_marker_completes(cx, data, line, done);
                                }
                            }
                            Some(_) => cx.at(
                                data,
                                format!("`data` URC `{}` announces no payload", data.value),
                            ),
                            None => cx.at(data, format!("`data` names no URC: `{}`", data.value)),
                        }
                    }
                    Some((c.clone(), urc.clone()))
                }
                None => {
                    cx.at(
                        &c.urc,
                        format!("completion names an unknown URC `{}`", c.urc.value),
                    );
                    None
                }
            }
        }
        None => None,
    };
    if let Some(upload) = shape.upload {
        check_upload(cx, scope, upload, &params, &response, shape.syntax);
    }
    if let Some(download) = shape.download {
        if !scope.prompts.contains(download.prompt.as_str()) {
            cx.at(
                &download.prompt,
                format!(
                    "prompt `{}` is not in the dialect's prompts",
                    download.prompt.value
                ),
            );
        }
        if download.end == crate::model::DownloadEndSpec::Length {
            match &download.length {
                Some(name) if matches!(param_type(name), Some(FieldType::Int { .. })) => {}
                Some(name) => cx.at(name, format!("`{}` must name an int parameter", name.value)),
                None => cx.at(&download.prompt, "`end: length` needs `length`"),
            }
        }
    }
    let no_final_result = shape.no_final_result.filter(|flag| flag.value);
    if let Some(flag) = no_final_result {
        let form = crate::final_result::FormShape {
            response: &response,
            completion: shape.completion.is_some(),
            upload: shape.upload.is_some(),
            download: shape.download.is_some(),
        };
        for problem in crate::final_result::conflicts(&form) {
            cx.at(flag, problem);
        }
    }
    if cx.diags.len() > before {
        return None;
    }
    let unconfirmed = command
        .unconfirmed
        .iter()
        .chain(&shape.unconfirmed)
        .cloned()
        .collect();
    Some(Command {
        name: command.name.value.clone(),
        ident: shape.ident,
        form: form.to_owned(),
        variant: shape.variant,
        summary: shape.summary,
        description: command.description.clone(),
        source: source.to_owned(),
        syntax: shape.syntax.value.clone(),
        template,
        params,
        response,
        timeout_ms: shape.timeout_ms.map(|t| t.value),
        completion_data: shape
            .completion
            .and_then(|c| c.data.as_ref())
            .and_then(|d| scope.urc_lines.get(d.as_str()).cloned()),
        completion,
        upload: shape.upload.cloned(),
        download: shape.download.cloned(),
        no_final_result: no_final_result.is_some(),
        notes: command.notes.iter().cloned().chain(shape.notes).collect(),
        unconfirmed,
    })
}

fn comparable(a: &FieldType, b: &FieldType) -> bool {
    match (a, b) {
        (
            FieldType::Int { .. } | FieldType::Count { .. },
            FieldType::Int { .. } | FieldType::Count { .. },
        ) => true,
        (FieldType::Enum(x), FieldType::Enum(y)) => x == y,
        (FieldType::String, FieldType::String) => true,
        _ => false,
    }
}

fn check_unique_idents(
    cx: &mut Cx<'_>,
    tables: &[Table],
    commands: &[Command],
    urcs: &[Line],
    at: &Located<String>,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |ident: &str, what: String, cx: &mut Cx<'_>| {
        if let Some(previous) = seen.insert(ident.to_owned(), what.clone())
            && previous != what
        {
            {
                cx.at(at, format!("{what} and {previous} both generate the type `{ident}` in module `{}`; set `ident` or rename one", at.value));
            }
        }
    };
    for t in tables {
        claim(
            &t.reference.ident,
            format!("table `{}`", t.reference.name),
            cx,
        );
    }
    for u in urcs {
        claim(&u.ident, format!("URC `{}`", u.spec.name.value), cx);
    }
    for c in commands {
        claim(&c.ident, format!("command `{}` ({})", c.name, c.form), cx);
        let single_line = c.response.len() == 1
            && c.response[0].spec.repeat.unwrap_or(RepeatSpec::One) == RepeatSpec::One;
        if !c.response.is_empty() && !single_line {
            claim(
                &format!("{}Response", c.ident),
                format!("response of `{}` ({})", c.name, c.form),
                cx,
            );
        }
        for line in &c.response {
            // One response line may serve several variants: same name, same template,
            // same meaning when absent.
            let absent = line
                .spec
                .absent
                .as_ref()
                .map(|a| format!(" (absent: `{}`)", a.means.value))
                .unwrap_or_default();
            claim(
                &line.ident,
                format!(
                    "response line `{}` `{}`{absent}",
                    line.spec.name.value, line.spec.template.value
                ),
                cx,
            );
        }
    }
}

fn check_shared_prefix(cx: &mut Cx<'_>, urc: &Line, commands: &BTreeMap<String, Vec<Command>>) {
    let urc_prefix = urc.template.literal_prefix();
    if urc_prefix.trim().is_empty() {
        return;
    }
    for command in commands.values().flatten() {
        for line in &command.response {
            let prefix = line.template.literal_prefix();
            if prefix.trim().is_empty()
                || !(prefix.starts_with(&urc_prefix) || urc_prefix.starts_with(&prefix))
            {
                continue;
            }
            let key = match &command.variant {
                Some(v) => format!("{}.{}.{v}", command.name, command.form),
                None => format!("{}.{}", command.name, command.form),
            };
            let declared = urc.spec.shares_prefix.iter().any(|s| {
                s.response_of.value == key
                    || s.response_of.value == format!("{}.{}", command.name, command.form)
            });
            if !declared {
                cx.at(&urc.spec.template, format!(
                    "URC `{}` starts like the response `{}` of `{key}`; declare `shares_prefix: [{{response_of: \"{key}\", rule: ...}}]` to say how they are told apart",
                    urc.spec.name.value, line.spec.template.value
                ));
            }
        }
    }
    for shared in &urc.spec.shares_prefix {
        let exists = commands.values().flatten().any(|c| {
            let base = format!("{}.{}", c.name, c.form);
            shared.response_of.value == base
                || c.variant
                    .as_ref()
                    .is_some_and(|v| shared.response_of.value == format!("{base}.{v}"))
        });
        if !exists {
            cx.at(&shared.response_of, format!("`{}` names no command form of this package (write `<command>.<form>[.<variant>]`)", shared.response_of.value));
        }
    }
}

/// Normalises a response line for matching: no spaces after `:` or around `,`.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && (out.ends_with(':') || out.ends_with(',') || chars.peek() == Some(&',')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

fn squeeze_template(template: &Template) -> Template {
    fn walk(pieces: &[Piece]) -> Vec<Piece> {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(t) => Piece::Literal(squeeze(t)),
                Piece::Field { .. } => p.clone(),
                Piece::Optional(inner) => Piece::Optional(walk(inner)),
                Piece::Repeat(inner) => Piece::Repeat(walk(inner)),
            })
            .filter(|p| !matches!(p, Piece::Literal(t) if t.is_empty()))
            .collect()
    }
    Template {
        pieces: walk(&template.pieces),
    }
}

fn line_matches(line: &Line, text: &str) -> bool {
    // A text field swallows the rest, commas included.
    let squeezed_line = squeeze(text);
    let template = squeeze_template(&line.template);
    if line.fields.iter().any(|f| f.ty == FieldType::Text) {
        let prefix = squeeze(&line.template.literal_prefix());
        return squeezed_line.starts_with(&prefix);
    }
    template::match_line(&template, &squeezed_line).is_some()
}

fn resolve_steps(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    example: &crate::model::ExampleSpec,
    commands: &[(String, &Command)],
    urcs: &[&Line],
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut last: Option<&Command> = None;
    let mut last_path = String::new();
    // An upload's command may answer `OK` before its prompt and keep answering after.
    let mut awaiting_prompt = false;
    for step in &example.steps {
        let kinds = [
            step.send.is_some(),
            step.recv.is_some(),
            step.data.is_some() || step.data_len.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            let at = step
                .send
                .as_ref()
                .or(step.recv.as_ref())
                .or(step.data.as_ref());
            match at {
                Some(at) => cx.at(
                    at,
                    "an example step has exactly one of `send`, `recv`, `data`/`data_len`",
                ),
                None => cx.at(
                    &example.source.manual,
                    format!(
                        "example `{}`: a step has none of `send`, `recv`, `data`/`data_len`",
                        example.title
                    ),
                ),
            }
            continue;
        }
        if let Some(line) = &step.send {
            if step.expect.is_some() {
                cx.at(line, "`expect` applies to `recv` steps");
            }
            match match_command(cx, scope, dialect, line, commands) {
                Some((path, command, args)) => {
                    steps.push(Step::Send {
                        module: path.clone(),
                        ident: command.ident.clone(),
                        line: line.value.clone(),
                        args,
                    });
                    awaiting_prompt = command.upload.as_ref().is_some_and(|u| u.prompt.is_some());
                    last = Some(command);
                    last_path = path;
                }
                None => last = None,
            }
        } else if let Some(line) = &step.recv {
            if let Some(step) = classify_recv(
                cx,
                scope,
                dialect,
                line,
                step.expect.as_ref(),
                last.map(|c| (last_path.as_str(), c)),
                urcs,
            ) {
                // After its final result a command has no more information lines.
                match &step {
                    Step::Prompt { .. } => awaiting_prompt = false,
                    Step::Result { kind, .. }
                        if *kind != crate::model::ResultKindSpec::Detail && !awaiting_prompt =>
                    {
                        last = None;
                    }
                    _ => {}
                }
                steps.push(step);
            }
        } else {
            steps.push(Step::Data);
        }
    }
    steps
}

type Match<'c> = (String, &'c Command, Vec<String>);

fn match_command<'c>(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    line: &Located<String>,
    commands: &[(String, &'c Command)],
) -> Option<Match<'c>> {
    let mut candidates: Vec<(usize, &String, &Command, template::Bindings)> = commands
        .iter()
        .filter_map(|(path, c)| {
            template::match_line_escaped(&c.template, line, dialect.string_escape)
                .map(|b| (c.template.literal_len(), path, *c, b))
        })
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    match candidates.as_slice() {
        [] => {
            cx.at(line, format!("example command `{}` matches the syntax of no command in this package or its dependencies", line.value));
            None
        }
        [(len, ..), (len2, _, other, _), ..] if len == len2 => {
            cx.at(
                line,
                format!(
                    "example command `{}` matches several syntaxes equally well (one is `{}`)",
                    line.value, other.syntax
                ),
            );
            None
        }
        [(_, path, command, bindings), ..] => {
            let args = example_args(cx, scope, line, command, bindings)?;
            Some(((*path).clone(), *command, args))
        }
    }
}

/// Rust expressions for a command's constructor arguments from an example line.
fn example_args(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    line: &Located<String>,
    command: &Command,
    bindings: &template::Bindings,
) -> Option<Vec<String>> {
    let mut args = Vec::new();
    for param in command
        .params
        .iter()
        .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
    {
        let values: Vec<&template::RawValue> = bindings
            .iter()
            .filter(|(n, _)| *n == param.spec.name.value)
            .map(|(_, v)| v)
            .collect();
        let mut exprs = Vec::new();
        for value in &values {
            let want_quoted = param.quoting == Quoting::Always;
            if value.quoted != want_quoted {
                cx.at(
                    line,
                    format!(
                        "parameter `{}` is {} in `{}`",
                        param.spec.name.value,
                        if want_quoted {
                            "quoted in the syntax but not"
                        } else {
                            "unquoted in the syntax but quoted"
                        },
                        line.value
                    ),
                );
                return None;
            }
            let scalar = match &param.ty {
                FieldType::Int { .. } => match value.text.parse::<i64>() {
                    Ok(v) => Scalar::Int(v),
                    Err(_) => {
                        cx.at(
                            line,
                            format!(
                                "parameter `{}`: `{}` is not an integer",
                                param.spec.name.value, value.text
                            ),
                        );
                        return None;
                    }
                },
                FieldType::Enum(TableRef {
                    kind: TableKind::Int,
                    ..
                }) => match value.text.parse::<i64>() {
                    Ok(v) => Scalar::Int(v),
                    Err(_) => {
                        cx.at(
                            line,
                            format!(
                                "parameter `{}`: `{}` is not a numeric code",
                                param.spec.name.value, value.text
                            ),
                        );
                        return None;
                    }
                },
                _ => Scalar::Text(value.text.clone()),
            };
            let located = Located {
                value: scalar,
                line: line.line,
                column: line.column,
            };
            if !check_value(cx, scope, &param.ty, &param.spec, &located) {
                return None;
            }
            exprs.push(match (&located.value, param.usage.repeated) {
                (Scalar::Text(text), false) if param.ty == FieldType::String => format!("{text:?}"),
                _ => value_expr(&param.ty, &located.value),
            });
        }
        let expr = match (param.usage.repeated, param.usage.optional, exprs.as_slice()) {
            (true, _, _) => format!("vec![{}]", exprs.join(", ")),
            (false, true, []) => "None".to_owned(),
            (false, true, [one]) => format!("Some({one})"),
            (false, false, [one]) => one.clone(),
            _ => {
                cx.at(
                    line,
                    format!(
                        "parameter `{}` is missing in `{}`",
                        param.spec.name.value, line.value
                    ),
                );
                return None;
            }
        };
        args.push(expr);
    }
    Some(args)
}

/// A Rust expression for a value of a field type, as used in generated tests.
fn value_expr(ty: &FieldType, value: &Scalar) -> String {
    match (ty, value) {
        (FieldType::Enum(t), Scalar::Int(v)) => format!(
            "{}::{}::{}::from_code({v})",
            names::crate_ident(&t.package),
            t.module,
            t.ident
        ),
        (FieldType::Enum(t), Scalar::Text(v)) => format!(
            "{}::{}::{}::from_text({v:?})",
            names::crate_ident(&t.package),
            t.module,
            t.ident
        ),
        (_, Scalar::Int(v)) => v.to_string(),
        (_, Scalar::Text(v)) => format!("String::from({v:?})"),
    }
}

fn classify_recv(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    dialect: &Dialect,
    line: &Located<String>,
    expect: Option<&BTreeMap<String, Located<Scalar>>>,
    last: Option<(&str, &Command)>,
    urcs: &[&Line],
) -> Option<Step> {
    let text = line.value.trim_end();
    let result = dialect.results.iter().find(|r| {
        if r.coded {
            text.starts_with(&r.text)
        } else {
            text == r.text
        }
    });
    if let Some(result) = result {
        return Some(Step::Result {
            line: text.to_owned(),
            kind: result.kind,
        });
    }
    if dialect.prompts.iter().any(|p| p.text.trim_end() == text) {
        return Some(Step::Prompt {
            line: text.to_owned(),
        });
    }
    let own_line = last.and_then(|(path, c)| {
        c.response
            .iter()
            .find(|l| line_matches(l, text))
            .map(|l| (path, c, l))
    });
    if let Some((path, command, response)) = own_line {
        let expect = expectations(cx, scope, line, response, expect)?;
        let payload = response.spec.payload.as_ref().and_then(|p| {
            let len = expect
                .iter()
                .find(|(f, _)| *f == p.length.value)?
                .1
                .parse::<u64>()
                .ok()?;
            Some((path.to_owned(), command.ident.clone(), len))
        });
        let module = path.to_owned();
        return Some(Step::Response {
            line: text.to_owned(),
            module,
            ident: response.ident.clone(),
            expect,
            payload,
        });
    }
    if let Some(urc) = urcs.iter().find(|u| line_matches(u, text)) {
        let expect = expectations(cx, scope, line, urc, expect)?;
        return Some(Step::Urc {
            line: text.to_owned(),
            variant: urc.ident.clone(),
            expect,
        });
    }
    let context = last
        .map(|(_, c)| format!(" of `{}`", c.syntax))
        .unwrap_or_default();
    cx.at(
        line,
        format!(
            "`{text}` is no result code, prompt, response line{context} or URC of this package"
        ),
    );
    None
}

fn expectations(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    line: &Located<String>,
    spec: &Line,
    expect: Option<&BTreeMap<String, Located<Scalar>>>,
) -> Option<Vec<(String, String)>> {
    let empty = BTreeMap::new();
    let expect = expect.unwrap_or(&empty);
    for key in expect.keys() {
        if !spec.fields.iter().any(|f| &f.spec.name.value == key) {
            cx.at(
                line,
                format!(
                    "`expect` names `{key}`, which is no field of `{}`",
                    spec.spec.template.value
                ),
            );
            return None;
        }
    }
    let mut out = Vec::new();
    for field in &spec.fields {
        let name = &field.spec.name.value;
        match (expect.get(name), field.usage.optional, field.usage.repeated) {
            (_, _, true) => {}
            (None, true, false) => out.push((name.clone(), "None".to_owned())),
            (None, false, false) => {
                cx.at(
                    line,
                    format!(
                        "`expect` must give field `{name}` of `{}`",
                        spec.spec.template.value
                    ),
                );
                return None;
            }
            (Some(value), optional, false) => {
                if !check_value(cx, scope, &field.ty, &field.spec, value) {
                    return None;
                }
                let expr = value_expr(&field.ty, &value.value);
                out.push((
                    name.clone(),
                    if optional {
                        format!("Some({expr})")
                    } else {
                        expr
                    },
                ));
            }
        }
    }
    Some(out)
}

fn check_upload(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    upload: &crate::model::UploadSpec,
    params: &[Field],
    response: &[Line],
    syntax: &Located<String>,
) {
    let param_type = |name: &str| {
        params
            .iter()
            .find(|p| p.spec.name.value == name)
            .map(|p| p.ty.clone())
    };
    match (&upload.prompt, &upload.announce) {
        (Some(prompt), None) if !scope.prompts.contains(prompt.as_str()) => cx.at(
            prompt,
            format!("prompt `{}` is not in the dialect's prompts", prompt.value),
        ),
        (Some(prompt), Some(_)) => cx.at(prompt, "an upload has `prompt` or `announce`, not both"),
        (None, None) => cx.at(syntax, "an upload needs `prompt` or `announce`"),
        (None, Some(announce)) => {
            let line = response
                .iter()
                .find(|l| l.spec.name.value == announce.line.value);
            let field = line.and_then(|l| {
                l.fields
                    .iter()
                    .find(|f| f.spec.name.value == announce.length.value)
            });
            match (line, field) {
                (None, _) => cx.at(
                    &announce.line,
                    format!(
                        "`{}` is no response line of `{}`",
                        announce.line.value, syntax.value
                    ),
                ),
                (Some(_), Some(f))
                    if matches!(f.ty, FieldType::Int { .. }) && !f.usage.optional => {}
                (Some(_), _) => cx.at(
                    &announce.length,
                    format!(
                        "`{}` must name a required int field of that line",
                        announce.length.value
                    ),
                ),
            }
            if upload.end != UploadEndSpec::Announced {
                cx.at(
                    &announce.line,
                    "an announced upload ends with `end: announced`",
                );
            }
        }
        _ => {}
    }
    for name in [&upload.length, &upload.input_timeout]
        .into_iter()
        .flatten()
    {
        if !matches!(param_type(name), Some(FieldType::Int { .. })) {
            cx.at(
                name,
                format!(
                    "`{}` must name an int parameter of `{}`",
                    name.value, syntax.value
                ),
            );
        }
    }
    if let Some(ack) = &upload.ack {
        if !matches!(
            param_type(&ack.param),
            Some(FieldType::Int { .. } | FieldType::Enum(_))
        ) {
            cx.at(
                &ack.param,
                format!(
                    "`ack.param` must name an int or enum parameter of `{}`",
                    syntax.value
                ),
            );
        }
        if upload.end != UploadEndSpec::Length {
            cx.at(&ack.param, "acknowledged uploads end with `end: length`");
        }
        if ack.every.value == 0 {
            cx.at(&ack.every, "`ack.every` is a byte count above 0");
        }
        if ack.text.value.is_empty() || ack.text.value.contains(['\r', '\n']) {
            cx.at(
                &ack.text,
                "`ack.text` is the acknowledgement without line ends",
            );
        }
    }
    let missing = match upload.end {
        UploadEndSpec::Length if upload.length.is_none() => Some("`end: length` needs `length`"),
        UploadEndSpec::Length => {
            let usage = upload
                .length
                .as_ref()
                .and_then(|l| params.iter().find(|p| p.spec.name.value == l.value));
            usage.is_some_and(|p| p.usage.optional).then_some(
                "with an optional `length` parameter, `end` says how the upload ends without it (escaped or guarded_escape)",
            )
        }
        UploadEndSpec::Announced if upload.announce.is_none() => {
            Some("`end: announced` needs `announce`")
        }
        UploadEndSpec::Escaped if upload.terminator.is_none() || upload.escape.is_none() => {
            Some("`end: escaped` needs `terminator` and `escape`")
        }
        UploadEndSpec::GuardedEscape if upload.sequence.is_none() || upload.guard_ms.is_none() => {
            Some("`end: guarded_escape` needs `sequence` and `guard_ms`")
        }
        _ => None,
    };
    if let Some(message) = missing {
        cx.at(syntax, message);
    }
}
