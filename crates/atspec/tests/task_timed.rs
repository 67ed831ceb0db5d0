//! `Timed`: a command whose waits are the caller's, longer or shorter than the
//! spec's, and otherwise the command itself in every trait item (paused time).

mod task_support;

use std::time::Duration;

use atspec::code::CodeInfo;
use atspec::task::Timed;
use atspec::{
    AtCommand, AtError, Completion, DeferredCommand, DownloadEnd, DownloadRule, Form, ParseError,
    PayloadRule, Placement, Stage, UploadEnd, UploadRule,
};
use task_support::{XRun, XSet, late, rig, step};
use tokio::time::Instant;

const SECS: fn(u64) -> Duration = Duration::from_secs;

#[tokio::test(start_paused = true)]
async fn a_timed_command_waits_the_callers_time_where_the_specs_would_expire() {
    // The modem answers after 5 s; the spec gives +XSET 2 s.
    let script = || vec![late("AT+XSET=5", SECS(5), b"\r\nOK\r\n")];
    let (client, _modem) = rig(script());
    match client.send(&XSet::new(5).unwrap()).await {
        Err(AtError::Timeout {
            stage: Stage::FinalResult,
            waited,
            ..
        }) => assert_eq!(waited, SECS(2)),
        other => panic!("the spec's 2 s should expire first: {other:?}"),
    }

    let (client, _modem) = rig(script());
    let started = Instant::now();
    client
        .send(&Timed::new(XSet::new(5).unwrap(), Some(SECS(10))))
        .await
        .expect("10 s is long enough for an answer after 5 s");
    assert_eq!(started.elapsed(), SECS(5));
}

#[tokio::test(start_paused = true)]
async fn a_timed_command_gives_up_at_the_callers_shorter_bound() {
    let (client, _modem) = rig(vec![late("AT+XSET=1", SECS(60), b"\r\nOK\r\n")]);
    let started = Instant::now();
    let timed = Timed::new(XSet::new(1).unwrap(), Some(Duration::from_millis(500)));
    match client.send(&timed).await {
        Err(AtError::Timeout {
            command: "+XSET",
            waited,
            ..
        }) => assert_eq!(waited, Duration::from_millis(500)),
        other => panic!("expected a timeout: {other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::from_millis(500));
}

#[tokio::test(start_paused = true)]
async fn a_timed_deferred_command_waits_the_callers_time_for_its_completion() {
    // OK at once, the completion 60 s later; the spec gives the completion 30 s.
    let (client, _modem) = rig(vec![step("AT+XRUN", b"\r\nOK\r\n")]);
    match client.send_deferred(&XRun).await {
        Err(AtError::Timeout {
            stage: Stage::Completion,
            waited,
            ..
        }) => assert_eq!(waited, SECS(30)),
        other => panic!("the spec's 30 s should expire: {other:?}"),
    }

    let (host, mut device) = tokio::io::duplex(1 << 12);
    let client = atspec::Client::<task_support::Urc>::new(
        host,
        &task_support::DIALECT,
        atspec::Config::default(),
    );
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut line = [0u8; 8];
        device.read_exact(&mut line).await.unwrap();
        assert_eq!(&line, b"AT+XRUN\r");
        device.write_all(b"\r\nOK\r\n").await.unwrap();
        tokio::time::sleep(SECS(60)).await;
        device.write_all(b"\r\n+XDONE: 0\r\n").await.unwrap();
        std::future::pending::<()>().await;
    });
    let started = Instant::now();
    let (_, done) = client
        .send_deferred(&Timed::new(XRun, Some(SECS(90))))
        .await
        .expect("90 s is long enough for a completion after 60 s");
    assert_eq!(done.err, 0);
    assert_eq!(started.elapsed(), SECS(60));
}

#[test]
fn without_a_bound_the_specs_waits_stay() {
    let timed = Timed::new(XRun, None);
    assert_eq!(timed.timeout(), XRun.timeout());
    assert_eq!(timed.completion_timeout(), SECS(30));
    let timed = Timed::new(XRun, Some(SECS(7)));
    assert_eq!(
        (timed.timeout(), timed.completion_timeout()),
        (Some(SECS(7)), SECS(7))
    );
    // The consts are the command's: only the value's waits change.
    assert_eq!(<Timed<XRun> as AtCommand>::TIMEOUT, Some(SECS(1)));
    assert_eq!(
        <Timed<XRun> as DeferredCommand>::COMPLETION.timeout,
        SECS(30)
    );
    assert_eq!(timed.into_inner().timeout(), Some(SECS(1)));
}

/// A command that overrides every item of both traits with values unlike the
/// defaults, so a `Timed` that forgot to delegate one shows.
#[derive(Debug, Clone)]
struct Odd(u8);

fn odd_payload_length(_: &[u8]) -> Result<(usize, usize), ParseError> {
    Ok((42, 9))
}

