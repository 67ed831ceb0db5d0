//! The scripted modem itself: plays a script's [`Step`]s over its half of the
//! pipe in a [`Mode`], and reports what it saw and sent.

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;

use super::{Chunking, INJECTED, Mode, Report, Seg, Step, show};

/// A tiny xorshift64* generator: deterministic chunk boundaries without `rand`.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator for `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

struct Modem {
    io: DuplexStream,
    input: Vec<u8>,
    mode: Mode,
    rng: XorShift,
    /// What ends a command line the host sends (the dialect's terminator).
    terminator: Vec<u8>,
    /// The unsolicited lines injected between answer lines, in rotation.
    injected: Vec<Vec<u8>>,
    next_urc: usize,
    report: Report,
}

impl Modem {
    async fn fill(&mut self, waiting_for: &str) -> Result<(), String> {
        let mut buf = [0u8; 512];
        match self.io.read(&mut buf).await {
            Ok(0) => Err(format!(
                "the host closed the connection while the modem waited for {waiting_for} \
                 (unread: {:?})",
                show(&self.input)
            )),
            Ok(n) => {
                self.input.extend_from_slice(&buf[..n]);
                Ok(())
            }
            Err(e) => Err(format!("read failed while waiting for {waiting_for}: {e}")),
        }
    }

    async fn command_line(&mut self, waiting_for: &str) -> Result<Vec<u8>, String> {
        loop {
            let end = self
                .input
                .windows(self.terminator.len())
                .position(|w| w == self.terminator.as_slice());
            if let Some(end) = end {
                let line: Vec<u8> = self.input.drain(..end + self.terminator.len()).collect();
                self.report.commands.push(line.clone());
                return Ok(line);
            }
            self.fill(waiting_for).await?;
        }
    }

    async fn exact(&mut self, len: usize, waiting_for: &str) -> Result<Vec<u8>, String> {
        while self.input.len() < len {
            self.fill(waiting_for).await?;
        }
        Ok(self.input.drain(..len).collect())
    }

    async fn until(&mut self, terminator: &[u8], waiting_for: &str) -> Result<Vec<u8>, String> {
        loop {
            if let Some(at) = self
                .input
                .windows(terminator.len())
                .position(|w| w == terminator)
            {
                let data: Vec<u8> = self.input.drain(..at).collect();
                self.input.drain(..terminator.len());
                return Ok(data);
            }
            self.fill(waiting_for).await?;
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = match self.mode.chunking {
                Chunking::Whole => rest.len(),
                Chunking::Bytes => 1,
                Chunking::Random(_) => (1 + self.rng.below(16)).min(rest.len()),
            };
            self.io
                .write_all(&rest[..n])
                .await
                .map_err(|e| format!("write failed: {e}"))?;
            rest = &rest[n..];
            if self.mode.chunking != Chunking::Whole {
                tokio::task::yield_now().await;
            }
        }
        Ok(())
    }

