//! `package.yaml`: the package and the manuals it is written from.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{DialectSpec, FamilySpec};
use crate::located::Located;

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
    /// Module families whose facts differ; each fact may be given per family, the
    /// common value being the default. Empty: one set of facts for every module.
    #[serde(default)]
    pub families: Vec<FamilySpec>,
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
