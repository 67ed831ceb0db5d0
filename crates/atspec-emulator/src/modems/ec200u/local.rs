//! Transfers between the server and the module's own files (local name `"UFS:<name>"` or
//! `"SD:<name>"`): AT+QFTPGET and the listings save to a file, AT+QFTPPUT sends one
//! (sections 2.5, 2.6, 2.11-2.13, 3.5-3.7). No data mode: `OK` first, then the result line
//! once the transfer is over.
//!
//! Choices where the note is silent: a local name that is not a file name, a missing local
//! file and a start position past its end are refused before any server exchange with
//! `+CME ERROR: 610`, `611` and `612`; a file that does not fit the storage ends the
//! transfer with `<err>` 613 (file error); a failed download saves nothing. A saved file replaces one of
//! the same name. AT+QFTPPUT's `<startpos>` is the position in the local file; the part
//! from there continues the remote file (`APPE`), which must then be exactly that long,
//! as for a part sent through the serial port.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use atspec_ec200u::Command;
use atspec_ec200u::ftp::{FtpError, GetResultUrc, PutResultUrc};
use tokio::io::AsyncWrite;

use super::Ec200u;
use super::files::LocalName;
use super::listing::ListRequest;
use super::reply::{Fail, cme, encode, saturate, timed};
use crate::modem::Output;

/// Longest local name of the FTP(S) commands (`<local_name>`: 63 bytes).
const MAX_LOCAL_NAME: usize = 63;

impl Ec200u {
    /// Handles a transfer to or from a local file; `false` when `command` is not one.
    pub(super) async fn local_transfer(&mut self, command: &Command, out: &Output) -> bool {
        let local = match command {
            Command::QftpgetToFileWrite(c) => c.local_name(),
            Command::QftpputFromFileWrite(c) => c.local_name(),
            Command::QftplistToFileWrite(c) => c.local_name(),
            Command::QftpnlstToFileWrite(c) => c.local_name(),
            Command::QftpmlsdToFileWrite(c) => c.local_name(),
            _ => return false,
        };
        if self.ftp.is_none() {
            cme(self.cmee, out, FtpError::NotLoggedIn.code());
            return true;
        }
        let Ok(local) = LocalName::parse(local, MAX_LOCAL_NAME) else {
            cme(self.cmee, out, FtpError::InvalidParameter.code());
            return true;
        };
        match command {
            Command::QftpgetToFileWrite(c) => {
                let offset = u64::from(c.startpos().unwrap_or(0));
                self.get_to_file(c.file_name(), offset, local, out).await;
            }
            Command::QftpputFromFileWrite(c) => {
                self.put_from_file(c.file_name(), c.startpos().unwrap_or(0), local, out)
                    .await;
            }
            other => {
                if let Some(request) = ListRequest::of(other) {
                    self.list_to_file(&request, local, out).await;
                }
            }
        }
        true
    }

    async fn get_to_file(&mut self, remote: &str, offset: u64, local: LocalName, out: &Output) {
        let Some(ftp) = self.ftp.as_mut() else {
            return;
        };
        out.ok();
        let mut sink = Capped::new(self.files.room_for(&local));
        let result = ftp.get_to(remote, offset, &mut sink).await;
        self.last_len = saturate(sink.data.len() as u64);
        let outcome = match result {
            _ if sink.overflowed => Err(Fail::new(FtpError::FileError)),
            Ok(_) => self
                .files
                .store(&local, sink.data)
                .map_err(|_| Fail::new(FtpError::FileError)),
            Err(e) => Err(Fail::from_client(&e, true)),
        };
        let (err, transferlen) = match outcome {
            Ok(()) => (FtpError::Success, self.last_len),
            Err(fail) => (fail.err, u32::from(fail.reply)),
        };
        out.line(encode(|o| GetResultUrc { err, transferlen }.encode(o)));
    }

    async fn put_from_file(&mut self, remote: &str, startpos: u32, local: LocalName, out: &Output) {
        let limit = self.rsptimeout();
        let Some(data) = self.files.get(&local).map(<[u8]>::to_vec) else {
            cme(self.cmee, out, FtpError::FileOpenFailed.code());
            return;
        };
        let Some(ftp) = self.ftp.as_mut() else {
            return;
        };
        let start = startpos as usize;
        let continues = start > 0;
        let fits = start <= data.len()
            && (!continues
                || timed(limit, ftp.size(remote)).await.ok() == Some(u64::from(startpos)));
        if !fits {
            cme(self.cmee, out, FtpError::FilePositionInvalid.code());
            return;
        }
        out.ok();
        let mut source = &data[start..];
        let result = if continues {
            ftp.append_from(remote, &mut source).await
        } else {
            ftp.put_from(remote, &mut source).await
        };
        let (err, transferlen) = match result {
            Ok(sent) => {
                self.last_len = saturate(sent);
                (FtpError::Success, self.last_len)
            }
            Err(e) => {
                let fail = Fail::from_client(&e, true);
                (fail.err, u32::from(fail.reply))
            }
        };
        out.line(encode(|o| PutResultUrc { err, transferlen }.encode(o)));
    }

    async fn list_to_file(&mut self, request: &ListRequest<'_>, local: LocalName, out: &Output) {
        let limit = self.rsptimeout();
        let Some(ftp) = self.ftp.as_mut() else {
            return;
        };
        out.ok();
        let outcome = match request.fetch(ftp, limit).await {
            Ok(data) => {
                let size = data.len();
                self.files
                    .store(&local, data)
                    .map(|()| size)
                    .map_err(|_| Fail::new(FtpError::FileError))
            }
            Err(fail) => Err(fail),
        };
        if let Ok(size) = &outcome {
            self.last_len = saturate(*size as u64);
        }
        out.line(request.result_line(&outcome));
    }
}

/// A download's destination in memory that takes at most `room` bytes, the free space
/// of the storage the file goes to; past it the transfer fails.
struct Capped {
    data: Vec<u8>,
    room: usize,
    overflowed: bool,
}

impl Capped {
    fn new(room: usize) -> Self {
        Self {
            data: Vec::new(),
            room,
            overflowed: false,
        }
    }
}

impl AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.data.len() + buf.len() > self.room {
            self.overflowed = true;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "the module's storage is full",
            )));
        }
        self.data.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
