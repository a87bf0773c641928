//! The names that reach the file system: spec ids and session ids. Only
//! plain names pass, so no path built from them leaves `.smallbatch/`.

use super::StoreError;

/// The longest name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// What a name names, for the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Spec,
    Session,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Spec => "spec id",
            NameKind::Session => "session id",
        }
    }
}

/// The longest folder name a spec id is encoded to, in bytes.
pub const MAX_FOLDER_LEN: usize = 200;

/// The name of the folder (and lock file) of a spec's sessions: its id
/// with every byte but ASCII letters, digits, `-`, `_` and `.` written as
/// `%XX`, and so `/`, `%` and non-ASCII letters; a leading `.` or `-` and
/// the `.` of a trailing `.lock` too. Two ids never share a folder, and no
/// folder name leaves `.smallbatch/sessions/`, hides, reads as an option
/// or collides with a lock file.
pub fn folder_name(spec_id: &str) -> String {
    let bytes = spec_id.as_bytes();
    let lock_dot = spec_id.len().checked_sub(LOCK_SUFFIX.len()).filter(|&at| {
        spec_id
            .get(at..)
            .is_some_and(|s| s.eq_ignore_ascii_case(LOCK_SUFFIX))
    });
    let mut out = String::with_capacity(spec_id.len());
    for (i, &byte) in bytes.iter().enumerate() {
        let plain = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.');
        let leading = i == 0 && matches!(byte, b'.' | b'-');
        if plain && !leading && Some(i) != lock_dot {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

const LOCK_SUFFIX: &str = ".lock";

/// Checks a spec id (any text but an empty one or one whose folder name
/// would be too long) or a session id (ASCII letters, digits, `-`, `_`,
/// `.` and `%`; not empty, not starting with `.`, no `..`, at most
/// [`MAX_NAME_LEN`] bytes past its folder name's length).
pub fn validate(kind: NameKind, name: &str) -> Result<(), StoreError> {
    match problem(kind, name) {
        None => Ok(()),
        Some(reason) => Err(StoreError::BadName {
            kind: kind.as_str(),
            name: name.to_string(),
            reason,
        }),
    }
}

/// Whether `name` is a folder name [`folder_name`] can give.
pub fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FOLDER_LEN
        && !name.starts_with(['.', '-'])
        && !name.to_ascii_lowercase().ends_with(LOCK_SUFFIX)
        && name.bytes().all(|b| is_name_byte(b) || b == b'%')
}

fn problem(kind: NameKind, name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if kind == NameKind::Spec {
        return (folder_name(name).len() > MAX_FOLDER_LEN)
            .then_some("it is too long for a folder name (over 200 bytes once encoded)");
    }
    if name.len() > MAX_NAME_LEN + MAX_FOLDER_LEN {
        Some("it is too long")
    } else if name.starts_with('.') {
        Some("it starts with `.`")
    } else if name.contains("..") {
        Some("it contains `..`")
    } else if !name.bytes().all(|b| is_name_byte(b) || b == b'%') {
        Some("it holds a character other than ASCII letters, digits, `-`, `_`, `.` and `%`")
    } else {
        None
    }
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_their_own_folder_names() {
        for id in ["014-export", "a", "v1.2_beta", "x.locked"] {
            assert_eq!(folder_name(id), id);
            assert!(is_folder_name(id), "{id}");
        }
    }

    #[test]
    fn other_ids_are_encoded_and_never_collide() {
        for (id, folder) in [
            ("team-b/rate-limit", "team-b%2Frate-limit"),
            ("rate limit", "rate%20limit"),
            ("café", "caf%C3%A9"),
            (".hidden", "%2Ehidden"),
            ("-rf", "%2Drf"),
            ("x.lock", "x%2Elock"),
            ("X.LOCK", "X%2ELOCK"),
            ("50%", "50%25"),
            ("50%25", "50%2525"),
            ("../etc", "%2E.%2Fetc"),
            ("a\\b", "a%5Cb"),
            ("a\0", "a%00"),
        ] {
            assert_eq!(folder_name(id), folder, "{id}");
            assert!(is_folder_name(folder), "{folder}");
        }
        assert!(validate(NameKind::Spec, "team-b/rate-limit").is_ok());
    }

    #[test]
    fn names_that_could_leave_the_folder_are_refused_with_a_reason() {
        assert!(validate(NameKind::Spec, "").is_err());
        assert!(validate(NameKind::Spec, &"é".repeat(40)).is_err());
        for (name, reason) in [
            ("", "empty"),
            ("../etc", "starts with `.`"),
            (".hidden", "starts with `.`"),
            ("a..b", "`..`"),
            ("a/b", "character"),
            ("a\\b", "character"),
            ("C:x", "character"),
            ("a b", "character"),
            ("é", "character"),
            ("a\0", "character"),
        ] {
            let error = validate(NameKind::Session, name)
                .expect_err(name)
                .to_string();
            assert!(error.contains(reason), "{name:?}: {error}");
        }
        assert!(validate(NameKind::Session, "x.lock").is_ok());
        assert!(validate(NameKind::Session, "team-b%2Frate-limit-20261201-001").is_ok());
        for folder in [".x", "-x", "x.lock", "a/b", ""] {
            assert!(!is_folder_name(folder), "{folder}");
        }
    }
}
