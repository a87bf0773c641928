//! The relevant files of a context load: those changed by earlier sessions
//! of the spec, then those the spec names.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, Tag};

use super::part;

/// At most this many relevant files are listed (those changed by the
/// latest sessions come first); the rest are counted.
pub(super) const MAX_FILES: usize = 15;

/// The first `listed` files, and how many more there are.
pub(super) fn files_part(files: &[String], listed: usize) -> String {
    let mut list: String = files
        .iter()
        .take(listed)
        .map(|f| format!("- `{f}`\n"))
        .collect();
    if files.len() > listed {
        let _ = writeln!(list, "- … and {} more", files.len() - listed);
    }
    part("Relevant files", list.trim_end())
}

/// Extensions of files named without a folder (`export.rs`).
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "toml", "md", "json", "yaml", "yml", "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go",
    "java", "kt", "kts", "rb", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "sql", "sh", "html",
    "css", "scss", "txt", "csv", "lock", "xml", "proto", "graphql", "vue", "svelte", "ex", "exs",
    "php", "scala", "lua", "zig", "dart", "ini", "cfg", "conf", "tf", "nix", "hs", "ml", "lean",
];

/// The paths a spec names in code spans or link targets that look like
/// files (`src/export.rs`, `[tests](tests/export_test.rs)`), in order, once
/// each. Feature files are left out: they hold other scenarios.
pub fn paths_named_in(markdown: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for event in Parser::new(markdown) {
        let candidate = match event {
            Event::Code(code) => code.into_string(),
            Event::Start(Tag::Link { dest_url, .. }) => dest_url
                .split(['#', '?'])
                .next()
                .unwrap_or_default()
                .to_string(),
            _ => continue,
        };
        if let Some(path) = file_path(&candidate)
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    paths
}

/// Files changed by earlier sessions, then the paths the spec names; once each.
pub fn relevant_files(changed: &[String], spec_text: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for file in changed.iter().cloned().chain(paths_named_in(spec_text)) {
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

/// The path a code span or link target names, when it looks like a file.
fn file_path(candidate: &str) -> Option<String> {
    let path = without_line_number(candidate.trim().trim_start_matches("./"));
    let odd = |c: char| c.is_whitespace() || "()<>{}[]=,;:\"'*|`$!?&".contains(c);
    if path.is_empty() || path.contains(odd) || path.starts_with(['-', '#', '@', '~']) {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".feature") || lower.ends_with(".feature.md") || path.ends_with('/') {
        return None;
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    let (stem, extension) = file.rsplit_once('.')?;
    let extension_ok = !extension.is_empty()
        && extension.chars().all(|c| c.is_ascii_alphanumeric())
        && extension.chars().any(|c| c.is_ascii_alphabetic());
    let known = FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str());
    let looks_like_file = extension_ok && (known || (path.contains('/') && !stem.is_empty()));
    looks_like_file.then(|| path.to_string())
}

/// `src/main.rs` of `src/main.rs:42` or `src/main.rs:42:7`.
fn without_line_number(path: &str) -> &str {
    let mut path = path;
    for _ in 0..2 {
        match path.rsplit_once(':') {
            Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
                path = head;
            }
            _ => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_named_in_the_spec_look_like_files() {
        let text = "Uses `csv::Writer` in `src/export.rs:42`, see `README.md` and [tests](./tests/export_test.rs#L3).\nNot `self.len`, `1.5`, `smallbatch complete`, [site](https://example.com/a.rs) or [errors](features/errors.feature).\n\n```rust\nlet x = `not/in/code.rs`;\n```\n\nAgain `src/export.rs`.";
        assert_eq!(
            paths_named_in(text),
            ["src/export.rs", "README.md", "tests/export_test.rs"]
        );
        assert_eq!(
            relevant_files(&["src/lib.rs".into(), "README.md".into()], text),
            [
                "src/lib.rs",
                "README.md",
                "src/export.rs",
                "tests/export_test.rs"
            ]
        );
    }
}
