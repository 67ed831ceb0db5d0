//! The human output: a header naming the format and the package, one line per
//! line of the capture with its explanation, anomalies marked `!!`, and a count of
//! them at the end.

use std::fmt::Write;

use super::model::{Dir, Entry, Kind};

/// The longest payload text shown; the byte count says how long it is.
const MAX_PAYLOAD_SHOWN: usize = 48;
/// The column explanations start in, unless a line is longer.
const TEXT_WIDTH: usize = 34;

/// `entries` as text, after the header lines `header`.
pub fn render(header: &[String], entries: &[Entry]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    for entry in entries {
        out.push_str(&entry_line(entry));
        out.push('\n');
    }
    let anomalies: usize = entries.iter().map(|e| e.anomalies.len()).sum();
    let _ = match anomalies {
        0 => writeln!(out, "# no anomalies"),
        1 => writeln!(out, "# 1 anomaly"),
        n => writeln!(out, "# {n} anomalies"),
    };
    out
}

/// One explained line as the human output prints it (without a line end): `!!`
/// when something is amiss, the line number, `>` host, `<` modem or `?`, the text,
/// the kind, the explanation and the anomalies.
pub fn entry_line(entry: &Entry) -> String {
    let gutter = if entry.anomalies.is_empty() {
        "  "
    } else {
        "!!"
    };
    let dir = match entry.dir {
        Dir::Host => '>',
        Dir::Modem => '<',
        Dir::Unknown => '?',
    };
    let text = shown_text(entry);
    let mut out = format!(
        "{gutter} {:>4} {dir} {text:<TEXT_WIDTH$}  {:<8} {}",
        entry.line,
        entry.kind.as_str(),
        entry.explanation
    );
    for anomaly in &entry.anomalies {
        let _ = write!(out, "  !! {anomaly}");
    }
    out
}

fn shown_text(entry: &Entry) -> String {
    if entry.kind != Kind::Payload || entry.text.chars().count() <= MAX_PAYLOAD_SHOWN {
        return entry.text.clone();
    }
    let cut: String = entry.text.chars().take(MAX_PAYLOAD_SHOWN - 1).collect();
    format!("{}…", &cut[..whole_escapes(&cut)])
}

/// The length of `text` without an escape (`\r`, `\xff`, see
/// [`printable`](super::model::printable)) that its end cuts in two.
fn whole_escapes(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let len = match (bytes[at], bytes.get(at + 1)) {
            (b'\\', Some(b'x')) => 4,
            (b'\\', _) => 2,
            _ => 1,
        };
        if at + len > bytes.len() {
            return at;
        }
        at += len;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_payload_keeps_its_escapes_whole() {
        assert_eq!(whole_escapes("ab\\r\\"), 4);
        assert_eq!(whole_escapes("ab\\x1"), 2);
        assert_eq!(whole_escapes("ab\\\\"), 4);
        assert_eq!(whole_escapes("é\\n"), 4);
    }
}
