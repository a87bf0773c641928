//! The session records on disk (DESIGN §6):
//!
//! ```text
//! .smallbatch/sessions/<spec-id>/<session-id>.json        the record
//! .smallbatch/sessions/<spec-id>/<session-id>.context.md  the context load
//! .smallbatch/sessions/<spec-id>/<session-id>.log         the agent's output
//! .smallbatch/sessions/<spec-id>/<session-id>.spec.md     the spec's text at the start
//! .smallbatch/sessions/<spec-id>/archive/                 finished records beyond `keep`
//! .smallbatch/sessions/<spec-id>.lock                     held while a command changes them
//! ```
//!
//! Reads need no lock: every write is atomic, so a reader sees a whole
//! record. Changes go through a [`SpecLock`], which holds the spec's lock
//! file for as long as it lives. A record that does not parse is reported
//! by [`SessionStore::list`] and is never overwritten or moved. The store
//! writes only what it is given: it reads no environment variables.

mod error;
mod files;
mod listing;
mod lock;
mod names;

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use error::StoreError;
pub use listing::{Listing, Unreadable};
use listing::{list_folder, parse_record};
pub use lock::SpecLock;
pub use names::{MAX_NAME_LEN, NameKind, folder_name};

use crate::session::clock::{Clock, SystemClock, Timestamp};
use crate::session::record::SessionRecord;

/// Where the sessions live, from the workspace root.
pub const SESSIONS_DIR: &str = ".smallbatch/sessions";
/// The folder of a spec's archived sessions, inside the spec's folder.
pub const ARCHIVE_DIR: &str = "archive";

const RECORD_EXT: &str = ".json";
const CONTEXT_EXT: &str = ".context.md";
const LOG_EXT: &str = ".log";
const SPEC_COPY_EXT: &str = ".spec.md";
const MCP_CONFIG_EXT: &str = ".mcp.json";
const LOCK_EXT: &str = ".lock";
/// The lock `smallbatch run` holds while an agent works on the spec, in
/// the spec's folder (no session file has this name).
const RUN_LOCK: &str = "run.lock";

/// The sessions of a workspace.
pub struct SessionStore {
    /// The workspace root: nothing is written outside its `.smallbatch/`.
    root: PathBuf,
    dir: PathBuf,
    clock: Arc<dyn Clock>,
    /// Told when a command waits for a spec's lock.
    notices: Arc<dyn Fn(&str) + Send + Sync>,
    /// How long [`SessionStore::lock`] waits for another command.
    patience: Duration,
}

/// How long a command waits for another one to let go of a spec's lock
/// before it gives up: lock holders write a few files, never run a
/// pipeline or an agent, so this is long.
pub const LOCK_PATIENCE: Duration = Duration::from_secs(30);

