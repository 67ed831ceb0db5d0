//! How real firmware ends a download, through the client against the scripted
//! SIM800 of `support` in every [`Mode`] (issue 9):
//!
//! - class 6: AT+HTTPREAD on an empty body answers only `OK`, leaving out the
//!   `+HTTPREAD: <data_len>` line the manual always shows; the spec's `absent` reads
//!   that as `+HTTPREAD: 0`, so the caller gets the header with length 0 and no bytes;
//! - class 7: a chunked download whose end marker looks like an empty chunk
//!   (`+XGET: <n>` chunks, then `+XGET: 0`) completes when the marker arrives instead
//!   of reading it as a 0-byte chunk and waiting for the completion timeout. The
//!   command is written by hand exactly as the generator writes one whose data line
//!   declares `end_marker: 0` and a length range of 1..=1024 (see
//!   `codegen/tests/fixtures/end_marker`).

mod support;

use std::time::Duration;

use atspec::code::CodeInfo;
use atspec::{AtCommand, Completion, DeferredCommand, Form, LineParser, ParseError};
use atspec::{PayloadRule, Placement};
use atspec_sim800::http::HttpreadExec;
use support::{Mode, expect, modes, ok, payload_reply, reply, rig, show};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpread_of_an_empty_body_answered_only_ok_is_zero_bytes() {
    for mode in modes() {
        let script = vec![expect(b"AT+HTTPREAD"), ok(), expect(b"AT+HTTPREAD"), ok()];
        let rig = rig(mode, support::config(), script);
        for _ in 0..2 {
            let mut body = Vec::new();
            let (header, n) = rig
                .client
                .send_download(&HttpreadExec::new(), &mut body)
                .await
                .unwrap_or_else(|e| panic!("[{mode}] AT+HTTPREAD answered OK: {e}"));
            assert_eq!((header.data_len, n, body.len()), (0, 0, 0), "[{mode}]");
        }
        rig.finish().await;
    }
}

/// The absent line stands in only for a missing line: a real header still counts,
/// and a stray line instead of it is still an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpread_with_its_header_or_with_a_stray_line() {
    let mode = Mode {
        chunking: support::Chunking::Whole,
        echo: false,
        urcs: false,
    };
    let script = vec![
        expect(b"AT+HTTPREAD"),
        payload_reply(b"\r\n+HTTPREAD: 3\r\n", b"abc", b"\r\nOK\r\n"),
        expect(b"AT+HTTPREAD"),
        reply(b"\r\n+HTTPREAD: 0\r\n\r\nOK\r\n"),
    ];
    let rig = rig(mode, support::config(), script);
    let mut body = Vec::new();
    let (header, n) = rig
        .client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .expect("a body of 3 bytes");
    assert_eq!(
        (header.data_len, n, body.as_slice()),
        (3, 3, b"abc".as_slice())
    );
    let (header, n) = rig
        .client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .expect("an explicit empty body");
    assert_eq!((header.data_len, n), (0, 0));
    rig.finish().await;
    let stray: &[&[u8]] = &[b"+HTTPREADX"];
    assert!(
        <HttpreadExec as AtCommand>::parse_response(stray).is_err(),
        "a line that is not the header is no absent header"
    );
}

/// `AT+XGET`: a download reported after `OK` as `+XGET: <len>` chunks of 1..=1024
/// bytes (each followed by its bytes) and ended by `+XGET: 0`, which is also the
/// completion `+XGET: <err>` with err 0. Written as the generator writes a command
/// whose data line has `end_marker: 0`.
#[derive(Debug, Clone)]
struct XGet;

impl AtCommand for XGet {
    type Response = ();
    const NAME: &'static str = "+XGET";
    const FORM: Form = Form::Execute;
    const TIMEOUT: Option<Duration> = None;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"AT+XGET");
    }

    fn parse_response(lines: &[&[u8]]) -> Result<(), ParseError> {
        match lines.first() {
            Some(extra) => Err(ParseError::new(extra, 0, "no further information line")),
            None => Ok(()),
        }
    }
}

impl DeferredCommand for XGet {
    type Completion = u16;
    const COMPLETION: Completion = Completion {
        prefix: "+XGET:",
        timeout: Duration::from_secs(600),
    };
    const DATA: Option<PayloadRule> = Some(PayloadRule {
        prefix: "+XGET:",
        placement: Placement::NextLine,
        length: |line| {
            let mut p = LineParser::new(line);
            p.literal("+XGET: ")?;
            let at = p.offset();
            let len = p.uint::<usize>("len")?;
            if len as u64 == 0u64 {
                return Err(ParseError::new(
                    line,
                    at,
                    "a chunk length other than the end marker 0",
                ));
            }
            if (len as u64) < 1u64 {
                return Err(ParseError::new(
                    line,
                    at,
                    "payload length `len` of at least 1",
                ));
            }
            Ok((len, p.offset()))
        },
    });

    fn parse_completion(line: &[u8]) -> Result<u16, ParseError> {
        let mut p = LineParser::new(line);
        p.literal("+XGET: ")?;
        let err = p.uint::<u16>("err")?;
        p.end()?;
        Ok(err)
    }

    fn is_completion(&self, _: &u16) -> bool {
        true
    }

    fn failure(err: &u16) -> Option<CodeInfo> {
        (*err != 0).then(|| CodeInfo {
            table: "xget_result",
            code: err.to_string(),
            meaning: None,
        })
    }
}

/// On paused time: a read that waits for the completion timeout would fail fast.
#[tokio::test(start_paused = true)]
async fn a_download_ends_at_its_end_marker_not_at_the_timeout() {
    let chunks: [&[u8]; 2] = [b"\r\nhello\r\n", b"+XGET: 0"];
    for mode in modes() {
        let mut script = vec![expect(b"AT+XGET"), ok()];
        for chunk in chunks {
            script.push(payload_reply(
                format!("\r\n+XGET: {}\r\n", chunk.len()).as_bytes(),
                chunk,
                b"",
            ));
        }
        script.push(reply(b"\r\n+XGET: 0\r\n"));
        let rig = rig(mode, support::config(), script);
        let mut file = Vec::new();
        // Without the marker the read would wait the 600 s completion timeout.
        let done = tokio::time::timeout(
            Duration::from_secs(10),
            rig.client.send_deferred_download(&XGet, &mut file),
        )
        .await
        .unwrap_or_else(|_| panic!("[{mode}] the end marker did not end the download"))
        .unwrap_or_else(|e| panic!("[{mode}] {e}"));
        let want = chunks.concat();
        assert_eq!(done, ((), 0, want.len() as u64), "[{mode}]");
        assert_eq!(file, want, "[{mode}] got {}", show(&file));
        rig.finish().await;
    }
}
