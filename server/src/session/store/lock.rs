//! The spec's lock and the changes made under it.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::{
    ARCHIVE_DIR, CONTEXT_EXT, LOG_EXT, MCP_CONFIG_EXT, RECORD_EXT, SPEC_COPY_EXT, SessionStore,
    StoreError, files, parse_record,
};
use crate::session::record::SessionRecord;

/// The spec's lock, held until this value is dropped. Every change to the
/// spec's sessions goes through it.
#[derive(Debug)]
pub struct SpecLock<'s> {
    store: &'s SessionStore,
    spec_id: String,
    file: File,
}

impl Drop for SpecLock<'_> {
    fn drop(&mut self) {
        // Closing the file releases the lock too; this only does it sooner.
        let _ = self.file.unlock();
    }
}

impl<'s> SpecLock<'s> {
    pub(super) fn new(store: &'s SessionStore, spec_id: &str, file: File) -> SpecLock<'s> {
        SpecLock {
            store,
            spec_id: spec_id.to_string(),
            file,
        }
    }

    pub fn spec_id(&self) -> &str {
        &self.spec_id
    }

    /// Starts a session: refuses with [`StoreError::Held`] while an active
    /// or paused session holds the spec (unless `allow_parallel`), else
    /// gives `make` the next id and writes the record it returns.
    pub fn start(
        &self,
        allow_parallel: bool,
        make: impl FnOnce(String) -> SessionRecord,
    ) -> Result<SessionRecord, StoreError> {
        if !allow_parallel && let Some(open) = self.store.open_session(&self.spec_id)? {
            return Err(StoreError::Held { id: open.id });
        }
        let id = self.store.next_id(&self.spec_id, &self.store.now())?;
        let record = make(id.clone());
        if record.id != id {
            return Err(StoreError::IdChanged {
                from: id,
                to: record.id,
            });
        }
        self.write(&record)?;
        Ok(record)
    }

    /// Reads the record, sets its `updatedAt` to now, lets `change` change
    /// it, and writes it back. Refuses a record that cannot be read.
    pub fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut SessionRecord),
    ) -> Result<SessionRecord, StoreError> {
        let mut record = self.store.read(&self.spec_id, id)?;
        record.updated_at = self.store.now().to_string();
        change(&mut record);
        if record.id != id {
            return Err(StoreError::IdChanged {
                from: id.to_string(),
                to: record.id,
            });
        }
        self.write(&record)?;
        Ok(record)
    }

    /// Writes a record at the path of its id, atomically. Refuses when a
    /// record that cannot be read is there.
    pub fn write(&self, record: &SessionRecord) -> Result<PathBuf, StoreError> {
        let path = self.store.record_path(&self.spec_id, &record.id)?;
        if let Some(bytes) = files::read_if_present(&path)? {
            parse_record(&path, &record.id, &bytes)?;
        }
        self.write_file(&path, record.to_json().as_bytes())?;
        Ok(path)
    }

    /// Writes the context load handed to the session's agent.
    pub fn write_context(&self, id: &str, text: &str) -> Result<PathBuf, StoreError> {
        let path = self.store.context_path(&self.spec_id, id)?;
        self.write_file(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Keeps the spec's text as it was when the session started, beside its
    /// record, for the resume context's diff.
    pub fn write_spec_copy(&self, id: &str, text: &str) -> Result<PathBuf, StoreError> {
        let path = self.store.spec_copy_path(&self.spec_id, id)?;
        self.write_file(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Writes the MCP client configuration handed to the session's agent.
    pub fn write_mcp_config(&self, id: &str, text: &str) -> Result<PathBuf, StoreError> {
        let path = self.store.mcp_config_path(&self.spec_id, id)?;
        self.write_file(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Moves the finished (completed or failed) sessions beyond the newest
    /// `keep` into `archive/`, with their context loads, logs and spec
    /// copies. Returns
    /// the ids moved, newest first. Unreadable records stay where they are.
    pub fn retain(&self, keep: usize) -> Result<Vec<String>, StoreError> {
        let listing = self.store.list(&self.spec_id)?;
        let old: Vec<String> = listing
            .records
            .into_iter()
            .filter(|record| !record.status.is_open())
            .skip(keep)
            .map(|record| record.id)
            .collect();
        if old.is_empty() {
            return Ok(old);
        }
        let folder = self.store.spec_dir(&self.spec_id)?;
        let archive = folder.join(ARCHIVE_DIR);
        self.store.create_folder(&archive)?;
        for id in &old {
            archive_session(&folder, &archive, id)?;
        }
        files::sync_folder(&archive)?;
        files::sync_folder(&folder)?;
        Ok(old)
    }

    fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        if let Some(folder) = path.parent() {
            self.store.create_folder(folder)?;
        }
        files::write_atomically(path, bytes)
    }
}

/// Moves a session's files from `folder` to `archive`: its record first,
/// so that a crash part way leaves at worst a context load behind. Refuses
/// before moving anything when one of them is already in the archive.
fn archive_session(folder: &Path, archive: &Path, id: &str) -> Result<(), StoreError> {
    let moves: Vec<(PathBuf, PathBuf)> = [
        RECORD_EXT,
        CONTEXT_EXT,
        LOG_EXT,
        SPEC_COPY_EXT,
        MCP_CONFIG_EXT,
    ]
    .iter()
    .map(|ext| format!("{id}{ext}"))
    .map(|name| (folder.join(&name), archive.join(name)))
    .filter(|(from, _)| from.exists())
    .collect();
    if let Some((_, to)) = moves.iter().find(|(_, to)| to.exists()) {
        return Err(StoreError::InArchive { path: to.clone() });
    }
    moves
        .iter()
        .try_for_each(|(from, to)| files::move_file(from, to))
}
