//! The host side of the SIM800 FTP tests: a client on an emulated module with bearer 1
//! open and the server's FTP parameters set, and the session helpers the application
//! note's flows are made of.
#![allow(dead_code)]

use std::time::Duration;

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_emulator::backend::ftp::FtpServer;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::modems::sim800_ftp::Sim800Ftp;
use atspec_sim800::bearer::{
    BearerContype, SapbrOpenWrite, SapbrSetApnWrite, SapbrSetContypeWrite,
};
use atspec_sim800::ftp::{
    FtpcidWrite, FtpgetOpenWrite, FtpgetReadWrite, FtpgetnameWrite, FtpgetpathWrite,
    FtplistOpenWrite, FtplistReadWrite, FtpportWrite, FtpputCloseWrite, FtpputOpenWrite,
    FtpputWriteWrite, FtpputnameWrite, FtpputpathWrite, FtppwWrite, FtpservWrite, FtpsizeExec,
    FtpstateExec, FtpunWrite, GetStatusUrc, PutStatusUrc,
};
use atspec_sim800::{DIALECT, Urc};
use tokio::sync::broadcast::{self, error::RecvError};

/// Whole answers; 1-byte chunks with echo and injected URCs; random chunks.
pub fn modes() -> Vec<ModemOptions> {
    vec![
        ModemOptions::default(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: vec!["+CREG: 1", "RDY", "+SAPBR 1: DEACT"],
            ..ModemOptions::default()
        },
        ModemOptions {
            chunking: Chunking::Random(7),
            ..ModemOptions::default()
        },
    ]
}

/// The host side: the client and a subscription to the session URCs.
pub struct Host {
    pub client: Client<Urc>,
    pub urcs: broadcast::Receiver<Unsolicited<Urc>>,
}

/// A module with bearer 1 open and the FTP parameters of `server` set.
pub async fn connected(server: &FtpServer, options: ModemOptions) -> Host {
    connected_to(Sim800Ftp::new(), server, options).await
}

pub async fn connected_to(module: Sim800Ftp, server: &FtpServer, options: ModemOptions) -> Host {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    let urcs = client.subscribe();
    let contype = SapbrSetContypeWrite::new(1, BearerContype::from_text("GPRS")).unwrap();
    client.send(&contype).await.unwrap();
    client
        .send(&SapbrSetApnWrite::new(1, "internet").unwrap())
        .await
        .unwrap();
    client.send(&SapbrOpenWrite::new(1).unwrap()).await.unwrap();
    client.send(&FtpcidWrite::new(1).unwrap()).await.unwrap();
    let ip = server.addr().ip().to_string();
    client.send(&FtpservWrite::new(&ip).unwrap()).await.unwrap();
    client
        .send(&FtpportWrite::new(server.port()).unwrap())
        .await
        .unwrap();
    client
        .send(&FtpunWrite::new(server.user()).unwrap())
        .await
        .unwrap();
    client
        .send(&FtppwWrite::new(server.password()).unwrap())
        .await
        .unwrap();
    Host { client, urcs }
}

/// The code of a failed deferred command.
pub fn failed_code(err: AtError) -> u8 {
    match err {
        AtError::Failed { code, .. } => code.code.parse().unwrap(),
        other => panic!("expected a failure URC, got {other}"),
    }
}

impl Host {
    pub async fn send<C: atspec::AtCommand>(&self, command: C) -> C::Response {
        self.client.send(&command).await.unwrap()
    }

