//! The client end to end: a peer answers a few typed commands (a plain one, a
//! deferred one, a download) with arbitrary bytes, cut into several writes at
//! arbitrary times; then it turns into a well-behaved modem, and the next command
//! must return its correct answer. Never a panic, never a hang: everything runs
//! on paused time, bounded by the commands' timeouts.
//!
//! Input (see `fuzz/README.md`): `[flags, read_size, bytes...]`. Flag bit 0 picks
//! the modem (SIM800: `AT+HTTPINIT`, `AT+HTTPACTION=0`, `AT+HTTPREAD` with a
//! length-prefixed body; EC200U: `AT+QIACT?`, `AT+QFTPSIZE`, `AT+QFTPGET` to the
//! port in data mode), bit 1 whether the well-behaved modem echoes. The bytes are
//! cut at NUL into the answers to the command lines the peer receives in turn
//! (resynchronisation probes included); each answer is cut at `\x01 <delay>` into
//! writes, the peer sleeping `delay` x 20 ms before each.
//!
//! When the misbehaving part is over, the peer ends any partial line with CR LF
//! (as the next answer's own leading CR LF would) and the line stays quiet until
//! the client sends again. From then on it answers `AT` (the client's
//! resynchronisation probe) with `OK` and the last command with its answer, which
//! the client must return (within [`RESYNC_RETRIES`] more calls, see there).
#![no_main]

use std::time::Duration;

use atspec::{AtCommand, AtError, Client, Config, Stage, UrcSet};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::{oneshot, watch};

/// Calls after the first that may still fail with a timeout at
/// [`Stage::Resync`]: when the noise looked like an echo and the well-behaved
/// modem does not echo, a probe's `OK` cannot be told from a late answer. The
/// client docs promise that "the next call tries again"; it must get back in step.
const RESYNC_RETRIES: usize = 2;

/// One write of the misbehaving peer: wait, then send.
type Write = (Duration, Vec<u8>);

#[derive(Debug)]
struct Script {
    sim800: bool,
    echo: bool,
    read_size: usize,
    /// The answer to each command line received, in order.
    answers: Vec<Vec<Write>>,
}

fn decode(data: &[u8]) -> Option<Script> {
    let ([flags, read_size], rest) = data.split_first_chunk::<2>()?;
    let answers = rest
        .split(|b| *b == 0)
        .take(16)
        .map(|answer| {
            let mut writes = Vec::new();
            let mut pieces = answer.split(|b| *b == 1);
            if let Some(first) = pieces.next() {
                writes.push((Duration::ZERO, first.to_vec()));
            }
            for piece in pieces {
                let (delay, bytes) = piece.split_first().map_or((0, &[][..]), |(d, b)| (*d, b));
                writes.push((Duration::from_millis(u64::from(delay) * 20), bytes.to_vec()));
            }
            writes
        })
        .collect();
    Some(Script {
        sim800: flags & 1 == 0,
        echo: flags & 2 != 0,
        read_size: usize::from(*read_size).max(1),
        answers,
    })
}

/// The well-behaved modem's answer to the last command: its line and the answer.
type Answer = (&'static [u8], &'static [u8]);

/// What the well-behaved modem sends for a command line: `OK` to the probe `AT`,
/// the answer to the last command, `ERROR` to anything else.
fn answer_to(line: &[u8], last: Answer) -> &'static [u8] {
    match line {
        b"AT" => b"\r\nOK\r\n",
        _ if line == last.0 => last.1,
        _ => b"\r\nERROR\r\n",
    }
}

/// Plays the misbehaving answers, then (once `behave` turns true and the
/// answer being written is out) the well-behaved modem.
async fn peer(
    mut io: DuplexStream,
    answers: Vec<Vec<Write>>,
    echo: bool,
    mut behave: watch::Receiver<bool>,
    quiet: oneshot::Sender<()>,
    last: Answer,
) {
    let mut answers = answers.into_iter();
    let mut quiet = Some(quiet);
    let mut received = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        while let Some(end) = received.iter().position(|b| *b == b'\r') {
            let line: Vec<u8> = received.drain(..=end).collect();
            let written = if quiet.is_none() {
                // A data-mode escape (`+++`) the client sent runs into the next line.
                let command = line.strip_suffix(b"\r").unwrap_or(&line);
                let start = command.iter().take_while(|b| **b == b'+').count();
                let command = &command[start..];
                let mut out = Vec::new();
                if echo {
                    out.extend_from_slice(command);
                    out.push(b'\r');
                }
                out.extend_from_slice(answer_to(command, last));
                io.write_all(&out).await
            } else {
                play(&mut io, answers.next().unwrap_or_default()).await
            };
            if written.is_err() {
                return;
            }
        }
        tokio::select! {
            read = io.read(&mut chunk) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            },
            changed = behave.changed(), if quiet.is_some() => {
                if changed.is_err() || io.write_all(b"\r\n").await.is_err() {
                    return;
                }
                if let Some(quiet) = quiet.take() {
                    let _ = quiet.send(());
                }
            }
        }
    }
}

