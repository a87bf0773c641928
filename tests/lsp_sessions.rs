//! Sessions in the editor: the server follows records written by the CLI.

use crate::support::lsp;

use crate::support::specs;

use crate::support::repo;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp::{TestClient, actions_at, file_uri, lenses};
use serde_json::{Value, json};
use smallbatch::session::{SessionRecord, SessionStore, UnitKind, UnitOfWork};

const SPEC: &str = specs::TWO_SCENARIOS_ORDERED;

/// A workspace holding the spec, and `.smallbatch/config.toml` when given:
/// the folder (deleted on drop), its canonical root and the spec's URI.
fn workspace(config: Option<&str>) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical");
    fs::create_dir_all(root.join("specs/export")).expect("folders");
    fs::create_dir_all(root.join(".smallbatch")).expect("folders");
    if let Some(config) = config {
        fs::write(root.join(".smallbatch/config.toml"), config).expect("config");
    }
    let spec_path = root.join("specs/export/README.md");
    fs::write(&spec_path, SPEC).expect("the spec");
    let uri = file_uri(&spec_path);
    (dir, root, uri)
}

/// A server initialized on `root` with the spec open: the client, the
/// initialize result and the spec's first diagnostics.
async fn serve(root: &Path, uri: &str) -> (TestClient, Value, Vec<Value>) {
    let mut client = TestClient::in_process();
    let init = client.initialize(root, &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": SPEC}}),
        )
        .await;
    let diagnostics = client.diagnostics(uri, Some(1)).await;
    (client, init, diagnostics)
}

/// What `smallbatch start` writes for the spec's first scenario.
fn start_first_scenario(store: &SessionStore) -> SessionRecord {
    let now = store.now().to_string();
    store
        .start("export", false, |id| {
            let unit = UnitOfWork {
                kind: UnitKind::Scenario,
                name: "Export a month".into(),
                index: 1,
                of: 2,
            };
            SessionRecord::new(id, "specs/export/README.md".into(), unit, &now)
        })
        .expect("a session starts")
}

#[tokio::test]
async fn a_session_started_outside_the_editor_changes_the_lens() {
    let (_dir, root, uri) = workspace(None);
    let (mut client, _, _) = serve(&root, &uri).await;
    assert!(
        lenses(&mut client, &uri)
            .await
            .contains(&(12, "▶ Start session".to_string()))
    );

    // What `smallbatch start` writes, from another process's point of view.
    let store = SessionStore::new(&root);
    let record = start_first_scenario(&store);
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
            Duration::from_millis(1000),
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

#[tokio::test]
async fn sessions_start_and_pause_from_code_actions_and_commands() {
    let (_dir, root, uri) = workspace(Some("[session]\nrequire_green_to_start = false\n"));
    let (mut client, init, _) = serve(&root, &uri).await;
    let offered = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    assert!(
        offered
            .as_array()
            .expect("commands")
            .contains(&json!("smallbatch.start"))
    );

    // On the first scenario: Start. The second is out of order.
    let actions = actions_at(&mut client, &uri, 12, 15).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0].0, "Start session");
    let later = actions_at(&mut client, &uri, 16, 15).await;
    assert_eq!(later[0].0, "Start session (out of order)");

    let start = actions[0].1.clone();
    let started = client
        .request(
            "workspace/executeCommand",
            json!({"command": start["command"], "arguments": start["arguments"]}),
        )
        .await
        .expect("the session starts");
    let id = started["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string();
    let context_file = started["contextFile"]
        .as_str()
        .expect("a context file")
        .to_string();
    assert!(started["contextTokens"].as_u64().expect("tokens") > 0);
    assert!(started.get("agentCommand").is_some());
    let context = fs::read_to_string(&context_file).expect("the context load");
    assert!(
        context.contains("Scenario: Export a month")
            && !context.contains("Export an empty month\n    Given")
    );
    // The context is shown to the user.
    let shown = client.take(|m| m["method"] == "window/showDocument").await;
    assert!(
        shown["params"]["uri"]
            .as_str()
            .expect("a uri")
            .ends_with(".context.md")
    );

    // A second start is refused, naming the session that holds the spec.
    let refused = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.start", "arguments": [{"spec": uri}]}),
        )
        .await
        .expect_err("refused");
    assert_eq!(refused["code"], -32803);
    assert!(
        refused["message"]
            .as_str()
            .expect("a message")
            .contains(&id),
        "{refused}"
    );

    // Now the scenario offers Complete, Pause and Abandon; pause it with notes.
    let titles: Vec<String> = actions_at(&mut client, &uri, 12, 15)
        .await
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert_eq!(
        titles,
        ["Complete session", "Pause session", "Abandon session"]
    );
    let paused = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.pause", "arguments": [{"spec": uri, "notes": "API done", "next": ["write tests"]}]}),
        )
        .await
        .expect("paused");
    assert_eq!(paused["status"], "paused");
    let titles: Vec<String> = actions_at(&mut client, &uri, 12, 15)
        .await
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert_eq!(titles, ["Resume session", "Abandon session"]);

    client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics",
            Duration::from_millis(1000),
        )
        .await;
    client.shutdown().await;
}

