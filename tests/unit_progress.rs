//! Where a unit stands is decided by one rule, the same in `status`, the
//! code lens, the inlay hint, the hover and the code actions: an open
//! session wins, even over an earlier completed one (a forced redo).

use crate::support::lsp;
use crate::support::repo;

use repo::*;
use serde_json::{Value, json};

/// Scenario 1 of the renovation.
#[tokio::test]
async fn a_forced_redo_of_a_completed_unit_is_active_everywhere() {
    let dir = repo(None);
    let root = dir.path().canonicalize().unwrap();
    start_id(&root);
    complete_scenario_one(&root, "First time.");
    let redo = json(
        &root,
        &["start", SPEC_PATH, "--scenario", "1", "--force"],
        0,
    )["sessionId"]
        .as_str()
        .unwrap()
        .to_string();
    let status = json(&root, &["status", SPEC_PATH], 0);
    assert_eq!(status["units"][0]["state"], "active", "{status}");

    let uri = lsp::file_uri(&root.join(SPEC_PATH));
    let text = spec_text(&root);
    let line = text
        .lines()
        .position(|l| l.contains("Scenario: Export a month with invoices"))
        .unwrap() as u64;
    let order_line = text
        .lines()
        .position(|l| l == "1. Export a month with invoices")
        .unwrap() as u64;
    let mut client = lsp::TestClient::spawn(&root);
    client.initialize(&root, &[]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics(&uri, Some(1)).await;

    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("lenses");
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["range"]["start"]["line"] == line)
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"✓ Complete") && titles.contains(&"⏸ Pause"),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("✔ done")),
        "{titles:?}"
    );

    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 200, "character": 0}}}),
        )
        .await
        .expect("hints");
    let hint = hints
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["position"]["line"] == order_line)
        .unwrap_or_else(|| panic!("a hint on the order entry: {hints}"));
    let label = hint["label"].to_string();
    assert!(label.contains("active"), "{label}");

    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 15}}),
        )
        .await
        .expect("a hover");
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains(&format!("`{redo}` active")), "{markdown}");

    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": line, "character": 15}, "end": {"line": line, "character": 15}},
                   "context": {"diagnostics": []}}),
        )
        .await
        .expect("actions");
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Pause session") && titles.contains(&"Complete session"),
        "{titles:?}"
    );

    client
        .shutdown_ignoring(|m: &Value| {
            m["method"] == "client/registerCapability"
                || m["method"] == "window/workDoneProgress/create"
                || m["method"] == "textDocument/publishDiagnostics"
        })
        .await;
}
