//! The resolved form of a package that the emitters read: references looked up,
//! templates parsed, dependency tables and result codes merged, names decided.

use crate::model::{
    CodeSpec, CompletionSpec, DownloadSpec, ExampleSpec, FieldSpec, LineSpec, ManualSpec,
    PromptSpec, ResultKindSpec, TableKind, UploadSpec,
};
use crate::template::{FieldUse, Template};

/// A package ready to emit.
#[derive(Debug, Clone)]
pub struct Package {
    /// Package name (`sim800`).
    pub name: String,
    /// Spec folder (`simcom-sim800`).
    pub folder: String,
    /// Title.
    pub title: String,
    /// Vendor.
    pub vendor: String,
    /// Module models covered.
    pub models: Vec<String>,
    /// Module families whose facts differ (empty: one set of facts).
    pub families: Vec<Family>,
    /// Description.
    pub description: Option<String>,
    /// Manuals.
    pub manuals: Vec<ManualSpec>,
    /// Names of the packages this one depends on.
    pub depends: Vec<String>,
    /// Merged dialect.
    pub dialect: Dialect,
    /// Modules in file order.
    pub modules: Vec<Module>,
    /// Tasks declared in `tasks.yaml`.
    pub tasks: crate::task_ir::Tasks,
}

/// A module family of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// snake_case id (`sim7600`).
    pub name: String,
    /// Title from the spec.
    pub title: String,
    /// Citation of the manual describing it.
    pub source: Option<String>,
    /// The package's modules that belong to it.
    pub modules: Vec<String>,
}

/// A merged dialect.
#[derive(Debug, Clone)]
pub struct Dialect {
    /// Command terminator.
    pub terminator: String,
    /// Longest command line.
    pub max_command_length: Option<u64>,
    /// Result codes, own first, then those of dependencies not overridden.
    pub results: Vec<ResultCode>,
    /// Prompts, own and of dependencies.
    pub prompts: Vec<PromptSpec>,
    /// Escape character for quoted strings, if the dialect has one.
    pub string_escape: Option<char>,
    /// What the modem's command parser accepts beyond canonical command lines.
    pub accepts: Accepts,
    /// URC prefixes of dependencies (own URCs are in the modules).
    pub dependency_urc_prefixes: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
}

/// The liberties a modem's command parser takes (`dialect.accepts`, resolved).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accepts {
    /// Fixed text in any letter case.
    pub any_case: bool,
    /// Quoted numbers.
    pub quoted_numbers: bool,
    /// Strings without quotes.
    pub unquoted_strings: bool,
}

/// A result code with its table resolved.
#[derive(Debug, Clone)]
pub struct ResultCode {
    /// Text before `<code>`, or the whole text.
    pub text: String,
    /// Whether a code follows.
    pub coded: bool,
    /// Kind.
    pub kind: ResultKindSpec,
    /// Table for the code: `(module path, type name)` inside this package.
    pub table: Option<TableRef>,
    /// Doc.
    pub doc: String,
}

/// Where a table's enum lives in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// Package (crate) defining the enum.
    pub package: String,
    /// Module name.
    pub module: String,
    /// Enum name.
    pub ident: String,
    /// Numeric or text.
    pub kind: TableKind,
    /// Table name in the spec.
    pub name: String,
    /// Rust type of a numeric code.
    pub raw: IntType,
}

/// One module file.
#[derive(Debug, Clone)]
pub struct Module {
    /// Rust module name.
    pub name: String,
    /// Spec file path.
    pub file: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Citation of the module's source.
    pub source: String,
    /// Tables defined here (with inherited codes merged in).
    pub tables: Vec<Table>,
    /// Command shapes (one per form or variant).
    pub commands: Vec<Command>,
    /// URCs.
    pub urcs: Vec<Line>,
    /// Examples.
    pub examples: Vec<Example>,
}

/// A code table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Where it lives.
    pub reference: TableRef,
    /// Doc.
    pub doc: String,
    /// Citation.
    pub source: String,
    /// Codes, inherited first.
    pub codes: Vec<CodeSpec>,
    /// Rust type of a numeric code.
    pub raw_int: IntType,
    /// For a field whose codes come from several tables (`tables`): those tables, in
    /// the order a code is looked up (the preferred one first); `codes` then holds
    /// every code once. Empty for a table of the spec.
    pub parts: Vec<TableRef>,
}

/// A Rust integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntType {
    /// u8
    U8,
    /// u16
    U16,
    /// u32
    U32,
    /// u64
    U64,
    /// i8
    I8,
    /// i16
    I16,
    /// i32
    I32,
    /// i64
    I64,
}

impl IntType {
    /// The smallest type holding `min..=max`.
    pub fn for_range(min: i64, max: i64) -> Self {
        if min >= 0 {
            match max {
                m if m <= u8::MAX as i64 => Self::U8,
                m if m <= u16::MAX as i64 => Self::U16,
                m if m <= u32::MAX as i64 => Self::U32,
                _ => Self::U64,
            }
        } else {
            match (min, max) {
                (lo, hi) if lo >= i8::MIN as i64 && hi <= i8::MAX as i64 => Self::I8,
                (lo, hi) if lo >= i16::MIN as i64 && hi <= i16::MAX as i64 => Self::I16,
                (lo, hi) if lo >= i32::MIN as i64 && hi <= i32::MAX as i64 => Self::I32,
                _ => Self::I64,
            }
        }
    }

    /// The type's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::U8 => "u8",
            Self::U16 => "u16",
            Self::U32 => "u32",
            Self::U64 => "u64",
            Self::I8 => "i8",
            Self::I16 => "i16",
            Self::I32 => "i32",
            Self::I64 => "i64",
        }
    }

    /// Whether the type is unsigned.
    pub fn unsigned(self) -> bool {
        matches!(self, Self::U8 | Self::U16 | Self::U32 | Self::U64)
    }
}

