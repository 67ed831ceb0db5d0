//! What the task tests share: a made-up modem's dialect, URCs and commands,
//! written by hand as the generator writes them, and a scripted modem on an
//! in-memory pipe.
#![allow(dead_code)]

use std::time::Duration;

use atspec::code::CodeInfo;
use atspec::{
    AtCommand, Client, Completion, Config, DeferredCommand, Dialect, Form, LineParser, ParamError,
    ParseError, PayloadRule, Placement, ResultKind, ResultPattern, UrcSet,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;

/// The made-up modem's name, as a generated `Driver::NAME` would give it.
pub const MODEM: &str = "testmodem";

fn cme_meaning(code: &str) -> Option<&'static str> {
    match code {
        "3" => Some("operation not allowed"),
        "10" => Some("SIM not inserted"),
        _ => None,
    }
}

/// The made-up modem's reason codes, printed as `+XWHY:<code>` before `ERROR`.
fn reason_meaning(code: &str) -> Option<&'static str> {
    (code == "0x0a01").then_some("the server refused the connection")
}

pub static DIALECT: Dialect = Dialect {
    name: MODEM,
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
            text: "ERROR",
            coded: false,
            kind: ResultKind::Error,
            meaning: None,
        },
        ResultPattern {
            text: "+CME ERROR:",
            coded: true,
            kind: ResultKind::Error,
            meaning: Some(cme_meaning),
        },
        ResultPattern {
            text: "+XWHY:",
            coded: true,
            kind: ResultKind::Detail,
            meaning: Some(reason_meaning),
        },
    ],
    prompts: &[],
    urc_prefixes: &["+XDONE:"],
};

/// The made-up modem's URCs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Urc {
    Done(XDone),
}

impl UrcSet for Urc {
    fn parse(line: &[u8]) -> Option<Result<Self, ParseError>> {
        line.starts_with(b"+XDONE:")
            .then(|| XRun::parse_completion(line).map(Urc::Done))
    }
}

/// `AT+XSET=<value>`, value 0..=100, answered within 2 s; information lines
/// `+XSET: <n>` may come before an error result.
#[derive(Debug, Clone)]
pub struct XSet {
    value: u8,
}

impl XSet {
    pub fn new(value: u8) -> Result<Self, ParamError> {
        if value > 100 {
            return Err(ParamError::OutOfRange {
                param: "value",
                value: i128::from(value),
                min: 0,
                max: 100,
            });
        }
        Ok(Self { value })
    }
}

impl AtCommand for XSet {
    type Response = ();
    const NAME: &'static str = "+XSET";
    const FORM: Form = Form::Write;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(2));

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("AT+XSET={}", self.value).as_bytes());
    }

    fn parse_response(lines: &[&[u8]]) -> Result<(), ParseError> {
        match lines.first() {
            Some(extra) => Err(ParseError::new(extra, 0, "no information line")),
            None => Ok(()),
        }
    }

    fn is_response_line(line: &[u8]) -> bool {
        line.starts_with(b"+XSET:")
    }
}

/// The completion of `AT+XRUN`: `+XDONE: <err>[,<server>]`, err 0 on success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XDone {
    pub err: u16,
    pub server: Option<u16>,
}

/// `AT+XRUN`: `OK` within 1 s, then `+XDONE:` within 30 s.
#[derive(Debug, Clone)]
pub struct XRun;

impl AtCommand for XRun {
    type Response = ();
    const NAME: &'static str = "+XRUN";
    const FORM: Form = Form::Execute;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(1));

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"AT+XRUN");
    }

    fn parse_response(lines: &[&[u8]]) -> Result<(), ParseError> {
        XSet::parse_response(lines)
    }
}

impl DeferredCommand for XRun {
    type Completion = XDone;
    const COMPLETION: Completion = Completion {
        prefix: "+XDONE:",
        timeout: Duration::from_secs(30),
    };

