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
    let mut session_scope = Scope::new(package, deps, Input::ftp_session());
    let session = spec
        .session
        .as_ref()
        .map(|s| procedure_in(cx, s, &mut session_scope, &[]));
    let session_ids = session_scope.steps;
    let mut operations = Operations {
        cx,
        package,
        deps,
        session: session.as_ref(),
        session_ids: &session_ids,
    };
    let get = operations.plain("get", &spec.get, Input::ftp_get(), &[], None);
    let put = operations.plain("put", &spec.put, Input::ftp_put(), &[], None);
    let size = spec.size.as_ref().map(|s| {
        (
            s,
            operations.plain("size", s, Input::ftp(), &["size"], None),
        )
    });
    let delete = spec
        .delete
        .as_ref()
        .map(|s| operations.plain("delete", s, Input::ftp(), &[], None));
    let list = spec
        .list
        .as_ref()
        .map(|s| operations.located("list", s, Input::ftp(), &[]));
    let mkdir = spec
        .mkdir
        .as_ref()
        .map(|s| operations.located("mkdir", s, Input::ftp(), &[]));
    let rmdir = spec
        .rmdir
        .as_ref()
        .map(|s| operations.located("rmdir", s, Input::ftp(), &[]));
    let rename = spec
        .rename
        .as_ref()
        .map(|s| operations.located("rename", s, Input::ftp_rename(), &[]));
    let pwd = spec.pwd.as_ref().map(|s| {
        (
            s,
            operations.located("pwd", s, Input::ftp_session(), &["path"]),
        )
    });
    if let Some((spec, resolved)) = &size {
        require_result(cx, spec, resolved, "size", "ftp `size`");
        check_size_result(cx, spec, resolved);
    }
    if let Some((spec, resolved)) = &pwd {
        require_result(cx, spec, resolved, "path", "ftp `pwd`");
        check_path_result(cx, spec, resolved);
    }
    for (name, spec) in [("get", Some(&spec.get)), ("put", Some(&spec.put))]
        .into_iter()
        .chain([
            ("size", spec.size.as_ref()),
            ("delete", spec.delete.as_ref()),
            ("list", spec.list.as_deref()),
            ("mkdir", spec.mkdir.as_deref()),
            ("rmdir", spec.rmdir.as_deref()),
            ("rename", spec.rename.as_deref()),
            ("pwd", spec.pwd.as_deref()),
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
        list,
        mkdir,
        rmdir,
        rename,
        pwd: pwd.map(|(_, p)| p),
    }
}

/// Resolves operations after the session: each sees the session's step ids, and
/// its resolved procedure holds the session's steps around its own.
struct Operations<'c, 'x, 'p> {
    cx: &'c mut Cx<'x>,
    package: &'p Package,
    deps: &'p BTreeMap<String, Package>,
    session: Option<&'p Procedure>,
    session_ids: &'p [(String, crate::ir::Command, bool)],
}

impl Operations<'_, '_, '_> {
    /// An operation whose mistakes point at its first step (`at`: or at `at`).
    fn plain(
        &mut self,
        name: &str,
        spec: &ProcedureSpec,
        inputs: Inputs,
        results: &[&str],
        at: Option<(u64, u64)>,
    ) -> Procedure {
        let mut scope = Scope::new(self.package, self.deps, inputs);
        scope.steps = self.session_ids.to_vec();
        if name == "list" {
            scope.output = "$output.listing";
        }
        let own = procedure_in(self.cx, spec, &mut scope, results);
        let at = at.unwrap_or_else(|| {
            spec.steps
                .first()
                .map(|s| (s.line, s.column))
                .unwrap_or((0, 0))
        });
        check_inputs_read(self.cx, name, &own, at);
        if name == "list" && !own.steps.iter().any(|s| s.command.exchange.downloads()) {
            self.cx.at_pos(
                at.0,
                at.1,
                "ftp `list` must download the listing: a step with `download: $output.listing`",
            );
        }
        within_session(self.session, own)
    }

    /// An operation declared at a known place.
    fn located(
        &mut self,
        name: &str,
        spec: &Located<ProcedureSpec>,
        inputs: Inputs,
        results: &[&str],
    ) -> Procedure {
        self.plain(name, spec, inputs, results, Some((spec.line, spec.column)))
    }
}

/// A test of the references a procedure reads.
type RefTest = dyn Fn(&Ref) -> bool;

/// The inputs an operation must read: what it works on. An operation that never
/// reads them would work on whatever an earlier call left set in the module.
fn check_inputs_read(cx: &mut Cx<'_>, name: &str, own: &Procedure, at: (u64, u64)) {
    let path = |r: &Ref| {
        matches!(
            r,
            Ref::Input(Input::RemotePath | Input::RemoteDir | Input::RemoteName)
        )
    };
    let required: &[(&str, &RefTest)] = match name {
        "get" | "put" | "size" | "delete" => {
            &[("the file (`$input.path`, `dir` or `name`)", &path)]
        }
        "list" | "mkdir" | "rmdir" => &[("the directory (`$input.path`, `dir` or `name`)", &path)],
        "rename" => &[
            ("the old path (`$input.from`)", &|r: &Ref| {
                matches!(r, Ref::Input(Input::RemotePath))
            }),
            ("the new path (`$input.to`)", &|r: &Ref| {
                matches!(r, Ref::Input(Input::RenameTo))
            }),
        ],
        _ => &[],
    };
    for (what, wanted) in required {
        if !own.reads(wanted) {
            cx.at_pos(
                at.0,
                at.1,
                format!("ftp `{name}` never reads {what}: no step binds it"),
            );
        }
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

/// Only `get` and `list` have a sink, only `get` a total to tell, and only `put` a body.
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
            && !matches!(operation, "get" | "list")
        {
            cx.at(
                down,
                format!("only `get` and `list` have an output; `{operation}` cannot download"),
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

/// `path` must read a text field of a step.
fn check_path_result(cx: &mut Cx<'_>, spec: &ProcedureSpec, resolved: &Procedure) {
    let Some((_, expr)) = resolved.results.iter().find(|(n, _)| n == "path") else {
        return;
    };
    let fine = matches!(
        expr,
        Expr::Ref(Ref::Step(f))
            if matches!(f.field.ty, FieldType::String | FieldType::Text)
                && !f.field.usage.repeated
                && f.lines.is_none()
    );
    if !fine && let Some(text) = spec.result.get("path") {
        cx.at(
            text,
            "`path` must be a text field of a step (`$<id>.<field>`)",
        );
    }
}