/// The Rust-side type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Integer with its range.
    Int {
        /// Rust type.
        ty: IntType,
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// String.
    String,
    /// Rest-of-line text.
    Text,
    /// Table enum.
    Enum(TableRef),
    /// Count of a repeated field.
    Count {
        /// The repeated field.
        of: String,
    },
}

/// A field with its resolved type and its place in the template.
#[derive(Debug, Clone)]
pub struct Field {
    /// The spec.
    pub spec: FieldSpec,
    /// Resolved type.
    pub ty: FieldType,
    /// Placement in the template.
    pub usage: FieldUse,
    /// Quoting on the wire.
    pub quoting: crate::model::Quoting,
    /// The field as each family that overrides a fact sees it (family id, field
    /// with the overrides applied), in family order.
    pub by_family: Vec<(String, Field)>,
}

/// A response line or URC.
#[derive(Debug, Clone)]
pub struct Line {
    /// The spec.
    pub spec: LineSpec,
    /// Struct name.
    pub ident: String,
    /// Parsed template.
    pub template: Template,
    /// Fields in template order.
    pub fields: Vec<Field>,
}

/// One command shape: a form, or a variant of a form.
#[derive(Debug, Clone)]
pub struct Command {
    /// Command name (`+HTTPPARA`).
    pub name: String,
    /// Struct name.
    pub ident: String,
    /// `test`, `read`, `write`, `exec`.
    pub form: String,
    /// Variant name.
    pub variant: Option<String>,
    /// Summary (variant summary, form summary or command summary).
    pub summary: String,
    /// Command description.
    pub description: Option<String>,
    /// Citation.
    pub source: String,
    /// Syntax text.
    pub syntax: String,
    /// Parsed syntax.
    pub template: Template,
    /// Parameters in template order.
    pub params: Vec<Field>,
    /// Response lines.
    pub response: Vec<Line>,
    /// Max response time.
    pub timeout_ms: Option<u64>,
    /// The max response time of each family whose bound differs from `timeout_ms`.
    pub timeout_by_family: Vec<(String, u64)>,
    /// The completion wait of each family whose bound differs from the completion's.
    pub completion_by_family: Vec<(String, u64)>,
    /// Deferred completion, with the URC resolved.
    pub completion: Option<(CompletionSpec, UrcRef)>,
    /// The URC line carrying data chunks before the completion, if any.
    pub completion_data: Option<Line>,
    /// Upload.
    pub upload: Option<UploadSpec>,
    /// Download.
    pub download: Option<DownloadSpec>,
    /// The modem answers without a final result code (`no_final_result`).
    pub no_final_result: bool,
    /// Notes (command, form and variant).
    pub notes: Vec<String>,
    /// UNCONFIRMED notes.
    pub unconfirmed: Vec<String>,
    /// The families that have this shape (`only:` of command, form, variant);
    /// `None`: every family.
    pub only: Option<Vec<String>>,
}

/// Where a URC's struct lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrcRef {
    /// Module.
    pub module: String,
    /// Struct name.
    pub ident: String,
    /// Its fields, to check `matches` and `result_field`.
    pub fields: Vec<(String, FieldType)>,
    /// Literal prefix.
    pub prefix: String,
}

/// An example with each step classified.
#[derive(Debug, Clone)]
pub struct Example {
    /// The spec.
    pub spec: ExampleSpec,
    /// Classified steps (same order as `spec.steps`).
    pub steps: Vec<Step>,
}

/// What a step of an example is.
#[derive(Debug, Clone)]
pub enum Step {
    /// A command line: module, command struct, argument bindings (param name, raw value).
    Send {
        /// Module of the command.
        module: String,
        /// Struct name.
        ident: String,
        /// The line.
        line: String,
        /// Constructor arguments, Rust expressions in parameter order.
        args: Vec<String>,
        /// The command shape sent (the emitter asks whether its constructors can fail).
        command: Box<Command>,
    },
    /// A final result or detail line.
    Result {
        /// The line.
        line: String,
        /// Its kind.
        kind: ResultKindSpec,
    },
    /// A prompt.
    Prompt {
        /// The line.
        line: String,
    },
    /// A response line of the last command.
    Response {
        /// The line.
        line: String,
        /// Module of the line struct.
        module: String,
        /// Line struct.
        ident: String,
        /// Expected values: field, Rust expression.
        expect: Vec<(String, String)>,
        /// Command whose payload rule this line announces, with the payload length.
        payload: Option<(String, String, u64)>,
    },
    /// A URC.
    Urc {
        /// The line.
        line: String,
        /// Variant of the crate's `Urc` enum.
        variant: String,
        /// Expected values: field, Rust expression.
        expect: Vec<(String, String)>,
    },
    /// Raw data.
    Data,
}

/// One entry of a response: a line, or a `one_of` group of adjacent lines.
pub enum ResponseEntry<'a> {
    /// A line on its own.
    Line(&'a Line),
    /// A group name and its lines, in declaration order.
    OneOf(&'a str, Vec<&'a Line>),
}

/// The entries of a response, adjacent lines of one `one_of` group together.
pub fn response_entries(lines: &[Line]) -> Vec<ResponseEntry<'_>> {
    let mut out: Vec<ResponseEntry<'_>> = Vec::new();
    for line in lines {
        match (&line.spec.one_of, out.last_mut()) {
            (Some(group), Some(ResponseEntry::OneOf(name, members))) if *name == group.value => {
                members.push(line)
            }
            (Some(group), _) => out.push(ResponseEntry::OneOf(&group.value, vec![line])),
            (None, _) => out.push(ResponseEntry::Line(line)),
        }
    }
    out
}