/// After this long waiting for a lock, a command says it is waiting.
const LOCK_NOTICE_AFTER: Duration = Duration::from_secs(1);

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SessionStore {
    /// The store of the workspace at `root`, on the system clock.
    pub fn new(root: &Path) -> SessionStore {
        SessionStore::with_clock(root, Arc::new(SystemClock))
    }

    /// The store of the workspace at `root`, reading the time from `clock`
    /// (for session ids and `updatedAt`).
    pub fn with_clock(root: &Path, clock: Arc<dyn Clock>) -> SessionStore {
        SessionStore {
            root: root.to_path_buf(),
            dir: root.join(SESSIONS_DIR),
            clock,
            notices: Arc::new(|text| tracing::info!("{text}")),
            patience: LOCK_PATIENCE,
        }
    }

    /// The same store, saying through `notices` when it waits for a lock.
    pub fn with_notices(mut self, notices: Arc<dyn Fn(&str) + Send + Sync>) -> SessionStore {
        self.notices = notices;
        self
    }

    /// The same store, waiting at most `patience` for a spec's lock.
    pub fn with_patience(mut self, patience: Duration) -> SessionStore {
        self.patience = patience;
        self
    }

    /// `.smallbatch/sessions` under the root.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The time on the store's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The folder of a spec's sessions: its id encoded by [`folder_name`].
    pub fn spec_dir(&self, spec_id: &str) -> Result<PathBuf, StoreError> {
        names::validate(NameKind::Spec, spec_id)?;
        Ok(self.dir.join(folder_name(spec_id)))
    }

    /// `<spec-id>/<session-id>.json`.
    pub fn record_path(&self, spec_id: &str, id: &str) -> Result<PathBuf, StoreError> {
        self.session_file(spec_id, id, RECORD_EXT)
    }

    /// `<spec-id>/<session-id>.context.md`.
    pub fn context_path(&self, spec_id: &str, id: &str) -> Result<PathBuf, StoreError> {
        self.session_file(spec_id, id, CONTEXT_EXT)
    }

    /// `<spec-id>/<session-id>.log`.
    pub fn log_path(&self, spec_id: &str, id: &str) -> Result<PathBuf, StoreError> {
        self.session_file(spec_id, id, LOG_EXT)
    }

    /// `<spec-id>/<session-id>.spec.md`: the spec's text when the session
    /// started, for the resume context's diff.
    pub fn spec_copy_path(&self, spec_id: &str, id: &str) -> Result<PathBuf, StoreError> {
        self.session_file(spec_id, id, SPEC_COPY_EXT)
    }

    /// The spec's text when the session started, when its copy is there.
    pub fn read_spec_copy(&self, spec_id: &str, id: &str) -> Result<Option<String>, StoreError> {
        let path = self.spec_copy_path(spec_id, id)?;
        Ok(
            files::read_if_present(&path)?
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        )
    }

    /// `<spec-id>/<session-id>.mcp.json`: the MCP client configuration
    /// `run` hands an agent.
    pub fn mcp_config_path(&self, spec_id: &str, id: &str) -> Result<PathBuf, StoreError> {
        self.session_file(spec_id, id, MCP_CONFIG_EXT)
    }

    /// Opens the session's log for appending (the agent's output, written
    /// as it comes; not a record, so not atomic). Refuses symbolic links.
    pub fn open_log(
        &self,
        spec_id: &str,
        id: &str,
    ) -> Result<(std::fs::File, PathBuf), StoreError> {
        let path = self.log_path(spec_id, id)?;
        if let Some(folder) = path.parent() {
            self.create_folder(folder)?;
        }
        files::refuse_symlink(&path)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|source| StoreError::io("open", &path, source))?;
        Ok((file, path))
    }

    fn session_file(&self, spec_id: &str, id: &str, ext: &str) -> Result<PathBuf, StoreError> {
        names::validate(NameKind::Session, id)?;
        Ok(self.spec_dir(spec_id)?.join(format!("{id}{ext}")))
    }

    /// Creates `.smallbatch/sessions/` (refusing symbolic links on the way)
    /// with its `.gitignore`.
    /// Replaces a file outside the store (a spec's text) atomically, keeping
    /// its permissions; `path` is real (links followed). The temporary file
    /// is made in the store's folder, whose `.gitignore` keeps it out of
    /// commits, so a killed write leaves no copy beside the file; only when
    /// that folder cannot be made or is on another file system, beside it.
    pub fn replace_file(&self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        let temps = self.ensure_dir().is_ok().then_some(self.dir.as_path());
        files::replace_file(path, bytes, temps)
    }

    pub fn ensure_dir(&self) -> Result<(), StoreError> {
        self.create_folder(&self.dir)?;
        self.ignore_machine_files();
        Ok(())
    }

    /// Creates a folder of the store; refuses symbolic links on the way.
    fn create_folder(&self, folder: &Path) -> Result<(), StoreError> {
        files::create_folder(&self.root, folder)
    }

    /// Records are meant to be committed and shared; lock files and the
    /// temporary files of atomic writes belong to one machine. A
    /// `.gitignore` in the sessions folder says so, once (an existing one is
    /// the team's and is left alone).
    fn ignore_machine_files(&self) {
        let path = self.dir.join(".gitignore");
        let created = OpenOptions::new().write(true).create_new(true).open(&path);
        if let Ok(mut file) = created {
            let lines = "# Per machine, not shared: locks, unfinished writes, MCP client configurations.\n*.lock\n.smallbatch-*.tmp\n*.mcp.json\n";
            if let Err(error) = std::io::Write::write_all(&mut file, lines.as_bytes()) {
                tracing::warn!("cannot write {}: {error}", path.display());
            }
        }
    }

    /// Takes the spec's lock, waiting while another command holds it: after
    /// a second it says so, and after the store's patience it gives up with
    /// [`StoreError::GaveUp`].
    pub fn lock(&self, spec_id: &str) -> Result<SpecLock<'_>, StoreError> {
        let (path, file) = self.open_lock_file(spec_id)?;
        let started = Instant::now();
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(SpecLock::new(self, spec_id, file)),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(source)) => {
                    return Err(StoreError::io("lock", &path, source));
                }
            }
            let waited = started.elapsed();
            if waited >= self.patience {
                return Err(StoreError::GaveUp {
                    path,
                    seconds: waited.as_secs(),
                });
            }
            if !said && waited >= LOCK_NOTICE_AFTER {
                said = true;
                (self.notices)(&format!(
                    "waiting for another smallbatch command on this spec to finish ({}) …",
                    path.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Takes the spec's lock, or refuses with [`StoreError::Busy`] at once
    /// when another command holds it.
    pub fn try_lock(&self, spec_id: &str) -> Result<SpecLock<'_>, StoreError> {
        let (path, file) = self.open_lock_file(spec_id)?;
        match file.try_lock() {
            Ok(()) => Ok(SpecLock::new(self, spec_id, file)),
            Err(TryLockError::WouldBlock) => Err(StoreError::Busy { path }),
            Err(TryLockError::Error(source)) => Err(StoreError::io("lock", &path, source)),
        }
    }

    /// Holds the spec's run lock while `smallbatch run` drives an agent on
    /// it, so that a second `run` is refused rather than driving another
    /// agent in the same session; `None` when a run holds it already. The
    /// operating system lets go of it when the process ends, however it ends.
    pub fn try_lock_run(&self, spec_id: &str) -> Result<Option<File>, StoreError> {
        let folder = self.spec_dir(spec_id)?;
        self.create_folder(&folder)?;
        self.ignore_machine_files();
        let path = folder.join(RUN_LOCK);
        let file = open_lock(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(source)) => Err(StoreError::io("lock", &path, source)),
        }
    }

    fn open_lock_file(&self, spec_id: &str) -> Result<(PathBuf, File), StoreError> {
        names::validate(NameKind::Spec, spec_id)?;
        self.create_folder(&self.dir)?;
        self.ignore_machine_files();
        let path = self.dir.join(format!("{}{LOCK_EXT}", folder_name(spec_id)));
        let file = open_lock(&path)?;
        Ok((path, file))
    }

    /// One record.
    pub fn read(&self, spec_id: &str, id: &str) -> Result<SessionRecord, StoreError> {
        let path = self.record_path(spec_id, id)?;
        match files::read_if_present(&path)? {
            Some(bytes) => parse_record(&path, id, &bytes),
            None => Err(StoreError::NotFound { path }),
        }
    }

    /// The spec's sessions outside the archive.
    pub fn list(&self, spec_id: &str) -> Result<Listing, StoreError> {
        list_folder(&self.spec_dir(spec_id)?)
    }

    /// The spec's archived sessions.
    pub fn archived(&self, spec_id: &str) -> Result<Listing, StoreError> {
        list_folder(&self.spec_dir(spec_id)?.join(ARCHIVE_DIR))
    }

    /// Every session of the spec, kept and archived, newest first.
    pub fn history(&self, spec_id: &str) -> Result<Listing, StoreError> {
        let mut listing = self.list(spec_id)?;
        let archived = self.archived(spec_id)?;
        listing.records.extend(archived.records);
        listing.unreadable.extend(archived.unreadable);
        listing.sort();
        Ok(listing)
    }

    /// The sessions of every spec, outside the archives or with them,
    /// newest first. Folders whose names no spec id gives are skipped.
    pub fn all(&self, archived: bool) -> Result<Listing, StoreError> {
        let mut listing = Listing::default();
        for folder in files::folder_names(&self.dir)? {
            if names::is_folder_name(&folder) {
                let folder = self.dir.join(folder);
                listing.extend(list_folder(&folder)?);
                if archived {
                    listing.extend(list_folder(&folder.join(ARCHIVE_DIR))?);
                }
            }
        }
        listing.sort();
        Ok(listing)
    }

    /// [`SessionStore::history`] of the spec at `spec_path` (from the root,
    /// with `/`): a record that names another spec is unreadable here, since
    /// acting on it would act on that spec's session.
    pub fn history_of(&self, spec_id: &str, spec_path: &str) -> Result<Listing, StoreError> {
        let mut listing = self.history(spec_id)?;
        let (own, foreign): (Vec<_>, Vec<_>) = std::mem::take(&mut listing.records)
            .into_iter()
            .partition(|r| r.spec == spec_path);
        listing.records = own;
        let folder = self.spec_dir(spec_id)?;
        for record in foreign {
            let in_archive = folder
                .join(ARCHIVE_DIR)
                .join(format!("{}{RECORD_EXT}", record.id));
            let path = if in_archive.exists() {
                in_archive
            } else {
                folder.join(format!("{}{RECORD_EXT}", record.id))
            };
            listing.unreadable.push(Unreadable {
                path,
                message: format!(
                    "it is a session of {}, not of {spec_path}: move it to that spec's session folder, or out of .smallbatch/",
                    record.spec
                ),
            });
        }
        listing.sort();
        Ok(listing)
    }

    /// The text of every record file of the spec, kept then archived, by
    /// path: regular files only, never read through a link.
    pub fn record_texts(&self, spec_id: &str) -> Vec<(PathBuf, String)> {
        let Ok(folder) = self.spec_dir(spec_id) else {
            return Vec::new();
        };
        let mut texts = Vec::new();
        for dir in [folder.clone(), folder.join(ARCHIVE_DIR)] {
            for (name, kind) in files::entries(&dir).unwrap_or_default() {
                if !kind.is_file() || !name.ends_with(RECORD_EXT) {
                    continue;
                }
                let path = dir.join(name);
                if let Ok(Some(bytes)) = files::read_if_present(&path)
                    && let Ok(text) = String::from_utf8(bytes)
                {
                    texts.push((path, text));
                }
            }
        }
        texts
    }

    /// The newest active or paused session of the spec.
    pub fn open_session(&self, spec_id: &str) -> Result<Option<SessionRecord>, StoreError> {
        let listing = self.list(spec_id)?;
        Ok(listing.records.into_iter().find(|r| r.status.is_open()))
    }

    /// The id a session of the spec started at `at` gets:
    /// `<spec-id>-<yyyymmdd>-<nnn>`, where `nnn` follows the highest number
    /// of that day among the spec's files, archived ones included.
    pub fn next_id(&self, spec_id: &str, at: &Timestamp) -> Result<String, StoreError> {
        let folder = self.spec_dir(spec_id)?;
        let prefix = format!("{}-{}-", folder_name(spec_id), at.yyyymmdd());
        let mut highest = 0;
        for folder in [folder.join(ARCHIVE_DIR), folder] {
            for name in files::file_names(&folder)? {
                highest = highest.max(day_number(&name, &prefix).unwrap_or(0));
            }
        }
        Ok(format!("{prefix}{:03}", highest.saturating_add(1)))
    }

    /// Starts a session under the spec's lock; see [`SpecLock::start`].
    pub fn start(
        &self,
        spec_id: &str,
        allow_parallel: bool,
        make: impl FnOnce(String) -> SessionRecord,
    ) -> Result<SessionRecord, StoreError> {
        self.lock(spec_id)?.start(allow_parallel, make)
    }

    /// Changes a record under the spec's lock; see [`SpecLock::update`].
    pub fn update(
        &self,
        spec_id: &str,
        id: &str,
        change: impl FnOnce(&mut SessionRecord),
    ) -> Result<SessionRecord, StoreError> {
        self.lock(spec_id)?.update(id, change)
    }

    /// Writes a context load under the spec's lock; see [`SpecLock::write_context`].
    pub fn write_context(
        &self,
        spec_id: &str,
        id: &str,
        text: &str,
    ) -> Result<PathBuf, StoreError> {
        self.lock(spec_id)?.write_context(id, text)
    }

    /// Archives old finished sessions under the spec's lock; see [`SpecLock::retain`].
    pub fn retain(&self, spec_id: &str, keep: usize) -> Result<Vec<String>, StoreError> {
        self.lock(spec_id)?.retain(keep)
    }
}

