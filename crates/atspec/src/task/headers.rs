//! A response's header block as the modem hands it over (`Name: value` lines, maybe
//! after the status line), kept in bounded memory and parsed into name/value pairs.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

/// The most header bytes kept. A header block past it is kept up to it (its cut
/// last line dropped): a modem that sends more cannot grow memory without end.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The most header fields parsed; the rest are dropped.
pub const MAX_HEADER_FIELDS: usize = 256;

/// An [`AsyncWrite`] sink for a header block: keeps the first
/// [`MAX_HEADER_BYTES`] bytes, accepts and drops the rest (so the modem's answer is
/// read whole and the exchange stays in step).
#[derive(Debug, Default)]
pub struct HeaderBlock {
    kept: Vec<u8>,
    cut: bool,
}

impl HeaderBlock {
    /// An empty block.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether bytes past [`MAX_HEADER_BYTES`] were dropped.
    pub fn was_cut(&self) -> bool {
        self.cut
    }

    /// The fields of the block in order (see [`parse_header_block`]); a cut block
    /// loses its last, incomplete line.
    pub fn fields(&self) -> Vec<(String, String)> {
        let kept = if self.cut {
            match self.kept.iter().rposition(|&b| b == b'\n') {
                Some(end) => &self.kept[..end],
                None => &[],
            }
        } else {
            &self.kept[..]
        };
        parse_header_block(kept)
    }
}

impl AsyncWrite for HeaderBlock {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let room = MAX_HEADER_BYTES - this.kept.len();
        if buf.len() > room {
            this.cut = true;
        }
        this.kept.extend_from_slice(&buf[..buf.len().min(room)]);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The `Name: value` fields of an HTTP header block (RFC 9112 section 5), in order.
///
/// Lines end in CR LF or LF. A leading status line (`HTTP/1.1 200 OK`) is skipped;
/// an empty line ends the block. A line starting with a space or tab continues the
/// previous field's value (obsolete line folding, joined with one space). Lines
/// that are not a field (no colon, a name that is not an HTTP token) are skipped:
/// a modem's garbled line costs that line, never the others. Values lose their
/// surrounding spaces and tabs; bytes that are not UTF-8 become U+FFFD. At most
/// [`MAX_HEADER_FIELDS`] fields are returned.
pub fn parse_header_block(block: &[u8]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut last_was_field = false;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            // Leading blank lines are framing; one after a field ends the block.
            if fields.is_empty() {
                continue;
            }
            break;
        }
        if fields.is_empty() && line.starts_with(b"HTTP/") {
            continue;
        }
        if matches!(line[0], b' ' | b'\t') {
            if last_was_field && let Some((_, value)) = fields.last_mut() {
                let more = String::from_utf8_lossy(trim_ows(line));
                if !more.is_empty() {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(&more);
                }
            }
            continue;
        }
        last_was_field = false;
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.is_empty() || !name.iter().all(|&b| is_token_byte(b)) {
            continue;
        }
        if fields.len() == MAX_HEADER_FIELDS {
            break;
        }
        fields.push((
            String::from_utf8_lossy(name).into_owned(),
            String::from_utf8_lossy(trim_ows(value)).into_owned(),
        ));
        last_was_field = true;
    }
    fields
}

/// A `tchar` of RFC 9110 section 5.6.2.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `bytes` without leading and trailing spaces and tabs.
fn trim_ows(bytes: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| matches!(b, b' ' | b'\t');
    let start = bytes.iter().position(|b| !is_ows(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn pairs(block: &str) -> Vec<(String, String)> {
        parse_header_block(block.as_bytes())
    }

    fn field(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn fields_after_the_status_line_in_order() {
        let block = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Seen:  yes \r\n\r\n";
        assert_eq!(
            pairs(block),
            [field("Content-Type", "text/plain"), field("X-Seen", "yes")]
        );
    }

    #[test]
    fn bare_lf_leading_blank_lines_and_values_with_colons() {
        let block = "\r\nDate: Sun, 26 Sep 2021 06:59:13 GMT\nLocation: http://h:80/x\n";
        assert_eq!(
            pairs(block),
            [
                field("Date", "Sun, 26 Sep 2021 06:59:13 GMT"),
                field("Location", "http://h:80/x")
            ]
        );
    }

    #[test]
    fn malformed_lines_are_skipped_and_the_rest_kept() {
        let block: &[u8] =
            b"A: 1\r\nno colon here\r\nbad name: 2\r\n: empty\r\n\xff\xfe: 3\r\nB:\r\nC: \xff\r\n";
        assert_eq!(
            parse_header_block(block),
            [field("A", "1"), field("B", ""), field("C", "\u{fffd}")]
        );
    }

    #[test]
    fn folded_lines_join_the_previous_value_and_a_blank_line_ends_the_block() {
        let block = "A: one\r\n  two\r\n\tthree\r\n\r\nB: after the end\r\n";
        assert_eq!(pairs(block), [field("A", "one two three")]);
        assert_eq!(pairs("  orphan fold\r\nA: 1\r\n"), [field("A", "1")]);
        assert_eq!(pairs("HTTP/1.1 200 OK\r\n"), []);
        assert_eq!(pairs(""), []);
    }

    #[test]
    fn at_most_the_field_limit() {
        let block: String = (0..MAX_HEADER_FIELDS + 10)
            .map(|i| format!("H{i}: {i}\r\n"))
            .collect();
        let fields = pairs(&block);
        assert_eq!(fields.len(), MAX_HEADER_FIELDS);
        assert_eq!(fields[0], field("H0", "0"));
    }

    #[tokio::test]
    async fn the_block_keeps_its_bound_and_drops_a_cut_last_line() {
        let mut block = HeaderBlock::new();
        block.write_all(b"A: 1\r\nB: 2\r\n").await.unwrap();
        assert!(!block.was_cut());
        assert_eq!(block.fields(), [field("A", "1"), field("B", "2")]);
        let long = format!("C: {}\r\n", "x".repeat(MAX_HEADER_BYTES));
        block.write_all(long.as_bytes()).await.unwrap();
        block.write_all(b"D: 4\r\n").await.unwrap();
        assert!(block.was_cut());
        assert_eq!(block.kept.len(), MAX_HEADER_BYTES);
        assert_eq!(block.fields(), [field("A", "1"), field("B", "2")]);
    }
}
