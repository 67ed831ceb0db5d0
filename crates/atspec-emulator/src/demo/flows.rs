//! The demo's flows, one generic function per task, run on every modem that has the
//! task: they name the task traits only, never a vendor's commands.

use std::io::{self, Write};

use atspec::task::{
    Driver, Ftp, FtpSecurity, Http, HttpRequest, HttpResponse, LinkKind, Network, Progress,
    Transfer,
};

use super::modems::Emulated;
use super::servers::Servers;
use super::{Report, check, sha256};
use crate::payload;

/// The size of every transfer.
const SIZE: usize = 4096;
const SIZE_TEXT: &str = "4 KiB";

/// Where the demo writes, and what it found so far.
pub(super) struct Demo<'o> {
    out: &'o mut dyn Write,
    report: Report,
    /// The next payload's seed, so that every transfer moves other bytes.
    seed: u64,
}

impl<'o> Demo<'o> {
    pub(super) fn new(out: &'o mut dyn Write) -> Self {
        Self {
            out,
            report: Report::default(),
            seed: 100,
        }
    }

    /// Starts a modem's part of the transcript.
    pub(super) fn section<M>(&mut self, on: &Emulated<M>) -> io::Result<()> {
        let driver = std::any::type_name::<M>();
        writeln!(self.out, "\n== {} ({driver})", on.title)
    }

    /// Records a check: its name, the lines that crossed the modem's line for it,
    /// the transfer's progress if there was one, and its outcome for the report.
    fn record<M>(
        &mut self,
        on: &Emulated<M>,
        what: String,
        outcome: Result<String, String>,
        progress: Option<&[Progress]>,
    ) -> io::Result<()> {
        writeln!(self.out, "-- {what}")?;
        on.transcript.flush_to(self.out)?;
        if let Some(line) = progress.and_then(progress_line) {
            writeln!(self.out, "  .. {line}")?;
        }
        self.report.push(what, outcome);
        Ok(())
    }

    /// Writes the report and hands it back.
    pub(super) fn finish(self) -> io::Result<Report> {
        writeln!(self.out, "\n{}", self.report)?;
        Ok(self.report)
    }

    fn payload(&mut self) -> Vec<u8> {
        self.seed += 1;
        payload(SIZE, self.seed)
    }
}

/// The network task: brings the modem's link up.
pub(super) async fn network_up<M: Network + Sync>(
    demo: &mut Demo<'_>,
    on: &Emulated<M>,
) -> io::Result<()> {
    let outcome = match on.modem.connect(&on.link, None).await {
        Ok(state) if state.up => Ok(match state.address {
            Some(address) => format!("up, address {address}"),
            None => "up".to_owned(),
        }),
        Ok(_) => Err("the link is still down after connecting".to_owned()),
        Err(e) => Err(e.to_string()),
    };
    let link = match on.link.kind() {
        LinkKind::Cellular => format!("cellular, APN {}", on.link.apn().unwrap_or_default()),
        LinkKind::Wifi => format!("Wi-Fi, SSID {}", on.link.ssid().unwrap_or_default()),
    };
    demo.record(on, format!("{} network ({link})", on.label), outcome, None)
}

/// The HTTP task: a GET of a binary body, checked by its SHA-256, and a POST whose
/// body the server echoes the SHA-256 of.
pub(super) async fn http_roundtrip<M: Http + Sync>(
    demo: &mut Demo<'_>,
    on: &Emulated<M>,
    servers: &Servers,
) -> io::Result<()> {
    let expected = demo.payload();
    let url = servers.http_url(&format!("/bytes/{SIZE}?seed={}", demo.seed));
    let mut seen = Vec::new();
    let mut body = Vec::new();
    let request = HttpRequest::get(url).on_progress(|p| seen.push(p));
    let result = on.modem.request(request, &mut body).await;
    let outcome = result
        .and_then(HttpResponse::error_for_status)
        .map_err(|e| e.to_string())
        .and_then(|response| {
            let sha = check(&body, &expected)?;
            progress_reached(&seen)?;
            Ok(format!("{response}, {sha}"))
        });
    let what = format!("{} HTTP GET {SIZE_TEXT}", on.label);
    demo.record(on, what, outcome, Some(&seen))?;

    let data = demo.payload();
    let mut request = HttpRequest::post(servers.http_url("/post")).body_bytes(&data);
    if M::HTTP.request_headers {
        request = request.header("content-type", "application/octet-stream");
    }
    let mut echo = Vec::new();
    let result = on.modem.request(request, &mut echo).await;
    let sent = sha256(&data);
    let outcome = result
        .and_then(HttpResponse::error_for_status)
        .map_err(|e| e.to_string())
        .and_then(|response| {
            if String::from_utf8_lossy(&echo).contains(&sent) {
                Ok(format!("{response}, the server received sha256 {sent}"))
            } else {
                Err(format!("{response}, but the echo lacks the body's sha256"))
            }
        });
    let what = format!("{} HTTP POST {SIZE_TEXT}", on.label);
    demo.record(on, what, outcome, None)
}

