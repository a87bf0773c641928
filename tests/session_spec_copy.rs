//! The spec's text at a session's start, for the resume context's diff, is
//! kept beside the record (`<session-id>.spec.md`), not inside it; a record
//! written before that (the text embedded as `specAtStart`) still resumes;
//! archiving moves the copy with its record.

use crate::support::repo;

use std::fs;
use std::path::{Path, PathBuf};

const SPEC_LINE: &str = "Accountants re-type every month's invoices by hand.";

fn session_dir(dir: &Path) -> PathBuf {
    dir.join(".smallbatch/sessions/001-export")
}

fn record_path(dir: &Path, id: &str) -> PathBuf {
    session_dir(dir).join(format!("{id}.json"))
}

fn copy_path(dir: &Path, id: &str) -> PathBuf {
    session_dir(dir).join(format!("{id}.spec.md"))
}

/// Edits the spec's intent, pauses, resumes: the resume context.
fn edit_pause_resume(dir: &Path) -> String {
    let text = repo::spec_text(dir).replace("by hand.", "by hand, twice.");
    repo::write(dir, repo::SPEC_PATH, &text);
    repo::json(dir, &["pause", repo::SPEC_PATH, "--notes", "Half way."], 0);
    let resumed = repo::json(dir, &["resume", repo::SPEC_PATH], 0);
    fs::read_to_string(resumed["contextFile"].as_str().expect("a context file"))
        .expect("the resume context")
}

fn shows_the_edit(context: &str) {
    assert!(
        context.contains("-Accountants re-type every month's invoices by hand.")
            && context.contains("+Accountants re-type every month's invoices by hand, twice."),
        "{context}"
    );
}

#[test]
fn the_record_holds_no_copy_of_the_spec_and_resume_still_diffs() {
    let dir = repo::repo(None);
    let id = repo::start_id(dir.path());
    let record = fs::read_to_string(record_path(dir.path(), &id)).expect("the record");
    assert!(
        !record.contains("specAtStart") && !record.contains(SPEC_LINE),
        "{record}"
    );
    let copy = fs::read_to_string(copy_path(dir.path(), &id)).expect("the copy beside it");
    assert_eq!(
        copy,
        repo::SPEC,
        "the spec as it was when the session started"
    );
    shows_the_edit(&edit_pause_resume(dir.path()));
}

#[test]
fn a_record_that_embeds_the_spec_still_resumes() {
    let dir = repo::repo(None);
    let id = repo::start_id(dir.path());
    let path = record_path(dir.path(), &id);
    let mut record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("the record")).expect("JSON");
    record["specAtStart"] = repo::SPEC.into();
    fs::write(&path, serde_json::to_string_pretty(&record).expect("JSON")).expect("write");
    let _ = fs::remove_file(copy_path(dir.path(), &id));
    let context = edit_pause_resume(dir.path());
    shows_the_edit(&context);
    // The answers do not print the embedded text.
    let status = repo::json(dir.path(), &["sessions"], 0);
    assert!(!status.to_string().contains(SPEC_LINE), "{status}");
}

#[test]
fn archiving_moves_the_copy_with_its_record() {
    let dir = repo::repo(Some("[session]\nkeep = 1\n"));
    let first = repo::start_id(dir.path());
    repo::complete_scenario_one(dir.path(), "One.");
    let second = repo::start_id(dir.path());
    repo::write(dir.path(), "src/empty.rs", "\n");
    repo::commit(dir.path(), &["src"], "Export an empty month");
    repo::json(
        dir.path(),
        &["complete", repo::SPEC_PATH, "--summary", "Two."],
        0,
    );
    repo::start_id(dir.path());
    let archive = session_dir(dir.path()).join("archive");
    assert!(archive.join(format!("{first}.json")).exists());
    assert!(
        archive.join(format!("{first}.spec.md")).exists(),
        "the copy went with its record"
    );
    assert!(!copy_path(dir.path(), &first).exists());
    assert!(copy_path(dir.path(), &second).exists());
}