    fn parse_completion(line: &[u8]) -> Result<XDone, ParseError> {
        let mut p = LineParser::new(line);
        p.literal("+XDONE: ")?;
        let err = p.uint::<u16>("err")?;
        let server = if p.is_at_end() {
            None
        } else {
            p.literal(",")?;
            Some(p.uint::<u16>("server")?)
        };
        p.end()?;
        Ok(XDone { err, server })
    }

    fn is_completion(&self, _: &XDone) -> bool {
        true
    }

    fn failure(urc: &XDone) -> Option<CodeInfo> {
        (urc.err != 0).then(|| CodeInfo {
            table: "xdone_result",
            code: urc.err.to_string(),
            meaning: (urc.err == 7).then_some("host not found"),
        })
    }

    fn failure_detail(urc: &XDone) -> Option<CodeInfo> {
        urc.server.map(|code| CodeInfo {
            table: "server_reply",
            code: code.to_string(),
            meaning: (code == 550).then_some("file unavailable"),
        })
    }
}

/// `AT+XREAD`: `+XREAD: <len>` and then `len` raw bytes on the next line.
#[derive(Debug, Clone)]
pub struct XRead;

impl AtCommand for XRead {
    type Response = usize;
    const NAME: &'static str = "+XREAD";
    const FORM: Form = Form::Execute;
    const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));
    const PAYLOAD: Option<PayloadRule> = Some(PayloadRule {
        prefix: "+XREAD:",
        placement: Placement::NextLine,
        length: |line| {
            let mut p = LineParser::new(line);
            p.literal("+XREAD: ")?;
            let len = p.uint::<usize>("len")?;
            Ok((len, p.offset()))
        },
    });

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"AT+XREAD");
    }

    fn parse_response(lines: &[&[u8]]) -> Result<usize, ParseError> {
        let Some(line) = lines.first() else {
            return Err(ParseError::new(b"", 0, "+XREAD: <len>"));
        };
        let mut p = LineParser::new(line);
        p.literal("+XREAD: ")?;
        let len = p.uint::<usize>("len")?;
        p.end()?;
        Ok(len)
    }

    fn is_response_line(line: &[u8]) -> bool {
        line.starts_with(b"+XREAD:")
    }
}

/// One exchange of the scripted modem: the command line it expects (without the
/// terminator), how long it takes to answer, and the answer.
pub struct Step {
    pub expect: &'static str,
    pub delay: Duration,
    pub reply: Vec<u8>,
}

/// The modem expects `line` and answers `reply` at once.
pub fn step(expect: &'static str, reply: impl AsRef<[u8]>) -> Step {
    Step {
        expect,
        delay: Duration::ZERO,
        reply: reply.as_ref().to_vec(),
    }
}

/// The modem expects `line` and answers `reply` after `delay`.
pub fn late(expect: &'static str, delay: Duration, reply: impl AsRef<[u8]>) -> Step {
    Step {
        delay,
        ..step(expect, reply)
    }
}

/// Plays `script` on the modem's half of the pipe and then stays silent with the
/// pipe open until the host closes it; the task returns every byte the host sent
/// after the script.
pub fn modem(mut io: DuplexStream, script: Vec<Step>) -> JoinHandle<Vec<u8>> {
    tokio::spawn(async move {
        for step in script {
            let mut line = Vec::new();
            loop {
                let byte = io.read_u8().await.expect("the host sends a command line");
                if byte == b'\r' {
                    break;
                }
                line.push(byte);
            }
            assert_eq!(String::from_utf8_lossy(&line), step.expect);
            tokio::time::sleep(step.delay).await;
            io.write_all(&step.reply).await.unwrap();
        }
        let mut rest = Vec::new();
        let _ = io.read_to_end(&mut rest).await;
        rest
    })
}

/// A client on a pipe whose other end plays `script`. Its default timeout (for
/// commands without their own) is unlike every bound of the commands here.
pub fn rig(script: Vec<Step>) -> (Client<Urc>, JoinHandle<Vec<u8>>) {
    let (host, device) = tokio::io::duplex(1 << 16);
    let config = Config {
        default_timeout: Duration::from_secs(50),
        ..Config::default()
    };
    (Client::new(host, &DIALECT, config), modem(device, script))
}
