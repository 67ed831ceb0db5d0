//! One task step: the command shape it names, how that command is exchanged,
//! and its parameters bound.

use std::collections::BTreeMap;

use super::Cx;
use super::task_value::{ValueContext, condition, reference, value};
use crate::ir::{Command, FieldType, Package};
use crate::model::{Located, TaskStepSpec};
use crate::task_ir::{
    Arg, ChunkPlan, CommandUse, Exchange, Input, InputKind, Output, Ref, Step, StepField, Value,
};

/// What a step can see: the package and its dependencies, the task's inputs, and
/// the steps before it.
pub(super) struct Scope<'p> {
    pub package: &'p Package,
    pub deps: &'p BTreeMap<String, Package>,
    pub inputs: &'static [(&'static str, Input, InputKind)],
    /// Earlier steps by id: the command shape they send, and whether the step
    /// ignores its failure (then only `$<id>.succeeded` can be read).
    pub steps: Vec<(String, Command, bool)>,
    /// Cleanup steps see every id but may not rely on one having run.
    pub cleanup: bool,
    /// Where a downloading step may put its payload (`$output.body`).
    pub output: &'static str,
}

impl<'p> Scope<'p> {
    pub fn new(
        package: &'p Package,
        deps: &'p BTreeMap<String, Package>,
        inputs: &'static [(&'static str, Input, InputKind)],
    ) -> Self {
        Self {
            package,
            deps,
            inputs,
            steps: Vec::new(),
            cleanup: false,
            output: "$output.body",
        }
    }

    /// The scope of a `finally` step: the inputs, no step results.
    pub fn for_cleanup(&self) -> Scope<'p> {
        Scope {
            package: self.package,
            deps: self.deps,
            inputs: self.inputs,
            steps: Vec::new(),
            cleanup: true,
            output: self.output,
        }
    }

    /// Every command shape the task may run: the package's, then its dependencies'.
    fn shapes(&self) -> impl Iterator<Item = (&'p str, &'p str, &'p Command)> + '_ {
        let own = std::iter::once(self.package);
        let deps = self.package.depends.iter().filter_map(|d| self.deps.get(d));
        own.chain(deps).flat_map(|p| {
            p.modules.iter().flat_map(move |m| {
                m.commands
                    .iter()
                    .map(move |c| (p.name.as_str(), m.name.as_str(), c))
            })
        })
    }
}

/// How a step names a shape: `<command> <form>[ <variant>]`.
pub(super) fn shape_label(c: &Command) -> String {
    match &c.variant {
        Some(v) => format!("{} {} {v}", c.name, c.form),
        None => format!("{} {}", c.name, c.form),
    }
}

/// Looks up `run:` text.
pub(super) fn find_command(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    run: &Located<String>,
) -> Option<(String, String, Command)> {
    let wanted: Vec<&str> = run.split_whitespace().collect();
    let found = scope.shapes().find(|(_, _, c)| {
        let label = shape_label(c);
        label.split_whitespace().eq(wanted.iter().copied())
    });
    match found {
        Some((package, module, c)) => Some((package.to_owned(), module.to_owned(), c.clone())),
        None => {
            let labels: Vec<String> = scope.shapes().map(|(_, _, c)| shape_label(c)).collect();
            cx.at(
                run,
                format!(
                    "no command shape `{}` in this package or its dependencies (write \
                     `<command> <form>[ <variant>]`, e.g. `+CGATT write`){}",
                    run.value,
                    crate::suggest::did_you_mean(run, labels.iter().map(String::as_str))
                ),
            );
            None
        }
    }
}

/// How the command is exchanged, from its execution data.
pub(super) fn exchange(c: &Command) -> Exchange {
    let uploads = c.upload.is_some();
    let downloads = c.download.is_some()
        || c.completion_data.is_some()
        || c.response.iter().any(|l| l.spec.payload.is_some());
    match (c.completion.is_some(), uploads, downloads) {
        (true, true, _) => Exchange::DeferredUpload,
        (true, false, true) => Exchange::DeferredDownload,
        (true, false, false) => Exchange::Deferred,
        (false, true, true) => Exchange::UploadDownload,
        (false, true, false) => Exchange::Upload,
        (false, false, true) => Exchange::Download,
        (false, false, false) => Exchange::Plain,
    }
}

