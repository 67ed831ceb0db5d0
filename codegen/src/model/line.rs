//! Response lines and URCs: how often they occur, the payloads they announce and
//! the prefixes they share.

use schemars::JsonSchema;
use serde::Deserialize;

use super::FieldSpec;
use crate::located::Located;

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
    /// snake_case name of a group of adjacent response lines of which exactly one
    /// arrives (`+X: <len>` or `+X: DATA,<len>`); the response holds the group as
    /// an enum of its lines. Response lines only, each with `repeat: one`.
    #[serde(default)]
    pub one_of: Option<Located<String>>,
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
