//! Spec diagnostics: a message pinned to a file, line and column, with a snippet.

use std::fmt;

/// One problem found in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the file, relative to the workspace root where possible.
    pub file: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending source line, if known.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `line:column` of `file`, whose text is `source`.
    pub fn at(
        file: &str,
        source: &str,
        line: u64,
        column: u64,
        message: impl Into<String>,
    ) -> Self {
        let source_line = (line > 0)
            .then(|| source.lines().nth(line as usize - 1).map(str::to_owned))
            .flatten();
        Self {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            source_line,
        }
    }

    /// The same diagnostic moved to `line` (keeping its snippet), for a caller
    /// that holds only the offending line rather than the whole file.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        write!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        if let Some(text) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_pad = " ".repeat(self.column.saturating_sub(1) as usize);
            write!(f, "\n{pad} |\n{number} | {text}\n{pad} | {caret_pad}^")?;
        }
        Ok(())
    }
}

/// Several diagnostics, displayed one after another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        write!(f, "{} problem(s) in the specs", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}
