//! Vendor code tables (error codes, status codes) as open enums.
//!
//! A modem may send a code its manual does not list. Generated table enums keep
//! such values in an `Unknown` variant instead of failing, and every known code
//! carries its meaning from the manual.

use std::fmt;

/// What a code says about the operation that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The operation succeeded.
    Success,
    /// The operation failed.
    Failure,
    /// An intermediate state (data ready, in progress); more will follow.
    Progress,
    /// The manual does not say (also used for codes it does not list).
    Unspecified,
}

/// A code from a table, detached from its enum: what typed errors carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    /// Name of the table in the spec (for example `cme_error`).
    pub table: &'static str,
    /// The code as the modem sent it (decimal for numeric tables).
    pub code: String,
    /// The manual's meaning, or `None` for a code the manual does not list.
    pub meaning: Option<&'static str>,
}

impl fmt::Display for CodeInfo {
    /// The code and its meaning, as a user reads it (`404 Not Found`); the
    /// table's name is the spec's own and is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning {
            Some(meaning) => write!(f, "{} {meaning}", self.code),
            None => write!(f, "{} (not listed in the manual)", self.code),
        }
    }
}

/// Implemented by every generated code-table enum.
pub trait CodeTable {
    /// The table's name in the spec.
    const TABLE: &'static str;

    /// The manual's meaning of this code, `None` if the manual does not list it.
    fn meaning(&self) -> Option<&'static str>;

    /// What the code says about the operation.
    fn outcome(&self) -> Outcome;

    /// The code as text (decimal for numeric tables).
    fn code_text(&self) -> String;

    /// The code, its table and its meaning, for error values.
    fn info(&self) -> CodeInfo {
        CodeInfo {
            table: Self::TABLE,
            code: self.code_text(),
            meaning: self.meaning(),
        }
    }
}
