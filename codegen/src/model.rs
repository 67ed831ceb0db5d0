//! The spec format: what a `package.yaml` and a module file may contain.
//!
//! These types are the single source of truth for the format. The JSON Schema in
//! `specs/schema/` is generated from them, and `specs/README.md` documents them
//! with examples. Every struct denies unknown fields so that a misspelt key is an
//! error with a location, never silently ignored.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

pub use crate::located::Located;

/// `specs/<package>/package.yaml`: one modem family (or the shared V.250 basics).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    /// Short lower-case name; the generated crate is `atspec-<package>`.
    pub package: Located<String>,
    /// Human title, for example "SIMCom SIM800 series".
    pub title: String,
    /// Vendor name as printed on the manuals.
    pub vendor: String,
    /// Module models this package covers.
    #[serde(default)]
    pub modules: Vec<String>,
    /// What the package covers, for the crate documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// Documents the specs are written from; commands cite them by `id`.
    pub manuals: Vec<ManualSpec>,
    /// Other packages whose code tables and result codes this one builds on.
    #[serde(default)]
    pub depends: Vec<Located<String>>,
    /// The vendor's line vocabulary: result codes, prompts, line limits.
    #[serde(default)]
    pub dialect: DialectSpec,
}

/// A source document.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualSpec {
    /// Short id used in `source:` fields, for example `AN` or `M109`.
    pub id: Located<String>,
    /// The document's title and version.
    pub title: String,
    /// Where the text used lives (a path under `shared/` or a public URL).
    #[serde(default)]
    pub location: Option<String>,
}

/// Line vocabulary of a modem family.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DialectSpec {
    /// Bytes ending a command line; default `"\r"`.
    #[serde(default)]
    pub terminator: Option<String>,
    /// Longest command line the modem accepts, in characters.
    #[serde(default)]
    pub max_command_length: Option<Located<u64>>,
    /// Final result codes (and error-detail lines) beyond those of dependencies.
    #[serde(default)]
    pub results: Vec<ResultSpec>,
    /// Data prompts.
    #[serde(default)]
    pub prompts: Vec<PromptSpec>,
    /// A character that escapes `"`, `,` and itself inside quoted string parameters
    /// (ESP-AT: `\`). Without it such strings are refused.
    #[serde(default)]
    pub string_escape: Option<Located<String>>,
    /// What the modem's command parser accepts beyond the canonical command line
    /// that atspec sends; the generated command-line parsers (for emulators and log
    /// readers) accept the same. When absent, that of the first dependency (canonical
    /// lines only without one); `[]` accepts canonical lines only.
    #[serde(default)]
    pub accepts: Option<Vec<Located<AcceptSpec>>>,
    /// Notes on the dialect (echo default, auto-baud, ...).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A liberty a modem's command parser takes with command lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AcceptSpec {
    /// Letters of the fixed text (`AT`, command names, keyword tokens such as
    /// `"CONTYPE"`) in any case: `at+httpinit`, `"Contype"`.
    AnyCase,
    /// Numeric parameters between double quotes: `AT+HTTPPARA="CID","1"`.
    QuotedNumbers,
    /// String parameters without their double quotes: `AT+HTTPPARA="URL",http://host/`.
    UnquotedStrings,
}

/// A final result code: `OK`, `ERROR`, `+CME ERROR: <code>`, `SEND OK`, ...
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultSpec {
    /// The text; a trailing `<code>` placeholder marks a coded result.
    pub template: Located<String>,
    /// What the result says.
    pub kind: ResultKindSpec,
    /// Code table for the `<code>` placeholder.
    #[serde(default)]
    pub table: Option<Located<String>>,
    /// What the manual says about it.
    pub doc: String,
}

/// What a result code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultKindSpec {
    /// Success.
    Ok,
    /// Failure.
    Error,
    /// A line that qualifies the error result after it.
    Detail,
    /// The line was ignored because an earlier command is still running; the
    /// earlier command's own result comes later.
    Busy,
}

/// A data prompt.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PromptSpec {
    /// The prompt text as sent (`"> "`, `DOWNLOAD`, `CONNECT`).
    pub text: Located<String>,
    /// Whether the prompt is a full CR LF-terminated line.
    pub line: bool,
    /// What the manual says about it.
    pub doc: String,
}

