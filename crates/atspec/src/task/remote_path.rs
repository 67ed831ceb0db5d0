//! A file or directory path on an FTP server, split the way modems take it: many
//! want the directory and the name as separate parameters.

/// A remote path, checked and split into its directory and name.
///
/// For a file, the directory is everything up to and including the last `/`; a
/// bare name lives in `/`, the directory a login starts in on the servers modems
/// talk to. For a [directory](Self::directory), the directory is the path itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePath {
    path: String,
    dir: String,
    name: String,
}

impl RemotePath {
    /// Checks a file's `path`: not empty, not a directory (ending in `/`), no line
    /// breaks or NUL (they would end the AT command line).
    pub fn new(path: &str) -> Result<Self, String> {
        if path.is_empty() {
            return Err("the path is empty".to_owned());
        }
        carried(path)?;
        if path.ends_with('/') {
            return Err(format!("`{path}` names a directory, not a file"));
        }
        let split = path.rfind('/').map_or(0, |at| at + 1);
        Ok(Self {
            path: path.to_owned(),
            dir: match split {
                0 => "/".to_owned(),
                n => path[..n].to_owned(),
            },
            name: path[split..].to_owned(),
        })
    }

    /// Checks a directory's `path` (not empty, no line breaks or NUL). A trailing
    /// `/` is dropped except for the root, so that [`path`](Self::path) is the
    /// directory as `MKD` and `RMD` take it (`/pub/in`), [`dir`](Self::dir) ends in
    /// `/` (`/pub/in/`) and [`name`](Self::name) is its last part (`in`; empty for
    /// `/`).
    pub fn directory(path: &str) -> Result<Self, String> {
        if path.is_empty() {
            return Err("the directory is empty".to_owned());
        }
        carried(path)?;
        let trimmed = match path.trim_end_matches('/') {
            "" => "/",
            t => t,
        };
        let name = match trimmed {
            "/" => "",
            t => &t[t.rfind('/').map_or(0, |at| at + 1)..],
        };
        Ok(Self {
            path: trimmed.to_owned(),
            dir: if trimmed == "/" {
                "/".to_owned()
            } else {
                format!("{trimmed}/")
            },
            name: name.to_owned(),
        })
    }

    /// The whole path (for a directory, without a trailing `/`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The directory, ending in `/`: `/pub/` for the file `/pub/a.bin`, `/` for
    /// `a.bin`, `/pub/in/` for the directory `/pub/in`.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// The last part: `a.bin` for `/pub/a.bin`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Refuses what no AT command line can carry.
fn carried(path: &str) -> Result<(), String> {
    match path.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
        Some(bad) => Err(format!(
            "the path holds {bad:?}, which no AT command line can carry"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::RemotePath;

    #[test]
    fn splits_directory_and_name() {
        let p = RemotePath::new("/pub/data/a.bin").unwrap();
        assert_eq!((p.dir(), p.name()), ("/pub/data/", "a.bin"));
        let p = RemotePath::new("a.bin").unwrap();
        assert_eq!((p.dir(), p.name(), p.path()), ("/", "a.bin", "a.bin"));
        let p = RemotePath::new("up/a.bin").unwrap();
        assert_eq!((p.dir(), p.name()), ("up/", "a.bin"));
    }

    #[test]
    fn refuses_what_no_command_can_carry() {
        assert!(RemotePath::new("").unwrap_err().contains("empty"));
        assert!(RemotePath::new("/pub/").unwrap_err().contains("directory"));
        assert!(RemotePath::new("a\r\nAT+X").unwrap_err().contains("\\r"));
        assert!(RemotePath::directory("").unwrap_err().contains("empty"));
        assert!(RemotePath::directory("/in\n").unwrap_err().contains("\\n"));
    }

    #[test]
    fn directories_drop_a_trailing_slash() {
        let p = RemotePath::directory("/pub/in/").unwrap();
        assert_eq!((p.path(), p.dir(), p.name()), ("/pub/in", "/pub/in/", "in"));
        let p = RemotePath::directory("/").unwrap();
        assert_eq!((p.path(), p.dir(), p.name()), ("/", "/", ""));
        let p = RemotePath::directory("new").unwrap();
        assert_eq!((p.path(), p.dir(), p.name()), ("new", "new/", "new"));
    }
}
