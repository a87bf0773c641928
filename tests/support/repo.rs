//! Temporary git repositories holding a spec, and the real `smallbatch`
//! binary run in them: what the session command tests share.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

pub const SPEC_PATH: &str = "specs/001-export/README.md";

pub const SPEC: &str = r#"---
status: planned
---

# Export invoices as CSV

## Intent
Accountants re-type every month's invoices by hand. Exporting a month as CSV removes that work. They open the file in any spreadsheet.

## Feature description
- Rows are streamed: memory stays flat.
- Only `src/export.rs` changes.

## Scenarios

```gherkin
Feature: Invoice export
  Scenario: Export a month with invoices
    Given a month with 3 invoices
    When I export that month
    Then I get a CSV with a header and 3 rows

  Scenario: Export an empty month
    Given a month with no invoices
    When I export the quiet month
    Then I get only the header row

  Scenario: Refuse an open month
    Given the current month is still open
    When I export the open month
    Then I am told to close it first
```

## Scenario order
1. Export a month with invoices
2. Export an empty month
3. Refuse an open month
"#;

/// A git repository holding the spec (and `config`, when given, as
/// `.smallbatch/config.toml`), with one commit.
pub fn repo(config: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), SPEC_PATH, SPEC);
    write(dir.path(), "src/lib.rs", "pub mod export;\n");
    if let Some(config) = config {
        write(dir.path(), ".smallbatch/config.toml", config);
    }
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit(dir.path(), &["specs", "src"], "Initial spec");
    dir
}

pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    fs::write(path, text).expect("write a file");
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "ana@example.com")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "ana@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Commits `paths` with `message`; returns the new HEAD.
pub fn commit(dir: &Path, paths: &[&str], message: &str) -> String {
    let mut add = vec!["add", "--"];
    add.extend_from_slice(paths);
    git(dir, &add);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

pub fn smallbatch(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run smallbatch")
}

pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {output:?}"))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command with `--format json`; expects `expected` as its exit
/// status and returns the one JSON object it printed (Null when none).
pub fn json(dir: &Path, args: &[&str], expected: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = smallbatch(dir, &all);
    assert_eq!(code(&output), expected, "{args:?}: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("one JSON object ({e}): {stdout}"))
}

pub fn record_of(dir: &Path, id: &str) -> Value {
    let path = dir
        .join(".smallbatch/sessions/001-export")
        .join(format!("{id}.json"));
    serde_json::from_str(&fs::read_to_string(&path).expect("the record")).expect("JSON")
}

pub fn records(dir: &Path) -> Vec<PathBuf> {
    let folder = dir.join(".smallbatch/sessions/001-export");
    let mut found: Vec<PathBuf> = fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "json"));
    found.sort();
    found
}

/// Every file under `path` (the file itself when it is one), with its
/// bytes; folders named `.git` are left out.
pub fn files_under(path: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(path: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        if path.file_name().is_some_and(|n| n == ".git") {
            return;
        }
        if path.is_dir() {
            for entry in fs::read_dir(path).expect("list").flatten() {
                walk(&entry.path(), into);
            }
        } else if path.exists() {
            into.insert(path.to_path_buf(), fs::read(path).expect("read"));
        }
    }
    let mut files = BTreeMap::new();
    walk(path, &mut files);
    files
}

/// Every file of `.smallbatch/` and the spec, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = files_under(&dir.join(".smallbatch"));
    files.extend(files_under(&dir.join(SPEC_PATH)));
    files
}

pub fn spec_text(dir: &Path) -> String {
    fs::read_to_string(dir.join(SPEC_PATH)).expect("the spec")
}

pub fn start(dir: &Path) -> Value {
    json(dir, &["start", SPEC_PATH], 0)
}

/// Starts a session; its id.
pub fn start_id(dir: &Path) -> String {
    start(dir)["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string()
}

/// The agent's work on scenario 1: `src/export.rs`, committed with
/// `message`; returns the new HEAD.
pub fn commit_export(dir: &Path, message: &str) -> String {
    write(dir, "src/export.rs", "pub fn export() {}\n");
    commit(dir, &["src"], message)
}

/// Completes the open session of scenario 1 at a commit naming it.
pub fn complete_scenario_one(dir: &Path, summary: &str) {
    commit_export(dir, "Export a month with invoices");
    json(dir, &["complete", SPEC_PATH, "--summary", summary], 0);
}
