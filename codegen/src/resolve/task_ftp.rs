//! `ftp:` in `tasks.yaml`: the session's steps resolved once, then each operation
//! resolved after them, so that it can read the session's results and a mistake in
//! the session is reported once.

use std::collections::BTreeMap;

use super::Cx;
use super::package::citation;
use super::task::{procedure_in, require_result};
use super::task_step::Scope;
use crate::ir::{FieldType, Package};
use crate::model::{FtpTaskSpec, Located, ProcedureSpec};
use crate::task_ir::{Expr, FTP_SECURITIES, FtpTask, Input, InputKind, Procedure, Ref};

type Inputs = &'static [(&'static str, Input, InputKind)];

pub(super) fn ftp_task(
    cx: &mut Cx<'_>,
    spec: &FtpTaskSpec,
    package: &Package,
    deps: &BTreeMap<String, Package>,
) -> FtpTask {
    let security = securities(cx, &spec.options.security);
    let mut session_scope = Scope::new(package, deps, Input::ftp());
    let session = spec
        .session
        .as_ref()
        .map(|s| procedure_in(cx, s, &mut session_scope, &[]));
    let session_ids = session_scope.steps;
    let mut operation = |spec: &ProcedureSpec, inputs: Inputs, results: &[&str]| {
        let mut scope = Scope::new(package, deps, inputs);
        scope.steps = session_ids.clone();
        let own = procedure_in(cx, spec, &mut scope, results);
        within_session(session.as_ref(), own)
    };
    let get = operation(&spec.get, Input::ftp_get(), &[]);
    let put = operation(&spec.put, Input::ftp_put(), &[]);
    let size = spec
        .size
        .as_ref()
        .map(|s| (s, operation(s, Input::ftp(), &["size"])));
    let delete = spec
        .delete
        .as_ref()
        .map(|s| operation(s, Input::ftp(), &[]));
    if let Some((spec, resolved)) = &size {
        require_result(cx, spec, resolved, "size", "ftp `size`");
        check_size_result(cx, spec, resolved);
    }
    for (name, spec) in [("get", Some(&spec.get)), ("put", Some(&spec.put))]
        .into_iter()
        .chain([
            ("size", spec.size.as_ref()),
            ("delete", spec.delete.as_ref()),
        ])
        .chain([("session", spec.session.as_ref())])
    {
        if let Some(spec) = spec {
            check_data_use(cx, name, spec);
        }
    }
    FtpTask {
        source: citation(&package.manuals, &spec.source, None),
        security,
        resume_get: spec.options.resume_get,
        append_put: spec.options.append_put,
        max_put: spec.options.max_put,
        get,
        put,
        size: size.map(|(_, p)| p),
        delete,
    }
}

/// The session's steps, then the operation's; the operation's cleanup, then the
/// session's.
fn within_session(session: Option<&Procedure>, own: Procedure) -> Procedure {
    let Some(session) = session else {
        return own;
    };
    let mut steps = session.steps.clone();
    steps.extend(own.steps);
    let mut finally = own.finally;
    finally.extend(session.finally.iter().cloned());
    Procedure {
        summary: own.summary,
        steps,
        finally,
        results: own.results,
    }
}

fn securities(cx: &mut Cx<'_>, listed: &[Located<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in listed {
        if !FTP_SECURITIES.contains(&s.as_str()) {
            cx.at(
                s,
                format!(
                    "unknown FTP security `{}`; the runtime has {FTP_SECURITIES:?}{}",
                    s.value,
                    crate::suggest::did_you_mean(s, FTP_SECURITIES.iter().copied())
                ),
            );
        } else if out.contains(&s.value) {
            cx.at(s, format!("security `{}` is listed twice", s.value));
        } else {
            out.push(s.value.clone());
        }
    }
    if out.is_empty() && listed.is_empty() {
        cx.at_pos(0, 0, "an FTP task must list at least one security");
    }
    out
}

/// Only `get` has a sink (and a total to tell) and only `put` a body.
fn check_data_use(cx: &mut Cx<'_>, operation: &str, spec: &ProcedureSpec) {
    for step in spec.steps.iter().chain(&spec.finally) {
        if let Some(up) = &step.upload
            && operation != "put"
        {
            cx.at(
                up,
                format!("only `put` has a body to upload; `{operation}` cannot upload"),
            );
        }
        if let Some(down) = &step.download
            && operation != "get"
        {
            cx.at(
                down,
                format!("only `get` has an output; `{operation}` cannot download"),
            );
        }
        if let Some(total) = &step.total
            && operation != "get"
        {
            cx.at(
                total,
                format!("only `get` downloads; `{operation}` has no total to tell"),
            );
        }
    }
}

/// `size` must read a number field of a step.
fn check_size_result(cx: &mut Cx<'_>, spec: &ProcedureSpec, resolved: &Procedure) {
    let Some((_, expr)) = resolved.results.iter().find(|(n, _)| n == "size") else {
        return;
    };
    let fine = matches!(
        expr,
        Expr::Ref(Ref::Step(f)) if matches!(f.field.ty, FieldType::Int { .. }) && !f.field.usage.repeated
    );
    if !fine && let Some(text) = spec.result.get("size") {
        cx.at(
            text,
            "`size` must be a number field of a step (`$<id>.<field>`)",
        );
    }
}
