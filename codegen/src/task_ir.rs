//! Resolved tasks: every step's command shape looked up, every binding typed, every
//! condition parsed. The task emitter reads only this.

use crate::ir::{Field, FieldType, TableRef};
use crate::model::LinkKindSpec;

/// The tasks of one package.
#[derive(Debug, Clone, Default)]
pub struct Tasks {
    /// `network:`.
    pub network: Option<NetworkTask>,
    /// `http:`.
    pub http: Option<HttpTask>,
    /// `ftp:`.
    pub ftp: Option<FtpTask>,
}

impl Tasks {
    /// Whether the package declares any task.
    pub fn is_empty(&self) -> bool {
        self.network.is_none() && self.http.is_none() && self.ftp.is_none()
    }
}

/// A resolved `network:`.
#[derive(Debug, Clone)]
pub struct NetworkTask {
    /// Link kind.
    pub link: LinkKindSpec,
    /// Citation.
    pub source: String,
    /// Bring-up.
    pub connect: Procedure,
    /// State report.
    pub state: Procedure,
    /// Tear-down.
    pub disconnect: Procedure,
}

/// A resolved `http:`.
#[derive(Debug, Clone)]
pub struct HttpTask {
    /// Citation.
    pub source: String,
    /// Methods, lower-case runtime names (`get`).
    pub methods: Vec<String>,
    /// HTTPS by URL scheme.
    pub https: bool,
    /// Request headers.
    pub request_headers: bool,
    /// Response headers.
    pub response_headers: bool,
    /// Largest body.
    pub max_body: Option<u64>,
    /// Range requests.
    pub range: bool,
    /// `status_from_error.base`.
    pub status_base: Option<u64>,
    /// Steps.
    pub procedure: Procedure,
}

/// A resolved `ftp:`: every operation's procedure already holds the session's
/// steps before its own and the session's cleanup after its own.
#[derive(Debug, Clone)]
pub struct FtpTask {
    /// Citation.
    pub source: String,
    /// Securities, runtime names (`plain`, `explicit`, `implicit`).
    pub security: Vec<String>,
    /// Get from an offset.
    pub resume_get: bool,
    /// Put from an offset.
    pub append_put: bool,
    /// Largest put.
    pub max_put: Option<u64>,
    /// Download.
    pub get: Procedure,
    /// Upload.
    pub put: Procedure,
    /// File size.
    pub size: Option<Procedure>,
    /// Delete.
    pub delete: Option<Procedure>,
    /// Directory listing (downloads into `$output.listing`).
    pub list: Option<Procedure>,
    /// Make a directory.
    pub mkdir: Option<Procedure>,
    /// Remove a directory.
    pub rmdir: Option<Procedure>,
    /// Rename.
    pub rename: Option<Procedure>,
    /// Login directory (result `path`).
    pub pwd: Option<Procedure>,
}

/// The securities an FTP task may list, as the runtime's `FtpSecurity` names them.
pub const FTP_SECURITIES: &[&str] = &["plain", "explicit", "implicit"];

/// A resolved procedure.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// Summary.
    pub summary: Option<String>,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Cleanup steps.
    pub finally: Vec<Step>,
    /// Results by name.
    pub results: Vec<(String, Expr)>,
}

impl Procedure {
    /// Whether any step (or cleanup step) reads a reference `wanted` accepts, in a
    /// binding or a condition.
    pub fn reads(&self, wanted: &dyn Fn(&Ref) -> bool) -> bool {
        fn in_value(v: &Value, wanted: &dyn Fn(&Ref) -> bool) -> bool {
            match v {
                Value::Ref(r) => wanted(r),
                Value::Choice(c, a, b) => {
                    wanted(&c.subject) || in_value(a, wanted) || in_value(b, wanted)
                }
                _ => false,
            }
        }
        self.steps.iter().chain(&self.finally).any(|s| {
            s.when.as_ref().is_some_and(|c| wanted(&c.subject))
                || s.command
                    .args
                    .iter()
                    .any(|a| a.value.as_ref().is_some_and(|v| in_value(v, wanted)))
        })
    }
}

