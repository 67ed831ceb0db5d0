//! The parts of an HTTP URL, for modems that take host, port and path apart.

/// An `http` or `https` URL taken apart (see
/// [`HttpRequest::url_parts`](super::HttpRequest::url_parts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'u> {
    /// Whether the scheme is `https`.
    pub https: bool,
    /// The host name or address (an IPv6 address without its brackets).
    pub host: &'u str,
    /// The port: the URL's, or 80 for `http` and 443 for `https`.
    pub port: u16,
    /// The path with its query (`/a/b?c=d`); `/` when the URL has none. A fragment
    /// (`#...`) is not part of it: it is never sent to the server.
    pub path: &'u str,
}

/// Takes `scheme://[user@]host[:port][/path][?query][#fragment]` apart; `url` is
/// expected with an empty path before a query already written as `/`.
pub(super) fn parse(url: &str) -> Result<UrlParts<'_>, String> {
    if let Some((at, ch)) = url
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(format!("the URL has {ch:?} at byte {at}"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("{url:?} has no scheme (`http://` or `https://`)"));
    };
    let (https, default_port) = if scheme.eq_ignore_ascii_case("http") {
        (false, 80)
    } else if scheme.eq_ignore_ascii_case("https") {
        (true, 443)
    } else {
        return Err(format!("the scheme {scheme:?} is not http or https"));
    };
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let path = if path.is_empty() { "/" } else { path };
    if path.starts_with('?') {
        return Err("the URL's query has no path before it".to_owned());
    }
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port);
    let (host, port) = split_port(host_port)?;
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    if let Some(bad) = host.chars().find(|c| "/?#@[]\\\"".contains(*c)) {
        return Err(format!("the host {host:?} contains {bad:?}"));
    }
    let port = match port {
        None | Some("") => default_port,
        Some(text) => parse_port(text)?,
    };
    Ok(UrlParts {
        https,
        host,
        port,
        path,
    })
}

/// `host[:port]` or `[v6]:port` into the host and the port's text.
fn split_port(host_port: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(bracketed) = host_port.strip_prefix('[') {
        let Some((host, after)) = bracketed.split_once(']') else {
            return Err(format!("the host {host_port:?} has no closing `]`"));
        };
        if !host
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("{host:?} is not an IPv6 address"));
        }
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(format!("unexpected {after:?} after the address [{host}]")),
            },
        };
    }
    Ok(match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    })
}

fn parse_port(text: &str) -> Result<u16, String> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the port {text:?} is not a number"));
    }
    match text.parse::<u16>() {
        Ok(0) => Err("port 0 cannot be connected to".to_owned()),
        Ok(port) => Ok(port),
        Err(_) => Err(format!("the port {text} is more than 65535")),
    }
}

/// `url` with an empty path before a query written as `/` (`http://h?q` →
/// `http://h/?q`; the same resource, RFC 9110 section 4.2.3), so that the path and
/// query are one slice of it.
pub(super) fn normalise(mut url: String) -> String {
    if let Some(scheme_end) = url.find("://") {
        let authority = scheme_end + 3;
        if let Some(end) = url[authority..]
            .find(['/', '?', '#'])
            .map(|i| i + authority)
            && url[end..].starts_with('?')
        {
            url.insert(end, '/');
        }
    }
    url
}
