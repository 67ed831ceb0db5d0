//! Reading what the host sends: command lines, and raw data after a prompt.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, ReadHalf};

/// The host-to-modem direction of the line.
pub struct Input {
    read: Box<dyn AsyncRead + Unpin + Send>,
    buf: Vec<u8>,
    terminator: Vec<u8>,
    /// The rest of a two-byte terminator (the LF of CR LF) not yet seen after a
    /// command line: dropped when it comes, so it never starts upload data.
    owed: Vec<u8>,
}

impl Input {
    pub(super) fn new<T: AsyncRead + Send + 'static>(read: ReadHalf<T>, terminator: &str) -> Self {
        let terminator = if terminator.is_empty() {
            b"\r".to_vec()
        } else {
            terminator.as_bytes().to_vec()
        };
        Self {
            read: Box::new(read),
            buf: Vec::new(),
            terminator,
            owed: Vec::new(),
        }
    }

    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 4096];
        match self.read.read(&mut chunk).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                self.settle_terminator();
                true
            }
        }
    }

    /// Drops the owed rest of a terminator once the bytes to decide are here.
    fn settle_terminator(&mut self) {
        while let (Some(&want), Some(&got)) = (self.owed.first(), self.buf.first()) {
            if want != got {
                self.owed.clear();
                return;
            }
            self.owed.remove(0);
            self.buf.remove(0);
        }
    }

    /// The next command line (without terminator), `None` when the host is gone.
    /// Line ends and blanks between lines are skipped.
    pub async fn command_line(&mut self) -> Option<Vec<u8>> {
        loop {
            let skip = self
                .buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n' | b' '))
                .count();
            self.buf.drain(..skip);
            if let Some(end) = self.buf.iter().position(|b| *b == self.terminator[0]) {
                let line: Vec<u8> = self.buf.drain(..=end).take(end).collect();
                self.owed = self.terminator[1..].to_vec();
                self.settle_terminator();
                return Some(line);
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Exactly `len` bytes of upload data, `None` if the host is gone first.
    pub async fn read_exact(&mut self, len: usize) -> Option<Vec<u8>> {
        while self.buf.len() < len || (len > 0 && !self.owed.is_empty()) {
            if !self.fill().await {
                return None;
            }
        }
        Some(self.buf.drain(..len).collect())
    }

    /// Upload data ended by `terminator`, with `escape` before literal terminator
    /// or escape bytes (ETX/Ctrl+Z framing); the data unescaped.
    pub async fn read_escaped(&mut self, terminator: u8, escape: u8) -> Option<Vec<u8>> {
        while !self.owed.is_empty() {
            if !self.fill().await {
                return None;
            }
        }
        let mut data = Vec::new();
        let mut at = 0;
        loop {
            while at < self.buf.len() {
                let byte = self.buf[at];
                if byte == escape {
                    if at + 1 >= self.buf.len() {
                        break;
                    }
                    data.push(self.buf[at + 1]);
                    at += 2;
                } else if byte == terminator {
                    self.buf.drain(..=at);
                    return Some(data);
                } else {
                    data.push(byte);
                    at += 1;
                }
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Data-mode upload ended by `sequence` (`+++`) followed by `guard` of silence:
    /// the sequence counts only when nothing follows it within the guard time.
    pub async fn read_until_escape(&mut self, sequence: &[u8], guard: Duration) -> Option<Vec<u8>> {
        while !self.owed.is_empty() {
            if !self.fill().await {
                return None;
            }
        }
        loop {
            if self.buf.ends_with(sequence) {
                let mut chunk = [0u8; 4096];
                match tokio::time::timeout(guard, self.read.read(&mut chunk)).await {
                    Err(_) => {
                        let len = self.buf.len() - sequence.len();
                        let data = self.buf[..len].to_vec();
                        self.buf.clear();
                        return Some(data);
                    }
                    Ok(Ok(0)) | Ok(Err(_)) => return None,
                    Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
                }
                continue;
            }
            if !self.fill().await {
                return None;
            }
        }
    }
}