/// One module file: a manual chapter (`http.yaml`, `bearer.yaml`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleSpec {
    /// Rust module name of the generated code.
    pub module: Located<String>,
    /// Chapter title.
    pub title: String,
    /// Overview for the module documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// Default source of everything in the file.
    pub source: SourceRef,
    /// Code tables (status codes, error codes, enumerations shared by commands).
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    /// Commands.
    #[serde(default)]
    pub commands: Vec<CommandSpec>,
    /// Unsolicited result codes.
    #[serde(default)]
    pub urcs: Vec<LineSpec>,
    /// The manual's example exchanges; each becomes a golden test.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// Where something is written in a manual.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// A manual `id` from `package.yaml`.
    pub manual: Located<String>,
    /// Section number or title.
    #[serde(default)]
    pub section: Option<String>,
}

/// A code table: numeric or text codes with their meanings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// snake_case name; the generated enum is its PascalCase form.
    pub name: Located<String>,
    /// What the table is.
    pub doc: String,
    /// Whether codes are numbers or text.
    #[serde(rename = "type")]
    pub kind: TableKind,
    /// A table of a dependency (`<package>.<table>`) whose codes this one includes.
    #[serde(default)]
    pub extends: Option<Located<String>>,
    /// Where the table is in the manual.
    #[serde(default)]
    pub source: Option<SourceRef>,
    /// The codes.
    pub codes: Vec<CodeSpec>,
}

/// Kind of code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Decimal integers.
    Int,
    /// Text tokens (`GET`, `A`, `"URL"`).
    Text,
}

/// One code of a table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// The code as sent.
    pub code: Located<Scalar>,
    /// snake_case name; becomes the enum variant.
    pub name: Located<String>,
    /// The manual's meaning.
    pub meaning: String,
    /// What the code says about the operation; default unspecified.
    #[serde(default)]
    pub outcome: Option<OutcomeSpec>,
    /// Verbose text the modem sends instead of the number (for example in
    /// `+CME ERROR: <text>` mode), when it differs from `meaning`.
    #[serde(default)]
    pub text: Option<String>,
    /// Set when the source marks this fact UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// What a code says about an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeSpec {
    /// Success.
    Success,
    /// Failure.
    Failure,
    /// Intermediate state; more follows.
    Progress,
}

/// A number or a string in YAML.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A string.
    Text(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Int(v) => write!(f, "{v}"),
            Scalar::Text(v) => write!(f, "{v:?}"),
        }
    }
}

/// A command and its forms.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandSpec {
    /// The name as the manual writes it after `AT` (`+HTTPPARA`, `E`, `I`; empty
    /// for plain `AT`).
    pub name: Located<String>,
    /// PascalCase base name of the generated types; derived from `name` if absent.
    #[serde(default)]
    pub ident: Option<Located<String>>,
    /// One-line summary from the manual.
    pub summary: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Section in the manual.
    #[serde(default)]
    pub section: Option<String>,
    /// Source, when not the module's manual.
    #[serde(default)]
    pub source: Option<SourceRef>,
    /// Parameters shared by all forms (referenced as `<name>` in syntax templates).
    #[serde(default)]
    pub params: Vec<FieldSpec>,
    /// `AT+X=?`
    #[serde(default)]
    pub test: Option<FormSpec>,
    /// `AT+X?`
    #[serde(default)]
    pub read: Option<FormSpec>,
    /// `AT+X=<...>`
    #[serde(default)]
    pub write: Option<FormSpec>,
    /// `AT+X`
    #[serde(default)]
    pub exec: Option<FormSpec>,
    /// Manual notes worth keeping (persistence, ordering rules, ...).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Set when the source marks the command UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// One form of a command. Either `syntax` (one shape) or `variants` (a
