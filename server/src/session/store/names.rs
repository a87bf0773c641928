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

/// Accepts ASCII letters, digits, `-`, `_` and `.`; refuses an empty name,
/// a leading `.`, `..`, and more than [`MAX_NAME_LEN`] bytes. A spec id may
/// not end in `.lock`, which would collide with another spec's lock file.
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

fn problem(kind: NameKind, name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if name.len() > MAX_NAME_LEN {
        Some("it is longer than 128 bytes")
    } else if name.starts_with('.') {
        Some("it starts with `.`")
    } else if name.contains("..") {
        Some("it contains `..`")
    } else if !name.bytes().all(is_name_byte) {
        Some("it holds a character other than ASCII letters, digits, `-`, `_` and `.`")
    } else if kind == NameKind::Spec && name.ends_with(".lock") {
        Some("it ends in `.lock`")
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
    fn plain_names_pass() {
        for name in ["014-export", "a", "v1.2_beta", "014-export-20261121-001"] {
            assert!(validate(NameKind::Spec, name).is_ok(), "{name}");
        }
        assert!(validate(NameKind::Spec, &"a".repeat(128)).is_ok());
        assert!(validate(NameKind::Session, "x.lock").is_ok());
    }

    #[test]
    fn names_that_could_leave_the_folder_are_refused_with_a_reason() {
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
            ("x.lock", "`.lock`"),
        ] {
            let error = validate(NameKind::Spec, name).expect_err(name).to_string();
            assert!(error.contains(reason), "{name:?}: {error}");
        }
        let long = validate(NameKind::Session, &"a".repeat(129)).expect_err("too long");
        assert!(long.to_string().starts_with("session id `aaa"), "{long}");
    }
}
