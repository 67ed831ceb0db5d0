//! The extended and file-system commands: AT+FTPEXTPUT (load the upload into RAM),
//! AT+FTPFILEPUT (load a file into RAM), AT+FTPEXTGET (download into RAM, save it or
//! read it out), AT+FTPGETTOFS and AT+FTPPUTFRMFS (download into / upload from the file
//! system), with their read forms.
//!
//! The RAM buffer is the one of AT+FTPEXTPUT: `<pos>` and `<len>` range over 0-300k
//! (read as 300 x 1024 bytes), and the same buffer holds a file loaded by AT+FTPFILEPUT or
//! downloaded by AT+FTPEXTGET. One use at a time, as the manual says ("cannot be combined
//! with AT+FTPEXTPUT=1"); a command that needs another use answers ERROR. Choices where
//! the manual is silent: loading past the buffer's end, AT+FTPFILEPUT of a missing or
//! too large file, and saving or reading out with no finished AT+FTPEXTGET download
//! answer ERROR; a download into RAM that does not fit ends with `+FTPEXTGET: 1,85`
//! (85, the error the manual gives these commands).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atspec_sim800::Command;
use atspec_sim800::ftp::{
    ExtgetChunk, ExtgetProgress, ExtgetSaved, ExtputAccepted, FtpFileLocation, FtpResult,
    FtpRunState, GettofsProgress, PutfrmfsProgress,
};

use super::Sim800Ftp;
use super::fs::in_ftp_folder;
use super::oneshot;
use super::session::{self, Kind, lock};
use super::stored::{self, Destination, Retry, Transfer};
use crate::modem::{Output, Session};

/// The module's RAM buffer for extended transfers: 300 KiB.
pub const RAM_SIZE: usize = 300 * 1024;

/// What the RAM buffer is in use for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum RamUse {
    #[default]
    Off,
    /// AT+FTPEXTPUT=1: the host loads the upload.
    ExtPut,
    /// AT+FTPFILEPUT=1: a file is loaded for upload.
    FilePut,
    /// AT+FTPEXTGET=1: a download lands here.
    ExtGet,
}

/// The RAM buffer and its use.
#[derive(Debug, Default)]
pub(super) struct Ram {
    pub(super) mode: RamUse,
    pub(super) buffer: Arc<Mutex<Vec<u8>>>,
}

impl Ram {
    fn switch(&mut self, mode: RamUse) {
        self.mode = mode;
        buffer(&self.buffer).clear();
    }

    /// Whether AT+FTPPUT=1 uploads the buffer instead of host-written chunks.
    pub(super) fn uploads(&self) -> bool {
        matches!(self.mode, RamUse::ExtPut | RamUse::FilePut)
    }

    pub(super) fn contents(&self) -> Vec<u8> {
        buffer(&self.buffer).clone()
    }
}

