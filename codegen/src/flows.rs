//! End-to-end flow tags: which test runs which manual example section for real.
//!
//! A test function's doc comment names each example section it runs end to end:
//!
//! ```text
//! /// Manual flow: simcom-sim800 AN "3.5"
//! ```
//!
//! (spec folder, manual id, section as `manual-index.yaml` spells them). Coverage
//! counts an example section as flowed once a test carries its tag; a tag naming a
//! section no index lists is a mistake reported with its file, line and column.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::load::SpecFile;

/// The marker a tag line starts with (after `///` and spaces).
const MARKER: &str = "Manual flow:";

/// One tag found in a test source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowTag {
    /// Spec folder under `specs/`.
    pub folder: String,
    /// Manual id.
    pub manual: String,
    /// Example section.
    pub section: String,
    /// The test file, relative to the workspace root.
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column of the marker.
    pub column: u64,
    /// The tag's whole line, for diagnostics.
    pub text: String,
}

impl FlowTag {
    /// A diagnostic pointing at this tag.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.text, 1, self.column, message).at_line(self.line)
    }
}

/// Every tag in `file`; a line that starts like a tag but does not parse is a
/// diagnostic.
pub fn scan(file: &SpecFile) -> (Vec<FlowTag>, Vec<Diagnostic>) {
    let (mut tags, mut diags) = (Vec::new(), Vec::new());
    for (index, line) in file.text.lines().enumerate() {
        let Some(doc) = line.trim_start().strip_prefix("///") else {
            continue;
        };
        let Some(rest) = doc.trim_start().strip_prefix(MARKER) else {
            continue;
        };
        let column = line.find(MARKER).map_or(1, |c| c + 1) as u64;
        let line_no = index as u64 + 1;
        match parse_tag(rest) {
            Some((folder, manual, section)) => tags.push(FlowTag {
                folder,
                manual,
                section,
                path: file.path.clone(),
                line: line_no,
                column,
                text: line.to_owned(),
            }),
            None => diags.push(Diagnostic::at(
                &file.path,
                &file.text,
                line_no,
                column,
                format!("a flow tag reads `{MARKER} <spec folder> <manual id> \"<section>\"`"),
            )),
        }
    }
    (tags, diags)
}

/// `simcom-sim800 AN "3.5"` -> its three parts.
fn parse_tag(rest: &str) -> Option<(String, String, String)> {
    let rest = rest.trim();
    let (folder, rest) = rest.split_once(' ')?;
    let (manual, rest) = rest.trim_start().split_once(' ')?;
    let section = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    let valid = !folder.is_empty() && !manual.is_empty() && !section.is_empty();
    (valid && !section.contains('"'))
        .then(|| (folder.to_owned(), manual.to_owned(), section.to_owned()))
}

/// Every `*.rs` under each `crates/*/tests/` of `root`, paths relative to `root`,
/// sorted.
pub fn read_test_sources(root: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root.join("crates"))? {
        let tests = krate?.path().join("tests");
        if tests.is_dir() {
            collect_rs(root, &tests, &mut files)?;
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn collect_rs(root: &Path, dir: &Path, files: &mut Vec<SpecFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            files.push(SpecFile {
                path: relative.to_string_lossy().replace('\\', "/"),
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SpecFile {
        SpecFile {
            path: "crates/x/tests/flow.rs".to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn tags_are_read_with_their_location() {
        let (tags, diags) = scan(&file(
            "/// Runs it.\n    /// Manual flow: espressif-esp-at EX \"The GET method of HTTP client\"\n#[test]\n",
        ));
        assert!(diags.is_empty());
        assert_eq!(
            tags,
            vec![FlowTag {
                folder: "espressif-esp-at".to_owned(),
                manual: "EX".to_owned(),
                section: "The GET method of HTTP client".to_owned(),
                path: "crates/x/tests/flow.rs".to_owned(),
                line: 2,
                column: 9,
                text: "    /// Manual flow: espressif-esp-at EX \"The GET method of HTTP client\""
                    .to_owned(),
            }]
        );
    }

    #[test]
    fn a_malformed_tag_is_reported_where_it_is() {
        let (tags, diags) = scan(&file("\n/// Manual flow: simcom-sim800 AN 3.5\n"));
        assert!(tags.is_empty());
        let text = diags[0].to_string();
        assert!(text.contains("crates/x/tests/flow.rs:2:5"), "{text}");
        assert!(text.contains("<manual id>"), "{text}");
    }

    #[test]
    fn ordinary_comments_are_not_tags() {
        let (tags, diags) = scan(&file("// Manual flow: a b \"c\"\n/// Manual: a\n"));
        assert!(tags.is_empty() && diags.is_empty());
    }
}
