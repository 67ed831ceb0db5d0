//! Where a redirect's `Location` points.

use hyper::Uri;

use super::{HttpClientError, HttpErrorKind, HttpResult};

/// The absolute URL `location` designates, relative to `base`.
pub(super) fn resolve(base: &Uri, location: &str) -> HttpResult<String> {
    if location.starts_with("http://") || location.starts_with("https://") {
        return Ok(location.to_owned());
    }
    let scheme = base.scheme_str().unwrap_or("http");
    let authority = base.authority().map_or("", |a| a.as_str());
    if let Some(rest) = location.strip_prefix("//") {
        return Ok(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    if location.is_empty() {
        return Err(HttpClientError::new(
            HttpErrorKind::Redirect,
            "empty Location",
        ));
    }
    let path = base.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    Ok(format!("{scheme}://{authority}{dir}{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_locations() {
        let base: Uri = "http://127.0.0.1:8080/a/b?x=1".parse().unwrap();
        assert_eq!(resolve(&base, "/get").unwrap(), "http://127.0.0.1:8080/get");
        assert_eq!(resolve(&base, "c").unwrap(), "http://127.0.0.1:8080/a/c");
        assert_eq!(resolve(&base, "https://h/x").unwrap(), "https://h/x");
        assert_eq!(resolve(&base, "//h:1/y").unwrap(), "http://h:1/y");
        assert!(resolve(&base, "").is_err());
    }
}
