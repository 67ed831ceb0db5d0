//! The module's own file system, in memory.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use atspec_a76xx::ftps::LocalDir;

/// The module's own file system (AT+CFTPSGETFILE saves to it, AT+CFTPSPUTFILE reads from
/// it): files by local directory and name, in memory. Clones share the files, so a test
/// keeps a handle while the behaviour runs.
#[derive(Debug, Clone, Default)]
pub struct ModuleFiles(Arc<Mutex<FileMap>>);

/// Files by (local directory code, name).
type FileMap = BTreeMap<(u8, String), Vec<u8>>;

impl ModuleFiles {
    /// The file `name` in `dir`, if there is one.
    pub fn get(&self, dir: LocalDir, name: &str) -> Option<Vec<u8>> {
        self.lock().get(&(dir.code(), name.to_owned())).cloned()
    }

    /// Stores `data` as `name` in `dir`, replacing any file of that name.
    pub fn put(&self, dir: LocalDir, name: &str, data: Vec<u8>) {
        self.lock().insert((dir.code(), name.to_owned()), data);
    }

    fn lock(&self) -> MutexGuard<'_, FileMap> {
        // A panicked holder leaves a consistent map: every update is one insert.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The name a remote path's file has in the module's file system (the last part).
pub(super) fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
