//! Records that this smallbatch cannot read — a newer schema, broken JSON,
//! a folder or a link where a record should be — are reported everywhere,
//! never rewritten, and stop the commands that would act around them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::repo;

use repo::*;

fn record_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(".smallbatch/sessions/001-export")
        .join(format!("{id}.json"))
}

/// `check`, `status` and `sessions` all name the file.
fn reported_everywhere(dir: &Path, file: &str, what: &str) {
    let check = smallbatch(dir, &["check", SPEC_PATH]);
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        out.contains("SB025") && out.contains(file),
        "check: {check:?}"
    );
    assert!(out.contains(what), "check: {out}");
    for args in [&["status", SPEC_PATH][..], &["sessions"][..]] {
        let output = smallbatch(dir, args);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        );
        assert!(all.contains(file), "{args:?}: {all}");
        assert!(all.contains(what), "{args:?}: {all}");
    }
}

fn refused_naming(dir: &Path, args: &[&str], file: &str) {
    let before = snapshot(dir);
    let output = smallbatch(dir, args);
    assert_eq!(code(&output), 1, "{args:?}: {output:?}");
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains(file), "{args:?}: {message}");
    assert!(!message.contains("os error"), "{message}");
    assert_eq!(snapshot(dir), before, "{args:?} changed something");
}

/// Item 7: a future schema is read-only.
#[test]
fn a_record_of_a_newer_schema_is_reported_and_never_rewritten() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let path = record_path(dir.path(), &id);
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"schema\": 1", "\"schema\": 99");
    assert!(text.contains("\"schema\": 99"), "{text}");
    fs::write(&path, &text).unwrap();
    let file = format!("{id}.json");
    reported_everywhere(dir.path(), &file, "schema 99");
    refused_naming(dir.path(), &["pause", SPEC_PATH, "--notes", "n"], &file);
    refused_naming(dir.path(), &["resume", SPEC_PATH], &file);
    refused_naming(dir.path(), &["start", SPEC_PATH, "--force"], &file);
    commit_export(dir.path(), "Export a month with invoices");
    refused_naming(
        dir.path(),
        &["complete", SPEC_PATH, "--summary", "s"],
        &file,
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

/// Item 8: an unreadable active record stops a second session on its unit.
#[test]
fn an_unreadable_active_record_stops_start() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let path = record_path(dir.path(), &id);
    fs::write(&path, "{\"schema\": 1, \"id\": ").unwrap();
    let file = format!("{id}.json");
    reported_everywhere(dir.path(), &file, &file);
    refused_naming(dir.path(), &["start", SPEC_PATH], &file);
    assert_eq!(records(dir.path()).len(), 1);
}

/// Item 8: an unreadable completed record stops a redo and the overwrite
/// of its log entry.
#[test]
fn an_unreadable_completed_record_stops_start_and_complete() {
    let dir = repo(None);
    let first = start_id(dir.path());
    complete_scenario_one(dir.path(), "First summary.");
    let second = json(dir.path(), &["start", SPEC_PATH], 0)["sessionId"]
        .as_str()
        .unwrap()
        .to_string();
    fs::write(record_path(dir.path(), &first), "not JSON").unwrap();
    let file = format!("{first}.json");
    write(dir.path(), "src/empty.rs", "\n");
    commit(dir.path(), &["src"], "Export an empty month");
    refused_naming(dir.path(), &["complete", SPEC_PATH], &file);
    refused_naming(
        dir.path(),
        &["start", SPEC_PATH, "--scenario", "1", "--force"],
        &file,
    );
    assert_eq!(record_of(dir.path(), &second)["status"], "active");
}

/// Item 8: a folder or a link where a record should be.
#[test]
fn a_record_that_is_a_folder_or_a_link_is_reported() {
    for kind in ["folder", "link"] {
        let dir = repo(None);
        let id = start_id(dir.path());
        let path = record_path(dir.path(), &id);
        let moved = dir.path().join("elsewhere.json");
        fs::rename(&path, &moved).unwrap();
        if kind == "folder" {
            fs::create_dir(&path).unwrap();
        } else {
            std::os::unix::fs::symlink(&moved, &path).unwrap();
        }
        let file = format!("{id}.json");
        let what = if kind == "folder" {
            "folder"
        } else {
            "symbolic link"
        };
        reported_everywhere(dir.path(), &file, what);
        refused_naming(dir.path(), &["start", SPEC_PATH], &file);
        refused_naming(dir.path(), &["pause", SPEC_PATH, "--notes", "n"], &file);
    }
}
