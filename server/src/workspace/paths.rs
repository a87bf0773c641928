//! Lexical path helpers: no file-system access.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` removed and `..` applied to the component before it.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalized), with `..` where
/// needed; `path` itself when they share no root.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path_parts: Vec<Component<'_>> = path.components().collect();
    let base_parts: Vec<Component<'_>> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A path as shown in reports: `/` separators whatever the platform.
pub fn to_slash(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    match joined.strip_prefix("//") {
        Some(rest) if path.has_root() => format!("/{rest}"),
        _ => joined,
    }
}

/// Decodes `%XX` escapes (`%20` → space); malformed escapes stay as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_applies_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
        assert_eq!(normalize(Path::new("/../a")), Path::new("/a"));
    }

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        assert_eq!(
            relative_to(Path::new("/w/specs/a.md"), Path::new("/w")),
            Path::new("specs/a.md")
        );
        assert_eq!(
            relative_to(Path::new("/w/specs/a.md"), Path::new("/w/docs/x")),
            Path::new("../../specs/a.md")
        );
        assert_eq!(
            relative_to(Path::new("/w"), Path::new("/w")),
            Path::new(".")
        );
    }

    #[test]
    fn slashes_separate_components() {
        assert_eq!(
            to_slash(Path::new("specs/a/README.md")),
            "specs/a/README.md"
        );
        assert_eq!(to_slash(Path::new("/tmp/x.md")), "/tmp/x.md");
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("my%20file.feature"), "my file.feature");
        assert_eq!(percent_decode("100%.feature"), "100%.feature");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A7.feature"), "ç.feature");
    }
}
