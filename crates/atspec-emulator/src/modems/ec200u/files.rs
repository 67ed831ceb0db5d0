//! The module's own file system, in memory: UFS (internal flash) and the SD card, each a
//! flat set of named files with a capacity, and the handles AT+QFOPEN hands out.
//!
//! The FTP(S) note only shows names with a storage prefix (`"UFS:test1.txt"`,
//! `"SD:test_sd.txt"`); its document [4] (the FILE application note) was not available,
//! so the limits and error numbers below come from the sibling modules' FILE manuals and
//! are UNCONFIRMED for the EC200U: names up to 80 bytes, at most [`MAX_OPEN`] open files,
//! and the Quectel FILE error codes of [`FileError`]. The capacities are chosen.

use std::collections::BTreeMap;

use atspec_ec200u::support::FileOpenMode;

/// UFS capacity (chosen: room for a few 1 MiB transfers).
pub(super) const UFS_CAPACITY: usize = 8 << 20;
/// SD card capacity (chosen).
pub(super) const SD_CAPACITY: usize = 32 << 20;
/// Longest file name with its prefix (AT+QFUPL, AT+QFDEL, AT+QFOPEN: 80 bytes).
pub(super) const MAX_NAME: usize = 80;
/// Most files open at once (chosen; sibling modules allow a handful).
pub(super) const MAX_OPEN: usize = 8;

/// Quectel FILE error codes (`+CME ERROR: <err>`), as numbered in the sibling modules'
/// FILE manuals (UNCONFIRMED for the EC200U).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileError {
    /// 400: a parameter out of range.
    InvalidInput,
    /// 403: not enough room on the storage.
    DriveFull,
    /// 404: no such file.
    NotFound,
    /// 405: a name without a known storage, too long, or empty.
    InvalidName,
    /// 406: AT+QFUPL to a name that is taken.
    AlreadyExists,
    /// 411: too many files open.
    TooManyOpen,
    /// 413: no open file has this handle.
    InvalidHandle,
    /// 421: the file is open (it cannot be deleted or replaced meanwhile).
    AlreadyOpen,
}

impl FileError {
    /// The number sent in `+CME ERROR: <err>`.
    pub(super) fn code(self) -> u16 {
        match self {
            Self::InvalidInput => 400,
            Self::DriveFull => 403,
            Self::NotFound => 404,
            Self::InvalidName => 405,
            Self::AlreadyExists => 406,
            Self::TooManyOpen => 411,
            Self::InvalidHandle => 413,
            Self::AlreadyOpen => 421,
        }
    }
}

/// Where a file lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Storage {
    Ufs,
    Sd,
}

impl Storage {
    fn prefix(self) -> &'static str {
        match self {
            Self::Ufs => "UFS:",
            Self::Sd => "SD:",
        }
    }

    fn capacity(self) -> usize {
        match self {
            Self::Ufs => UFS_CAPACITY,
            Self::Sd => SD_CAPACITY,
        }
    }

    /// The storage a name's prefix names, and the rest; a name without a prefix is in
    /// UFS, the module's default storage. Prefixes are matched without regard to case.
    fn split(name: &str) -> Option<(Self, &str)> {
        match name.split_once(':') {
            None => Some((Self::Ufs, name)),
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("UFS") => Some((Self::Ufs, rest)),
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("SD") => Some((Self::Sd, rest)),
            Some(_) => None,
        }
    }
}

/// A file's full name: its storage and its name there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct LocalName {
    storage: Storage,
    name: String,
}

impl LocalName {
    /// `"UFS:list.txt"`, `"SD:a.bin"` or a bare UFS name; [`FileError::InvalidName`] for
    /// another prefix, an empty name, a `/` in it, or more than `max_len` bytes.
    pub(super) fn parse(text: &str, max_len: usize) -> Result<Self, FileError> {
        let (storage, name) = Storage::split(text).ok_or(FileError::InvalidName)?;
        if name.is_empty() || name.contains(['/', '\\', '*']) || text.len() > max_len {
            return Err(FileError::InvalidName);
        }
        Ok(Self {
            storage,
            name: name.to_owned(),
        })
    }
}

impl std::fmt::Display for LocalName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.storage.prefix(), self.name)
    }
}

/// One file AT+QFOPEN opened.
#[derive(Debug)]
pub(super) struct OpenFile {
    pub(super) name: LocalName,
    pub(super) mode: FileOpenMode,
    position: usize,
}

