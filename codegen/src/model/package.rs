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
    /// The document's title as printed on it, without its version.
    pub title: String,
    /// Version and/or date as printed on the document (`V1.09 (2015-08-03)`);
    /// left out when the source states none.
    #[serde(default)]
    pub version: Option<String>,
    /// What of the document is used, or how it was obtained; listed in the crate
    /// docs, not in citations.
    #[serde(default)]
    pub note: Option<String>,
    /// Where the text used lives for the spec's authors (a path under `shared/` or a
    /// URL); generated docs link it only when it is a public `http(s)` URL.
    #[serde(default)]
    pub location: Option<String>,
    /// A public URL where the document (or the copy used) can be read, when
    /// `location` is not one; generated docs link it.
    #[serde(default)]
    pub public: Option<String>,
}

impl ManualSpec {
    /// The public URL citations link to: `public`, else `location` if it is a URL.
    pub fn public_url(&self) -> Option<&str> {
        let is_url = |s: &&str| s.starts_with("http://") || s.starts_with("https://");
        self.public
            .as_deref()
            .or(self.location.as_deref().filter(is_url))
    }

    /// How generated docs name the document: title and version, linked to its
    /// public URL when it has one.
    pub fn cited_name(&self) -> String {
        let name = match &self.version {
            Some(version) => format!("{} {version}", self.title),
            None => self.title.clone(),
        };
        match self.public_url() {
            Some(url) => format!("[{name}]({url})"),
            None => name,
        }
    }
}