/// Opens (creating) a lock file; refuses a symbolic link.
fn open_lock(path: &Path) -> Result<File, StoreError> {
    files::refuse_symlink(path)?;
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|source| StoreError::io("open the lock file", path, source))
}

/// `nnn` of a file named `<prefix><nnn>.<ext>`.
fn day_number(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest.split('.').next()?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_come_from_any_file_of_the_day() {
        let prefix = "a-20261121-";
        assert_eq!(day_number("a-20261121-007.json", prefix), Some(7));
        assert_eq!(day_number("a-20261121-012.context.md", prefix), Some(12));
        assert_eq!(day_number("a-20261121-1000.log", prefix), Some(1000));
        assert_eq!(day_number("a-20261120-009.json", prefix), None);
        assert_eq!(day_number("a-20261121-x.json", prefix), None);
        assert_eq!(day_number("a-20261121-.json", prefix), None);
        assert_eq!(day_number("a-20261121-99999999999.json", prefix), None);
    }

    #[test]
    fn paths_stay_inside_the_sessions_folder() {
        let store = SessionStore::new(Path::new("/ws"));
        assert_eq!(
            store.record_path("a", "a-20261121-001").expect("valid"),
            Path::new("/ws/.smallbatch/sessions/a/a-20261121-001.json")
        );
        assert!(store.context_path("a", "../b").is_err());
        assert_eq!(
            store.log_path("../a", "b").expect("an encoded id"),
            Path::new("/ws/.smallbatch/sessions/%2E.%2Fa/b.log")
        );
        assert!(store.spec_dir("").is_err());
    }

    #[test]
    fn a_lock_held_too_long_is_given_up_on_after_saying_so() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let holder = SessionStore::new(dir.path());
        let held = holder.lock("a").expect("the first lock");
        let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let heard = Arc::clone(&said);
        let waiter = SessionStore::new(dir.path())
            .with_patience(Duration::from_millis(1_300))
            .with_notices(Arc::new(move |text| {
                heard.lock().unwrap().push(text.to_string())
            }));
        let error = waiter.lock("a").map(|_| ()).expect_err("gave up");
        assert!(matches!(error, StoreError::GaveUp { .. }), "{error}");
        assert!(error.to_string().contains("a.lock"), "{error}");
        let said = said.lock().unwrap();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].starts_with("waiting for another smallbatch command"),
            "{said:?}"
        );
        drop(held);
        assert!(waiter.lock("a").is_ok(), "free again");
    }
}
