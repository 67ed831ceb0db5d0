//! `tasks.yaml`: a package's procedures (bring the network up, an HTTP request),
//! written as steps over the package's own commands. The generator turns them into
//! implementations of the runtime's vendor-neutral task traits.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::SourceRef;
use crate::located::Located;

/// `specs/<package>/tasks.yaml`: the tasks a package can run. A task it leaves out
/// means its generated `Modem` type does not implement that trait.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TasksSpec {
    /// Bringing the data link up and down (`atspec::task::Network`).
    #[serde(default)]
    pub network: Option<NetworkTaskSpec>,
    /// HTTP(S) requests (`atspec::task::Http`).
    #[serde(default)]
    pub http: Option<HttpTaskSpec>,
    /// FTP(S) transfers and file operations (`atspec::task::Ftp`).
    #[serde(default)]
    pub ftp: Option<FtpTaskSpec>,
}

/// The kinds of data link a network task brings up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKindSpec {
    /// A cellular packet-data link: inputs `apn`, `user`, `password`.
    Cellular,
    /// A Wi-Fi station link: inputs `ssid`, `password`.
    Wifi,
}

/// `network:`: connect, report and disconnect the data link.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkTaskSpec {
    /// The kind of link this modem brings up.
    pub link: LinkKindSpec,
    /// Where the procedure is described (an application note, a chapter).
    pub source: SourceRef,
    /// Brings the link up; must be idempotent (a link already up stays up).
    pub connect: ProcedureSpec,
    /// Reports the link: results `up` (a condition) and optionally `address`.
    pub state: ProcedureSpec,
    /// Takes the link down.
    pub disconnect: ProcedureSpec,
}

/// `http:`: one HTTP request from a `atspec::task::HttpRequest`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpTaskSpec {
    /// Where the procedure is described.
    pub source: SourceRef,
    /// What the modem's HTTP client can do; a request asking for more is refused
    /// before anything is sent.
    pub options: HttpOptionsSpec,
    /// An HTTP status the modem reports as an error code: the error-detail code
    /// minus `base`, when it is 100 to 599, is the server's status, returned as
    /// data rather than as an error.
    #[serde(default)]
    pub status_from_error: Option<StatusFromErrorSpec>,
    // The procedure's keys, written out rather than a flattened `ProcedureSpec`:
    // serde's `flatten` buffers the values and loses every position in them (each
    // diagnostic in a step would point at 0:0) and the unknown-key check.
    /// One line on what the request does, for the generated docs.
    #[serde(default)]
    pub summary: Option<String>,
    /// The steps, run in order; the first failure ends the request.
    #[serde(default)]
    pub steps: Vec<Located<TaskStepSpec>>,
    /// Steps run after the request whatever happened; their failures are ignored.
    #[serde(default)]
    pub finally: Vec<Located<TaskStepSpec>>,
    /// Results `status` and `length`: a reference to a step's field.
    #[serde(default)]
    pub result: BTreeMap<String, Located<String>>,
}

impl HttpTaskSpec {
    /// The request's procedure.
    pub fn procedure(&self) -> ProcedureSpec {
        ProcedureSpec {
            summary: self.summary.clone(),
            steps: self.steps.clone(),
            finally: self.finally.clone(),
            result: self.result.clone(),
        }
    }
}

/// What an HTTP task supports.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpOptionsSpec {
    /// Request methods (`get`, `post`, `put`, `delete`, `head`).
    pub methods: Vec<Located<String>>,
    /// Whether `https://` URLs work.
    #[serde(default)]
    pub https: bool,
    /// Whether request headers can be sent.
    #[serde(default)]
    pub request_headers: bool,
    /// Whether the response's headers are returned.
    #[serde(default)]
    pub response_headers: bool,
    /// The largest request body the module takes, in bytes.
    #[serde(default)]
    pub max_body: Option<u64>,
    /// Whether a request can start at a byte offset (range / resume).
    #[serde(default)]
    pub range: bool,
}

/// `status_from_error:`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusFromErrorSpec {
    /// The error-detail code meaning "the server answered status 0".
    pub base: u64,
}

