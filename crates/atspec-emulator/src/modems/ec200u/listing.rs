//! Directory listings (sections 2.11-2.13): AT+QFTPLIST (the server's `LIST`),
//! AT+QFTPNLST (`NLST`) and AT+QFTPMLSD (`MLSD`, RFC 3659 facts, which the loopback
//! server produces itself), to the serial port or to a local file.

use atspec::AtCommand as _;
use atspec_ec200u::Command;
use atspec_ec200u::ftp::{FtpError, ListResultUrc, MlsdResultUrc, NlstResultUrc};

use super::reply::{Fail, encode, saturate, timed};
use crate::client::ftp::FtpClient;

/// Which listing a command asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListKind {
    List,
    Nlst,
    Mlsd,
}

/// A listing command's parts: the kind, the directory, and the data-mode prompt (for the
/// serial port; a listing to a local file has none).
pub(super) struct ListRequest<'a> {
    pub(super) kind: ListKind,
    pub(super) dir: &'a str,
    pub(super) prompt: &'static str,
}

impl<'a> ListRequest<'a> {
    /// The request `command` makes, if it is a listing.
    pub(super) fn of(command: &'a Command) -> Option<Self> {
        let port = |kind, dir, prompt: Option<atspec::DownloadRule>| Self {
            kind,
            dir,
            prompt: prompt.map_or("CONNECT", |d| d.prompt),
        };
        let file = |kind, dir| Self {
            kind,
            dir,
            prompt: "",
        };
        Some(match command {
            Command::QftplistToPortWrite(c) => port(ListKind::List, c.dirname(), c.download()),
            Command::QftplistToPortNamedWrite(c) => port(ListKind::List, c.dirname(), c.download()),
            Command::QftpnlstToPortWrite(c) => port(ListKind::Nlst, c.dirname(), c.download()),
            Command::QftpnlstToPortNamedWrite(c) => port(ListKind::Nlst, c.dirname(), c.download()),
            Command::QftpmlsdToPortWrite(c) => port(ListKind::Mlsd, c.dirname(), c.download()),
            Command::QftpmlsdToPortNamedWrite(c) => port(ListKind::Mlsd, c.dirname(), c.download()),
            Command::QftplistToFileWrite(c) => file(ListKind::List, c.dirname()),
            Command::QftpnlstToFileWrite(c) => file(ListKind::Nlst, c.dirname()),
            Command::QftpmlsdToFileWrite(c) => file(ListKind::Mlsd, c.dirname()),
            _ => return None,
        })
    }

    /// Asks the server; the listing's bytes, each line ended by CR LF as on the wire.
    pub(super) async fn fetch(
        &self,
        ftp: &mut FtpClient,
        limit: std::time::Duration,
    ) -> Result<Vec<u8>, Fail> {
        // "." is the current directory (AT+QFTPCWD): the server lists it when none is named.
        let dir = Some(self.dir).filter(|d| *d != ".");
        let lines = match self.kind {
            ListKind::List => timed(limit, ftp.list(dir)).await,
            ListKind::Nlst => timed(limit, ftp.nlst(dir)).await,
            ListKind::Mlsd => timed(limit, ftp.mlsd(dir)).await,
        }?;
        Ok(lines
            .iter()
            .flat_map(|l| [l.as_bytes(), b"\r\n"])
            .flatten()
            .copied()
            .collect())
    }

    /// The `+QFTPLIST:` / `+QFTPNLST:` / `+QFTPMLSD:` result line.
    pub(super) fn result_line(&self, outcome: &Result<usize, Fail>) -> Vec<u8> {
        let (err, transfer_size) = match outcome {
            Ok(size) => (FtpError::Success, saturate(*size as u64)),
            Err(fail) => (fail.err, u32::from(fail.reply)),
        };
        match self.kind {
            ListKind::List => encode(|o| ListResultUrc { err, transfer_size }.encode(o)),
            ListKind::Nlst => encode(|o| NlstResultUrc { err, transfer_size }.encode(o)),
            ListKind::Mlsd => encode(|o| MlsdResultUrc { err, transfer_size }.encode(o)),
        }
    }
}
