//! The manual's example exchanges.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Scalar, SourceRef};
use crate::located::Located;

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
    /// Families the exchange belongs to (ids from `package.yaml` `families:`); its
    /// golden test builds each command for each of them. Absent: the common limits.
    #[serde(default)]
    pub families: Option<Vec<Located<String>>>,
    /// The exchange, in order.
    pub steps: Vec<StepSpec>,
    /// Set when the example's exchange is not (or not wholly) from the source; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
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
