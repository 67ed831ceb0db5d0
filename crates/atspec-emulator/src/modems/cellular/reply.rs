//! How failures are answered as AT+CMEE asks, for any vendor's code table, and the
//! AT+CMEE setting itself.

use atspec::{CodeTable, Dialect, ResultKind};
use atspec_common::Command as Basic;
use atspec_common::v250::{CmeeCurrent, CmeeMode, CmeeSupported};

use crate::modem::Output;

/// Answers `+CME ERROR: <code>` as AT+CMEE `mode` asks: plain `ERROR`, the number, or the
/// meaning `code`'s table gives it (the number when the table has none). The result
/// text comes from `dialect`, as the host's parser reads it.
pub fn cme_error(mode: CmeeMode, dialect: &Dialect, code: &impl CodeTable, out: &Output) {
    let Some(pattern) = dialect
        .results
        .iter()
        .find(|r| r.coded && r.kind == ResultKind::Error)
    else {
        out.error();
        return;
    };
    match (mode, code.meaning()) {
        (CmeeMode::Disabled, _) => out.error(),
        (CmeeMode::Verbose, Some(text)) => out.line(format!("{} {text}", pattern.text)),
        _ => out.line(format!("{} {}", pattern.text, code.code_text())),
    }
}

/// Handles `AT+CMEE=[<n>]` (a left-out `<n>` is 0, as V.250 has it) and AT+CMEE? on
/// `mode`; `false` for any other command.
pub fn cmee_setting(mode: &mut CmeeMode, command: &Basic, out: &Output) -> bool {
    match command {
        Basic::CmeeWrite(c) => {
            *mode = c.n().unwrap_or(CmeeMode::Disabled);
            out.ok();
        }
        Basic::CmeeRead(_) => {
            let current = CmeeCurrent { n: *mode };
            out.line(encode(|o| current.encode(o)));
            out.ok();
        }
        Basic::CmeeTest(_) => {
            let supported = CmeeSupported {
                supported: "(0-2)".to_owned(),
            };
            out.line(encode(|o| supported.encode(o)));
            out.ok();
        }
        _ => return false,
    }
    true
}

/// The bytes an encoder appends.
pub(super) fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}
