//! The module's file system, as the FTP file-system commands see it (AT+FTPGETTOFS,
//! AT+FTPPUTFRMFS, AT+FTPEXTGET=2, AT+FTPFILEPUT): a small in-memory store of files that
//! a test can fill before and inspect after.
//!
//! Paths: AT+FTPGETTOFS and AT+FTPEXTGET=2 store under the internal flash's FTP folder,
//! which the application note writes `c:\user\ftp\` (3.22 to 3.24); the AT manual names
//! the drive `Disk1:` as AT+FSDRIVE reports it, so both spellings name it here. Names are
//! compared without regard to case (a FAT file system). The emulated module has no SD
//! card: AT+FTPGETTOFS=1,... fails with 85 (file-system error).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The internal flash's FTP folder, where downloads into the file system land.
pub const FTP_FOLDER: &str = r"c:\user\ftp\";

/// Flash space for files when none is given. The manuals state no size; 1 MiB holds the
/// application note's 174125-byte example several times.
pub const DEFAULT_CAPACITY: usize = 1024 * 1024;

/// The module's file system; clones share the same files.
#[derive(Debug, Clone)]
pub struct ModuleFs {
    inner: Arc<Mutex<Files>>,
}

#[derive(Debug)]
struct Files {
    files: BTreeMap<String, Vec<u8>>,
    capacity: usize,
}

/// Why a file-system operation failed (the module reports 85 for all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    /// The file does not exist.
    NotFound,
    /// The flash is full.
    Full,
    /// The path names no drive the module has (an SD card, another drive).
    NoSuchDrive,
}

impl Default for ModuleFs {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl ModuleFs {
    /// An empty file system with [`DEFAULT_CAPACITY`] bytes of space.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty file system with `capacity` bytes of space.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Files {
                files: BTreeMap::new(),
                capacity,
            })),
        }
    }

    fn files(&self) -> MutexGuard<'_, Files> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores `data` as `path` (replacing a file of that name).
    pub fn write(&self, path: &str, data: &[u8]) -> Result<(), FsError> {
        let key = key(path)?;
        let mut files = self.files();
        let others: usize = files
            .files
            .iter()
            .filter(|(name, _)| **name != key)
            .map(|(_, f)| f.len())
            .sum();
        if others + data.len() > files.capacity {
            return Err(FsError::Full);
        }
        files.files.insert(key, data.to_vec());
        Ok(())
    }

    /// Appends `data` to `path`, creating it.
    pub fn append(&self, path: &str, data: &[u8]) -> Result<(), FsError> {
        let key = key(path)?;
        let mut files = self.files();
        if files.used() + data.len() > files.capacity {
            return Err(FsError::Full);
        }
        files.files.entry(key).or_default().extend_from_slice(data);
        Ok(())
    }

    /// The contents of `path`.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, FsError> {
        let key = key(path)?;
        self.files()
            .files
            .get(&key)
            .cloned()
            .ok_or(FsError::NotFound)
    }

    /// Deletes `path`; `false` when there was no such file.
    pub fn remove(&self, path: &str) -> bool {
        key(path).is_ok_and(|key| self.files().files.remove(&key).is_some())
    }

    /// Every file's path (lower case, `\` separators), sorted.
    pub fn paths(&self) -> Vec<String> {
        self.files().files.keys().cloned().collect()
    }

    /// Bytes used by all files.
    pub fn used(&self) -> usize {
        self.files().used()
    }
}

impl Files {
    fn used(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// The path of `name` in the FTP folder.
pub(super) fn in_ftp_folder(name: &str) -> String {
    format!("{FTP_FOLDER}{name}")
}

/// The stored form of `path`: lower case, `\` separators, `disk1:` written `c:`; only the
/// internal drive exists.
fn key(path: &str) -> Result<String, FsError> {
    let path = path.trim().replace('/', "\\").to_lowercase();
    let path = match path.strip_prefix("disk1:") {
        Some(rest) => format!("c:{rest}"),
        None => path,
    };
    if !path.starts_with("c:\\") || path.len() <= 3 || path.ends_with('\\') {
        return Err(FsError::NoSuchDrive);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_ignore_case_and_drive_spelling() {
        let fs = ModuleFs::with_capacity(10);
        fs.write(r"C:\User\FTP\a.txt", b"12345").unwrap();
        assert_eq!(fs.read(r"disk1:\user\ftp\A.TXT").unwrap(), b"12345");
        assert_eq!(fs.read(r"d:\ftp\a.txt"), Err(FsError::NoSuchDrive));
        assert_eq!(fs.write(r"c:\b", b"123456"), Err(FsError::Full));
        // Replacing a file frees its old space first.
        fs.write(r"c:\user\ftp\a.txt", b"0123456789").unwrap();
        assert_eq!(fs.append(r"c:\c", b"x"), Err(FsError::Full));
        assert!(fs.remove(r"c:\user\ftp\a.txt"));
        assert_eq!(fs.used(), 0);
    }
}
