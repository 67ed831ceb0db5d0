//! A file path on an FTP server, split the way modems take it: many want the
//! directory and the file name as separate parameters.

/// A remote file path, checked and split into its directory and file name.
///
/// The directory is everything up to and including the last `/`; a bare name
/// lives in `/`, the directory a login starts in on the servers modems talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePath {
    path: String,
    split: usize,
}

impl RemotePath {
    /// Checks `path`: not empty, not a directory (ending in `/`), no line breaks
    /// or NUL (they would end the AT command line).
    pub fn new(path: &str) -> Result<Self, String> {
        if path.is_empty() {
            return Err("the path is empty".to_owned());
        }
        if let Some(bad) = path.chars().find(|c| matches!(c, '\r' | '\n' | '\0')) {
            return Err(format!(
                "the path holds {:?}, which no AT command line can carry",
                bad
            ));
        }
        if path.ends_with('/') {
            return Err(format!("`{path}` names a directory, not a file"));
        }
        let split = path.rfind('/').map_or(0, |at| at + 1);
        Ok(Self {
            path: path.to_owned(),
            split,
        })
    }

    /// The whole path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The directory, ending in `/`: `/pub/` for `/pub/a.bin`, `/` for `a.bin`.
    pub fn dir(&self) -> &str {
        match self.split {
            0 => "/",
            n => &self.path[..n],
        }
    }

    /// The file name: `a.bin` for `/pub/a.bin`.
    pub fn name(&self) -> &str {
        &self.path[self.split..]
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
    }
}
