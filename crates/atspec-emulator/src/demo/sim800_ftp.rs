//! The SIM800 FTP part of the demo: bearer and FTP parameters, then an upload
//! (AT+FTPPUT) and a download (AT+FTPGET) of a 1 KiB binary file.

use std::io::Write;
use std::time::Duration;

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_sim800::bearer::{BearerContype, SapbrOpen, SapbrSetApn, SapbrSetContype};
use atspec_sim800::ftp::{
    Ftpcid, FtpgetOpen, FtpgetRead, Ftpgetname, Ftpgetpath, Ftpport, FtpputClose, FtpputOpen,
    FtpputWrite, Ftpputname, Ftpputpath, Ftppw, Ftpserv, Ftpun,
};
use atspec_sim800::{DIALECT, Urc};
use tokio::sync::broadcast::{self, error::RecvError};

use super::transcript::{Tap, Transcript};
use super::{Fault, Report, check};
use crate::backend::ftp::{FtpOptions, FtpServer};
use crate::modem::{self, ModemOptions};
use crate::modems::sim800_ftp::Sim800Ftp;
use crate::payload;

const FILE: &str = "sim800.bin";

pub(super) async fn run(
    fault: Option<Fault>,
    out: &mut dyn Write,
    report: &mut Report,
) -> std::io::Result<()> {
    writeln!(out, "== SIMCom SIM800: FTP upload and download")?;
    let server = FtpServer::start(super::ftp_options(FtpOptions::plain(), fault)).await;
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800Ftp::new(), modem_side, ModemOptions::default());
    let transcript = Transcript::default();
    let client: Client<Urc> = Client::new(
        Tap::new(host, transcript.clone()),
        &DIALECT,
        Config::default(),
    );
    let mut session = Session {
        urcs: client.subscribe(),
        client,
    };
    let data = payload(1024, 802);

    let put = session.upload(&server, &data).await;
    transcript.flush_to(out)?;
    report.push(
        "SIM800 FTP upload 1 KiB",
        put.and_then(|()| match std::fs::read(server.root().join(FILE)) {
            Ok(on_disk) => check(&on_disk, &data).map(|sha| format!("the server holds {sha}")),
            Err(e) => Err(format!("the server has no {FILE}: {e}")),
        }),
    );

    let get = session.download().await;
    transcript.flush_to(out)?;
    report.push(
        "SIM800 FTP download 1 KiB",
        get.and_then(|back| check(&back, &data)),
    );
    Ok(())
}

/// The client and a subscription to the session URCs (`+FTPPUT: 1,...`, `+FTPGET: 1,...`).
struct Session {
    client: Client<Urc>,
    urcs: broadcast::Receiver<Unsolicited<Urc>>,
}

impl Session {
    /// Bearer 1 and the server's parameters, then AT+FTPPUT=1, the data in chunks of at
    /// most `<maxlength>`, and AT+FTPPUT=2,0.
    async fn upload(&mut self, server: &FtpServer, data: &[u8]) -> Result<(), String> {
        self.connect(server).await.map_err(|e| e.to_string())?;
        let client = &self.client;
        client
            .send(&Ftpputpath::new("/").expect("valid"))
            .await
            .map_err(|e| e.to_string())?;
        client
            .send(&Ftpputname::new(FILE).expect("valid"))
            .await
            .map_err(|e| e.to_string())?;
        let (_, ready) = client
            .send_deferred(&FtpputOpen::new())
            .await
            .map_err(|e| e.to_string())?;
        let max = ready.maxlength.unwrap_or(1024).max(1) as usize;
        let mut rest = data;
        while !rest.is_empty() {
            let write = FtpputWrite::new(rest.len().min(max) as u32).expect("valid");
            match self.client.send_upload(&write, &mut rest).await {
                Ok(_) => {}
                // Writing after the session ended: its URC says how it ended.
                Err(AtError::Command {
                    result: "ERROR", ..
                }) => {
                    let code = self.put_status().await?;
                    return Err(format!("the upload session ended with +FTPPUT: 1,{code}"));
                }
                Err(other) => return Err(other.to_string()),
            }
            // The module offers the next chunk when this one is on its way.
            let code = self.put_status().await?;
            if code != 1 {
                return Err(format!("the upload session ended with +FTPPUT: 1,{code}"));
            }
        }
        self.client
            .send_deferred(&FtpputClose::new())
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// AT+FTPGET=1, then AT+FTPGET=2,1460 until `+FTPGET: 1,0`.
    async fn download(&mut self) -> Result<Vec<u8>, String> {
        let client = &self.client;
        client
            .send(&Ftpgetpath::new("/").expect("valid"))
            .await
            .map_err(|e| e.to_string())?;
        client
            .send(&Ftpgetname::new(FILE).expect("valid"))
            .await
            .map_err(|e| e.to_string())?;
        let (_, first) = client
            .send_deferred(&FtpgetOpen::new())
            .await
            .map_err(|e| e.to_string())?;
        let mut file = Vec::new();
        let mut status = first.status.code();
        while status == 1 {
            let read = FtpgetRead::new(1460).expect("valid");
            match self.client.send_download(&read, &mut file).await {
                Ok((_, n)) if n > 0 => continue,
                Ok(_)
                // Reading after the session ended: its URC says how it ended.
                | Err(AtError::Command {
                    result: "ERROR", ..
                }) => {}
                Err(other) => return Err(other.to_string()),
            }
            status = self
                .next(|u| match u {
                    Urc::GetStatus(s) => Some(s.status.code()),
                    _ => None,
                })
                .await?;
        }
        if status == 0 {
            Ok(file)
        } else {
            Err(format!(
                "the download session ended with +FTPGET: 1,{status}"
            ))
        }
    }

    async fn connect(&self, server: &FtpServer) -> Result<(), AtError> {
        let client = &self.client;
        client
            .send(&SapbrSetContype::new(1, BearerContype::from_text("GPRS")).expect("valid"))
            .await?;
        client
            .send(&SapbrSetApn::new(1, "internet").expect("valid"))
            .await?;
        client.send(&SapbrOpen::new(1).expect("valid")).await?;
        client.send(&Ftpcid::new(1).expect("valid")).await?;
        let ip = server.addr().ip().to_string();
        client.send(&Ftpserv::new(&ip).expect("valid")).await?;
        client
            .send(&Ftpport::new(server.port()).expect("valid"))
            .await?;
        client
            .send(&Ftpun::new(server.user()).expect("valid"))
            .await?;
        client
            .send(&Ftppw::new(server.password()).expect("valid"))
            .await
    }

    async fn put_status(&mut self) -> Result<u8, String> {
        self.next(|u| match u {
            Urc::PutStatus(s) => Some(s.result.code()),
            _ => None,
        })
        .await
    }

    /// The next session URC `pick` accepts, within 10 s; other lines are skipped.
    async fn next<T>(&mut self, pick: impl Fn(&Urc) -> Option<T>) -> Result<T, String> {
        let wait = async {
            loop {
                match self.urcs.recv().await {
                    Ok(Unsolicited::Urc(urc)) => {
                        if let Some(found) = pick(&urc) {
                            return Ok(found);
                        }
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return Err("the modem is gone".to_owned()),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .unwrap_or_else(|_| Err("no session URC within 10 s".to_owned()))
    }
}
