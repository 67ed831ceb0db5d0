//! The data-mode transfers through the serial port (local name `"COM:"`): AT+QFTPGET,
//! AT+QFTPLIST, AT+QFTPNLST, AT+QFTPMLSD and AT+QFTPPUT (sections 2.5, 2.6, 2.11-2.13).

use atspec::AtCommand as _;
use atspec_ec200u::Command;
use atspec_ec200u::ftp::{FtpError, GetResultUrc};

use super::Ec200u;
use super::listing::ListRequest;
use super::port::{PortSink, finish_download};
use super::reply::{Fail, cme, encode, saturate};
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
            Command::QftpgetToPortWrite(c) => {
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
                let line = encode(|o| GetResultUrc { err, transferlen }.encode(o));
                finish_download(&out, sink.connected, line);
            }
            Command::QftplistToPortWrite(_)
            | Command::QftplistToPortNamedWrite(_)
            | Command::QftpnlstToPortWrite(_)
            | Command::QftpnlstToPortNamedWrite(_)
            | Command::QftpmlsdToPortWrite(_)
            | Command::QftpmlsdToPortNamedWrite(_) => {
                let Some(request) = ListRequest::of(&command) else {
                    return;
                };
                let outcome = request.fetch(ftp, limit).await.map(|data| {
                    out.line(request.prompt);
                    out.raw(&data);
                    data.len()
                });
                if let Ok(size) = &outcome {
                    self.last_len = saturate(*size as u64);
                }
                finish_download(&out, outcome.is_ok(), request.result_line(&outcome));
            }
            Command::QftpputFromPortWrite(c) => {
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
            Command::QftpputFromPortSizedWrite(c) => {
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
