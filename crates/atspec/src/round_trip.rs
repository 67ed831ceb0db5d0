//! The parse → encode → parse check of one line type, shared by the generated
//! crates' `__fuzz::check_line` (which runs it for every response-line and URC type
//! of a package; the fuzz targets in the repository's `fuzz/` call that).

use crate::ParseError;

/// Runs `parse` on `line`: 0 if it refuses the line; 1 if the value it gives
/// encodes to a line without CR or LF (unless `line` had one) that parses back to
/// an equal value; otherwise the mismatch, naming `name`, the line, the value and
/// its encoding.
pub fn check_line<T: PartialEq + std::fmt::Debug>(
    name: &str,
    line: &[u8],
    parse: fn(&[u8]) -> Result<T, ParseError>,
    encode: fn(&T, &mut Vec<u8>),
) -> Result<usize, String> {
    let Ok(value) = parse(line) else {
        return Ok(0);
    };
    let mut encoded = Vec::new();
    encode(&value, &mut encoded);
    let breaks = |bytes: &[u8]| bytes.iter().any(|b| matches!(b, b'\r' | b'\n'));
    let shown = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    if breaks(&encoded) && !breaks(line) {
        return Err(format!(
            "{name}: {:?} parses as {value:?}, whose encoding {:?} holds a line break",
            shown(line),
            shown(&encoded)
        ));
    }
    match parse(&encoded) {
        Ok(again) if again == value => Ok(1),
        Ok(again) => Err(format!(
            "{name}: {:?} parses as {value:?}; its encoding {:?} parses as {again:?}",
            shown(line),
            shown(&encoded)
        )),
        Err(error) => Err(format!(
            "{name}: {:?} parses as {value:?}; its encoding {:?} does not parse: {error}",
            shown(line),
            shown(&encoded)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineParser;
    use crate::parse::Quoting;

    /// A line type `+N: <text>`, the text quoted or not.
    #[derive(Debug, PartialEq)]
    struct Name(String);

    fn parse_name(line: &[u8]) -> Result<Name, ParseError> {
        let mut p = LineParser::new(line);
        p.literal("+N: ")?;
        let text = p.string("text", Quoting::Optional)?;
        p.end()?;
        Ok(Name(text))
    }

    fn encode_quoted(name: &Name, out: &mut Vec<u8>) {
        out.extend_from_slice(b"+N: ");
        crate::CommandWriter::new(out).string(&name.0, true);
    }

    fn encode_raw(name: &Name, out: &mut Vec<u8>) {
        out.extend_from_slice(b"+N: ");
        out.extend_from_slice(name.0.as_bytes());
    }

    #[test]
    fn a_line_the_type_refuses_is_not_counted() {
        assert_eq!(check_line("N", b"+X: 1", parse_name, encode_quoted), Ok(0));
    }

    #[test]
    fn a_value_that_reads_back_is_counted() {
        assert_eq!(
            check_line("N", b"+N: abc", parse_name, encode_quoted),
            Ok(1)
        );
    }

    #[test]
    fn an_encoding_that_reads_back_differently_is_reported() {
        // Quoted on the wire, the spaces are kept; written bare, they are trimmed.
        let err = check_line("N", b"+N: \" a \"", parse_name, encode_raw).unwrap_err();
        assert!(err.starts_with("N: "), "{err}");
        assert!(err.contains("parses as Name(\"a\")"), "{err}");
    }

    #[test]
    fn an_encoding_that_does_not_parse_is_reported() {
        let err = check_line("N", b"+N: \"a,b\"", parse_name, encode_raw).unwrap_err();
        assert!(err.contains("does not parse"), "{err}");
    }

    #[test]
    fn an_encoding_that_breaks_the_line_is_reported() {
        let err = check_line("N", b"+N: ab", parse_name, |_, out| {
            out.extend(b"+N: a\r\nb")
        })
        .unwrap_err();
        assert!(err.contains("line break"), "{err}");
    }
}
