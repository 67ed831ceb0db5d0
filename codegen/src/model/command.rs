//! Commands, their forms (test, read, write, exec) and the variants of a form.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    CompletionSpec, DownloadSpec, FieldSpec, LineSpec, SourceRef, TimeoutFamilies, UploadSpec,
};
use crate::located::Located;

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
    /// Families that have this command (ids from `package.yaml` `families:`); absent:
    /// every family. The family-aware constructor refuses it on the others.
    #[serde(default)]
    pub only: Option<Located<Vec<Located<String>>>>,
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
    /// `timeout_ms` of the families whose manuals give another bound
    /// (`{ sim7600: { timeout_ms: 20000 } }`); inherited by the form's variants.
    #[serde(default)]
    pub families: TimeoutFamilies,
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
    /// Families that have this form (ids from `package.yaml` `families:`); absent:
    /// those of the command. The family-aware constructor refuses it on the others.
    #[serde(default)]
    pub only: Option<Located<Vec<Located<String>>>>,
    /// Sub-commands; each inherits unset fields from the form.
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
    /// Notes for this form.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Set when the source marks this form UNCONFIRMED; says why. Its variants
    /// inherit it.
    #[serde(default)]
    pub unconfirmed: Option<String>,
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
    /// `timeout_ms` of the families whose manuals give another bound. A family's
    /// bound is the nearest one given: this entry, the variant's `timeout_ms`, the
    /// form's entry, the form's `timeout_ms`.
    #[serde(default)]
    pub families: TimeoutFamilies,
    /// Completion URC, when it differs from the form's.
    #[serde(default)]
    pub completion: Option<CompletionSpec>,
    /// Upload, when it differs from the form's.
    #[serde(default)]
    pub upload: Option<UploadSpec>,
    /// Download, when it differs from the form's.
    #[serde(default)]
    pub download: Option<DownloadSpec>,
    /// Families that have this variant (ids from `package.yaml` `families:`); absent:
    /// those of the form. The family-aware constructor refuses it on the others.
    #[serde(default)]
    pub only: Option<Located<Vec<Located<String>>>>,
    /// Notes for this variant.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Set when the source marks this variant UNCONFIRMED; says why.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}