/// The files and the open handles.
#[derive(Debug, Default)]
pub(super) struct ModuleFiles {
    files: BTreeMap<LocalName, Vec<u8>>,
    open: BTreeMap<u32, OpenFile>,
    last_handle: u32,
}

impl ModuleFiles {
    fn used(&self, storage: Storage) -> usize {
        self.files
            .iter()
            .filter(|(name, _)| name.storage == storage)
            .map(|(_, data)| data.len())
            .sum()
    }

    /// Bytes still free on `name`'s storage if `name` were replaced.
    pub(super) fn room_for(&self, name: &LocalName) -> usize {
        let replaced = self.files.get(name).map_or(0, Vec::len);
        name.storage
            .capacity()
            .saturating_sub(self.used(name.storage) - replaced)
    }

    fn is_open(&self, name: &LocalName) -> bool {
        self.open.values().any(|f| &f.name == name)
    }

    /// The file's bytes.
    pub(super) fn get(&self, name: &LocalName) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }

    /// Whether `name` exists.
    pub(super) fn contains(&self, name: &LocalName) -> bool {
        self.files.contains_key(name)
    }

    /// Stores `data` as `name`, replacing a file of that name unless it is open.
    pub(super) fn store(&mut self, name: &LocalName, data: Vec<u8>) -> Result<(), FileError> {
        if self.is_open(name) {
            return Err(FileError::AlreadyOpen);
        }
        if data.len() > self.room_for(name) {
            return Err(FileError::DriveFull);
        }
        self.files.insert(name.clone(), data);
        Ok(())
    }

    /// The files `pattern` matches (`"UFS:*"`, `"SD:*.txt"`, `"*"` for UFS, or one
    /// name), with their sizes, in name order.
    pub(super) fn list(&self, pattern: &str) -> Vec<(String, usize)> {
        let Some((storage, glob)) = Storage::split(pattern) else {
            return Vec::new();
        };
        self.files
            .iter()
            .filter(|(name, _)| name.storage == storage && wildcard(glob, &name.name))
            .map(|(name, data)| (name.to_string(), data.len()))
            .collect()
    }

    /// Deletes the files `pattern` matches; [`FileError::NotFound`] when none does,
    /// [`FileError::AlreadyOpen`] (and nothing deleted) when one of them is open.
    pub(super) fn delete(&mut self, pattern: &str) -> Result<usize, FileError> {
        let (storage, glob) = Storage::split(pattern).ok_or(FileError::InvalidName)?;
        let doomed: Vec<LocalName> = self
            .files
            .keys()
            .filter(|name| name.storage == storage && wildcard(glob, &name.name))
            .cloned()
            .collect();
        if doomed.is_empty() {
            // `"*"` on an empty storage deletes nothing and is no error.
            return if glob.contains('*') {
                Ok(0)
            } else {
                Err(FileError::NotFound)
            };
        }
        if doomed.iter().any(|name| self.is_open(name)) {
            return Err(FileError::AlreadyOpen);
        }
        for name in &doomed {
            self.files.remove(name);
        }
        Ok(doomed.len())
    }

    /// Opens `name` as `mode` asks and returns its handle.
    pub(super) fn open(&mut self, name: LocalName, mode: FileOpenMode) -> Result<u32, FileError> {
        if self.open.len() >= MAX_OPEN {
            return Err(FileError::TooManyOpen);
        }
        match mode {
            FileOpenMode::ReadOnly if !self.contains(&name) => return Err(FileError::NotFound),
            FileOpenMode::ReadOnly => {}
            FileOpenMode::CreateOrTruncate => {
                if self.is_open(&name) {
                    return Err(FileError::AlreadyOpen);
                }
                self.files.insert(name.clone(), Vec::new());
            }
            _ => {
                self.files.entry(name.clone()).or_default();
            }
        }
        // Handles are never reused, so a stale handle cannot reach another file.
        self.last_handle = self.last_handle.wrapping_add(1).max(1);
        let handle = self.last_handle;
        self.open.insert(
            handle,
            OpenFile {
                name,
                mode,
                position: 0,
            },
        );
        Ok(handle)
    }

    /// The open files, by handle.
    pub(super) fn open_files(&self) -> impl Iterator<Item = (u32, &OpenFile)> {
        self.open.iter().map(|(handle, file)| (*handle, file))
    }

    /// Reads up to `len` bytes (the rest of the file when `None`) from the handle's
    /// position and moves the position past them.
    pub(super) fn read(&mut self, handle: u32, len: Option<u32>) -> Result<Vec<u8>, FileError> {
        let file = self.open.get_mut(&handle).ok_or(FileError::InvalidHandle)?;
        let data = self.files.get(&file.name).map_or(&[][..], Vec::as_slice);
        let start = file.position.min(data.len());
        let want = len.map_or(usize::MAX, |l| l as usize);
        let end = start.saturating_add(want).min(data.len());
        file.position = end;
        Ok(data[start..end].to_vec())
    }

    /// Closes the handle.
    pub(super) fn close(&mut self, handle: u32) -> Result<(), FileError> {
        self.open
            .remove(&handle)
            .map(drop)
            .ok_or(FileError::InvalidHandle)
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters and `?`
/// for one (case-sensitive, as the stored names are).
fn wildcard(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Greedy match with one backtrack point: the last `*` seen.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> LocalName {
        LocalName::parse(text, MAX_NAME).unwrap()
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("*", "a.txt"));
        assert!(wildcard("*.txt", "a.txt"));
        assert!(!wildcard("*.txt", "a.bin"));
        assert!(wildcard("t?st*", "test_ufs.txt"));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "axxbyy"));
        assert!(wildcard("a.txt", "a.txt"));
        assert!(!wildcard("", "a"));
    }

    #[test]
    fn names_and_storages() {
        assert_eq!(name("UFS:a.txt").to_string(), "UFS:a.txt");
        assert_eq!(name("a.txt").to_string(), "UFS:a.txt");
        assert_eq!(name("sd:a.txt").to_string(), "SD:a.txt");
        for bad in ["RAM:a", "UFS:", "UFS:a/b", "COM:"] {
            assert_eq!(LocalName::parse(bad, MAX_NAME), Err(FileError::InvalidName));
        }
        let long = format!("UFS:{}", "x".repeat(77));
        assert_eq!(
            LocalName::parse(&long, MAX_NAME),
            Err(FileError::InvalidName)
        );
    }

    #[test]
    fn store_list_read_delete() {
        let mut fs = ModuleFiles::default();
        fs.store(&name("UFS:b.txt"), b"0123456789".to_vec())
            .unwrap();
        fs.store(&name("SD:c.txt"), b"x".to_vec()).unwrap();
        assert_eq!(fs.list("UFS:*"), vec![("UFS:b.txt".to_owned(), 10)]);
        assert_eq!(fs.list("SD:*"), vec![("SD:c.txt".to_owned(), 1)]);
        let handle = fs.open(name("UFS:b.txt"), FileOpenMode::ReadOnly).unwrap();
        assert_eq!(fs.read(handle, Some(4)).unwrap(), b"0123");
        assert_eq!(fs.read(handle, None).unwrap(), b"456789");
        assert_eq!(fs.read(handle, Some(4)).unwrap(), b"");
        assert_eq!(fs.delete("UFS:b.txt"), Err(FileError::AlreadyOpen));
        fs.close(handle).unwrap();
        assert_eq!(fs.close(handle), Err(FileError::InvalidHandle));
        assert_eq!(fs.delete("UFS:b.txt"), Ok(1));
        assert_eq!(fs.delete("UFS:b.txt"), Err(FileError::NotFound));
        assert_eq!(fs.delete("UFS:*"), Ok(0));
        assert_eq!(
            fs.open(name("UFS:none"), FileOpenMode::ReadOnly),
            Err(FileError::NotFound)
        );
    }

    #[test]
    fn capacity_is_enforced() {
        let mut fs = ModuleFiles::default();
        let big = name("UFS:big");
        fs.store(&big, vec![0; UFS_CAPACITY]).unwrap();
        assert_eq!(
            fs.store(&name("UFS:one"), vec![0]),
            Err(FileError::DriveFull)
        );
        // Replacing a file frees its old bytes first.
        fs.store(&big, vec![1; UFS_CAPACITY]).unwrap();
        fs.store(&name("SD:one"), vec![0]).unwrap();
    }

    #[test]
    fn handles_are_limited() {
        let mut fs = ModuleFiles::default();
        for i in 0..MAX_OPEN {
            fs.open(name(&format!("f{i}")), FileOpenMode::CreateOrOpen)
                .unwrap();
        }
        assert_eq!(
            fs.open(name("one_more"), FileOpenMode::CreateOrOpen),
            Err(FileError::TooManyOpen)
        );
    }
}
