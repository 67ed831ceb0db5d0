//! Writing validated command values as command-line bytes.

use std::io::Write as _;

/// Appends the pieces of one AT command line to a buffer.
///
/// Values reaching the writer have already been validated by the command's
/// constructor, so writing cannot fail.
#[derive(Debug)]
pub struct CommandWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> CommandWriter<'a> {
    /// Starts writing at the end of `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// Writes fixed text from the command's syntax (`AT+SETPARAM=`, `"URL"`, `,`).
    pub fn literal(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes an integer in decimal.
    pub fn int(&mut self, value: impl Into<i128>) {
        // Writing into a Vec cannot fail.
        let _ = write!(self.out, "{}", value.into());
    }

    /// Writes a string, between double quotes when `quoted`.
    pub fn string(&mut self, value: &str, quoted: bool) {
        if quoted {
            self.out.push(b'"');
        }
        self.out.extend_from_slice(value.as_bytes());
        if quoted {
            self.out.push(b'"');
        }
    }
}

impl CommandWriter<'_> {
    /// Writes a string field of a response line or URC whose parser takes it quoted
    /// or bare: between quotes, unless it holds a `"` (which would end a quoted
    /// value early), then bare.
    pub fn string_for_line(&mut self, value: &str) {
        self.string(value, !value.contains('"'));
    }

    /// Writes a quoted or bare string, putting `escape` before every `"`, `,` and
    /// `escape` in it (dialects such as one that reads `\"` as a literal quote).
    pub fn string_escaped(&mut self, value: &str, quoted: bool, escape: char) {
        let mut escaped = String::with_capacity(value.len() + 4);
        for ch in value.chars() {
            if ch == '"' || ch == ',' || ch == escape {
                escaped.push(escape);
            }
            escaped.push(ch);
        }
        self.string(&escaped, quoted);
    }

    /// Writes a string that the modem takes as-is when it is ASCII, and otherwise as
    /// `prefix` followed by the UTF-8 bytes in hexadecimal (the `{non-ascii}` rule).
    pub fn string_non_ascii(&mut self, value: &str, quoted: bool, prefix: &str) {
        if value.is_ascii() {
            self.string(value, quoted);
            return;
        }
        self.literal(prefix);
        let hex: String = value.bytes().map(|b| format!("{b:02X}")).collect();
        self.string(&hex, quoted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pieces_in_order() {
        let mut buf = Vec::new();
        let mut w = CommandWriter::new(&mut buf);
        w.literal("AT+X=");
        w.int(-3i32);
        w.literal(",");
        w.string("a b", true);
        w.literal(",");
        w.string("A", false);
        assert_eq!(buf, b"AT+X=-3,\"a b\",A");
    }

    #[test]
    fn escaped_strings() {
        let mut buf = Vec::new();
        CommandWriter::new(&mut buf).string_escaped("{\"a\":\"b,c\\\"}", true, '\\');
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\"{\\\"a\\\":\\\"b\\,c\\\\\\\"}\""
        );
    }

    #[test]
    fn non_ascii_strings_get_the_prefix_and_hex() {
        let mut buf = Vec::new();
        let mut w = CommandWriter::new(&mut buf);
        w.string_non_ascii("a.txt", true, "{non-ascii}");
        w.literal(",");
        w.string_non_ascii("é", true, "{non-ascii}");
        assert_eq!(buf, b"\"a.txt\",{non-ascii}\"C3A9\"");
    }
}
