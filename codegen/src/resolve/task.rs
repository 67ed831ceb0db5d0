//! `tasks.yaml`: procedures resolved against the package's commands (and its
//! dependencies'), with every step, binding and result checked at spec time.

use std::collections::BTreeMap;

use super::Cx;
use super::package::{check_source, citation};
use super::task_result::{
    ADDRESS_KIND, NUMBER_KIND, UP_KIND, check_result, expr, is_condition, is_number_read,
    is_text_read,
};
use super::task_step::{Scope, resolve_step};
use super::task_value::ValueContext;
use crate::ir::Package;
use crate::model::{HttpTaskSpec, LinkKindSpec, NetworkTaskSpec, ProcedureSpec};
use crate::task_ir::{Expr, HttpTask, Input, InputKind, NetworkTask, Procedure, Tasks};

/// The methods the runtime's `Method` has.
const METHODS: &[&str] = &["get", "post", "put", "delete", "head"];

/// Resolves a package's tasks; problems go to `cx`.
pub(super) fn resolve_tasks(
    cx: &mut Cx<'_>,
    spec: &crate::model::TasksSpec,
    package: &Package,
    deps: &BTreeMap<String, Package>,
) -> Tasks {
    let manuals = package.manuals.iter().map(|m| m.id.value.clone()).collect();
    let mut tasks = Tasks::default();
    if let Some(network) = &spec.network {
        check_source(cx, &manuals, &network.source);
        tasks.network = Some(network_task(cx, network, package, deps));
    }
    if let Some(http) = &spec.http {
        check_source(cx, &manuals, &http.source);
        tasks.http = Some(http_task(cx, http, package, deps));
    }
    if let Some(ftp) = &spec.ftp {
        check_source(cx, &manuals, &ftp.source);
        tasks.ftp = Some(super::task_ftp::ftp_task(cx, ftp, package, deps));
    }
    tasks
}

fn network_task(
    cx: &mut Cx<'_>,
    spec: &NetworkTaskSpec,
    package: &Package,
    deps: &BTreeMap<String, Package>,
) -> NetworkTask {
    let inputs = match spec.link {
        LinkKindSpec::Cellular => Input::cellular(),
        LinkKindSpec::Wifi => Input::wifi(),
    };
    let connect = procedure(cx, &spec.connect, package, deps, inputs, &[]);
    let state = procedure(cx, &spec.state, package, deps, &[], &["up", "address"]);
    require_result(cx, &spec.state, &state, "up", "network `state`");
    check_result(cx, &spec.state, &state, "up", is_condition, UP_KIND);
    check_result(
        cx,
        &spec.state,
        &state,
        "address",
        is_text_read,
        ADDRESS_KIND,
    );
    let disconnect = procedure(cx, &spec.disconnect, package, deps, &[], &[]);
    NetworkTask {
        link: spec.link,
        source: citation(&package.manuals, &spec.source, None),
        connect,
        state,
        disconnect,
    }
}

fn http_task(
    cx: &mut Cx<'_>,
    spec: &HttpTaskSpec,
    package: &Package,
    deps: &BTreeMap<String, Package>,
) -> HttpTask {
    let mut methods = Vec::new();
    for method in &spec.options.methods {
        if !METHODS.contains(&method.as_str()) {
            cx.at(
                method,
                format!(
                    "unknown method `{}`; the runtime has {METHODS:?}{}",
                    method.value,
                    crate::suggest::did_you_mean(method, METHODS.iter().copied())
                ),
            );
        } else if methods.contains(&method.value) {
            cx.at(method, format!("method `{}` is listed twice", method.value));
        } else {
            methods.push(method.value.clone());
        }
    }
    let procedure = procedure(
        cx,
        &spec.procedure(),
        package,
        deps,
        Input::http(),
        &["status", "length"],
    );
    let http_spec = spec.procedure();
    for name in ["status", "length"] {
        check_result(
            cx,
            &http_spec,
            &procedure,
            name,
            is_number_read,
            NUMBER_KIND,
        );
    }
    HttpTask {
        source: citation(&package.manuals, &spec.source, None),
        methods,
        https: spec.options.https,
        request_headers: spec.options.request_headers,
        response_headers: spec.options.response_headers,
        max_body: spec.options.max_body,
        range: spec.options.range,
        status_base: spec.status_from_error.as_ref().map(|s| s.base),
        procedure,
    }
}

/// Resolves steps in order (each sees the ids before it), cleanup steps (which
/// see every id: they may run after any step) and results.
fn procedure(
    cx: &mut Cx<'_>,
    spec: &ProcedureSpec,
    package: &Package,
    deps: &BTreeMap<String, Package>,
    inputs: &'static [(&'static str, Input, InputKind)],
    results: &[&str],
) -> Procedure {
    procedure_in(cx, spec, &mut Scope::new(package, deps, inputs), results)
}

/// [`procedure`] in a scope that may already know earlier steps (an FTP
/// operation sees its session's).
pub(super) fn procedure_in(
    cx: &mut Cx<'_>,
    spec: &ProcedureSpec,
    scope: &mut Scope<'_>,
    results: &[&str],
) -> Procedure {
    let steps: Vec<_> = spec
        .steps
        .iter()
        .filter_map(|s| resolve_step(cx, scope, s))
        .collect();
    let finally: Vec<_> = spec
        .finally
        .iter()
        .filter_map(|s| {
            let step = resolve_step(cx, &mut scope.for_cleanup(), s)?;
            if step.id.is_some() {
                cx.at(
                    s,
                    "a `finally` step cannot have an `id`: nothing runs after it",
                );
            }
            Some(step)
        })
        .collect();
    let mut resolved: Vec<(String, Expr)> = Vec::new();
    for (name, text) in &spec.result {
        if !results.contains(&name.as_str()) {
            cx.at(
                text,
                format!(
                    "unknown result `{name}`; this task returns {results:?}{}",
                    crate::suggest::did_you_mean(name, results.iter().copied())
                ),
            );
            continue;
        }
        let context = ValueContext::result(scope);
        if let Some(e) = expr(cx, &context, text) {
            resolved.push((name.clone(), e));
        }
    }
    Procedure {
        summary: spec.summary.clone(),
        steps,
        finally,
        results: resolved,
    }
}

pub(super) fn require_result(
    cx: &mut Cx<'_>,
    spec: &ProcedureSpec,
    resolved: &Procedure,
    name: &str,
    what: &str,
) {
    if !spec.result.contains_key(name) && resolved.results.iter().all(|(n, _)| n != name) {
        let at = spec
            .steps
            .first()
            .map(|s| (s.line, s.column))
            .unwrap_or((0, 0));
        cx.at_pos(at.0, at.1, format!("{what} must give the result `{name}`"));
    }
}
