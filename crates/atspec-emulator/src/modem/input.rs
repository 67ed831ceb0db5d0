//! Reading what the host sends: command lines, and raw data after a prompt.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, ReadHalf};

use super::Output;
use super::line::{Line, LineEditor, LineEnds};

/// How long a module waits, before it prompts for upload data, for the LF of a
/// command line the host ended with CR LF: the LF follows the CR within a character
/// time on any real line, and data can only come after the prompt.
pub const LF_GRACE: Duration = Duration::from_millis(20);

/// The host-to-modem direction of the line.
pub struct Input {
    read: Box<dyn AsyncRead + Unpin + Send>,
    buf: Vec<u8>,
    editor: LineEditor,
}

impl Input {
    pub(super) fn new<T: AsyncRead + Send + 'static>(
        read: ReadHalf<T>,
        terminator: &str,
        max_command_len: Option<usize>,
    ) -> Self {
        Self {
            read: Box::new(read),
            buf: Vec::new(),
            editor: LineEditor::new(LineEnds::for_terminator(terminator), max_command_len),
        }
    }

    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 4096];
        match self.read.read(&mut chunk).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next command line, `None` when the host is gone. Bytes are echoed to
    /// `echo` as they arrive, as a module echoes what is typed.
    pub async fn command_line(&mut self, echo: Option<&Output>) -> Option<Line> {
        loop {
            let (took, line) = self.editor.feed(&self.buf);
            if let (Some(out), true) = (echo, took > 0) {
                out.raw(&self.buf[..took]);
            }
            self.buf.drain(..took);
            if let Some(line) = line {
                return Some(line);
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Settles the end of the command line before its upload prompt is written: an
    /// LF still owed by a CR is waited for (up to [`LF_GRACE`]) and dropped, so it
    /// is never taken as the first data byte. Call it just before writing a prompt.
    pub async fn before_prompt(&mut self) {
        if !self.editor.lf_owed() {
            return;
        }
        if self.buf.is_empty() {
            let _ = tokio::time::timeout(LF_GRACE, self.fill()).await;
        }
        if self.buf.first() == Some(&b'\n') {
            self.buf.remove(0);
        }
        self.editor.forget_lf();
    }

    /// Exactly `len` bytes of upload data, `None` if the host is gone first.
    pub async fn read_exact(&mut self, len: usize) -> Option<Vec<u8>> {
        self.editor.forget_lf();
        while self.buf.len() < len {
            if !self.fill().await {
                return None;
            }
        }
        Some(self.buf.drain(..len).collect())
    }

    /// Upload data ended by `terminator`, with `escape` before literal terminator
    /// or escape bytes (ETX/Ctrl+Z framing); the data unescaped.
    pub async fn read_escaped(&mut self, terminator: u8, escape: u8) -> Option<Vec<u8>> {
        self.editor.forget_lf();
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
        self.editor.forget_lf();
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
