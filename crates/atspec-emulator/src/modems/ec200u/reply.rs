//! How outcomes are answered: `+CME ERROR:` refusals, and the `<err>,<protocol_error>`
//! pairs of the result lines (chapters 5 and 6).

use std::future::Future;
use std::time::Duration;

use atspec_common::v250::CmeeMode;
use atspec_ec200u::DIALECT;
use atspec_ec200u::errors::CmeError;
use atspec_ec200u::ftp::{FtpError, FtpProtocolError};

use crate::client::ftp::{FtpClientError, FtpErrorKind};
use crate::modem::Output;
use crate::modems::cellular::cme_error;

pub(super) fn encode(line: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out);
    out
}

/// Answers `+CME ERROR: <code>` as AT+CMEE asks: plain `ERROR`, the number, or the text
/// of the EC200U's table.
pub(super) fn cme(mode: CmeeMode, out: &Output, code: u16) {
    cme_error(mode, &DIALECT, &CmeError::from_code(code), out);
}

/// A failed operation as the result lines report it: `<err>` and the server's reply.
pub(super) struct Fail {
    pub(super) err: FtpError,
    pub(super) reply: u16,
}

impl Fail {
    pub(super) fn none() -> Self {
        Self::new(FtpError::Success)
    }

    pub(super) fn new(err: FtpError) -> Self {
        Self { err, reply: 0 }
    }

    /// `data`: the failure happened on a transfer, where a broken connection is the
    /// data connection's.
    pub(super) fn from_client(e: &FtpClientError, data: bool) -> Self {
        match e.kind() {
            FtpErrorKind::Reply => {
                let reply = e.reply_code().unwrap_or(0);
                Self {
                    err: err_of_reply(reply),
                    reply,
                }
            }
            FtpErrorKind::Dns => Self::new(FtpError::DnsParseFailed),
            FtpErrorKind::Connect => Self::new(FtpError::NetworkError),
            FtpErrorKind::Timeout => Self::new(FtpError::Timeout),
            FtpErrorKind::Tls => Self::new(FtpError::SslAuthenticationFailed),
            FtpErrorKind::Io if data => Self::new(FtpError::DataConnectionClosed),
            FtpErrorKind::Io => Self::new(FtpError::ControlConnectionClosed),
            _ => Self::new(FtpError::UnknownError),
        }
    }

    pub(super) fn protocol_error(&self) -> FtpProtocolError {
        FtpProtocolError::from_code(self.reply)
    }
}

/// The `<err>` for a server reply: chapters 5 and 6 list the same conditions in the same
/// order (614 = 421, 615 = 425, ... 629 = 552).
pub(super) fn err_of_reply(reply: u16) -> FtpError {
    const REPLIES: [u16; 16] = [
        421, 425, 426, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532, 550, 551, 552,
    ];
    match REPLIES.iter().position(|r| *r == reply) {
        Some(at) => FtpError::from_code(614 + at as u16),
        // 553 and other permanent refusals: the action was not taken.
        None if reply >= 500 => FtpError::ActionNotTaken,
        None => FtpError::UnknownError,
    }
}

/// Runs a control-connection operation within the AT+QFTPCFG="rsptimeout" bound.
pub(super) async fn timed<T>(
    limit: Duration,
    operation: impl Future<Output = Result<T, FtpClientError>>,
) -> Result<T, Fail> {
    match tokio::time::timeout(limit, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(Fail::from_client(&e, false)),
        Err(_) => Err(Fail::new(FtpError::Timeout)),
    }
}

pub(super) fn saturate(len: u64) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}
