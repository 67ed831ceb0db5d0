//! Information lines the modem sent before an error result, decoded through the
//! spec where the command declares the line: its fields, and for coded fields the
//! meaning from the spec's table (a join failure's reason, say).

use std::fmt;

use crate::code::CodeTable;

/// One information line sent before an error result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoLine {
    /// The line as received.
    pub line: String,
    /// The line read as one of the command's declared response lines; `None`
    /// when no declared line has its shape.
    pub decoded: Option<DecodedLine>,
}

impl InfoLine {
    /// `line` as received, decoded when `decoded` is given.
    pub fn new(line: &[u8], decoded: Option<DecodedLine>) -> Self {
        Self {
            line: String::from_utf8_lossy(line).into_owned(),
            decoded,
        }
    }

    /// The coded fields of the decoded line, in order (empty for a line the spec
    /// does not declare).
    pub fn codes(&self) -> impl Iterator<Item = &LineField> {
        self.decoded
            .iter()
            .flat_map(|d| d.fields.iter())
            .filter(|f| f.coded)
    }
}

impl fmt::Display for InfoLine {
    /// The line as received, followed by its codes' meanings in brackets:
    /// `+XJOIN:2 (The password is wrong.)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line)?;
        let mut codes = self.codes().peekable();
        if codes.peek().is_none() {
            return Ok(());
        }
        f.write_str(" (")?;
        for (i, code) in codes.enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match code.meaning {
                Some(meaning) => f.write_str(meaning)?,
                None => write!(f, "{} is not listed in the manual", code.value)?,
            }
        }
        f.write_str(")")
    }
}

/// A response line read through its spec: the line's name and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedLine {
    /// The line's name in the spec (`join_error`).
    pub name: &'static str,
    /// The fields present, in the template's order; a repeated field once per
    /// value.
    pub fields: Vec<LineField>,
}

impl DecodedLine {
    /// A line named `name` without fields yet.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            fields: Vec::new(),
        }
    }

    /// Adds a field that is no code (a number, a text).
    pub fn value(&mut self, name: &'static str, value: &impl fmt::Display) {
        self.fields.push(LineField {
            name,
            value: value.to_string(),
            coded: false,
            meaning: None,
        });
    }

    /// Adds a coded field with its meaning from the spec's table.
    pub fn code(&mut self, name: &'static str, code: &impl CodeTable) {
        self.fields.push(LineField {
            name,
            value: code.code_text(),
            coded: true,
            meaning: code.meaning(),
        });
    }

    /// The first field named `name`.
    pub fn field(&self, name: &str) -> Option<&LineField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One field of a decoded line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineField {
    /// The field's name in the spec.
    pub name: &'static str,
    /// The value as text (a code as the modem sent it, decimal for numbers).
    pub value: String,
    /// Whether the value is a code of one of the spec's tables.
    pub coded: bool,
    /// A code's meaning from the table; `None` for a code the manual does not
    /// list, and for fields that are no code.
    pub meaning: Option<&'static str>,
}