/// sub-command family whose first arguments select the shape).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormSpec {
    /// Syntax template, for example `AT+HTTPACTION=<method>`.
    #[serde(default)]
    pub syntax: Option<Located<String>>,
    /// What the form does, when it differs from the command summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Form-specific parameters (in addition to the command's).
    #[serde(default)]
    pub params: Vec<FieldSpec>,
    /// Information lines before the final result code.
    #[serde(default)]
    pub response: Vec<LineSpec>,
    /// Maximum time to the final result code, in milliseconds.
    #[serde(default)]
    pub timeout_ms: Option<Located<u64>>,
    /// A URC that completes the command after its final result code.
    #[serde(default)]
    pub completion: Option<CompletionSpec>,
    /// Data the host sends after a prompt.
    #[serde(default)]
    pub upload: Option<UploadSpec>,
    /// A data-mode download that follows a prompt.
    #[serde(default)]
    pub download: Option<DownloadSpec>,
    /// `true` when the modem answers with its response lines only and never sends a
    /// final result code (SIM800 `AT+CIFSR`: one bare IP-address line, no `OK`); the
    /// exchange ends once the lines received parse as the response, while an error
    /// result still ends it as a failure. Needs at least one response line, every one
    /// mandatory (`repeat: one`) and without a payload, and cannot go with
    /// `completion`, `upload` or `download`. Inherited by the form's variants.
    #[serde(default)]
    pub no_final_result: Option<Located<bool>>,
    /// Sub-commands; each inherits unset fields from the form.
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
    /// Notes for this form.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One sub-command of a family (`AT+HTTPPARA="URL",<url>`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// snake_case name; appended to the command's type name.
    pub name: Located<String>,
    /// Syntax template with the selecting values written literally.
    pub syntax: Located<String>,
    /// What the variant does.
    pub summary: String,
    /// Variant-specific parameters.
    #[serde(default)]
    pub params: Vec<FieldSpec>,
    /// Information lines, when they differ from the form's.
    #[serde(default)]
    pub response: Option<Vec<LineSpec>>,
    /// Timeout, when it differs from the form's.
    #[serde(default)]
    pub timeout_ms: Option<Located<u64>>,
    /// Completion URC, when it differs from the form's.
    #[serde(default)]
    pub completion: Option<CompletionSpec>,
    /// Upload, when it differs from the form's.
    #[serde(default)]
    pub upload: Option<UploadSpec>,
    /// Download, when it differs from the form's.
    #[serde(default)]
    pub download: Option<DownloadSpec>,
    /// Notes for this variant.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Set when the source marks this variant UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// A parameter of a command, or a field of a response line or URC.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Name as used between `<` and `>` in templates.
    pub name: Located<String>,
    /// What the manual says it is.
    pub doc: String,
    /// Value type.
    #[serde(rename = "type")]
    pub kind: Located<FieldKind>,
    /// Smallest value (int).
    #[serde(default)]
    pub min: Option<Located<i64>>,
    /// Largest value (int).
    #[serde(default)]
    pub max: Option<Located<i64>>,
    /// Smallest length in bytes (string).
    #[serde(default)]
    pub min_len: Option<Located<u64>>,
    /// Largest length in bytes (string).
    #[serde(default)]
    pub max_len: Option<Located<u64>>,
    /// Code table giving the values (enum).
    #[serde(default)]
    pub table: Option<Located<String>>,
    /// Only these codes of the table are allowed here (enum parameters).
    #[serde(default)]
    pub allowed: Option<Vec<Located<Scalar>>>,
    /// How the value is quoted. Default: strings and text-code enums `always` in
    /// commands and `optional` in responses; numbers `never`.
    #[serde(default)]
    pub quoted: Option<Quoting>,
    /// Value the modem uses when the parameter is omitted.
    #[serde(default)]
    pub default: Option<Located<Scalar>>,
    /// Unit of the value (`ms`, `s`, `bytes`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Only ASCII characters are accepted (string).
    #[serde(default)]
    pub ascii_only: bool,
    /// Further characters the modem cannot take (string).
    #[serde(default)]
    pub forbid: Option<String>,
    /// Logged as `***` (passwords).
    #[serde(default)]
    pub secret: bool,
    /// For `count`: the repeated parameter whose number of values this is.
    #[serde(default)]
    pub count_of: Option<Located<String>>,
    /// For repeated parameters: most values allowed.
    #[serde(default)]
    pub max_count: Option<Located<u64>>,
    /// Prefix the modem needs before a string holding non-ASCII text, for example
    /// `{non-ascii}`; the string is then sent hex-encoded after it.
    #[serde(default)]
    pub non_ascii_prefix: Option<String>,
    /// Set when the source marks a fact about the field UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// Field types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A decimal integer; `min`/`max` size the Rust type.
    Int,
    /// A string; `max_len`, `quoted`, `forbid`, `ascii_only` apply.
    String,
    /// A value from a code table (`table`).
    Enum,
    /// The number of values of a repeated parameter (`count_of`); derived, never set by hand.
    Count,
    /// The rest of the line as text (last field of a line only).
    Text,
}

/// How a string (or text code) is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quoting {
    /// Always in double quotes.
    Always,
    /// Never quoted.
    Never,
    /// Either (responses only).
    Optional,
}

