//! The emulated modems' name resolution: the network they sit in is this machine's
//! loopback, so `localhost`, names under `.localhost` (RFC 6761 section 6.3) and
//! address literals resolve, and every other name fails the way a DNS lookup for a name
//! that does not exist fails, at once and without asking any server.
//!
//! The system resolver is never asked: it could send queries off the machine, and its
//! answer (or its timeout) would depend on where the tests run. A modem's own DNS
//! failure (SIM800's `603 DNS Error`) is emulated from [`UnknownHost`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A host name that does not resolve in the emulated network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownHost {
    /// The name as asked for.
    pub host: String,
}

impl fmt::Display for UnknownHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: no such host", self.host)
    }
}

impl std::error::Error for UnknownHost {}

/// The address of `host` (a name or an address literal, IPv6 with or without brackets)
/// at `port`.
pub fn resolve(host: &str, port: u16) -> Result<SocketAddr, UnknownHost> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    // A trailing dot names the same (fully qualified) host.
    let name = bare.strip_suffix('.').unwrap_or(bare).to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    Err(UnknownHost {
        host: host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_literals_resolve_and_nothing_else() {
        let local = |port| SocketAddr::from(([127, 0, 0, 1], port));
        assert_eq!(resolve("localhost", 80), Ok(local(80)));
        assert_eq!(resolve("LocalHost.", 81), Ok(local(81)));
        assert_eq!(resolve("files.localhost", 82), Ok(local(82)));
        assert_eq!(resolve("127.0.0.1", 83), Ok(local(83)));
        assert_eq!(resolve("[::1]", 84), Ok("[::1]:84".parse().unwrap()));
        let unknown = resolve("no-such-host.invalid", 80).unwrap_err();
        assert_eq!(unknown.to_string(), "no-such-host.invalid: no such host");
        assert!(resolve("localhost.example", 80).is_err());
    }
}