    fn inject(&mut self, out: &mut Vec<u8>) {
        if self.injected.is_empty() {
            return;
        }
        let line = self.injected[self.next_urc % self.injected.len()].clone();
        self.next_urc += 1;
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&line);
        out.extend_from_slice(b"\r\n");
        self.report.unsolicited.push(line);
    }

    /// The answer's bytes, with URCs injected where one whole line ends and the next
    /// begins (never inside raw bytes, never right before them).
    fn render(&mut self, segs: &[Seg]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, seg) in segs.iter().enumerate() {
            match seg {
                Seg::Raw(bytes) => out.extend_from_slice(bytes),
                Seg::Noise { bytes, lines } => {
                    out.extend_from_slice(bytes);
                    self.report.unsolicited.extend(lines.iter().cloned());
                }
                Seg::Urc(line) => {
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(line);
                    out.extend_from_slice(b"\r\n");
                    self.report.unsolicited.push(line.clone());
                }
                Seg::Lines(bytes) if !self.mode.urcs => out.extend_from_slice(bytes),
                Seg::Lines(bytes) => {
                    let raw_next = matches!(segs.get(i + 1), Some(Seg::Raw(_)));
                    let mut from = 0;
                    for at in 0..=bytes.len() {
                        let line_ended = at == 0 || bytes[..at].ends_with(b"\r\n");
                        let line_starts = at == bytes.len() || bytes[at..].starts_with(b"\r\n");
                        if line_ended && line_starts && !(raw_next && at == bytes.len()) {
                            out.extend_from_slice(&bytes[from..at]);
                            from = at;
                            self.inject(&mut out);
                        }
                    }
                    out.extend_from_slice(&bytes[from..]);
                }
            }
        }
        out
    }

    async fn answer(&mut self, segs: &[Seg]) -> Result<(), String> {
        let bytes = self.render(segs);
        self.write(&bytes).await
    }

    async fn echo(&mut self, line: &[u8]) -> Result<(), String> {
        if self.mode.echo {
            self.write(line).await?;
        }
        Ok(())
    }

    async fn play(&mut self, script: Vec<Step>) -> Result<(), String> {
        let steps = script.len();
        for (n, step) in script.into_iter().enumerate() {
            let at = format!("step {}/{steps}", n + 1);
            match step {
                Step::Expect(want) => {
                    let what = format!("{} ({at})", show(&want));
                    let got = self.command_line(&what).await?;
                    if got != want {
                        return Err(format!(
                            "{at}: expected {what}, the host sent {}",
                            show(&got)
                        ));
                    }
                    self.echo(&got).await?;
                }
                Step::ExpectQuiet(want) => {
                    let what = format!("{} ({at})", show(&want));
                    let got = self.command_line(&what).await?;
                    if got != want {
                        return Err(format!(
                            "{at}: expected {what}, the host sent {}",
                            show(&got)
                        ));
                    }
                }
                Step::Reply(segs) => self.answer(&segs).await?,
                Step::Unsolicited(line) => {
                    let mut bytes = b"\r\n".to_vec();
                    bytes.extend_from_slice(&line);
                    bytes.extend_from_slice(b"\r\n");
                    self.report.unsolicited.push(line);
                    self.write(&bytes).await?;
                }
                Step::Late(line) => {
                    let mut bytes = b"\r\n".to_vec();
                    bytes.extend_from_slice(&line);
                    bytes.extend_from_slice(b"\r\n");
                    self.report.late.push(line);
                    self.write(&bytes).await?;
                }
                Step::Upload(want) => {
                    let what = format!("{} upload bytes ({at})", want.len());
                    let got = self.exact(want.len(), &what).await?;
                    if got != want {
                        return Err(format!(
                            "{at}: upload was {}, expected {}",
                            show(&got),
                            show(&want)
                        ));
                    }
                    self.report.uploads.push(got);
                }
                Step::UploadUntil { terminator, data } => {
                    let what = format!("upload data up to {} ({at})", show(&terminator));
                    let got = self.until(&terminator, &what).await?;
                    if got != data {
                        return Err(format!(
                            "{at}: upload was {}, expected {}",
                            show(&got),
                            show(&data)
                        ));
                    }
                    self.report.uploads.push(got);
                }
                Step::Pause(d) => tokio::time::sleep(d).await,
                Step::Unordered(mut answers) => {
                    while !answers.is_empty() {
                        let what = format!("one of {} command lines ({at})", answers.len());
                        let got = self.command_line(&what).await?;
                        let Some(i) = answers.iter().position(|(line, _)| *line == got) else {
                            return Err(format!(
                                "{at}: unexpected command {} (still expected: {:?})",
                                show(&got),
                                answers.iter().map(|(l, _)| show(l)).collect::<Vec<_>>()
                            ));
                        };
                        let (line, segs) = answers.swap_remove(i);
                        self.echo(&line).await?;
                        self.answer(&segs).await?;
                    }
                }
                Step::Close => return Ok(()),
            }
        }
        // End of the script: no more output, and the host must send nothing more.
        let _ = self.io.shutdown().await;
        let mut rest = Vec::new();
        let _ = self.io.read_to_end(&mut rest).await;
        rest.splice(0..0, std::mem::take(&mut self.input));
        if !rest.is_empty() {
            return Err(format!(
                "the host sent {} after the script ended",
                show(&rest)
            ));
        }
        Ok(())
    }
}

/// Starts the modem on `io`, playing `script` in `mode` (command lines end with
/// CR, and the URCs of [`INJECTED`] are injected).
pub fn spawn_modem(
    io: DuplexStream,
    mode: Mode,
    script: Vec<Step>,
) -> JoinHandle<Result<Report, String>> {
    let injected: Vec<&[u8]> = INJECTED.to_vec();
    spawn_modem_with(io, mode, script, b"\r", &injected)
}

/// Like [`spawn_modem`], for a modem whose command lines end with `terminator`
/// and that injects `injected` (in rotation) in the modes that inject URCs.
pub fn spawn_modem_with(
    io: DuplexStream,
    mode: Mode,
    script: Vec<Step>,
    terminator: &[u8],
    injected: &[&[u8]],
) -> JoinHandle<Result<Report, String>> {
    let seed = match mode.chunking {
        Chunking::Random(seed) => seed,
        _ => 1,
    };
    let mut modem = Modem {
        io,
        input: Vec::new(),
        mode,
        rng: XorShift::new(seed),
        terminator: terminator.to_vec(),
        injected: injected.iter().map(|l| l.to_vec()).collect(),
        next_urc: 0,
        report: Report::default(),
    };
    tokio::spawn(async move {
        modem.play(script).await?;
        Ok(modem.report)
    })
}