/// The shape of one response line or URC.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// snake_case name; the generated struct is its PascalCase form.
    pub name: Located<String>,
    /// Template, for example `+HTTPACTION: <method>,<status_code>,<data_len>`.
    pub template: Located<String>,
    /// What the line means.
    pub doc: String,
    /// Types of the template's placeholders.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    /// How often the line occurs in a response; default `one`.
    #[serde(default)]
    pub repeat: Option<RepeatSpec>,
    /// What it means when firmware leaves out this line, which the response otherwise
    /// always has (response lines with `repeat: one` only).
    #[serde(default)]
    pub absent: Option<AbsentSpec>,
    /// Raw bytes announced by this line.
    #[serde(default)]
    pub payload: Option<PayloadSpec>,
    /// Responses of other commands this URC shares its prefix with, and the rule
    /// that tells them apart.
    #[serde(default)]
    pub shares_prefix: Vec<SharedPrefixSpec>,
    /// Set when the source marks the line UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// A mandatory response line that some firmware leaves out, and what its absence
/// stands for.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsentSpec {
    /// The line, written out as the modem would send it, that an absent line is read
    /// as (`"+HTTPREAD: 0"`). A payload it announces must be empty.
    pub means: Located<String>,
    /// Where the omission was seen, when the manual does not say it.
    #[serde(default)]
    pub note: Option<String>,
    /// Set when the omission is not in the manual; says why it is believed.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// How often a response line occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepeatSpec {
    /// Exactly once.
    One,
    /// Zero or one time.
    Optional,
    /// Zero or more times.
    Many,
}

/// A length-prefixed payload announced by a line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayloadSpec {
    /// The field holding the length in bytes.
    pub length: Located<String>,
    /// Where the bytes start.
    pub placement: PlacementSpec,
    /// A length value that announces no bytes but ends the transfer (`0` when a
    /// download sends `+X: <n>` chunks and then `+X: 0`). The line then goes to the
    /// command's completion. Only on the data line of a completion (`completion.data`).
    #[serde(default)]
    pub end_marker: Option<Located<u64>>,
}

/// Where payload bytes start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementSpec {
    /// After the announcing line's CR LF.
    NextLine,
    /// Right after the length field and its comma, on the same line.
    SameLine,
}

/// A response a URC shares its prefix with.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedPrefixSpec {
    /// `<command name>.<form>` or `<command name>.<form>.<variant>` (`+HTTPACTION.test`).
    pub response_of: Located<String>,
    /// How a line is told apart.
    pub rule: DisambiguationRule,
}

/// How a line that could be a URC or a response is told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisambiguationRule {
    /// While that command is waiting for its final result, a line that parses as
    /// its response is the response; anything else with the prefix is the URC.
    ResponseWhilePending,
    /// The literal text after the shared prefix differs (`+FTPGET: 1,` vs `+FTPGET: 2,`).
    Literal,
}

/// A deferred completion URC.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionSpec {
    /// Name of the URC (in any module of the package).
    pub urc: Located<String>,
    /// How long after the final result code the URC may take, in milliseconds.
    pub timeout_ms: Located<u64>,
    /// URC fields that must equal parameters of the command (`urc_field: param`).
    #[serde(default)]
    pub matches: BTreeMap<String, Located<String>>,
    /// URC field whose code table outcome decides success or failure.
    #[serde(default)]
    pub result_field: Option<Located<String>>,
    /// URC enum field carrying a second code on failure (a server's own reply code
    /// beside the module's error); the client's error keeps it. Needs `result_field`.
    #[serde(default)]
    pub detail_field: Option<Located<String>>,
    /// Lines carrying payload chunks that arrive before the completion URC.
    #[serde(default)]
    pub data: Option<Located<String>>,
    /// URC field stating how many bytes were transferred; the client checks it
    /// against the bytes it received.
    #[serde(default)]
    pub length: Option<Located<String>>,
    /// How the timeout was chosen, when the manual gives no bound.
    #[serde(default)]
    pub note: Option<String>,
}

