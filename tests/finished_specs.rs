//! Finished specs (`status: complete` or `archived`): the missing-section
//! checks are not reported on them, and a session starts on one only with
//! `--force` — from the CLI (`start`, `run`) and from the editor.

use crate::support::lsp;
use crate::support::repo;

use serde_json::{Value, json};

/// A finished spec with nothing but a dependency on a spec that does not
/// exist and two scenarios in no order: every missing-section check would
/// fire on it, and SB041 still must.
fn finished(status: &str) -> String {
    format!(
        "---
status: {status}
depends_on: [099-missing]
---

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario: Export an empty month
    Given an empty month
    Then only the header
```
"
    )
}

const AGENT_CONFIG: &str = "[agents]\ndefault = \"fake\"\nfake = [\"true\"]\n";

/// A repository whose spec has front matter status `status`.
fn repo_with(status: &str) -> tempfile::TempDir {
    let dir = repo::repo(Some(AGENT_CONFIG));
    let text = repo::SPEC.replacen("status: planned", &format!("status: {status}"), 1);
    repo::write(dir.path(), repo::SPEC_PATH, &text);
    repo::commit(dir.path(), &["specs"], "Finish the spec");
    dir
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect()
}

#[test]
fn missing_sections_are_not_reported_on_finished_specs() {
    let dir = tempfile::tempdir().expect("temporary folder");
    repo::write(
        dir.path(),
        "specs/001-done/README.md",
        &finished("complete"),
    );
    repo::write(dir.path(), "specs/002-old/README.md", &finished("archived"));
    repo::write(
        dir.path(),
        "specs/003-open/README.md",
        &finished("in-progress"),
    );
    let report = repo::json(dir.path(), &["check"], 1);
    let by_file = |file: &str| -> Vec<String> {
        let diagnostics: Vec<Value> = report["diagnostics"]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|d| d["path"] == file)
            .cloned()
            .collect();
        codes(&json!({ "diagnostics": diagnostics }))
    };
    assert_eq!(by_file("specs/001-done/README.md"), ["SB041"], "{report}");
    assert_eq!(by_file("specs/002-old/README.md"), ["SB041"], "{report}");
    let open = by_file("specs/003-open/README.md");
    for code in ["SB001", "SB002", "SB010", "SB041"] {
        assert!(open.contains(&code.to_string()), "{code} in {open:?}");
    }
}

#[test]
fn start_on_a_finished_spec_needs_force() {
    for status in ["complete", "archived"] {
        let dir = repo_with(status);
        let before = repo::snapshot(dir.path());
        let output = repo::smallbatch(dir.path(), &["start", repo::SPEC_PATH]);
        assert_eq!(repo::code(&output), 1, "{output:?}");
        let stderr = repo::stderr(&output);
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(
            stderr.contains(status) && stderr.contains("--force"),
            "{stderr}"
        );
        assert_eq!(repo::snapshot(dir.path()), before, "nothing was written");

        let started = repo::json(dir.path(), &["start", repo::SPEC_PATH, "--force"], 0);
        assert!(started["sessionId"].is_string(), "{started}");
    }
}

#[test]
fn run_on_a_finished_spec_needs_force() {
    let dir = repo_with("complete");
    let before = repo::snapshot(dir.path());
    let output = repo::smallbatch(dir.path(), &["run", repo::SPEC_PATH]);
    assert_eq!(repo::code(&output), 1, "{output:?}");
    let stderr = repo::stderr(&output);
    assert!(
        stderr.contains("complete") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(repo::snapshot(dir.path()), before, "nothing was written");

    let output = repo::smallbatch(dir.path(), &["run", repo::SPEC_PATH, "--force"]);
    assert!(!repo::stderr(&output).contains("--force"), "{output:?}");
    assert_eq!(repo::records(dir.path()).len(), 1, "{output:?}");
}

#[tokio::test]
async fn the_editor_start_on_a_finished_spec_needs_force() {
    let dir = repo_with("archived");
    let root = dir.path().canonicalize().expect("canonical");
    let uri = lsp::file_uri(&root.join(repo::SPEC_PATH));
    let mut client = lsp::TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;
    let refused = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.start", "arguments": [{"spec": uri}]}),
        )
        .await
        .expect_err("refused");
    assert_eq!(refused["code"], -32803, "{refused}");
    let message = refused["message"].as_str().expect("a message");
    assert!(
        message.contains("archived") && message.contains("force"),
        "{message}"
    );
    assert!(repo::records(&root).is_empty());

    let started = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.start", "arguments": [{"spec": uri, "force": true}]}),
        )
        .await
        .expect("started with force");
    assert!(started["sessionId"].is_string(), "{started}");
    client.shutdown_ignoring(|_| true).await;
}
