//! Day one: a session started by mistake can be abandoned, and `start`
//! does not pick a unit of a spec whose text it cannot trust.

use std::fs;

use crate::support::lsp;
use crate::support::repo;

use repo::*;
use serde_json::{Value, json};

#[test]
fn abandon_frees_the_unit_keeps_the_record_and_is_no_failure() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let abandoned = json(
        dir.path(),
        &["abandon", SPEC_PATH, "--notes", "started by mistake"],
        0,
    );
    assert_eq!(abandoned["sessionId"], id.as_str());
    assert_eq!(abandoned["status"], "abandoned");
    let record = record_of(dir.path(), &id);
    assert_eq!(record["status"], "abandoned");
    assert_eq!(record["notes"], "started by mistake");

    // The unit is free again: the next start takes scenario 1 afresh.
    let again = json(dir.path(), &["start", SPEC_PATH], 0);
    assert_ne!(again["sessionId"], id.as_str());
    assert_eq!(
        record_of(dir.path(), again["sessionId"].as_str().unwrap())["unit"]["index"],
        1
    );
    json(dir.path(), &["abandon", SPEC_PATH], 0);
    // Three abandoned sessions are no repeated failure (SB024).
    start_id(dir.path());
    json(dir.path(), &["abandon", SPEC_PATH], 0);
    let check = smallbatch(dir.path(), &["check", SPEC_PATH]);
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(!out.contains("SB024"), "{out}");
    let status = json(dir.path(), &["status", SPEC_PATH], 0);
    assert_eq!(status["units"][0]["state"], "pending", "{status}");
    let human = smallbatch(dir.path(), &["status", SPEC_PATH, "--verbose"]);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("abandoned"),
        "{human:?}"
    );

    // Nothing open: abandon refuses.
    let output = smallbatch(dir.path(), &["abandon", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(stderr(&output).contains("no open session"), "{output:?}");
}

#[tokio::test]
async fn the_editor_offers_abandon_on_an_open_session() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let root = dir.path().canonicalize().unwrap();
    let uri = lsp::file_uri(&root.join(SPEC_PATH));
    let mut client = lsp::TestClient::spawn(&root);
    let init = client.initialize(&root, &[]).await;
    let offered = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    assert!(
        offered
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "smallbatch.abandon"),
        "{offered}"
    );
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": spec_text(&root)}}),
        )
        .await;
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("lenses");
    let abandon = lenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["command"]["command"] == "smallbatch.abandon")
        .unwrap_or_else(|| panic!("an Abandon lens: {lenses}"))
        .clone();
    assert!(
        abandon["command"]["title"]
            .as_str()
            .is_some_and(|t| t.contains("Abandon")),
        "{abandon}"
    );
    let answer = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.abandon", "arguments": abandon["command"]["arguments"]}),
        )
        .await
        .expect("abandoned");
    assert_eq!(answer["sessionId"], id.as_str(), "{answer}");
    assert_eq!(record_of(&root, &id)["status"], "abandoned");
    // The record's change is re-analysed and re-published.
    client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics",
            std::time::Duration::from_millis(1000),
        )
        .await;
    client
        .shutdown_ignoring(|m: &Value| {
            m["method"] == "client/registerCapability"
                || m["method"] == "window/workDoneProgress/create"
                || m["method"] == "$/progress"
                || m["method"] == "textDocument/publishDiagnostics"
                || m["method"] == "workspace/codeLens/refresh"
                || m["method"] == "workspace/inlayHint/refresh"
        })
        .await;
}

#[test]
fn start_refuses_a_spec_with_errors_unless_forced() {
    let dir = repo(None);
    let broken = spec_text(dir.path()).replace(
        "1. Export a month with invoices",
        "1. Export a month with invoces",
    );
    fs::write(dir.path().join(SPEC_PATH), &broken).unwrap();
    let before = snapshot(dir.path());
    let output = smallbatch(dir.path(), &["start", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("SB011"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert!(message.contains(&format!("{SPEC_PATH}:")), "{message}");
    assert_eq!(snapshot(dir.path()), before);
    let forced = json(dir.path(), &["start", SPEC_PATH, "--force"], 0);
    assert!(forced["sessionId"].is_string(), "{forced}");
}
