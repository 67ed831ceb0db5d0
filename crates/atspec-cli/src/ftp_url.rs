//! `ftp://user:pass@host[:port]/path` and `ftps://…` as the `ftp` subcommand
//! takes them; with `--emulate`, a URL without a host (`/path`, `ftps:///path`)
//! names the emulator's FTP server and its account.

use atspec::task::{FtpSecurity, FtpServer};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::serve::Serving;

use crate::exit::Failure;

/// An FTP URL taken apart, user, password and path percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpUrl {
    /// `ftps://`.
    pub tls: bool,
    /// The user; `None` logs in anonymously.
    pub user: Option<String>,
    /// The password.
    pub password: Option<String>,
    /// The host; empty for the emulator's server.
    pub host: String,
    /// The port, if given.
    pub port: Option<u16>,
    /// The path on the server (`/` when the URL has none).
    pub path: String,
}

impl FtpUrl {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Self, Failure> {
        let bad = |why: &str| Failure::usage(format!("the FTP URL `{text}` {why}"));
        if text.starts_with('/') {
            return Ok(Self {
                tls: false,
                user: None,
                password: None,
                host: String::new(),
                port: None,
                path: percent_decode(text).map_err(|w| bad(&w))?,
            });
        }
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| bad("is not ftp://[user[:password]@]host[:port]/path or ftps://…"))?;
        let tls = match scheme.to_ascii_lowercase().as_str() {
            "ftp" => false,
            "ftps" => true,
            _ => return Err(bad("has a scheme other than ftp or ftps")),
        };
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, "/"),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (user, password) = match info.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (info, None),
                };
                let user = percent_decode(user).map_err(|w| bad(&format!("user: {w}")))?;
                let password = password
                    .map(percent_decode)
                    .transpose()
                    .map_err(|w| bad(&format!("password: {w}")))?;
                (Some(user), password)
            }
        };
        let (host, port) = split_port(hostport).map_err(|w| bad(&w))?;
        if host.contains(|c: char| c.is_whitespace()) {
            return Err(bad("has white space in its host"));
        }
        Ok(Self {
            tls,
            user,
            password,
            host: host.to_owned(),
            port,
            path: percent_decode(path).map_err(|w| bad(&w))?,
        })
    }

    /// Whether the URL names the emulator's server (no host).
    pub fn is_emulator(&self) -> bool {
        self.host.is_empty()
    }

    /// The security the URL and `--implicit` ask for.
    pub fn security(&self, implicit: bool) -> Result<FtpSecurity, Failure> {
        match (self.tls, implicit) {
            (false, false) => Ok(FtpSecurity::Plain),
            (true, false) => Ok(FtpSecurity::Explicit),
            (true, true) => Ok(FtpSecurity::Implicit),
            (false, true) => Err(Failure::usage("--implicit needs an ftps:// URL")),
        }
    }

    /// What the emulator's FTP server must speak for this URL.
    pub fn emulator_tls(&self, implicit: bool) -> FtpTls {
        match self.security(implicit) {
            Ok(FtpSecurity::Explicit) => FtpTls::Explicit,
            Ok(FtpSecurity::Implicit) => FtpTls::Implicit,
            _ => FtpTls::Plain,
        }
    }

    /// The server to log in to: the URL's, or for a URL without a host the
    /// emulator's, with its account unless the URL gives one.
    pub fn server(
        &self,
        implicit: bool,
        active: bool,
        emulator: Option<&Serving>,
    ) -> Result<FtpServer, Failure> {
        let security = self.security(implicit)?;
        let mut server = if self.is_emulator() {
            let serving = emulator.ok_or_else(|| {
                Failure::usage(format!(
                    "`{}` names the emulator's FTP server, which only --emulate MODEM starts; \
                     give ftp://host/path",
                    self.path
                ))
            })?;
            let ftp = serving.ftp();
            let server = FtpServer::new("127.0.0.1").port(ftp.port());
            match &self.user {
                Some(_) => server,
                None => server.login(ftp.user(), ftp.password()),
            }
        } else {
            let server = FtpServer::new(&self.host);
            match self.port {
                Some(port) => server.port(port),
                None => server,
            }
        };
        if let Some(user) = &self.user {
            server = server.login(user, self.password.as_deref().unwrap_or(""));
        }
        server = server.security(security);
        if active {
            server = server.active();
        }
        Ok(server)
    }
}

