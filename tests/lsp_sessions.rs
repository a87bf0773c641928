//! Sessions in the editor: the server follows records written by the CLI.

#[path = "support/lsp.rs"]
mod lsp;

use std::fs;
use std::time::Duration;

use lsp::{TestClient, file_uri};
use serde_json::{Value, json};
use smallbatch::session::{SessionRecord, SessionStore, UnitKind, UnitOfWork};

const SPEC: &str = "# Export invoices

## Intent
Accountants re-type invoices.

## Feature description
Streams rows.

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

## Scenario order
1. Export a month
2. Export an empty month
";

/// The lenses' (line, title) pairs.
async fn lenses(client: &mut TestClient, uri: &str) -> Vec<(u64, String)> {
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("code lenses");
    lenses
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            let line = l["range"]["start"]["line"].as_u64().expect("a line");
            (
                line,
                l["command"]["title"].as_str().expect("a title").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_session_started_outside_the_editor_changes_the_lens() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical");
    fs::create_dir_all(root.join("specs/export")).expect("folders");
    fs::create_dir_all(root.join(".smallbatch")).expect("folders");
    let spec_path = root.join("specs/export/README.md");
    fs::write(&spec_path, SPEC).expect("the spec");
    let uri = file_uri(&spec_path);

    let mut client = TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": SPEC}}),
        )
        .await;
    client.diagnostics(&uri, Some(1)).await;
    assert!(
        lenses(&mut client, &uri)
            .await
            .contains(&(12, "▶ Start session".to_string()))
    );

    // What `smallbatch start` writes, from another process's point of view.
    let store = SessionStore::new(&root);
    let now = store.now().to_string();
    let record = store
        .start("export", false, |id| {
            let unit = UnitOfWork {
                kind: UnitKind::Scenario,
                name: "Export a month".into(),
                index: 1,
                of: 2,
            };
            SessionRecord::new(id, "specs/export/README.md".into(), unit, &now)
        })
        .expect("a session starts");
    let record_path = root.join(format!(".smallbatch/sessions/export/{}.json", record.id));
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&record_path), "type": 1}]}),
        )
        .await;
    client
        .take(|m| m["method"] == "workspace/codeLens/refresh")
        .await;
    let after = lenses(&mut client, &uri).await;
    assert!(after.contains(&(12, "✓ Complete".to_string())), "{after:?}");
    assert!(after.contains(&(12, "⏸ Pause".to_string())), "{after:?}");
    assert!(
        after
            .iter()
            .any(|(line, title)| *line == 0 && title.ends_with("active: Export a month")),
        "{after:?}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 12, "character": 15}}),
        )
        .await
        .expect("a hover");
    let markdown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        markdown.ends_with(&format!("Sessions:\n- `{}` active", record.id)),
        "{markdown}"
    );
    // The spec is analysed again for the new record, though not edited: its
    // diagnostics come again at version 1.
    let republished = client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1,
            Duration::from_millis(300),
        )
        .await;
    assert!(
        republished >= 1,
        "the spec's diagnostics are published again"
    );
    // Answered requests are not this test's subject.
    client.ignore(|m: &Value| {
        m["method"] == "workspace/inlayHint/refresh"
            || m["method"] == "client/registerCapability"
            || m["method"] == "window/workDoneProgress/create"
    });
    client.shutdown().await;
}
