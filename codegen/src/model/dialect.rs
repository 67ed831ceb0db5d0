//! A package's dialect: result codes, prompts and what its command parser accepts.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::located::Located;

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
