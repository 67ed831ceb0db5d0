//! The line-character registers S3 (terminator), S4 (response formatting) and S5
//! (backspace): read as the module's defaults, and set only to them, because the
//! emulated line keeps V.250's characters (SIM800: "only supports default value").

use atspec_common::Command as Basic;
use atspec_common::v250::{S3Value, S4Value, S5Value};

use super::reply::encode;
use crate::modem::{BACKSPACE, Output};

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// Answers `command` if it reads or sets S3, S4 or S5 (then `true`).
pub(super) fn answer(command: &Basic, out: &Output) -> bool {
    let (value, wanted) = match command {
        Basic::S3Read(_) => return read(out, encode(|o| S3Value { value: CR }.encode(o))),
        Basic::S4Read(_) => return read(out, encode(|o| S4Value { value: LF }.encode(o))),
        Basic::S5Read(_) => {
            let line = encode(|o| S5Value { value: BACKSPACE }.encode(o));
            return read(out, line);
        }
        Basic::S3Write(c) => (c.value(), CR),
        Basic::S4Write(c) => (c.value(), LF),
        Basic::S5Write(c) => (c.value(), BACKSPACE),
        _ => return false,
    };
    if value == wanted {
        out.ok();
    } else {
        out.error();
    }
    true
}

fn read(out: &Output, line: Vec<u8>) -> bool {
    out.line(line);
    out.ok();
    true
}
