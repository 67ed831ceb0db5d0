//! A made-up modem's package, written by hand, for the decoder's own tests: a
//! plain command, one with a secret, a deferred request with a completion URC, a
//! read with a payload, uploads after a bare prompt (counted and Ctrl+Z-ended), a
//! data-mode download and a URC.

use atspec::client::{AtError, Config, DecodedLine, LineField, RawCommand, RawResponse};
use atspec::code::CodeInfo;
use atspec::command::{
    Completion, DownloadEnd, DownloadRule, Form, PayloadRule, Placement, UploadEnd, UploadRule,
};
use atspec::dialect::{Dialect, Prompt, ResultKind, ResultPattern};
use atspec::dynamic::{
    AnyCommand, AnyIo, AnyModem, BoxFuture, BoxTransport, CommandInfo, CompletionLine, DynFtp,
    DynHttp, DynNetwork, FamilyInfo, Outcome, Package,
};
use atspec::parse::ParseError;
use std::time::Duration;

pub static FAKE: Fake = Fake;

pub struct Fake;

fn cme(code: &str) -> Option<&'static str> {
    match code {
        "3" => Some("operation not allowed"),
        "10" => Some("SIM not inserted"),
        _ => None,
    }
}

fn err_code(code: &str) -> Option<&'static str> {
    (code == "0x01090000").then_some("parameter out of range")
}

static DIALECT: Dialect = Dialect {
    name: "fake",
    terminator: "\r",
    max_command_len: None,
    results: &[
        ResultPattern {
            text: "OK",
            coded: false,
            kind: ResultKind::Ok,
            meaning: None,
        },
        ResultPattern {
            text: "DATA OK",
            coded: false,
            kind: ResultKind::Ok,
            meaning: None,
        },
        ResultPattern {
            text: "ERROR",
            coded: false,
            kind: ResultKind::Error,
            meaning: None,
        },
        ResultPattern {
            text: "+CME ERROR:",
            coded: true,
            kind: ResultKind::Error,
            meaning: Some(cme),
        },
        ResultPattern {
            text: "+DETAIL:",
            coded: true,
            kind: ResultKind::Detail,
            meaning: Some(err_code),
        },
    ],
    prompts: &[
        Prompt {
            text: "> ",
            line: false,
        },
        Prompt {
            text: "CONNECT",
            line: true,
        },
    ],
    urc_prefixes: &["+RING: ", "+GET: "],
};

/// The shapes of the made-up commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    Quality,
    Secret,
    SecretRead,
    Get(u32),
    Read,
    Send(usize),
    Text,
    Fetch,
}

#[derive(Debug)]
struct Cmd {
    shape: Shape,
    line: Vec<u8>,
    masked: Vec<u8>,
}

fn field(name: &'static str, value: &str) -> LineField {
    LineField {
        name,
        value: value.to_owned(),
        coded: false,
        meaning: None,
    }
}

/// `line` after `prefix`, split at commas, quotes removed.
fn values<'a>(line: &'a [u8], prefix: &str) -> Option<Vec<&'a str>> {
    let rest = std::str::from_utf8(line.strip_prefix(prefix.as_bytes())?).ok()?;
    Some(
        rest.split(',')
            .map(|v| v.trim().trim_matches('"'))
            .collect(),
    )
}

fn number(line: &[u8], prefix: &str) -> Result<(usize, usize), ParseError> {
    let rest = line.get(prefix.len()..).unwrap_or_default();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let text = std::str::from_utf8(&rest[..digits]).unwrap_or_default();
    let len = text
        .parse()
        .map_err(|_| ParseError::new(line, prefix.len(), "<length>"))?;
    Ok((len, prefix.len() + digits))
}

fn read_length(line: &[u8]) -> Result<(usize, usize), ParseError> {
    number(line, "+READ: ")
}