/// `ftp:`: file transfers and operations on an FTP(S) server. Every operation runs
/// the `session` steps first and its `finally` steps last, so that it logs in and
/// out by itself.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FtpTaskSpec {
    /// Where the procedures are described.
    pub source: SourceRef,
    /// What the modem's FTP client can do; a call asking for more is refused before
    /// anything is sent.
    pub options: FtpOptionsSpec,
    /// Opening the session (configuration, login) in `steps`, closing it in
    /// `finally`; no results. Inputs: `host`, `port`, `user`, `password`,
    /// `security` (`plain`, `explicit`, `implicit`), `passive`; every operation
    /// has these too, and `path`, `dir`, `name` of the file (or directory) it
    /// works on.
    #[serde(default)]
    pub session: Option<ProcedureSpec>,
    /// Downloads a file into `$output.body`; input `offset` too.
    pub get: ProcedureSpec,
    /// Uploads `$input.body` (`body_len` bytes) to a file; input `offset` too.
    pub put: ProcedureSpec,
    /// Reads a file's size: result `size`.
    #[serde(default)]
    pub size: Option<ProcedureSpec>,
    /// Deletes a file.
    #[serde(default)]
    pub delete: Option<ProcedureSpec>,
    /// Lists a directory (`path`, `dir`, `name` of the directory) into
    /// `$output.listing`, the server's listing text, which the runtime parses.
    #[serde(default)]
    pub list: Option<Located<ProcedureSpec>>,
    /// Makes a directory (`path`, `dir`, `name` of the new directory).
    #[serde(default)]
    pub mkdir: Option<Located<ProcedureSpec>>,
    /// Removes a directory (`path`, `dir`, `name` of the directory).
    #[serde(default)]
    pub rmdir: Option<Located<ProcedureSpec>>,
    /// Renames a file or directory: inputs `from` and `to`, whole paths.
    #[serde(default)]
    pub rename: Option<Located<ProcedureSpec>>,
    /// Reports the directory a login starts in: result `path`, a text field.
    #[serde(default)]
    pub pwd: Option<Located<ProcedureSpec>>,
}

/// What an FTP task supports.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FtpOptionsSpec {
    /// The securities the modem connects with (`plain`, `explicit`, `implicit`).
    pub security: Vec<Located<String>>,
    /// Whether a get can start at an offset.
    #[serde(default)]
    pub resume_get: bool,
    /// Whether a put can write from an offset (resume an upload).
    #[serde(default)]
    pub append_put: bool,
    /// The largest file one put takes, in bytes.
    #[serde(default)]
    pub max_put: Option<u64>,
}

/// A procedure: steps in order, cleanup steps that always run, and results.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureSpec {
    /// One line on what the procedure does, for the generated docs.
    #[serde(default)]
    pub summary: Option<String>,
    /// The steps, run in order; the first failure ends the procedure.
    #[serde(default)]
    pub steps: Vec<Located<TaskStepSpec>>,
    /// Steps run after the procedure whatever happened (success, failure,
    /// timeout); their own failures are ignored.
    #[serde(default)]
    pub finally: Vec<Located<TaskStepSpec>>,
    /// The task's results: result name to a reference (`$action.status_code`), a
    /// condition (`$query.status == connected`), or a field of the first of a step's
    /// repeated lines a condition on the same lines picks
    /// (`$contexts.addr where $contexts.cid == 1`).
    #[serde(default)]
    pub result: BTreeMap<String, Located<String>>,
}