/// How a command is exchanged, which decides the runtime call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    /// Plain.
    Plain,
    /// Uploads.
    Upload,
    /// Returns a payload.
    Download,
    /// Uploads, then returns a payload.
    UploadDownload,
    /// Answered later by a URC.
    Deferred,
    /// Deferred, with data.
    DeferredDownload,
    /// Deferred upload.
    DeferredUpload,
}

impl Exchange {
    /// Whether the exchange uploads.
    pub fn uploads(self) -> bool {
        matches!(
            self,
            Self::Upload | Self::UploadDownload | Self::DeferredUpload
        )
    }

    /// Whether the exchange delivers payload bytes.
    pub fn downloads(self) -> bool {
        matches!(
            self,
            Self::Download | Self::UploadDownload | Self::DeferredDownload
        )
    }

    /// Whether a completion URC ends it.
    pub fn deferred(self) -> bool {
        matches!(
            self,
            Self::Deferred | Self::DeferredDownload | Self::DeferredUpload
        )
    }
}

/// A command shape a step sends.
#[derive(Debug, Clone)]
pub struct CommandUse {
    /// Crate of the command (the package itself or a dependency).
    pub package: String,
    /// Module.
    pub module: String,
    /// Struct.
    pub ident: String,
    /// What the step says it runs (`+HTTPPARA write url`).
    pub label: String,
    /// Constructor arguments in order.
    pub args: Vec<Arg>,
    /// Exchange.
    pub exchange: Exchange,
    /// Whether `new` cannot fail.
    pub infallible: bool,
}

/// One constructor argument.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The parameter.
    pub param: Field,
    /// Its value; `None` for an optional or repeated parameter left unbound.
    pub value: Option<Value>,
}

/// A bound value.
#[derive(Debug, Clone)]
pub enum Value {
    /// An integer literal.
    Int(i64),
    /// A string literal.
    Text(String),
    /// A table code: numeric code or text code.
    Code(TableRef, CodeLiteral),
    /// A reference.
    Ref(Ref),
    /// A choice by condition.
    Choice(Box<Condition>, Box<Value>, Box<Value>),
}

/// A table code literal.
#[derive(Debug, Clone)]
pub enum CodeLiteral {
    /// Numeric.
    Number(i64),
    /// Text.
    Text(String),
}

/// What a `$` reference reads.
#[derive(Debug, Clone)]
pub enum Ref {
    /// A task input.
    Input(Input),
    /// A field of an earlier step's response or completion.
    Step(StepField),
    /// Whether an earlier step that ignores its failure succeeded.
    Succeeded(String),
    /// The running chunk's offset.
    ChunkOffset,
    /// The running chunk's size.
    ChunkSize,
}

/// The task inputs the runtime defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `url` (text).
    Url,
    /// `https` (bool).
    Https,
    /// `method` (mapped to a table by code names).
    Method,
    /// `headers` (condition: any).
    Headers,
    /// `header_block` (text).
    HeaderBlock,
    /// `header_lines` (list of text).
    HeaderLines,
    /// `header_count` (number).
    HeaderCount,
    /// `body` (condition: present; upload source).
    Body,
    /// `body_len` (number).
    BodyLen,
    /// `offset` (optional number).
    Offset,
    /// `host` (text, from the URL).
    Host,
    /// `port` (number, from the URL).
    Port,
    /// `path` (text, from the URL).
    Path,
    /// `apn` (text).
    Apn,
    /// `ssid` (text).
    Ssid,
    /// `user` (optional text).
    User,
    /// `password` (optional text).
    Password,
    /// FTP `host` (text).
    ServerHost,
    /// FTP `port` (number; the default for the security when not given).
    ServerPort,
    /// FTP `user` (text; `anonymous` without a login).
    ServerUser,
    /// FTP `password` (text; empty without a login).
    ServerPassword,
    /// FTP `security` (compared with `plain`, `explicit`, `implicit`).
    Security,
    /// FTP `passive` (flag).
    Passive,
    /// The remote file's whole `path` (text).
    RemotePath,
    /// The remote file's directory, `dir` (text, ending in `/`).
    RemoteDir,
    /// The remote file's `name` (text).
    RemoteName,
    /// An FTP transfer's `offset` (optional number).
    TransferOffset,
    /// An FTP put's `body` (the upload source).
    PutBody,
    /// An FTP put's `body_len` (number).
    PutLen,
    /// An FTP rename's new path, `to` (text).
    RenameTo,
}