/// An upload after a prompt.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadSpec {
    /// Prompt text (a dialect prompt); required unless `announce` is given.
    #[serde(default)]
    pub prompt: Option<Located<String>>,
    /// A response line that acts as the prompt and says how many bytes the modem
    /// accepts (`+FTPPUT: 2,<cnflength>`); use with `end: announced`.
    #[serde(default)]
    pub announce: Option<AnnounceSpec>,
    /// How the upload ends.
    pub end: UploadEndSpec,
    /// For `length`: the parameter giving the byte count.
    #[serde(default)]
    pub length: Option<Located<String>>,
    /// A parameter giving the modem's input timeout in milliseconds.
    #[serde(default)]
    pub input_timeout: Option<Located<String>>,
    /// For `escaped`: terminator byte (26 = Ctrl+Z).
    #[serde(default)]
    pub terminator: Option<u8>,
    /// For `escaped`: escape byte (3 = ETX).
    #[serde(default)]
    pub escape: Option<u8>,
    /// For `guarded_escape`: the sequence (`+++`).
    #[serde(default)]
    pub sequence: Option<String>,
    /// For `guarded_escape`: silence before and after, in milliseconds.
    #[serde(default)]
    pub guard_ms: Option<u64>,
    /// Result code the modem sends after the data, when not `OK` (`SEND OK`).
    #[serde(default)]
    pub result: Option<String>,
    /// Acknowledgements the modem sends while it takes the data, when a parameter
    /// asks for them; the host waits for each before it sends more (`end: length`
    /// only).
    #[serde(default)]
    pub ack: Option<UploadAckSpec>,
}

/// Acknowledgements during an upload (Quectel AT+QFUPL with `<ackmode>` 1: `A` after
/// each 1024 bytes).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadAckSpec {
    /// The int or enum parameter that turns acknowledgements on.
    pub param: Located<String>,
    /// The value (enum code) of that parameter that turns them on.
    pub when: i64,
    /// Bytes after which each acknowledgement comes.
    pub every: Located<u64>,
    /// The acknowledgement as the modem sends it, without line ends (`A`).
    pub text: Located<String>,
}

/// A response line that announces an upload and its accepted length.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnounceSpec {
    /// Name of a response line of the same form.
    pub line: Located<String>,
    /// Its int field with the number of bytes to send.
    pub length: Located<String>,
}

/// How an upload ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadEndSpec {
    /// After the number of bytes given by `length`.
    Length,
    /// After the number of bytes the `announce` line gives.
    Announced,
    /// At `terminator`, with `escape` before literal terminator/escape bytes.
    Escaped,
    /// By `sequence` framed by `guard_ms` of silence.
    GuardedEscape,
}

/// A data-mode download.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DownloadSpec {
    /// Prompt that starts data mode (`CONNECT`).
    pub prompt: Located<String>,
    /// How data mode ends.
    pub end: DownloadEndSpec,
    /// For `length`: the parameter giving the byte count.
    #[serde(default)]
    pub length: Option<Located<String>>,
}

/// How a data-mode download ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DownloadEndSpec {
    /// With a final result code.
    FinalResult,
    /// After `length` bytes.
    Length,
}

/// An exchange from the manual.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// The example's title in the manual.
    pub title: String,
    /// Where it is.
    pub source: SourceRef,
    /// Corrections made to the extracted text, and why.
    #[serde(default)]
    pub note: Option<String>,
    /// The exchange, in order.
    pub steps: Vec<StepSpec>,
}

/// One step of an example: exactly one of `send`, `recv`, `data`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// A command line the host sends, exactly as the typed command encodes it.
    #[serde(default)]
    pub send: Option<Located<String>>,
    /// A line the modem sends.
    #[serde(default)]
    pub recv: Option<Located<String>>,
    /// Raw payload bytes (as far as the manual shows them).
    #[serde(default)]
    pub data: Option<Located<String>>,
    /// Length of raw payload bytes the manual elides.
    #[serde(default)]
    pub data_len: Option<u64>,
    /// For `recv` lines: the field values the line must parse to.
    #[serde(default)]
    pub expect: Option<BTreeMap<String, Located<Scalar>>>,
    /// The line as printed in the manual, when the spec corrects it.
    #[serde(default)]
    pub manual: Option<String>,
    /// What the manual says about the step.
    #[serde(default)]
    pub note: Option<String>,
}

/// `specs/<package>/manual-index.yaml`: what the manuals list, for `cargo xtask coverage`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexSpec {
    /// One entry per manual.
    pub manuals: Vec<ManualIndex>,
}

/// The commands and examples one manual lists.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualIndex {
    /// A manual `id` of the package.
    pub manual: Located<String>,
    /// Command names as the manual's command list gives them (`+HTTPINIT`).
    #[serde(default)]
    pub commands: Vec<Located<String>>,
    /// Sections holding example exchanges.
    #[serde(default)]
    pub examples: Vec<IndexedExample>,
    /// Why this manual's examples do not run end to end yet (no emulator behaviour
    /// for the modem so far). Coverage then lists the missing flows without failing.
    #[serde(default)]
    pub flows_pending: Option<String>,
}

/// An example section of a manual.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexedExample {
    /// Section number as the spec's examples cite it.
    pub section: Located<String>,
    /// The section's title.
    pub title: String,
}
