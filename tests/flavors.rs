//! One flavor rule: `check` and the server read `x.feature.md`,
//! `x.feature.MD` and `x.FEATURE` the same way — Markdown with Gherkin for
//! the first two, classic Gherkin for the third.

use std::fs;

use serde_json::{Value, json};

use crate::support::lsp;
use crate::support::repo;

const MARKDOWN: &str = "# Feature: Export\n\n## Scenario: A month\n* Given a month\n* Then a CSV\n";
const CLASSIC: &str = "Feature: Export\n  Scenario: A month\n    Given a month\n    Then a CSV\n";

/// (line, code) of each diagnostic `check --format json` reports for `name`.
fn checked(dir: &std::path::Path, name: &str) -> Vec<(u64, String)> {
    let output = repo::smallbatch(dir, &["check", name, "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap() - 1,
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Scenario 2 of the renovation.
#[tokio::test]
async fn check_and_the_server_read_every_spelling_alike() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::create_dir_all(root.join(".smallbatch")).unwrap();
    let files = [
        ("a.feature.md", MARKDOWN),
        ("b.feature.MD", MARKDOWN),
        ("c.FEATURE", CLASSIC),
        ("d.feature.MD", CLASSIC),
        ("e.FEATURE", MARKDOWN),
    ];
    for (name, text) in files {
        fs::write(root.join(name), text).unwrap();
    }
    let mut client = lsp::TestClient::spawn(&root);
    client.initialize(&root, &[]).await;
    for (name, text) in files {
        let from_check = checked(&root, name);
        let uri = lsp::file_uri(&root.join(name));
        client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "gherkin", "version": 1, "text": text}}),
            )
            .await;
        let published = client.diagnostics(&uri, Some(1)).await;
        let from_server: Vec<(u64, String)> = published
            .iter()
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(from_check, from_server, "{name}");
        // Markdown read as classic Gherkin is broken; the rest read cleanly.
        let expected_errors = name == "e.FEATURE";
        assert_eq!(
            !from_check.is_empty(),
            expected_errors,
            "{name}: {from_check:?}"
        );
    }
    client.ignore(|m: &Value| {
        m["method"] == "client/registerCapability"
            || m["method"] == "window/workDoneProgress/create"
    });
    client.shutdown().await;
}
