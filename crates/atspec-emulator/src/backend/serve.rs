//! The accept loop shared by the servers, stopped on drop.

use std::future::Future;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Pause after a failed `accept`, so a persistent failure does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// A server task that is aborted, with every connection it spawned, when dropped.
#[derive(Debug)]
pub(crate) struct Background(Option<JoinHandle<()>>);

impl Background {
    /// Aborts the task and waits until it is gone: its listener is closed on return, and
    /// its connections are aborted (they close as soon as the runtime drops them).
    pub(crate) async fn stop(mut self) {
        self.halt().await;
    }

    /// [`stop`](Self::stop) in place: the value stays, stopped.
    pub(crate) async fn halt(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

/// Accepts connections on `listener` forever, running `serve` for each in its own task.
///
/// The connection tasks live in a [`JoinSet`] owned by the accept task, so aborting the
/// accept task (dropping the returned [`Background`]) aborts them too. Accept errors (for
/// example too many open files) pause the loop briefly, then it goes on.
pub(crate) fn accept_loop<F, Fut>(listener: TcpListener, serve: F) -> Background
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    Background(Some(tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let accepted = listener.accept().await;
            while connections.try_join_next().is_some() {}
            match accepted {
                Ok((stream, _peer)) => {
                    // Small request/response exchanges: do not wait for Nagle.
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve(stream));
                }
                // Out of descriptors or similar: let connections finish before retrying.
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            }
        }
    })))
}
