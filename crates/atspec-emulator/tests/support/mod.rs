//! Helpers shared by the integration tests.
#![allow(dead_code)]

use sha2::{Digest as _, Sha256};

/// Body sizes every transfer test covers: empty, 1 KiB, 1 MiB.
pub const SIZES: [usize; 3] = [0, 1024, 1024 * 1024];

/// Lower-case hex SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
