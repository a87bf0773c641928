//! The session rules through `smallbatch check`: records on disk become
//! diagnostics on the spec.

use crate::support::specs;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use smallbatch::session::{SessionRecord, SessionStore, Status, UnitKind, UnitOfWork};

const SPEC: &str = specs::TWO_SCENARIOS_ORDERED;

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::create_dir_all(dir.path().join("specs/export")).expect("folders");
    fs::create_dir_all(dir.path().join(".smallbatch")).expect("folders");
    fs::write(dir.path().join("specs/export/README.md"), SPEC).expect("spec");
    dir
}

/// Records a session of `unit` with `status` through the store.
fn record(root: &Path, unit: &str, index: usize, status: Status) -> SessionRecord {
    let store = SessionStore::new(root);
    let now = store.now().to_string();
    let unit = UnitOfWork {
        kind: UnitKind::Scenario,
        name: unit.into(),
        index,
        of: 2,
    };
    let started = store
        .start("export", true, |id| {
            SessionRecord::new(id, "specs/export/README.md".into(), unit, &now)
        })
        .expect("a session starts");
    store
        .update("export", &started.id, |r| r.status = status)
        .expect("the session is updated")
}

fn check(root: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(["check", "--format", "json"])
        .current_dir(root)
        .output()
        .expect("run smallbatch");
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn found(report: &Value, code: &str) -> Vec<(u64, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_completed_session_without_its_summary_is_sb020_on_the_scenario() {
    let dir = workspace();
    let done = record(dir.path(), "Export a month", 1, Status::Completed);
    let report = check(dir.path());
    let sb020 = found(&report, "SB020");
    assert_eq!(sb020.len(), 1, "{report}");
    assert_eq!(sb020[0].0, 13, "on the scenario's own line: {report}");
    assert!(sb020[0].1.contains(&done.id), "{report}");
}

#[test]
fn a_truncated_record_is_sb025_naming_it_and_left_untouched() {
    let dir = workspace();
    record(dir.path(), "Export a month", 1, Status::Completed);
    let broken = record(dir.path(), "Export an empty month", 2, Status::Paused);
    let path = dir
        .path()
        .join(format!(".smallbatch/sessions/export/{}.json", broken.id));
    let bytes = fs::read(&path).expect("the record");
    fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let before = fs::read(&path).expect("the truncated record");

    let report = check(dir.path());
    let sb025 = found(&report, "SB025");
    assert_eq!(sb025.len(), 1, "{report}");
    assert!(
        sb025[0].1.contains(&format!("{}.json", broken.id)),
        "{report}"
    );
    // The other session still counts: its missing summary is reported.
    assert_eq!(found(&report, "SB020").len(), 1, "{report}");
    assert_eq!(
        fs::read(&path).expect("the record"),
        before,
        "never rewritten"
    );
}

#[test]
fn a_paused_session_out_of_order_and_without_notes_is_reported() {
    let dir = workspace();
    record(dir.path(), "Export an empty month", 2, Status::Paused);
    let report = check(dir.path());
    assert_eq!(found(&report, "SB022").len(), 1, "{report}");
    assert_eq!(found(&report, "SB023").len(), 1, "{report}");
}

#[test]
fn sb030_is_reported_from_the_spec_alone_before_any_session() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let steps: String = (1..=40)
        .map(|n| format!("    And row {n} of the month is exported with its amount\n"))
        .collect();
    let spec = format!(
        "# Export\n\n## Intent\nWhy.\n\n## Feature description\nHow.\n\n## Scenarios\n\n```gherkin\nFeature: Export\n  Scenario: Export a month\n    Given a month\n{steps}    Then I get a CSV\n\n  Scenario: Export an empty month\n    Given an empty month\n    Then I get the header\n```\n\n## Scenario order\n1. Export a month\n2. Export an empty month\n"
    );
    fs::create_dir_all(dir.path().join("specs/export")).expect("folders");
    fs::write(dir.path().join("specs/export/README.md"), spec).expect("spec");
    fs::create_dir_all(dir.path().join(".smallbatch")).expect("folders");
    fs::write(
        dir.path().join(".smallbatch/config.toml"),
        "[session]\ntoken_budget = 400\n",
    )
    .expect("config");
    assert!(!dir.path().join(".smallbatch/sessions").exists());
    let report = check(dir.path());
    let sb030 = found(&report, "SB030");
    assert_eq!(sb030.len(), 1, "{report}");
    let (line, message) = &sb030[0];
    assert_eq!(*line, 13, "on the scenario's name: {report}");
    assert!(
        message.contains("scenario `Export a month`") && message.contains("over the budget of 400"),
        "{message}"
    );
}

#[test]
fn an_archived_completed_session_still_completes_its_unit() {
    let dir = workspace();
    let logged = format!("{SPEC}\n## Session log\n### Export a month\nStreams rows.\n");
    fs::write(dir.path().join("specs/export/README.md"), logged).expect("spec");
    record(dir.path(), "Export a month", 1, Status::Completed);
    let moved = SessionStore::new(dir.path())
        .retain("export", 0)
        .expect("archived");
    assert_eq!(moved.len(), 1);
    // A kept session of the next scenario: the spec's sessions are tracked.
    let store = SessionStore::new(dir.path());
    let open = record(dir.path(), "Export an empty month", 2, Status::Paused);
    store
        .update("export", &open.id, |r| r.notes = Some("header next".into()))
        .expect("notes");
    let report = check(dir.path());
    for code in ["SB020", "SB021", "SB022"] {
        assert!(found(&report, code).is_empty(), "{code}: {report}");
    }
}