/// A command use with its bindings checked against the shape's parameters.
pub(super) fn command_use(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    run: &Located<String>,
    with: &BTreeMap<String, Located<crate::model::ValueSpec>>,
) -> Option<(CommandUse, Command)> {
    let (package, module, c) = find_command(cx, context.scope, run)?;
    let params: Vec<_> = c
        .params
        .iter()
        .filter(|p| !matches!(p.ty, FieldType::Count { .. }))
        .collect();
    for (name, bound) in with {
        if !params.iter().any(|p| &p.spec.name.value == name) {
            let names: Vec<&str> = params.iter().map(|p| p.spec.name.as_str()).collect();
            cx.at(
                bound,
                format!(
                    "`{}` has no parameter `{name}`; it takes {names:?}{}",
                    run.value,
                    crate::suggest::did_you_mean(name, names.iter().copied())
                ),
            );
        }
    }
    let mut args = Vec::new();
    for p in &params {
        let bound = with.get(&p.spec.name.value);
        let value = match bound {
            Some(b) => value(cx, context, p, b),
            None => {
                if !(p.usage.optional || p.usage.repeated) {
                    cx.at(
                        run,
                        format!(
                            "`{}` needs its parameter `{}` bound in `with`",
                            run.value, p.spec.name.value
                        ),
                    );
                }
                None
            }
        };
        args.push(Arg {
            param: (*p).clone(),
            value,
        });
    }
    let used = CommandUse {
        package,
        module,
        ident: c.ident.clone(),
        label: run.value.clone(),
        args,
        exchange: exchange(&c),
        infallible: crate::emit::infallible_constructor(&c),
    };
    Some((used, c))
}

/// Resolves one step and records its id for the steps after it.
pub(super) fn resolve_step(
    cx: &mut Cx<'_>,
    scope: &mut Scope<'_>,
    spec: &Located<TaskStepSpec>,
) -> Option<Step> {
    let with_chunks = spec.chunks.is_some();
    let context = ValueContext::step(scope, with_chunks);
    let when = spec.when.as_ref().and_then(|w| condition(cx, &context, w));
    let chunks = spec
        .chunks
        .as_ref()
        .and_then(|ch| chunk_plan(cx, &context, ch));
    let (command, shape) = command_use(cx, &context, &spec.run, &spec.with)?;
    let output = check_data(cx, scope, spec, command.exchange);
    let await_urc = spec
        .await_urc
        .as_ref()
        .and_then(|a| super::task_await::await_urc(cx, context.scope.package, &shape, a));
    let repeat_while = spec
        .repeat_while
        .as_ref()
        .and_then(|r| super::task_await::repeat_field(cx, &shape, r));
    super::task_await::check_rounds(cx, spec);
    if let Some(plan) = &chunks {
        check_chunk_size(cx, spec, &command, plan.size);
    }
    let mut recover = Vec::new();
    for run in &spec.recover {
        if let Some((used, _)) = command_use(cx, &context, run, &BTreeMap::new()) {
            if !matches!(used.exchange, Exchange::Plain | Exchange::Deferred) {
                cx.at(
                    run,
                    "a `recover` command cannot move data: it is sent without a body or output",
                );
            }
            recover.push(used);
        }
    }
    let id = spec.id.as_ref().map(|i| i.value.clone());
    if let (Some(i), Some(w)) = (&spec.id, &spec.when) {
        cx.at(
            w,
            format!(
                "step `{}` has an `id`, so it must always run: drop `when` or the `id`",
                i.value
            ),
        );
    }
    if let (Some(i), Some(_)) = (&spec.id, &spec.chunks) {
        cx.at(
            i,
            "a step with `chunks` runs many times: it cannot have an `id`",
        );
    }
    if let (Some(i), true, Some(_)) = (&spec.id, spec.ignore_error, &spec.until) {
        cx.at(i, "a polling step (`until`) cannot ignore its failure");
    }
    let mut fail_when = None;
    let until = match &spec.until {
        Some(u) => {
            let Some(id) = &id else {
                cx.at(
                    &u.test,
                    "a step with `until` needs an `id` its test can read",
                );
                return None;
            };
            scope.steps.push((id.clone(), shape.clone(), false));
            let context = ValueContext::step(scope, with_chunks);
            let test = condition(cx, &context, &u.test)?;
            fail_when = match &u.fail_when {
                Some(text) => Some(condition(cx, &context, text)?),
                None => None,
            };
            Some((test, u.every_ms, u.within_ms))
        }
        None => None,
    };
    let total = spec
        .total
        .as_ref()
        .and_then(|t| total_field(cx, scope, spec, &shape, t));
    if let Some(id) = &spec.id {
        if !crate::names::is_snake(id) || matches!(id.as_str(), "input" | "output" | "chunk") {
            cx.at(
                id,
                format!(
                    "step id `{}` must be snake_case and not `input`, `output` or `chunk`",
                    id.value
                ),
            );
        } else if until.is_none() {
            if scope.steps.iter().any(|(s, ..)| s == &id.value) {
                cx.at(id, format!("step id `{}` is used twice", id.value));
            }
            scope
                .steps
                .push((id.value.clone(), shape, spec.ignore_error));
        }
    }
    Some(Step {
        id,
        command,
        when,
        chunks,
        until,
        fail_when,
        recover,
        await_urc,
        repeat_while,
        ignore_error: spec.ignore_error,
        output,
        total,
        note: spec.note.clone(),
    })
}