/// The FTP task, in every security the modem has: an upload, checked on the
/// server's disk, and a download of it, checked by its SHA-256. The data holds a
/// terminator line (`\r\nOK\r\n`) to show binary data stays data.
pub(super) async fn ftp_roundtrip<M: Ftp + Sync>(
    demo: &mut Demo<'_>,
    on: &Emulated<M>,
    servers: &Servers,
) -> io::Result<()> {
    for &security in M::FTP.security {
        let (server, login) = servers.ftp(security);
        let (kind, tag) = match security {
            FtpSecurity::Plain => ("FTP", "plain"),
            FtpSecurity::Explicit => ("FTPS explicit", "explicit"),
            FtpSecurity::Implicit => ("FTPS implicit", "implicit"),
        };
        let file = format!("{}-{tag}.bin", <M as Driver>::NAME);
        let mut data = demo.payload();
        data[SIZE / 2..SIZE / 2 + 6].copy_from_slice(b"\r\nOK\r\n");

        let mut seen = Vec::new();
        let transfer = Transfer::new().on_progress(|p| seen.push(p));
        let result = on
            .modem
            .ftp_put(&login, &file, &mut &data[..], SIZE as u64, transfer)
            .await;
        let outcome = result
            .map_err(|e| e.to_string())
            .and_then(|sent| all_bytes(sent, "sent"))
            .and_then(|()| match std::fs::read(server.root().join(&file)) {
                Ok(on_disk) => check(&on_disk, &data),
                Err(e) => Err(format!("the server has no {file}: {e}")),
            })
            .and_then(|sha| {
                progress_reached(&seen)?;
                Ok(format!("the server holds {sha}"))
            });
        let what = format!("{} {kind} upload {SIZE_TEXT}", on.label);
        demo.record(on, what, outcome, Some(&seen))?;

        let mut seen = Vec::new();
        let mut back = Vec::new();
        let transfer = Transfer::new().on_progress(|p| seen.push(p));
        let result = on.modem.ftp_get(&login, &file, &mut back, transfer).await;
        let outcome = result
            .map_err(|e| e.to_string())
            .and_then(|got| all_bytes(got, "received"))
            .and_then(|()| check(&back, &data))
            .and_then(|sha| progress_reached(&seen).map(|()| sha));
        let what = format!("{} {kind} download {SIZE_TEXT}", on.label);
        demo.record(on, what, outcome, Some(&seen))?;
    }
    Ok(())
}

/// `Err` unless the task moved the whole file.
fn all_bytes(moved: u64, verb: &str) -> Result<(), String> {
    if moved == SIZE as u64 {
        Ok(())
    } else {
        Err(format!("the task {verb} {moved} of {SIZE} bytes"))
    }
}

/// `Err` unless the progress reports reached the whole size.
fn progress_reached(seen: &[Progress]) -> Result<(), String> {
    match seen.last() {
        Some(last) if last.done == SIZE as u64 => Ok(()),
        Some(last) => Err(format!("progress stopped at {} of {SIZE} bytes", last.done)),
        None => Err("no progress was reported".to_owned()),
    }
}

/// `progress 25% 50% 75% 100% of 4096 bytes (4 reports)`, or `None` without reports.
/// Without a total from the task, the percentages are of the file's size.
fn progress_line(seen: &[Progress]) -> Option<String> {
    let last = seen.last()?;
    let total = last.total.unwrap_or(SIZE as u64).max(1);
    let unknown = if last.total.is_none() {
        ", the total not reported"
    } else {
        ""
    };
    let mut steps: Vec<u64> = Vec::new();
    for report in seen {
        let percent = report.done * 100 / total;
        if steps.last() != Some(&percent) {
            steps.push(percent);
        }
    }
    let steps: Vec<String> = steps.iter().map(|p| format!("{p}%")).collect();
    let reports = match seen.len() {
        1 => "1 report".to_owned(),
        n => format!("{n} reports"),
    };
    Some(format!(
        "progress {} of {total} bytes ({reports}{unknown})",
        steps.join(" ")
    ))
}
