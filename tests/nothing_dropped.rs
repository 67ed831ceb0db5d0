//! Property: nothing the modem says is dropped (issue 9). Random sessions of
//! SIM800 commands (plain, with a response line, free text, deferred with the
//! completion before or after `OK`, failing before or after their completion,
//! timing out with the late answer coming before the next command) are played
//! with unsolicited lines (typed, malformed, unknown) at random line boundaries,
//! echo on or off, cut at random points. Every command must return exactly its
//! answer, and the subscribers must get every other line exactly once.

mod support;

use std::time::Duration;

use atspec::{AtError, Config, Unsolicited};
use atspec_common::v250::CgmiExec;
use atspec_sim800::Urc;
use atspec_sim800::bearer::SapbrQueryWrite;
use atspec_sim800::http::{HttpMethod, HttpactionWrite, HttpparaCidWrite};
use proptest::prelude::*;
use support::{Chunking, Mode, Seg, Step, describe, drain, expected_event, rig};

/// Lines the modem sends unsolicited: typed, malformed and unknown to the spec.
const UNSOLICITED: [&[u8]; 4] = [b"+SAPBR 1: DEACT", b"+SAPBR x: DEACT", b"RDY", b"+CREG: 1"];

/// One command of a session and how the modem answers it.
#[derive(Debug, Clone)]
enum Op {
    /// `AT+HTTPPARA="CID",1`: `OK`, or `+CME ERROR: <code>` when `Some`.
    Plain(Option<u8>),
    /// `AT+SAPBR=2,1`: `+SAPBR: 1,1,"10.0.0.<n>"` then `OK`.
    Query(u8),
    /// `AT+CGMI`: free text (only typed URCs may come during it: an unknown
    /// line would be one more line of the free-text answer).
    FreeText,
    /// `AT+HTTPACTION=0`, answered as the variant says.
    Deferred(Completion),
    /// `AT+HTTPPARA="CID",1` answered only after the client gave up (the late
    /// answer comes before the next command is sent).
    TimedOut,
}

#[derive(Debug, Clone, Copy)]
enum Completion {
    /// `OK`, then `+HTTPACTION: 0,<status>,<len>`.
    AfterOk(u16),
    /// The URC first, then `OK`.
    BeforeOk(u16),
    /// `ERROR`, then a completion that belongs to nobody.
    AfterError,
    /// A completion that belongs to nobody, then `ERROR`.
    BeforeError,
}

fn op() -> impl Strategy<Value = Op> {
    let status = prop::sample::select(vec![200u16, 404, 601]);
    prop_oneof![
        prop::option::of(prop::sample::select(vec![3u8, 4, 100])).prop_map(Op::Plain),
        (1u8..250).prop_map(Op::Query),
        Just(Op::FreeText),
        status
            .clone()
            .prop_map(|s| Op::Deferred(Completion::AfterOk(s))),
        status.prop_map(|s| Op::Deferred(Completion::BeforeOk(s))),
        Just(Op::Deferred(Completion::AfterError)),
        Just(Op::Deferred(Completion::BeforeError)),
        Just(Op::TimedOut),
    ]
}

/// A session: commands with the unsolicited lines of their answers, whether the
/// modem echoes, and the seed of the output's cut points.
fn session() -> impl Strategy<Value = (Vec<(Op, Vec<u8>)>, bool, u64)> {
    let ops = prop::collection::vec((op(), prop::collection::vec(0u8..12, 8)), 1..8);
    (ops, any::<bool>(), any::<u64>())
}

/// The unsolicited lines to put at successive line boundaries of one answer:
/// a pick below 4 puts that line of [`UNSOLICITED`] there.
struct Spots<'a> {
    picks: std::slice::Iter<'a, u8>,
    /// During a free-text answer only typed URCs may come (an unknown line would
    /// be one more line of the answer).
    typed_only: bool,
}

