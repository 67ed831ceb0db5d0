//! A modem of any package, with the tasks it has, behind object-safe traits.

use std::any::Any;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::BoxFuture;
use crate::client::{AtError, RawCommand, RawResponse};
use crate::task::{
    Ftp, FtpEntry, FtpOptions, FtpServer, Http, HttpOptions, HttpRequest, HttpResponse, Link,
    LinkKind, LinkState, Network, TaskError, Transfer,
};

/// A generated `Modem` of any package.
pub trait AnyModem: Send + Sync {
    /// The package's name (its `Driver::NAME`).
    fn name(&self) -> &'static str;
    /// The modem's typed client (an `atspec::Client<Urc>` of its package), which
    /// [`AnyCommand::run`](super::AnyCommand::run) sends through.
    fn client_any(&self) -> &dyn Any;
    /// Sends a command line no spec declares.
    fn send_raw<'a>(
        &'a self,
        command: &'a RawCommand,
    ) -> BoxFuture<'a, Result<RawResponse, AtError>>;
    /// The data-link task, if the modem has one.
    fn network(&self) -> Option<&dyn DynNetwork>;
    /// The HTTP task, if the modem has one.
    fn http(&self) -> Option<&dyn DynHttp>;
    /// The FTP task, if the modem has one.
    fn ftp(&self) -> Option<&dyn DynFtp>;
}

/// [`Network`] behind a trait object.
pub trait DynNetwork: Send + Sync {
    /// [`Network::LINKS`].
    fn links(&self) -> &'static [LinkKind];
    /// [`Network::connect`].
    fn connect<'a>(
        &'a self,
        link: &'a Link,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<LinkState, TaskError>>;
    /// [`Network::link_state`].
    fn link_state(&self) -> BoxFuture<'_, Result<LinkState, TaskError>>;
    /// [`Network::disconnect`].
    fn disconnect(&self) -> BoxFuture<'_, Result<(), TaskError>>;
}

impl<T: Network + Send + Sync> DynNetwork for T {
    fn links(&self) -> &'static [LinkKind] {
        T::LINKS
    }
    fn connect<'a>(
        &'a self,
        link: &'a Link,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<LinkState, TaskError>> {
        Box::pin(Network::connect(self, link, timeout))
    }
    fn link_state(&self) -> BoxFuture<'_, Result<LinkState, TaskError>> {
        Box::pin(Network::link_state(self))
    }
    fn disconnect(&self) -> BoxFuture<'_, Result<(), TaskError>> {
        Box::pin(Network::disconnect(self))
    }
}

/// Where a download's bytes go, behind a trait object.
pub type DynSink<'a> = dyn AsyncWrite + Unpin + Send + 'a;
/// What an upload reads, behind a trait object.
pub type DynSource<'a> = dyn AsyncRead + Unpin + Send + 'a;

/// [`Http`] behind a trait object.
pub trait DynHttp: Send + Sync {
    /// [`Http::HTTP`].
    fn options(&self) -> HttpOptions;
    /// [`Http::request`].
    fn request<'a>(
        &'a self,
        request: HttpRequest<'a>,
        sink: &'a mut DynSink<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, TaskError>>;
}

impl<T: Http + Send + Sync> DynHttp for T {
    fn options(&self) -> HttpOptions {
        T::HTTP
    }
    fn request<'a>(
        &'a self,
        request: HttpRequest<'a>,
        sink: &'a mut DynSink<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, TaskError>> {
        Box::pin(Http::request(self, request, sink))
    }
}

/// [`Ftp`] behind a trait object.
pub trait DynFtp: Send + Sync {
    /// [`Ftp::FTP`].
    fn options(&self) -> FtpOptions;
    /// [`Ftp::ftp_get`].
    fn get<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        sink: &'a mut DynSink<'a>,
        transfer: Transfer<'a>,
    ) -> BoxFuture<'a, Result<u64, TaskError>>;
    /// [`Ftp::ftp_put`].
    fn put<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        source: &'a mut DynSource<'a>,
        len: u64,
        transfer: Transfer<'a>,
    ) -> BoxFuture<'a, Result<u64, TaskError>>;
    /// [`Ftp::ftp_size`].
    fn size<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> BoxFuture<'a, Result<u64, TaskError>>;
    /// [`Ftp::ftp_delete`].
    fn delete<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>>;
    /// [`Ftp::ftp_list`].
    fn list<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<Vec<FtpEntry>, TaskError>>;
    /// [`Ftp::ftp_mkdir`].
    fn mkdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>>;
    /// [`Ftp::ftp_rmdir`].
    fn rmdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>>;
    /// [`Ftp::ftp_rename`].
    fn rename<'a>(
        &'a self,
        server: &'a FtpServer,
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>>;
    /// [`Ftp::ftp_pwd`].
    fn pwd<'a>(&'a self, server: &'a FtpServer) -> BoxFuture<'a, Result<String, TaskError>>;
}

impl<T: Ftp + Send + Sync> DynFtp for T {
    fn options(&self) -> FtpOptions {
        T::FTP
    }
    fn get<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        sink: &'a mut DynSink<'a>,
        transfer: Transfer<'a>,
    ) -> BoxFuture<'a, Result<u64, TaskError>> {
        Box::pin(self.ftp_get(server, path, sink, transfer))
    }
    fn put<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
        source: &'a mut DynSource<'a>,
        len: u64,
        transfer: Transfer<'a>,
    ) -> BoxFuture<'a, Result<u64, TaskError>> {
        Box::pin(self.ftp_put(server, path, source, len, transfer))
    }
    fn size<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> BoxFuture<'a, Result<u64, TaskError>> {
        Box::pin(self.ftp_size(server, path))
    }
    fn delete<'a>(
        &'a self,
        server: &'a FtpServer,
        path: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>> {
        Box::pin(self.ftp_delete(server, path))
    }
    fn list<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<Vec<FtpEntry>, TaskError>> {
        Box::pin(self.ftp_list(server, dir))
    }
    fn mkdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>> {
        Box::pin(self.ftp_mkdir(server, dir))
    }
    fn rmdir<'a>(
        &'a self,
        server: &'a FtpServer,
        dir: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>> {
        Box::pin(self.ftp_rmdir(server, dir))
    }
    fn rename<'a>(
        &'a self,
        server: &'a FtpServer,
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<(), TaskError>> {
        Box::pin(self.ftp_rename(server, from, to))
    }
    fn pwd<'a>(&'a self, server: &'a FtpServer) -> BoxFuture<'a, Result<String, TaskError>> {
        Box::pin(self.ftp_pwd(server))
    }
}
