//! Reading a file as UTF-8 text without ever panicking or blocking: every
//! way it can fail is a [`ReadError`] that becomes a file-level diagnostic
//! (SB000). Only regular files are read, so a FIFO, a device or a socket
//! never stalls a reader.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use crate::spec::LineIndex;

/// Files larger than this are not checked.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file does not exist")]
    NotFound,
    #[error(
        "the file is not a regular file (a folder, FIFO, device or socket): only regular files are read"
    )]
    NotRegularFile,
    #[error(
        "the file resolves outside the workspace (through `..` or a symbolic link): only files inside the workspace are read"
    )]
    OutsideWorkspace,
    #[error("the file is too large to check ({size} bytes; the limit is 64 MiB): split it")]
    TooLarge { size: u64 },
    #[error(
        "the file is not valid UTF-8 (byte 0x{byte:02X} at line {line}, column {column}): save it as UTF-8"
    )]
    NotUtf8 {
        /// The first bad byte.
        byte: u8,
        /// 1-based line and character column of that byte.
        line: usize,
        column: usize,
        /// Its offset in `lossy`.
        offset: usize,
        /// The file decoded with U+FFFD for bad bytes, for showing the line.
        lossy: String,
    },
    #[error("cannot read the file: {0}")]
    Io(#[from] io::Error),
}

impl ReadError {
    /// Where in [`ReadError::text`] the problem is: the first bad byte, or
    /// the start of the file.
    pub fn range(&self) -> std::ops::Range<usize> {
        match self {
            // U+FFFD takes three bytes in the lossy text.
            ReadError::NotUtf8 { offset, .. } => *offset..*offset + 3,
            _ => 0..0,
        }
    }

    /// The text the diagnostic's range points into (empty when there is none).
    pub fn text(&self) -> &str {
        match self {
            ReadError::NotUtf8 { lossy, .. } => lossy,
            _ => "",
        }
    }
}

/// Reads a file as UTF-8 text, refusing files over [`MAX_FILE_SIZE`] and
/// anything but a regular file.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    read_regular(path, Follow::Yes)
}

/// Whether opening follows a symbolic link in the last component of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Follow {
    Yes,
    /// The path is canonical: a link there now was put there since.
    No,
}

/// Reads a regular file as UTF-8 text. The kind of file is checked before
/// it is opened, and again on the opened file, which is opened without
/// blocking: a FIFO put in its place meanwhile is refused, not waited on.
pub(super) fn read_regular(path: &Path, follow: Follow) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(open_error)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegularFile);
    }
    let file = open_without_blocking(path, follow).map_err(open_error)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegularFile);
    }
    let size = meta.len();
    if size > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge { size });
    }
    let capacity = usize::try_from(size).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // The file may grow while it is read: never take more than the limit.
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge { size: read });
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()))
}

fn open_error(e: io::Error) -> ReadError {
    match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    }
}

/// Opens a file for reading; on unix with `O_NONBLOCK`, so that opening a
/// FIFO returns at once (reading a regular file is unaffected).
fn open_without_blocking(path: &Path, follow: Follow) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK;
        if follow == Follow::No {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = follow;
    options.open(path)
}

fn not_utf8(bytes: &[u8], offset: usize) -> ReadError {
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    // Up to the first bad byte the lossy text is the file's own bytes.
    let (line, column) = LineIndex::new(&lossy[..offset]).line_col(&lossy[..offset], offset);
    ReadError::NotUtf8 {
        byte: bytes.get(offset).copied().unwrap_or(0),
        line,
        column,
        offset,
        lossy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.md");
        std::fs::write(&path, b"# Title\n\xc3\xa7a\xff rest\n").expect("write");
        let err = read_text(&path).expect_err("not UTF-8");
        let ReadError::NotUtf8 {
            byte, line, column, ..
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((*byte, *line, *column), (0xFF, 2, 3));
        assert_eq!(&err.text()[err.range()], "\u{FFFD}");
    }

    #[test]
    fn a_missing_file_is_not_found() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            read_text(&dir.path().join("nope.md")),
            Err(ReadError::NotFound)
        ));
    }

    #[test]
    fn a_folder_is_not_a_regular_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            read_text(dir.path()),
            Err(ReadError::NotRegularFile)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pipe.feature");
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("C path");
        // SAFETY: `name` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(matches!(read_text(&path), Err(ReadError::NotRegularFile)));
        assert!(matches!(
            read_regular(&path, Follow::No),
            Err(ReadError::NotRegularFile)
        ));
    }
}