/// The value kinds inputs have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Text.
    Text,
    /// Text that may be absent.
    OptionalText,
    /// Number.
    Number,
    /// Number that may be absent.
    OptionalNumber,
    /// A flag.
    Flag,
    /// The request method.
    Method,
    /// A list of texts.
    TextList,
    /// Only usable in conditions (present / absent).
    Presence,
    /// The FTP security, compared with its names.
    Security,
}

/// An FTP operation's inputs: the session's (server and login) first, then its own;
/// `REMOTE_PATH` stands for the path and its parts.
macro_rules! ftp_inputs {
    (REMOTE_PATH $(, $own:expr)* $(,)?) => {
        ftp_inputs![
            ("path", Input::RemotePath, InputKind::Text),
            ("dir", Input::RemoteDir, InputKind::Text),
            ("name", Input::RemoteName, InputKind::Text),
            $($own),*
        ]
    };
    ($($own:expr),* $(,)?) => {
        &[
            ("host", Input::ServerHost, InputKind::Text),
            ("port", Input::ServerPort, InputKind::Number),
            ("user", Input::ServerUser, InputKind::Text),
            ("password", Input::ServerPassword, InputKind::Text),
            ("security", Input::Security, InputKind::Security),
            ("passive", Input::Passive, InputKind::Flag),
            $($own),*
        ]
    };
}

impl Input {
    /// `(name, kind)` of every input, per task family.
    pub fn http() -> &'static [(&'static str, Input, InputKind)] {
        &[
            ("url", Input::Url, InputKind::Text),
            ("https", Input::Https, InputKind::Flag),
            ("method", Input::Method, InputKind::Method),
            ("headers", Input::Headers, InputKind::Presence),
            ("header_block", Input::HeaderBlock, InputKind::Text),
            ("header_lines", Input::HeaderLines, InputKind::TextList),
            ("header_count", Input::HeaderCount, InputKind::Number),
            ("body", Input::Body, InputKind::Presence),
            ("body_len", Input::BodyLen, InputKind::OptionalNumber),
            ("offset", Input::Offset, InputKind::OptionalNumber),
            ("host", Input::Host, InputKind::Text),
            ("port", Input::Port, InputKind::Number),
            ("path", Input::Path, InputKind::Text),
        ]
    }

    /// Inputs of a cellular bring-up.
    pub fn cellular() -> &'static [(&'static str, Input, InputKind)] {
        &[
            ("apn", Input::Apn, InputKind::Text),
            ("user", Input::User, InputKind::OptionalText),
            ("password", Input::Password, InputKind::OptionalText),
        ]
    }

    /// Inputs of an FTP session: the server and the login, nothing of the
    /// operation (the session's steps run before every operation).
    pub fn ftp_session() -> &'static [(&'static str, Input, InputKind)] {
        ftp_inputs![]
    }

    /// Inputs of an FTP rename: the session's, the old path `from`, the new `to`.
    pub fn ftp_rename() -> &'static [(&'static str, Input, InputKind)] {
        ftp_inputs![
            ("from", Input::RemotePath, InputKind::Text),
            ("to", Input::RenameTo, InputKind::Text),
        ]
    }

    /// Inputs of an FTP operation on one path without data (size, delete, and,
    /// on a directory, list, mkdir, rmdir).
    pub fn ftp() -> &'static [(&'static str, Input, InputKind)] {
        ftp_inputs![REMOTE_PATH]
    }

    /// Inputs of an FTP get.
    pub fn ftp_get() -> &'static [(&'static str, Input, InputKind)] {
        ftp_inputs![
            REMOTE_PATH,
            ("offset", Input::TransferOffset, InputKind::OptionalNumber),
        ]
    }

    /// Inputs of an FTP put.
    pub fn ftp_put() -> &'static [(&'static str, Input, InputKind)] {
        ftp_inputs![
            REMOTE_PATH,
            ("offset", Input::TransferOffset, InputKind::OptionalNumber),
            ("body", Input::PutBody, InputKind::Presence),
            ("body_len", Input::PutLen, InputKind::Number),
        ]
    }

    /// Inputs of a Wi-Fi bring-up.
    pub fn wifi() -> &'static [(&'static str, Input, InputKind)] {
        &[
            ("ssid", Input::Ssid, InputKind::Text),
            ("password", Input::Password, InputKind::OptionalText),
        ]
    }
}