/// `total:`: a number field of the step's own answer, in a procedure that
/// downloads (HTTP, or an FTP operation; `task_ftp` narrows that to `get`). It is
/// read from the step's own outcome, so a step that ignores its failure may have it.
fn total_field(
    cx: &mut Cx<'_>,
    scope: &mut Scope<'_>,
    spec: &Located<TaskStepSpec>,
    shape: &Command,
    text: &Located<String>,
) -> Option<StepField> {
    let downloads = scope
        .inputs
        .iter()
        .any(|(_, i, _)| matches!(i, Input::Url | Input::RemotePath));
    if !downloads {
        cx.at(
            text,
            "`total` is for a procedure that downloads (HTTP, FTP `get`)",
        );
        return None;
    }
    let Some(id) = &spec.id else {
        cx.at(
            text,
            "a step with `total` needs an `id` to read its own field by",
        );
        return None;
    };
    if spec.chunks.is_some() || spec.until.is_some() || spec.repeat_while.is_some() {
        cx.at(
            text,
            "a step with `total` runs once: no `chunks`, `until` or `repeat_while`",
        );
        return None;
    }
    scope.steps.push((id.value.clone(), shape.clone(), false));
    let found = reference(cx, &ValueContext::step(scope, false), text);
    scope.steps.pop();
    match found? {
        Ref::Step(f)
            if f.step == id.value
                && matches!(f.field.ty, FieldType::Int { .. })
                && f.lines.is_none()
                && !f.field.usage.repeated =>
        {
            Some(f)
        }
        _ => {
            cx.at(
                text,
                format!(
                    "`total` must be a number field of this step (`${}.<field>`)",
                    id.value
                ),
            );
            None
        }
    }
}

