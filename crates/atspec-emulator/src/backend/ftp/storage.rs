//! The file-system back-end with fault injection: delays and cut data connections.

use std::fmt::Debug;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncRead, ReadBuf};
use unftp_core::auth::DefaultUser;
use unftp_core::storage::{Fileinfo, Metadata, Result, StorageBackend};
use unftp_sbe_fs::Filesystem;

use super::options::FtpFaults;

/// The faults shared by every session of one server.
#[derive(Debug)]
pub(crate) struct FaultState {
    delay: Duration,
    drop_after: u64,
    drops_left: AtomicU32,
}

impl FaultState {
    pub(crate) fn new(faults: &FtpFaults) -> Self {
        Self {
            delay: faults.delay,
            drop_after: faults.drop_data.map_or(0, |d| d.after_bytes),
            drops_left: AtomicU32::new(faults.drop_data.map_or(0, |d| d.transfers)),
        }
    }

    async fn pause(&self) {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
    }

    /// Whether the transfer starting now is to be cut (and after how many bytes).
    fn take_drop(&self) -> Option<u64> {
        self.drops_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .ok()
            .map(|_| self.drop_after)
    }
}

/// [`Filesystem`] behind the server's [`FaultState`].
#[derive(Debug)]
pub(crate) struct FaultyStorage {
    inner: Filesystem,
    faults: Arc<FaultState>,
}

impl FaultyStorage {
    pub(crate) fn new(inner: Filesystem, faults: Arc<FaultState>) -> Self {
        Self { inner, faults }
    }
}

type Meta = <Filesystem as StorageBackend<DefaultUser>>::Metadata;
type Reader = Box<dyn AsyncRead + Send + Sync + Unpin>;

#[async_trait]
impl StorageBackend<DefaultUser> for FaultyStorage {
    type Metadata = Meta;

    fn enter(&mut self, user: &DefaultUser) -> io::Result<()> {
        self.inner.enter(user)
    }

    fn supported_features(&self) -> u32 {
        StorageBackend::<DefaultUser>::supported_features(&self.inner)
    }

    async fn metadata<P: AsRef<Path> + Send + Debug>(
        &self,
        user: &DefaultUser,
        path: P,
    ) -> Result<Meta> {
        self.faults.pause().await;
        self.inner.metadata(user, path).await
    }

    async fn list<P>(
        &self,
        user: &DefaultUser,
        path: P,
    ) -> Result<Vec<Fileinfo<std::path::PathBuf, Meta>>>
    where
        P: AsRef<Path> + Send + Debug,
        Meta: Metadata,
    {
        self.faults.pause().await;
        self.inner.list(user, path).await
    }

    async fn get<P: AsRef<Path> + Send + Debug>(
        &self,
        user: &DefaultUser,
        path: P,
        start_pos: u64,
    ) -> Result<Reader> {
        self.faults.pause().await;
        let reader = self.inner.get(user, path, start_pos).await?;
        Ok(match self.faults.take_drop() {
            Some(after) => Box::new(Cut::new(reader, after)),
            None => reader,
        })
    }

    async fn put<P: AsRef<Path> + Send + Debug, R: AsyncRead + Send + Sync + Unpin + 'static>(
        &self,
        user: &DefaultUser,
        input: R,
        path: P,
        start_pos: u64,
    ) -> Result<u64> {
        self.faults.pause().await;
        match self.faults.take_drop() {
            Some(after) => {
                let input = Cut::new(input, after);
                self.inner.put(user, input, path, start_pos).await
            }
            None => self.inner.put(user, input, path, start_pos).await,
        }
    }

    async fn del<P: AsRef<Path> + Send + Debug>(&self, user: &DefaultUser, path: P) -> Result<()> {
        self.faults.pause().await;
        self.inner.del(user, path).await
    }

    async fn mkd<P: AsRef<Path> + Send + Debug>(&self, user: &DefaultUser, path: P) -> Result<()> {
        self.faults.pause().await;
        self.inner.mkd(user, path).await
    }

    async fn rename<P: AsRef<Path> + Send + Debug>(
        &self,
        user: &DefaultUser,
        from: P,
        to: P,
    ) -> Result<()> {
        self.faults.pause().await;
        self.inner.rename(user, from, to).await
    }

    async fn rmd<P: AsRef<Path> + Send + Debug>(&self, user: &DefaultUser, path: P) -> Result<()> {
        self.faults.pause().await;
        self.inner.rmd(user, path).await
    }

    async fn cwd<P: AsRef<Path> + Send + Debug>(&self, user: &DefaultUser, path: P) -> Result<()> {
        self.faults.pause().await;
        self.inner.cwd(user, path).await
    }
}

/// A reader that fails after `left` bytes: libunftp then aborts the transfer, closes the
/// data connection and answers `451`.
struct Cut<R> {
    inner: R,
    left: u64,
}

impl<R> Cut<R> {
    fn new(inner: R, left: u64) -> Self {
        Self { inner, left }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Cut<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.left == 0 {
            // Probe one byte: a transfer that ends exactly at the cut is not cut.
            let mut probe = [0u8; 1];
            let mut probe = ReadBuf::new(&mut probe);
            ready!(Pin::new(&mut this.inner).poll_read(cx, &mut probe))?;
            if probe.filled().is_empty() {
                return Poll::Ready(Ok(()));
            }
            return Poll::Ready(Err(io::Error::other("emulated data connection drop")));
        }
        let max = usize::try_from(this.left).map_or(buf.remaining(), |l| l.min(buf.remaining()));
        let mut sub = ReadBuf::new(buf.initialize_unfilled_to(max));
        ready!(Pin::new(&mut this.inner).poll_read(cx, &mut sub))?;
        let n = sub.filled().len();
        buf.advance(n);
        this.left -= n as u64;
        Poll::Ready(Ok(()))
    }
}
