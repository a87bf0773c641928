//! Why the store could not do what was asked.

use std::path::{Path, PathBuf};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{kind} `{name}` cannot name a file: {reason}; use ASCII letters, digits, `-`, `_` \
         and `.` (at most 128 bytes, not starting with `.`)"
    )]
    BadName {
        kind: &'static str,
        name: String,
        reason: &'static str,
    },
    #[error(
        "session {id} is still open on this spec; pause and complete it first, or set \
         `allow_parallel = true` under [session] in .smallbatch/config.toml"
    )]
    Held { id: String },
    #[error(
        "{}: the session record cannot be read: {message}; fix or remove the file by hand \
         (smallbatch never overwrites it)",
        path.display()
    )]
    Unreadable { path: PathBuf, message: String },
    #[error(
        "{}: no such session record; `smallbatch sessions` lists the sessions",
        path.display()
    )]
    NotFound { path: PathBuf },
    #[error(
        "{}: already in the archive; move it away by hand, then try again",
        path.display()
    )]
    InArchive { path: PathBuf },
    #[error(
        "{}: is a symbolic link; session files are written only inside .smallbatch/, so \
         replace the link with a folder or a file",
        path.display()
    )]
    Symlink { path: PathBuf },
    #[error(
        "{}: another smallbatch command is changing this spec's sessions; try again when it \
         has finished",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error(
        "{}: another smallbatch command has held this spec's lock for {seconds} s; gave up waiting: try again when it has finished (or end it)",
        path.display()
    )]
    GaveUp { path: PathBuf, seconds: u64 },
    #[error("session id `{from}` was changed to `{to}`; a session keeps the id it was given")]
    IdChanged { from: String, to: String },
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    pub(super) fn io(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}
