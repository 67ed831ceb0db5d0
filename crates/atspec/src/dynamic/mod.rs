//! Packages, commands and modems known at run time rather than by type: what a
//! tool that lets its user pick the modem (a command-line tool, a log decoder)
//! works with.
//!
//! Every generated package with tasks exports a `PACKAGE` value implementing
//! [`Package`]: its name, its dialect, its command list, a parser from command
//! lines to [`AnyCommand`] values and from URC lines to decoded lines, and
//! [`Package::open`], which starts its `Modem` on any transport as a
//! [`AnyModem`]. The task traits are reached through [`AnyModem::network`],
//! [`AnyModem::http`] and [`AnyModem::ftp`], which answer `None` for a task the
//! modem lacks.
//!
//! Everything here is vendor-neutral: the generated crates implement it, and the
//! `atspec-packages` crate lists every package.

mod command;
mod modem;
mod package;
mod typed;

use std::future::Future;
use std::pin::Pin;

pub use command::{AnyCommand, AnyExchange, AnyIo, CompletionLine, Decode, Outcome, run_any};
pub use modem::{AnyModem, DynFtp, DynHttp, DynNetwork, DynSink, DynSource};
pub use package::{
    CommandInfo, CommandParser, FamilyInfo, Package, command_name, commands_named, parse_with,
};
pub use typed::Typed;

/// A boxed future, as the object-safe traits of this module return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A byte transport a [`Package::open`] can run a modem on.
pub trait Transport: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static {}

impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static> Transport for T {}

/// A transport of any type.
pub type BoxTransport = Box<dyn Transport>;