impl Sim800Ftp {
    /// Handles the extended and file-system commands; gives back any other command.
    pub(super) async fn extended(
        &mut self,
        command: Command,
        session: &mut Session<'_>,
    ) -> Option<Command> {
        let out = session.out.clone();
        let answered = match command {
            Command::FtpextputTest(_)
            | Command::FtpfileputTest(_)
            | Command::FtpgettofsTest(_)
            | Command::FtpputfrmfsTest(_)
            | Command::FtpextgetTest(_) => true,
            Command::FtpextputNormalWrite(_) | Command::FtpfileputOffWrite(_) => {
                if self.ram.uploads() {
                    self.ram.switch(RamUse::Off);
                }
                true
            }
            Command::FtpextputExtendedWrite(_) => self.use_ram(RamUse::ExtPut),
            Command::FtpextputLoadWrite(c) => {
                self.load(c.pos(), c.length(), session).await;
                return None;
            }
            Command::FtpfileputLoadWrite(c) => self.load_file(c.filename()),
            Command::FtpgettofsBasicWrite(c) => {
                self.get_to_fs(c.loc(), c.filename(), Retry::DEFAULT, &out);
                return None;
            }
            Command::FtpgettofsWithRetryWrite(c) => {
                let retry = retry(c.num(), c.time());
                self.get_to_fs(c.loc(), c.filename(), retry, &out);
                return None;
            }
            Command::FtpputfrmfsBasicWrite(c) => {
                self.put_from_fs(c.filepath(), Retry::DEFAULT, &out);
                return None;
            }
            Command::FtpputfrmfsWithRetryWrite(c) => {
                self.put_from_fs(c.filepath(), retry(c.num(), c.time()), &out);
                return None;
            }
            Command::FtpextgetOpenWrite(_) => {
                self.ext_get(&out);
                return None;
            }
            Command::FtpextgetNormalWrite(_) => {
                if self.ram.mode == RamUse::ExtGet {
                    if self.running_kind(Kind::ExtGet) {
                        self.running = None;
                    }
                    self.ram.switch(RamUse::Off);
                }
                true
            }
            Command::FtpextgetSaveWrite(c) => self.save(c.filename(), &out),
            Command::FtpextgetOutputWrite(c) => {
                self.output(c.read_position(), c.read_length(), &out);
                return None;
            }
            Command::FtpgettofsRead(_) => {
                let (received, stored) = self.progress(Kind::GetToFs);
                let mut line = Vec::new();
                GettofsProgress {
                    status: run_state(received.is_some()),
                    received_length: received,
                    write_length: stored,
                }
                .encode(&mut line);
                out.line(line);
                true
            }
            Command::FtpputfrmfsRead(_) => {
                let (sent, _) = self.progress(Kind::PutFromFs);
                let mut line = Vec::new();
                PutfrmfsProgress {
                    status: run_state(sent.is_some()),
                    put_length: sent,
                }
                .encode(&mut line);
                out.line(line);
                true
            }
            Command::FtpextgetRead(_) => {
                let (received, _) = self.progress(Kind::ExtGet);
                let mut line = Vec::new();
                ExtgetProgress {
                    status: run_state(received.is_some()),
                    received_length: received,
                }
                .encode(&mut line);
                out.line(line);
                true
            }
            other => return Some(other),
        };
        if answered {
            out.ok();
        } else {
            out.error();
        }
        None
    }

    /// Puts the RAM buffer to `mode` (emptied); refused while it serves another use.
    fn use_ram(&mut self, mode: RamUse) -> bool {
        if self.ram.mode != RamUse::Off && self.ram.mode != mode {
            return false;
        }
        self.ram.switch(mode);
        true
    }

    /// AT+FTPEXTPUT=2,<pos>,<len>,<timeout>: `+FTPEXTPUT: <pos>,<len>`, the bytes, OK.
    async fn load(&mut self, pos: u32, len: u32, session: &mut Session<'_>) {
        let out = session.out.clone();
        let (start, len) = (pos as usize, len as usize);
        if self.ram.mode != RamUse::ExtPut || start + len > RAM_SIZE {
            out.error();
            return;
        }
        let mut line = Vec::new();
        ExtputAccepted {
            pos,
            length: len as u32,
        }
        .encode(&mut line);
        session.input.before_prompt().await;
        out.line(line);
        // The host gone mid-upload leaves nothing to answer.
        let Some(data) = session.input.read_exact(len).await else {
            return;
        };
        let mut ram = buffer(&self.ram.buffer);
        if ram.len() < start + len {
            ram.resize(start + len, 0);
        }
        ram[start..start + len].copy_from_slice(&data);
        out.ok();
    }

    /// AT+FTPFILEPUT=1,<filename>: the file, whole, into RAM.
    fn load_file(&mut self, path: &str) -> bool {
        let Ok(data) = self.fs.read(path) else {
            return false;
        };
        if data.len() > RAM_SIZE || !self.use_ram(RamUse::FilePut) {
            return false;
        }
        *buffer(&self.ram.buffer) = data;
        true
    }

    fn transfer(&self, kind: Kind, path: String, retry: Retry, out: &Output) -> Transfer {
        Transfer {
            kind,
            target: self.target(),
            path,
            retry,
            rate: self.link_rate,
            out: out.clone(),
        }
    }

    fn get_path(&self) -> String {
        session::join(&self.settings.get_path, &self.settings.get_name)
    }

