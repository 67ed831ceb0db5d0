//! One explained line of a capture: what the decoder found, before it is printed.

/// Who sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// The host (a command, upload data).
    Host,
    /// The modem (echo, answers, URCs, prompts, downloaded data).
    Modem,
    /// The capture does not say (an unprefixed line in a prefixed capture).
    Unknown,
}

impl Dir {
    /// The name `--json` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Host => "host",
            Dir::Modem => "modem",
            Dir::Unknown => "unknown",
        }
    }
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A command line the host sent.
    Command,
    /// An information line answering the command in flight.
    Response,
    /// A final result code (`OK`, `ERROR`, `+CME ERROR: 3`).
    Final,
    /// An unsolicited result code, including a deferred command's completion.
    Urc,
    /// Raw bytes whose length a rule announced (or data-mode bytes).
    Payload,
    /// A prompt after which the modem waits for data.
    Prompt,
    /// The modem repeating the host's command line.
    Echo,
    /// Nothing the package reads.
    Unknown,
}

impl Kind {
    /// The name `--json` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Response => "response",
            Kind::Final => "final",
            Kind::Urc => "urc",
            Kind::Payload => "payload",
            Kind::Prompt => "prompt",
            Kind::Echo => "echo",
            Kind::Unknown => "unknown",
        }
    }
}

/// One named value of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name the spec gives it.
    pub name: String,
    /// The value as sent.
    pub value: String,
    /// Whether the value is a code of one of the spec's tables.
    pub coded: bool,
    /// The code's meaning, when the table lists it.
    pub meaning: Option<String>,
}

/// The command a line belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRef {
    /// Its name as the manual writes it (`+CSQ`).
    pub name: String,
    /// The capture line it was sent on.
    pub line: usize,
}

/// One line of the capture, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The capture line it starts on (1-based).
    pub line: usize,
    /// Who sent it.
    pub dir: Dir,
    /// The line as shown: secrets masked unless asked for, raw bytes escaped.
    pub text: String,
    /// What it is.
    pub kind: Kind,
    /// The command in flight that it belongs to (for a command line, itself).
    pub command: Option<CommandRef>,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The decoded meaning of the codes on the line.
    pub meaning: Option<String>,
    /// What the line is, in words.
    pub explanation: String,
    /// A payload's byte count.
    pub bytes: Option<usize>,
    /// What is wrong with the session at this line.
    pub anomalies: Vec<String>,
    /// Whether the package's spec read the line (a declared command, answer, URC,
    /// result or rule): what the package choice counts.
    pub read: bool,
}

impl Entry {
    /// An entry with nothing explained yet.
    pub fn new(line: usize, dir: Dir, text: String, kind: Kind) -> Self {
        Self {
            line,
            dir,
            text,
            kind,
            command: None,
            fields: Vec::new(),
            meaning: None,
            explanation: String::new(),
            bytes: None,
            anomalies: Vec::new(),
            read: false,
        }
    }
}

/// `bytes` as text that shows every byte: UTF-8 as it is, `\r`, `\n`, `\t` and
/// `\\` escaped, other control bytes and bytes that are not UTF-8 as `\xNN`.
pub fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text_shows_every_byte() {
        assert_eq!(printable(b"OK"), "OK");
        assert_eq!(
            printable(b"a\r\nb\x1a\\\xff\xc3\xa9"),
            "a\\r\\nb\\x1a\\\\\\xffé"
        );
    }
}
