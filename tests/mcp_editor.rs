//! `smallbatch mcp` and an open editor: a pause the agent makes through the
//! MCP server changes the lens, through the record watching the editor
//! already has (scenario 1's second half; the MCP suite itself, with the
//! official client, is `tests/mcp/run`).

use crate::support::lsp;
use crate::support::repo;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use lsp::{TestClient, file_uri};
use serde_json::{Value, json};

/// Calls one tool through a fresh `smallbatch mcp` in `root`, over its
/// stdio, and gives the tool's result.
fn call_tool(root: &std::path::Path, name: &str, arguments: Value) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .arg("mcp")
        .current_dir(root)
        .env_remove("SMALLBATCH_SESSION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("smallbatch mcp starts");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": name, "arguments": arguments}}),
    ];
    for message in messages {
        writeln!(input, "{message}").expect("written");
    }
    input.flush().expect("flushed");
    let mut line = String::new();
    let answer = loop {
        line.clear();
        assert!(
            output.read_line(&mut line).expect("read") > 0,
            "the server closed"
        );
        let message: Value = serde_json::from_str(&line).expect("JSON");
        if message["id"] == 2 {
            break message;
        }
    };
    drop(input);
    assert!(child.wait().expect("exits").success());
    answer["result"].clone()
}

#[tokio::test]
async fn a_pause_through_the_mcp_server_changes_the_open_editors_lens() {
    let dir = repo::repo(None);
    let root = dir.path().canonicalize().expect("canonical");
    let id = repo::start_id(&root);
    let spec_path = root.join(repo::SPEC_PATH);
    let uri = file_uri(&spec_path);
    let mut client = TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": repo::SPEC}}),
        )
        .await;
    client.diagnostics(&uri, Some(1)).await;
    let titles = |lenses: &Value| -> Vec<String> {
        lenses
            .as_array()
            .expect("lenses")
            .iter()
            .map(|l| {
                l["command"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let before = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("lenses");
    assert!(titles(&before).contains(&"⏸ Pause".to_string()), "{before}");

    let result = call_tool(
        &root,
        "session_pause",
        json!({"notes": "rows stream; header missing", "nextSteps": ["write the header"]}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(repo::record_of(&root, &id)["status"], "paused");

    let record = root.join(format!(".smallbatch/sessions/001-export/{id}.json"));
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&record), "type": 2}]}),
        )
        .await;
    client
        .take(|m| m["method"] == "workspace/codeLens/refresh")
        .await;
    let after = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("lenses");
    let after = titles(&after);
    assert!(after.contains(&"⟳ Resume".to_string()), "{after:?}");
    assert!(!after.contains(&"⏸ Pause".to_string()), "{after:?}");
    // The spec is analysed again for the changed record.
    let republished = client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1,
            Duration::from_millis(1000),
        )
        .await;
    assert!(republished >= 1, "the spec's diagnostics come again");
    client.ignore(|m: &Value| {
        m["method"] == "workspace/inlayHint/refresh"
            || m["method"] == "client/registerCapability"
            || m["method"] == "window/workDoneProgress/create"
    });
    client.shutdown().await;
}
