#![doc = include_str!("../../docs/tasks.md")]

mod chunks;
mod error;
mod ftp;
mod ftp_listing;
mod headers;
mod http;
mod network;
mod progress;
mod remote_path;
mod run;
mod session;
mod status;
mod timed;
mod url;

pub use chunks::{Chunk, Chunks};
pub use error::{TaskError, TaskErrorKind};
pub use ftp::{Ftp, FtpOptions, FtpSecurity, FtpServer, Transfer, tasks as ftp_tasks};
pub use ftp_listing::{FTP_LISTING_LIMIT, FtpEntry, FtpEntryKind, ListingBuffer};
pub use headers::{HeaderBlock, MAX_HEADER_BYTES, MAX_HEADER_FIELDS, parse_header_block};
pub use http::{HTTP_REQUEST_TASK, Http, HttpOptions, HttpRequest, HttpResponse, Method};
pub use network::{Link, LinkKind, LinkState, Network};
pub use progress::{CountingReader, CountingWriter, Progress, ProgressFn};
pub use remote_path::RemotePath;
pub use run::{IntParam, Run};
pub use status::reason_phrase;
pub use timed::Timed;
pub use url::UrlParts;

/// The byte-stream traits task bodies and sinks use, re-exported so generated
/// crates need no tokio dependency of their own.
pub use tokio::io::{AsyncRead, AsyncWrite};

use crate::client::Client;
use crate::urc::UrcSet;

/// A modem driver: what every task trait builds on. Implemented by each generated
/// modem type, which owns the [`Client`] its tasks send through.
pub trait Driver {
    /// Short modem name used in errors (the spec package's name).
    const NAME: &'static str;
    /// The package's URC set.
    type Urc: UrcSet + Clone + Send + 'static;
    /// The client the modem's tasks send their commands through.
    fn client(&self) -> &Client<Self::Urc>;
}
