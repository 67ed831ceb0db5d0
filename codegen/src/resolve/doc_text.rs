//! Spec text that generated docs cannot render as written.
//!
//! The emitter escapes what rustdoc would misread (see `emit::doc_escape`). What it
//! cannot mend is reported here: a backtick that opens a code span nobody closes
//! (where the span was meant to end is unknowable), and a manual URL that cannot be
//! a link target. Every prose value of a file is checked, found by walking its YAML
//! events, so no text field can be forgotten.

use serde_saphyr::granit_parser::{Event, Parser};

use super::Cx;
use crate::emit::doc_escape::{unclosed_backtick, unlinkable_url};

/// Keys whose values (or list items) end up in generated documentation.
const PROSE_KEYS: &[&str] = &[
    "title",
    "description",
    "summary",
    "doc",
    "note",
    "notes",
    "meaning",
    "unconfirmed",
    "version",
    "vendor",
    "section",
    "unit",
];

/// Keys holding a manual's URL.
const URL_KEYS: &[&str] = &["location", "public"];

/// Checks every prose value and manual URL of the file `cx` points at.
pub(super) fn check_doc_text(cx: &mut Cx<'_>) {
    let text = cx.file.text.clone();
    // Where each container stands: mappings alternate key and value.
    enum Frame {
        Map { key: Option<String> },
        List { key: Option<String> },
    }
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(&text) {
        // Syntax errors are the loader's to report.
        let Ok((event, span)) = event else { return };
        let key_here = match stack.last() {
            Some(Frame::Map { key }) | Some(Frame::List { key }) => key.clone(),
            None => None,
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let list = matches!(event, Event::SequenceStart(..));
                if let Some(Frame::Map { key }) = stack.last_mut() {
                    key.take();
                }
                stack.push(if list {
                    Frame::List { key: key_here }
                } else {
                    Frame::Map { key: None }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(value, ..) => {
                let line = span.start.line() as u64;
                let column = span.start.col() as u64 + 1;
                match stack.last_mut() {
                    Some(Frame::Map { key }) if key.is_none() => *key = Some(value.into_owned()),
                    Some(Frame::Map { key }) => {
                        let key = key.take().unwrap_or_default();
                        check_value(cx, &key, &value, line, column);
                    }
                    Some(Frame::List { key }) => {
                        let key = key.clone().unwrap_or_default();
                        check_value(cx, &key, &value, line, column);
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
}

fn check_value(cx: &mut Cx<'_>, key: &str, value: &str, line: u64, column: u64) {
    if PROSE_KEYS.contains(&key)
        && let Some(at) = unclosed_backtick(value)
    {
        let (line, column) = locate(&cx.file.text, value, at, line, column);
        cx.at_pos(
            line,
            column,
            format!(
                "`{key}` has a backtick that opens a code span and none closes it; close it or write the backtick as code (`` ` ``)"
            ),
        );
    }
    if URL_KEYS.contains(&key) {
        let is_url = value.starts_with("http://") || value.starts_with("https://");
        if key == "public" && !is_url {
            cx.at_pos(line, column, "`public` must be an http:// or https:// URL");
        } else if is_url && let Some(why) = unlinkable_url(value) {
            cx.at_pos(
                line,
                column,
                format!("the URL in `{key}` {why}, so the docs cannot link it; percent-encode it"),
            );
        }
    }
}

/// The file position of char `at` of a scalar that starts at `line:column`. Folded
/// and quoted scalars do not keep their source layout, so the text from that char
/// to the next space is looked up from the scalar's start: its occurrence as often
/// as it occurs in the value before `at`.
fn locate(file: &str, value: &str, at: usize, line: u64, column: u64) -> (u64, u64) {
    let fragment: String = value
        .chars()
        .skip(at)
        .take_while(|c| !c.is_whitespace())
        .collect();
    let before: String = value.chars().take(at).collect();
    let mut skip = before.matches(fragment.as_str()).count();
    for (n, text) in file
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1) as usize)
    {
        let mut from = if n + 1 == line as usize {
            text.char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(text.len(), |(i, _)| i)
        } else {
            0
        };
        while let Some(found) = text[from..].find(&fragment) {
            if skip == 0 {
                let column = text[..from + found].chars().count() as u64 + 1;
                return (n as u64 + 1, column);
            }
            skip -= 1;
            from += found + fragment.len().max(1);
        }
    }
    (line, column)
}
