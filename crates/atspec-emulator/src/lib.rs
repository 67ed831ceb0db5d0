//! A modem emulator for atspec: the real servers emulated modems talk to, and the clients
//! that perform each modem operation for real.
//!
//! [`modem`] runs an emulated module over any byte transport with a vendor
//! [`modem::Behaviour`] from [`modems`]; the network side it uses:
//!
//! - [`backend::http::HttpServer`]: an httpbin-like HTTP/1.1 server (echo, binary bodies of
//!   any size, status codes, redirects, delays), plain or over TLS;
//! - [`backend::ftp::FtpServer`]: libunftp over a temporary folder, plain FTP, explicit or
//!   implicit FTPS, with injectable faults;
//! - [`client::http::HttpClient`] and [`client::ftp::FtpClient`]: the operations a modem
//!   performs, done through hyper and suppaftp;
//! - [`tls::TestCertificate`]: the self-signed certificate the servers present, generated
//!   at run time, and the modules' TLS client configurations: none checking anything (a
//!   module's default), or one trusting the certificates its SSL settings name;
//! - [`payload()`]: deterministic pseudo-random binary payloads, checkable by window.
//!
//! [`serve`] puts it all together for firmware tests outside Rust: the servers and one
//! vendor's module on a TCP port or a pseudo-terminal (`atspec emulate`).
//!
//! Every server binds `127.0.0.1:0`, runs on the caller's tokio runtime and stops when
//! dropped, so `cargo test` needs nothing installed and tests run in parallel.
//!
//! ```
//! use atspec_emulator::backend::http::HttpServer;
//! use atspec_emulator::client::http::{HttpClient, HttpRequest};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = HttpServer::start().await;
//! let response = HttpClient::new()
//!     .send(&HttpRequest::get(server.url("/bytes/1000?seed=7")))
//!     .await?;
//! assert_eq!(response.status, 200);
//! assert_eq!(response.body, atspec_emulator::payload(1000, 7));
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod backend;
pub mod client;
pub mod demo;
pub mod modem;
pub mod modems;
pub mod payload;
pub mod serve;
pub mod tls;

pub use payload::{PayloadReader, fill_payload, payload};
