//! The workspace over the protocol: indexing with progress, file watchers,
//! diagnostics that follow changes on disk, and the document features
//! (symbols, folding, code lens, workspace symbols).

use crate::support::lsp;

use std::fs;
use std::path::{Path, PathBuf};

use lsp::{TestClient, file_uri};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A workspace (canonical path) with `files` written in it.
fn workspace(files: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical");
    for (path, text) in files {
        write(&root, path, text);
    }
    (dir, root)
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    fs::write(&path, text).expect("write");
}

fn uri(root: &Path, path: &str) -> String {
    file_uri(&root.join(path))
}

async fn open(client: &mut TestClient, uri: &str, text: &str) {
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
}

/// Initializes and waits until the workspace is indexed (its progress ended).
async fn start(root: &Path) -> TestClient {
    let mut client = TestClient::in_process();
    client.initialize(root, &["utf-16"]).await;
    client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    client
}

/// A request the server sent to the client, whenever it came.
async fn server_request(client: &mut TestClient, method: &str) -> Value {
    if let Some(request) = client.answered.iter().find(|m| m["method"] == method) {
        return request.clone();
    }
    client.take(|m| m["method"] == method).await
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

const EXPORT: &str = "# Export invoices

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
```

Also: [errors](features/errors.feature)

## Scenario order
1. Export a month
2. Export fails on a locked month

## Session log
### Export a month
Streams rows with a header.
";

const ERRORS_FEATURE: &str = "Feature: Export errors
  Scenario: Export fails on a locked month
    Given a locked month
    Then an error
";

#[tokio::test]
async fn a_linked_feature_file_changed_on_disk_republishes_the_spec() {
    let spec = "specs/001-export/README.md";
    let feature = "specs/001-export/features/errors.feature";
    let (_dir, root) = workspace(&[(spec, EXPORT), (feature, ERRORS_FEATURE)]);
    let (spec_uri, feature_uri) = (uri(&root, spec), uri(&root, feature));
    let mut client = start(&root).await;
    open(&mut client, &spec_uri, EXPORT).await;
    assert_eq!(
        client.diagnostics(&spec_uri, Some(1)).await,
        Vec::<Value>::new()
    );
    assert_eq!(
        client.diagnostics(&feature_uri, None).await,
        Vec::<Value>::new()
    );

    // Given a linked .feature file changed on disk,
    write(
        &root,
        feature,
        "Feature: Export errors\n  Scenario: Export fails on a locked month\n    Given a locked month\n    this line is no step\n    Then an error\n",
    );
    // when the watcher reports it,
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": feature_uri, "type": 2}]}),
        )
        .await;
    // then the spec's diagnostics are re-published without the spec being edited.
    let republished = client.diagnostics(&spec_uri, Some(1)).await;
    assert_eq!(republished, Vec::<Value>::new(), "the spec itself is fine");
    let linked = client.diagnostics(&feature_uri, None).await;
    assert_eq!(codes(&linked), ["SB004"], "{linked:#?}");
    assert_eq!(linked[0]["range"]["start"]["line"], 3);
    client.shutdown().await;
}

#[tokio::test]
async fn a_spec_created_on_disk_clears_sb041_of_open_specs() {
    let text = "---\ndepends_on: [002-ledger]\n---\n# Export\n\n## Intent\nWhy.\n\n## Feature description\nHow.\n\n## Scenarios\n### Scenario: One\n* Then done\n";
    let spec = "specs/001-export/README.md";
    let (_dir, root) = workspace(&[(spec, text)]);
    let spec_uri = uri(&root, spec);
    let mut client = start(&root).await;
    open(&mut client, &spec_uri, text).await;
    assert_eq!(
        codes(&client.diagnostics(&spec_uri, Some(1)).await),
        ["SB041"]
    );

    write(&root, "specs/002-ledger/README.md", "# Ledger\n");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&root, "specs/002-ledger/README.md"), "type": 1}]}),
        )
        .await;
    assert_eq!(
        client.diagnostics(&spec_uri, Some(1)).await,
        Vec::<Value>::new()
    );

    fs::remove_dir_all(root.join("specs/002-ledger")).expect("remove");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&root, "specs/002-ledger"), "type": 3}]}),
        )
        .await;
    assert_eq!(
        codes(&client.diagnostics(&spec_uri, Some(1)).await),
        ["SB041"]
    );
    client.shutdown().await;
}

#[tokio::test]
async fn indexing_reports_progress_and_registers_the_watchers() {
    let (_dir, root) = workspace(&[("specs/001-export/README.md", EXPORT)]);
    let mut client = TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;

    let begin = client
        .notification("$/progress", |p| p["value"]["kind"] == "begin")
        .await;
    assert_eq!(begin["value"]["title"], "Indexing specs");
    let end = client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    assert_eq!(end["token"], begin["token"]);
    let create = server_request(&mut client, "window/workDoneProgress/create").await;
    assert_eq!(create["params"]["token"], begin["token"]);

    let register = server_request(&mut client, "client/registerCapability").await;
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    let base = lsp::file_uri(&root);
    let base = base.trim_start_matches("file://");
    for glob in [
        "specs/**/*.md",
        "**/*.feature",
        "**/*.feature.md",
        ".smallbatch/**",
    ] {
        assert!(
            globs.contains(&format!("{base}/{glob}").as_str()),
            "{glob} in {globs:?}"
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn clients_without_progress_or_registration_get_neither() {
    let (_dir, root) = workspace(&[("specs/001-export/README.md", EXPORT)]);
    let mut client = TestClient::in_process();
    let root_uri = file_uri(&root);
    client
        .request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
        )
        .await
        .expect("initialize");
    client.notify("initialized", json!({})).await;
    // The index still fills: poll until the spec is found.
    let mut found = Value::Null;
    for _ in 0..200 {
        found = client
            .request("workspace/symbol", json!({"query": "export invoices"}))
            .await
            .expect("symbols");
        if found.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(found[0]["name"], "Export invoices", "{found:#}");
    assert_eq!(client.answered, Vec::<Value>::new());
    client.shutdown().await;
}

#[tokio::test]
async fn workspace_symbols_find_scenarios_of_specs_never_opened() {
    let (_dir, root) = workspace(&[
        ("specs/001-export/README.md", EXPORT),
        ("specs/001-export/features/errors.feature", ERRORS_FEATURE),
        (
            "specs/002-ledger.md",
            "# Ledger\n\n## Scenarios\n### Scenario: Post an entry\n* Then it is posted\n",
        ),
    ]);
    let mut client = start(&root).await;

    let symbols = client
        .request("workspace/symbol", json!({"query": "LOCKmon"}))
        .await
        .expect("symbols");
    assert_eq!(
        symbols,
        json!([{
            "name": "Export fails on a locked month",
            "kind": 24,
            "containerName": "Export invoices",
            "location": {
                "uri": uri(&root, "specs/001-export/features/errors.feature"),
                "range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 42}}
            }
        }])
    );

    let symbols = client
        .request("workspace/symbol", json!({"query": "e"}))
        .await
        .expect("symbols");
    let names: Vec<(&str, i64)> = symbols
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name"),
                s["kind"].as_i64().expect("kind"),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Export invoices", 1),
            ("Export a month", 24),
            ("Export fails on a locked month", 24),
            ("Ledger", 1),
            ("Post an entry", 24),
        ]
    );
    client.shutdown().await;
}

#[tokio::test]
async fn document_symbols_folding_and_the_title_lens() {
    let spec = "specs/001-export/README.md";
    let feature = "specs/001-export/features/errors.feature";
    let (_dir, root) = workspace(&[(spec, EXPORT), (feature, ERRORS_FEATURE)]);
    let spec_uri = uri(&root, spec);
    let mut client = start(&root).await;
    open(&mut client, &spec_uri, EXPORT).await;
    client.diagnostics(&spec_uri, Some(1)).await;
    client
        .diagnostics(
            &uri(&root, "specs/001-export/features/errors.feature"),
            None,
        )
        .await;
    let document = json!({"textDocument": {"uri": spec_uri}});

    let symbols = client
        .request("textDocument/documentSymbol", document.clone())
        .await
        .expect("symbols");
    assert_eq!(symbols.as_array().map(Vec::len), Some(1), "{symbols:#}");
    let title = &symbols[0];
    assert_eq!(
        (&title["name"], &title["kind"]),
        (&json!("Export invoices"), &json!(1))
    );
    let sections: Vec<&Value> = title["children"]
        .as_array()
        .expect("sections")
        .iter()
        .collect();
    let names: Vec<&str> = sections.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "Intent",
            "Feature description",
            "Scenarios",
            "Scenario order",
            "Session log"
        ]
    );
    let scenarios = &sections[2]["children"];
    assert_eq!(scenarios[0]["name"], "Export a month");
    assert_eq!(scenarios[0]["detail"], "Scenario");
    assert_eq!(scenarios[0]["kind"], 24);
    assert_eq!(
        scenarios.as_array().map(Vec::len),
        Some(1),
        "only those written here"
    );
    assert_eq!(sections[4]["children"][0]["name"], "Export a month");

    let folds = client
        .request("textDocument/foldingRange", document.clone())
        .await
        .expect("folding ranges");
    let lines: Vec<(i64, i64)> = folds
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f["startLine"].as_i64().expect("start"),
                f["endLine"].as_i64().expect("end"),
            )
        })
        .collect();
    // Sections, the fenced block and its scenario, the log entry.
    assert_eq!(
        lines,
        [
            (2, 3),
            (5, 6),
            (8, 17),
            (10, 15),
            (12, 14),
            (19, 21),
            (23, 25),
            (24, 25)
        ]
    );
    assert_eq!(folds[3]["kind"], "region", "a fenced block");

    let lenses = client
        .request("textDocument/codeLens", document)
        .await
        .expect("code lenses");
    assert_eq!(
        lenses[0],
        json!({
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 17}},
            "command": {"title": "0/2 done · 2 scenarios · 2 in order", "command": ""}
        })
    );
    // The first scenario in the order is the next to build.
    assert_eq!(lenses[1]["command"]["title"], "▶ Start session");
    assert_eq!(lenses[1]["command"]["command"], "smallbatch.start");
    assert_eq!(
        lenses[1]["command"]["arguments"][0]["scenario"],
        "Export a month"
    );
    assert_eq!(lenses[1]["range"]["start"]["line"], 12);
    // The second scenario is written in a linked file: its lens is not here.
    assert_eq!(lenses.as_array().map(Vec::len), Some(2));
    client.shutdown().await;
}

#[tokio::test]
async fn a_new_configuration_is_watched_and_indexed() {
    let (_dir, root) = workspace(&[("requirements/billing.md", "# Billing\n")]);
    let mut client = start(&root).await;
    let none = client
        .request("workspace/symbol", json!({"query": "billing"}))
        .await
        .expect("symbols");
    assert_eq!(none, json!([]));

    write(
        &root,
        ".smallbatch/config.toml",
        "specs = [\"requirements/*.md\"]\n",
    );
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&root, ".smallbatch/config.toml"), "type": 1}]}),
        )
        .await;
    client
        .take(|m| m["method"] == "client/unregisterCapability")
        .await;
    let register = client
        .take(|m| {
            m["method"] == "client/registerCapability"
                && m["params"].to_string().contains("requirements/*.md")
        })
        .await;
    assert!(!register["params"].to_string().contains("specs/**"));
    // Indexed again, with progress.
    client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let found = client
        .request("workspace/symbol", json!({"query": "billing"}))
        .await
        .expect("symbols");
    assert_eq!(found[0]["name"], "Billing", "{found:#}");
    client.shutdown().await;
}
