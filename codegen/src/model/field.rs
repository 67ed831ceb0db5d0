//! Parameters of commands and fields of response lines and URCs.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{FieldFamilies, Scalar};
use crate::located::Located;

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
    /// Code tables giving the values when they come from several (enum), for
    /// example a status that is a module error code or an HTTP status; instead of
    /// `table`. The generated type says which table a value belongs to.
    #[serde(default)]
    pub tables: Vec<Located<String>>,
    /// With `tables`: the table a code listed in several of them belongs to. Without
    /// it, a code in two of the tables is an error.
    #[serde(default)]
    pub prefer: Option<Located<String>>,
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
    /// Unit of the value (`ms`, `s`, `bytes`, ...; int fields). A parameter read as a
    /// duration (an upload's `input_timeout`) needs `ms` or `s`.
    #[serde(default)]
    pub unit: Option<Located<String>>,
    /// Only ASCII characters are accepted (string).
    #[serde(default)]
    pub ascii_only: bool,
    /// Further characters the modem cannot take (string).
    #[serde(default)]
    pub forbid: Option<String>,
    /// Values the parameter cannot take because, on the command line, they select
    /// another form of the command (`"COM:"` for a local file name), compared
    /// ignoring ASCII case (string).
    #[serde(default)]
    pub reserved: Vec<String>,
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
    /// Facts that differ on some families (`sim7600: { max_len: 256 }`); the values
    /// above are the common ones.
    #[serde(default)]
    pub families: FieldFamilies,
    /// The value must start with one of these literal prefixes, compared exactly
    /// (string), for example `[http://, https://]`.
    #[serde(default)]
    pub prefix: Vec<Located<String>>,
    /// The whole value must match this regular expression (string; `regex-lite`
    /// syntax, anchored at both ends).
    #[serde(default)]
    pub pattern: Option<Located<String>>,
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

/// How a value is delimited: strings and text codes, and also integers, counts and
/// numeric codes for modems that quote them.
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
