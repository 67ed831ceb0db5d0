//! Every package's `Command::parse` on arbitrary bytes. Whatever parses must
//! encode to a line the modem reads as one command: no CR, LF or NUL, every
//! quoted string closed (with the dialect's escape, where it has one), and that
//! line must parse back to an equal value. Never a panic.
#![no_main]

use std::fmt::Debug;

use atspec::ParseError;
use libfuzzer_sys::fuzz_target;

/// Whether every `"` that opens a string is closed; inside a string, `escape`
/// (ESP-AT's `\`) takes the next character literally.
fn quotes_balanced(line: &[u8], escape: Option<char>) -> bool {
    let escape = escape.and_then(|c| u8::try_from(c).ok());
    let mut inside = false;
    let mut bytes = line.iter();
    while let Some(&b) = bytes.next() {
        if b == b'"' {
            inside = !inside;
        } else if inside && Some(b) == escape {
            bytes.next();
        }
    }
    !inside
}

fn check<C: PartialEq + Debug>(
    package: &str,
    line: &[u8],
    parse: fn(&[u8]) -> Result<C, ParseError>,
    encode: fn(&C, &mut Vec<u8>),
    escape: Option<char>,
) {
    let Ok(command) = parse(line) else {
        return;
    };
    let mut encoded = Vec::new();
    encode(&command, &mut encoded);
    let shown = String::from_utf8_lossy(&encoded);
    let input = String::from_utf8_lossy(line);
    assert!(
        !encoded.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)),
        "{package}: {input:?} parses as {command:?}, encoded with CR, LF or NUL: {shown:?}"
    );
    assert!(
        quotes_balanced(&encoded, escape),
        "{package}: {input:?} parses as {command:?}, encoded with an unclosed quote: {shown:?}"
    );
    match parse(&encoded) {
        Ok(again) => assert_eq!(
            again, command,
            "{package}: {input:?} parses as {command:?}; its encoding {shown:?} parses differently"
        ),
        Err(error) => panic!(
            "{package}: {input:?} parses as {command:?}; its encoding {shown:?} does not parse: {error}"
        ),
    }
}

/// Runs [`check`] for each generated crate, with its `Command` and its dialect's escape.
macro_rules! check_packages {
    ($line:expr; $($krate:ident),*) => {
        $(check(
            stringify!($krate),
            $line,
            $krate::Command::parse,
            $krate::Command::encode,
            $krate::__fuzz::STRING_ESCAPE,
        );)*
    };
}

fuzz_target!(|line: &[u8]| {
    check_packages!(line; atspec_common, atspec_sim800, atspec_a76xx, atspec_ec200u, atspec_esp_at);
});
