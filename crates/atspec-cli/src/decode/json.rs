//! The `--json` output: one object per explained line.
//!
//! Keys: `line`, `dir` (`host`, `modem`, `unknown`), `text` (secrets masked; CR,
//! LF, tab, backslash and bytes that are not printable text escaped as `\r`, `\n`,
//! `\t`, `\\`, `\xNN`), `kind`, `command`
//! (the command in flight, `null` when none), `command_line` (where it was sent),
//! `fields` (name → value; a coded field → `{"code", "meaning"}`; a name given
//! twice → an array), `meaning` (the codes' decoded meaning), `explanation`,
//! `bytes` (a payload's byte count) and `anomalies`.

use serde_json::{Map, Value, json};

use super::model::{Entry, Field};

/// `entries` as JSON lines.
pub fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        out.push_str(&object(entry).to_string());
        out.push('\n');
    }
    out
}

/// One explained line as a JSON object.
pub fn object(entry: &Entry) -> Value {
    json!({
        "line": entry.line,
        "dir": entry.dir.as_str(),
        "text": entry.text,
        "kind": entry.kind.as_str(),
        "command": entry.command.as_ref().map(|c| c.name.as_str()),
        "command_line": entry.command.as_ref().map(|c| c.line),
        "fields": fields(&entry.fields),
        "meaning": entry.meaning,
        "explanation": entry.explanation,
        "bytes": entry.bytes,
        "anomalies": entry.anomalies,
    })
}

fn fields(fields: &[Field]) -> Value {
    let mut map = Map::new();
    for field in fields {
        let value = if field.coded {
            json!({ "code": field.value, "meaning": field.meaning })
        } else {
            Value::String(field.value.clone())
        };
        match map.get_mut(&field.name) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                map.insert(field.name.clone(), value);
            }
        }
    }
    Value::Object(map)
}