async fn play(io: &mut DuplexStream, writes: Vec<Write>) -> std::io::Result<()> {
    for (delay, bytes) in writes {
        tokio::time::sleep(delay).await;
        io.write_all(&bytes).await?;
    }
    Ok(())
}

fn config(read_size: usize) -> Config {
    Config {
        default_timeout: Duration::from_secs(1),
        resync_timeout: Duration::from_secs(1),
        resync_quiet: Duration::from_millis(50),
        urc_capacity: 16,
        read_size,
        guard_time: Some(Duration::from_millis(10)),
        ..Config::default()
    }
}

/// Runs the misbehaving part with `misbehaved`, then sends `last` and returns
/// its result, with the peer answering it `answer`.
async fn session<U, C>(
    script: Script,
    dialect: &'static atspec::Dialect,
    misbehaved: impl AsyncFnOnce(&Client<U>),
    last: C,
    answer: Answer,
) -> Result<C::Response, AtError>
where
    U: UrcSet + Clone + Send + 'static,
    C: AtCommand,
{
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (behave_tx, behave_rx) = watch::channel(false);
    let (quiet_tx, quiet_rx) = oneshot::channel();
    tokio::spawn(peer(
        modem,
        script.answers,
        script.echo,
        behave_rx,
        quiet_tx,
        answer,
    ));
    let client: Client<U> = Client::new(host, dialect, config(script.read_size));
    misbehaved(&client).await;
    let _ = behave_tx.send(true);
    let _ = quiet_rx.await;
    // Paused time advances only once every task is idle: the reader has taken in
    // everything the peer sent before the last command goes out.
    tokio::time::sleep(Duration::from_millis(1)).await;
    let mut result = client.send(&last).await;
    for _ in 0..RESYNC_RETRIES {
        if !matches!(
            result,
            Err(AtError::Timeout {
                stage: Stage::Resync,
                ..
            })
        ) {
            break;
        }
        result = client.send(&last).await;
    }
    result
}

async fn sim800(script: Script) {
    use atspec_sim800::bearer::{SapbrQueryWrite, SapbrStatus};
    use atspec_sim800::http::{HttpMethod, HttpactionWrite, HttpinitExec, HttpreadExec};
    let result = session(
        script,
        &atspec_sim800::DIALECT,
        async |client: &Client<atspec_sim800::Urc>| {
            let _ = client.send(&HttpinitExec::new()).await;
            let get = HttpactionWrite::new(HttpMethod::Get).expect("valid");
            let _ = client.send_deferred(&get).await;
            let mut body = Vec::new();
            let read = HttpreadExec::new();
            let _ = client.send_download(&read, &mut body).await;
        },
        SapbrQueryWrite::new(1).expect("valid"),
        (
            b"AT+SAPBR=2,1",
            b"\r\n+SAPBR: 1,1,\"10.1.2.3\"\r\n\r\nOK\r\n",
        ),
    )
    .await;
    let want = SapbrStatus::parse(b"+SAPBR: 1,1,\"10.1.2.3\"").expect("the manual's line");
    match result {
        Ok(got) => assert_eq!(got, want, "AT+SAPBR=2,1 after the noise"),
        Err(e) => panic!("AT+SAPBR=2,1 after the noise failed: {e:?}"),
    }
}

async fn ec200u(script: Script) {
    use atspec_ec200u::ftp::{QftpgetToPortWrite, QftpsizeWrite};
    use atspec_ec200u::support::QiactRead;
    let result = session(
        script,
        &atspec_ec200u::DIALECT,
        async |client: &Client<atspec_ec200u::Urc>| {
            let _ = client.send(&QiactRead::new()).await;
            let size = QftpsizeWrite::new("a.bin").expect("valid");
            let _ = client.send_deferred(&size).await;
            let mut body = Vec::new();
            let get = QftpgetToPortWrite::new("a.bin", None, None).expect("valid");
            let _ = client.send_deferred_download(&get, &mut body).await;
        },
        QiactRead::new(),
        (
            b"AT+QIACT?",
            b"\r\n+QIACT: 1,1,1,\"10.1.2.3\"\r\n\r\nOK\r\n",
        ),
    )
    .await;
    match result {
        Ok(got) => {
            let [context] = got.active_context.as_slice() else {
                panic!("AT+QIACT? after the noise: {got:?}");
            };
            assert_eq!(
                (context.context_id, context.ip_address.as_deref()),
                (1, Some("10.1.2.3")),
                "AT+QIACT? after the noise: {got:?}"
            );
        }
        Err(e) => panic!("AT+QIACT? after the noise failed: {e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(script) = decode(data) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        // Every wait is bounded by a command's timeout (minutes at most): a day of
        // paused time passing means the client hangs.
        let run = async {
            if script.sim800 {
                sim800(script).await
            } else {
                ec200u(script).await
            }
        };
        tokio::time::timeout(Duration::from_secs(24 * 3600), run)
            .await
            .expect("the client hung");
    });
});