/// One step: a command of the package, with its parameters bound.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStepSpec {
    /// A name later steps and results use to read this step's response fields.
    #[serde(default)]
    pub id: Option<Located<String>>,
    /// The command shape: `<command> <form>[ <variant>]` (`+HTTPPARA write url`).
    pub run: Located<String>,
    /// Parameter bindings: parameter name to a literal, a reference (`$input.url`,
    /// `$<step id>.<field>`, `$chunk.offset`) or a choice
    /// (`{ if: $input.https, then: 2, else: 1 }`).
    #[serde(default)]
    pub with: BTreeMap<String, Located<ValueSpec>>,
    /// Run the step only when this condition holds.
    #[serde(default)]
    pub when: Option<Located<String>>,
    /// The command uploads this input (`$input.body`).
    #[serde(default)]
    pub upload: Option<Located<String>>,
    /// The command's payload goes to this output: `$output.body`, or for HTTP
    /// `$output.headers` (a response header block, parsed into the response's
    /// headers).
    #[serde(default)]
    pub download: Option<Located<String>>,
    /// The number field of this step's own answer (`$<id>.<field>`) that tells
    /// how many bytes the download will bring: for an FTP get the remote file's
    /// whole size (a get from an offset then expects the size less the offset),
    /// for HTTP the response body's length. Progress reports it as the total from
    /// then on; a step that ignores its failure leaves it unknown when it fails.
    #[serde(default)]
    pub total: Option<Located<String>>,
    /// Repeat the command over pieces of `total` bytes of at most `size` bytes;
    /// bindings read `$chunk.offset` and `$chunk.size`.
    #[serde(default)]
    pub chunks: Option<ChunksSpec>,
    /// Repeat the command until a condition on its own response holds.
    #[serde(default)]
    pub until: Option<UntilSpec>,
    /// When the command fails with an error result, run these commands (their
    /// failures ignored) and send it once more: for a session an earlier run left
    /// open.
    #[serde(default)]
    pub recover: Vec<Located<String>>,
    /// Wait for a session report after each round of `chunks` (or, with
    /// `repeat_while`, after a round that moved nothing): its result code's
    /// outcome decides: progress goes on, success ends the rounds, failure fails.
    #[serde(default, rename = "await")]
    pub await_urc: Option<AwaitSpec>,
    /// Repeat the command while this field of its response (the bytes a round
    /// moved) is above 0. With `await`, a round that moves nothing or is refused
    /// waits for the report instead, and the session's end ends the rounds.
    #[serde(default)]
    pub repeat_while: Option<Located<String>>,
    /// A failure of this step does not end the procedure.
    #[serde(default)]
    pub ignore_error: bool,
    /// Why the step is there, for the generated docs.
    #[serde(default)]
    pub note: Option<String>,
}

/// A bound parameter value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ValueSpec {
    /// `true` / `false`.
    Bool(bool),
    /// An integer (or a table code).
    Int(i64),
    /// A string, a table code's name, or a `$` reference.
    Text(String),
    /// One of two values by a condition.
    Choice(ChoiceSpec),
}

/// `{ if: <condition>, then: <value>, else: <value> }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceSpec {
    /// The condition.
    #[serde(rename = "if")]
    pub condition: Located<String>,
    /// The value when it holds.
    pub then: Box<Located<ValueSpec>>,
    /// The value otherwise.
    #[serde(rename = "else")]
    pub otherwise: Box<Located<ValueSpec>>,
}

/// `chunks:`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChunksSpec {
    /// How many bytes in all: a reference to an earlier result.
    pub total: Located<String>,
    /// The most one round moves, from the manual.
    pub size: u64,
    /// A response or completion field of an earlier step that lowers the piece
    /// size (a module that tells how much one round may carry); `size` stays the
    /// most.
    #[serde(default)]
    pub size_from: Option<Located<String>>,
    /// Where the first piece starts (`$input.offset`, for a transfer that resumes);
    /// 0 when left out or when the input is not given.
    #[serde(default)]
    pub from: Option<Located<String>>,
}

/// `await:`: a session report to wait for.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwaitSpec {
    /// The URC, by its name in the package (`put_status`).
    pub urc: Located<String>,
    /// Its field holding the result code (a table with outcomes).
    pub field: Located<String>,
    /// How long to wait for one report, in milliseconds; the command's own
    /// response time when left out.
    #[serde(default)]
    pub within_ms: Option<u64>,
}

/// `until:`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UntilSpec {
    /// The condition on this step's results (`$self.stat == registered_home`).
    pub test: Located<String>,
    /// Pause between rounds, in milliseconds.
    pub every_ms: u64,
    /// Give up after this long, in milliseconds (a caller's timeout overrides it).
    pub within_ms: u64,
    /// Stop at once when this condition on the step's results holds: a state that
    /// waiting will not change (a SIM asking for its PIN, a denied registration).
    #[serde(default)]
    pub fail_when: Option<Located<String>>,
}