/// A field of an earlier step.
#[derive(Debug, Clone)]
pub struct StepField {
    /// The step's id.
    pub step: String,
    /// Whether the field is in the completion URC (else the response line).
    pub completion: bool,
    /// For a response of repeated lines: the response's field holding them. A
    /// condition on the field then holds when it holds for any line.
    pub lines: Option<String>,
    /// The field (boxed: fields are large and references many).
    pub field: Box<Field>,
}

impl StepField {
    /// The field's type.
    pub fn ty(&self) -> &FieldType {
        &self.field.ty
    }
}

/// A parsed condition.
#[derive(Debug, Clone)]
pub struct Condition {
    /// `not` in front.
    pub negate: bool,
    /// What is tested.
    pub subject: Ref,
    /// `None`: presence (or truth of a flag); `Some`: equals one of these.
    pub equals: Option<Vec<Value>>,
}

/// A result expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A value read.
    Ref(Ref),
    /// A condition's truth.
    Condition(Condition),
    /// A field of the first of a step's repeated lines for which a condition on
    /// that line holds (`$contexts.addr where $contexts.cid == 1`); absent when no
    /// line does.
    Pick {
        /// The field read (its `lines` names the repeated lines).
        field: StepField,
        /// The test on each line, over the same lines' fields.
        when: Condition,
    },
}

/// How a `chunks:` step splits its transfer.
#[derive(Debug, Clone)]
pub struct ChunkPlan {
    /// How many bytes in all: a step's number field or a number input.
    pub total: Ref,
    /// The most one piece moves.
    pub size: u64,
    /// Where the first piece starts: an offset input.
    pub from: Option<Ref>,
    /// A field that lowers the piece size.
    pub size_from: Option<Ref>,
}

/// A session report a step waits for.
#[derive(Debug, Clone)]
pub struct AwaitUrc {
    /// The URC's struct (and `Urc` variant) ident.
    pub ident: String,
    /// The field with the result code.
    pub field: Box<Field>,
    /// How long one wait lasts.
    pub within_ms: u64,
}

/// One resolved step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Id.
    pub id: Option<String>,
    /// The command.
    pub command: CommandUse,
    /// Condition.
    pub when: Option<Condition>,
    /// Chunking.
    pub chunks: Option<ChunkPlan>,
    /// Polling: condition, pause and limit in milliseconds.
    pub until: Option<(Condition, u64, u64)>,
    /// Polling ends with an error when this holds.
    pub fail_when: Option<Condition>,
    /// Recovery commands.
    pub recover: Vec<CommandUse>,
    /// A report awaited after rounds.
    pub await_urc: Option<AwaitUrc>,
    /// Repeat while this response field is above 0.
    pub repeat_while: Option<Box<Field>>,
    /// Failures ignored.
    pub ignore_error: bool,
    /// Where the payload goes, for a step that downloads.
    pub output: Output,
    /// The field of the step's own answer telling the download's total.
    pub total: Option<StepField>,
    /// Note.
    pub note: Option<String>,
}

/// Where a downloading step's payload goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `$output.body`: the caller's sink.
    Body,
    /// `$output.headers`: the HTTP response's header block.
    Headers,
}