impl AnyCommand for Cmd {
    fn name(&self) -> &'static str {
        match self.shape {
            Shape::Plain => "AT",
            Shape::Quality => "+CSQ",
            Shape::Secret | Shape::SecretRead => "+PASS",
            Shape::Get(_) => "+GET",
            Shape::Read => "+READ",
            Shape::Send(_) => "+SEND",
            Shape::Text => "+TEXT",
            Shape::Fetch => "+FETCH",
        }
    }
    fn form(&self) -> Form {
        match self.shape {
            Shape::Secret | Shape::Get(_) | Shape::Send(_) => Form::Write,
            Shape::SecretRead => Form::Read,
            _ => Form::Execute,
        }
    }
    fn syntax(&self) -> &'static str {
        match self.shape {
            Shape::Secret => "AT+PASS=<user>,<password>",
            Shape::Get(_) => "AT+GET=<id>",
            Shape::Send(_) => "AT+SEND=<length>",
            _ => "AT",
        }
    }
    fn summary(&self) -> &'static str {
        match self.shape {
            Shape::Get(_) => "Start a request; its result comes as +GET.",
            Shape::Secret => "Set the credentials.",
            _ => "A made-up command.",
        }
    }
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.line);
    }
    fn encode_redacted(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.masked);
    }
    fn timeout(&self) -> Option<Duration> {
        None
    }
    fn no_final_result(&self) -> bool {
        false
    }
    fn parameters(&self) -> DecodedLine {
        DecodedLine::new("+FAKE")
    }
    fn payload(&self) -> Option<PayloadRule> {
        (self.shape == Shape::Read).then_some(PayloadRule {
            prefix: "+READ: ",
            placement: Placement::NextLine,
            length: read_length,
        })
    }
    fn upload(&self) -> Option<UploadRule> {
        let end = match self.shape {
            Shape::Send(len) => UploadEnd::Length(len),
            Shape::Text => UploadEnd::Escaped {
                terminator: 0x1a,
                escape: 0x1b,
            },
            _ => return None,
        };
        Some(UploadRule {
            prompt: "> ",
            end,
            input_timeout: None,
            announce: None,
            ack: None,
        })
    }
    fn download(&self) -> Option<DownloadRule> {
        (self.shape == Shape::Fetch).then_some(DownloadRule {
            prompt: "CONNECT",
            end: DownloadEnd::FinalResult,
        })
    }
    fn completion(&self) -> Option<Completion> {
        matches!(self.shape, Shape::Get(_)).then_some(Completion {
            prefix: "+GET: ",
            timeout: Duration::from_secs(60),
        })
    }
    fn completion_data(&self) -> Option<PayloadRule> {
        None
    }
    fn decode_line(&self, line: &[u8]) -> Option<DecodedLine> {
        let mut decoded = match self.shape {
            Shape::Quality => DecodedLine::new("signal_quality"),
            Shape::Read => DecodedLine::new("read_length"),
            Shape::SecretRead => DecodedLine::new("credentials"),
            _ => return None,
        };
        match self.shape {
            Shape::Quality => {
                let v = values(line, "+CSQ: ").filter(|v| v.len() == 2)?;
                decoded.fields = vec![field("rssi", v[0]), field("ber", v[1])];
            }
            Shape::Read => {
                let (len, _) = read_length(line).ok()?;
                decoded.fields = vec![field("length", &len.to_string())];
            }
            _ => {
                let v = values(line, "+PASS: ").filter(|v| v.len() == 2)?;
                decoded.fields = vec![field("user", v[0])];
            }
        }
        Some(decoded)
    }
    fn redact_response_line(&self, line: &[u8]) -> Option<Vec<u8>> {
        let v = values(line, "+PASS: ").filter(|_| self.shape == Shape::SecretRead)?;
        Some(format!("+PASS: \"{}\",\"***\"", v[0]).into_bytes())
    }
    fn decode_completion(&self, line: &[u8]) -> Option<Result<CompletionLine, ParseError>> {
        let Shape::Get(id) = self.shape else {
            return None;
        };
        if !line.starts_with(b"+GET: ") {
            return None;
        }
        Some(
            decode_get(line).map(|(decoded, of, failure)| CompletionLine {
                decoded,
                matches: of == id,
                failure,
            }),
        )
    }
    fn run<'a>(
        &'a self,
        _: &'a dyn AnyModem,
        _: AnyIo<'a>,
    ) -> BoxFuture<'a, Result<Outcome, AtError>> {
        Box::pin(async {
            Err(AtError::WrongCall {
                command: "fake",
                what: "the made-up modem runs nothing",
            })
        })
    }
}

