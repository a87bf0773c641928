//! File operations of the store: atomic writes, moves and folder syncs.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use tempfile::NamedTempFile;

use super::StoreError;

/// The prefix and suffix of the temporary files of atomic writes.
const TEMP_PREFIX: &str = ".smallbatch-";
const TEMP_SUFFIX: &str = ".tmp";

/// Temporary files left by a write whose process was killed are removed
/// once they are this old.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// Writes `bytes` to `path` so that a reader or a crash sees the old file
/// or the new one, never a part: a temporary file in the same folder is
/// written, synced, renamed over `path`, and the folder is synced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let temp = temp_file(parent(path), path, bytes, false)?;
    persist(temp, path)
}

/// Replaces the file at `path` (a real path: links already followed) as
/// [`write_atomically`] does, keeping the file's permissions. The temporary
/// file is made in `temps` when given — a folder where a killed write may
/// leave it without harm — else, or when `temps` is on another file system,
/// beside the file. Stale temporary files in both folders are removed first.
pub fn replace_file(path: &Path, bytes: &[u8], temps: Option<&Path>) -> Result<(), StoreError> {
    remove_stale_temps(parent(path));
    if let Some(temps) = temps {
        remove_stale_temps(temps);
        let temp = temp_file(temps, path, bytes, true)?;
        match persist(temp, path) {
            Err(StoreError::Io { source, .. })
                if source.kind() == io::ErrorKind::CrossesDevices => {}
            written => return written,
        }
    }
    let temp = temp_file(parent(path), path, bytes, true)?;
    persist(temp, path)
}

/// A hidden temporary file in `folder` holding `bytes`, synced (removed by
/// tempfile if anything fails before it is persisted); with the permissions
/// of the file at `path` when `keep_permissions`.
fn temp_file(
    folder: &Path,
    path: &Path,
    bytes: &[u8],
    keep_permissions: bool,
) -> Result<NamedTempFile, StoreError> {
    let write = |source| StoreError::io("write", path, source);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(folder)
        .map_err(|source| StoreError::io("create a temporary file for", path, source))?;
    if keep_permissions && let Ok(meta) = fs::metadata(path) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(write)?;
    }
    temp.write_all(bytes).map_err(write)?;
    temp.as_file().sync_all().map_err(write)?;
    Ok(temp)
}

/// Renames the temporary file over `path` and syncs `path`'s folder.
fn persist(temp: NamedTempFile, path: &Path) -> Result<(), StoreError> {
    temp.persist(path)
        .map_err(|e| StoreError::io("write", path, e.error))?;
    sync_folder(parent(path))
}

/// Removes the temporary files of writes that never finished (their
/// process was killed) from `folder`, once they are [`STALE_TEMP`] old.
fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.file_type().is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMP);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates the folder (and those above it) when missing, and refuses when
/// it, or a folder between it and `top`, is a symbolic link: a link
/// committed to the repository must not lead writes out of `top`.
pub fn create_folder(top: &Path, folder: &Path) -> Result<(), StoreError> {
    let create_error = |dir: &Path, source| StoreError::io("create the folder", dir, source);
    fs::create_dir_all(top).map_err(|source| create_error(top, source))?;
    let mut below: Vec<&Path> = folder
        .ancestors()
        .take_while(|dir| dir.starts_with(top) && *dir != top)
        .collect();
    below.reverse();
    for dir in below {
        refuse_symlink(dir)?;
        match fs::create_dir(dir) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(source) => return Err(create_error(dir, source)),
        }
    }
    Ok(())
}

/// Refuses a path that is a symbolic link.
pub fn refuse_symlink(path: &Path) -> Result<(), StoreError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(StoreError::Symlink {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::io("inspect", path, source)),
    }
}

/// Moves a file within one file system.
pub fn move_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    fs::rename(from, to).map_err(|source| StoreError::io("move", from, source))
}

/// Makes the folder's entries (a rename, a new file) durable.
#[cfg(unix)]
pub fn sync_folder(folder: &Path) -> Result<(), StoreError> {
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(|source| StoreError::io("sync the folder", folder, source))
}

/// Folders cannot be opened for syncing here; the rename is what is durable.
#[cfg(not(unix))]
pub fn sync_folder(_folder: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// Reads a file; `None` when it does not exist.
pub fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    refuse_symlink(path)?;
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::io("read", path, source)),
    }
}

/// The names of a folder's files; empty when the folder does not exist.
pub fn file_names(folder: &Path) -> Result<Vec<String>, StoreError> {
    entry_names(folder, |kind| kind.is_file())
}

/// The names of a folder's entries with their types (links not followed);
/// empty when the folder does not exist.
pub fn entries(folder: &Path) -> Result<Vec<(String, fs::FileType)>, StoreError> {
    let list_error = |source| StoreError::io("list", folder, source);
    let listed = match fs::read_dir(folder) {
        Ok(listed) => listed,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(list_error(source)),
    };
    let mut entries = Vec::new();
    for entry in listed {
        let entry = entry.map_err(list_error)?;
        if let (Ok(kind), Ok(name)) = (entry.file_type(), entry.file_name().into_string()) {
            entries.push((name, kind));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// The names of a folder's sub-folders; empty when the folder does not exist.
pub fn folder_names(folder: &Path) -> Result<Vec<String>, StoreError> {
    entry_names(folder, |kind| kind.is_dir())
}

fn entry_names(
    folder: &Path,
    keep: impl Fn(fs::FileType) -> bool,
) -> Result<Vec<String>, StoreError> {
    let list_error = |source| StoreError::io("list", folder, source);
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(list_error(source)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(list_error)?;
        let is_kept = entry.file_type().is_ok_and(&keep);
        // Names that are not UTF-8 are not smallbatch's.
        if let (true, Ok(name)) = (is_kept, entry.file_name().into_string()) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or_else(|| Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.json");
        write_atomically(&path, b"old").expect("first write");
        write_atomically(&path, b"new").expect("second write");
        assert_eq!(fs::read(&path).expect("read"), b"new");
        assert_eq!(file_names(dir.path()).expect("list"), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_and_leaves_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let (folder, temps) = (dir.path().join("specs"), dir.path().join("temps"));
        fs::create_dir_all(&folder).expect("mkdir");
        fs::create_dir_all(&temps).expect("mkdir");
        let path = folder.join("README.md");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        replace_file(&path, b"new", Some(&temps)).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"new");
        let mode = fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(file_names(&folder).expect("list"), ["README.md"]);
        assert!(file_names(&temps).expect("list").is_empty());
        replace_file(&path, b"beside", None).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"beside");
        assert_eq!(file_names(&folder).expect("list"), ["README.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_cannot_lead_writes_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (top, outside) = (dir.path().join("top"), dir.path().join("outside"));
        fs::create_dir_all(&outside).expect("mkdir");
        fs::create_dir_all(top.join("sessions")).expect("mkdir");
        std::os::unix::fs::symlink(&outside, top.join("sessions/spec")).expect("link");
        let error = create_folder(&top, &top.join("sessions/spec/archive")).expect_err("a link");
        assert!(matches!(error, StoreError::Symlink { .. }), "{error}");
        assert!(
            !outside.join("archive").exists(),
            "nothing was created through the link"
        );
        assert!(create_folder(&top, &top.join("sessions/other")).is_ok());
    }

    #[test]
    fn a_missing_folder_lists_as_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing");
        assert!(file_names(&missing).expect("list").is_empty());
        assert_eq!(read_if_present(&missing.join("x")).expect("read"), None);
    }
}