    /// AT+FTPGETTOFS: OK, then `+FTPGETTOFS: 0,<total>` or `+FTPGETTOFS: <error>`.
    fn get_to_fs(&mut self, loc: FtpFileLocation, name: &str, retry: Retry, out: &Output) {
        let path = in_ftp_folder(name);
        let transfer = self.transfer(Kind::GetToFs, self.get_path(), retry, out);
        let fs = self.fs.clone();
        self.begin(Kind::GetToFs, out, move |out| {
            if loc != FtpFileLocation::Internal {
                // No SD card in the emulated module.
                return oneshot::fail(Kind::GetToFs, FtpResult::FileSystemError, out);
            }
            stored::download(transfer, Destination::File { fs, path })
        });
    }

    /// AT+FTPPUTFRMFS: OK, then `+FTPPUTFRMFS: 0,<total>` or `+FTPPUTFRMFS: <error>`.
    fn put_from_fs(&mut self, file: &str, retry: Retry, out: &Output) {
        let remote = session::join(&self.settings.put_path, &self.settings.put_name);
        let transfer = self.transfer(Kind::PutFromFs, remote, retry, out);
        let data = self.fs.read(file);
        let append = self.appends();
        self.begin(Kind::PutFromFs, out, move |out| match data {
            Ok(data) => stored::upload(transfer, data, append),
            Err(_) => oneshot::fail(Kind::PutFromFs, FtpResult::FileSystemError, out),
        });
    }

    /// AT+FTPEXTGET=1: OK, then `+FTPEXTGET: 1,0` once the file is in RAM.
    fn ext_get(&mut self, out: &Output) {
        if self.session_active() || !self.use_ram(RamUse::ExtGet) {
            out.error();
            return;
        }
        let transfer = self.transfer(Kind::ExtGet, self.get_path(), Retry::NONE, out);
        let destination = Destination::Ram {
            buffer: self.ram.buffer.clone(),
            limit: RAM_SIZE,
        };
        self.begin(Kind::ExtGet, out, move |_| {
            stored::download(transfer, destination)
        });
    }

    /// Whether the data of a finished AT+FTPEXTGET=1 is in RAM.
    fn downloaded(&self) -> bool {
        self.ram.mode == RamUse::ExtGet && !self.running_kind(Kind::ExtGet)
    }

    /// AT+FTPEXTGET=2,<filename>: `+FTPEXTGET: 2,<total>`, OK.
    fn save(&self, name: &str, out: &Output) -> bool {
        if !self.downloaded() {
            return false;
        }
        let data = self.ram.contents();
        if self.fs.write(&in_ftp_folder(name), &data).is_err() {
            return false;
        }
        let mut line = Vec::new();
        ExtgetSaved {
            total_length: data.len() as u32,
        }
        .encode(&mut line);
        out.line(line);
        true
    }

    /// AT+FTPEXTGET=3,<pos>,<len>: `+FTPEXTGET: 3,<n>`, the bytes, OK.
    fn output(&self, pos: u32, len: u32, out: &Output) {
        if !self.downloaded() {
            out.error();
            return;
        }
        let ram = buffer(&self.ram.buffer);
        let start = (pos as usize).min(ram.len());
        let end = start.saturating_add(len as usize).min(ram.len());
        let mut line = Vec::new();
        ExtgetChunk {
            output_length: (end - start) as u32,
        }
        .encode(&mut line);
        out.line(line);
        out.raw(&ram[start..end]);
        out.ok();
    }

    fn running_kind(&self, kind: Kind) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| r.kind == kind && r.active())
    }

    /// Bytes moved and stored by a running session of `kind`; `None` when none runs.
    fn progress(&self, kind: Kind) -> (Option<u32>, Option<u32>) {
        let Some(running) = self.running.as_ref().filter(|_| self.running_kind(kind)) else {
            return (None, None);
        };
        let (moved, stored) = stored::progress(&lock(&running.state));
        let clamp = |n: u64| Some(u32::try_from(n).unwrap_or(u32::MAX));
        (clamp(moved), clamp(stored))
    }
}

fn retry(num: u8, time: u8) -> Retry {
    Retry {
        attempts: num,
        wait: Duration::from_secs(u64::from(time)),
    }
}

fn run_state(running: bool) -> FtpRunState {
    if running {
        FtpRunState::Running
    } else {
        FtpRunState::Idle
    }
}

fn buffer(buffer: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    buffer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