impl AtCommand for Odd {
    type Response = String;
    const NAME: &'static str = "+ODD";
    const FORM: Form = Form::Read;
    const TIMEOUT: Option<Duration> = Some(Duration::from_millis(1234));
    const PAYLOAD: Option<PayloadRule> = Some(PayloadRule {
        prefix: "+ODDP:",
        placement: Placement::SameLine,
        length: odd_payload_length,
    });
    const NO_FINAL_RESULT: bool = true;
    const FREE_TEXT: bool = true;

    fn timeout(&self) -> Option<Duration> {
        Some(Duration::from_millis(u64::from(self.0) * 100))
    }
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("AT+ODD={}", self.0).as_bytes());
    }
    fn encode_redacted(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"AT+ODD=***");
    }
    fn parse_response(lines: &[&[u8]]) -> Result<String, ParseError> {
        Ok(format!("{} lines", lines.len()))
    }
    fn redact_response_line(line: &[u8]) -> Option<Vec<u8>> {
        Some([b"hidden:".as_slice(), line].concat())
    }
    fn is_response_line(line: &[u8]) -> bool {
        line.starts_with(b"+ODD:")
    }
    fn upload(&self) -> Option<UploadRule> {
        Some(UploadRule {
            prompt: ">",
            end: UploadEnd::Length(usize::from(self.0)),
            input_timeout: None,
            announce: None,
            ack: None,
        })
    }
    fn download(&self) -> Option<DownloadRule> {
        Some(DownloadRule {
            prompt: "CONNECT",
            end: DownloadEnd::Length(usize::from(self.0) + 1),
        })
    }
}

impl DeferredCommand for Odd {
    type Completion = u8;
    const COMPLETION: Completion = Completion {
        prefix: "+ODDDONE:",
        timeout: Duration::from_millis(777),
    };
    const DATA: Option<PayloadRule> = Some(PayloadRule {
        prefix: "+ODDDATA:",
        placement: Placement::NextLine,
        length: odd_payload_length,
    });

    fn completion_timeout(&self) -> Duration {
        Duration::from_millis(u64::from(self.0) * 1000)
    }
    fn parse_completion(line: &[u8]) -> Result<u8, ParseError> {
        u8::try_from(line.len()).map_err(|_| ParseError::new(line, 0, "short"))
    }
    fn is_completion(&self, urc: &u8) -> bool {
        *urc == self.0
    }
    fn failure(urc: &u8) -> Option<CodeInfo> {
        Some(CodeInfo {
            table: "odd",
            code: urc.to_string(),
            meaning: None,
        })
    }
    fn failure_detail(urc: &u8) -> Option<CodeInfo> {
        Some(CodeInfo {
            table: "odd_detail",
            code: (urc + 1).to_string(),
            meaning: Some("detail"),
        })
    }
    fn transferred(urc: &u8) -> Option<u64> {
        Some(u64::from(*urc) * 3)
    }
}

#[test]
fn a_timed_command_is_its_command_in_every_other_item() {
    type T = Timed<Odd>;
    let odd = Odd(5);
    let timed = Timed::new(odd.clone(), None);
    assert_eq!(T::NAME, "+ODD");
    assert_eq!(T::FORM, Form::Read);
    assert_eq!(T::TIMEOUT, Odd::TIMEOUT);
    let payload = T::PAYLOAD.expect("the payload rule");
    assert_eq!(
        (payload.prefix, payload.placement),
        ("+ODDP:", Placement::SameLine)
    );
    assert_eq!((payload.length)(b"x").unwrap(), (42, 9));
    const { assert!(T::NO_FINAL_RESULT && T::FREE_TEXT) };
    // The value's own wait, not the const, when no bound is given.
    assert_eq!(timed.timeout(), Some(Duration::from_millis(500)));
    let (mut line, mut shown) = (Vec::new(), Vec::new());
    timed.encode(&mut line);
    timed.encode_redacted(&mut shown);
    assert_eq!(
        (line.as_slice(), shown.as_slice()),
        (&b"AT+ODD=5"[..], &b"AT+ODD=***"[..])
    );
    assert_eq!(T::parse_response(&[b"a", b"b"]).unwrap(), "2 lines");
    assert_eq!(T::redact_response_line(b"x").unwrap(), b"hidden:x");
    assert!(T::is_response_line(b"+ODD: 1") && !T::is_response_line(b"+X: 1"));
    assert_eq!(timed.upload().map(|u| u.end), Some(UploadEnd::Length(5)));
    assert_eq!(
        timed.download().map(|d| d.end),
        Some(DownloadEnd::Length(6))
    );

    assert_eq!(T::COMPLETION, Odd::COMPLETION);
    assert_eq!(T::DATA.map(|d| d.prefix), Some("+ODDDATA:"));
    assert_eq!(timed.completion_timeout(), SECS(5));
    assert_eq!(T::parse_completion(b"12345").unwrap(), 5);
    assert!(timed.is_completion(&5) && !timed.is_completion(&4));
    assert_eq!(T::failure(&9).map(|c| c.code), Some("9".to_owned()));
    assert_eq!(T::failure_detail(&9).map(|c| c.code), Some("10".to_owned()));
    assert_eq!(T::transferred(&4), Some(12));
}
