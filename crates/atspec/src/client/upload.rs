//! Writing upload data after a prompt, ended the way the spec says.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::error::AtError;
use crate::command::{UploadAck, UploadEnd};

const CHUNK: usize = 16 * 1024;

/// Copies `source` to the modem and ends the data; returns the bytes of data sent
/// (escape bytes not counted).
pub(crate) async fn write_upload(
    writer: &mut (dyn AsyncWrite + Unpin + Send),
    source: &mut (dyn AsyncRead + Unpin + Send),
    end: UploadEnd,
    guard_override: Option<Duration>,
    command: &'static str,
) -> Result<u64, AtError> {
    let mut buf = vec![0u8; CHUNK];
    let sent = match end {
        UploadEnd::Length(expected) => {
            let expected = expected as u64;
            let mut sent = 0u64;
            while sent < expected {
                let want = usize::try_from(expected - sent).unwrap_or(CHUNK).min(CHUNK);
                let n = source.read(&mut buf[..want]).await?;
                if n == 0 {
                    return Err(AtError::ShortUpload {
                        command,
                        expected,
                        sent,
                    });
                }
                writer.write_all(&buf[..n]).await?;
                sent += n as u64;
            }
            sent
        }
        UploadEnd::Announced => {
            // Reached only if a spec pairs `announced` with a plain prompt, which the
            // generator refuses; send nothing rather than guess a length.
            return Err(AtError::WrongCall {
                command,
                what: "the upload length was never announced",
            });
        }
        UploadEnd::Escaped { terminator, escape } => {
            let mut sent = 0u64;
            let mut escaped = Vec::with_capacity(CHUNK * 2);
            loop {
                let n = source.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                escaped.clear();
                escape_into(&buf[..n], terminator, escape, &mut escaped);
                writer.write_all(&escaped).await?;
                sent += n as u64;
            }
            writer.write_all(&[terminator]).await?;
            sent
        }
        UploadEnd::GuardedEscape { sequence, guard } => {
            let guard = guard_override.unwrap_or(guard);
            let sent = tokio::io::copy(source, writer).await?;
            writer.flush().await?;
            // The escape sequence counts only when framed by silence.
            tokio::time::sleep(guard).await;
            writer.write_all(sequence.as_bytes()).await?;
            writer.flush().await?;
            tokio::time::sleep(guard).await;
            sent
        }
    };
    writer.flush().await?;
    Ok(sent)
}

/// An upload of a declared length that the modem paces by acknowledgement: a block of
/// `ack.every` bytes, then nothing until `ack.text` has come.
pub(crate) struct AckedUpload {
    ack: UploadAck,
    total: u64,
    sent: u64,
    /// The last block sent was full, so its acknowledgement is still to come.
    owed: bool,
}

impl AckedUpload {
    pub(crate) fn new(ack: UploadAck, total: usize) -> Self {
        Self {
            ack,
            total: total as u64,
            sent: 0,
            owed: false,
        }
    }

    /// The acknowledgement text.
    pub(crate) fn text(&self) -> &'static str {
        self.ack.text
    }

    /// Every byte is sent (an acknowledgement for the last full block may still come).
    pub(crate) fn all_sent(&self) -> bool {
        self.sent == self.total
    }

    /// Bytes sent so far.
    pub(crate) fn sent(&self) -> u64 {
        self.sent
    }

    /// Called at the prompt and at each acknowledgement: sends the next block. `true`
    /// once the upload is over: every byte sent and nothing more owed.
    pub(crate) async fn step(
        &mut self,
        writer: &mut (dyn AsyncWrite + Unpin + Send),
        source: &mut (dyn AsyncRead + Unpin + Send),
        command: &'static str,
    ) -> Result<bool, AtError> {
        self.owed = false;
        if self.all_sent() {
            return Ok(true);
        }
        let block = (self.total - self.sent).min(self.ack.every as u64);
        let mut buf = vec![0u8; block as usize];
        let mut filled = 0;
        while filled < buf.len() {
            let n = source.read(&mut buf[filled..]).await?;
            if n == 0 {
                return Err(AtError::ShortUpload {
                    command,
                    expected: self.total,
                    sent: self.sent + filled as u64,
                });
            }
            filled += n;
        }
        writer.write_all(&buf).await?;
        writer.flush().await?;
        self.sent += block;
        self.owed = block == self.ack.every as u64;
        Ok(self.all_sent() && !self.owed)
    }
}

/// Prefixes every terminator or escape byte in `data` with the escape byte.
pub(crate) fn escape_into(data: &[u8], terminator: u8, escape: u8, out: &mut Vec<u8>) {
    for &byte in data {
        if byte == terminator || byte == escape {
            out.push(escape);
        }
        out.push(byte);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminator_and_escape_bytes() {
        let mut out = Vec::new();
        escape_into(&[1, 0x1a, 2, 0x03, 4], 0x1a, 0x03, &mut out);
        assert_eq!(out, [1, 0x03, 0x1a, 2, 0x03, 0x03, 4]);
    }
}
