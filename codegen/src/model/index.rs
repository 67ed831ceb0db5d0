//! `manual-index.yaml`: what each manual lists, for `cargo xtask coverage`.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::located::Located;

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