/// `host[:port]`, the host of an IPv6 address in brackets.
fn split_port(hostport: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or("has an IPv6 address without its closing `]`")?;
        (host, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    let port = port
        .map(|p| {
            p.parse::<u16>()
                .ok()
                .filter(|&p| p > 0)
                .ok_or_else(|| format!("has the port `{p}`, not a number from 1 to 65535"))
        })
        .transpose()?;
    Ok((host, port))
}

/// `%XX` escapes decoded; the result must be UTF-8.
pub fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("has a `%` at byte {i} not followed by two hex digits"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "decodes to bytes that are not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_url_comes_apart_with_its_escapes_decoded() {
        let url =
            FtpUrl::parse("ftps://me%40work:p%3Ass%20w@files.example:2121/a%20b/c.bin").unwrap();
        assert!(url.tls);
        assert_eq!(url.user.as_deref(), Some("me@work"));
        assert_eq!(url.password.as_deref(), Some("p:ss w"));
        assert_eq!(url.host, "files.example");
        assert_eq!(url.port, Some(2121));
        assert_eq!(url.path, "/a b/c.bin");
        let server = url.server(true, false, None).unwrap();
        assert_eq!(server.user(), "me@work");
        assert_eq!(server.password(), "p:ss w");
        assert_eq!(server.port_or_default(), 2121);
        assert_eq!(server.security_mode(), FtpSecurity::Implicit);
    }

    #[test]
    fn no_user_is_anonymous_and_no_path_is_the_root() {
        let url = FtpUrl::parse("ftp://host").unwrap();
        assert_eq!((url.user.as_deref(), url.path.as_str()), (None, "/"));
        let server = url.server(false, true, None).unwrap();
        assert_eq!(server.user(), "anonymous");
        assert_eq!(server.port_or_default(), 21);
        assert!(!server.passive());
        let user_only = FtpUrl::parse("ftp://bob@[::1]:21/x").unwrap();
        assert_eq!(user_only.host, "::1");
        let server = user_only.server(false, false, None).unwrap();
        assert_eq!((server.user(), server.password()), ("bob", ""));
    }

    #[test]
    fn the_emulators_server_is_named_by_a_url_without_host() {
        for text in [
            "/pub/a",
            "ftp:///pub/a",
            "ftps:///pub/a",
            "ftp://u:p@/pub/a",
        ] {
            let url = FtpUrl::parse(text).unwrap();
            assert!(url.is_emulator(), "{text}");
            assert_eq!(url.path, "/pub/a");
            let err = url.server(false, false, None).unwrap_err();
            assert!(err.message.contains("--emulate"), "{err}");
        }
        let url = FtpUrl::parse("ftps:///x").unwrap();
        assert_eq!(url.emulator_tls(true), FtpTls::Implicit);
        assert_eq!(url.emulator_tls(false), FtpTls::Explicit);
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        let cases = [
            ("http://h/x", "scheme other than ftp"),
            ("h/x", "is not ftp://"),
            ("ftp://h:0/x", "port `0`"),
            ("ftp://h:99999/x", "port `99999`"),
            ("ftp://u:%zz@h/x", "password: has a `%` at byte 0"),
            ("ftp://h/%ff", "not UTF-8"),
            ("ftp://[::1/x", "closing `]`"),
        ];
        for (text, want) in cases {
            let err = FtpUrl::parse(text).unwrap_err();
            assert!(err.message.contains(want), "{text}: {err}");
        }
        let plain = FtpUrl::parse("ftp://h/x").unwrap();
        assert!(plain.security(true).is_err());
    }
}
