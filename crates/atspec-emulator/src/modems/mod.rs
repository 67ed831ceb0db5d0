//! Vendor behaviours: each a small state machine following its manual, using the
//! generated crate to parse commands and encode answers.

pub mod a76xx;
pub mod cellular;
pub mod ec200u;
pub mod esp_at;
pub mod sim800;
pub mod sim800_ftp;
pub mod sim800_gnss;
pub mod sim800_http;
