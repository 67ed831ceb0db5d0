//! Module families of a package and the facts that differ between them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Scalar, SourceRef};
use crate::located::Located;

/// A module family (model) the package covers, whose facts may differ from the
/// common ones (`package.yaml` `families:`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilySpec {
    /// snake_case id used by `only:` and `families:` elsewhere in the package; the
    /// generated `Model` variant is its PascalCase form.
    pub name: Located<String>,
    /// The family as the manuals name it ("SIM7500/SIM7600 series").
    pub title: String,
    /// The manual (and section) that describes this family.
    #[serde(default)]
    pub source: Option<SourceRef>,
    /// The package's `modules:` that belong to this family, so a tool that reads
    /// a module's model name (`AT+CGMM`) can tell the family.
    #[serde(default)]
    pub modules: Vec<Located<String>>,
}

/// Facts of a field that differ on some families: `families: { sim7600: { max_len: 256 } }`
/// beside the common values, which stay the default for every other family.
pub type FieldFamilies = BTreeMap<FamilyKey, FieldFamilySpec>;

/// A family id used as a map key, with its position for diagnostics.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct FamilyKey(pub Located<String>);

impl PartialEq for FamilyKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.value == other.0.value
    }
}

impl Eq for FamilyKey {}

impl PartialOrd for FamilyKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FamilyKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.value.cmp(&other.0.value)
    }
}

/// The field facts one family may give differently from the common ones.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldFamilySpec {
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
    /// Value the modem uses when the parameter is omitted.
    #[serde(default)]
    pub default: Option<Located<Scalar>>,
}

/// Timeouts that differ on some families: `families: { sim7600: { timeout_ms: 20000 } }`
/// beside a form's, variant's or completion's `timeout_ms`, which stays the default for
/// every other family.
pub type TimeoutFamilies = BTreeMap<FamilyKey, TimeoutFamilySpec>;

/// The timeout one family gives differently from the common one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeoutFamilySpec {
    /// The family's bound, in milliseconds.
    pub timeout_ms: Located<u64>,
}