    /// The next session URC `pick` accepts; other URCs and lines are skipped.
    pub async fn next<T>(&mut self, pick: impl Fn(&Urc) -> Option<T>) -> T {
        let wait = async {
            loop {
                match self.urcs.recv().await {
                    Ok(Unsolicited::Urc(urc)) => {
                        if let Some(found) = pick(&urc) {
                            return found;
                        }
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => panic!("the modem is gone"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(20), wait)
            .await
            .expect("the session URC within 20 s")
    }

    pub async fn get_status(&mut self) -> u8 {
        self.next(|u| match u {
            Urc::GetStatus(GetStatusUrc { status }) => Some(status.code()),
            _ => None,
        })
        .await
    }

    pub async fn put_status(&mut self) -> PutStatusUrc {
        self.next(|u| match u {
            Urc::PutStatus(s) => Some(s.clone()),
            _ => None,
        })
        .await
    }

    /// Sets the upload file (AT+FTPPUTPATH, AT+FTPPUTNAME).
    pub async fn put_file(&self, dir: &str, name: &str) {
        self.send(FtpputpathWrite::new(dir).unwrap()).await;
        self.send(FtpputnameWrite::new(name).unwrap()).await;
    }

    /// Sets the download file (AT+FTPGETPATH, AT+FTPGETNAME).
    pub async fn get_file(&self, dir: &str, name: &str) {
        self.send(FtpgetpathWrite::new(dir).unwrap()).await;
        self.send(FtpgetnameWrite::new(name).unwrap()).await;
    }

    /// AT+FTPPUT=1, chunks of at most `<maxlength>` each after `+FTPPUT: 1,1,<maxlength>`,
    /// then AT+FTPPUT=2,0; the failure code if the session fails.
    pub async fn put(&mut self, data: &[u8]) -> Result<(), u8> {
        let (_, ready) = self
            .client
            .send_deferred(&FtpputOpenWrite::new())
            .await
            .map_err(failed_code)?;
        assert_eq!(ready.result.code(), 1);
        let max = ready.maxlength.expect("maxlength with result 1") as usize;
        let mut rest = data;
        while !rest.is_empty() {
            let before = rest.len();
            let write = FtpputWriteWrite::new(rest.len().min(max) as u32).unwrap();
            let accepted = match self.client.send_upload(&write, &mut rest).await {
                Ok(accepted) => accepted,
                // Writing after the session ended: its URC says how it ended.
                Err(AtError::Command {
                    result: "ERROR", ..
                }) => {
                    return Err(self.put_status().await.result.code());
                }
                Err(other) => panic!("{other}"),
            };
            assert_eq!(before - rest.len(), accepted.cnflength as usize);
            // The module offers the next chunk when this one is on its way.
            let next = self.put_status().await;
            if next.result.code() != 1 {
                return Err(next.result.code());
            }
        }
        let (_, done) = self
            .client
            .send_deferred(&FtpputCloseWrite::new())
            .await
            .map_err(failed_code)?;
        assert_eq!(done.result.code(), 0);
        Ok(())
    }

    /// AT+FTPGET=1, then AT+FTPGET=2,1460 until `+FTPGET: 1,0`: the bytes read and the
    /// session's result (the failure code if it failed).
    pub async fn get(&mut self) -> (Vec<u8>, Result<(), u8>) {
        let mut file = Vec::new();
        let mut status = match self.client.send_deferred(&FtpgetOpenWrite::new()).await {
            Ok((_, first)) => first.status.code(),
            Err(err) => return (file, Err(failed_code(err))),
        };
        while status == 1 {
            let read = FtpgetReadWrite::new(1460).unwrap();
            match self.client.send_download(&read, &mut file).await {
                Ok((chunk, n)) => {
                    assert_eq!(u64::from(chunk.cnflength), n);
                    if n > 0 {
                        continue;
                    }
                }
                // Reading after the session ended: its URC says how it ended.
                Err(AtError::Command {
                    result: "ERROR", ..
                }) => {}
                Err(other) => panic!("{other}"),
            }
            status = self.get_status().await;
        }
        (file, if status == 0 { Ok(()) } else { Err(status) })
    }

    /// AT+FTPLIST=1 and its reads: the listing text.
    pub async fn list(&mut self) -> String {
        let (_, first) = self
            .client
            .send_deferred(&FtplistOpenWrite::new())
            .await
            .unwrap();
        let mut text = Vec::new();
        let mut status = first.result.code();
        while status == 1 {
            let read = FtplistReadWrite::new(1024).unwrap();
            match self.client.send_download(&read, &mut text).await {
                Ok((_, n)) if n > 0 => continue,
                Ok(_)
                | Err(AtError::Command {
                    result: "ERROR", ..
                }) => {}
                Err(other) => panic!("{other}"),
            }
            status = self
                .next(|u| match u {
                    Urc::ListStatus(s) => Some(s.result.code()),
                    _ => None,
                })
                .await;
        }
        assert_eq!(status, 0, "the listing ends with +FTPLIST: 1,0");
        String::from_utf8(text).unwrap()
    }

    /// AT+FTPSIZE: the size, or the failure code.
    pub async fn size(&self) -> Result<u32, u8> {
        let (_, done) = self
            .client
            .send_deferred(&FtpsizeExec::new())
            .await
            .map_err(failed_code)?;
        Ok(done.size)
    }

    pub async fn state(&self) -> u8 {
        self.send(FtpstateExec::new()).await.state.code()
    }
}
