//! Real servers on loopback that the emulated modems talk to.
//!
//! Each server binds `127.0.0.1:0` (the system picks a free port, so tests run in
//! parallel without clashes), runs on the tokio runtime that started it, and stops when
//! it is dropped: its accept loop and every open connection are aborted.

pub mod ftp;
pub mod http;
mod serve;
