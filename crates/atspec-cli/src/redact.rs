//! Secrets out of everything the tool prints: command lines with secret
//! parameters (passwords, Wi-Fi keys) and answer lines with secret fields.

use atspec::dynamic::{AnyCommand, Package};

/// What replaces a secret.
pub const MASK: &str = "***";

/// `line` as a log may show it. A line the spec reads is re-encoded with its
/// secret parameters masked; a line it does not read (a value out of range, a
/// typo) but whose command name has a secret parameter has every value after the
/// `=` masked, since which of them is secret cannot be told.
pub fn host_line(package: &dyn Package, line: &[u8]) -> Vec<u8> {
    if let Ok(command) = package.parse_command(line) {
        let mut out = Vec::new();
        command.encode_redacted(&mut out);
        return out;
    }
    match line.iter().position(|&b| b == b'=') {
        Some(eq) if names_secret_command(package, &line[..eq]) => {
            let mut out = line[..=eq].to_vec();
            out.extend_from_slice(MASK.as_bytes());
            out
        }
        _ => line.to_vec(),
    }
}

/// `line`, an answer to `command`, as a log may show it.
pub fn modem_line(command: Option<&dyn AnyCommand>, line: &[u8]) -> Vec<u8> {
    command
        .and_then(|c| c.redact_response_line(line))
        .unwrap_or_else(|| line.to_vec())
}

/// Whether `head` (`AT+NAME`, any case) names a command with a secret parameter.
fn names_secret_command(package: &dyn Package, head: &[u8]) -> bool {
    let Some(name) = head.get(2..) else {
        return false;
    };
    package
        .commands()
        .iter()
        .any(|c| c.secret && c.name.as_bytes().eq_ignore_ascii_case(name))
}
