//! The file-system commands the FTP(S) note uses around transfers (sections 2.5, 2.6,
//! 3.6, 3.7): AT+QFUPL, AT+QFLST, AT+QFDEL, and AT+QFOPEN / AT+QFREAD / AT+QFCLOSE to read
//! back what a transfer saved. Shapes as in `specs/quectel-ec200u/support.yaml`.

use std::time::Duration;

use atspec::AtCommand as _;
use atspec_ec200u::Command;
use atspec_ec200u::support::{
    FileEntry, FileHandle, FileOpenMode, OpenFile, QfopenSupported, QfuplSupported, ReadData,
    UfsFileEntry, UploadAckMode, UploadResult,
};

use super::Ec200u;
use super::files::{FileError, LocalName, MAX_NAME};
use super::reply::{cme, encode};
use crate::modem::Session;

/// Bytes between two `A` acknowledgements of AT+QFUPL's ackmode 1.
const ACK_BLOCK: usize = 1024;

impl Ec200u {
    /// Handles a file-system command; `false` when `command` is not one.
    pub(super) async fn file_command(
        &mut self,
        command: &Command,
        session: &mut Session<'_>,
    ) -> bool {
        let out = session.out.clone();
        let result = match command {
            Command::QfuplWrite(c) => return self.upload_file(c, session).await,
            Command::QfuplTest(_) => {
                // The note's shape with the free room filled in.
                let free = self
                    .files
                    .room_for(&LocalName::parse("UFS:x", MAX_NAME).expect("a valid name"));
                let line = QfuplSupported {
                    supported: format!("<filename>[,(1-{free})[,(1-65535)[,(0,1)]]]"),
                };
                out.line(encode(|o| line.encode(o)));
                Ok(())
            }
            Command::QflstWrite(c) => {
                for (filename, size) in self.files.list(c.name_pattern()) {
                    let line = FileEntry {
                        filename,
                        file_size: size as u32,
                    };
                    out.line(encode(|o| line.encode(o)));
                }
                Ok(())
            }
            Command::QflstExec(_) => {
                for (filename, size) in self.files.list("UFS:*") {
                    let line = UfsFileEntry {
                        filename,
                        file_size: size as u32,
                    };
                    out.line(encode(|o| line.encode(o)));
                }
                Ok(())
            }
            Command::QflstTest(_) => Ok(()),
            Command::QfdelWrite(c) => self.files.delete(c.filename()).map(drop),
            Command::QfopenWrite(c) => {
                let mode = c.mode().unwrap_or(FileOpenMode::CreateOrOpen);
                let opened = match mode {
                    FileOpenMode::Unlisted(_) => Err(FileError::InvalidInput),
                    _ => LocalName::parse(c.filename(), MAX_NAME)
                        .and_then(|name| self.files.open(name, mode)),
                };
                opened.map(|filehandle| {
                    let line = FileHandle { filehandle };
                    out.line(encode(|o| line.encode(o)));
                })
            }
            Command::QfopenRead(_) => {
                for (filehandle, file) in self.files.open_files() {
                    let line = OpenFile {
                        filename: file.name.to_string(),
                        filehandle,
                        mode: file.mode,
                    };
                    out.line(encode(|o| line.encode(o)));
                }
                Ok(())
            }
            Command::QfopenTest(_) => {
                let line = QfopenSupported {
                    supported: "<filename>[,(0-2)]".to_owned(),
                };
                out.line(encode(|o| line.encode(o)));
                Ok(())
            }
            Command::QfreadWrite(c) => self.files.read(c.filehandle(), c.length()).map(|data| {
                // `CONNECT <read_length>`, the bytes on the next line, then OK.
                let line = ReadData {
                    read_length: data.len() as u32,
                };
                out.line(encode(|o| line.encode(o)));
                out.raw(data);
            }),
            Command::QfcloseWrite(c) => self.files.close(c.filehandle()),
            _ => return false,
        };
        match result {
            Ok(()) => out.ok(),
            Err(e) => cme(self.cmee, &out, e.code()),
        }
        true
    }

    /// AT+QFUPL: `CONNECT`, exactly `<file_size>` bytes (an `A` after each 1 KiB with
    /// ackmode 1), then `+QFUPL: <upload_size>,<checksum>` and `OK`. When the host stays
    /// silent for `<timeout>` s the upload ends with the 1 KiB blocks complete by then
    /// (the bytes of a partial block are dropped: a simplification of the emulator).
    async fn upload_file(
        &mut self,
        c: &atspec_ec200u::support::QfuplWrite,
        session: &mut Session<'_>,
    ) -> bool {
        let out = session.out.clone();
        let name = match LocalName::parse(c.filename(), MAX_NAME) {
            Ok(name) => name,
            Err(e) => {
                cme(self.cmee, &out, e.code());
                return true;
            }
        };
        let size = c.file_size() as usize;
        let refusal = if self.files.contains(&name) {
            Some(FileError::AlreadyExists)
        } else if size > self.files.room_for(&name) {
            Some(FileError::DriveFull)
        } else {
            None
        };
        if let Some(e) = refusal {
            cme(self.cmee, &out, e.code());
            return true;
        }
        let Some(rule) = c.upload() else {
            out.error();
            return true;
        };
        let idle = Duration::from_secs(u64::from(c.timeout().unwrap_or(5)));
        let ack = c.ackmode() == Some(UploadAckMode::On);
        session.input.before_prompt().await;
        out.line(rule.prompt);
        let mut data = Vec::with_capacity(size.min(ACK_BLOCK * 64));
        while data.len() < size {
            let want = (size - data.len()).min(ACK_BLOCK);
            match tokio::time::timeout(idle, session.input.read_exact(want)).await {
                Ok(Some(block)) => data.extend_from_slice(&block),
                // The host went away: nothing is stored.
                Ok(None) => return true,
                Err(_) => break,
            }
            if ack && want == ACK_BLOCK && data.len() < size {
                out.raw("A");
            }
        }
        let line = UploadResult {
            upload_size: data.len() as u32,
            checksum: format!("{:x}", checksum(&data)),
        };
        match self.files.store(&name, data) {
            Ok(()) => {
                out.line(encode(|o| line.encode(o)));
                out.ok();
            }
            Err(e) => cme(self.cmee, &out, e.code()),
        }
        true
    }
}

/// AT+QFUPL's checksum: the XOR of the data read as 16-bit big-endian words, an odd last
/// byte being the high byte of a word whose low byte is 0 (BG96 FILE manual).
pub(super) fn checksum(data: &[u8]) -> u16 {
    data.chunks(2).fold(0, |sum, pair| {
        let word = u16::from(pair[0]) << 8 | u16::from(pair.get(1).copied().unwrap_or(0));
        sum ^ word
    })
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn xor_of_words() {
        assert_eq!(checksum(b""), 0);
        assert_eq!(checksum(&[0x12, 0x34]), 0x1234);
        assert_eq!(checksum(&[0x12, 0x34, 0x12, 0x34]), 0);
        assert_eq!(checksum(&[0x12, 0x34, 0x56]), 0x1234 ^ 0x5600);
    }
}