#[tokio::test]
async fn insert_summary_writes_the_prefilled_summary_into_the_log() {
    let (_dir, root, uri) = workspace(None);
    let store = SessionStore::new(&root);
    let record = start_first_scenario(&store);
    store
        .update("export", &record.id, |r| {
            r.status = smallbatch::session::Status::Completed
        })
        .expect("completed");
    let (mut client, _, diagnostics) = serve(&root, &uri).await;
    let sb020 = diagnostics
        .iter()
        .find(|d| d["code"] == "SB020")
        .unwrap_or_else(|| panic!("SB020 in {diagnostics:?}"));
    assert_eq!(sb020["range"]["start"]["line"], 12, "on the scenario");
    let fixes = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": sb020["range"], "context": {"diagnostics": [sb020]}}),
        )
        .await
        .expect("code actions");
    let fix = fixes
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["title"] == "Insert a summary prefilled from git")
        .unwrap_or_else(|| panic!("the quick fix in {fixes:#}"))
        .clone();
    let edit = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.insertSummary", "arguments": [{"spec": uri, "scenario": "Export a month"}]}),
        )
        .await
        .expect("an edit");
    let applied = client.take(|m| m["method"] == "workspace/applyEdit").await;
    assert_eq!(applied["params"]["edit"], edit);
    let edits = edit["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .clone();
    assert_eq!(
        fix["edit"]["documentChanges"][0]["edits"],
        json!(edits),
        "the quick fix and the command agree"
    );
    let fixed = lsp::apply(SPEC, &edits);
    assert!(
        fixed.ends_with("## Session log\n\n### Export a month\nTODO: what was built, the decisions taken and why, and what the next scenario should know.\n"),
        "{fixed}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn renaming_a_scenario_renames_it_in_its_session_records() {
    let (_dir, root, uri) = workspace(None);
    let store = SessionStore::new(&root);
    let record = start_first_scenario(&store);
    let record_path = root.join(format!(".smallbatch/sessions/export/{}.json", record.id));
    let (mut client, _, _) = serve(&root, &uri).await;
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": {"line": 12, "character": 15}, "newName": "Export a full month"}),
        )
        .await
        .expect("a rename");
    let changes = edit["documentChanges"].as_array().expect("changes");
    let record_uri = file_uri(&record_path);
    let in_record = changes
        .iter()
        .find(|c| c["textDocument"]["uri"] == record_uri)
        .unwrap_or_else(|| panic!("an edit of the record in {edit:#}"));
    assert_eq!(in_record["textDocument"]["version"], Value::Null);
    let record_text = fs::read_to_string(&record_path).expect("the record");
    let edits = in_record["edits"].as_array().expect("edits").clone();
    let renamed: Value =
        serde_json::from_str(&lsp::apply(&record_text, &edits)).expect("still JSON");
    assert_eq!(renamed["unit"]["name"], "Export a full month");
    assert_eq!(renamed["id"], record.id.as_str());
    // The spec's own edits: its scenario and its order entry.
    let in_spec = changes
        .iter()
        .find(|c| c["textDocument"]["uri"] == uri)
        .expect("the spec's edits");
    assert_eq!(in_spec["edits"].as_array().map(Vec::len), Some(2));
    client.shutdown().await;
}

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

#[tokio::test]
async fn the_server_answers_start_complete_and_status_as_the_cli_prints_them() {
    // The CLI's answers, in one repository.
    let cli = repo::repo(None);
    let started_by_cli = repo::json(cli.path(), &["start", repo::SPEC_PATH], 0);
    repo::commit_export(cli.path(), "Export a month with invoices");
    let summary = "Streamed rows.";
    let completed_by_cli = repo::json(
        cli.path(),
        &["complete", repo::SPEC_PATH, "--summary", summary],
        0,
    );

    // The same steps through the server, in another.
    let served = repo::repo(None);
    let root = served.path().canonicalize().expect("canonical");
    let uri = file_uri(&root.join(repo::SPEC_PATH));
    let mut client = TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;
    let mut execute = async |command: &str, arguments: Value| {
        client
            .request(
                "workspace/executeCommand",
                json!({"command": command, "arguments": [arguments]}),
            )
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    };
    let started = execute("smallbatch.start", json!({"spec": uri})).await;
    repo::commit_export(&root, "Export a month with invoices");
    let completed = execute(
        "smallbatch.complete",
        json!({"spec": uri, "summary": summary}),
    )
    .await;
    let status = execute("smallbatch.status", json!({"spec": uri})).await;

    assert_eq!(keys(&started), keys(&started_by_cli), "{started:#}");
    assert_eq!(started["unit"], started_by_cli["unit"]);
    assert_eq!(keys(&completed), keys(&completed_by_cli), "{completed:#}");
    for key in ["unit", "filesChanged", "keptEntry", "summary", "specStatus"] {
        assert_eq!(completed[key], completed_by_cli[key], "{key}");
    }
    assert_eq!(
        completed["commits"][0]["summary"],
        "Export a month with invoices"
    );
    // Status: the same repository, the same answer.
    let status_by_cli = repo::json(&root, &["status", repo::SPEC_PATH], 0);
    assert_eq!(status, status_by_cli);

    client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics",
            Duration::from_millis(500),
        )
        .await;
    client.shutdown().await;
}
