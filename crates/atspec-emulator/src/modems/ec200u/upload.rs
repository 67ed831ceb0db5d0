//! AT+QFTPPUT from the serial port (section 2.5): `CONNECT`, the host's bytes ended by
//! `+++` between guard times or by the announced length, `OK`, then the result line.

use std::time::Duration;

use atspec::UploadEnd;
use atspec_common::v250::CmeeMode;
use atspec_ec200u::ftp::{FtpError, PutResultUrc};

use super::reply::{Fail, cme, encode, saturate, timed};
use crate::client::ftp::FtpClient;
use crate::modem::Session;

/// One AT+QFTPPUT from the serial port.
pub(super) struct Put<'a> {
    pub(super) name: &'a str,
    pub(super) startpos: u32,
    pub(super) rule: Option<atspec::UploadRule>,
    pub(super) guard: Option<Duration>,
    pub(super) cmee: CmeeMode,
}

impl Put<'_> {
    /// Takes the host's bytes after `CONNECT`, stores them and reports the result; the
    /// bytes moved, `None` when the upload was refused or the host went away.
    pub(super) async fn run(
        self,
        ftp: &mut FtpClient,
        limit: Duration,
        session: &mut Session<'_>,
    ) -> Option<u32> {
        let out = session.out.clone();
        let Some(rule) = self.rule else {
            out.error();
            return None;
        };
        // A part continues the remote file: refused before data mode unless it starts
        // exactly where the file ends.
        if self.startpos > 0 {
            let size = timed(limit, ftp.size(self.name)).await.ok();
            if size != Some(u64::from(self.startpos)) {
                cme(self.cmee, &out, FtpError::FilePositionInvalid.code());
                return None;
            }
        }
        session.input.before_prompt().await;
        out.line(rule.prompt);
        let data = match rule.end {
            UploadEnd::Length(len) => session.input.read_exact(len).await,
            UploadEnd::GuardedEscape { sequence, guard } => {
                let guard = self.guard.unwrap_or(guard);
                session
                    .input
                    .read_until_escape(sequence.as_bytes(), guard)
                    .await
            }
            _ => None,
        }?;
        // Data mode is over once the bytes are in; the server exchange follows.
        out.ok();
        let mut source = &data[..];
        let result = if self.startpos == 0 {
            ftp.put_from(self.name, &mut source).await
        } else {
            ftp.append_from(self.name, &mut source).await
        };
        let (err, transferlen) = match result {
            Ok(sent) => (FtpError::Success, saturate(sent)),
            Err(e) => {
                let fail = Fail::from_client(&e, true);
                (fail.err, u32::from(fail.reply))
            }
        };
        out.line(encode(|o| PutResultUrc { err, transferlen }.encode(o)));
        (err == FtpError::Success).then_some(transferlen)
    }
}