impl Spots<'_> {
    fn next(&mut self) -> Option<Seg> {
        let pick = *self.picks.next()? as usize;
        let line = UNSOLICITED.get(pick)?;
        (!self.typed_only || pick == 0).then(|| Seg::Urc(line.to_vec()))
    }

    /// Appends `lines`, maybe after an unsolicited line.
    fn lines(&mut self, segs: &mut Vec<Seg>, lines: &[u8]) {
        segs.extend(self.next());
        segs.push(Seg::Lines(lines.to_vec()));
    }
}

/// The modem's side of one command: the line it expects and its answer, with
/// unsolicited lines where `picks` says. `next_is_free_text`: without echo, an
/// unknown line after this answer may be read once the next command is sent,
/// and a free-text answer cannot be told from it (a documented limit), so only
/// typed URCs come last then.
fn play(op: &Op, picks: &[u8], echo: bool, next_is_free_text: bool) -> Vec<Step> {
    let line: &[u8] = match op {
        Op::Plain(_) | Op::TimedOut => b"AT+HTTPPARA=\"CID\",1",
        Op::Query(_) => b"AT+SAPBR=2,1",
        Op::FreeText => b"AT+CGMI",
        Op::Deferred(_) => b"AT+HTTPACTION=0",
    };
    let mut spots = Spots {
        picks: picks.iter(),
        typed_only: matches!(op, Op::FreeText),
    };
    let mut cr = line.to_vec();
    cr.push(b'\r');
    // A URC may come before the echo.
    let mut steps = vec![Step::ExpectQuiet(cr.clone())];
    if let Some(before_echo) = spots.next() {
        steps.push(Step::Reply(vec![before_echo]));
    }
    if echo {
        steps.push(Step::Reply(vec![Seg::Raw(cr)]));
    }
    let mut segs = Vec::new();
    let completion = |status: u16| format!("\r\n+HTTPACTION: 0,{status},5\r\n").into_bytes();
    match op {
        Op::Plain(None) => spots.lines(&mut segs, b"\r\nOK\r\n"),
        Op::Plain(Some(code)) => {
            spots.lines(&mut segs, format!("\r\n+CME ERROR: {code}\r\n").as_bytes())
        }
        Op::Query(n) => {
            spots.lines(
                &mut segs,
                format!("\r\n+SAPBR: 1,1,\"10.0.0.{n}\"\r\n").as_bytes(),
            );
            spots.lines(&mut segs, b"\r\nOK\r\n");
        }
        Op::FreeText => {
            spots.lines(&mut segs, b"\r\nSIMCOM_Ltd\r\n");
            spots.lines(&mut segs, b"\r\nOK\r\n");
        }
        Op::Deferred(Completion::AfterOk(status)) => {
            spots.lines(&mut segs, b"\r\nOK\r\n");
            spots.lines(&mut segs, &completion(*status));
        }
        Op::Deferred(Completion::BeforeOk(status)) => {
            spots.lines(&mut segs, &completion(*status));
            spots.lines(&mut segs, b"\r\nOK\r\n");
        }
        Op::Deferred(Completion::AfterError) => {
            spots.lines(&mut segs, b"\r\nERROR\r\n");
            segs.extend(spots.next());
            segs.push(Seg::Urc(b"+HTTPACTION: 0,601,0".to_vec()));
        }
        Op::Deferred(Completion::BeforeError) => {
            segs.extend(spots.next());
            segs.push(Seg::Urc(b"+HTTPACTION: 0,601,0".to_vec()));
            spots.lines(&mut segs, b"\r\nERROR\r\n");
        }
        Op::TimedOut => {
            // Nothing in time: the late OK comes once the client has given up.
            spots.typed_only |= next_is_free_text && !echo;
            segs.extend(spots.next());
            steps.push(Step::Reply(segs));
            steps.push(Step::Pause(Duration::from_millis(1100)));
            steps.push(Step::Late(b"OK".to_vec()));
            return steps;
        }
    }
    spots.typed_only |= next_is_free_text && !echo;
    segs.extend(spots.next());
    steps.push(Step::Reply(segs));
    steps
}

