//! The spec format: what a `package.yaml` and a module file may contain.
//!
//! These types are the single source of truth for the format. The JSON Schema in
//! `specs/schema/` is generated from them, and `specs/README.md` documents them
//! with examples. Every struct denies unknown fields so that a misspelt key is an
//! error with a location, never silently ignored.

mod command;
mod dialect;
mod example;
mod family;
mod field;
mod index;
mod line;
mod module;
mod package;
mod task;
mod transfer;

pub use command::{CommandSpec, FormSpec, VariantSpec};
pub use dialect::{AcceptSpec, DialectSpec, PromptSpec, ResultKindSpec, ResultSpec};
pub use example::{ExampleSpec, StepSpec};
pub use family::{
    FamilyKey, FamilySpec, FieldFamilies, FieldFamilySpec, TimeoutFamilies, TimeoutFamilySpec,
};
pub use field::{FieldKind, FieldSpec, Quoting};
pub use index::{IndexSpec, IndexedExample, ManualIndex};
pub use line::{
    AbsentSpec, DisambiguationRule, LineSpec, PayloadSpec, PlacementSpec, RepeatSpec,
    SharedPrefixSpec,
};
pub use module::{CodeSpec, ModuleSpec, OutcomeSpec, Scalar, SourceRef, TableKind, TableSpec};
pub use package::{ManualSpec, PackageSpec};
pub use task::{
    AwaitSpec, ChoiceSpec, ChunksSpec, FtpOptionsSpec, FtpTaskSpec, HttpOptionsSpec, HttpTaskSpec,
    LinkKindSpec, NetworkTaskSpec, ProcedureSpec, StatusFromErrorSpec, TaskStepSpec, TasksSpec,
    UntilSpec, ValueSpec,
};
pub use transfer::{
    AnnounceSpec, CompletionSpec, DownloadEndSpec, DownloadSpec, UploadAckSpec, UploadEndSpec,
    UploadSpec,
};

pub use crate::located::Located;
