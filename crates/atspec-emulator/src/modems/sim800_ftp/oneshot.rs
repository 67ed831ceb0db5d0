//! AT+FTPSIZE, AT+FTPDELE, AT+FTPMKD and AT+FTPRMD: one operation on the server, then
//! the result URC; and sessions that fail before reaching the server.

use std::sync::Arc;

use atspec_sim800::ftp::{FtpResult, SizeResultUrc};

use super::session::{self, Kind, Running, State, Target, lock};
use crate::modem::Output;

/// A session that failed before reaching the server.
pub(super) fn fail(kind: Kind, result: FtpResult, out: &Output) -> Running {
    let state: State = Arc::default();
    lock(&state).end(out, kind, result);
    Running {
        kind,
        state,
        task: tokio::spawn(async {}),
    }
}

/// AT+FTPSIZE, AT+FTPDELE, AT+FTPMKD, AT+FTPRMD: one operation, then the result URC.
pub(super) fn one_shot(kind: Kind, target: Target, path: String, out: Output) -> Running {
    let state: State = Arc::default();
    let shared = state.clone();
    let task = tokio::spawn(async move {
        let result = async {
            let mut ftp = session::open(&target).await?;
            let done = match kind {
                Kind::Size => ftp.size(&path).await.map(Some),
                Kind::Dele => ftp.delete(&path).await.map(|()| None),
                Kind::Mkd => ftp.mkdir(&path).await.map(|()| None),
                _ => ftp.rmdir(&path).await.map(|()| None),
            };
            let _ = ftp.quit().await;
            done.map_err(|e| session::operation_error(&e))
        }
        .await;
        let mut shared = lock(&shared);
        match (kind, result) {
            (Kind::Size, Ok(Some(size))) if !shared.over => {
                shared.over = true;
                let mut line = Vec::new();
                SizeResultUrc {
                    result: FtpResult::Finished,
                    size: u32::try_from(size).unwrap_or(u32::MAX),
                }
                .encode(&mut line);
                out.line(line);
            }
            (_, Ok(_)) => shared.end(&out, kind, FtpResult::Finished),
            (_, Err(code)) => shared.end(&out, kind, code),
        }
    });
    Running { kind, state, task }
}
