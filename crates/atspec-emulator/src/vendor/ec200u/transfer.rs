//! The data-mode transfers through the serial port (local name `"COM:"`): AT+QFTPGET,
//! AT+QFTPLIST, AT+QFTPNLST and AT+QFTPPUT (sections 2.5, 2.6, 2.11, 2.12).

use atspec::AtCommand as _;
use atspec_ec200u::Command;
use atspec_ec200u::ftp::{FtpError, GetResult, ListResult, NlstResult};

use super::Ec200u;
use super::port::{PortSink, finish_download};
use super::reply::{Fail, cme, encode, saturate, timed};
use super::upload::Put;
use crate::modem::Session;

impl Ec200u {
    /// The data-mode transfers through the serial port.
    pub(super) async fn transfer(&mut self, command: Command, session: &mut Session<'_>) {
        let out = session.out.clone();
        let limit = self.rsptimeout();
        let guard = self.guard;
        let Some(ftp) = self.ftp.as_mut() else {
            cme(self.cmee, &out, FtpError::NotLoggedIn.code());
            return;
        };
        match command {
            Command::QftpgetToPort(c) => {
                let prompt = c.download().map_or("CONNECT", |d| d.prompt);
                let mut sink = PortSink::new(out.clone(), prompt, c.downloadlen());
                let offset = u64::from(c.startpos().unwrap_or(0));
                let result = ftp.get_to(c.file_name(), offset, &mut sink).await;
                self.last_len = saturate(sink.sent);
                let (err, transferlen) = match result {
                    Ok(_) => {
                        // An empty file still enters data mode.
                        sink.connect();
                        (FtpError::Success, self.last_len)
                    }
                    Err(e) => {
                        let fail = Fail::from_client(&e, true);
                        (fail.err, u32::from(fail.reply))
                    }
                };
                let line = encode(|o| GetResult { err, transferlen }.encode(o));
                finish_download(&out, sink.connected, line);
            }
            Command::QftplistToPort(_)
            | Command::QftplistToPortNamed(_)
            | Command::QftpnlstToPort(_)
            | Command::QftpnlstToPortNamed(_) => {
                let (dir, names_only, prompt) = match &command {
                    Command::QftplistToPort(c) => (c.dirname(), false, c.download()),
                    Command::QftplistToPortNamed(c) => (c.dirname(), false, c.download()),
                    Command::QftpnlstToPort(c) => (c.dirname(), true, c.download()),
                    Command::QftpnlstToPortNamed(c) => (c.dirname(), true, c.download()),
                    _ => return,
                };
                let prompt = prompt.map_or("CONNECT", |d| d.prompt);
                // "." is the current directory: the server lists it when none is named.
                let dir = Some(dir).filter(|d| *d != ".");
                let listing = if names_only {
                    timed(limit, ftp.nlst(dir)).await
                } else {
                    timed(limit, ftp.list(dir)).await
                };
                let (err, size, connected) = match listing {
                    Ok(lines) => {
                        let data: Vec<u8> = lines
                            .iter()
                            .flat_map(|l| [l.as_bytes(), b"\r\n"])
                            .flatten()
                            .copied()
                            .collect();
                        out.line(prompt);
                        out.raw(&data);
                        self.last_len = saturate(data.len() as u64);
                        (FtpError::Success, self.last_len, true)
                    }
                    Err(fail) => (fail.err, u32::from(fail.reply), false),
                };
                let line = if names_only {
                    encode(|o| {
                        NlstResult {
                            err,
                            transfer_size: size,
                        }
                        .encode(o)
                    })
                } else {
                    encode(|o| {
                        ListResult {
                            err,
                            transfer_size: size,
                        }
                        .encode(o)
                    })
                };
                finish_download(&out, connected, line);
            }
            Command::QftpputFromPort(c) => {
                let rule = c.upload();
                let startpos = c.startpos().unwrap_or(0);
                let put = Put {
                    name: c.file_name(),
                    startpos,
                    rule,
                    guard,
                    cmee: self.cmee,
                };
                if let Some(len) = put.run(ftp, limit, session).await {
                    self.last_len = len;
                }
            }
            Command::QftpputFromPortSized(c) => {
                let rule = c.upload();
                let put = Put {
                    name: c.file_name(),
                    startpos: c.startpos(),
                    rule,
                    guard,
                    cmee: self.cmee,
                };
                if let Some(len) = put.run(ftp, limit, session).await {
                    self.last_len = len;
                }
            }
            _ => out.error(),
        }
    }
}
