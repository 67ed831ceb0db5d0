//! The command trait generated types implement, and the execution data a runtime
//! needs to run them: timeouts, deferred completion, prompts, uploads, payloads.

use std::time::Duration;

use crate::client::DecodedLine;
use crate::code::CodeInfo;
use crate::parse::ParseError;

/// The four forms of an extended AT command (V.250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// `AT+X=?`: the supported values.
    Test,
    /// `AT+X?`: the current values.
    Read,
    /// `AT+X=<...>`: set values or start an action with arguments.
    Write,
    /// `AT+X`: start an action without arguments.
    Execute,
}

/// A typed AT command: a value that can only be built with parameters the manual
/// allows, encoded to one command line.
pub trait AtCommand {
    /// The typed information-text response (the lines before the final result code).
    type Response;

    /// The command's name as the manual writes it (`+SETPARAM`, `E`, ...).
    const NAME: &'static str;
    /// Which form this type encodes.
    const FORM: Form;
    /// The manual's maximum response time for the final result code, if it gives one.
    const TIMEOUT: Option<Duration>;
    /// A length-prefixed payload that follows one of the response lines, if any.
    const PAYLOAD: Option<PayloadRule> = None;
    /// The syntax as the manual gives it (`AT+SETPARAM=<mode>`), for tools that
    /// explain commands.
    const SYNTAX: &'static str = "";
    /// The spec's one-line summary of the command, for tools that explain commands.
    const SUMMARY: &'static str = "";

    /// The maximum response time of this value, which the client waits for the final
    /// result code: [`Self::TIMEOUT`], unless the value was built for a module family
    /// whose manual gives another bound.
    fn timeout(&self) -> Option<Duration> {
        Self::TIMEOUT
    }

    /// Appends the command line, without its terminator, to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Like [`encode`](Self::encode), but with parameters the spec marks secret
    /// (passwords) replaced by `***`, for logs.
    fn encode_redacted(&self, out: &mut Vec<u8>) {
        self.encode(out);
    }

    /// Parses the information lines the modem sent before the final result code
    /// (without CR LF, payload bytes removed).
    fn parse_response(lines: &[&[u8]]) -> Result<Self::Response, ParseError>;

    /// `line` with the values of secret response fields (a stored password read
    /// back) replaced by `***`, for logs; `None` when the line holds no secret.
    fn redact_response_line(line: &[u8]) -> Option<Vec<u8>> {
        let _ = line;
        None
    }

    /// `line` read as one of this command's declared response lines: its fields,
    /// and for coded fields the meaning from the spec's table. The client decodes
    /// the lines sent before an error result with it, since some modems give the
    /// failure's reason there. `None` when no declared line has the line's shape.
    fn decode_line(line: &[u8]) -> Option<DecodedLine> {
        let _ = line;
        None
    }

    /// The command's parameters by their spec names, codes with their meanings from
    /// the spec's tables; secret parameters are left out. For tools that explain
    /// a command line.
    fn decoded(&self) -> DecodedLine {
        DecodedLine::new(Self::NAME)
    }

    /// Whether the modem answers this command without a final result code (firmware
    /// that answers with one information line, such as a bare IP address, and nothing
    /// after it). The exchange then ends as soon as the lines received so far parse
    /// as the response; an error result code still ends it as a failure.
    const NO_FINAL_RESULT: bool = false;

    /// Whether the command answers with free text: information lines without a
    /// prefix (identification strings and the like). Such lines are the command's
    /// only when no URC claims them.
    const FREE_TEXT: bool = false;

    /// Whether `line` has the shape of one of this command's information lines that
    /// start with a prefix. The runtime uses it to tell a response from a URC with
    /// the same prefix.
    fn is_response_line(line: &[u8]) -> bool {
        let _ = line;
        false
    }

    /// The data the host must send after a prompt, if this command uploads.
    fn upload(&self) -> Option<UploadRule> {
        None
    }

    /// How the modem sends data in a data-mode download, if this command downloads that way.
    fn download(&self) -> Option<DownloadRule> {
        None
    }
}

/// A command answered with `OK` whose real result arrives later as a URC
/// (for example an HTTP request whose status comes seconds after `OK`).
pub trait DeferredCommand: AtCommand {
    /// The typed completion URC.
    type Completion;

    /// Which URC completes the command and how long to wait for it.
    const COMPLETION: Completion;

    /// How long this value's completion URC may take after the final result code:
    /// [`Self::COMPLETION`]'s timeout, unless the value was built for a module family
    /// with another bound.
    fn completion_timeout(&self) -> Duration {
        Self::COMPLETION.timeout
    }

    /// Lines announcing payload chunks that arrive between the final result and the
    /// completion URC (a download reported piece by piece), if the command has them.
    const DATA: Option<PayloadRule> = None;

