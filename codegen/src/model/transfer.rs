//! What follows a form's final result or prompt: a completion URC, an upload or a
//! download.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::located::Located;

/// A deferred completion URC.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionSpec {
    /// Name of the URC (in any module of the package).
    pub urc: Located<String>,
    /// How long after the final result code the URC may take, in milliseconds.
    pub timeout_ms: Located<u64>,
    /// `timeout_ms` of the families with another bound (`{ big: { timeout_ms: 60000 } }`).
    #[serde(default)]
    pub families: super::TimeoutFamilies,
    /// URC fields that must equal parameters of the command (`urc_field: param`).
    #[serde(default)]
    pub matches: BTreeMap<String, Located<String>>,
    /// URC field whose code table outcome decides success or failure.
    #[serde(default)]
    pub result_field: Option<Located<String>>,
    /// URC enum field carrying a second code on failure (a server's own reply code
    /// beside the module's error); the client's error keeps it. Needs `result_field`.
    #[serde(default)]
    pub detail_field: Option<Located<String>>,
    /// Lines carrying payload chunks that arrive before the completion URC.
    #[serde(default)]
    pub data: Option<Located<String>>,
    /// URC field stating how many bytes were transferred; the client checks it
    /// against the bytes it received.
    #[serde(default)]
    pub length: Option<Located<String>>,
    /// How the timeout was chosen, when the manual gives no bound.
    #[serde(default)]
    pub note: Option<String>,
}

/// An upload after a prompt.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadSpec {
    /// Prompt text (a dialect prompt); required unless `announce` is given.
    #[serde(default)]
    pub prompt: Option<Located<String>>,
    /// A response line that acts as the prompt and says how many bytes the modem
    /// accepts (`+FTPPUT: 2,<cnflength>`); use with `end: announced`.
    #[serde(default)]
    pub announce: Option<AnnounceSpec>,
    /// How the upload ends.
    pub end: UploadEndSpec,
    /// For `length`: the parameter giving the byte count.
    #[serde(default)]
    pub length: Option<Located<String>>,
    /// A parameter giving the modem's input timeout in milliseconds.
    #[serde(default)]
    pub input_timeout: Option<Located<String>>,
    /// For `escaped`: terminator byte (26 = Ctrl+Z).
    #[serde(default)]
    pub terminator: Option<u8>,
    /// For `escaped`: escape byte (3 = ETX).
    #[serde(default)]
    pub escape: Option<u8>,
    /// For `guarded_escape`: the sequence (`+++`).
    #[serde(default)]
    pub sequence: Option<String>,
    /// For `guarded_escape`: silence before and after, in milliseconds.
    #[serde(default)]
    pub guard_ms: Option<u64>,
    /// Result code the modem sends after the data, when not `OK` (`SEND OK`).
    #[serde(default)]
    pub result: Option<String>,
    /// Acknowledgements the modem sends while it takes the data, when a parameter
    /// asks for them; the host waits for each before it sends more (`end: length`
    /// only).
    #[serde(default)]
    pub ack: Option<UploadAckSpec>,
}

/// Acknowledgements during an upload (Quectel AT+QFUPL with `<ackmode>` 1: `A` after
/// each 1024 bytes).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadAckSpec {
    /// The int or enum parameter that turns acknowledgements on.
    pub param: Located<String>,
    /// The value (enum code) of that parameter that turns them on.
    pub when: i64,
    /// Bytes after which each acknowledgement comes.
    pub every: Located<u64>,
    /// The acknowledgement as the modem sends it, without line ends (`A`).
    pub text: Located<String>,
}

/// A response line that announces an upload and its accepted length.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnounceSpec {
    /// Name of a response line of the same form.
    pub line: Located<String>,
    /// Its int field with the number of bytes to send.
    pub length: Located<String>,
}

/// How an upload ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadEndSpec {
    /// After the number of bytes given by `length`.
    Length,
    /// After the number of bytes the `announce` line gives.
    Announced,
    /// At `terminator`, with `escape` before literal terminator/escape bytes.
    Escaped,
    /// By `sequence` framed by `guard_ms` of silence.
    GuardedEscape,
}

/// A data-mode download.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DownloadSpec {
    /// Prompt that starts data mode (`CONNECT`).
    pub prompt: Located<String>,
    /// How data mode ends.
    pub end: DownloadEndSpec,
    /// For `length`: the parameter giving the byte count.
    #[serde(default)]
    pub length: Option<Located<String>>,
}

/// How a data-mode download ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DownloadEndSpec {
    /// With a final result code.
    FinalResult,
    /// After `length` bytes.
    Length,
}
