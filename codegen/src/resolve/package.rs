//! Package resolution: the package-wide scope, its modules, and manual citations.

use std::collections::{BTreeMap, BTreeSet};

use super::field::FieldOwner;
use super::{
    Cx,
    command::resolve_command,
    dialect::resolve_dialect,
    doc_text, end_markers,
    line::resolve_line,
    table::{TableContext, resolve_table},
    table_union,
    uniqueness::check_shared_prefix,
    uniqueness::check_unique_idents,
};
use crate::ir::{Command, Example, Line, Module, Package, Table, TableRef, UrcRef};
use crate::load::RawPackage;
use crate::model::{ManualSpec, Scalar, SourceRef};
use crate::names;

/// Package-wide lookups used while resolving its modules.
pub(super) struct Scope<'a> {
    pub(super) package: &'a str,
    pub(super) manuals: BTreeSet<String>,
    /// The package's manual declarations, for citations.
    pub(super) manual_specs: &'a [ManualSpec],
    pub(super) tables: BTreeMap<String, TableRef>,
    pub(super) table_codes: BTreeMap<String, Vec<Scalar>>,
    pub(super) urcs: BTreeMap<String, UrcRef>,
    /// The resolved URC lines, for completions that carry data chunks.
    pub(super) urc_lines: BTreeMap<String, Line>,
    pub(super) prompts: BTreeSet<String>,
    /// Ids of the package's families, in declaration order.
    pub(super) families: Vec<String>,
    /// Per table, the codes that only some families have, with those families.
    pub(super) code_families: BTreeMap<String, Vec<(Scalar, Vec<String>)>>,
    /// Tables and URCs whose definition was refused: a reference to one is not
    /// reported again (the refusal is the one diagnostic).
    pub(super) refused: BTreeSet<String>,
}

pub(super) fn resolve_package(
    cx: &mut Cx<'_>,
    raw: &RawPackage,
    done: &BTreeMap<String, Package>,
) -> Option<Package> {
    let spec = &raw.spec;
    let errors_before = cx.diags.len();
    doc_text::check_doc_text(cx);
    for (file, _) in &raw.modules {
        doc_text::check_doc_text(&mut cx.with_file(file));
    }
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

    let families = super::family::resolve_families(cx, spec, &manuals);
    // Tables first: everything else may refer to them.
    let mut scope = Scope {
        package: &spec.package,
        manuals,
        manual_specs: &spec.manuals,
        tables: BTreeMap::new(),
        table_codes: BTreeMap::new(),
        urcs: BTreeMap::new(),
        urc_lines: BTreeMap::new(),
        prompts: BTreeSet::new(),
        families: families.iter().map(|f| f.name.clone()).collect(),
        code_families: BTreeMap::new(),
        refused: BTreeSet::new(),
    };
    let mut module_names = BTreeSet::new();
    let mut tables_by_module: BTreeMap<String, Vec<Table>> = BTreeMap::new();
    let local_tables: Vec<&crate::model::TableSpec> =
        raw.modules.iter().flat_map(|(_, m)| &m.tables).collect();
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
            let context = TableContext {
                package: &spec.package,
                manuals: &spec.manuals,
                deps: &deps,
                local: &local_tables,
            };
            if let Some(resolved) =
                resolve_table(&mut cx, &context, &module.module, table, &module.source)
            {
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
                let restricted = table
                    .codes
                    .iter()
                    .filter_map(|code| {
                        let only = super::family::resolve_only(
                            &mut cx,
                            &scope,
                            code.only.as_ref(),
                            None,
                            "code",
                        )?;
                        Some((code.code.value.clone(), only))
                    })
                    .collect::<Vec<_>>();
                if !restricted.is_empty() {
                    scope
                        .code_families
                        .insert(resolved.reference.name.clone(), restricted);
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
            } else {
                scope.refused.insert(table.name.value.clone());
            }
        }
    }

    // Fields whose codes come from several tables.
    table_union::resolve_unions(cx, raw, &mut scope, &mut tables_by_module);

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
            let Some(mut line) = resolve_line(&mut cx, &scope, urc, false) else {
                scope.refused.insert(urc.name.value.clone());
                continue;
            };
            line.ident = names::urc_ident(&urc.name.value);
            super::family_fields::apply_to_line(&mut cx, &scope, &mut line, FieldOwner::Urc);
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

    // Examples, unless a definition they use was refused: against a broken command
    // or URC they would only repeat that refusal.
    let definitions_refused = cx.diags.len() > errors_before;
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
        for example in module.examples.iter().filter(|_| !definitions_refused) {
            check_source(&mut cx, &scope.manuals, &example.source);
            let steps = super::family_shapes::example_steps(
                &mut cx,
                &scope,
                &dialect,
                example,
                &all_commands,
                &all_urcs,
            );
            super::family_shapes::check_example(&mut cx, &scope, example, &steps, &all_commands);
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
            source: citation(&spec.manuals, &module.source, None),
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
        families,
        description: spec.description.clone(),
        manuals: spec.manuals.clone(),
        depends: spec.depends.iter().map(|d| d.value.clone()).collect(),
        dialect,
        modules,
        tasks: Default::default(),
    })
}

pub(super) fn check_source(cx: &mut Cx<'_>, manuals: &BTreeSet<String>, source: &SourceRef) {
    if !manuals.contains(source.manual.as_str()) {
        cx.at(
            &source.manual,
            format!(
                "unknown manual `{}`; package.yaml lists {:?}{}",
                source.manual.value,
                manuals,
                crate::suggest::did_you_mean(&source.manual, manuals)
            ),
        );
    }
}

/// "<title> <version>, section <section>" for a source; the manual's `id` stands in
/// only for a manual the package does not declare (already reported).
pub(super) fn citation(
    manuals: &[ManualSpec],
    source: &SourceRef,
    section: Option<&str>,
) -> String {
    let name = manuals
        .iter()
        .find(|m| m.id.value == source.manual.value)
        .map(ManualSpec::cited_name)
        .unwrap_or_else(|| source.manual.value.clone());
    match section.or(source.section.as_deref()) {
        Some(section) => format!("{name}, section {section}"),
        None => name,
    }
}
