//! atspec runtime: the vendor-neutral half of every generated modem driver.
//!
//! Generated vendor crates (`atspec-<package>`) describe each AT command as a
//! typed value implementing [`AtCommand`]. This crate holds what those types share:
//!
//! - [`param`]: validation of parameter values before anything reaches the wire
//!   (ranges, length limits, characters that would break the command line);
//! - [`text_rules`]: prefix and pattern rules on string parameters;
//! - [`encode`]: the writer that turns validated values into command-line bytes;
//! - [`parse`]: tolerant line parsers (whitespace and quoting variants) for
//!   responses and unsolicited result codes;
//! - [`code`]: open code tables (vendor error and status codes keep unknown values);
//! - [`command`]: the command trait and the execution data a runtime needs
//!   (timeouts, deferred completion, upload and download rules);
//! - [`dialect`]: a vendor's final result codes, prompts and URC prefixes, as data;
//! - [`family`]: the module families of a package whose limits differ;
//! - [`task`]: vendor-neutral tasks (network bring-up, HTTP, FTP) that generated
//!   modem types implement, and the context their steps run in.
//!
//! Nothing in this crate names a vendor: every vendor rule arrives as generated data.
#![forbid(unsafe_code)]

pub mod client;
pub mod code;
pub mod command;
pub mod dialect;
pub mod dynamic;
pub mod encode;
pub mod family;
pub mod framer;
pub mod param;
pub mod parse;
#[doc(hidden)]
pub mod round_trip;
pub mod task;
pub mod text_rules;
pub mod transport;
pub mod urc;

pub use client::call::{self, Exchange, Sink, Source};
pub use client::{
    AtError, Client, Config, DecodedLine, ErrorDetail, InfoLine, LineField, RAW, RawCommand,
    RawResponse, Stage,
};
pub use code::CodeTable;
pub use command::{
    AtCommand, Completion, DeferredCommand, DownloadEnd, DownloadRule, Form, PayloadRule,
    Placement, UploadAck, UploadEnd, UploadRule,
};
pub use dialect::{Dialect, FinalResult, LineClass, Prompt, ResultKind, ResultPattern};
pub use encode::CommandWriter;
pub use family::Family;
pub use framer::{Expect, Frame, Framer};
pub use param::{ParamError, StringRules};
pub use parse::{LineParser, ParseError};
pub use task::{
    Driver, Ftp, FtpServer, Http, HttpRequest, HttpResponse, Link, Method, Network, Progress,
    TaskError, TaskErrorKind,
};
pub use text_rules::Pattern;
pub use urc::{Unsolicited, UrcSet};