    /// Parses a line that starts with the completion URC's prefix.
    fn parse_completion(line: &[u8]) -> Result<Self::Completion, ParseError>;

    /// Whether a parsed completion URC belongs to this command value (for URCs
    /// that echo a parameter, such as the request method).
    fn is_completion(&self, urc: &Self::Completion) -> bool;

    /// The vendor code of a completion URC that reports failure, with its meaning.
    fn failure(urc: &Self::Completion) -> Option<CodeInfo>;

    /// A second code a failed completion carries beside [`Self::failure`]'s (a
    /// server's own reply code next to the module's error), so the error keeps
    /// everything the modem said.
    fn failure_detail(urc: &Self::Completion) -> Option<CodeInfo> {
        let _ = urc;
        None
    }

    /// The byte count a completion URC states for the data transferred, if its
    /// spec names such a field; the client checks it against what arrived.
    fn transferred(urc: &Self::Completion) -> Option<u64> {
        let _ = urc;
        None
    }
}

/// Which URC completes a deferred command, and the wait bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    /// The URC's literal prefix (`+XYZ:`).
    pub prefix: &'static str,
    /// How long after the final result code the URC may take.
    pub timeout: Duration,
}

/// Where a length-prefixed payload sits relative to the line announcing its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The raw bytes start after the announcing line's CR LF.
    NextLine,
    /// The raw bytes follow the length field's `,` on the same line.
    SameLine,
}

/// A response line that announces a raw payload of a stated length.
#[derive(Debug, Clone, Copy)]
pub struct PayloadRule {
    /// The announcing line's literal prefix.
    pub prefix: &'static str,
    /// Where the bytes are.
    pub placement: Placement,
    /// Reads the payload length from the announcing line (for `SameLine`, from the
    /// start of the line; parsing stops after the length). Returns the length and
    /// the byte offset just after the length field. See [`PayloadLength`] for what an
    /// error means.
    pub length: PayloadLength,
}

/// Reads a payload's length from its announcing line: `(length, offset after the length field)`.
///
/// An error means that the line announces no payload, and no bytes may be read for
/// it: the line is unreadable, its length is below the minimum the spec declares for
/// the length field (a chunk of at least 1 byte announced as 0), or it is the
/// transfer's end marker (`+X: 0` after `+X: <n>` chunks). A length above the
/// field's maximum is still returned: those bytes arrive anyway. A client routes such a
/// line as if the rule did not exist; for [`DeferredCommand::DATA`] that means
/// offering it to the completion, which it may be.
pub type PayloadLength = fn(&[u8]) -> Result<(usize, usize), ParseError>;

/// How an upload after a prompt ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadEnd {
    /// After exactly this many bytes.
    Length(usize),
    /// At a terminator byte; occurrences of the terminator or escape byte inside the
    /// data are preceded by the escape byte.
    Escaped {
        /// Byte that ends the data (for example Ctrl+Z, 0x1A).
        terminator: u8,
        /// Byte that escapes a literal terminator or escape byte (for example ETX, 0x03).
        escape: u8,
    },
    /// After exactly the number of bytes the modem announced (see [`UploadRule::announce`]).
    Announced,
    /// By an escape sequence framed by guard times of silence (for example `+++`).
    GuardedEscape {
        /// The escape sequence.
        sequence: &'static str,
        /// The silence required before and after it.
        guard: Duration,
    },
}

/// What the host sends after a command's prompt.
#[derive(Debug, Clone, Copy)]
pub struct UploadRule {
    /// The prompt the modem sends when it is ready (`>`, `DOWNLOAD`, `CONNECT`).
    pub prompt: &'static str,
    /// How the upload ends.
    pub end: UploadEnd,
    /// How long the modem waits for the data, if the command says.
    pub input_timeout: Option<Duration>,
    /// When the prompt is a response line that states how many bytes the modem
    /// accepts (`+X: 2,<accepted>`): how to read that number. `prompt` is then the
    /// line's prefix.
    pub announce: Option<PayloadRule>,
    /// Acknowledgements the modem sends while it takes the data; the client waits
    /// for each before sending more.
    pub ack: Option<UploadAck>,
}

/// Flow control by acknowledgement during an upload with a declared length: after
/// each `every` bytes the modem sends `text` (bare, or on a line of its own) and the
/// host sends nothing more until it has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadAck {
    /// Bytes after which each acknowledgement comes.
    pub every: usize,
    /// The acknowledgement (`A`).
    pub text: &'static str,
}

/// How a data-mode download ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadEnd {
    /// The modem leaves data mode with a final result code (`OK`).
    FinalResult,
    /// After exactly this many bytes.
    Length(usize),
}

/// A download that switches the modem into data mode after a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadRule {
    /// The line that starts data mode (`CONNECT`).
    pub prompt: &'static str,
    /// How data mode ends.
    pub end: DownloadEnd,
}
