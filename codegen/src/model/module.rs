//! A module file, where its facts come from, and its code tables.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{CommandSpec, ExampleSpec, LineSpec};
use crate::located::Located;

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
    /// A table whose codes this one includes, listed first: another table of this
    /// package (`<table>`, in any module) or a dependency's (`<package>.<table>`).
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
    /// Families that have this code (ids from `package.yaml` `families:`); absent:
    /// every family. Family-aware constructors refuse it as a parameter elsewhere.
    #[serde(default)]
    pub only: Option<Located<Vec<Located<String>>>>,
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
