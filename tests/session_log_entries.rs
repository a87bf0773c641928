//! A Session log entry the author wrote is never lost: `complete` keeps it
//! (it is the summary), refuses to replace it unless asked, and a summary
//! with headings of its own cannot split the log.

use std::fs;

use crate::support::repo;

use repo::*;

const HAND_WRITTEN: &str = "Streamed rows through a writer; the header comes from one list.\nNext: empty months reuse the header.";

/// The spec with a hand-written entry for scenario 1 in its Session log.
fn with_hand_written_entry(dir: &std::path::Path) {
    let text = format!(
        "{}\n## Session log\n### Export a month with invoices\n{HAND_WRITTEN}\n",
        spec_text(dir)
    );
    fs::write(dir.join(SPEC_PATH), text).expect("write the spec");
}

/// Scenario 2 of the issue: the hand-written entry is still there, whole.
#[test]
fn complete_without_a_summary_keeps_the_written_entry() {
    let dir = repo(None);
    start_id(dir.path());
    with_hand_written_entry(dir.path());
    let end = commit_export(dir.path(), "Export a month with invoices");
    let completed = json(dir.path(), &["complete", SPEC_PATH], 0);
    let text = spec_text(dir.path());
    assert!(text.contains(HAND_WRITTEN), "{text}");
    assert!(
        !text.contains("TODO"),
        "no template over a written entry:\n{text}"
    );
    assert_eq!(
        text.matches("### Export a month with invoices").count(),
        1,
        "{text}"
    );
    // The git facts come under it, once.
    let short = &end[..7];
    assert!(text.contains(&format!("- Commit: `{short}`")), "{text}");
    assert!(
        completed["summary"]
            .as_str()
            .is_some_and(|s| s.contains(HAND_WRITTEN))
    );
    let human = smallbatch(dir.path(), &["status", SPEC_PATH]);
    assert_eq!(code(&human), 0, "{human:?}");
}

#[test]
fn complete_with_a_summary_refuses_to_replace_a_written_entry() {
    let dir = repo(None);
    let id = start_id(dir.path());
    with_hand_written_entry(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let before = snapshot(dir.path());
    let output = smallbatch(dir.path(), &["complete", SPEC_PATH, "--summary", "oops"]);
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    let line = spec_text(dir.path())
        .lines()
        .position(|l| l == "### Export a month with invoices")
        .expect("the entry")
        + 1;
    assert!(message.contains(&format!("line {line}")), "{message}");
    assert!(message.contains("--replace-summary"), "{message}");
    assert_eq!(snapshot(dir.path()), before, "nothing changed");
    assert_eq!(record_of(dir.path(), &id)["status"], "active");

    json(
        dir.path(),
        &[
            "complete",
            SPEC_PATH,
            "--summary",
            "Rewritten.",
            "--replace-summary",
        ],
        0,
    );
    let text = spec_text(dir.path());
    assert!(
        text.contains("### Export a month with invoices\nRewritten.\n"),
        "{text}"
    );
    assert!(!text.contains(HAND_WRITTEN), "{text}");
}

#[test]
fn a_redo_after_start_force_keeps_the_first_summary() {
    let dir = repo(None);
    start_id(dir.path());
    complete_scenario_one(
        dir.path(),
        "The first summary, written at the first completion.",
    );
    json(
        dir.path(),
        &["start", SPEC_PATH, "--scenario", "1", "--force"],
        0,
    );
    write(
        dir.path(),
        "src/export.rs",
        "pub fn export() { /* again */ }\n",
    );
    commit(dir.path(), &["src"], "Export a month with invoices, again");
    let output = smallbatch(dir.path(), &["complete", SPEC_PATH, "--summary", "second"]);
    assert_eq!(code(&output), 1, "{output:?}");
    json(dir.path(), &["complete", SPEC_PATH], 0);
    let text = spec_text(dir.path());
    assert!(
        text.contains("The first summary, written at the first completion."),
        "{text}"
    );
    assert!(!text.contains("second"), "{text}");
}

#[test]
fn headings_in_a_summary_cannot_split_the_log() {
    let dir = repo(None);
    start_id(dir.path());
    let summary = "Built the writer.\n\n## Decisions\nRows stream.\n\n### Export an empty month\nNot yet.\n\nSetext too\n---\n\n```sh\n# a comment, not a heading\n```\nLast line of the summary.";
    complete_scenario_one(dir.path(), summary);
    let text = spec_text(dir.path());
    // Scenario 2's name appears as a heading in no entry of the log.
    assert!(!text.contains("\n### Export an empty month"), "{text}");
    assert!(text.contains("# a comment, not a heading"), "{text}");
    let check = smallbatch(dir.path(), &["check", SPEC_PATH]);
    assert!(
        !String::from_utf8_lossy(&check.stdout).contains("SB021"),
        "no entry for a unit without a session: {check:?}"
    );
    // The next context load holds all of it.
    let context = json(dir.path(), &["context", SPEC_PATH], 0);
    let load = context["text"].as_str().expect("the load's text");
    for part in [
        "Built the writer.",
        "Decisions",
        "Rows stream.",
        "Not yet.",
        "Setext too",
        "Last line of the summary.",
    ] {
        assert!(load.contains(part), "{part} in:\n{load}");
    }
}