/// `chunks:`: a total from a step's number field or a number input, a piece size
/// of at least 1, and optionally a start offset from an offset input.
fn chunk_plan(
    cx: &mut Cx<'_>,
    context: &ValueContext<'_, '_>,
    ch: &crate::model::ChunksSpec,
) -> Option<ChunkPlan> {
    let total = reference(cx, context, &ch.total)?;
    let counts = match &total {
        Ref::Step(f) => matches!(f.field.ty, FieldType::Int { .. }) && f.lines.is_none(),
        Ref::Input(i) => number_input(context, *i),
        _ => false,
    };
    if !counts {
        cx.at(
            &ch.total,
            "`chunks.total` must be an earlier step's number field or a number input",
        );
        return None;
    }
    if ch.size == 0 {
        cx.at(&ch.total, "`chunks.size` must be at least 1");
        return None;
    }
    let from = match &ch.from {
        Some(text) => {
            let from = reference(cx, context, text)?;
            if !matches!(from, Ref::Input(i) if number_input(context, i)) {
                cx.at(
                    text,
                    "`chunks.from` must be an offset input (`$input.offset`)",
                );
                return None;
            }
            Some(from)
        }
        None => None,
    };
    let size_from = match &ch.size_from {
        Some(text) => {
            let field = reference(cx, context, text)?;
            if !matches!(&field, Ref::Step(f) if matches!(f.field.ty, FieldType::Int { .. }) && f.lines.is_none())
            {
                cx.at(
                    text,
                    "`chunks.size_from` must be a number field of an earlier step",
                );
                return None;
            }
            Some(field)
        }
        None => None,
    };
    Some(ChunkPlan {
        total,
        size: ch.size,
        from,
        size_from,
    })
}

/// Whether `input` is a number input of the task (given or optional).
fn number_input(context: &ValueContext<'_, '_>, input: Input) -> bool {
    context.scope.inputs.iter().any(|(_, i, kind)| {
        *i == input && matches!(kind, InputKind::Number | InputKind::OptionalNumber)
    })
}

/// `upload:` and `download:` must match what the command does; the output a
/// download goes to: the scope's own (`Output::Body`), or the response headers in
/// the HTTP task, whose inputs have a `url`.
fn check_data(
    cx: &mut Cx<'_>,
    scope: &Scope<'_>,
    spec: &Located<TaskStepSpec>,
    exchange: Exchange,
) -> Output {
    let output = scope.output;
    match (&spec.upload, exchange.uploads()) {
        (Some(u), false) => cx.at(u, format!("`{}` does not upload", spec.run.value)),
        (None, true) => cx.at(
            &spec.run,
            format!(
                "`{}` uploads: say what with `upload: $input.body`",
                spec.run.value
            ),
        ),
        (Some(u), true) if u.as_str() != "$input.body" => {
            cx.at(u, "the only upload source is `$input.body`")
        }
        _ => {}
    }
    match (&spec.download, exchange.downloads()) {
        (Some(d), false) => cx.at(d, format!("`{}` returns no payload", spec.run.value)),
        (None, true) => cx.at(
            &spec.run,
            format!(
                "`{}` returns a payload: say where with `download: {output}`",
                spec.run.value
            ),
        ),
        (Some(d), true) if d.as_str() == "$output.headers" => {
            if scope.inputs.iter().any(|(_, i, _)| *i == Input::Url) {
                return Output::Headers;
            }
            cx.at(d, "only the HTTP task has `$output.headers`")
        }
        (Some(d), true) if d.as_str() != output => {
            if scope.inputs.iter().any(|(_, i, _)| *i == Input::Url) {
                cx.at(
                    d,
                    format!("the download targets here are `{output}` and `$output.headers`"),
                )
            } else {
                cx.at(d, format!("the only download target here is `{output}`"))
            }
        }
        _ => {}
    }
    Output::Body
}

/// A piece bound to a parameter must fit its range, or every round would be
/// refused at run time.
fn check_chunk_size(
    cx: &mut Cx<'_>,
    spec: &Located<TaskStepSpec>,
    command: &CommandUse,
    size: u64,
) {
    for a in &command.args {
        let (Some(Value::Ref(Ref::ChunkSize)), FieldType::Int { max, .. }) =
            (&a.value, &a.param.ty)
        else {
            continue;
        };
        let name = &a.param.spec.name.value;
        if u64::try_from(*max).is_ok_and(|max| size > max)
            && let Some(bound) = spec.with.get(name)
        {
            cx.at(
                bound,
                format!(
                    "`chunks.size` is {size}, but `{name}` of `{}` takes at most {max}",
                    spec.run.value
                ),
            );
        }
    }
}
