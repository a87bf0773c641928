//! Reading a folder of records: those that parse, and those that do not
//! (reported, never overwritten).

use std::path::{Path, PathBuf};

use super::names::{self, NameKind};
use super::{MCP_CONFIG_EXT, RECORD_EXT, StoreError, files};
use crate::session::record::{SCHEMA, SessionRecord};

/// A record file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub path: PathBuf,
    /// What is wrong, with the line and column for a parse error.
    pub message: String,
}

/// The records of a folder: those that parse, newest first (by `createdAt`,
/// then id), and those that do not.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub records: Vec<SessionRecord>,
    pub unreadable: Vec<Unreadable>,
}

impl Listing {
    pub(super) fn extend(&mut self, other: Listing) {
        self.records.extend(other.records);
        self.unreadable.extend(other.unreadable);
    }

    /// Records newest first; unreadable ones by path.
    pub fn sort(&mut self) {
        self.records.sort_by(|a, b| {
            (b.created_at.as_str(), b.id.as_str()).cmp(&(a.created_at.as_str(), a.id.as_str()))
        });
        self.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// The records of a folder's `*.json` files whose stems are session ids.
pub(super) fn list_folder(folder: &Path) -> Result<Listing, StoreError> {
    let mut listing = Listing::default();
    for (name, kind) in files::entries(folder)? {
        // A session's MCP client configuration, never a record (an id ends
        // in its day's number).
        if name.ends_with(MCP_CONFIG_EXT) {
            continue;
        }
        let Some(id) = name.strip_suffix(RECORD_EXT) else {
            continue;
        };
        if names::validate(NameKind::Session, id).is_err() {
            continue;
        }
        let path = folder.join(&name);
        if !kind.is_file() {
            let what = if kind.is_dir() {
                "it is a folder, not a file"
            } else if kind.is_symlink() {
                "it is a symbolic link; records are regular files, and smallbatch follows no link inside .smallbatch/"
            } else {
                "it is not a regular file"
            };
            listing.unreadable.push(Unreadable {
                path,
                message: what.to_string(),
            });
            continue;
        }
        let read = files::read_if_present(&path).and_then(|bytes| {
            // Gone since the folder was listed: archived by another command.
            bytes
                .map(|bytes| parse_record(&path, id, &bytes))
                .transpose()
        });
        match read {
            Ok(Some(record)) => listing.records.push(record),
            Ok(None) => {}
            Err(StoreError::Unreadable { path, message }) => {
                listing.unreadable.push(Unreadable { path, message })
            }
            Err(error) => listing.unreadable.push(Unreadable {
                path,
                message: error.to_string(),
            }),
        }
    }
    listing.sort();
    Ok(listing)
}

/// Parses the record at `path`, which must carry the id of its file name.
pub(super) fn parse_record(
    path: &Path,
    id: &str,
    bytes: &[u8],
) -> Result<SessionRecord, StoreError> {
    let unreadable = |message: String| StoreError::Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| unreadable(format!("not UTF-8 text: {e}")))?;
    let record = SessionRecord::from_json(text).map_err(|e| unreadable(e.to_string()))?;
    if record.schema != SCHEMA {
        return Err(unreadable(format!(
            "schema {} is not schema {SCHEMA}, the one this smallbatch reads and writes: \
             it is left as it is; use the smallbatch that wrote it",
            record.schema
        )));
    }
    if record.id != id {
        return Err(unreadable(format!(
            "its id `{}` is not the one its file name gives, `{id}`",
            record.id
        )));
    }
    Ok(record)
}
