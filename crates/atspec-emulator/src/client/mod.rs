//! The client side of the emulated modems: each modem operation is performed for real
//! through these helpers (hyper for HTTP, suppaftp for FTP), against the
//! [`backend`](crate::backend) servers or any other server.

pub mod ftp;
pub mod http;
pub mod link;
pub mod resolve;