async fn run(op: &Op, client: &atspec::Client<Urc>) {
    match op {
        Op::Plain(code) => {
            let got = client.send(&HttpparaCidWrite::new(1).unwrap()).await;
            match (code, got) {
                (None, Ok(())) => {}
                (
                    Some(want),
                    Err(AtError::Command {
                        code: Some(got), ..
                    }),
                ) if got == want.to_string() => {}
                (want, got) => panic!("CID: want {want:?}, got {got:?}"),
            }
        }
        Op::Query(n) => {
            let status = client
                .send(&SapbrQueryWrite::new(1).unwrap())
                .await
                .expect("SAPBR=2");
            assert_eq!(status.ip_addr, format!("10.0.0.{n}"));
        }
        Op::FreeText => {
            let maker = client.send(&CgmiExec::new()).await.expect("CGMI");
            assert_eq!(maker.manufacturer, "SIMCOM_Ltd");
        }
        Op::Deferred(c) => {
            let got = client
                .send_deferred(&HttpactionWrite::new(HttpMethod::Get).unwrap())
                .await;
            match (c, got) {
                // An HTTP status is data, except the module's own network error.
                (Completion::AfterOk(s) | Completion::BeforeOk(s), Ok((_, done))) if *s != 601 => {
                    assert_eq!(done.status_code.code(), *s)
                }
                (
                    Completion::AfterOk(601) | Completion::BeforeOk(601),
                    Err(AtError::Failed { code, .. }),
                ) if code.code == "601" => {}
                (
                    Completion::AfterError | Completion::BeforeError,
                    Err(AtError::Command {
                        result: "ERROR", ..
                    }),
                ) => {}
                (c, got) => panic!("HTTPACTION {c:?}: got {got:?}"),
            }
        }
        Op::TimedOut => {
            let got = client.send(&HttpparaCidWrite::new(1).unwrap()).await;
            assert!(matches!(got, Err(AtError::Timeout { .. })), "{got:?}");
            // The late answer arrives while the client waits.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// Plays one session and checks every line's fate.
fn check_session(ops: Vec<(Op, Vec<u8>)>, echo: bool, seed: u64) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mut script = Vec::new();
        for (i, (op, urcs)) in ops.iter().enumerate() {
            let next_is_free_text = matches!(ops.get(i + 1), Some((Op::FreeText, _)));
            script.extend(play(op, urcs, echo, next_is_free_text));
        }
        let mode = Mode {
            chunking: Chunking::Random(seed),
            echo: false, // the script writes echoes itself
            urcs: false,
        };
        let config = Config {
            default_timeout: Duration::from_secs(1),
            resync_timeout: Duration::from_secs(1),
            urc_capacity: 4096,
            ..Config::default()
        };
        let rig = rig(mode, config, script);
        for (op, _) in &ops {
            run(op, &rig.client).await;
        }
        let support::Rig {
            client,
            mut urcs,
            modem,
            seen,
            ..
        } = rig;
        // The subscription ends when the modem has played the whole script.
        let mut events = seen;
        events.extend(drain(&mut urcs).await.map_err(TestCaseError::fail)?);
        drop(client);
        let report = modem.await.unwrap().map_err(TestCaseError::fail)?;
        let late = events
            .iter()
            .filter(|e| matches!(e, Unsolicited::LateResult { .. }))
            .count();
        prop_assert_eq!(late, report.late.len(), "late results: {:?}", events);
        let mut got: Vec<String> = events
            .iter()
            .filter(|e| !matches!(e, Unsolicited::LateResult { .. }))
            .map(describe)
            .collect();
        let mut want: Vec<String> = report
            .unsolicited
            .iter()
            .map(|l| describe(&expected_event::<Urc>(l)))
            .collect();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_an_answer_or_reaches_the_subscribers((ops, echo, seed) in session()) {
        check_session(ops, echo, seed)?;
    }
}