/// `+GET: <id>,<status>,<length>`.
fn decode_get(line: &[u8]) -> Result<(DecodedLine, u32, Option<CodeInfo>), ParseError> {
    let v = values(line, "+GET: ")
        .filter(|v| v.len() == 3)
        .ok_or_else(|| ParseError::new(line, 6, "<id>,<status>,<length>"))?;
    let id = v[0].parse().map_err(|_| ParseError::new(line, 6, "<id>"))?;
    let meaning = match v[1] {
        "200" => Some("OK"),
        "603" => Some("DNS error"),
        _ => None,
    };
    let mut decoded = DecodedLine::new("get_result");
    decoded.fields = vec![
        field("id", v[0]),
        LineField {
            name: "status",
            value: v[1].to_owned(),
            coded: true,
            meaning,
        },
        field("length", v[2]),
    ];
    let failure = (v[1] != "200").then(|| CodeInfo {
        table: "status",
        code: v[1].to_owned(),
        meaning,
    });
    Ok((decoded, id, failure))
}

fn parse(line: &[u8]) -> Result<Shape, ParseError> {
    let text = std::str::from_utf8(line).map_err(|_| ParseError::new(line, 0, "text"))?;
    let upper = text.to_ascii_uppercase();
    let number = |prefix: &str| -> Result<usize, ParseError> {
        upper[prefix.len()..]
            .parse()
            .map_err(|_| ParseError::new(line, prefix.len(), "a number"))
    };
    Ok(match upper.as_str() {
        "AT" => Shape::Plain,
        "AT+CSQ" => Shape::Quality,
        "AT+PASS?" => Shape::SecretRead,
        "AT+READ" => Shape::Read,
        "AT+TEXT" => Shape::Text,
        "AT+FETCH" => Shape::Fetch,
        s if s.starts_with("AT+PASS=") && s.matches('"').count() == 4 => Shape::Secret,
        s if s.starts_with("AT+GET=") => Shape::Get(number("AT+GET=")? as u32),
        s if s.starts_with("AT+SEND=") => Shape::Send(number("AT+SEND=")?),
        _ => return Err(ParseError::new(line, 2, "a command of the made-up modem")),
    })
}

impl Package for Fake {
    fn id(&self) -> &'static str {
        "fake"
    }
    fn title(&self) -> &'static str {
        "Made-up modem"
    }
    fn vendor(&self) -> &'static str {
        "Nobody"
    }
    fn modules(&self) -> &'static [&'static str] {
        &["FAKE1"]
    }
    fn families(&self) -> &'static [FamilyInfo] {
        &[]
    }
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }
    fn commands(&self) -> Vec<CommandInfo> {
        ["+CSQ", "+PASS", "+GET", "+READ", "+SEND", "+TEXT", "+FETCH"]
            .into_iter()
            .map(|name| CommandInfo {
                name,
                form: Form::Execute,
                syntax: "AT",
                summary: "",
                source: "",
                secret: name == "+PASS",
            })
            .collect()
    }
    fn parse_command(&self, line: &[u8]) -> Result<Box<dyn AnyCommand>, ParseError> {
        let shape = parse(line)?;
        let masked = match shape {
            Shape::Secret => {
                let user = values(line, "AT+PASS=")
                    .map(|v| v[0].to_owned())
                    .unwrap_or_default();
                format!("AT+PASS=\"{user}\",\"***\"").into_bytes()
            }
            _ => line.to_vec(),
        };
        Ok(Box::new(Cmd {
            shape,
            line: line.to_vec(),
            masked,
        }))
    }
    fn decode_urc(&self, line: &[u8]) -> Option<Result<DecodedLine, ParseError>> {
        if let Some(v) = values(line, "+RING: ") {
            let mut decoded = DecodedLine::new("ring");
            decoded.fields = vec![field("count", v[0])];
            return Some(Ok(decoded));
        }
        line.starts_with(b"+GET: ")
            .then(|| decode_get(line).map(|(d, _, _)| d))
    }
    fn open(&self, _: BoxTransport, _: Config) -> Box<dyn AnyModem> {
        Box::new(Refusing)
    }
}

/// The made-up modem's `Modem`: it has no tasks and refuses raw lines.
struct Refusing;

impl AnyModem for Refusing {
    fn name(&self) -> &'static str {
        "fake"
    }
    fn client_any(&self) -> &dyn std::any::Any {
        self
    }
    fn send_raw<'a>(&'a self, _: &'a RawCommand) -> BoxFuture<'a, Result<RawResponse, AtError>> {
        Box::pin(async {
            Err(AtError::WrongCall {
                command: "fake",
                what: "the made-up modem runs nothing",
            })
        })
    }
    fn network(&self) -> Option<&dyn DynNetwork> {
        None
    }
    fn http(&self) -> Option<&dyn DynHttp> {
        None
    }
    fn ftp(&self) -> Option<&dyn DynFtp> {
        None
    }
}
