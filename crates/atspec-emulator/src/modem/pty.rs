//! A pseudo-terminal for an emulated modem: the modem runs on the master side and
//! any serial-port client opens the slave path (`/dev/pts/N`) like a real UART.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use nix::pty::{OpenptyResult, openpty};
use nix::sys::termios::{SetArg, cfmakeraw, tcgetattr, tcsetattr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The client's end of a pseudo-terminal: its path, kept open while it lives.
pub struct PtyPath {
    path: PathBuf,
    /// Held so the master does not see a hang-up before a client attaches.
    _slave: OwnedFd,
}

impl PtyPath {
    /// The path a serial-port client opens.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The modem's end of a pseudo-terminal. Reading and writing use two handles on
/// the same master: a `tokio::fs::File` does one operation at a time, and the
/// modem's read of the next command would otherwise hold up its answer.
pub struct PtyMaster {
    read: tokio::fs::File,
    write: tokio::fs::File,
}

impl AsyncRead for PtyMaster {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.read).poll_read(cx, buf)
    }
}

impl AsyncWrite for PtyMaster {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.write).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.write).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.write).poll_shutdown(cx)
    }
}

/// Opens a pseudo-terminal pair in raw mode (no echo, no CR/LF translation: bytes
/// pass as sent) and returns the master, for [`super::spawn`], and the client's path.
pub fn open() -> std::io::Result<(PtyMaster, PtyPath)> {
    let OpenptyResult { master, slave } = openpty(None, None).map_err(std::io::Error::from)?;
    let mut termios = tcgetattr(&slave).map_err(std::io::Error::from)?;
    cfmakeraw(&mut termios);
    tcsetattr(&slave, SetArg::TCSANOW, &termios).map_err(std::io::Error::from)?;
    let path = nix::unistd::ttyname(&slave).map_err(std::io::Error::from)?;
    let master = std::fs::File::from(master);
    let write = tokio::fs::File::from_std(master.try_clone()?);
    let read = tokio::fs::File::from_std(master);
    Ok((
        PtyMaster { read, write },
        PtyPath {
            path,
            _slave: slave,
        },
    ))
}
